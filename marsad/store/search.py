"""Search terms for Arabic text: normalised words plus their clitic-stripped forms.

The index holds, for each word, the word and every reading without its proclitics
(و ف ب ل ك ال ...) and common suffixes (ت وا ها ...), so that a search for قصف finds القصف،
بقصف، وقصفت. A query word matches any reading of an indexed word; a query word with clitics
(القصف) also matches via its own stripped forms. The analysis is backend-neutral; db.py puts
the terms into FTS5.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain

import numpy as np

from ..text import PROCLITICS, normalize_key
from ..text.normalize import _FAST
from ..text.native import core as _core
from ..text.tokens import strip_proclitics

# Suffixes stripped for the index (normalised forms), longest first.
SUFFIXES = sorted({"ت", "ا", "وا", "ون", "ين", "ات", "ان", "تا", "ه", "ها", "هم", "هما", "هن",
                   "نا", "تم", "تها", "ته", "وه", "وها", "ي", "يه"}, key=len, reverse=True)
_SUFFIXES = tuple(SUFFIXES)
MIN_STEM = 3   # shorter stems would make common words match everything
_WORD = re.compile(r"\w+", re.UNICODE)
_NOT_WORD = re.compile(r"\W")


def _is_arabic(word: str) -> bool:
    return any("\u0600" <= c <= "\u06FF" for c in word)


def readings(word: str) -> list[str]:
    """The word (normalised) and its stems without proclitics and suffixes."""
    if _core is not None:   # the same, in the compiled text core
        return _core.search_readings(word, PROCLITICS, _SUFFIXES, MIN_STEM)
    return readings_py(word)


def readings_py(word: str) -> list[str]:
    out = [word]
    if not _is_arabic(word):
        return out
    for _, stem in strip_proclitics(word, min_stem=MIN_STEM):
        if stem not in out:
            out.append(stem)
        for suf in SUFFIXES:
            if stem.endswith(suf) and len(stem) - len(suf) >= MIN_STEM:
                core = stem[: -len(suf)]
                if core not in out:
                    out.append(core)
    return out


@lru_cache(maxsize=200_000)
def _word_terms(word: str) -> tuple[str, ...]:
    return tuple(readings(word))


_TERMS: dict[str, tuple[str, ...]] = {}   # word -> its readings (_word_terms), looked up and made in C
_TERMS_LIMIT = 200_000


def _terms_of(words: dict) -> list[tuple[str, ...]]:
    """The readings of each of these words (a dict's keys), from _TERMS; the words not there
    yet (a news report has some) found by a set difference, not a loop in Python."""
    missing = set(words).difference(_TERMS)
    if missing:
        if len(_TERMS) + len(missing) > _TERMS_LIMIT:
            _TERMS.clear()
            missing = words.keys()
        for w in missing:
            _TERMS[w] = _word_terms(w)
    return list(map(_TERMS.__getitem__, words))


def index_terms(*texts: str | None, once: bool = False) -> str:
    """The space-separated terms to index for these texts, each once, in order of appearance.

    The words of the whole text at once (normalising maps no space to a letter, so they are
    those of its whitespace-separated chunks), each distinct word's readings once. once=True:
    texts indexed only this time (a report's own text), whose words are not kept in the cache
    of texts (the 1,213 news articles' words held 20 MB there, never asked for again)."""
    if once and len(texts) == 1:
        words = key_words(texts[0] or "")
    else:
        text_words = _text_words.__wrapped__ if once else _text_words
        words = chain.from_iterable(map(text_words, filter(None, texts)))
    if _core is not None:   # the same line, each word looked up and each term kept in C
        # a word's readings made in C when missing (as _word_terms: 59,000 new words over the
        # 1,213 news articles, whose calls through Python took 0.07 CPU s)
        line = _core.joined_terms(words, _TERMS, PROCLITICS, _SUFFIXES, MIN_STEM)
        if len(_TERMS) > _TERMS_LIMIT:
            _TERMS.clear()
        return line
    return " ".join(dict.fromkeys(chain.from_iterable(_terms_of(dict.fromkeys(words)))))


_CODES: tuple | None = None   # key_words' tables, made when first needed


def _codes() -> tuple:
    """For each UTF-16 code unit: its normal form (normalize_key) if that is one character, a
    space if that character is no word character (\\w); whether it is dropped; whether its normal
    form is several characters (rare: presentation forms)."""
    global _CODES
    if _CODES is None:
        # every code unit through one regular expression (a space for each that is no word
        # character), then the few that normalize_key changes: a loop over all 65,536 in Python
        # was about 0.5% of storing the 1,213 news articles
        units = "".join(map(chr, range(1 << 16)))
        to = np.frombuffer(_NOT_WORD.sub(" ", units).encode("utf-16-le"), dtype="<u2").copy()
        drop = np.zeros(1 << 16, dtype=bool)
        several = np.zeros(1 << 16, dtype=bool)
        for cp, norm in _FAST.items():
            if cp >= 1 << 16:
                continue
            if not norm:
                drop[cp], to[cp] = True, cp
            elif len(norm) > 1:
                several[cp], to[cp] = True, cp
            else:
                to[cp] = ord(norm) if _WORD.match(norm) else 32
        _CODES = (to, drop, several)
    return _CODES


_CODES_C = None   # the same tables as the compiled core reads them (_core.KeyTables)


def _codes_c():
    global _CODES_C
    to, drop, several = _codes()
    _CODES_C = _core.KeyTables(to, drop.view(np.uint8), several.view(np.uint8))
    return _CODES_C


def key_words(text: str) -> list[str]:
    """_WORD.findall(normalize_key(text)), for a long text (a report's): its code units mapped
    by one numpy look-up to their normal form or a space, then split (the 1,213 news articles'
    texts: 0.09 CPU s, against 0.22 for the translation and the regular expression, per
    character about the same). A text with a character outside the BMP or one whose normal form
    is several characters takes the regular expression."""
    if _core is not None:   # the same words by one pass in C (None: the regular expression)
        words = _core.key_words(text, _CODES_C or _codes_c())
        return _WORD.findall(normalize_key(text)) if words is None else words
    to, drop, several = _codes()
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2")
    if len(units) != len(text) or several[units].any():
        return _WORD.findall(normalize_key(text))
    out = to[units]
    gone = drop[units]
    if gone.any():
        out = out[~gone]
    return out.tobytes().decode("utf-16-le").split()


_words = key_words   # the name marsad/text/_core.pyx's notes give it


@lru_cache(maxsize=4096)
def _text_words(text: str) -> tuple[str, ...]:
    """A text's distinct words in order: an event's index is built again from the same quotes
    each time another report joins it. Its words by key_words' pass in C where the core is built
    (16,000 texts missed the cache storing the 1,213 news articles: their regular expressions
    were about 2% of storing)."""
    if _core is not None:
        return tuple(dict.fromkeys(key_words(text)))
    return tuple(dict.fromkeys(_WORD.findall(normalize_key(text))))


def query_groups(q: str) -> list[list[str]]:
    """For each query word, the alternatives any of which must be found."""
    return [readings(w) for w in _WORD.findall(normalize_key(q or ""))]
