"""Exports: the exact ACLED header through a CSV reader, GeoJSON, JSON lines; query filters."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from store_data import coded, event

from marsad.store.export import ACLED_COLUMNS

ACLED_HEADER = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
                "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,"
                "civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,"
                "longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp")


def _fill(store):
    store.load_results([
        coded("a", "غارة على أريحا، وقال ناشطون إن \"خمسة\" قتلوا.", "2015-08-03", "outlet-a",
              [event(notes='Air strike, "five" killed;\nsecond line')]),
        coded("b", "اشتباكات في جوبر.", "2015-08-04", "outlet-b",
              [event(event_type="Battles", sub_event_type="Armed clash", event_date="2015-08-04",
                     country_code="SY", admin1_code="SY-DI", location="Jobar", location_ar="جوبر",
                     latitude=33.53, longitude=36.33, actor1="Military Forces of Syria", inter1=1,
                     actor2="Syrian Opposition (unspecified)", inter2=2, fatalities=None)]),
        coded("c", "مظاهرة في تعز.", "2015-08-05", "outlet-c",
              [event(event_type="Protests", sub_event_type="Peaceful protest", event_date="2015-08-05",
                     country_code="YE", admin1_code="YE-TA", location="Taizz", location_ar="تعز",
                     latitude=None, longitude=None, actor1="Protesters (Yemen)", inter1=6,
                     actor2=None, inter2=None, fatalities=0)]),
    ])


def test_acled_csv_round_trip(store, tmp_path):
    _fill(store)
    out = tmp_path / "x.csv"
    subprocess.run([sys.executable, "-m", "marsad", "export", "--db", store.db.path,
                    "--format", "acled-csv", "-o", str(out)], check=True, capture_output=True)
    raw = out.read_text(encoding="utf-8")
    assert raw.split("\n", 1)[0] == ACLED_HEADER
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert list(rows[0].keys()) == ACLED_COLUMNS and len(rows) == 3
    air, battle, protest = rows
    assert air["event_id_cnty"].startswith("SYR") and air["iso"] == "760"
    assert (air["country"], air["region"], air["admin1"]) == ("Syria", "Middle East", "Idlib")
    assert air["disorder_type"] == "Political violence" and air["interaction"] == "17"
    assert air["civilian_targeting"] == "Civilian targeting"
    assert air["notes"] == 'Air strike, "five" killed;\nsecond line'     # quoting survives
    assert air["year"] == "2015" and air["fatalities"] == "5" and air["latitude"] == "35.8137"
    assert "outlet-a" in air["source"]
    assert battle["interaction"] == "12" and battle["fatalities"] == "0"
    assert protest["disorder_type"] == "Demonstrations" and protest["interaction"] == "60"
    assert protest["country"] == "Yemen" and protest["latitude"] == ""
    assert all(r["timestamp"].isdigit() for r in rows)


def test_filters_geojson_and_jsonl(store, tmp_path):
    _fill(store)
    db = store.db.path
    run = lambda *a: subprocess.run([sys.executable, "-m", "marsad", *a, "--db", db],  # noqa: E731
                                    check=True, capture_output=True, text=True).stdout
    gj = json.loads(run("export", "--format", "geojson"))
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == 3
    pts = [f for f in gj["features"] if f["geometry"]]
    assert pts[0]["geometry"]["coordinates"] == [36.6096, 35.8137]
    lines = run("export", "--format", "jsonl", "--country", "SY").splitlines()
    assert len(lines) == 2
    ev = json.loads(lines[0])
    assert ev["reports"][0]["evidence"][0]["start"] == 0 and ev["report_ids"]
    assert len(run("export", "--format", "jsonl", "--type", "Battles", "--from", "2015-08-04",
                   "--to", "2015-08-04").splitlines()) == 1
    assert store.query_events(actor="opposition")[1] == 1
    assert store.query_events(admin1="ye-ta")[1] == 1
    st = store.stats(country="SY")
    assert st["total"] == 2 and st["by_type"] == {"Battles": 1, "Explosions/Remote violence": 1}
    assert [d["date"] for d in st["by_day"]] == ["2015-08-03", "2015-08-04"]
    table = run("query", "--country", "YE")
    assert "Taizz" in table and "Peaceful protest" in table
