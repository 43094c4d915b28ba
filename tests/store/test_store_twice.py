"""One incident a report coded twice (issue 13, dr91): the report's second copy joins the event
its first copy and the other reports are in when another report's event links "same" to both
copies (cluster.groups' twice); a report's two incidents of one day at two named places, one of
them only a near-miss of the other report, stay two events, whatever the order the reports came in."""

from __future__ import annotations

from store_data import coded, event
from test_store_link import CLASH_A, CLASH_B, JOBAR

from marsad.incident import cluster
from marsad.store import open_store

# Synthetic reports written for these tests (not from any outlet): report a tells the Jobar
# clash in its first paragraph and again in its last, as a summary; the extractor coded both.
TWICE = CLASH_A + " وفي حصيلة اليوم، قتل خمسة من عناصر قوات النظام في اشتباكات حي جوبر."
CUT = len(CLASH_A)


def _rows(s) -> list[tuple]:
    """Each stored event as (its reports' record ids, one per mention, sorted)."""
    out = []
    for ev in s.iter_events():
        mids = [r["report_id"] for r in s.db.query(
            "SELECT report_id FROM mentions WHERE event_id = ? ORDER BY id", (ev["id"],))]
        out.append(tuple(sorted(s.get_report(r)["record_id"] for r in mids)))
    return sorted(out)


def _twice_reports():
    a = coded("a", TWICE, "2015-08-04", "outlet-a", [
        event(**JOBAR, event_date="2015-08-03", evidence=[{"start": 0, "end": CUT, "field": "event"}]),
        event(**JOBAR, event_date="2015-08-04",
              evidence=[{"start": CUT + 1, "end": len(TWICE), "field": "event"}])])
    b = coded("b", CLASH_B, "2015-08-04", "outlet-b", [event(**JOBAR, event_date="2015-08-03")])
    return [a, b]


def test_a_report_that_coded_one_clash_twice_has_both_copies_in_the_one_event(tmp_path):
    for name, order in (("ab", _twice_reports()), ("ba", _twice_reports()[::-1])):
        with open_store(tmp_path / f"{name}.db") as s:
            s.load_results(order)
            assert _rows(s) == [("a", "a", "b")]
            (ev,), total = s.query_events()
            assert total == 1 and ev["n_reports"] == 2


def test_a_reports_two_clashes_at_two_named_villages_stay_two_events(tmp_path):
    # Kafr Nabl and Hass, 4 km apart in Idlib: report a tells both, report b the governorate's
    # countryside, linked "same" to Kafr Nabl and only "possible" to Hass: no report vouches
    # for both, so the two named places stay two incidents
    text = ("اشتباكات عنيفة بين قوات النظام وفصائل المعارضة في بلدة كفرنبل بريف إدلب اليوم. "
            "واشتباكات أخرى في بلدة حاس بريف إدلب اليوم.")
    cut = text.index(".") + 1
    idlib = dict(JOBAR, admin1_code="SY-ID", fatalities=0)
    kafr = dict(idlib, location="Kafr Nabl", location_ar="كفرنبل", latitude=35.6136, longitude=36.5611)
    hass = dict(idlib, location="Hass", location_ar="حاس", latitude=35.5836, longitude=36.5796)
    wide = dict(idlib, location="Idlib", location_ar="إدلب", latitude=35.9306, longitude=36.6339,
                geo_precision=3)
    b_text = "اشتباكات عنيفة بين قوات النظام وفصائل المعارضة في ريف إدلب اليوم."
    reports = [coded("a", text, "2015-08-03", "outlet-a", [
                   event(**kafr, event_date="2015-08-03", evidence=[{"start": 0, "end": cut, "field": "event"}]),
                   event(**hass, event_date="2015-08-03",
                         evidence=[{"start": cut + 1, "end": len(text), "field": "event"}])]),
               coded("b", b_text, "2015-08-03", "outlet-b", [event(**wide, event_date="2015-08-03")])]
    for name, order in (("ab", reports), ("ba", reports[::-1])):
        with open_store(tmp_path / f"{name}.db") as s:
            s.load_results(order)
            rows = _rows(s)
            assert ("a", "a", "b") not in rows and ("a", "a") not in rows
            assert sum(len(r) for r in rows) == 3


def test_the_grouping_joins_a_reports_two_copies_only_when_vouched_for():
    a0, a1, b, c = ("a", 0), ("a", 1), ("b", 0), ("c", 0)
    yes = lambda x, y: True   # noqa: E731
    avg = dict(linkage=0.1, average=True)   # the store's rule (weights.json)
    # b links "same" to both of a's copies: one incident told twice (the copies' own pair, never
    # scored, counts 0 in the mean)
    sc = {(a0, b): 0.9, (a1, b): 0.85}
    assert cluster.groups([a0, a1, b], sc, 0.8, **avg) == [[a0, b], [a1]]
    assert cluster.groups([a0, a1, b], sc, 0.8, twice=yes, **avg) == [[a0, a1, b]]
    # the predicate tells the copies apart (two named places): two groups as before
    assert cluster.groups([a0, a1, b], sc, 0.8, twice=lambda x, y: False, **avg) == [[a0, b], [a1]]
    # b links to the second copy only as "possible": it stays apart
    weak = {(a0, b): 0.9, (a1, b): 0.5}
    assert cluster.groups([a0, a1, b], weak, 0.8, twice=yes, **avg) == [[a0, b], [a1]]
    # a person's "different" still keeps them apart
    assert cluster.groups([a0, a1, b], sc, 0.8, different=[(a1, b)], twice=yes, **avg) == [[a0, b], [a1]]
    # the same groups whatever the order of keys and scores
    sc3 = {(a0, b): 0.9, (a1, b): 0.85, (a1, c): 0.95, (b, c): 0.9}
    first = cluster.groups([a0, a1, b, c], sc3, 0.8, twice=yes, linkage=0.1, average=True)
    assert first == cluster.groups([c, b, a1, a0], dict(reversed(sc3.items())), 0.8, twice=yes,
                                   linkage=0.1, average=True) == [[a0, a1, b, c]]

