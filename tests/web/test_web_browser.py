"""The pages in real headless Chromium against a real `marsad serve` on 127.0.0.1 over the demo
store. Screenshots go to test-artifacts/web/."""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import urllib.request

import pytest

pytestmark = pytest.mark.browser


def api(server, path, **params):
    url = server.url + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


def wait_until(cond, timeout=15.0):
    """Poll a condition (the pages' CSP forbids Playwright's eval-based wait_for_function)."""
    end = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.1)


def open_map(page, server, query=""):
    page.goto(f"{server.url}/{query}")
    page.wait_for_selector("body[data-map-ready]", state="attached", timeout=15000)
    page.wait_for_selector("body[data-outlines-ready='1']", state="attached", timeout=15000)
    assert page.get_attribute("body", "data-map-ready") != "error", page.inner_text("#map-status")


def marker_ids(page) -> set[int]:
    """Events on the map: every marker in the cluster layer, drawn or inside a cluster."""
    return set(page.evaluate("() => window.marsadClusters.getLayers().map(m => m.eventId)"))


def test_map_shows_the_khalidiya_marker_in_homs(page, shot, server, khalidiya_event):
    open_map(page, server, "?lang=en")
    kid = khalidiya_event["id"]
    assert kid in marker_ids(page)
    # Zoom to Homs: the marker is drawn there, unclustered, coloured as a battle.
    page.evaluate("() => { window.marsadMap.setView([34.73, 36.71], 12, {animate: false}); }")
    marker = page.locator(f'path.ev-marker[data-event-id="{kid}"]')
    marker.wait_for(state="visible", timeout=10000)
    assert marker.get_attribute("data-event-type") == khalidiya_event["event_type"]
    box = marker.bounding_box()
    centre = page.evaluate("(() => { const p = window.marsadMap.latLngToContainerPoint([34.73, 36.71]);"
                           " const r = document.getElementById('map').getBoundingClientRect();"
                           " return [p.x + r.left, p.y + r.top]; })()")
    # Within ~2 km of Homs city centre at zoom 12 (~38 m/pixel).
    assert abs(box["x"] + box["width"] / 2 - centre[0]) < 60 and abs(box["y"] + box["height"] / 2 - centre[1]) < 60
    marker.click()
    card = page.locator(f'.card[data-event-id="{kid}"]')
    card.wait_for(timeout=10000)
    text = card.inner_text()
    assert khalidiya_event["location"] in text and khalidiya_event["actor1"] in text
    assert card.locator("a.open").get_attribute("href") == f"/event/{kid}"
    shot(page, "map-khalidiya-card")
    assert not page.js_errors


def test_map_overview_clusters_and_legend(page, shot, server):
    open_map(page, server, "?lang=en")
    total = api(server, "/api/events", limit=1)["total"]
    status = page.inner_text("#map-status")
    assert re.match(rf"^{total} events shown", status), status
    page.evaluate("() => { window.marsadMap.setView([30, 40], 3, {animate: false}); }")
    page.wait_for_selector(".ev-cluster", timeout=10000)      # dense at this zoom: clustered
    assert page.locator(".legend-type").count() == 6
    shot(page, "map-overview")
    assert not page.js_errors


def test_filter_by_type_keeps_it_in_the_url(page, shot, server, khalidiya_event):
    open_map(page, server, "?lang=en")
    other = next(t for t in api(server, "/api/stats")["types"] if t != khalidiya_event["event_type"])
    page.click("details.multi:has(input[name=event_type]) > summary")
    page.check(f'input[name=event_type][value="{other}"]')
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r"event_type="), timeout=10000)
    page.wait_for_selector("body[data-map-ready][data-outlines-ready='1']", state="attached", timeout=15000)
    query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    assert query == {"event_type": [other]}                   # empty fields stay out of the URL
    expected = {e["id"] for e in api(server, "/api/events", event_type=other, limit=1000)["events"]
                if e["latitude"] is not None}
    assert marker_ids(page) == expected and khalidiya_event["id"] not in expected
    shot(page, "map-filtered-by-type")
    # The same filter is carried to the timeline and back.
    page.click("header nav a[href^='/timeline']")
    page.wait_for_selector("body[data-chart-ready]", state="attached", timeout=15000)
    assert f"event_type={urllib.parse.quote_plus(other)}" in page.url
    assert page.locator(f'input[name=event_type][value="{other}"]').is_checked()
    # The legend's own link filters by the Khalidiya event's type.
    open_map(page, server, "?lang=en")
    page.click(f'.legend-type[data-type="{khalidiya_event["event_type"]}"]')
    page.wait_for_url(re.compile(r"event_type="), timeout=10000)
    page.wait_for_selector("body[data-map-ready]", state="attached", timeout=15000)
    assert khalidiya_event["id"] in marker_ids(page)
    assert not page.js_errors


