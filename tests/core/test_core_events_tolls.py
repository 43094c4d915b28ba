"""The toll decision (tolls.py): which killed counts of a sentence are an incident's fatalities.

Texts are written for the test. The learned decision ships only when cross-validation by article
says it beats the rules; whichever decides, each incident keeps its own count.
"""

import pytest

from marsad.components.events import tolls
from marsad.components.events.incident import Incident
from marsad.components.events.model import MODEL_PATH, load
from marsad.doc import Span
from marsad.pipeline import Pipeline


@pytest.fixture(scope="module")
def nlp():
    return Pipeline()


TWO_INCIDENTS = ("قتل ثلاثة مدنيين في غارة جوية على مدينة صعدة أمس، وفي حادث منفصل قتل خمسة جنود في "
                 "انفجار عبوة ناسفة في مدينة عدن.")


def test_the_toll_of_the_second_incident_is_not_given_to_the_first(nlp):
    doc = nlp(TWO_INCIDENTS)
    got = dict((e["admin1_code"], e["fatalities"]) for e in doc.events)
    assert got == {"YE-SD": 3, "YE-AD": 5}
    for e in doc.events:   # the learned decision too: each count in its own incident's stretch
        [fat] = [x for x in e["evidence"] if x["field"] == "fatalities"]
        assert ("ثلاثة" in fat["text"]) == (e["fatalities"] == 3)


def test_the_rules_give_each_incident_its_own_toll_and_its_evidence(rules_nlp):
    doc = rules_nlp(TWO_INCIDENTS)
    got = sorted((e["admin1_code"], e["fatalities"]) for e in doc.events)
    assert got == [("YE-AD", 5), ("YE-SD", 3)]
    for e in doc.events:   # each toll keeps its evidence, in its own incident's stretch
        [fat] = [x for x in e["evidence"] if x["field"] == "fatalities"]
        assert ("ثلاثة" in fat["text"]) == (e["fatalities"] == 3)


def test_a_part_of_the_toll_is_not_added_to_it(nlp):
    doc = nlp("انفجرت سيارة مفخخة في سوق مدينة بعقوبة صباح اليوم ما أسفر عن مقتل ثمانية أشخاص بينهم ثلاثة أطفال.")
    assert [e["fatalities"] for e in doc.events] == [8]


def _opt(start, count, rule):
    k = Span(start, start + 4, "killed", "عدد", 0, data={"count": count})
    return k, {"tl:bias": 1.0, **({"tl:rule": 1.0} if rule else {}), "tl:x": 1.0}


def test_the_model_overrules_a_count_only_when_sure_by_its_margin():
    opts = [_opt(0, 8, True), _opt(20, 3, False)]
    sure_no = {"tl:x": -3.0}                     # p ~ 0.05 for both counts
    assert tolls.choose(dict(sure_no, margin=0.9), opts) == []          # 0.05 < 0.1: the rules' count drops
    doubt = {"tl:x": -1.0}                       # p ~ 0.27
    assert tolls.choose(dict(doubt, margin=0.9), opts) == [0]           # not sure enough: the rules' count stays
    assert tolls.choose({}, opts) is None and tolls.choose(doubt, []) is None


def test_apply_sums_the_chosen_counts_with_their_evidence():
    opts = [_opt(0, 8, True), _opt(20, 3, False)]
    ev = Incident({"fatalities": 0, "evidence": [{"field": "event", "start": 0, "end": 30, "text": ""}]})
    tolls.apply(ev, opts, [0, 1])
    assert ev["fatalities"] == 11 and ev.fat_known
    assert [(x["field"], x["start"]) for x in ev["evidence"]] == [("event", 0), ("fatalities", 0), ("fatalities", 20)]


def test_the_shipped_toll_model_is_there_only_if_it_beat_the_rules():
    m = load(MODEL_PATH)
    cv = m.meta["figures"]["cv_tolls"]
    better = cv["learned"]["exact"] > cv["rules"]["exact"] and cv["learned"]["zero_right"] >= cv["rules"]["zero_right"]
    assert bool(m.tolls) == cv["shipped"] == better


def test_a_toll_stated_only_in_another_sentence_teaches_nothing_about_this_sentences_counts():
    from marsad.components.events.tolls_train import _informative
    from marsad.doc import Doc
    doc = Doc("قتل ثلاثة جنود في هجوم على حاجز. وارتفعت حصيلة القتلى إلى سبعة.")
    three = Span(0, 9, "killed", "قتل ثلاثة", 0, data={"count": 3})
    ev = Incident({"fatalities": 3}, sent=0, toll_opts=[(three, {})])
    seven = doc.text.index("سبعة")
    assert not _informative(doc, ev, {"fatalities": 7, "spans": {"fatalities": {"start": seven, "end": seven + 4}}})
    assert not _informative(doc, ev, {"fatalities": 7})                 # no span, no count of it here
    assert _informative(doc, ev, {"fatalities": 7, "spans": {"fatalities": {"start": 4, "end": 9}}})
    assert _informative(doc, ev, {"fatalities": 3}) and _informative(doc, ev, {"fatalities": 0})


def test_several_killed_and_wounded_is_ten_dead_and_a_figure_for_both_none(nlp):
    # CODING.md: dead and wounded with no figure ("عدد من القتلى والجرحى") = several = 10 dead;
    # a single figure for both gives null
    base = "قصفت قوات النظام مدينة دوما في ريف دمشق أمس، ما أسفر عن "
    [ev] = nlp(base + "عدد من القتلى والجرحى.").events
    assert ev["fatalities"] == 10
    [ev] = nlp(base + "عشرات القتلى والجرحى.").events
    assert ev["fatalities"] is None
