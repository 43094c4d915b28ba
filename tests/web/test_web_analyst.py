"""What an analyst uses all day, over the JSON API and the pages: export for the current filter,
the summary, filters with several values and names in both languages, the timeline's range,
outlier tolls flagged, approximate places marked, and Arabic labels for coded values."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from marsad.store import open_store
from marsad.store.export import ACLED_COLUMNS
from marsad.web.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client(demo_store):
    with TestClient(create_app(demo_store), raise_server_exceptions=False) as c:
        yield c


def total(client, params) -> int:
    r = client.get("/api/events", params=params)
    assert r.status_code == 200, r.text
    return r.json()["total"]


# -- export ------------------------------------------------------------------------------------

def test_export_csv_round_trips_through_a_csv_reader(client):
    r = client.get("/api/export", params={"format": "acled-csv", "country": "SY"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(csv.reader(io.StringIO(r.text)))[0] == ACLED_COLUMNS     # the header `marsad export` writes
    events = client.get("/api/events", params={"country": "SY", "limit": 1000}).json()["events"]
    assert len(rows) == len(events) > 0
    assert {row["event_id_cnty"] for row in rows} == {f"SYR{e['id']}" for e in events}
    assert all(row["country"] == "Syria" for row in rows)
    by_id = {f"SYR{e['id']}": e for e in events}
    for row in rows:
        assert row["fatalities"] == str(by_id[row["event_id_cnty"]]["fatalities"] or 0)


def test_export_geojson_and_jsonl_follow_the_filters(client):
    n = total(client, {"event_type": "Battles"})
    gj = client.get("/api/export", params={"format": "geojson", "event_type": "Battles"}).json()
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == n
    lines = client.get("/api/export", params={"format": "jsonl", "event_type": "Battles"}).text.splitlines()
    recs = [json.loads(x) for x in lines]
    assert len(recs) == n and all(r["event_type"] == "Battles" and r["evidence"] for r in recs)
    assert client.get("/api/export", params={"format": "xls"}).status_code == 400
    assert client.get("/api/export", params={"country": "Atlantis"}).status_code == 400


def test_export_buttons_carry_the_current_filter(client):
    for path in ("/", "/events", "/timeline"):
        html = client.get(path, params={"country": "SY", "lang": "en"}).text
        assert 'href="/api/export?country=SY&amp;format=acled-csv"' in html, path


# -- summary -----------------------------------------------------------------------------------

def test_summary_groups_add_up_and_each_row_is_a_filter(client):
    s = client.get("/api/summary").json()
    n = total(client, {})
    assert s["total"] == n == sum(r["events"] for r in s["event_type"])
    for key, param in (("country", "country"), ("admin1", "admin1"), ("event_type", "event_type"),
                       ("actor", "actor"), ("location", "location")):
        assert s[key], key
        row = s[key][0]
        assert total(client, {param: row["value"]}) >= row["events"] > 0
    syria = next(r for r in s["country"] if r["value"] == "SY")
    assert (syria["label"], syria["label_ar"]) == ("Syria", "سوريا")
    only = client.get("/api/summary", params={"country": "SY"}).json()
    assert only["total"] == syria["events"] and [r["value"] for r in only["country"]] == ["SY"]


# -- filters -----------------------------------------------------------------------------------

def test_several_values_per_filter(client):
    sy, iq, ye = (total(client, {"country": c}) for c in ("SY", "IQ", "YE"))
    assert sy and iq and ye
    assert total(client, [("country", "SY"), ("country", "IQ")]) == sy + iq
    assert total(client, {"country": "SY, IQ,YE"}) == sy + iq + ye
    b, e = total(client, {"event_type": "Battles"}), total(client, {"event_type": "Explosions/Remote violence"})
    assert total(client, [("event_type", "Battles"), ("event_type", "Explosions/Remote violence")]) == b + e


def test_country_and_actor_by_arabic_or_english_name(client):
    sy = total(client, {"country": "SY"})
    assert total(client, {"country": "Syria"}) == total(client, {"country": "سوريا"}) == total(client, {"country": "sy"}) == sy
    houthi = total(client, {"actor": "Ansar Allah"})
    assert houthi >= 1
    assert total(client, {"actor": "الحوثي"}) == houthi == total(client, {"actor": "houthi"})
    assert total(client, {"admin1": "حمص"}) == total(client, {"admin1": "SY-HI"}) >= 1
    found = client.get("/api/actors", params={"q": "الحوثي"}).json()["actors"]
    assert [a["name"] for a in found] == ["Ansar Allah (Houthis)"] and found[0]["name_ar"] == "الحوثي"


def test_fatalities_category_precision_confidence_filters(client):
    events = client.get("/api/events", params={"limit": 1000}).json()["events"]
    assert total(client, {"min_fatalities": 5}) == sum(1 for e in events if (e["fatalities"] or 0) >= 5)
    assert total(client, {"inter": 7}) == sum(1 for e in events if 7 in (e["inter1"], e["inter2"]))
    assert total(client, {"interaction": "17"}) == sum(
        1 for e in events if sorted(x for x in (e["inter1"], e["inter2"]) if x) == [1, 7])
    assert total(client, {"geo_precision": "1"}) == sum(1 for e in events if e["geo_precision"] == 1)
    assert total(client, {"min_confidence": 0.8}) == sum(1 for e in events if (e["confidence"] or 0) >= 0.8)


# -- a store with a stray date and a war-wide toll ------------------------------------------------

def coded(i: int, day: str, fatalities: int, geo_precision: int = 1, admin1: str = "SY-HL",
          place: tuple[str, float, float] | None = None) -> tuple[dict, dict]:
    """A report and its coded output as `marsad extract` writes them (loaded with load_result)."""
    text = f"قصفت قوات النظام بلدة رقم {i} في ريف حلب، ما أدى إلى مقتل {fatalities} مدنيين."
    ev = {"event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
          "event_date": day, "time_precision": 1, "country_code": "SY", "admin1_code": admin1,
          "location": f"Village {i}", "location_ar": f"بلدة رقم {i}", "latitude": 35.5 + (i % 20) / 10,
          "longitude": 36.5 + (i // 20) / 2,   # villages kilometres apart: distinct incidents, never linked
          "geo_precision": geo_precision, "actor1": "Military Forces of Syria", "inter1": 1,
          "actor2": "Civilians (Syria)", "inter2": 7, "fatalities": fatalities, "weapons": [], "sources": [],
          "notes": "test", "confidence": 0.8, "evidence": [{"start": 0, "end": 4, "field": "event", "text": text[:4]}]}
    if place:   # a governorate-level place: its name and seat
        ev["location"], ev["latitude"], ev["longitude"] = place
    return ({"id": f"c{i}", "text": text, "published": day}, {"id": f"c{i}", "events": [ev]})


@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    path = tmp_path_factory.mktemp("crafted") / "c.db"
    store = open_store(path)
    pairs = [coded(i, f"2015-08-{1 + i % 20:02d}", 3 + i % 7) for i in range(40)]
    pairs.append(coded(100, "2001-09-11", 2))                     # a stray date
    pairs.append(coded(101, "2015-08-05", 300_000))               # a war-wide toll coded as one event
    # only the governorate is known (another one: the linking would nest it in a same-day village)
    pairs.append(coded(102, "2015-08-06", 4, geo_precision=3, admin1="SY-ID", place=("Idlib", 35.93, 36.63)))
    store.load_results(pairs)
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        yield c
    store.close()


def test_timeline_axis_is_the_chosen_range_not_the_data(crafted):
    d = crafted.get("/api/stats").json()
    assert d["buckets"][0] == "2015-08-01" and d["buckets"][-1] == "2015-08-20"   # the 2001 event does not stretch it
    assert d["outside"] == 1 and d["data_range"] == ["2001-09-11", "2015-08-20"]
    d = crafted.get("/api/stats", params={"date_from": "2015-07-01", "date_to": "2015-09-30"}).json()
    assert d["buckets"][0] == "2015-07-01" and d["buckets"][-1] == "2015-09-30" and len(d["buckets"]) == 92
    w = crafted.get("/api/stats", params={"date_from": "2015-07-01", "date_to": "2015-09-30", "interval": "week"}).json()
    assert w["buckets"][0] == "2015-06-29" and w["buckets"][-1] == "2015-09-28"


def test_outlier_tolls_are_flagged_and_left_out_of_totals(crafted):
    events = crafted.get("/api/events", params={"limit": 100}).json()["events"]
    big = next(e for e in events if e["fatalities"] == 300_000)
    assert big["outlier"] and not any(e["outlier"] for e in events if e is not big)
    one = crafted.get(f"/api/events/{big['id']}").json()
    assert one["outlier"] is True
    normal = sum(e["fatalities"] for e in events if e is not big)
    s = crafted.get("/api/summary").json()
    assert s["fatalities"] == normal and s["outlier_events"] == 1 and s["outlier_fatalities"] == 300_000
    assert s["country"][0]["fatalities"] == normal
    t = crafted.get("/api/stats").json()
    assert t["total_fatalities"] == normal and t["outlier_fatalities"] == 300_000
    m = crafted.get("/api/map").json()
    flags = {p[0]: p[6] for p in m["points"]}
    assert flags[big["id"]] & 1 and sum(1 for f in flags.values() if f & 1) == 1
    assert "⚠" in crafted.get("/events", params={"lang": "en", "min_fatalities": 1000}).text
    page = crafted.get(f"/event/{big['id']}", params={"lang": "en"}).text
    assert "Outlier toll" in page and "300,000" in page


def test_governorate_level_places_are_approximate(crafted):
    events = crafted.get("/api/events", params={"geo_precision": 3}).json()["events"]
    assert len(events) == 1
    m = crafted.get("/api/map").json()
    assert {p[0] for p in m["points"] if p[6] & 2} == {events[0]["id"]}
    page = crafted.get(f"/event/{events[0]['id']}", params={"lang": "en"}).text
    assert "Approximate place" in page and 'data-approx="1"' in page


# -- Arabic labels and number formats ------------------------------------------------------------

def test_arabic_event_page_labels_every_coded_value(client):
    ev = client.get("/api/events", params={"q": "كفرنبل"}).json()["events"][0]
    html = client.get(f"/event/{ev['id']}", params={"lang": "ar"}).text
    for arabic in ("قصف مدفعي/صاروخي", "الجيش السوري", "قوات حكومية", "مدنيون", "سوريا", "إدلب",
                   "البلدة نفسها", "اليوم محدد"):
        assert arabic in html, arabic
    one = client.get(f"/api/events/{ev['id']}").json()
    assert one["labels_ar"]["sub_event_type"] == "قصف مدفعي/صاروخي"
    assert one["labels_ar"]["actor1"] == "الجيش السوري" and one["labels_ar"]["inter2"] == "مدنيون"


def test_status_page_has_no_raw_keys_in_arabic(client):
    html = client.get("/status", params={"lang": "ar"}).text
    for key in ("reports_with_extractor_error", "coded_events", "merged_events", "size_bytes"):
        assert f">{key}<" not in html
    assert "تقارير فيها خطأ استخراج" in html


def test_numbers_are_formatted(crafted):
    html = crafted.get("/events", params={"lang": "en"}).text
    assert "300,000" in html and "300000" not in html.replace('value="300000"', "")
