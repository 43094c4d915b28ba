"""The learned role decision (roles.py): which of an incident's two sides is actor1.

Texts are written for the test. The shipped model was trained on the project's annotations; the
rules' pair stands unless the model is surer of the swap.
"""

import pytest

from marsad.components.events import roles
from marsad.components.events.incident import Incident
from marsad.components.events.model import MODEL_PATH, load
from marsad.doc import Span
from marsad.pipeline import Pipeline


@pytest.fixture(scope="module")
def nlp():
    return Pipeline()


def _sides(doc):
    return [(e["actor1"], e["actor2"]) for e in doc.events]


def test_the_side_that_struck_is_actor1_when_the_dead_come_first(nlp):
    # the rules read the dead named first as the agent; the strike "شنتها مقاتلات التحالف" is theirs
    doc = nlp("لقي عشرة من عناصر تنظيم داعش مصرعهم في ضربات جوية شنتها مقاتلات التحالف الدولي على مواقع "
              "للتنظيم جنوب مدينة الموصل أمس.")
    assert _sides(doc) == [("International Coalition against Islamic State", "Islamic State")]
    ev = {x["field"]: x["text"] for x in doc.events[0]["evidence"] if x["field"] in ("actor1", "actor2")}
    assert "التحالف" in ev["actor1"] and "داعش" in ev["actor2"]   # the evidence moves with the role


def test_a_passive_agent_stays_actor1(nlp):
    doc = nlp("قتل خمسة مدنيين على يد مسلحي تنظيم داعش في مدينة الرمادي أمس.")
    assert _sides(doc) == [("Islamic State", "Civilians (Iraq)")]


def test_swap_moves_names_categories_and_evidence():
    a, b = Span(0, 1, "A", "أ", 0), Span(5, 6, "B", "ب", 0)
    ev = Incident({"actor1": "A", "inter1": 2, "actor2": "B", "inter2": 1,
                   "evidence": [{"field": "event", "start": 0, "end": 9}, {"field": "actor1", "start": 0, "end": 1},
                                {"field": "actor2", "start": 5, "end": 6}]}, agent=a, victim=b)
    roles.swap(ev)
    assert (ev["actor1"], ev["inter1"], ev["actor2"], ev["inter2"]) == ("B", 1, "A", 2)
    assert [(x["field"], x["start"]) for x in ev["evidence"]] == [("event", 0), ("actor2", 0), ("actor1", 5)]
    assert (ev.agent, ev.victim) == (b, a)


def test_no_weights_or_nothing_to_decide_keeps_the_rules_order():
    feats = {"ro:bias": 1.0, "ro:a:after0-1": 1.0}
    assert not roles.should_swap({}, feats)
    assert not roles.should_swap({"ro:bias": 5.0}, {})
    assert roles.should_swap({"ro:bias": 5.0}, feats)
    assert not roles.should_swap({"ro:bias": -5.0}, feats)


def test_the_shipped_roles_beat_the_rules_out_of_fold():
    m = load(MODEL_PATH)
    cv = m.meta["figures"]["cv_roles"]
    # shipped only when cross-validation by article says the swaps help
    assert bool(m.roles) == cv["shipped"] == (cv["learned"]["both"] > cv["rules"]["both"])


def test_an_incident_takes_only_event_fields():
    # record() writes the coded fields only: a misspelt key must fail where it is set, not vanish
    ev = Incident({"event_type": "Battles"})
    ev["fatalities"] = 3
    assert ev.record()["fatalities"] == 3
    with pytest.raises(KeyError):
        ev["fatality"] = 3
