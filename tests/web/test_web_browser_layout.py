"""The pages in headless Chromium at a desktop (1440x900) and a phone (390x844) size, in Arabic
and English, over a store built for it: events stacked on one spot, a war-wide toll, a
governorate-level place, a stray date, a report with a very long URL. Screenshots go to
test-artifacts/web/ (layout-*.png)."""

from __future__ import annotations

import time

import pytest

from marsad.store import open_store


pytestmark = pytest.mark.browser

SIZES = {"desktop": (1440, 900), "phone": (390, 844)}
ADEN = (12.7794, 45.0367)
LONG_URL = "https://example.org/" + "a" * 3000


# Each report tells its own clash in its own words (the linking reads the evidence's words: the
# same sentence a day apart would rightly be one incident told twice).
CLASHES = ("اشتباكات عنيفة", "معارك ضارية", "مواجهات مسلحة", "اقتتال شرس", "تبادل كثيف لإطلاق النار",
           "حرب شوارع")
QUARTERS = (("كريتر", "Crater"), ("المعلا", "Al-Mualla"), ("خور مكسر", "Khor Maksar"),
            ("الشيخ عثمان", "Sheikh Othman"), ("المنصورة", "Al-Mansoura"), ("دار سعد", "Dar Saad"),
            ("البريقة", "Al-Buraiqa"), ("التواهي", "Al-Tawahi"))


def coded(i: int, day: str, fatalities: int, lat: float, lon: float, *, precision: int = 1,
          actor2: str = "Popular Resistance (Yemen)", url: str | None = None,
          quarter: bool = False) -> tuple[dict, dict]:
    """A clash in Aden: at the city's point, or (``quarter``) placed at its quarter of the city."""
    clash, (where_ar, where) = CLASHES[i % len(CLASHES)], QUARTERS[i % len(QUARTERS)]
    text = f"{clash} بين الحوثيين والمقاومة الشعبية في حي {where_ar} بمدينة عدن، قتل خلالها {fatalities} مسلحين يوم {day}."
    at = text.index(where_ar)
    ev = {"event_type": "Battles", "sub_event_type": "Armed clash", "plover_type": "ASSAULT", "event_date": day,
          "time_precision": 1, "country_code": "YE", "admin1_code": "YE-AD",
          "location": where if quarter else "Aden", "location_ar": where_ar if quarter else "عدن",
          "latitude": lat, "longitude": lon, "geo_precision": precision,
          "actor1": "Ansar Allah (Houthis)", "inter1": 2, "actor2": actor2, "inter2": 3, "fatalities": fatalities,
          "weapons": [], "sources": ["local sources"], "notes": f"Clash {i} in Aden.", "confidence": 0.7,
          "evidence": [{"start": 0, "end": len(clash), "field": "event"},
                       {"start": at, "end": at + len(where_ar), "field": "place"}]}
    rec = {"id": f"b{i}", "text": text, "published": day, "source": "test"}
    if url:
        rec["url"] = url
    return rec, {"events": [ev]}


@pytest.fixture(scope="module")
def layout_server(tmp_path_factory, serve_db):
    path = tmp_path_factory.mktemp("layout") / "l.db"
    store = open_store(path)
    pairs = [coded(i, f"2015-08-{1 + i:02d}", 2 + i, *ADEN) for i in range(12)]          # stacked on one pixel
    pairs += [coded(20 + i, f"2015-07-{10 + i:02d}", 3, 13.58 + i / 50, 44.02, quarter=True) for i in range(8)]
    pairs.append(coded(40, "2015-07-20", 300_000, 15.35, 44.2))                         # a war-wide toll
    pairs.append(coded(41, "2015-07-21", 5, 13.0, 45.3, precision=3))                   # governorate only
    pairs.append(coded(42, "2001-09-11", 1, 14.8, 42.95))                               # a stray date
    pairs.append(coded(43, "2015-07-22", 2, 12.8, 45.0, url=LONG_URL))
    store.load_results(pairs)
    store.close()
    return serve_db(path)


@pytest.fixture
def view(browser):
    """view(size, lang): a page at that size with the interface language chosen."""
    opened = []

    def make(size: str, lang: str):
        w, h = SIZES[size]
        ctx = browser.new_context(viewport={"width": w, "height": h}, locale="ar" if lang == "ar" else "en-US")
        pg = ctx.new_page()
        pg.js_errors = []
        pg.on("pageerror", lambda e: pg.js_errors.append(str(e)))
        opened.append(ctx)
        return pg
    yield make
    for ctx in opened:
        ctx.close()


def api(srv, path):
    import json
    import urllib.request
    with urllib.request.urlopen(srv.url + path, timeout=10) as r:
        return json.load(r)


def wait_map(pg):
    pg.wait_for_selector("body[data-map-ready]", state="attached", timeout=20000)
    pg.wait_for_selector("body[data-outlines-ready='1']", state="attached", timeout=20000)


