"""A landmine's or roadside bomb's dead are the side it struck (actors.dead_side_struck): a side
named only inside the toll is actor2, never the one that acted (composed reports)."""

import datetime

import pytest

from marsad.components.events.actors import dead_side_struck


@pytest.fixture(scope="module")
def pipeline():
    from marsad.pipeline import default_pipeline
    return default_pipeline()


def _bombs(pipeline, text):
    doc = pipeline(text, datetime.date(2015, 8, 10))
    return [e for e in doc.events if e["sub_event_type"] == "Remote explosive/landmine/IED"]


def test_fighters_killed_by_mines_are_struck_not_civilians(pipeline):
    (e,) = _bombs(pipeline, "وكان 16 مسلحا من المقاومة لقوا مصرعهم الثلاثاء في انفجار ألغام في لحج.")
    assert (e["actor2"], e["inter2"]) == ("Popular Resistance (Yemen)", 3)
    assert e["actor1"] == "Unidentified Armed Group (Yemen)"
    assert any(x["field"] == "actor2" and x["text"] == "المقاومة" for x in e["evidence"])


def test_a_policeman_killed_by_a_roadside_bomb_is_struck(pipeline):
    (e,) = _bombs(pipeline, "لقي ضابط شرطة ومجند مصرعهما إثر انفجار عبوة ناسفة في مدينة العريش أمس.")
    assert e["actor2"] == "Police Forces of Egypt" and e["actor1"].startswith("Unidentified Armed Group")


def test_civilians_and_a_named_planter_stay(pipeline):
    (e,) = _bombs(pipeline, "قتل 17 مدنيا جراء انفجار ألغام زرعها الحوثيون في محافظة لحج أمس.")
    assert (e["actor1"], e["actor2"]) == ("Ansar Allah (Houthis)", "Civilians (Yemen)")


def _event(sub, actor1, inter1, actor2, inter2, a1_at, toll_at):
    ev = [{"field": "fatalities", "start": toll_at[0], "end": toll_at[1], "text": "t"},
          {"field": "actor1", "start": a1_at, "end": a1_at + 5, "text": "a"}]
    if actor2:
        ev.append({"field": "actor2", "start": 90, "end": 95, "text": "b"})
    return {"sub_event_type": sub, "actor1": actor1, "inter1": inter1, "actor2": actor2, "inter2": inter2,
            "evidence": ev}


def test_an_armed_opponent_becomes_the_planter_and_civilians_give_way():
    e = _event("Remote explosive/landmine/IED", "Popular Resistance (Yemen)", 3, "Ansar Allah (Houthis)", 2, 10, (0, 12))
    dead_side_struck([e])
    assert (e["actor1"], e["actor2"]) == ("Ansar Allah (Houthis)", "Popular Resistance (Yemen)")
    assert {x["field"] for x in e["evidence"]} == {"fatalities", "actor1", "actor2"}
    e = _event("Remote explosive/landmine/IED", "Police Forces of Egypt", 1, "Civilians (Egypt)", 7, 10, (0, 8))
    dead_side_struck([e])
    assert (e["actor1"], e["actor2"]) == (None, "Police Forces of Egypt")
    assert [x["field"] for x in e["evidence"]] == ["fatalities", "actor2"]


def test_a_side_named_apart_from_the_toll_or_another_kind_stays():
    # the side far from the toll's words is not its dead; an air strike's sides are another rule's
    e = _event("Remote explosive/landmine/IED", "Ansar Allah (Houthis)", 2, None, None, 40, (0, 12))
    dead_side_struck([e])
    assert e["actor1"] == "Ansar Allah (Houthis)"
    e = _event("Air/drone strike", "Saudi-led Coalition", 8, None, None, 10, (0, 12))
    dead_side_struck([e])
    assert e["actor1"] == "Saudi-led Coalition"
