"""The store holds the same whatever the order the reports came in (issue 13, "deterministic on
every backend"): each case below gave different events, links or rows in one order than in the
other on the 1,213 news articles before it was mended (docs/rounds/linking.md, "The same store in any order")."""

from __future__ import annotations

import json
import random
import sqlite3
import sys
from pathlib import Path

from store_data import coded, event
from test_store_link import CLASH_A, CLASH_B, JOBAR, _day_of_reports

from marsad.store import open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import store_dump  # noqa: E402


def _month_and_day():
    """One clash told "this month" (month precision, dated the 1st) and nine days later by day."""
    return [coded("m", CLASH_A + " خلال هذا الشهر.", "2015-08-31", "outlet-m",
                  [event(**JOBAR, event_date="2015-08-01", time_precision=3)]),
            coded("d", CLASH_B + " اليوم.", "2015-08-10", "outlet-d",
                  [event(**JOBAR, event_date="2015-08-10")])]


def _spans_out_of_order():
    """Two reports of one clash whose events list their evidence in the reverse of the text's
    order (the extractor lists spans by field, not by place)."""
    def spans(text, cut):
        return [{"start": cut, "end": len(text), "field": "event"},
                {"start": 0, "end": cut, "field": "actor1"}]
    a, b = CLASH_A + " وتواصل القصف.", CLASH_B + " وتواصل القصف."
    return [coded("sa", a, "2015-08-04", "outlet-a",
                  [event(**JOBAR, event_date="2015-08-03", evidence=spans(a, 40))]),
            coded("sb", b, "2015-08-04", "outlet-b",
                  [event(**JOBAR, event_date="2015-08-04", evidence=spans(b, 30))])]


def _one_text_twice():
    """One text from two records: a repost a day later, whose "yesterday" is another day."""
    text = CLASH_A + " وأغلقت الطرق."
    first = coded("orig", text, "2015-08-04", "outlet-a", [event(**JOBAR, event_date="2015-08-03")])
    repost = coded("copy", text, "2015-08-05", "outlet-z", [event(**JOBAR, event_date="2015-08-04")])
    return [first, repost]


def _store(tmp_path, name: str, items) -> Path:
    path = tmp_path / f"{name}.db"
    with open_store(path) as s:
        s.load_results(items)
    return path


def _dump(path: Path) -> str:
    """The store's content under keys that do not depend on ids (scripts/store_dump.py --keys)."""
    conn = sqlite3.connect(path)
    try:
        return "\n".join(json.dumps(d, ensure_ascii=False, sort_keys=True, default=list)
                         for d in store_dump.dump_keys(conn))
    finally:
        conn.close()


def _events(path: Path) -> list[list[str]]:
    with open_store(path) as s:
        return sorted(sorted(s.get_report(r)["record_id"] for r in ev["report_ids"])
                      for ev in s.iter_events())


def test_a_month_dated_report_groups_the_same_whichever_came_first(tmp_path):
    # the store's query for a new event reaches 2 days beyond its own window: a stored event
    # dated by month was found from the month-dated event's side only (one event in one order,
    # two in the other); a pair is now a candidate only when each is in the other's block
    forward = _events(_store(tmp_path, "f", _month_and_day()))
    backward = _events(_store(tmp_path, "r", _month_and_day()[::-1]))
    assert forward == backward


def test_a_link_scores_and_reads_the_same_whichever_came_first(tmp_path):
    # the new event's view read its evidence in the extractor's order, a stored one's by span:
    # the texts' shingles (and so the score) differed with the order of arrival
    forward = _store(tmp_path, "f", _spans_out_of_order())
    backward = _store(tmp_path, "r", _spans_out_of_order()[::-1])
    links = [[l for l in _dump(p).splitlines() if '"table": "links"' in l] for p in (forward, backward)]
    assert links[0] and links[0] == links[1]


def test_of_two_records_of_one_text_the_earliest_published_is_kept(tmp_path):
    for name, order in (("f", _one_text_twice()), ("r", _one_text_twice()[::-1])):
        with open_store(_store(tmp_path, name, order)) as s:
            (report,) = s.db.query("SELECT record_id, published, source FROM reports")
            assert (report["record_id"], report["published"], report["source"]) == \
                ("orig", "2015-08-04", "outlet-a")
            # coded as that record was: its events, not the repost's
            assert [e["event_date"] for e in s.iter_events()] == ["2015-08-03"]


def _any_order_items():
    """All the cases above, with two names of one place and an actor first named by a report
    stored later (each text once but for the two records of one: a store codes a text once)."""
    items = _day_of_reports() + _month_and_day() + _spans_out_of_order() + _one_text_twice()
    items.append(coded("f", "قصفت قوات النظام حي جوبر في دمشق بقذائف الهاون.", "2015-08-02", "outlet-f",
                       [event(**dict(JOBAR, location_ar="حي جوبر", actor2="Civilians (Syria)",
                                     sub_event_type="Shelling/artillery/missile attack",
                                     event_type="Explosions/Remote violence"),
                              event_date="2015-08-02")]))
    return items


def test_the_store_is_the_same_in_any_order(tmp_path):
    items = _any_order_items()
    shuffled = list(items)
    random.Random(13).shuffle(shuffled)
    dumps = [_dump(_store(tmp_path, name, order)) for name, order in
             (("forward", items), ("reversed", items[::-1]), ("shuffled", shuffled))]
    assert dumps[0] == dumps[1] == dumps[2]
