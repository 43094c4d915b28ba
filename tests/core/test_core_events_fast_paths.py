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
