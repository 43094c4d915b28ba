"""scripts/event_errors.py's lost_after_kept: why an annotated event whose own candidate was kept
is missed (issue 13), on hand-made annotated events, mentions and final events."""

import sys
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import event_errors  # noqa: E402  (scripts/event_errors.py)

AIR = {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike", "country_code": "YE",
       "admin1_code": "YE-TA", "event_date": "2015-08-01", "latitude": 13.58, "longitude": 44.02}


def event(start, end, **fields):
    return dict(AIR, evidence=[{"start": start, "end": end, "field": "event", "text": ""}], **fields)


def why(gold, c, pred, matched):
    a = SimpleNamespace(gold=gold)
    return event_errors._why_lost(a, gold[0], c, pred, matched)


def test_a_kept_candidate_placed_elsewhere_is_told_from_the_document_steps_merges():
    g = event(0, 20, location="Sabir")
    other = event(30, 50, location="Hawban", latitude=13.6, longitude=44.1)
    # the candidate's own place: another governorate, another country
    assert why([g], event(0, 20, admin1_code="YE-AD"), [], {}) == "its candidate placed in another governorate"
    assert why([g], event(0, 20, country_code="SA"), [], {}).endswith("another country")
    # the final events: none holds its words; one of another type; one elsewhere
    assert why([g], event(0, 20), [], {}) == "dropped by the document step"
    clash = dict(event(0, 20), event_type="Battles")
    assert why([g], event(0, 20), [clash], {}) == "folded into an event of another type"
    assert why([g], event(0, 20), [event(0, 20, admin1_code="YE-AD")], {}) == "merged into an event at another place"
    # the one final event matched another annotated event: stated by the same clause, or merged
    both = event(0, 20)
    both["evidence"].append(other["evidence"][0])
    assert why([g, event(5, 15, location="Sabir")], event(0, 20), [both], {0: 1}).startswith("one clause")
    assert why([g, other], event(0, 20), [both], {0: 1}) == \
        "merged with another annotated event's mention (place differs)"
