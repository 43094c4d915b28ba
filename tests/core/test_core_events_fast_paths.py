"""The event step's shortcuts give what the code they replace gives: the sentence tests by token
look-ups against their regular expressions, on real and on random sentences."""

from __future__ import annotations

import json
import random
from pathlib import Path

from marsad.components.events import rules
from marsad.doc import Doc

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "marsad" / "demo" / "reports.jsonl"
NEWS = ROOT / ".." / "shared" / "data" / "news" / "conflict_2015.jsonl"


def _sentences():
    texts = [json.loads(line)["text"] for line in DEMO.read_text(encoding="utf-8").splitlines()]
    words = (list(rules._TIME_SET or ()) + list(rules._SUPPORT_SET or ()) + list(rules._CROWD_SET or ())
             + ["12", "٣", "5x", "_", "x_12", "واليوم", "والامس", "ب", "و", "عشرات_", "حشدا", "3.5", "¹", "٣٫٥"])
    rnd = random.Random(11)
    for _ in range(3000):
        texts.append("".join(rnd.choice(words) + rnd.choice([" ", "", ",", "_", "\n", "-", "."])
                             for _ in range(rnd.randint(0, 12))))
    for text in texts:
        doc = Doc(text)
        norms = [t.norm for t in doc.tokens]
        starts = [t.start for t in doc.tokens]
        for a, b in doc.sentences:
            toks = [w for w, s in zip(norms, starts) if a <= s < b]
            yield doc.norm[a:b], toks


def test_sentence_tests_by_words_equal_the_patterns():
    assert rules._TIME_SET is not None and rules._SUPPORT_SET is not None and rules._CROWD_SET is not None
    n, hits = 0, [0, 0, 0]
    for text, toks in _sentences():
        got = (rules.time_in(text, toks), rules.protest_support_in(text, toks), rules.crowd_in(text, toks))
        assert got == (bool(rules.TIME.search(text)), bool(rules.PROTEST_SUPPORT.search(text)),
                       bool(rules.CROWD.search(text))), text
        hits = [h + g for h, g in zip(hits, got)]
        n += 1
    assert n > 3000 and min(hits) > 100 and max(hits) < n - 100   # both answers, often


def test_clause_breaks_from_the_reports_marks_equal_the_scan():
    """clause_breaks: the report's one-character marks found once give, in a sentence without
    "-", what the scan of _CLAUSE_PUNCT over the sentence gives; with "-" the scan runs."""
    from marsad.components.events.clauses import _CLAUSE_PUNCT, clause_breaks
    from marsad.components.events.context import Ctx

    texts = [json.loads(line)["text"] for line in DEMO.read_text(encoding="utf-8").splitlines()]
    rnd = random.Random(16)
    parts = ["قصف", "و", ",", "،", ":", ";", "(", ")", "[", "]", " - ", "-", " ", ".", "\n", "ثم", "بعد ان"]
    texts += ["".join(rnd.choice(parts) for _ in range(rnd.randint(0, 40))) for _ in range(2000)]
    n = dashed = 0
    for text in texts:
        doc = Doc(text)
        ctx = Ctx(doc)
        openers = ctx.clause_openers()
        for a, b in doc.sentences:
            want = sorted([m.start() for m in _CLAUSE_PUNCT.finditer(doc.norm, a, b)]
                          + [o for o in openers if a <= o < b])
            assert clause_breaks(doc, ctx, a, b) == want, doc.norm[a:b]
            n += 1
            dashed += "-" in doc.norm[a:b]
    assert n > 2000 and 100 < dashed < n - 100


def test_landmark_cache_answers_as_the_searches():
    """places.landmark is asked once per place span: the answers are those of its searches."""
    from marsad.components.events import places
    from marsad.components.events.context import Ctx
    from marsad.pipeline import default_pipeline

    nlp = default_pipeline()
    seen = 0
    for line in DEMO.read_text(encoding="utf-8").splitlines()[:20]:
        doc = nlp(json.loads(line)["text"])
        ctx = Ctx(doc)
        for p in doc.layer("places"):
            n0 = ctx.nstart(p)
            before = doc.norm[max(0, n0 - 40):n0]
            want = bool(places._BEARING.search(doc.norm, max(0, n0 - 40), n0) or places._OFFICE.search(before)
                        or places._ORIGIN.search(before))
            assert places.landmark(doc, ctx, p) is want and places.landmark(doc, ctx, p) is want
            seen += 1
    assert seen > 20


def test_chosen_place_builds_features_only_when_choose_weighs_them(monkeypatch):
    """arguments.chosen_place's Python twin: for every candidate the detector keeps (the demo
    reports), the place that choose() picks from every option's features, or None; it builds the
    features of the rules' choice and of the options in another governorate or country only, and
    only when choose() would weigh them (the compiled one builds none: tests/components/
    test_events_sides.py checks it against this one)."""
    from marsad.components.events import arguments
    from marsad.pipeline import default_pipeline

    real = arguments._chosen_place_py
    features = arguments.option_features
    asked = []
    built = []

    def counted(*args):
        built.append(args[3])
        return features(*args)

    def checked(doc, ctx, ev, weights):
        opts = arguments.place_options(doc, ctx, ev)
        k = arguments.choose(weights, opts) if weights else None
        built.clear()
        got = real(doc, ctx, ev, weights)
        assert got is (opts[k][0] if k is not None else None)
        weighed = []
        if weights and len(opts) >= 2 and opts[0][0] is ev.place_span:
            own = arguments._where(opts[0][0])
            others = [p for p, _ in opts[1:] if arguments._where(p) != own]
            weighed = [opts[0][0]] + others if others else []
        assert built == weighed
        asked.append(len(opts))
        return got

    monkeypatch.setattr(arguments, "option_features", counted)
    monkeypatch.setattr(arguments, "chosen_place", checked)
    nlp = default_pipeline()
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    if NEWS.exists():   # and 80 real articles, when the shared data is beside the repository
        lines += NEWS.read_text(encoding="utf-8").splitlines()[:80]
    for line in lines:
        nlp(json.loads(line)["text"])
    assert len(asked) > 5 and max(asked) >= 2


def test_ctx_ntok_partial_and_doc_span_answer_as_before():
    """Ctx.ntok (a partial of bisect_left set per Ctx) is the method's answer at every offset;
    Doc.span (doc.orig inlined) gives orig's offsets and its own data dict."""
    from marsad.components.events.context import Ctx

    for line in DEMO.read_text(encoding="utf-8").splitlines()[:10]:
        doc = Doc(json.loads(line)["text"])
        ctx = Ctx(doc)
        assert [ctx.ntok(i) for i in range(len(doc.norm) + 2)] == \
            [Ctx.ntok(ctx, i) for i in range(len(doc.norm) + 2)]
        for a, b in [(0, 0), (0, 5), (3, 3), (5, 2), (len(doc.norm), len(doc.norm))]:
            data = {"k": 1}
            sp = doc.span(a, b, "x", 0, **data)
            assert (sp.start, sp.end) == doc.orig(a, b) and sp.text == doc.text[sp.start:sp.end]
            assert sp.data == data and sp.data is not data
