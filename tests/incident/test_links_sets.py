"""The linking's training sets (scripts/links.py TRAINING_SETS, docs/linking.md "The linking gold"):
fit and tune read every training gold by name, each with the store of its own articles; a gold
still being judged leaves its unjudged groups out; a held-out gold is never fitted on."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import annotate  # noqa: E402  (scripts/annotate.py)
import links  # noqa: E402  (scripts/links.py)


def _article(aid: str, **kw) -> dict:
    ev = {"event_type": "Explosions/Remote violence", "sub_event_type": "Suicide bomb",
          "event_date": "2015-07-20", "country_code": "TR", "admin1_code": "TR-63", "location": "Suruc",
          "latitude": 36.976, "longitude": 38.425, "geo_precision": 1, "fatalities": 32,
          "evidence": [{"start": 0, "end": 10, "text": "تفجير انتحاري"}]}
    ev.update(kw)
    return {"id": aid, "annotator": "x", "role": "primary", "published": "2015-07-21", "events": [ev]}


@pytest.fixture
def one_set(tmp_path, monkeypatch):
    """A training set "x" of four articles: r1 and r2 tell the Suruc bombing (group C0), r3 and r4
    a clash in Taizz (group C1)."""
    monkeypatch.setattr(annotate, "articles", lambda: {})   # the texts only print the evidence
    events = tmp_path / "events"
    events.mkdir()
    taizz = dict(event_type="Battles", sub_event_type="Armed clash", event_date="2015-08-01",
                 country_code="YE", admin1_code="YE-TA", location="Taizz", latitude=13.58,
                 longitude=44.02, fatalities=3)
    recs = [_article("r1"), _article("r2"), _article("r3", **taizz), _article("r4", **taizz)]
    (events / "x.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs),
                                    encoding="utf-8")
    gold = tmp_path / "x_links.jsonl"
    monkeypatch.setattr(links, "TRAINING_SETS", {"x": (frozenset("x"), gold)})

    def build(labels: str, judged_only: bool) -> None:
        (tmp_path / "x.labels").write_text(labels, encoding="utf-8")
        links.cmd_build(SimpleNamespace(events=events, annotators={"x"}, labels=tmp_path / "x.labels",
                                        gold=gold, judged_only=judged_only))
    return events, build


def test_a_gold_being_judged_leaves_its_unjudged_groups_out(one_set):
    events, build = one_set
    build("C0: 0,1\n", judged_only=True)     # the Taizz group not judged yet
    (ts,) = links.training_sets(events, {"x": None})
    assert sorted(links.key(e) for e in ts.evs) == ["r1:0", "r2:0"]
    assert [(links.key(a), links.key(b), same, g) for a, b, same, g in ts.gold] == \
        [("r1:0", "r2:0", True, "x/C0")]
    build("C0: 0,1\nC1:\n", judged_only=False)   # judged: the clashes are two incidents
    (ts,) = links.training_sets(events, {"x": None})
    assert len(ts.evs) == 4
    assert sorted((g, same) for *_, same, g in ts.gold) == [("x/C0", True), ("x/C1", False)]


def test_the_mentions_of_each_store_are_named_by_their_set(one_set, monkeypatch):
    events, build = one_set
    build("C0: 0,1\nC1:\n", judged_only=False)
    import marsad.store
    monkeypatch.setattr(marsad.store, "open_store", lambda path: SimpleNamespace(db=None, close=lambda: None))
    monkeypatch.setattr(links, "stored_mentions", lambda db: {"r1": [{"_mid": 7, "_aid": "r1"}]})
    monkeypatch.setattr(links, "evidence_spans", lambda db: {7: [(0, 10)]})
    (ts,) = links.training_sets(events, {"x": "x.db"})
    # two stores both number their mentions from 1: the set's name keeps them apart
    assert ts.by_article["r1"][0]["_mid"] == ("x", 7)
    assert ts.spans == {("x", 7): [(0, 10)]}


def test_a_store_is_named_by_its_training_set():
    assert links.store_arg("k-ao=/tmp/M.db") == ("k-ao", "/tmp/M.db")
    assert links.store_arg("/tmp/T.db") == ("a-d", "/tmp/T.db")   # as before the sets
    with pytest.raises(argparse.ArgumentTypeError, match="no training set"):
        links.store_arg("e-j=/tmp/H.db")


@pytest.mark.parametrize("argv, message", [
    (["--annotators", "e,f,g,h,i,j", "tune", "--store", "H.db"], "held out"),
    (["--gold", "annotations/links_heldout.jsonl", "fit"], "held out"),
    (["tune", "--store", "a-d=T.db", "--write"], "every training set"),
    (["fit", "--store", "a-d=/nonexistent/T.db", "--write"], "every training set"),
    (["tune", "--store", "a-d=T.db", "--fit-on", "k-ao"], "no --store"),
    (["tune", "--store", "a-d=T.db", "k-ao=M.db", "--model", "boost", "--write"], "a trial"),
    (["tune", "--store", "a-d=T.db", "k-ao=M.db", "--model", "cross", "--write"], "a trial"),
    (["tune", "--store", "a-d=T.db", "k-ao=M.db", "--twice", "off", "compatible", "--write"], "one --twice"),
])
def test_tune_and_fit_read_the_training_sets_only(argv, message):
    with pytest.raises(SystemExit, match=message):
        links.main(argv)


def test_the_training_sets_are_the_golds_of_distinct_annotators():
    sets = list(links.TRAINING_SETS.values())
    assert links.TRAINING_SETS["a-d"] == (frozenset("abcd"), links.GOLD)
    assert all(not (a & b) for i, (a, _) in enumerate(sets) for b, _ in sets[i + 1:])
    held_out = set("efghij")
    assert all(not (a & held_out) for a, _ in sets)


def _trial(model: str, **kw) -> SimpleNamespace:
    return SimpleNamespace(model=model, boost=[60, 0.2, 8, 5], monotone=True,
                           cross=["date", "place", "text"], **kw)


def test_the_boosted_trial_holds_each_feature_to_its_sign():
    """tune --model boost: the trees may not learn that a later day or a farther place makes
    one incident likelier, even from training pairs that say so (the gold's noise)."""
    np = pytest.importorskip("numpy")
    pytest.importorskip("sklearn")
    from marsad.incident.features import NAMES
    rng = np.random.default_rng(0)
    X = rng.random((600, len(NAMES)))
    date, conflict = NAMES.index("date"), NAMES.index("actor_conflict")
    # same when the date agrees, except a band of noisy pairs near 0.5 labelled against it
    y = ((X[:, date] > 0.5) ^ ((X[:, date] > 0.45) & (X[:, date] < 0.55))).astype(int)
    m = links.scorer(_trial("boost"), 1.0, X.shape[1]).fit(X, y)
    grid = np.tile(X[:1], (21, 1))
    grid[:, date] = np.linspace(0, 1, 21)
    assert np.all(np.diff(m.predict_proba(grid)[:, 1]) >= -1e-12)
    grid = np.tile(X[:1], (21, 1))
    grid[:, conflict] = np.linspace(0, 1, 21)   # a disagreement never raises the score
    assert np.all(np.diff(m.predict_proba(grid)[:, 1]) <= 1e-12)


def test_the_crossed_trial_adds_each_pair_of_the_named_features_once():
    np = pytest.importorskip("numpy")
    pytest.importorskip("sklearn")
    from marsad.incident.features import NAMES
    m = links.scorer(_trial("cross"), 1.0, len(NAMES))
    X = np.zeros((1, len(NAMES)))
    X[0, NAMES.index("date")], X[0, NAMES.index("text")] = 0.5, 0.4
    wide = m._x(X)
    assert wide.shape == (1, len(NAMES) + 3)            # date x place, date x text, place x text
    assert sorted(wide[0, len(NAMES):].round(6)) == [0.0, 0.0, 0.2]
