"""The linking golds name real annotated events, and the held-out one shares no article with the
golds the linking weights were fitted on (docs/linking.md, "The held-out linking gold")."""
import json
from pathlib import Path

import pytest

ANN = Path(__file__).resolve().parent.parent / "annotations"


def _primary_events() -> dict[str, int]:
    out = {}
    for f in sorted((ANN / "events").glob("*.jsonl")):
        for line in f.open(encoding="utf-8"):
            r = json.loads(line)
            if r.get("role", "primary") == "primary":
                out[r["id"]] = len(r["events"])
    return out


def _pairs(name: str) -> list[dict]:
    return [json.loads(line) for line in (ANN / name).open(encoding="utf-8")]


@pytest.mark.parametrize("name", ["links.jsonl", "links_more.jsonl", "links_heldout.jsonl"])
def test_gold_pairs_name_events_of_two_articles(name):
    events = _primary_events()
    pairs = _pairs(name)
    assert pairs
    for r in pairs:
        a, b = r["a"], r["b"]
        assert a["id"] != b["id"]
        for x in (a, b):
            assert 0 <= x["event"] < events[x["id"]], (name, x)
        assert r["same"] == (r["incident"] is not None)
        assert r["reason"]


def test_heldout_gold_covers_its_articles_only_and_none_of_the_fitted_gold():
    covered = set((ANN / "links_heldout.articles").read_text(encoding="utf-8").split())
    heldout = {x["id"] for r in _pairs("links_heldout.jsonl") for x in (r["a"], r["b"])}
    fitted = {x["id"] for name in ("links.jsonl", "links_more.jsonl") for r in _pairs(name)
              for x in (r["a"], r["b"])}
    fitted |= set((ANN / "links_more.articles").read_text(encoding="utf-8").split())
    assert heldout <= covered
    assert not covered & fitted
    assert covered <= set(_primary_events())


@pytest.mark.parametrize("name", ["links_more.jsonl", "links_heldout.jsonl"])
def test_incidents_are_consistent(name):
    # two pairs of one incident sharing an event: a third pair between the others, if judged, is "same"
    pairs = _pairs(name)
    incident = {}
    for r in pairs:
        if r["same"]:
            for x in (r["a"], r["b"]):
                incident.setdefault((x["id"], x["event"]), set()).add(r["incident"])
    assert all(len(v) == 1 for v in incident.values())
    for r in pairs:
        ia, ib = incident.get((r["a"]["id"], r["a"]["event"])), incident.get((r["b"]["id"], r["b"]["event"]))
        assert r["same"] == (ia is not None and ia == ib), r
