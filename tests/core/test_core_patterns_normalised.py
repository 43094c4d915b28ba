"""Patterns match the normalised text (أ إ آ -> ا, ؤ -> و, ئ ى -> ي, ة -> ه): a pattern written
with a letter normalisation folds away never matches and fails silently (the speaker's-title rule
once held مسؤول, the period dates الفائت). Patterns that read the raw spelling are listed."""

import importlib
import pkgutil
import re

import marsad
from marsad.text.normalize import normalize

FOLDED = "أإآؤئةى"
RAW_SPELLING = {("marsad.ner.features", "_SEAT"), ("marsad.ner.features", "_HAS_SEAT")}


def _patterns(value, depth=0):
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 2 and isinstance(value, dict):
        for v in value.values():
            yield from _patterns(v, depth + 1)
    elif depth < 2 and isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from _patterns(v, depth + 1)


def test_the_letters_checked_are_those_normalisation_folds():
    assert all(c not in normalize(FOLDED)[0] for c in FOLDED)


def test_no_module_pattern_holds_a_letter_normalisation_folds():
    seen, bad = 0, []
    for m in pkgutil.walk_packages(marsad.__path__, "marsad."):
        if m.name.endswith("__main__"):
            continue
        mod = importlib.import_module(m.name)
        for name, value in vars(mod).items():
            for p in _patterns(value):
                seen += 1
                if isinstance(p.pattern, str) and set(p.pattern) & set(FOLDED) \
                        and (m.name, name) not in RAW_SPELLING:
                    bad.append((m.name, name, "".join(sorted(set(p.pattern) & set(FOLDED)))))
    assert seen > 50     # the walk reached the patterns
    assert bad == []
