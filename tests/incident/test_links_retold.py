"""The retold extension of the linking gold (scripts/links_retold.py, docs/linking.md "The linking
gold"): pairs the candidate rule never judges because a later report retells an incident with a
later date, found by a rule over the annotations alone and judged by old-gold incident."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import annotate  # noqa: E402  (scripts/annotate.py)
import links  # noqa: E402  (scripts/links.py)
import links_retold  # noqa: E402  (scripts/links_retold.py)

BACK = links_retold.back_words()


def _ev(aid: str, i: int = 0, **kw) -> dict:
    ev = {"_aid": aid, "_i": i, "_published": "2015-07-21", "country_code": "TR", "admin1_code": "TR-63",
          "event_type": "Explosions/Remote violence", "sub_event_type": "Suicide bomb",
          "event_date": "2015-07-20", "location": "Suruc", "geo_precision": 1, "fatalities": 32,
          "latitude": 36.976, "longitude": 38.425, "_text": "قتل 32 شخصا في تفجير انتحاري في سروج",
          "evidence": [{"text": "قتل 32 شخصا في تفجير انتحاري في سروج"}]}
    ev.update(kw)
    return ev


def test_a_later_report_that_points_back_is_a_retold_pair_not_a_candidate():
    bombing = _ev("r1")
    # a report of a week later, dated on its own day, says "last week's bombing in Suruc"
    words = "تفجير سروج الأسبوع الماضي"
    recap = _ev("r2", event_date="2015-07-27", _published="2015-07-27", fatalities=None, _text=words)
    assert not links.candidate(bombing, recap) and links_retold.retold(bombing, recap, BACK)
    # no word pointing back and another toll: an incident of its own day
    other = _ev("r3", event_date="2015-07-27", _published="2015-07-27", fatalities=2, _text="انفجار في سروج")
    assert not links_retold.retold(bombing, other, BACK)
    # the same toll above zero is enough
    assert links_retold.retold(bombing, _ev("r4", event_date="2015-07-25", _text="انفجار في سروج"), BACK)
    # "yesterday Thursday" is the report's own day, not a retelling
    assert not links_retold.retold(bombing, _ev("r5", event_date="2015-07-25", fatalities=1,
                                                 _text="انفجار أمس الخميس في سروج"), BACK)
    # within the candidate window it is the old rule's pair; beyond two weeks, or at another place, none
    assert not links_retold.retold(bombing, _ev("r6", event_date="2015-07-22"), BACK)
    assert not links_retold.retold(bombing, _ev("r7", event_date="2015-08-05", _text=words), BACK)
    assert not links_retold.retold(bombing, _ev("r8", event_date="2015-07-27", location="Diyarbakir",
                                                 _text=words), BACK)
    # one article's two events are never a pair
    assert not links_retold.retold(bombing, _ev("r1", 1, event_date="2015-07-27", _text=words), BACK)


def test_groups_judge_old_incidents_as_units_and_build_writes_their_pairs(tmp_path):
    told = [_ev("r1"), _ev("r2", _published="2015-07-22")]          # one incident in the old gold
    recap = _ev("r3", event_date="2015-07-27", _published="2015-07-27", fatalities=None,
                _text="هجوم سروج الأسبوع الماضي")
    evs = sorted(told + [recap], key=links.key)
    gold = tmp_path / "links_x.jsonl"
    gold.write_text(json.dumps({"a": {"id": "r1", "event": 0}, "b": {"id": "r2", "event": 0}, "same": True,
                                "group": "C0"}) + "\n", encoding="utf-8")
    gs, judged, unit = links_retold.groups(evs, gold, BACK)
    assert [[links.key(e) for e in u] for u in gs[0]] == [["r1:0", "r2:0"], ["r3:0"]]
    labels = tmp_path / "x.labels"
    labels.write_text("# judge: test\nR0: 0,1\n# R0 0,1: the bombing retold\n", encoding="utf-8")
    links_retold.cmd_build(SimpleNamespace(gold=gold, labels=labels), evs)
    rows = [json.loads(ln) for ln in links_retold.retold_path(gold).open(encoding="utf-8")]
    # both events of the old incident are paired with the recap, same, with the group, rule and judge
    assert [(r["a"]["id"], r["b"]["id"], r["same"], r["group"], r["rule"], r["judge"]) for r in rows] == \
        [("r1", "r3", True, "R0", "retold", "test"), ("r2", "r3", True, "R0", "retold", "test")]
    # a group left unjudged ("?") is left out, never counted as "different"
    labels.write_text("R0: ?\n", encoding="utf-8")
    links_retold.cmd_build(SimpleNamespace(gold=gold, labels=labels), evs)
    assert links_retold.retold_path(gold).read_text(encoding="utf-8") == ""


def test_tune_joins_a_retold_group_with_the_candidate_groups_of_its_events():
    a, b, c, d = (_ev(x) for x in "abcd")
    pairs = [(a, b, True, "s/C0"), (c, d, True, "s/C1"), (b, c, False, "s/R0")]
    assert set(links.merged_groups(pairs).values()) == {"s/C0"}


@pytest.mark.parametrize("annotators, name", [(None, "links"), (set("efghij"), "links_heldout"),
                                               (links.TRAINING_SETS["k-ao"][0], "links_more")])
def test_the_retold_labels_give_the_retold_gold(tmp_path, monkeypatch, annotators, name):
    labels = ROOT / "annotations" / f"{name}_retold.labels"
    if not labels.exists():
        pytest.skip(f"{labels.name}: not judged yet")
    monkeypatch.setattr(annotate, "articles", lambda: {})   # the rule reads the annotations only
    gold = tmp_path / f"{name}.jsonl"
    shutil.copy(ROOT / "annotations" / f"{name}.jsonl", gold)
    evs = links.load_events(ROOT / "annotations" / "events", annotators or links.TRAINING)
    links_retold.cmd_build(SimpleNamespace(gold=gold, labels=labels), evs)
    assert links_retold.retold_path(gold).read_text(encoding="utf-8") == \
        (ROOT / "annotations" / f"{name}_retold.jsonl").read_text(encoding="utf-8")
