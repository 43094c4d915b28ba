"""The cross-validated actor figures (events/actors_cv.py) count what ../shared/eval/score.py
counts: greedy matching on event type and place, categories as the unordered set of both sides."""

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from marsad.components.events import actors_cv

SCORE = Path(__file__).resolve().parents[2] / ".." / "shared" / "eval" / "score.py"


def _ev(t, a1, i1, a2, i2, lat=15.0, admin="YE-TA"):
    return {"event_type": t, "country_code": "YE", "admin1_code": admin, "latitude": lat, "longitude": 44.0,
            "actor1": a1, "inter1": i1, "actor2": a2, "inter2": i2}


GOLD = [_ev("Battles", "Popular Resistance (Yemen)", 3, "Ansar Allah (Houthis)", 2),
        _ev("Explosions/Remote violence", "Saudi-led Coalition", 8, "Ansar Allah (Houthis)", 2, lat=15.5),
        _ev("Battles", "Military Forces of Yemen", 1, None, None, admin="YE-AD")]
PRED = [_ev("Explosions/Remote violence", "Ansar Allah (Houthis)", 2, "Saudi-led Coalition", 8, lat=15.4),
        _ev("Battles", "Popular Resistance (Yemen)", 3, "Civilians (Yemen)", 7),
        _ev("Battles", "Military Forces of Yemen", 1, None, None, admin="YE-SN")]


def test_sides_told_the_other_way_round_keep_their_categories():
    c = Counter()
    for g, p in actors_cv.matched(GOLD, PRED):
        actors_cv.tally(c, g, p)
    r = actors_cv.rates(c)
    # two matched (the third is in another governorate); the strike's sides are swapped: its
    # categories are right, its actor1 is not
    assert r["matched"] == 2
    assert r["categories"] == 0.5 and r["inter1"] == 0.5 and r["actor1"] == 0.5 and r["names_unordered"] == 0.5


@pytest.mark.skipif(not SCORE.exists(), reason="../shared/eval/score.py not beside the repository")
def test_the_figure_is_score_py_s(tmp_path):
    spec = importlib.util.spec_from_file_location("score", SCORE)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    import json
    (tmp_path / "g.jsonl").write_text(json.dumps({"id": "1", "events": GOLD}) + "\n", encoding="utf-8")
    (tmp_path / "p.jsonl").write_text(json.dumps({"id": "1", "events": PRED}) + "\n", encoding="utf-8")
    res = score.score_events(tmp_path / "g.jsonl", tmp_path / "p.jsonl")
    c = Counter()
    for g, p in actors_cv.matched(GOLD, PRED):
        actors_cv.tally(c, g, p)
    assert actors_cv.rates(c)["categories"] == res["actor_category_accuracy"]
