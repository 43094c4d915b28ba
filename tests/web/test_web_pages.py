"""The HTML pages as served (TestClient over the demo store): content, escaping, filters kept in
links, languages, and errors shown as pages without stack traces."""

from __future__ import annotations

import html as htmllib
import re

import pytest
from fastapi.testclient import TestClient

from marsad.web.app import create_app


@pytest.fixture(scope="module")
def client(demo_store):
    with TestClient(create_app(demo_store), raise_server_exceptions=False) as c:
        yield c


def script_event(client):
    return client.get("/api/events", params={"q": "كفرنبل"}).json()["events"][0]


def test_every_page_answers(client):
    ev = client.get("/api/events", params={"limit": 1}).json()["events"][0]
    for path in ("/", "/timeline", "/events", f"/event/{ev['id']}", f"/report/{ev['report_ids'][0]}",
                 "/reports", "/status", "/ingest", "/api"):
        r = client.get(path, params={"lang": "en"})
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        assert "Content-Security-Policy" in r.headers and "script-src 'self'" in r.headers["Content-Security-Policy"]


def test_no_page_loads_anything_from_elsewhere(client):
    for path in ("/", "/timeline"):
        html = client.get(path).text
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert url.startswith(("/", "?", "#")), f"{path} loads {url}"


def test_report_markup_is_escaped_in_pages(client):
    ev = script_event(client)
    for path in (f"/event/{ev['id']}", f"/report/{ev['report_ids'][0]}"):
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>مصدر</b>" not in html
        shown = htmllib.unescape(re.sub(r"<[^>]+>", "", html.split('<div class="report-text"', 1)[1]))
        assert "<script>alert('x')</script>" in shown and "<img src=x onerror=alert(2)>" in shown


def test_event_page_marks_evidence_spans_exactly(client, demo_store):
    ev = script_event(client)
    full = client.get(f"/api/events/{ev['id']}").json()
    html = client.get(f"/event/{ev['id']}").text
    marked = re.findall(r'<mark class="hl ([^"]+)" data-fields="([^"]*)"[^>]*>(.*?)</mark>', html, re.S)
    assert marked
    # Every evidence span's text is covered by marks carrying its field.
    for sp in full["reports"][0]["evidence"]:
        covered = "".join(htmllib.unescape(text) for _, fields, text in marked if sp["field"] in fields.split())
        assert htmllib.unescape(sp["text"]) in covered or sp["text"] in covered, sp


def test_filters_are_kept_in_links_and_forms(client):
    html = client.get("/", params={"country": "sy", "event_type": "Battles", "lang": "en"}).text
    assert 'href="/timeline?country=SY&amp;event_type=Battles"' in html
    assert 'href="/events?country=SY&amp;event_type=Battles"' in html
    assert 'data-api="/api/map?country=SY&amp;event_type=Battles"' in html
    assert 'name="event_type" value="Battles" checked' in html
    assert 'name="country" list="dl-country"' in html and 'value="SY"' in html
    # Several values, by name in either language: kept as codes.
    html = client.get("/events", params=[("country", "Syria, العراق"), ("event_type", "Battles"),
                                         ("event_type", "Protests"), ("lang", "en")]).text
    assert 'href="/timeline?country=SY&amp;country=IQ&amp;event_type=Battles&amp;event_type=Protests"' in html
    assert 'value="SY, IQ"' in html


def test_bad_filter_on_a_page_is_a_notice(client):
    r = client.get("/events", params={"date_from": "2015-99-01", "lang": "en"})
    assert r.status_code == 400
    assert "date_from: not a YYYY-MM-DD date" in r.text and "Traceback" not in r.text
    assert '<form class="filters"' in r.text                  # the page is still usable


def test_events_list_pages_and_filters(client):
    total = client.get("/api/events").json()["total"]
    html = client.get("/events", params={"lang": "en"}).text
    assert f'<strong id="total">{total}</strong>' in html
    assert html.count('<a href="/event/') == total              # fewer than a page
    html = client.get("/events", params={"event_type": "Protests", "lang": "en"}).text
    protests = client.get("/api/events", params={"event_type": "Protests"}).json()["total"]
    assert f'<strong id="total">{protests}</strong>' in html


def test_reports_list_and_search(client):
    total = client.get("/api/reports").json()["total"]
    html = client.get("/reports", params={"lang": "en"}).text
    assert f'<strong id="total">{total}</strong>' in html and html.count('<a href="/report/') == total
    html = client.get("/reports", params={"q": "بغداد", "lang": "en"}).text
    assert '<strong id="total">1</strong>' in html and "w-baghdad" in html


def test_languages(client):
    ar = client.get("/", params={"lang": "ar"})
    assert '<html lang="ar" dir="rtl">' in ar.text and "الخريطة" in ar.text
    assert "lang=ar" in ar.headers.get("set-cookie", "")
    # Remembered in the cookie; the English switch is offered.
    again = client.get("/status")
    assert '<html lang="ar" dir="rtl">' in again.text and ">English</a>" in again.text
    en = client.get("/status", params={"lang": "en"})
    assert '<html lang="en" dir="ltr">' in en.text
    # Without a choice, the browser's language decides.
    fresh = TestClient(client.app)
    assert 'dir="rtl"' in fresh.get("/", headers={"Accept-Language": "ar-SY,ar;q=0.9"}).text
    assert 'dir="ltr"' in fresh.get("/", headers={"Accept-Language": "en-GB"}).text
    # Report text stays right-to-left in the English interface.
    ev = script_event(client)
    assert '<div class="report-text" lang="ar" dir="rtl">' in client.get(f"/event/{ev['id']}?lang=en").text


def test_missing_things_are_404_pages(client):
    for path in ("/event/987654", "/report/987654", "/no/such/page"):
        r = client.get(path, params={"lang": "en"})
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
        assert "Not found" in r.text and "Traceback" not in r.text
    assert client.get("/event/notanumber").status_code == 400


def test_status_page_lists_failures(client):
    html = client.get("/status", params={"lang": "en"}).text
    assert "w-english" in html and "text is not Arabic" in html


def test_api_page_lists_endpoints(client):
    html = client.get("/api").text
    for path in ("/api/events", "/api/events.geojson", "/api/stats", "/api/ingest", "/openapi.json"):
        assert path in html


def test_static_files_are_precompressed_and_cached(client):
    r = client.get("/static/vendor/outlines/countries.geojson", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    assert r.json()["type"] == "FeatureCollection" and len(r.json()["features"]) > 150
    assert "max-age" in r.headers["cache-control"]
    plain = client.get("/static/vendor/outlines/admin1.geojson", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    homs = [f for f in plain.json()["features"] if f["properties"]["hasc"] == "SY.HI"]
    assert homs and homs[0]["properties"]["country"] == "syr"
    assert client.get("/static/map.js").headers["cache-control"] == "no-cache"
    assert client.get("/static/../app.py").status_code == 404
