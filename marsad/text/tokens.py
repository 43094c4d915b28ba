"""Sentences and tokens over the normalised text, with proclitics separated for matching.

``split_sentences`` runs in the compiled text core (``_core.pyx``) and ``tokenize`` in the
compiled Doc module (``_doc.pyx``) when they are built (``native.py``); the ``*_py`` functions
here are the pure-Python path, with the same output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .native import compiled, core

# the tokens made in C (_doc.pyx), when built: the same Token objects as tokenize_py's
_doc = compiled(__package__ + "._doc", 3)

# Proclitic sequences that can stand before a word, longest first (normalised forms).
PROCLITICS = (
    "وبال", "فبال", "وكال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل",
    "ال", "وب", "فب", "ول", "فل", "وك", "فك", "وس", "و", "ف", "ب", "ل", "ك",
)

_WORD = re.compile(r"[\w]+", re.UNICODE)
# Sentence ends: . ! ? ; followed by space/quote/end (not a decimal point), or directly by an
# Arabic letter (news text often omits the space: "نعمة.وفي"), or a line break.
_SENT_END = re.compile(r'(?<!\d)[.!?;]+(?=["\')\]]*(\s|$|[\u0621-\u064A]))|\n+')


@dataclass(slots=True)
class Token:
    start: int      # offsets into the normalised text
    end: int
    norm: str       # normalised surface form
    i: int          # index in the document's token list
    sent: int       # index of its sentence

    def stems(self) -> list[tuple[str, str]]:
        """(proclitic, stem) readings, the bare word first."""
        return strip_proclitics(self.norm)


# word -> the proclitics it has a reading behind (min_stem=2) with their lengths, bounded. Only
# those are kept, as one of the few distinct tuples of them (_SHARED): the (proclitic, stem) pairs
# and the stems are made by each call, as is the bare reading ("", word). Pairs kept per word held
# 7.6 MB of peak RSS over 1,213 news reports (121,000 objects); the shared tuples hold none per
# word. Making the pairs costs about 65 ns a call (docs/rounds/scale.md, mem46).
_READINGS: dict[str, tuple[tuple[str, int], ...]] = {}
_READINGS_MAX = 200_000
_SHARED: dict[tuple, tuple] = {}


# PROCLITICS by first letter, in their order: a word is only tried against those it starts with.
_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _p in PROCLITICS:
    _BY_FIRST[_p[0]] = _BY_FIRST.get(_p[0], ()) + (_p,)
del _p


def _proclitics(word: str, min_stem: int) -> tuple[tuple[str, int], ...]:
    """The proclitics the word has a reading behind, longest first, each with its length."""
    return tuple([(p, len(p)) for p in _BY_FIRST.get(word[:1], ())
                  if word.startswith(p) and len(word) - len(p) >= min_stem])


def strip_proclitics(word: str, min_stem: int = 2) -> list[tuple[str, str]]:
    """(proclitic, stem) readings of a word, the bare word first, then longest proclitic first.

    A new list each call (callers may change it); the proclitics of a word are found once."""
    if min_stem != 2:
        return [("", word), *[(p, word[n:]) for p, n in _proclitics(word, min_stem)]]
    ps = _READINGS.get(word)
    if ps is None:
        if len(_READINGS) >= _READINGS_MAX:
            _READINGS.clear()
        ps = _proclitics(word, 2)
        ps = _READINGS[word] = _SHARED.setdefault(ps, ps)
    if not ps:
        return [("", word)]
    if len(ps) == 1:        # most words with a reading (no comprehension: a third of the cost)
        (p, n), = ps
        return [("", word), (p, word[n:])]
    return [("", word), *[(p, word[n:]) for p, n in ps]]


def _is_initial(norm: str, m: re.Match) -> bool:
    """A lone period after a one-letter word: the initial of a name ("المدعوة ف.أ."، "م. ج") or
    of an agency ("أ. ف. ب"), not a sentence end."""
    if m.group() != ".":
        return False
    i = m.start()
    return i >= 1 and norm[i - 1].isalpha() and (i == 1 or not norm[i - 2].isalnum())


def split_sentences_py(norm: str) -> list[tuple[int, int]]:
    """Sentence spans (normalised offsets), stripped of surrounding whitespace."""
    spans = []
    pos = 0
    for m in _SENT_END.finditer(norm):
        if _is_initial(norm, m):
            continue
        spans.append((pos, m.end()))
        pos = m.end()
    spans.append((pos, len(norm)))
    out = []
    for a, b in spans:
        while a < b and norm[a].isspace():
            a += 1
        while b > a and norm[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def tokenize_py(norm: str, sentences: list[tuple[int, int]]) -> list[Token]:
    tokens: list[Token] = []
    for si, (a, b) in enumerate(sentences):
        n = len(tokens)
        tokens += [Token(m.start(), m.end(), m.group(), n + k, si)
                   for k, m in enumerate(_WORD.finditer(norm, a, b))]
    return tokens


_TOKEN_SLOTS = _doc.slots_of(Token) if _doc is not None else None


def tokenize(norm: str, sentences: list[tuple[int, int]]) -> list[Token]:
    """Tokens (runs of word characters) of each sentence, numbered through the document."""
    if _doc is not None:
        return _doc.tokenize(norm, sentences, Token, _TOKEN_SLOTS)
    return tokenize_py(norm, sentences)


split_sentences = split_sentences_py if core is None else core.split_sentences


def sentence_ranges(tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """Index ranges [i, j) of the tokens of each sentence, in order (sentences without a word
    have no range)."""
    i, n = 0, len(tokens)
    while i < n:
        j, s = i + 1, tokens[i].sent
        while j < n and tokens[j].sent == s:
            j += 1
        yield i, j
        i = j
