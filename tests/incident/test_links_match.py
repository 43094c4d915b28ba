"""How `scripts/links.py` finds the stored event of a gold event (docs/rounds/linking.md, `link46`): as
the evaluator does (country, governorate, event type, nearest first), and, for the linking's
counts, a stored event that tells the gold event (their evidence shares characters) first. The
nearest alone gave a report's 19 dead by mines at Zinjibar to its gold shelling of the coast,
and two reports of one incident were counted as a false merge."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import links  # noqa: E402  (scripts/links.py)

ZINJIBAR = {"country_code": "YE", "admin1_code": "YE-AB", "event_type": "Explosions/Remote violence",
            "location": "Zinjibar", "latitude": 13.13, "longitude": 45.38, "geo_precision": 1}


def _gold(i: int, start: int, end: int, **kw) -> dict:
    return {"_aid": "r1", "_i": i, **ZINJIBAR, "evidence": [{"start": start, "end": end}], **kw}


def _stored(mid: int, **kw) -> dict:
    return {"_mid": mid, "_aid": "r1", **ZINJIBAR, **kw}


def test_a_stored_event_goes_to_the_gold_event_its_evidence_tells():
    # two gold events at one place: a shelling (evidence at 0-40) and mines (100-160); the one
    # stored event tells the mines (its evidence at 105-150)
    gold = [_gold(0, 0, 40, sub_event_type="Shelling/artillery/missile attack"),
            _gold(1, 100, 160, sub_event_type="Remote explosive/landmine/IED")]
    stored = [_stored(7, sub_event_type="Remote explosive/landmine/IED")]
    spans = {7: [(105, 150)]}
    assert links._match(gold, stored, spans) == {"r1:1": 7}
    # the evaluator's matching alone (a tie at 0 km) takes the first gold event
    assert links._match(gold, stored) == {"r1:0": 7}


def test_telling_comes_before_distance_and_the_most_shared_first():
    near = _stored(1)
    far = _stored(2, latitude=13.5, longitude=45.8)
    gold = [_gold(0, 100, 200)]
    assert links._match(gold, [near, far], {1: [(0, 50)], 2: [(120, 180)]}) == {"r1:0": 2}
    assert links._match(gold, [near, far], {1: [(100, 130)], 2: [(120, 180)]}) == {"r1:0": 2}
    # none tells it: the nearest, as the evaluator matches
    assert links._match(gold, [near, far], {1: [(0, 50)], 2: [(300, 350)]}) == {"r1:0": 1}


def test_the_evaluators_conditions_still_hold():
    # another event type never matches, whatever its evidence shares
    gold = [_gold(0, 100, 200)]
    battle = _stored(3, event_type="Battles")
    assert links._match(gold, [battle], {3: [(100, 200)]}) == {}
    other = _stored(4, admin1_code="YE-LA")
    assert links._match(gold, [other], {4: [(100, 200)]}) == {}
