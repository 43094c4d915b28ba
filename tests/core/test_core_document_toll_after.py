"""A toll told in the next sentence, naming the incident back (document.toll_told_after).

Texts are written for the test. The incident is built by hand (a clash told with no toll) so the
test reads only the document step's rule, whatever the detector makes of the second sentence.
"""

import pytest

from marsad.components.document import toll_told_after
from marsad.components.events.incident import Incident
from marsad.pipeline import DEFAULT_PIPELINE, Pipeline

CLASH = "اندلعت اشتباكات عنيفة أمس بين المقاومة الشعبية ومسلحي الحوثي في مدينة مأرب."


@pytest.fixture(scope="module")
def pre():
    return Pipeline([n for n in DEFAULT_PIPELINE if n not in ("events", "document")])


def _clash_toll(pre, text: str, **extra) -> tuple[int, list[str]]:
    doc = pre(text)
    e = Incident({"event_type": "Battles", "fatalities": 0,
                  "evidence": [{"field": "event", "start": 0, "end": 20, "text": text[:20]}]}, sent=0)
    events = [e] + [Incident(f, place_in_sentence=True) for f in extra.get("others", [])]
    toll_told_after(doc, events)
    return e["fatalities"], [x["text"] for x in e["evidence"] if x["field"] == "fatalities"]


def test_the_next_sentence_naming_the_clash_gives_its_toll(pre):
    fat, spans = _clash_toll(pre, CLASH + " وأضاف المصدر أن سبعة من المسلحين قتلوا خلال المواجهات.")
    assert fat == 7 and len(spans) == 1 and "سبعة" in spans[0]


@pytest.mark.parametrize("after", [
    # another paragraph
    "\nوأضاف المصدر أن سبعة من المسلحين قتلوا خلال المواجهات.",
    # no name of the incident: a count of its own
    " وأضاف المصدر أن سبعة من المسلحين قتلوا في مدينة صرواح.",
    # a tally since a day, not the clash's toll
    " وقتل أكثر من 3500 شخص في المعارك التي يشهدها اليمن منذ أربعة أشهر.",
    # the name too far from the count: another figure of the sentence
    " وقال المصدر إن المواجهات ما تزال مستمرة حتى ساعة متأخرة من مساء اليوم في أطراف المدينة الشمالية "
    "وفي قرية أخرى قتل سبعة من المسلحين.",
])
def test_no_toll_is_taken_from_a_sentence_that_does_not_name_it_back(pre, after):
    assert _clash_toll(pre, CLASH + after) == (0, [])


def test_the_toll_of_an_incident_placed_in_that_sentence_stays_its_own(pre):
    text = CLASH + " وأضاف المصدر أن سبعة من المسلحين قتلوا خلال المواجهات."
    doc = pre(text)
    [k] = [c for c in doc.layer("casualties") if c.label == "killed"]
    other = {"event_type": "Battles", "fatalities": 7,
             "evidence": [{"field": "fatalities", "start": k.start, "end": k.end, "text": k.text}]}
    assert _clash_toll(pre, text, others=[other]) == (0, [])


def _reference_toll_told_after(doc, events):
    """toll_told_after as main wrote it before dc161 (every next sentence asked, with or without a
    killed count)."""
    import bisect
    from marsad.components import document as D
    tollless = [e for e in events if e.get("fatalities") == 0 and not e.fat_known]
    if not tollless:
        return
    told = {(x["start"], x["end"]) for e in events if e.place_in_sentence
            for x in e["evidence"] if x["field"] == "fatalities"}
    ends = [doc.offsets[b] if b > a else doc.offsets[a] for a, b in doc.sentences]
    for e in tollless:
        said = {e.sent} | {bisect.bisect_right(ends, x["start"]) for x in e["evidence"] if x["field"] == "event"}
        for t in sorted({s + 1 for s in said} - said):
            spans = D._toll_naming(doc, t, D._toll_refs(e["event_type"]), told)
            if spans:
                fat, spans = D._fatalities(spans, spans, set())
                e["fatalities"], e.fat_known, e.fat_spans = fat, True, spans
                e["evidence"] = e["evidence"] + [k.to_evidence("fatalities") for k in spans]
                break


_AFTER = [" وأضاف المصدر أن سبعة من المسلحين قتلوا خلال المواجهات.",
          " وأصيب ثلاثة مدنيين في المواجهات.",
          " وقال المصدر إن المعارك مستمرة.",
          "\nوقتل خمسة من المسلحين في الهجوم.",
          " وقتل خمسة من المسلحين في الهجوم."]


@pytest.mark.parametrize("k", range(12))
def test_only_sentences_with_a_killed_count_are_asked_and_the_answer_is_the_same(pre, k):
    # one to three sentences after the clash, with and without a killed count: the same toll and
    # evidence as when every next sentence was asked
    import random
    rnd = random.Random(k)
    text = CLASH + "".join(rnd.choice(_AFTER) for _ in range(rnd.randint(1, 3)))
    doc = pre(text)
    made = []
    for _ in range(2):
        e = Incident({"event_type": rnd.choice(["Battles", "Explosions/Remote violence"]), "fatalities": 0,
                      "evidence": [{"field": "event", "start": 0, "end": 20, "text": text[:20]}]},
                     sent=rnd.choice([0, 1]))
        made.append(e)
    twin = [Incident(dict(e.fields, evidence=list(e["evidence"])), sent=e.sent) for e in made]
    toll_told_after(doc, made)
    _reference_toll_told_after(doc, twin)
    assert [e.fields for e in made] == [e.fields for e in twin]
    assert [e.fat_known for e in made] == [e.fat_known for e in twin]