def overflow(pg) -> list[str]:
    """Elements wider than the viewport, or a page that scrolls sideways."""
    return pg.evaluate("""() => {
      const w = document.documentElement.clientWidth, out = [];
      if (document.documentElement.scrollWidth > w + 1) out.push('page ' + document.documentElement.scrollWidth + ' > ' + w);
      for (const el of document.querySelectorAll('body *')) {
        if (el.closest('.leaflet-container, .table-scroll, header nav, canvas, .multi-box, details:not([open])')) continue;
        const r = el.getBoundingClientRect();
        if (r.width > 0 && (r.right > w + 1 || r.left < -1)) out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
        if (out.length > 5) break;
      }
      return out;
    }""")


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_nothing_is_wider_than_the_viewport(view, shot, layout_server, size, lang):
    pg = view(size, lang)
    events = api(layout_server, "/api/events?limit=100")["events"]
    long_report = next(e for e in events if e["notes"] == "Clash 43 in Aden.")["report_ids"][0]
    pages = {"map": "/", "timeline": "/timeline", "events": "/events", "event": f"/event/{events[0]['id']}",
             "report": f"/report/{long_report}", "status": "/status", "ingest": "/ingest", "reports": "/reports"}
    for name, path in pages.items():
        pg.goto(f"{layout_server.url}{path}{'&' if '?' in path else '?'}lang={lang}")
        if name == "map":
            wait_map(pg)
        elif name == "timeline":
            pg.wait_for_selector("body[data-chart-ready]", state="attached", timeout=20000)
        assert overflow(pg) == [], (name, size, lang)
        shot(pg, f"layout-{name}-{size}-{lang}")
    if size == "phone":
        # The header and the folded filters leave the map most of the screen.
        pg.goto(f"{layout_server.url}/?lang={lang}")
        wait_map(pg)
        top = pg.evaluate("() => document.getElementById('map').getBoundingClientRect().top")
        assert top < 0.2 * SIZES[size][1], top
        assert not pg.locator("#filter-box").evaluate("d => d.open")
    assert not pg.js_errors


