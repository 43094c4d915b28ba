"""A sentence's compiled gates, groups and candidate loop (events/_cand.pyx's sentence_events) give
what their Python twin (candidates._sentence_events_py) gives, sentence by sentence: with the
shipped detector, in training (every candidate collected with its features) and with the hand-set
rules; MARSAD_PURE=1 runs the twin."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from marsad.components.events import candidates, native
from marsad.components.events.model import default_model

from twin_reports import incident_state, needs_cand, reports


# composed: "لا تزال" (no negation), a denial, a threat, a question, background and a year long
# past, an aggregate of places, a protest about a killing, an undated act after "بعدما", a
# dependent toll clause, an air strike and the shelling after it, a list of villages, weak nouns
COMPOSED = [
    "لا تزال الاشتباكات مستمرة بين الجيش ومسلحي داعش في مدينة الرمادي، وقتل 7 جنود أمس. "
    "ونفت وزارة الدفاع أن تكون طائراتها قصفت مستشفى في حلب. وهل ستقصف روسيا مواقع التنظيم في الرقة؟",
    "تظاهر المئات في مدينة البصرة احتجاجا على مقتل العقيد، وأطلقت الشرطة الرصاص عليهم فقتلت متظاهرا. "
    "قالت الشرطة إنها تواصل التحقيقات بعدما اعتقلت 30 مواطنا.",
    "شن الطيران الحربي غارات على مواقع التنظيم قرب تدمر يوم الأحد، وقصف أهدافا أخرى في ريف حمص. "
    "وقصفت قوات النظام قرى الحويز والحواش والعنكاوي بالبراميل المتفجرة، مما أسفر عن مقتل 4 مدنيين.",
    "يذكر أن التنظيم سيطر على المدينة في عام 2014 بعد معارك مع الجيش. وتدور المعارك في العديد من المدن "
    "السورية. وهددت الجماعة بشن هجمات على مواقع الجيش في المدينة.",
    "أصيب ثلاثة جنود بانفجار عبوة ناسفة في قريتي محمبل وجوزف بريف إدلب يوم السبت، فيما اعتقلت قوات "
    "الأمن خمسة أشخاص في مدينة تعز. وهجوم على حاجز للجيش قرب الموصل.",
]


def _reports():
    return reports(COMPOSED)


_state = incident_state


@needs_cand
@pytest.mark.parametrize("mode", ["detector", "training", "rules"])
def test_compiled_sentence_loop_equals_its_python_twin(mode):
    from marsad.pipeline import DEFAULT_PIPELINE, Pipeline

    if mode != "rules" and default_model() is None:
        pytest.skip("no shipped event detector")
    cand = native.candidate_path()
    assert candidates._sentence_events is cand.sentence_events
    seen = {"sentences": 0, "events": 0, "weak": 0, "copies": 0}

    def both(doc, ctx, *args):
        got = cand.sentence_events(doc, ctx, *args)
        want = candidates._sentence_events_py(doc, ctx, *args)
        assert [_state(e) for e in got] == [_state(e) for e in want]
        seen["sentences"] += 1
        seen["events"] += len(got)
        seen["weak"] += sum(e.weak for e in got)
        seen["copies"] += sum(e.split for e in got)
        return got

    steps = Pipeline([n for n in DEFAULT_PIPELINE if n not in ("events", "document")])
    step = candidates.component(collect=mode == "training", model=None if mode == "rules" else "default")
    candidates._sentence_events = both
    try:
        for text, published in _reports():
            step(steps(text, published, {}))
    finally:
        candidates._sentence_events = cand.sentence_events
    assert seen["sentences"] > 20 and seen["events"] > 20 and seen["copies"] > 0
    if mode == "rules":
        assert seen["weak"] > 0


def test_pure_flag_selects_the_python_sentence_loop():
    code = ("from marsad.components.events import candidates; "
            "print(candidates._sentence_events is candidates._sentence_events_py)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "MARSAD_PURE": "1"}).stdout.split()
    assert out == ["True"]


@needs_cand
@pytest.mark.parametrize("mode", ["detector", "rules"])
def test_compiled_report_loop_equals_its_python_twin(mode):
    """The report's sentence loop (_cand.doc_events: the passage's day and place carried on, the
    previous sentence's agent) codes each report as candidates._doc_events_py does."""
    from marsad.pipeline import DEFAULT_PIPELINE, Pipeline

    if mode != "rules" and default_model() is None:
        pytest.skip("no shipped event detector")
    cand = native.candidate_path()
    assert candidates._doc_events is cand.doc_events
    steps = Pipeline([n for n in DEFAULT_PIPELINE if n not in ("events", "document")])
    step = candidates.component(model=None if mode == "rules" else "default")
    # one more report: days and places carried over paragraphs, a day of another kind, no day
    texts = list(_reports()) + [(
        "قتل جنديان أمس في قصف على بلدة الحوطة.\n\nواعتقلت الشرطة ثلاثة مسلحين.\n\n"
        "وفي صنعاء، قصفت طائرات التحالف مواقع الحوثيين يوم الأحد، وسقط 4 قتلى.\n\nواندلعت اشتباكات بعدها.",
        date(2015, 8, 10))]
    coded = 0
    for text, published in texts:
        got = []
        for loop in (cand.doc_events, candidates._doc_events_py):
            candidates._doc_events = loop
            try:
                doc = steps(text, published, {})
                step(doc)
            finally:
                candidates._doc_events = cand.doc_events
            got.append([_state(e) for e in doc.events])
        assert got[0] == got[1]
        coded += len(got[0])
    assert coded > 20


# a weak trigger's support (supported(): each valid trigger's strength read once by the compiled
# loop): two weak ones in a clause with nothing else (each supports the other), one alone
# (unsupported), a weak one beside a strong one, a strength-0 trigger (skipped), a weak one with a toll
SUPPORT = [
    "وقع قتال عنيف واقتحام في المنطقة الشرقية.",
    "دار قتال في المنطقة.",
    "دار قتال واشتباكات في المنطقة.",
    "شوهدت طائرة استطلاع فوق المدينة.",
    "دار قتال في المنطقة وقتل 3 أشخاص.",
]


@needs_cand
def test_compiled_support_of_weak_triggers_equals_its_python_twin():
    from marsad.pipeline import DEFAULT_PIPELINE, Pipeline

    cand = native.candidate_path()
    steps = Pipeline([n for n in DEFAULT_PIPELINE if n not in ("events", "document")])
    step = candidates.component(collect=True)   # (training: gated candidates kept with their gates)
    gates = []

    def both(doc, ctx, *args):
        got = cand.sentence_events(doc, ctx, *args)
        want = candidates._sentence_events_py(doc, ctx, *args)
        assert [_state(e) for e in got] == [_state(e) for e in want]
        gates.extend(k for e in got for k in (e.feats or {}) if k.startswith("gate:"))
        return got

    candidates._sentence_events = both
    try:
        for text in SUPPORT:
            step(steps(text, date(2015, 8, 10), {}))
    finally:
        candidates._sentence_events = cand.sentence_events
    assert "gate:unsupported" in gates and "gate:none" in gates
