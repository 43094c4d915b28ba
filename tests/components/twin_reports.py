"""The reports the compiled-twin tests run through both paths: the demo's, then texts composed to
reach a module's branches, then the seed report when ../shared is beside the repository."""
from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest

from marsad.components.events import native

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "marsad" / "demo" / "reports.jsonl"
SEED = ROOT.parent / "shared" / "examples" / "khalidiya_homs.txt"
COMPOSED_DAY = date(2015, 8, 10)

needs_cand = pytest.mark.skipif(native.candidate_path() is None,
                                reason="events/_cand.pyx is not built (or MARSAD_PURE)")


def reports(composed=(), seed: bool = False):
    """(text, publication day) of the demo's reports, then of each composed text."""
    for line in DEMO.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        yield rec["text"], date.fromisoformat(rec["published"]) if rec.get("published") else None
    for text in composed:
        yield text, COMPOSED_DAY
    if seed and SEED.exists():
        yield SEED.read_text(encoding="utf-8"), COMPOSED_DAY


def incident_state(ev) -> dict:
    """An incident's fields and attributes, comparable (Spans compare by value)."""
    return {f.name: getattr(ev, f.name) for f in dataclasses.fields(ev)}
