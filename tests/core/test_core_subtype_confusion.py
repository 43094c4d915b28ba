"""scripts/event_errors.py's sub-event confusion: each annotated event against the final event whose
evidence overlaps its own (synthetic texts, no ../shared needed)."""

import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import event_errors  # noqa: E402  (scripts/event_errors.py)

TEXT = "سيطرت المقاومة على البلدة. وقصفت الطائرات القرية. واشتبك الطرفان في المدينة."


def _ev(et, st, start, end):
    return {"event_type": et, "sub_event_type": st, "evidence": [{"start": start, "end": end}]}


def test_confusion_pairs_the_overlapping_event(capsys):
    took, struck, clash = TEXT.index("سيطرت"), TEXT.index("وقصفت"), TEXT.index("واشتبك")
    gold = [_ev("Battles", "Non-state actor overtakes territory", took, took + 10),
            _ev("Explosions/Remote violence", "Shelling/artillery/missile attack", struck, struck + 10),
            _ev("Battles", "Armed clash", clash, clash + 10)]
    pred = [_ev("Battles", "Government regains territory", took + 2, took + 20),
            # of the two events over the shelling, the one of its type is taken
            _ev("Battles", "Armed clash", struck, struck + 5),
            _ev("Explosions/Remote violence", "Air/drone strike", struck + 3, struck + 8)]
    art = SimpleNamespace(id="a1", gold=gold, doc=SimpleNamespace(text=TEXT))
    event_errors.subtype_confusion([art], [pred], "test")
    out = capsys.readouterr().out
    assert "2 of 3 annotated events overlapped, 0 of the same sub-type" in out
    rows = [" ".join(ln.split()) for ln in out.splitlines()[1:]]
    assert len(rows) == 2
    assert any(r.startswith("1 Non-state actor overtakes territor -> Government regains territory a1:") for r in rows)
    assert any(r.startswith("1 Shelling/artillery/missile attack -> Air/drone strike a1:") for r in rows)
    # the clash no event overlaps counts as not found, not as a confusion
