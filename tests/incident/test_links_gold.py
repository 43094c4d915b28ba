"""The linking golds' candidate rule (scripts/links.py, docs/linking.md "The linking gold"): an
undated annotated event may be on any day CODING.md leaves it, and the judged groups give every
candidate pair of the gold (annotations/links.labels -> links.jsonl, annotators a-d;
links_more.labels -> links_more.jsonl, annotators k-ao; links_heldout.labels -> links_heldout.jsonl,
the held-out annotators e-j)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import annotate  # noqa: E402  (scripts/annotate.py)
import links  # noqa: E402  (scripts/links.py)


def _ev(aid: str, **kw) -> dict:
    ev = {"_aid": aid, "_i": 0, "_published": "2015-07-21", "country_code": "TR", "admin1_code": "TR-63",
          "event_type": "Explosions/Remote violence", "sub_event_type": "Suicide bomb",
          "event_date": "2015-07-20", "location": "Suruc", "geo_precision": 1,
          "latitude": 36.976, "longitude": 38.425}
    ev.update(kw)
    return ev


def test_an_undated_recall_is_a_candidate_for_the_days_before_its_publication():
    bombing = _ev("r1")
    # a report of a week later recalls "the suicide attack in Suruc" without a date
    recall = _ev("r2", event_date=None, _published="2015-07-27")
    assert links.candidate(bombing, recall)
    # the old rule's window (publication day, 2 days either side) is kept
    assert links.candidate(_ev("r1", event_date="2015-07-29"), recall)
    assert not links.candidate(_ev("r1", event_date="2015-07-30"), recall)
    # more than 30 days before publication is background, never coded: not a candidate
    assert not links.candidate(_ev("r1", event_date="2015-06-24"), recall)
    assert links.candidate(_ev("r1", event_date="2015-06-25"), recall)
    # two dated events three days apart stay apart, and two undated ones share their spans
    assert not links.candidate(bombing, _ev("r2", event_date="2015-07-23"))
    assert links.candidate(recall, _ev("r3", event_date=None, _published="2015-08-20"))


@pytest.mark.parametrize("annotators, name", [(None, "links"), (set("efghij"), "links_heldout"),
                                               (links.TRAINING_SETS["k-ao"][0], "links_more")])
def test_the_labels_give_every_candidate_pair_of_the_gold(tmp_path, monkeypatch, annotators, name):
    # the rule reads the annotations only (the texts, from ../shared, just print the evidence)
    monkeypatch.setattr(annotate, "articles", lambda: {})
    out = tmp_path / f"{name}.jsonl"
    links.cmd_build(SimpleNamespace(events=ROOT / "annotations" / "events", annotators=annotators,
                                    labels=ROOT / "annotations" / f"{name}.labels", gold=out,
                                    judged_only=False))

    def judged(path: Path) -> dict:
        return {(r["a"]["id"], r["a"]["event"], r["b"]["id"], r["b"]["event"]): r["same"]
                for r in map(json.loads, path.open(encoding="utf-8"))}
    assert judged(out) == judged(ROOT / "annotations" / f"{name}.jsonl")
    if annotators:   # the set's articles, those without a candidate too
        assert out.with_suffix(".articles").read_text(encoding="utf-8") == \
            (ROOT / "annotations" / f"{name}.articles").read_text(encoding="utf-8")
