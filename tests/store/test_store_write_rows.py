"""The write path stores what the plain code stored: JSON text as
json.dumps gives it, a new place's catalog values as its row gives them back, and a person's
decisions honoured in a transaction group that asks for them once; codes given as numbers
stored as text."""

from __future__ import annotations

import json

import pytest

from marsad.store import open_store
from marsad.store.store import _j

from store_data import coded, event
from test_store_link import CLASH_A, CLASH_B, JOBAR


@pytest.mark.parametrize("value", [
    {"a": 1.5, "b": [1, 2, None, True, "عربي \"مقتبس\"\n"], "c": {"d": -0.0, "e": 1e20}},
    {"weapons": [], "sources": [{"name": "المرصد", "start": 3}]}, [], {}, "نص", 3, None,
    {"x": float("nan"), "y": float("inf"), 1: "a key not text"},
    (1, "a tuple"), 10 ** 30, {"deep": [[[{"z": "\u0000\ud800"}]]]},
])
def test_json_text_is_json_dumps_text(value):
    assert _j(value) == json.dumps(value, ensure_ascii=False)


def test_json_of_a_value_json_cannot_write_fails_as_json_dumps_does():
    with pytest.raises(TypeError):
        _j({"a": {1, 2}})
    assert _j({"a": 1}) == '{"a": 1}'   # the encoder still works after a failure


def test_a_new_places_catalog_values_are_those_its_row_holds(tmp_path):
    """A place written for the first time is kept with the values its row gives back, also when
    the database converts one (a whole number for a coordinate is a float there, a float
    precision an integer)."""
    evs = [event(), event(location="Jobar", geo_precision=2.0),
           event(location="Binnish", latitude=35, longitude=36)]
    with open_store(tmp_path / "p.db") as store:
        with store.db.transaction():
            ids = [store._catalog_place(ev) for ev in evs]
        fields = ("location", "location_ar", "country_code", "admin1_code", "latitude", "longitude",
                  "geo_precision")
        rows = {r["id"]: r for r in store.db.query("SELECT * FROM places")}
        kept = {i: v for i, v in store._known["places"].values()}
        for i in ids:
            held = tuple(rows[i][k] for k in fields)
            assert kept[i] == held and [type(x) for x in kept[i]] == [type(x) for x in held]


def test_a_persons_decision_holds_for_reports_stored_in_a_group(tmp_path):
    """Two reports of a clash split apart by a person, then a third report of it stored in a
    transaction group: the two stay apart, and the store holds what one by one gives."""
    clash = dict(JOBAR, event_date="2015-08-03")
    first = [coded("a", CLASH_A, "2015-08-04", "outlet-a", [event(**clash)]),
             coded("b", CLASH_B, "2015-08-04", "outlet-b", [event(**clash)])]
    later = [coded("c", CLASH_B + " c", "2015-08-04", "outlet-c", [event(**clash)])]
    seen = []
    for group in (False, True):
        with open_store(tmp_path / f"g{group}.db") as store:
            store.load_results(first, extractor_version="test")
            (ev,), _ = store.query_events()
            b = next(r for r in store.get_event(ev["id"])["reports"] if r["source"] == "outlet-b")
            store.split_report(ev["id"], b["report_id"], note="another clash")
            store.load_results(later, extractor_version="test", group=group)
            by_report = {r["record_id"]: r["event_id"] for r in store.db.query(
                "SELECT r.record_id, m.event_id FROM mentions m JOIN reports r ON r.id = m.report_id")}
            assert by_report["a"] != by_report["b"]
            seen.append(sorted(by_report.items()))
    assert seen[0] == seen[1]


def test_a_governorate_given_as_a_number_is_stored_as_text(tmp_path):
    """Outputs from another tool may give a governorate code as a number: both reports naming
    the place are stored (not failed on comparing 12 with "12"), the code as text."""
    place = dict(JOBAR, admin1_code=12)
    with open_store(tmp_path / "n.db") as store:
        stats = store.load_results(
            [coded("a", CLASH_A, "2015-08-04", "outlet-a", [event(**place)]),
             coded("b", CLASH_B, "2015-08-05", "outlet-b", [event(**place)])],
            extractor_version="test")
        assert stats.failed == 0 and not store.failures(limit=10)
        assert {r["admin1_code"] for r in store.db.query("SELECT admin1_code FROM places")} == {"12"}
        assert {r["admin1_code"] for r in store.db.query("SELECT admin1_code FROM events")} == {"12"}
