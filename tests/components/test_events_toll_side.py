"""A strike's or bomb's dead, named in its toll's own words, are the side it struck
(actors.toll_side_struck): civilians taken as a side from words outside the toll (a source's
"سكان"، "أهالي"; the next clause's "المواطنين") give way to them (composed reports)."""

import datetime

import pytest

from marsad.components.events.actors import toll_side_struck
from marsad.doc import new_span


@pytest.fixture(scope="module")
def pipeline():
    from marsad.pipeline import default_pipeline
    return default_pipeline()


def _strikes(pipeline, text):
    doc = pipeline(text, datetime.date(2015, 7, 20))
    return [e for e in doc.events if e["event_type"] == "Explosions/Remote violence"]


@pytest.mark.parametrize("text", [
    "وذكرت مصادر عسكرية وسكان أن تسعة متمردين قتلوا ليلا في غارة جوية على خور المكسر في وسط عدن.",
    "وقالت مصادر طبية وأهالي إن سبعة من مسلحي الحوثي قتلوا في غارة جوية على مدينة زبيد صباح اليوم.",
])
def test_residents_who_tell_the_toll_are_not_its_dead(pipeline, text):
    (e,) = _strikes(pipeline, text)
    assert (e["actor1"], e["actor2"], e["inter2"]) == ("Saudi-led Coalition", "Ansar Allah (Houthis)", 2)
    (a2,) = [x for x in e["evidence"] if x["field"] == "actor2"]
    assert a2["text"] in ("متمردين", "مسلحي الحوثي")


def test_civilians_named_in_the_toll_stay(pipeline):
    (e,) = _strikes(pipeline, "قتل خمسة مدنيين في غارة جوية على قرية في محافظة حجة، وفق ما ذكر سكان.")
    assert (e["actor2"], e["inter2"]) == ("Civilians (Yemen)", 7)


class _Doc:
    def __init__(self, actors):
        self._actors = actors

    def layer(self, name):
        return self._actors if name == "actors" else []


def _actor(start, text, label, inter):
    return new_span(start, start + len(text), label, text, 0, {"inter": inter, "kind": "", "country": "YE"})


def _event(event_type, actor1, inter1, actor2, inter2, a1_at=None, a2_at=60):
    ev = [{"field": "fatalities", "start": 0, "end": 12, "text": "t"}]
    if actor1:
        ev.append({"field": "actor1", "start": a1_at, "end": a1_at + 5, "text": "a"})
    if actor2:
        ev.append({"field": "actor2", "start": a2_at, "end": a2_at + 5, "text": "b"})
    return {"event_type": event_type, "sub_event_type": "x", "country_code": "YE", "actor1": actor1,
            "inter1": inter1, "actor2": actor2, "inter2": inter2, "evidence": ev}


DEAD = _actor(5, "المقاومة", "Popular Resistance (Yemen)", 3)


def test_the_dead_side_replaces_civilians_told_apart():
    e = _event("Explosions/Remote violence", "Ansar Allah (Houthis)", 2, "Civilians (Yemen)", 7, a1_at=30)
    toll_side_struck(_Doc([DEAD]), [e])
    assert (e["actor1"], e["actor2"], e["inter2"]) == ("Ansar Allah (Houthis)", "Popular Resistance (Yemen)", 3)
    assert [x["field"] for x in e["evidence"]] == ["fatalities", "actor1", "actor2"]


def test_civilians_as_actor1_give_way_and_the_armed_side_left_attacks():
    e = _event("Explosions/Remote violence", "Civilians (Yemen)", 7, "Ansar Allah (Houthis)", 2, a1_at=40)
    toll_side_struck(_Doc([DEAD]), [e])
    assert (e["actor1"], e["actor2"]) == ("Ansar Allah (Houthis)", "Popular Resistance (Yemen)")
    assert sorted(x["field"] for x in e["evidence"]) == ["actor1", "actor2", "fatalities"]


def test_an_attacker_of_the_dead_side_is_left_alone():
    # "Government of Turkey" striking, its police the toll's dead: miscoded beyond this rule
    e = _event("Explosions/Remote violence", "Popular Resistance (Yemen)", 3, "Civilians (Yemen)", 7, a1_at=30)
    toll_side_struck(_Doc([DEAD]), [e])
    assert (e["actor1"], e["actor2"]) == ("Popular Resistance (Yemen)", "Civilians (Yemen)")


def test_civilians_in_the_toll_a_battle_or_no_armed_dead_stay():
    civ = _actor(8, "مدنيين", "Civilians ({country})", 7)
    e = _event("Explosions/Remote violence", "Ansar Allah (Houthis)", 2, "Civilians (Yemen)", 7, a1_at=30)
    toll_side_struck(_Doc([DEAD, civ]), [e])       # the toll names civilians among its dead
    assert e["actor2"] == "Civilians (Yemen)"
    e = _event("Explosions/Remote violence", "Ansar Allah (Houthis)", 2, "Civilians (Yemen)", 7, a1_at=30, a2_at=6)
    toll_side_struck(_Doc([DEAD]), [e])            # the civilians are the toll's own words
    assert e["actor2"] == "Civilians (Yemen)"
    e = _event("Battles", "Ansar Allah (Houthis)", 2, "Civilians (Yemen)", 7, a1_at=30)
    toll_side_struck(_Doc([DEAD]), [e])
    assert e["actor2"] == "Civilians (Yemen)"
    far = _actor(40, "المقاومة", "Popular Resistance (Yemen)", 3)
    e = _event("Explosions/Remote violence", None, None, "Civilians (Yemen)", 7)
    toll_side_struck(_Doc([far]), [e])             # a side named away from the toll is not its dead
    assert e["actor2"] == "Civilians (Yemen)"
