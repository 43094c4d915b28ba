"""`scripts/links.py tune --context`: what a pair's two reports say beyond the pair (issue 13's
trials, docs/rounds/linking.md "The report's other events"): the share of the two reports' other events
with a candidate in the other report, and whether each of the pair is the other's only
candidate there."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import links  # noqa: E402  (scripts/links.py)

ADEN = {"admin1_code": "YE-AD", "location": "Aden", "latitude": 12.78, "longitude": 45.04,
        "sub_event_type": "Air/drone strike", "event_type": "Explosions/Remote violence",
        "_text": "غارات جوية على عدن"}


def _ev(mid: int, aid: str, **kw) -> dict:
    ev = {"_mid": mid, "_aid": aid, "_published": "2015-07-20", "_title": "",
          "_text": "اشتباكات في لحج", "country_code": "YE", "admin1_code": "YE-LA",
          "event_type": "Battles", "sub_event_type": "Armed clash", "event_date": "2015-07-20",
          "time_precision": 1, "location": "Lahij", "geo_precision": 1, "latitude": 13.05,
          "longitude": 44.88, "actor1": "Popular Resistance (Yemen)",
          "actor2": "Ansar Allah (Houthis)", "fatalities": 0}
    ev.update(kw)
    return ev


def _context(*events: dict) -> dict[frozenset, list[float]]:
    by_article: dict[str, list[dict]] = {}
    for e in events:
        by_article.setdefault(e["_aid"], []).append(e)
    pairs = links._store_pairs(by_article)
    sizes = {k: len(v) for k, v in by_article.items()}
    return {frozenset((a["_mid"], b["_mid"])): v
            for (a, b), v in zip(pairs, links.report_context(pairs, sizes))}


def test_two_reports_telling_the_same_two_incidents_cohere():
    ctx = _context(_ev(1, "r1"), _ev(2, "r1", **ADEN), _ev(3, "r2"), _ev(4, "r2", **ADEN),
                   _ev(5, "r3"))
    # the clash and the strike (two governorates: never candidates) pair up across r1 and r2
    assert set(ctx) == {frozenset(p) for p in ((1, 3), (2, 4), (1, 5), (3, 5))}
    assert ctx[frozenset((1, 3))] == [1.0, 1.0]
    assert ctx[frozenset((2, 4))] == [1.0, 1.0]
    # r3 tells the clash only: r1's other event has no candidate in it
    assert ctx[frozenset((1, 5))] == [0.0, 1.0]


def test_a_report_with_two_candidates_is_no_sole_match_and_lone_events_are_unknown():
    ctx = _context(_ev(1, "r1"), _ev(2, "r2"), _ev(3, "r2", location="Al Anad", latitude=13.18,
                                                      longitude=44.77))
    # both of r2's events are candidates of r1's one event; each is the other's
    assert ctx[frozenset((1, 2))] == [1.0, 0.0]
    assert ctx[frozenset((1, 3))] == [1.0, 0.0]
    assert _context(_ev(1, "r1"), _ev(2, "r2"))[frozenset((1, 2))] == [0.5, 1.0]


def test_the_store_pairs_of_the_annotators_events_by_their_own_key():
    a, b = _ev(None, "r1", _key="r1:0"), _ev(None, "r2", _key="r2:0")
    assert links._store_pairs({"r1": [a], "r2": [b]}, "_key") == [(a, b)]
    assert links.report_context([(a, b)], {"r1": 1, "r2": 1}, "_key", ["sole"]) == [[1.0]]


def test_context_is_a_trial_never_written_to_the_shipped_weights():
    with pytest.raises(SystemExit, match="trial"):
        links.main(["tune", "--store", "unused.db", "--context", "coherence", "--write"])
