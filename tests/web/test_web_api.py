"""The JSON API over a real SQLite store coded by the real extractor: every endpoint, its
filters and pagination, and clear 4xx answers (never a stack trace) for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.store import open_store
from marsad.web.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CONTRACT_FIELDS = {"event_type", "sub_event_type", "plover_type", "event_date", "time_precision",
                   "country_code", "admin1_code", "location", "location_ar", "latitude", "longitude",
                   "geo_precision", "actor1", "inter1", "actor2", "inter2", "fatalities", "weapons",
                   "sources", "notes", "confidence"}


@pytest.fixture(scope="module")
def client(demo_store):
    with TestClient(create_app(demo_store), raise_server_exceptions=False) as c:
        yield c


def error_of(r, status):
    assert r.status_code == status, r.text
    body = r.json()
    assert isinstance(body.get("error"), str) and body["error"]
    assert "Traceback" not in r.text
    return body["error"]


def all_events(client, **params):
    r = client.get("/api/events", params={"limit": 1000, **params})
    assert r.status_code == 200, r.text
    return r.json()


# -- events ------------------------------------------------------------------------------------

def test_events_have_contract_fields_ids_and_sources(client):
    body = all_events(client)
    assert body["total"] == len(body["events"]) >= 6
    for ev in body["events"]:
        assert CONTRACT_FIELDS <= set(ev), CONTRACT_FIELDS - set(ev)
        assert isinstance(ev["id"], int)
        assert ev["report_ids"] and isinstance(ev["sources"], list)
    assert any(e["sources"] for e in body["events"])
    ids = [e["id"] for e in body["events"]]
    assert len(ids) == len(set(ids))


def test_khalidiya_event_is_in_homs(client, khalidiya_event):
    kh = client.get(f"/api/events/{khalidiya_event['id']}").json()
    assert kh["admin1_code"] == "SY-HI" and kh["country_code"] == "SY"
    assert abs(kh["latitude"] - 34.73) < 0.2 and abs(kh["longitude"] - 36.71) < 0.2
    assert "Syrian Observatory for Human Rights" in kh["sources"]


def pick(events, key):
    """A value of ``key`` that some events have and others lack (so filtering on it means something)."""
    values = [e[key] for e in events if e[key]]
    assert values, f"no event has {key}"
    return max(set(values), key=values.count)


def test_events_filters_narrow_the_list(client):
    everything = all_events(client)["events"]
    dates = sorted(e["event_date"] for e in everything if e["event_date"])
    mid = dates[len(dates) // 2]
    country, admin1, etype = pick(everything, "country_code"), pick(everything, "admin1_code"), pick(everything, "event_type")
    actor = pick(everything, "actor2")
    for params, keep in [
        ({"country": country}, lambda e: e["country_code"] == country),
        ({"country": country.lower()}, lambda e: e["country_code"] == country),     # codes are case-insensitive
        ({"admin1": admin1}, lambda e: e["admin1_code"] == admin1),
        ({"event_type": etype}, lambda e: e["event_type"] == etype),
        ({"date_from": mid}, lambda e: e["event_date"] is not None and e["event_date"] >= mid),
        ({"date_to": mid}, lambda e: e["event_date"] is not None and e["event_date"] <= mid),
        ({"date_from": dates[0], "date_to": dates[0]}, lambda e: e["event_date"] == dates[0]),
        ({"actor": actor[2:9].upper()}, lambda e: actor[2:9].lower() in f"{e['actor1']} {e['actor2']}".lower()),
        ({"event_type": etype, "country": country},
         lambda e: e["event_type"] == etype and e["country_code"] == country),
    ]:
        got = all_events(client, **params)
        expected = [e["id"] for e in everything if keep(e)]
        assert sorted(e["id"] for e in got["events"]) == sorted(expected), params
        assert got["total"] == len(expected)
        assert 0 < len(expected) < len(everything), f"filter {params} should keep some but not all"

def test_events_text_search_is_arabic_normalised(client):
    # "بمدينة بغداد" in one report only; the query word carries a proclitic of its own.
    got = all_events(client, q="وبغداد")
    assert got["total"] >= 1
    rep_ids = {r for e in got["events"] for r in e["report_ids"]}
    assert all("بغداد" in client.get(f"/api/reports/{r}").json()["text"] for r in rep_ids)
    assert all_events(client, q="كلمةغيرموجودة")["total"] == 0


def test_events_pagination(client):
    total = all_events(client)["total"]
    seen = []
    for offset in range(0, total, 2):
        r = client.get("/api/events", params={"limit": 2, "offset": offset}).json()
        assert r["total"] == total and r["limit"] == 2 and r["offset"] == offset
        seen += [e["id"] for e in r["events"]]
    assert len(seen) == len(set(seen)) == total
    assert client.get("/api/events", params={"offset": total + 5}).json()["events"] == []


@pytest.mark.parametrize("params, mentions", [
    ({"date_from": "2015-13-01"}, "date_from"),
    ({"date_to": "yesterday"}, "date_to"),
    ({"date_from": "2015-08-10", "date_to": "2015-08-01"}, "after"),
    ({"country": "Atlantis"}, "country"),
    ({"admin1": "Nowhere-land"}, "admin1"),
    ({"inter": "9"}, "inter"),
    ({"interaction": "1"}, "interaction"),
    ({"min_fatalities": "-3"}, "min_fatalities"),
    ({"min_confidence": "2"}, "min_confidence"),
    ({"event_type": "Massacre"}, "event type"),
    ({"sub_event_type": "Armed clash", "event_type": "Protests"}, "sub-type"),
    ({"limit": "0"}, "limit"),
    ({"limit": "abc"}, "limit"),
    ({"limit": "100000"}, "limit"),
    ({"offset": "-1"}, "offset"),
    ({"q": "x" * 300}, "q"),
])
def test_events_bad_parameters_are_clear_400s(client, params, mentions):
    msg = error_of(client.get("/api/events", params=params), 400)
    assert mentions in msg


def test_geojson(client):
    r = client.get("/api/events.geojson", params={"admin1": "SY-HI"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and fc["total"] == len(fc["features"]) >= 1
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert abs(lat - 34.73) < 0.3 and abs(lon - 36.71) < 0.3          # Homs city
        assert f["properties"]["admin1_code"] == "SY-HI" and "id" in f and "sources" in f["properties"]
    error_of(client.get("/api/events.geojson", params={"date_to": "2015-02-30"}), 400)


def test_map_points(client):
    m = client.get("/api/map").json()
    events = all_events(client)["events"]
    placed = {e["id"]: e for e in events if e["latitude"] is not None}
    assert m["total"] == len(events) and len(m["points"]) == len(placed)
    for pid, lat, lon, t, fat, day, flags in m["points"]:
        ev = placed[pid]
        assert flags == (2 if (ev["geo_precision"] or 0) >= 3 else 0) | (1 if ev["outlier"] else 0)
        assert (lat, lon) == (round(ev["latitude"], 5), round(ev["longitude"], 5))
        assert m["types"][t] == ev["event_type"] and (fat, day) == (ev["fatalities"], ev["event_date"])
        assert m["colours"][t].startswith("#")
    only = client.get("/api/map", params={"event_type": "Battles"}).json()
    assert {only["types"][p[3]] for p in only["points"]} == {"Battles"}


def test_one_event_with_reports_and_evidence(client, demo_store):
    first = all_events(client, admin1="SY-HI", event_type="Battles")["events"][0]
    ev = client.get(f"/api/events/{first['id']}").json()
    assert ev["id"] == first["id"] and ev["reports"]
    rep = ev["reports"][0]
    text = demo_store.get_report(rep["report_id"])["text"]
    fields = set()
    for sp in rep["evidence"]:
        assert text[sp["start"]:sp["end"]] == sp["text"]            # spans point into the report
        fields.add(sp["field"])
    assert "event" in fields and "actor1" in fields
    assert "no event with id 999999" in error_of(client.get("/api/events/999999"), 404)
    assert "event_id" in error_of(client.get("/api/events/abc"), 400)


# -- reports, actors, places, stats, failures, status ----------------------------------------

def test_reports_list_search_and_one(client):
    body = client.get("/api/reports").json()
    assert body["total"] == len(body["reports"]) >= 5
    found = client.get("/api/reports", params={"q": "تعز"}).json()
    assert found["total"] == 1
    rid = found["reports"][0]["id"]
    rep = client.get(f"/api/reports/{rid}").json()
    assert "تعز" in rep["text"] and rep["events"] and rep["events"][0]["evidence"]
    error_of(client.get("/api/reports/424242"), 404)
    error_of(client.get("/api/reports", params={"limit": 5000}), 400)


def test_actors_and_places(client):
    actors = client.get("/api/actors").json()
    names = {a["name"]: a["events"] for a in actors["actors"]}
    events = all_events(client)["events"]
    for name, n in names.items():
        assert n == sum((e["actor1"] == name) + (e["actor2"] == name) for e in events)
    assert names.get("Military Forces of Syria", 0) >= 2
    syria = client.get("/api/actors", params={"q": "SYRIA"}).json()["actors"]
    assert syria and len(syria) < len(names) and all("syria" in a["name"].lower() for a in syria)
    places = client.get("/api/places", params={"admin1": "SY-HI"}).json()["places"]
    assert any(p["location"].startswith("Homs") for p in places)
    assert all(p["admin1_code"] == "SY-HI" for p in places)
    assert client.get("/api/places", params={"country": "سوريا"}).json()["places"] == client.get("/api/places", params={"country": "SY"}).json()["places"]
    error_of(client.get("/api/places", params={"country": "Atlantis"}), 400)
    facets = client.get("/api/facets").json()
    assert {c["code"] for c in facets["countries"]} == {e["country_code"] for e in events if e["country_code"]}
    names = {c["code"]: (c["name"], c["name_ar"]) for c in facets["countries"]}
    assert names.get("SY") == ("Syria", "سوريا")          # the name in use, not the official one
    assert {"code": "SY-HI", "name": "Homs", "name_ar": "حمص"}.items() <= \
        next(a for a in facets["admin1"] if a["code"] == "SY-HI").items()


def test_stats_per_day_and_week(client):
    day = client.get("/api/stats").json()
    dated = [e for e in all_events(client)["events"] if e["event_date"]]
    assert sum(sum(v) for v in day["events"].values()) == len(dated)
    assert len(day["buckets"]) == len(set(day["buckets"]))
    assert day["buckets"] == sorted(day["buckets"])
    week = client.get("/api/stats", params={"interval": "week"}).json()
    assert len(week["buckets"]) < len(day["buckets"])
    assert sum(sum(v) for v in week["fatalities"].values()) == sum(sum(v) for v in day["fatalities"].values())
    sy = client.get("/api/stats", params={"country": "SY"}).json()
    assert sum(sum(v) for v in sy["events"].values()) < len(dated)
    error_of(client.get("/api/stats", params={"interval": "month"}), 400)


def test_failures_and_status(client):
    fails = client.get("/api/failures").json()["failures"]
    english = [f for f in fails if f["record_id"] == "w-english"]
    assert english and "not Arabic" in english[0]["reason"]
    st = client.get("/api/status").json()
    # six synthetic Arabic reports, and the seed report when ../shared is beside the project
    seed = (Path(__file__).resolve().parents[2].parent / "shared" / "examples" / "khalidiya_homs.txt").exists()
    assert st["events"] >= 6 and st["reports"] >= 6 + seed


def test_openapi_describes_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/events.geojson", "/api/events/{event_id}", "/api/reports",
                 "/api/reports/{report_id}", "/api/actors", "/api/places", "/api/stats", "/api/ingest",
                 "/api/upload", "/api/failures"):
        assert path in spec["paths"], path
    params = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"date_from", "date_to", "country", "admin1", "event_type", "actor", "q", "limit", "offset"} <= params
    assert client.get("/docs").status_code == 404          # its page would load a CDN


# -- writing ---------------------------------------------------------------------------------

REPORT = ("اشتباكات عنيفة اليوم بين قوات النظام ومقاتلي الجيش الحر في مدينة درعا، قتل خلالها 6 عناصر "
          "من قوات النظام بحسب المرصد السوري لحقوق الإنسان.")


@pytest.fixture
def write_client(fresh_db):
    store = open_store(fresh_db)
    with TestClient(create_app(store, token="s3cret", max_upload=4096), raise_server_exceptions=False) as c:
        yield c
    store.close()


def test_ingest_needs_the_token(write_client):
    assert "token" in error_of(write_client.post("/api/ingest", json={"text": REPORT}), 401)
    error_of(write_client.post("/api/ingest", json={"text": REPORT}, headers={"Authorization": "Bearer nope"}), 403)
    assert write_client.get("/api/status").json()["reports"] == 0


def test_ingest_codes_and_stores_a_report(write_client):
    auth = {"Authorization": "Bearer s3cret"}
    r = write_client.post("/api/ingest", json={"text": REPORT, "published": "2015-09-01", "source": "تجريبي"},
                          headers=auth)
    assert r.status_code == 200, r.text
    res = r.json()
    assert res["status"] == "new" and res["report_id"] and res["event_ids"]
    ev = res["events"][0]
    assert ev["id"] in res["event_ids"] and ev["country_code"] == "SY"
    stored = write_client.get(f"/api/events/{ev['id']}").json()
    assert stored["reports"][0]["report_id"] == res["report_id"] and stored["reports"][0]["source"] == "تجريبي"
    assert write_client.get("/api/events").json()["total"] == len(set(res["event_ids"]))
    again = write_client.post("/api/ingest", json={"text": REPORT}, headers={"X-Marsad-Token": "s3cret"}).json()
    assert again["status"] == "duplicate"
    failed = write_client.post("/api/ingest", json={"text": "only English here"}, headers=auth).json()
    assert failed["status"] == "failed" and "Arabic" in failed["reason"]


@pytest.mark.parametrize("body, mentions", [
    ({"text": ""}, "text"),
    ({"published": "2015-09-01"}, "text"),
    ({"text": REPORT, "published": "1/9/2015"}, "published"),
    ({"text": REPORT, "source": 5}, "source"),
])
def test_ingest_bad_bodies(write_client, body, mentions):
    r = write_client.post("/api/ingest", json=body, headers={"Authorization": "Bearer s3cret"})
    assert mentions in error_of(r, 400)


def test_ingest_not_json(write_client):
    r = write_client.post("/api/ingest", content=b"{not json", headers={"Authorization": "Bearer s3cret",
                                                                         "Content-Type": "application/json"})
    error_of(r, 400)


def test_upload_size_limit_is_a_clear_413(write_client):
    big = "قصف " * 3000                                   # ~12 kB over the 4 kB limit
    r = write_client.post("/api/ingest", json={"text": big}, headers={"Authorization": "Bearer s3cret"})
    assert "too large" in error_of(r, 413) and "4,096" in r.json()["error"]

    def chunks():                                         # no Content-Length: counted as it streams
        for _ in range(10):
            yield b"x" * 1000
    r = write_client.post("/api/upload", content=chunks(), headers={"Authorization": "Bearer s3cret",
                                                                     "Content-Type": "application/octet-stream"})
    assert "too large" in error_of(r, 413)
    assert write_client.get("/api/status").json()["reports"] == 0
    small = json.dumps({"text": REPORT}).encode()            # streamed but under the limit: accepted
    r = write_client.post("/api/ingest", content=(small[i:i + 50] for i in range(0, len(small), 50)),
                          headers={"Authorization": "Bearer s3cret", "Content-Type": "application/json"})
    assert r.status_code == 200 and r.json()["status"] == "new"


def test_upload_text_and_jsonl_files(write_client):
    auth = {"Authorization": "Bearer s3cret"}
    r = write_client.post("/api/upload", files={"file": ("daraa.txt", REPORT.encode(), "text/plain")},
                          data={"published": "2015-09-02"}, headers=auth)
    assert r.status_code == 200, r.text
    assert r.json()["new"] == 1
    lines = "\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"id": "a", "text": "قصفت طائرات التحالف مدينة الرمادي اليوم ما أدى إلى مقتل 5 مدنيين", "published": "2015-09-03"},
        {"id": "b", "text": "no Arabic here"}])
    r = write_client.post("/api/upload", files={"file": ("batch.jsonl", lines.encode(), "application/json")},
                          headers=auth)
    assert r.status_code == 200 and (r.json()["new"], r.json()["failed"]) == (1, 1)
    bad = write_client.post("/api/upload", files={"file": ("x.txt", "قصف".encode("cp1256"), "text/plain")},
                            headers=auth)
    assert "UTF-8" in error_of(bad, 400)
    bad = write_client.post("/api/upload", files={"file": ("x.jsonl", b"{oops\n", "text/plain")}, headers=auth)
    assert "line 1" in error_of(bad, 400)
    assert "token" in error_of(write_client.post("/api/upload", files={"file": ("d.txt", b"x", "text/plain")}), 401)


def test_internal_errors_carry_no_stack_trace(fresh_db):
    store = open_store(fresh_db)
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        store.close()                                     # every query now fails inside the store
        r = c.get("/api/events")
        assert r.status_code == 500 and r.json() == {"error": "internal error (see the server log)"}
        page = c.get("/event/1")
        assert page.status_code == 500 and "Traceback" not in page.text and "sqlite" not in page.text.lower()


def test_retry_a_failed_report(write_client):
    """A failed record is kept whole; a retry re-ingests it: a second failure updates the reason,
    a success removes the failure. Retries are writes (token, and the form key on the page)."""
    auth = {"X-Marsad-Token": "s3cret"}
    english = "This report is in English and cannot be coded by Marsad at all. " * 3
    assert write_client.post("/api/ingest", json={"text": english}, headers=auth).json()["status"] == "failed"
    [f] = write_client.get("/api/failures").json()["failures"]
    assert f["retryable"]
    assert "token" in error_of(write_client.post(f"/api/failures/{f['id']}/retry"), 401)
    again = write_client.post(f"/api/failures/{f['id']}/retry", headers=auth).json()
    assert again["status"] == "failed" and again["reason"]
    assert [g["id"] for g in write_client.get("/api/failures").json()["failures"]] == [f["id"]]
    assert "no failure" in error_of(write_client.post("/api/failures/999/retry", headers=auth), 404)
    # a record that failed for a passing reason (the store) is coded by its retry
    store = write_client.app.state.store
    store._fail("batch.jsonl:3", "could not store: disk full", "store", "r3", REPORT[:200],
                record={"id": "r3", "text": REPORT, "published": "2015-08-07"})
    fid = write_client.get("/api/failures").json()["failures"][0]["id"]
    page = write_client.get("/status")
    assert f'action="/status/retry/{fid}"' in page.text
    key = page.text.split('name="form_key" value="', 1)[1].split('"', 1)[0]
    assert write_client.post(f"/status/retry/{fid}", data={"form_key": "wrong", "token": "s3cret"},
                             follow_redirects=False).status_code == 303
    assert fid in [g["id"] for g in write_client.get("/api/failures").json()["failures"]]
    r = write_client.post(f"/status/retry/{fid}", data={"form_key": key, "token": "s3cret"}, follow_redirects=False)
    assert r.status_code == 303 and "retry=new" in r.headers["location"]
    assert [g["id"] for g in write_client.get("/api/failures").json()["failures"]] == [f["id"]]
    assert write_client.get("/api/reports").json()["total"] == 1


def test_outline_names_match_accented_names(client):
    """Natural Earth writes governorates without accents ("Al Minufiyah"); pycountry with them."""
    names = client.get("/api/outline-names").json()["admin1"]
    assert names["Al Minufiyah"] == "المنوفية" and "القاهرة" in names["Al Qahirah"]
    assert len(names) >= 290     # of the 472 outlines; 273 before accents were folded