def test_event_page_highlights_the_evidence(page, shot, server, khalidiya_event):
    kid = khalidiya_event["id"]
    page.goto(f"{server.url}/event/{kid}?lang=en")
    text = page.locator(".report-text").first
    assert "حي الخالدية" in text.inner_text()
    marks = page.locator(".report-text mark.hl")
    assert marks.count() >= 3
    groups = set(page.eval_on_selector_all(".report-text mark.hl", "ms => ms.flatMap(m => Array.from(m.classList))"))
    assert {"hl-event", "hl-actor"} <= groups
    actor_words = " ".join(page.locator(".report-text mark.hl-actor").all_inner_texts())
    assert "الجيش الحر" in actor_words
    assert page.locator(".report-text").first.get_attribute("dir") == "rtl"
    page.wait_for_selector("body[data-event-map-ready]", state="attached", timeout=15000)   # the place, mapped
    shot(page, "event-khalidiya-evidence", full_page=True)
    # Switching a field off removes its colour, and only that field's.
    before = page.eval_on_selector(".report-text mark.hl-actor", "m => getComputedStyle(m).backgroundColor")
    page.uncheck('.hl-legend input[data-group="actor"]')
    after = page.eval_on_selector(".report-text mark.hl-actor:not(.hl-event)", "m => getComputedStyle(m).backgroundColor")
    assert before != after and after in ("rgba(0, 0, 0, 0)", "transparent")
    assert not page.js_errors


def test_report_text_with_markup_is_shown_as_text(page, shot, server):
    found = api(server, "/api/reports", q="كفرنبل")["reports"]
    assert found
    page.goto(f"{server.url}/report/{found[0]['id']}?lang=en")
    text = page.locator(".report-text").inner_text()
    assert "<script>alert('x')</script>" in text and "<img src=x onerror=alert(2)>" in text
    assert page.locator(".report-text script, .report-text img, .report-text b").count() == 0
    assert page.locator(".report-text mark.hl").count() >= 2   # coded and highlighted all the same
    # The source name "<b>...</b>" is text too, on the event page and in the card.
    ev_id = api(server, "/api/events", q="كفرنبل")["events"][0]["id"]
    page.goto(f"{server.url}/event/{ev_id}?lang=en")
    assert page.locator("article b").count() == 0
    shot(page, "report-with-markup", full_page=True)
    assert page.dialogs == [] and not page.js_errors


def test_timeline_draws_per_day_and_week(page, shot, server):
    page.goto(f"{server.url}/timeline?lang=en")
    page.wait_for_selector("body[data-chart-ready]", state="attached", timeout=15000)
    days = int(page.get_attribute("body", "data-chart-ready"))
    assert days > 0
    page.click("[data-interval=week]")
    wait_until(lambda: int(page.get_attribute("body", "data-chart-ready")) < days)
    assert "interval=week" in page.url
    page.click("[data-metric=fatalities]")
    assert "metric=fatalities" in page.url
    assert page.inner_text("#chart-status").startswith("Fatalities")
    shot(page, "timeline-week-fatalities")
    assert not page.js_errors


def test_arabic_interface_is_right_to_left(page, shot, server):
    page.goto(f"{server.url}/?lang=ar")
    page.wait_for_selector("body[data-map-ready]", state="attached", timeout=15000)
    assert page.get_attribute("html", "dir") == "rtl" and page.get_attribute("html", "lang") == "ar"
    assert "الخريطة" in page.inner_text("header nav")
    assert page.get_attribute("#map", "dir") == "ltr"
    shot(page, "map-arabic")
    # The choice is remembered.
    page.goto(f"{server.url}/status")
    assert page.get_attribute("html", "dir") == "rtl"
    shot(page, "status-arabic")


def test_ingest_from_the_browser(page, shot, fresh_db, make_server):
    srv = make_server(fresh_db)
    page.goto(f"{srv.url}/ingest?lang=en")
    page.fill("textarea[name=text]", "قصفت طائرات النظام السوري مدينة دوما في ريف دمشق اليوم، ما أدى إلى "
                                     "مقتل 7 مدنيين بحسب ناشطين.")
    page.fill("input[name=published]", "2015-08-16")
    page.click("form.ingest button[type=submit]")
    page.wait_for_url(re.compile(r"/report/\d+\?coded=new"), timeout=30000)
    assert page.locator(".coded-events li").count() >= 1
    assert page.locator(".report-text mark.hl").count() >= 2
    shot(page, "ingest-coded")
    page.goto(f"{srv.url}/ingest?lang=en")
    page.fill("textarea[name=text]", "English only")
    page.click("form.ingest button[type=submit]")
    page.wait_for_load_state()
    assert "not Arabic" in page.inner_text("main")
    page.goto(f"{srv.url}/status?lang=en")
    assert "not Arabic" in page.inner_text("table.failures")
    shot(page, "status-failures")
    assert not page.js_errors