def test_stacked_markers_fan_out_and_each_is_reachable(view, shot, layout_server):
    pg = view("desktop", "en")
    pg.goto(f"{layout_server.url}/?lang=en")
    wait_map(pg)
    stacked = {e["id"] for e in api(layout_server, "/api/events?limit=100")["events"]
               if (e["latitude"], e["longitude"]) == ADEN}
    assert len(stacked) == 12
    pg.evaluate(f"() => {{ window.marsadMap.setView([{ADEN[0]}, {ADEN[1]}], 18, {{animate: false}}); }}")
    time.sleep(0.5)
    cluster = pg.locator(".ev-cluster").first
    cluster.wait_for(timeout=10000)
    assert cluster.inner_text().strip() == "12"
    # At the deepest zoom a click on the cluster fans it out (spiderfy).
    for _ in range(3):
        cluster.click()
        end = time.monotonic() + 4
        while pg.locator("path.ev-marker").count() < 12 and time.monotonic() < end:
            time.sleep(0.1)
        if pg.locator("path.ev-marker").count() >= 12:
            break
    time.sleep(0.4)   # the fan-out animation
    markers = pg.locator("path.ev-marker")
    ids = {int(markers.nth(i).get_attribute("data-event-id")) for i in range(markers.count())}
    assert stacked <= ids
    boxes = {(round(b["x"]), round(b["y"])) for b in (markers.nth(i).bounding_box() for i in range(markers.count()))}
    assert len(boxes) >= 12
    # Every one of them is the topmost thing at its centre, so a click reaches it.
    for eid in stacked:
        b = pg.locator(f'path.ev-marker[data-event-id="{eid}"]').bounding_box()
        x, y = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
        top = pg.evaluate(f"() => {{ const e = document.elementFromPoint({x}, {y}); return e && e.getAttribute('data-event-id'); }}")
        assert top == str(eid), (eid, top)
    shot(pg, "layout-spiderfied")
    b = pg.locator(f'path.ev-marker[data-event-id="{sorted(stacked)[5]}"]').bounding_box()
    pg.mouse.click(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
    pg.locator(".leaflet-popup-content").wait_for(timeout=10000)
    assert pg.locator(f'.card[data-event-id="{sorted(stacked)[5]}"]').count() == 1, pg.inner_text(".leaflet-popup-content")
    shot(pg, "layout-spiderfied-card")
    assert not pg.js_errors


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_legend_never_covers_a_popup(view, shot, layout_server, size, lang):
    pg = view(size, lang)
    pg.goto(f"{layout_server.url}/?lang={lang}")
    wait_map(pg)
    outlier = next(e for e in api(layout_server, "/api/events?min_fatalities=1000")["events"])
    pg.evaluate(f"() => {{ window.marsadMap.setView([{outlier['latitude']}, {outlier['longitude']}], 16, {{animate: false}}); }}")
    marker = pg.locator(f'path.ev-marker[data-event-id="{outlier["id"]}"]')
    marker.wait_for(timeout=10000)
    assert "ev-outlier" in marker.get_attribute("class")          # flagged on the map
    marker.click(force=True)
    popup = pg.locator(".leaflet-popup-content-wrapper")
    popup.wait_for(timeout=10000)
    card = pg.locator(".card")
    assert "⚠" in card.inner_text()
    assert card.get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    time.sleep(0.4)   # the popup's pan
    pb = popup.bounding_box()
    link = pg.locator(".card a.open").bounding_box()
    legend = pg.locator("#legend")
    if legend.is_visible():
        lb = legend.bounding_box()
        apart = lb["x"] >= pb["x"] + pb["width"] or pb["x"] >= lb["x"] + lb["width"] or \
            lb["y"] >= pb["y"] + pb["height"] or pb["y"] >= lb["y"] + lb["height"]
        assert apart, (lb, pb)
    w, h = SIZES[size]
    assert 0 <= link["x"] and link["x"] + link["width"] <= w and link["y"] + link["height"] <= h
    shot(pg, f"layout-popup-{size}-{lang}")
    assert not pg.js_errors


def test_timeline_axis_is_the_chosen_range_and_a_bar_lists_its_events(view, shot, layout_server):
    pg = view("desktop", "en")
    pg.goto(f"{layout_server.url}/timeline?lang=en")
    pg.wait_for_selector("body[data-chart-ready]", state="attached", timeout=20000)
    first, last = pg.get_attribute("body", "data-chart-range").split("/")
    assert first >= "2015-07-01" and last == "2015-08-12"           # the 2001 event does not stretch it
    assert "outside this range" in pg.inner_text("#range-note")
    pg.goto(f"{layout_server.url}/timeline?lang=en&date_from=2015-06-01&date_to=2015-09-30")
    pg.wait_for_selector("body[data-chart-ready]", state="attached", timeout=20000)
    assert pg.get_attribute("body", "data-chart-range") == "2015-06-01/2015-09-30"
    assert pg.get_attribute("body", "data-chart-ready") == "122"
    # Click the bar of 2015-07-20 (the day of the war-wide toll).
    box = pg.locator("#chart").bounding_box()
    area = pg.evaluate("""() => { const c = Chart.getChart('chart'); const x = c.scales.x;
        return [x.getPixelForValue(c.data.labels.indexOf('2015-07-20')), c.scales.y.getPixelForValue(0.5)]; }""")
    pg.mouse.click(box["x"] + area[0], box["y"] + area[1] - 2)
    pg.wait_for_selector("body[data-day-list='2015-07-20']", state="attached", timeout=10000)
    text = pg.inner_text("#day-list")
    assert "2015-07-20" in text and "outlier" in text
    shot(pg, "layout-timeline-range-day")
    assert not pg.js_errors


def test_arabic_labels_for_coded_values(view, shot, layout_server):
    pg = view("desktop", "ar")
    pg.goto(f"{layout_server.url}/events?lang=ar")
    body = pg.inner_text("main")
    for english in ("Armed clash", "Ansar Allah (Houthis)", "Popular Resistance (Yemen)", "Yemen"):
        assert english not in body, english
    for arabic in ("اشتباك مسلح", "الحوثي", "اليمن", "شاذة", "المحافظة فقط"):
        assert arabic in body, arabic
    ev = api(layout_server, "/api/events?limit=1")["events"][0]
    pg.goto(f"{layout_server.url}/event/{ev['id']}?lang=ar")
    fields = pg.inner_text("dl.fields")
    assert "اشتباك مسلح" in fields and "جماعة متمردة" in fields and "ميليشيا سياسية" in fields
    shot(pg, "layout-event-arabic", full_page=True)
    assert not pg.js_errors


def test_summary_rows_and_the_time_slider_filter_the_view(view, shot, layout_server):
    pg = view("desktop", "en")
    pg.goto(f"{layout_server.url}/timeline?lang=en")
    pg.wait_for_selector("#summary[data-ready='1']", state="attached", timeout=20000)
    total = pg.inner_text("#sum-total")
    assert total.startswith("24 events") and "300,000" in total            # outliers counted apart
    pg.click(".sum-group[data-group='country'] a")
    pg.wait_for_url("**country=YE**", timeout=10000)
    pg.wait_for_selector("body[data-chart-ready]", state="attached", timeout=20000)
    # Drag the slider's first handle to the start of August: the view reloads on that range.
    pg.wait_for_selector("#slider:not([hidden])", timeout=10000)
    pg.evaluate("""() => { const s = document.getElementById('slide-from');
        const first = new Date('2001-09-11T00:00:00Z'), aug = new Date('2015-08-01T00:00:00Z');
        s.value = String(Math.round((aug - first) / 86400000)); s.dispatchEvent(new Event('change')); }""")
    pg.wait_for_url("**date_from=2015-08-01**", timeout=10000)
    pg.wait_for_selector("body[data-chart-ready]", state="attached", timeout=20000)
    assert pg.get_attribute("body", "data-chart-range").startswith("2015-08-01/")
    shot(pg, "layout-timeline-slider")
    assert not pg.js_errors
