"""The numbers step's compiled rules (components/_numbers.pyx) give the casualties layer of the
pure twin (numbers.run_py) span for span, their data in the same order: on the demo's reports,
the casualty tests' sentences, real news reports (../shared) and texts composed at random from
the step's own word lists, digits and punctuation (the branches' edge cases: ranges, 4,000,
years, percentages, dual nouns, proclitics, sentences ending mid-rule)."""

from __future__ import annotations

import json
import random
import re
from datetime import date
from pathlib import Path

import pytest

from marsad.components import numbers
from marsad.doc import Doc

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "marsad" / "demo" / "reports.jsonl"
NEWS = ROOT.parent / "shared" / "data" / "news" / "conflict_2015.jsonl"
CASES = ROOT / "tests" / "core" / "test_core_arguments_numbers.py"
PUB = date(2015, 8, 6)

native = numbers.native_numbers()
needs_native = pytest.mark.skipif(native is None, reason="components/_numbers.pyx is not built (or MARSAD_PURE)")


def layer(run, text: str) -> list:
    doc = Doc(text, PUB)
    run(doc)
    return [(s.start, s.end, s.label, s.text, s.sent, list(s.data.items())) for s in doc.layer("casualties")]


def same(texts) -> int:
    """Both paths over each text; the number of spans compared."""
    n = 0
    for text in texts:
        want = layer(numbers.run_py, text)
        assert layer(native.run, text) == want, text
        n += len(want)
    return n


def _vocabulary() -> list[str]:
    n = numbers
    words: set[str] = set()
    for table in (n._PRE, n._LABEL, n._LABEL_DUAL, n._POST, n._UNITS, n._TENS, n._HUNDREDS, n._VAGUE):
        words |= set(table)
    for s in (n._TEN, n._HUNDRED, n._THOUSAND, n._THOUSANDS_PL, n._THOUSAND_DUAL, n._VAGUE_NEEDS_MIN,
              n._ADAD_MOD, n._APPROX, n._SINGLE_DEATH, n._PERSON_SET, n._FALL, n._PLURAL_CUE, n._CUE_SKIP,
              n._TOLL, n._TOLL_TO, n._TOLL_SKIP, n._ACTIVE_VERBS, n._PLUS, n._PLUS_2, n._KANU, n._AMONG,
              n._STOP, n._RANGE_WORDS, n._OTHERS, n._NOT_PEOPLE, n._PERCENT, n._NOT_PEOPLE_BEFORE):
        words |= set(s)
    words |= {n._BAAD, n._BETWEEN, n._MIN, n._AND, "في", "احد", "بحياه", "ب"}
    return sorted(words)


def _composed(seed: int, count: int) -> list[str]:
    """Texts of a few sentences each: words of the step's lists, some with a proclitic, the
    article or a dual ending, digits (years, 4,000, و40) and the separators the rules test."""
    rng = random.Random(seed)
    vocab = _vocabulary()
    persons = sorted(numbers._PERSON_SET)
    fillers = ["مدنيا", "اشخاص", "عناصر", "التنظيم", "السوق", "امس", "الجيش", "مدينه", "عام", "نحو"]
    digits = ["7", "12", "4", "000", "2015", "1950", "و40", "ب3", "ل5", "30", "110", "3"]
    seps = [" ", " ", " ", " ", " ", ", ", "-", " - ", "/", "% ", ": ", " ، "]
    out = []
    for _ in range(count):
        sents = []
        for _ in range(rng.randint(1, 4)):
            toks = []
            for _ in range(rng.randint(1, 14)):
                r = rng.random()
                if r < 0.55:
                    w = rng.choice(vocab)
                    p = rng.random()
                    if p < 0.15:
                        w = "و" + w
                    elif p < 0.25:
                        w = "ال" + w
                    elif p < 0.3:
                        w = rng.choice(("وال", "بال", "ب", "ل")) + w
                elif r < 0.75:
                    w = rng.choice(digits)
                elif r < 0.85:
                    w = rng.choice(persons) + rng.choice(("", "ان", "ين", "ا"))
                else:
                    w = rng.choice(fillers)
                toks.append(w)
                toks.append(rng.choice(seps))
            sents.append("".join(toks).strip())
        out.append(rng.choice((". ", "\n", " ")).join(sents) + ".")
    return out


@needs_native
def test_the_casualty_tests_sentences():
    texts = re.findall(r'"([^"\n]*[\u0621-\u064A][^"\n]*)"', CASES.read_text(encoding="utf-8"))
    assert len(texts) > 50
    assert same(texts) > 50


@needs_native
def test_the_demo_reports():
    texts = [json.loads(line)["text"] for line in DEMO.read_text(encoding="utf-8").splitlines()]
    assert same(texts) > 0


@needs_native
@pytest.mark.skipif(not NEWS.exists(), reason="../shared/data/news is not beside the repository")
def test_real_reports():
    with NEWS.open(encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for _, line in zip(range(250), f)]
    assert same(texts) > 500


@needs_native
@pytest.mark.parametrize("seed", range(4))
def test_composed_texts(seed):
    assert same(_composed(seed, 1500)) > 500


@needs_native
def test_edge_texts():
    texts = ["", "قتل", "مقتل 7", "7 قتلى", "قتلى", "بين 10 و15 قتيلا", "مقتل 4,000 شخص", "مقتل 10-15",
             "مقتل 2015", "مقتل 30 في المئة", "لقي شاب مصرعه", "سقوط قتلى وجرحى", "مقتل وجرح 110",
             "حصيلة القتلى إلى 32", "قتل مفجر انتحاري 42 مجندا", "مقتل شرطيين", "مقتل طفل", "مقتل ١٥ مدنيا",
             "20 قتيلا وجريحا", "عشرات القتلى والجرحى", "مقتل 7 بينهم طفلان", "قتل 5 إضافة إلى ثلاثة من العاملين",
             "19 شخصا قتلوا", "مقتل ² شخص"]
    for text in texts:
        try:
            want = layer(numbers.run_py, text)
        except ValueError:      # int() of a digit that is not a decimal one: both raise
            with pytest.raises(ValueError):
                layer(native.run, text)
            continue
        assert layer(native.run, text) == want, text


def test_the_step_is_the_pure_twin_without_the_module():
    assert numbers.component() is (numbers.run_py if native is None else native.run)


@needs_native
def test_every_rule_start_word():
    # _numbers.pyx holds its own set of _RULE_START's words (a frozenset here): each word, at a
    # rule's start in a sentence with a cue, gives the twin's spans
    words = sorted(numbers._RULE_START)
    assert len(words) > 100
    texts = [t for w in words for t in (f"{w} 7 قتلى", f"قتل {w} 12 شخصا", f"اصيب 3 و{w} عشرين")]
    assert same(texts) > len(words)
