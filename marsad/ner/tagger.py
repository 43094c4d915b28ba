"""The name tagger: loads the shipped perceptron model and tags a Doc, all sentences at once.

The model (``model/anercorp.npz``) is trained by ``marsad ner train`` on ANERcorp;
``model/anercorp.json`` beside it records the data version, the split, the feature groups and
lexicons it was trained with, and its held-out figures.

Speed comes from the word type: the summed weights of a word's own features, and of those it
lends to its neighbours, are computed once per word type (``_WordCache``) and kept in one array,
so a sentence's emission scores are five array look-ups plus the few token features (punctuation,
lexicon matches). Viterbi then runs over all sentences of the document together.

Each loop compiled in ``_decode.pyx`` has a Python twin here or in ``persons.py`` /
``features.py`` that gives the same answer; the twin asks the compiled one first thing, inside
itself (``if _native is not None: return _native.f(...)``), so callers call the twin alone. The
decoding path's twins take the Tagger's decoder as an argument instead (``Tagger(native=False)``
decodes with numpy); ``MARSAD_PURE=1`` or a missing build leaves the module's decoder None.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import threading
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from .features import (BOS, EOS, DEFAULT_GROUPS, WORD_KINDS, KindSlots, LexiconFeatures, Source, WordFeatures,
                       adjective_heads, available_sources, cue_words, doc_gap_features, gap_features, name_heads,
                       cluster_table, token_start, org_spans, org_tails, untagged_heads)
from .native import decoder as _native
from . import docpass, persons, tables
from .mention import NISBA, Mention, in_order, one_space
from .nationalities import country_adjective, country_adjectives
from .perceptron import LABELS, Model, viterbi
from ..lang.clusters import same_words
from ..text import PROCLITICS, strip_proclitics

_END = attrgetter("end")  # a C key for bisect over the tokens

MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL_PATH = MODEL_DIR / "anercorp.npz"
TYPES = {"LOC": "LOC", "PER": "PER", "PERS": "PER", "ORG": "ORG", "MISC": "MISC"}
_CACHE_MAX = 100_000  # word types kept (5 x 9 float32 each: 18 MB at most), then the cache starts again


_TANWEEN_MARKS = "\u064b\u064c\u064d"
_TANWEEN = re.compile(f"[{_TANWEEN_MARKS}]")
_COUNTRYSIDE = {"ريف", "بريف", "وريف", "لريف", "فريف", "وبريف"}
_GAZ = ("gaz=B", "gaz=I", "gazw=B", "gazw=I")
_GAZ_STRONG = ("gaz=B", "gaz=I")
# a token's gazetteer bits, from its own lexicon tags: 2 a gazetteer name, 1 one that is no common word
_FLAG_OF = {t: 2 | (t in _GAZ_STRONG) for t in _GAZ}
_PER_BINS = frozenset(("per0", "per1"))   # the `tagged` table's bins of a name word (_name_word)


def _after_head(doc, m: Mention, prev_last: int) -> None:
    """A place name right after a word for a kind of organisation without its article (جريدة
    القدس، جامعة زيورخ، حزب ...: data/name_heads.tsv) is that organisation's name; where the
    annotators put the word inside the name, an organisation takes it in. A person stays a person
    (قوات صالح، حزب صالح: his forces, his party)."""
    toks, k = doc.tokens, m.first - 1
    # nothing but a space between (جامعة « نورث كارولاينا »: the quoted name is all the name)
    if m.type not in ("LOC", "ORG") or k <= prev_last or doc.norm[toks[k].end:toks[m.first].start] != " ":
        return
    inside = _head_of(toks[k].norm)
    if inside is not None:
        m.type = "ORG"
        if inside:
            m.first = k


@lru_cache(maxsize=1)
def _head_forms() -> frozenset[str]:
    """Every word ``_head_of`` can find a head in: each head word of data/name_heads.tsv, alone and
    behind each proclitic but the article's (``strip_proclitics`` reads a word as proclitic +
    stem). A word outside it is no head: ``_clean`` asks ``_after_head`` only after one of these."""
    return frozenset(p + w for p in ("",) + PROCLITICS if not p.endswith(("ال", "لل")) for w in name_heads())


@lru_cache(maxsize=4096)   # asked before nearly every mention: the same few hundred words
def _head_of(word: str) -> bool | None:
    """Whether a name after the word (an organisation-kind word, data/name_heads.tsv, in the
    construct state) takes the word in, or None when it is no such word."""
    heads = name_heads()
    for stem in _bare_readings(word):
        inside = heads.get(stem)
        if inside is not None:
            return inside
    return None


@lru_cache(maxsize=4096)   # asked of the first word of each listed organisation found
def _names_after(word: str) -> bool:
    """The word is one for a kind of organisation whose name starts after it (حركة | طالبان:
    data/name_heads.tsv), in the construct state (``_bare_readings``)."""
    heads = name_heads()
    return any(heads.get(stem) is False for stem in _bare_readings(word))


def _org_ranges(toks: list, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The token range [i, j) of each (start, end) of spans (normalised offsets): i the last
    token starting at or before start, j the first starting at or after end, for the spans with
    0 <= i < j whose tokens are in one sentence (``_decode.org_ranges`` is the compiled twin)."""
    if _native is not None:
        return _native.org_ranges(toks, spans)
    out = []
    for a, b in spans:   # searched by start with a C key: no list of all the starts per report
        i = bisect.bisect_right(toks, a, key=token_start) - 1
        j = bisect.bisect_left(toks, b, key=token_start)
        if 0 <= i < j and toks[i].sent == toks[j - 1].sent:
            out.append((i, j))
    return out


def _describes(doc, k: int) -> bool:
    """Token k is an organisation word used as an adjective of the word before it (اللجنة
    المنظمة: data/adjective_heads.tsv): both with the article, nothing but a space between."""
    toks = doc.tokens
    return (k > 0 and toks[k].norm in adjective_heads() and toks[k - 1].norm.startswith("ال")
            and one_space(doc, k - 1, k))


def _take_complement(doc, m: Mention, stop: int) -> None:
    """An organisation named by a word for its kind and adjectives (المنظمة العالمية، البنك
    الآسيوي) goes on through a complement with لل and that complement's adjectives (المنظمة
    العالمية للملكية الفكرية، البنك الآسيوي للتنمية), which the tagger often leaves out: in
    ANERcorp's training part 20 of the 21 such names take the complement in. Not a name with a
    noun in it (جامعة الدول العربية للقصف: the League's [condemnation] of the shelling), which
    the training part never shows before لل. Tokens from stop on are another mention's."""
    toks = doc.tokens

    def next_to(j: int) -> bool:  # token j follows token j-1, before another mention's tokens
        return j < stop and one_space(doc, j - 1, j)

    j = m.last + 1
    if not (m.first < m.last and next_to(j) and toks[j].norm.startswith("لل") and len(toks[j].norm) > 3
            and all(NISBA.fullmatch(t.norm) for t in toks[m.first + 1:j])):
        return
    cues = cue_words()
    if not any("org_cue" in cues.get(stem, ()) for _, stem in strip_proclitics(toks[m.first].norm)):
        return
    j += 1
    while next_to(j) and NISBA.fullmatch(toks[j].norm):
        j += 1
    m.last = j - 1


def _take_tail(doc, m: Mention, stop: int) -> None:
    """An organisation goes on through a word that ends an outlet's name after it (الجزيرة نت:
    data/org_tails.tsv), one space apart. Tokens from stop on are another mention's."""
    j = m.last + 1
    if j < stop and doc.tokens[j].norm in org_tails() and one_space(doc, m.last, j):
        m.last = j


def _drop_country_adjective(doc, m: Mention) -> None:
    """A proper name of an organisation followed by its country's adjective (جامعة ريكو اليابانية،
    لوموند الفرنسية، قطر القطري) ends before the adjective, as ANERcorp marks it; after a word
    with the article the adjective is part of a descriptive name (منظمة التحرير الفلسطينية،
    مجلس الأمن القومي السعودي, marked whole). In the CV folds' output 7 ORG ended in a country
    adjective (the gazetteer's demonyms): 5 after a word without the article, all 5 marked without
    the adjective in the gold, and 2 after one, 1 of them marked whole. The adjectives are the
    persons rules' too (``nationalities.country_adjective``, with data/nationalities.tsv's)."""
    toks = doc.tokens
    if m.last > m.first and country_adjective(toks[m.last].norm) and not _definite(toks[m.last - 1].norm):
        m.last -= 1


def _definite(word: str) -> bool:
    """The word has the article (after its proclitics: الجامعة، بالجامعة، للجامعة)."""
    return word.startswith("ال") or any(p.endswith(("ال", "لل")) for p, _ in strip_proclitics(word))


def _bare_readings(word: str):
    """The word's stems behind its proclitics, but for readings with the article (ال، لل = ل + ال):
    a head word names the organisation after it only in the construct state (جامعة زيورخ)."""
    return (stem for p, stem in strip_proclitics(word) if not p.endswith(("ال", "لل")))


_QUOTES = {'"': '"', "«": "»", "“": "”", "'": "'"}
QUOTED_WORDS = 7   # at most this many words in a quoted name
# The score of a quoted name after an organisation word: in ANERcorp's training part 39 of the 43
# such quotes are one ORG name (the 4 others are not annotated at all).
QUOTED_SCORE = 0.9


_QUOTE_MARKS = "".join(_QUOTES)


def _quote_starts(norm: str) -> list[int]:
    """Where each opening quote (a key of _QUOTES) is, in order: by ``str.find`` per quote, not a
    regex whose character class is asked of every letter (4% of cold tagging); in one pass over
    the letters where built (``_decode.quote_starts``)."""
    if _native is not None:
        return _native.quote_starts(norm, _QUOTE_MARKS)
    out = []
    for q in _QUOTES:
        i = norm.find(q)
        while i >= 0:
            out.append(i)
            i = norm.find(q, i + 1)
    out.sort()
    return out


def _blank_after(norm: str, toks: list, positions: list[int]) -> list[tuple[int, int]]:
    """(q, k) for each q of positions after a token k, the last ending at or before q, with
    nothing but white space between them (``_decode.blank_after`` is the compiled twin)."""
    if _native is not None:
        return _native.blank_after(norm, toks, positions)
    out = []
    for q in positions:   # the word before q by the tokens' ends, without listing them all
        k = bisect.bisect_right(toks, q, key=_END) - 1
        if k >= 0 and not norm[toks[k].end:q].strip():
            out.append((q, k))
    return out


@lru_cache(maxsize=1)
def _quote_forms() -> frozenset[str]:
    """Every word ``_names_quote`` can find an organisation word in: each org_cue word of cues.tsv
    that is no loc_cue, alone and behind each proclitic but the article's (as ``_head_forms``;
    about 1,100 words). A word outside it names no quote: the word before a quote mark is asked
    this first (the rule's readings of each new word were 1% of cold tagging)."""
    cues = cue_words()
    names = [w for w, kinds in cues.items() if "org_cue" in kinds and "loc_cue" not in kinds]
    return frozenset(p + w for p in ("",) + PROCLITICS if not p.endswith(("ال", "لل")) for w in names)


@lru_cache(maxsize=4096)   # asked of the word before a quote mark in _quote_forms: a few dozen words
def _names_quote(word: str) -> bool:
    """An organisation word in the construct state, not also a place word (مديرية: a district):
    a quoted name after it is the organisation's (``_quoted_names``)."""
    cues = cue_words()
    return any("org_cue" in cues.get(stem, ()) and "loc_cue" not in cues.get(stem, ())
               for stem in _bare_readings(word))


def _quoted_names(doc, mentions: list[Mention]) -> list[Mention]:
    """A name in quotes right after a word for a kind of organisation (شركة « أمريكان أكسبريس »،
    صحيفة " السفير "، جمعية " كاريكاتير إيران ") is one ORG, the quoted words whatever the tagger
    made of them (a place, a person, part of the name). Not after the word with its article
    (التحالف « نفق التواهي »: the coalition, then a place)."""
    norm, toks = doc.norm, doc.tokens
    starts = _quote_starts(norm)
    if not starts:
        return mentions
    quoted: list[tuple[int, int]] = []
    after = 0
    forms = _quote_forms()
    # each quote right after a word, and that word (in C where built: a bisection per quote mark)
    for q, k in _blank_after(norm, toks, starts):
        if q < after or toks[k].norm not in forms or not _names_quote(toks[k].norm):
            continue
        c = norm.find(_QUOTES[norm[q]], q + 1)
        j = bisect.bisect_right(toks, c, key=_END)   # the quoted words are k+1 .. j-1
        if c < 0 or not k + 1 < j <= k + 1 + QUOTED_WORDS or "\n" in norm[q:c] \
                or toks[k].sent != toks[j - 1].sent:
            continue
        quoted.append((k + 1, j))
        after = c + 1
    if not quoted:
        return mentions
    inside = bytearray(len(toks))   # 1 for a quoted word: a mention is kept with none of them
    for i, j in quoted:
        inside[i:j] = b"\1" * (j - i)
    return in_order(_outside(mentions, inside) + [Mention("ORG", i, j - 1, QUOTED_SCORE) for i, j in quoted])


def _outside(mentions: list[Mention], inside: bytearray) -> list[Mention]:
    """The mentions none of whose tokens is marked (1) in inside, in order (``_decode.outside`` is
    the compiled twin)."""
    if _native is not None:
        return _native.outside(mentions, inside)
    return [m for m in mentions if inside.find(1, m.first, m.last + 1) < 0]


# The score of such a name: in ANERcorp's training part every one of the 17 is right
# (data/untagged_heads.tsv); as QUOTED_SCORE, high enough that the places step makes no LOC inside.
UNTAGGED_SCORE = 0.9


@lru_cache(maxsize=1)
def _untagged_forms() -> frozenset[str]:
    """Every word with a reading ``_untagged_names`` reads as a head: each word of
    data/untagged_heads.tsv alone and behind each proclitic but the article's (as ``_head_forms``)."""
    return frozenset(p + w for p in ("",) + PROCLITICS if not p.endswith(("ال", "لل")) for w in untagged_heads())


def _untagged_names(doc, mentions: list[Mention], at: list[int] | None = None) -> list[Mention]:
    """A word with the article right after a newspaper or club word in the construct state
    (صحيفة الأهرام، جريدة الحياة، نادي النصر: data/untagged_heads.tsv), both outside every
    mention the tagger found, is that organisation's name (one word: the tagger, which finds a
    longer name often enough, left this one out). at: the tokens whose word is one of
    ``_untagged_forms``, when the caller has them."""
    heads = untagged_heads()
    toks = doc.tokens
    # the only words whose readings can hold a head (one pass over the tokens, in C where built)
    found = persons.tokens_in(toks, _untagged_forms()) if at is None else at
    if not found:
        return mentions
    ends = tuple(heads)
    taken = persons.covered(mentions, len(toks))
    added = []
    for k in found:
        if k >= len(toks) - 1:
            break
        word, name = toks[k].norm, toks[k + 1].norm
        if not word.endswith(ends) or taken[k] or taken[k + 1] or not name.startswith("ال") \
                or len(name) < 4 or not name.isalpha() or not one_space(doc, k, k + 1):
            continue
        if any(stem in heads for stem in _bare_readings(word)):
            added.append(Mention("ORG", k + 1, k + 1, UNTAGGED_SCORE))
    return in_order(mentions + added) if added else mentions


def _mixed_script(tokens) -> bool:
    """Latin (or digits-only) words and Arabic words in one name: news names keep to one script."""
    latin = arabic = False
    for t in tokens:
        if t.norm.isascii():
            latin = True
        else:
            arabic = True
    return latin and arabic


def bio_spans(labels: Sequence[str]) -> list[tuple[str, int, int]]:
    """(type, i, j) spans, j exclusive; an I- without its B- starts a span (as the scorer reads it)."""
    spans = []
    if labels.count("O") == len(labels):
        return spans  # a sentence that names nothing
    start, typ = None, None
    for i, lab in enumerate([*labels, "O"]):
        t = TYPES.get(lab[2:]) if len(lab) > 2 else None
        inside = lab.startswith("I-") and t == typ
        if start is not None and not inside:
            spans.append((typ, start, i))
            start, typ = None, None
        if t and (lab.startswith("B-") or (lab.startswith("I-") and start is None)):
            start, typ = i, t
    return spans


# label id -> (its type, whether it begins a name): for reading spans off label ids
_LABEL_TYPE = [(TYPES.get(lab[2:]), lab.startswith("B-")) for lab in LABELS]


def id_spans(labels: np.ndarray, native=None) -> list[tuple[str, int, int]]:
    """``bio_spans`` over label ids, visiting only the tokens that are not O (a few in ten;
    ``_decode.id_spans`` is the compiled twin, asked when native, a Tagger's decoder, is given)."""
    if native is not None:
        return native.id_spans(labels, _LABEL_TYPE)
    spans = []
    start, typ, prev = -1, None, -2
    kinds = _LABEL_TYPE
    idx = np.flatnonzero(labels)
    for i, lab in zip(idx.tolist(), labels[idx].tolist()):
        t, begins = kinds[lab]
        if begins or i != prev + 1 or t != typ:
            if start >= 0:
                spans.append((typ, start, prev + 1))
            start, typ = i, t
        prev = i
    if start >= 0:
        spans.append((typ, start, prev + 1))
    return spans


def id_mentions(labels: np.ndarray, native=None) -> list[Mention]:
    """A Mention (score 0.0) of each span ``id_spans`` reads off the label ids
    (``_decode.id_mentions`` is the compiled twin, asked when native, a Tagger's decoder, is given)."""
    if native is not None:
        return native.id_mentions(labels, _LABEL_TYPE, Mention)
    return [Mention(typ, a, b - 1, 0.0) for typ, a, b in id_spans(labels)]


def token_features(words: WordFeatures, norm: str, sent_tokens: Sequence,
                   lex: Sequence[list[str]] | None, forms: dict[int, str] | None = None) -> list[list[str]]:
    """Every feature string of each token of one sentence (training; the tagger sums the same
    features through its word cache). forms: ``WordFeatures.forms`` of the doc (hamza-seat
    forms by token index)."""
    get = (forms or {}).get
    c = [words(BOS), words(BOS), *[words(get(t.i, t.norm)) for t in sent_tokens], words(EOS), words(EOS)]
    gaps = gap_features(norm, sent_tokens)
    out = []
    for i in range(len(sent_tokens)):
        k = i + 2
        f = c[k][0] + c[k - 1][1] + c[k + 1][2] + c[k - 2][3] + c[k + 2][4] + gaps[i]
        if lex:
            f = f + lex[i]
        out.append(f)
    return out


_POS = {"-1": 1, "+1": 2, "-2": 3, "+2": 4}


def _slots(features: Iterable[tuple[str, int]]) -> tuple[dict[str, int], np.ndarray]:
    """Unprefixed feature -> slot, and slot -> its rows at positions 0, -1, +1, -2, +2, from a
    model's (feature, row) pairs (``Model.items``)."""
    pos = _POS
    base: dict[str, int] = {"": 0}
    cells: list[tuple[int, int, int]] = []
    for f, r in features:
        p = pos.get(f[:2], 0)
        b = base.setdefault(f[2:] if p else f, len(base))
        cells.append((b, p, r))
    slots = np.zeros((len(base), 5), dtype=np.int64)
    if cells:
        c = np.array(cells, dtype=np.int64)
        slots[c[:, 0], c[:, 1]] = c[:, 2]
    slots[0] = 0
    return base, slots


def _token_vocab(features: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Feature -> row of the features that are not of a word type (punctuation beside a token,
    lexicon matches, whatever a newer model adds): the only ones the tagger looks up by string,
    the word features going through the per-kind slots (``KindSlots``)."""
    out = {}
    for f, r in features:
        g = f[2:] if f[:2] in _POS else f
        if g.partition("=")[0] not in WORD_KINDS:
            out[f] = r
    return out


def meta_path(model_path: Path) -> Path:
    return Path(model_path).with_suffix(".json")


def file_sha256(path: Path) -> str:
    import hashlib  # here, not at import: OpenSSL costs every extracting process 3.7 MB
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _temperatures(temps) -> dict[str, float]:
    """A model's score temperatures by type (an older model's JSON has one for all)."""
    return temps if isinstance(temps, dict) else dict.fromkeys(("LOC", "PER", "ORG", "MISC"), temps)


def _runs(sent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of each run of tokens of one sentence."""
    starts = np.flatnonzero(np.concatenate(([True], sent[1:] != sent[:-1])))
    return starts, np.diff(np.append(starts, len(sent)))


def _gaz_flags(lex: dict[int, list[str]], n: int) -> np.ndarray:
    """Each token's gazetteer bits (``_FLAG_OF``) from its lexicon features."""
    flags = np.zeros(n, dtype=np.uint8)
    for k, feats in lex.items():
        for f in feats:
            flags[k] |= _FLAG_OF.get(f, 0)
    return flags


class _WordCache:
    """Word type -> row of ``em``: the summed weights of its own features and of those it lends
    to positions -1, +1, -2, +2 (shape (rows, 5, labels)).

    The model's features are indexed by their unprefixed form (``slots``: "w=حلب" -> the rows
    of "w=حلب", "-1w=حلب", "+1w=حلب", "-2w=حلب", "+2w=حلب", 0 where the model has none), so a new
    word costs one look-up per own feature."""

    def __init__(self, model: Model, words: WordFeatures, native=None, tables: dict | None = None):
        """tables: the model's ``slots`` and ``kinds`` as ``tables.build`` made them, when compiled."""
        self.model, self.words, self.native = model, words, native
        if tables is not None:
            self.slots, self.kinds = tables["slots"], tables["kinds"]
        else:
            base, self.slots = _slots(model.items())
            # base itself is not kept: kinds holds the same slots
            self.kinds = KindSlots(base, same_words() if words.clusters else None)
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.index: dict[str, int] = {}
        self.em = np.zeros((1024, 5, len(LABELS)), dtype=np.float32)
        self._add([BOS, EOS])

    def _add(self, new: list[str], indexed: bool = False) -> None:
        """The rows of the new words, after the others; indexed: the words are already in
        ``index`` with those rows (``token_rows``)."""
        n = len(self.index) - (len(new) if indexed else 0)
        if n + len(new) > len(self.em):
            grown = np.zeros((max(2 * len(self.em), n + len(new)), 5, len(LABELS)), dtype=np.float32)
            grown[:n] = self.em[:n]
            self.em = grown
        if self.native is not None:  # own_ids and type_sums in one call: skips the absent (zero) rows that numpy would gather
            self.words.own_sums(new, self.kinds, self.native, self.slots, self.model.weights, self.em, n)
        else:
            ids, starts = self.words.own_ids_batch(new, self.kinds)
            rows = self.slots[ids]                                    # (features, 5)
            self.em[n:n + len(new)] = np.add.reduceat(self.model.weights[rows], starts, axis=0)
        if not indexed:
            for k, w in enumerate(new):
                self.index[w] = n + k

    def _index_new(self, words, row: int) -> list[str]:
        """The words not in ``index``, each once, added to it with rows from row on."""
        index, new = self.index, []
        for w in dict.fromkeys(words):
            if w not in index:
                index[w] = row + len(new)
                new.append(w)
        return new

    def token_rows(self, tokens: list, forms: dict[int, str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``ids`` of the tokens' words, in C (the compiled path); forms: the tokens whose word
        type is not their ``norm`` (``WordFeatures.forms``)."""
        with self.lock:
            # the new words go into index with their rows as they are met (word_rows); those
            # rows of em are filled by _add, or the words leave index again
            n = len(self.index)
            try:
                ids, new = self.native.word_rows(tokens, self.index, n)
                if forms:
                    new += self._index_new(forms.values(), n + len(new))
                if new:
                    if n > _CACHE_MAX:
                        self.reset()
                        n = len(self.index)
                        ids, new = self.native.word_rows(tokens, self.index, n)
                        if forms:
                            new += self._index_new(forms.values(), n + len(new))
                    self._add(new, indexed=True)
            except BaseException:
                for w in [w for w, r in self.index.items() if r >= n]:
                    del self.index[w]
                raise
            if forms:
                index = self.index
                for k, w in forms.items():
                    ids[k] = index[w]
            return ids, self.em

    def ids(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the words, and the array they index (taken together, under the lock)."""
        with self.lock:
            get = self.index.get
            ids = [get(w, -1) for w in words]
            if -1 in ids:
                if len(self.index) > _CACHE_MAX:
                    self.reset()
                    ids = [-1] * len(words)
                missing = [k for k, x in enumerate(ids) if x < 0]
                self._add(list(dict.fromkeys([words[k] for k in missing])))
                get = self.index.get
                for k in missing:
                    ids[k] = get(words[k])
            return np.array(ids, dtype=np.int64), self.em


class Tagger:
    """A loaded model with its feature extractors (build once per process)."""

    def __init__(self, model_path: Path | str = MODEL_PATH, sources: dict[str, Source] | None = None,
                 native: bool = True):
        """native=False: the numpy path even where the compiled loops are built (tests compare)."""
        self.path = Path(model_path)
        self.native = _native if native else None
        mp = meta_path(self.path)
        self.meta = json.loads(mp.read_text(encoding="utf-8")) if mp.exists() else {}
        groups = self.meta.get("groups", DEFAULT_GROUPS)
        # the shipped model's tables compiled in the cache folder (tables.py); another model's read here
        compiled = tables.load(self.path, groups) if self.path.resolve() == MODEL_PATH else None
        self.model = compiled["model"] if compiled else Model.load(self.path)
        if sources is None:  # the lexicons the model was trained with, those installed here
            sources = available_sources(self.meta.get("lexicons")) if "lexicon" in groups else {}
        self.lex = LexiconFeatures(sources, native)
        tagged = None
        if compiled:
            tagged = compiled["tagged"]
            self._news_persons = compiled["news"]
        else:
            if "tagged" in groups:
                from .selftrain import load, table_path
                tagged = load(table_path(self.path))
            # the surnames the news names alone (persons.news_persons): read from the same table
            self._news_persons = persons.news_persons(str(table_path(self.path))) if tagged else frozenset()
        self.words = WordFeatures(groups, tagged)
        self.temperature = _temperatures(self.meta.get("temperature", 1.0))
        # a document the pass leaves as the first pass tagged it is scored as the first pass was
        # (fitted on its labels): so that a model with the pass scores such a document as without
        first = self.meta.get("first_pass_temperature")
        self.first_temperature = self.temperature if first is None else _temperatures(first)
        self._cache = _WordCache(self.model, self.words, self.native, compiled)
        self._tok: dict[tuple[str, ...], np.ndarray] = {}  # token features -> summed weights
        self._tag_rows: dict[str, tuple[int, int, int]] = {}  # lexicon tag -> rows (add_token_features)
        self._gap_rows: dict[int, tuple[int, int]] = {}  # a gap's characters -> its two rows (the same)
        self._bos, self._eos = self._cache.index[BOS], self._cache.index[EOS]
        self._trans = None   # the compiled loops' transitions (_transitions)
        self._ids = threading.local()  # the last document's word-type rows, per thread
        # the rest of the model's vocab is not kept
        self._vocab = compiled["vocab"] if compiled else _token_vocab(self.model.items())
        self._doc_rows = docpass.rows(self._vocab.get)  # None: a model without the document pass
        self._kinds: dict[str, int] | None = None   # the rules' word sets as bits (_word_kinds)
        self._marks: tuple = (None, None, bytearray())   # _word_sets' answers per word-type row
        self.model.drop_names()   # read: the tables above are all the tagger needs of them
        same_words.cache_clear()  # its tables built (those of names.read_table too)

    def emissions(self, doc, lex: dict[int, list[str]] | None, sent: np.ndarray | None = None) -> np.ndarray:
        """(tokens, labels) scores of every token of the doc (lex: ``LexiconFeatures.matches``;
        sent: each token's sentence number, when the caller has it)."""
        scores = self._word_scores(doc, sent)
        # token features: punctuation beside a word, lexicon matches (few tokens have any)
        extra = doc_gap_features(doc.norm, doc.tokens)
        if lex:
            for k, f in lex.items():
                extra[k] = extra.get(k, []) + f
        if extra:
            cache, model, vocab = self._tok, self.model, self._vocab
            vecs = []
            for f in extra.values():
                key = tuple(f)
                v = cache.get(key)
                if v is None:
                    if len(cache) > _CACHE_MAX:
                        cache.clear()
                    rows = [r for r in map(vocab.get, f) if r is not None]
                    v = cache[key] = model.weights[[0, *rows]].sum(axis=0)
                vecs.append(v)
            scores[list(extra)] += np.array(vecs)  # each token once: a plain fancy-index add
        return scores

    def _word_scores(self, doc, sent: np.ndarray | None) -> np.ndarray:
        """The scores of the word features: each token's own and those its neighbours lend it
        (the tokens' word-type rows are kept in ``_ids`` for the document pass, their hamza-seat
        forms for ``persons.repeated_names``)."""
        toks = doc.tokens
        forms = self.words.forms(doc)
        index = self._cache.index   # the rows' index, unless the cache starts again meanwhile
        if self.native is not None:
            ids, em = self._cache.token_rows(toks, forms)
        else:
            words = [t.norm for t in toks]
            for k, w in forms.items():
                words[k] = w
            ids, em = self._cache.ids(words)
        self._ids.ids, self._ids.forms = ids, forms
        self._ids.index = (toks, index) if self._cache.index is index else None   # (for _word_sets)
        if sent is None:
            sent = np.fromiter((t.sent for t in toks), dtype=np.int64, count=len(toks))
        if self.native is not None:
            return self.native.window(ids, sent, em, self._bos, self._eos)
        return self._window(ids, sent, em, self._bos, self._eos)

    @staticmethod
    def _window(ids: np.ndarray, sent: np.ndarray, em: np.ndarray, bos: int, eos: int) -> np.ndarray:
        """Each token's own row of ``em`` plus those its neighbours one and two away lend it."""
        n = len(ids)

        def shifted(k: int, pad: int) -> np.ndarray:
            """The word ids k positions away (k < 0: left), pad across a sentence boundary."""
            out = np.full(n, pad, dtype=np.int64)
            if abs(k) < n:
                if k < 0:
                    same = sent[:k] == sent[-k:]
                    out[-k:] = np.where(same, ids[:k], pad)
                else:
                    same = sent[k:] == sent[:-k]
                    out[:-k] = np.where(same, ids[k:], pad)
            return out

        return (em[ids, 0] + em[shifted(-1, bos), 1] + em[shifted(1, eos), 2]
                + em[shifted(-2, bos), 3] + em[shifted(2, eos), 4])

    def decode(self, doc, lex: dict[int, list[str]] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Emission scores (tokens, labels), the best label id of each token, and each token's
        scores given its neighbours' best labels (for its confidence)."""
        return self._decode(doc, lex)[:3]

    def first_pass(self, doc) -> tuple[np.ndarray, np.ndarray]:
        """Emission scores and best labels before the document pass (its training reads them)."""
        return self._decode(doc, None, first_only=True)[:2]

    def _transitions(self):
        """The model's transitions as the compiled loops read them (``Transitions``), made once
        for its arrays rather than at each call."""
        m, t = self.model, self._trans
        if t is None or t.trans is not m.trans or t.start is not m.start or t.end is not m.end:
            t = self._trans = self.native.Transitions(m.trans, m.start, m.end)
        return t

    def _viterbi(self, em: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Best label id of each token, Viterbi over each sentence (starts, lengths)."""
        m = self.model
        if self.native is not None:
            return self.native.viterbi(em, starts, lengths, self._transitions())
        n = len(em)
        pos = np.minimum(starts[:, None] + np.arange(int(lengths.max()))[None, :], n - 1)
        best = viterbi(em[pos], lengths, m.trans, m.start, m.end)
        sid = np.repeat(np.arange(len(starts)), lengths)
        return best[sid, np.arange(n) - starts[sid]]

    def _decode(self, doc, lex: dict[int, list[str]] | None,
                first_only: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None, dict]:
        """``decode``, each token's gazetteer bits (``_FLAG_OF``; None without lexicons), and the
        temperatures of its scores (the first pass's where the document pass changed nothing).

        The compiled path, without ``lex`` given, adds the token features in C from the
        sources' hits (``add_token_features``): the same sums, without a feature list per token."""
        toks = doc.tokens
        n = len(toks)
        native = self.native
        if native is not None and lex is None:
            # the sentences' runs come with the tokens' arrays (``_runs`` in the same C call)
            tok_starts, tok_ends, sent, starts, lengths = native.token_arrays(toks)
            em = self._word_scores(doc, sent)
            hits = self.lex.hits(doc.norm) if self.lex.sources else []
            flags = native.add_token_features(em, self.model.weights, self._vocab, doc.norm, hits,
                                              tok_starts, tok_ends, sent,
                                              self.lex._names, self._tag_rows, _FLAG_OF, self._gap_rows)
            if not self.lex.sources:
                flags = None
        else:
            if lex is None and self.lex.sources:
                lex = self.lex.matches(doc.norm, toks)
            sent = np.fromiter((t.sent for t in toks), dtype=np.int64, count=n)
            em = self.emissions(doc, lex, sent)
            flags = None if lex is None else _gaz_flags(lex, n)
            starts, lengths = _runs(sent)
        labels = self._viterbi(em, starts, lengths)
        if first_only:
            return em, labels, None, flags, self.first_temperature
        em2, labels = self.second_pass(em, labels, self._ids.ids, sent, starts, lengths)
        temps = self.first_temperature if em2 is em else self.temperature
        return em2, labels, self.local_scores(em2, labels, starts, lengths), flags, temps

    def second_pass(self, em: np.ndarray, labels: np.ndarray, keys: np.ndarray, sent: np.ndarray,
                    starts: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The document pass (``docpass.py``): the scores given how the first pass tagged the same
        words elsewhere (keys: each token's word type as an int), and Viterbi again. A model
        without it, a document of fewer than ``docpass.MIN_SENTENCES`` sentences, or one with no
        word repeated, keeps the first pass."""
        if self._doc_rows is None or len(starts) < docpass.MIN_SENTENCES:
            return em, labels
        c = docpass.codes(keys, labels, sent, self.native)
        if self.native is None:
            hit = np.flatnonzero(c.any(axis=1))
            if not len(hit):
                return em, labels
            em = em.copy()
            em[hit] += self.model.weights[self._doc_rows[c[hit]]].sum(axis=1)
            return em, self._viterbi(em, starts, lengths)
        # the same sums in C, and Viterbi again over the sentences whose scores changed only
        em2, runs = self.native.doc_scores(em, c, self._doc_rows, self.model.weights, starts, lengths)
        if em2 is None:
            return em, labels
        new = self._viterbi(em2, starts[runs], lengths[runs])
        return em2, np.where(np.repeat(runs, lengths), new, labels)

    def local_scores(self, em: np.ndarray, labels: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Each token's scores given its neighbours' labels (for its confidence)."""
        m = self.model
        if self.native is not None:
            return self.native.local_scores(em, labels, starts, lengths, self._transitions())
        n = len(em)
        first = np.zeros(n, dtype=bool)
        first[starts] = True
        last = np.zeros(n, dtype=bool)
        last[starts + lengths - 1] = True
        prev = np.roll(labels, 1)
        nxt = np.roll(labels, -1)
        return (em + np.where(first[:, None], m.start, m.trans[prev])
                + np.where(last[:, None], m.end, m.trans[:, nxt].T))

    @staticmethod
    def label_names(labels: np.ndarray) -> list[str]:
        return [LABELS[x] for x in labels.tolist()]

    def tag_doc(self, doc, rejected: list | None = None) -> list[Mention]:
        """Mentions over doc.tokens.

        rejected: when given, receives (token index, probability of O) for each token a
        gazetteer name covers that the tagger labels O (``_rejected``)."""
        toks = doc.tokens
        if not toks:
            return []
        _, labels, local, flags, temps = self._decode(doc, None)
        # the tokens and index of the rows _decode read (_word_sets), not kept past this call: the
        # text's tokens would outlive it until the next text's tagging
        toks_index = self._ids.__dict__.pop("index", None)
        if rejected is not None and flags is not None:
            rejected += self._rejected(labels, local, flags, temps)
        out: list[Mention] = []
        if labels.any():
            # no span crosses a sentence end: Viterbi starts no sentence inside a name (no I-)
            out = id_mentions(labels, self.native)
            self._scores(out, local, labels, temps)
        forms, known, tagged = self._ids.forms, cluster_table() or (), self.words.tagged or {}

        def name_word(tok) -> bool:   # ``_name_word`` with the tables above (asked of ~5 words a report)
            w = tok.norm
            return w not in known or not _PER_BINS.isdisjoint(tagged.get(forms.get(tok.i, w), ()))

        def speaker(tok) -> bool:   # a word of the news read inside a person in half its occurrences
            return tok.norm in known and "per0" in tagged.get(forms.get(tok.i, tok.norm), ())

        # a nationality is left out before the persons it introduces are looked for, and again
        # after person_names, whose cuts at و can leave one at a person's start (والأرجنتيني ميسي)
        untagged_at, verbs_at, names_at, intro_at = self._word_sets(toks, toks_index)
        out = persons.introduced_names(doc, persons.nationalities_dropped(doc, out), intro_at)
        out = persons.speakers(doc, persons.name_spans(doc, out, name_word), speaker, verbs_at)
        out = persons.news_names(doc, out, self._news_persons, lambda tok: forms.get(tok.i, tok.norm), flags, names_at)
        if out:
            out = persons.nationalities_dropped(doc, persons.person_names(doc, out, name_word))
            out = self._clean(doc, persons.repeated_names(doc, out, name_word), flags)
        out = _untagged_names(doc, _quoted_names(doc, out), untagged_at)
        orgs = self._org_tokens(doc)
        if orgs:
            out = self._add_orgs(out, orgs)
        return out

    def _word_sets(self, toks: list, toks_index: tuple | None) -> list[list[int]]:
        """The tokens the rules look for (``persons.token_sets``: the heads of ``_untagged_names``,
        the reporting verbs, the news persons, then the words that may introduce a person), the
        answers kept per word type by the rows ``_decode`` found (``_ids.ids``): a byte a row of the
        word-type cache, started again with it. toks_index: (tokens, index) of those rows as
        ``_word_scores`` left them in ``_ids.index``, or None."""
        if toks_index is None or toks_index[0] is not toks:   # rows of another text, or of two indexes
            return [*persons.tokens_by_kind(toks, self._word_kinds(), 3), persons._may_introduce(toks, len(toks) - 1)]
        index, kinds = toks_index[1], self._word_kinds()
        seen, seen_kinds, marks = self._marks
        if seen is not index or seen_kinds is not kinds or len(marks) < len(index):
            grown = bytearray(len(index) + 4096)
            if seen is index and seen_kinds is kinds:
                grown[:len(marks)] = marks
            marks = grown
            self._marks = (index, kinds, marks)   # (one tuple: another thread reads them together)
        spelt = self._ids.forms
        return persons.token_sets(toks, kinds, 3, self._ids.ids, sorted(spelt) if spelt else [], marks, len(toks) - 1)

    def _word_kinds(self) -> dict[str, int]:
        """Word -> bits of the sets three rules look for among a document's tokens: bit 0 the
        heads of ``_untagged_names``, 1 the reporting verbs of ``persons.speakers``, 2 the news
        persons of ``persons.news_names`` (``persons.tokens_by_kind`` finds all three in one pass)."""
        if self._kinds is None:
            kinds: dict[str, int] = {}
            names = persons._name_forms(self._news_persons) if self._news_persons else ()
            for bit, words in enumerate((_untagged_forms(), persons._speech_forms(), names)):
                for w in words:
                    kinds[w] = kinds.get(w, 0) | 1 << bit
            self._kinds = kinds
        return self._kinds

    def _name_word(self, w: str, spelt: str) -> bool:
        """A word that can stand alone for a person: one the news does not know (outside the
        clusters' words), or one a fifth or more of whose occurrences in the news the tagger read
        inside a person (the model's `tagged` table, bins 0 and 1, keyed by the word as spelt
        with its hamza seats: عائشه; without the table, none)."""
        if w not in (cluster_table() or ()):
            return True
        tagged = self.words.tagged
        return bool(tagged) and not _PER_BINS.isdisjoint(tagged.get(spelt, ()))

    @staticmethod
    def _rejected(labels: np.ndarray, local: np.ndarray, flags: np.ndarray, temps: dict) -> list[tuple[int, float]]:
        """(token, probability of O given its neighbours' labels) of the gazetteer tokens the
        tagger labels O: a place name that is also a common word (الحدث، القصير، فرقة) which
        the tagger, reading the sentence, takes for the word. Softmax at the LOC temperature."""
        idx = np.flatnonzero((flags != 0) & (labels == 0))
        if not len(idx):
            return []
        z = local[idx] / temps.get("LOC", 1.0)
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p = p[:, 0] / p.sum(axis=1)
        return list(zip(idx.tolist(), p.astype(np.float64).round(4).tolist()))

    def _scores(self, mentions: list[Mention], local: np.ndarray, labels: np.ndarray, temps: dict) -> None:
        """Each mention's score: the mean over its tokens of the probability of the token's label
        given its neighbours' labels (a softmax of the perceptron scores, with the temperature
        fitted for the mention's type on the held-out block at training time): about the chance
        that the mention is right. The per-mention loops in C where built (``_decode.mention_logits``,
        ``mean_scores``: the arithmetic numpy did in ten calls per report, to the bit); numpy's
        ``exp`` and row sums either way (a C ``exp`` would round otherwise)."""
        z, lab = _mention_logits(mentions, temps, local, labels, self.native)
        p = np.exp(z)
        _mean_scores(mentions, p, lab, p.sum(axis=1), self.native)

    @staticmethod
    def _org_tokens(doc) -> list[tuple[int, int, int]]:
        """Token ranges [i, j) of the named organisations of data/orgs.tsv in the doc, each with
        the token where the name starts as ANERcorp marks it: after a word for its kind that the
        corpus leaves out of the name (حركة | طالبان: data/name_heads.tsv), else i."""
        spans = org_spans(doc.norm)
        if not spans:
            return []
        toks = doc.tokens
        if _native is not None:   # (``_decode.org_tokens``: the ranges and their cores in one pass)
            return _native.org_tokens(toks, spans, _names_after)
        return [(i, j, i + (j - i > 1 and _names_after(toks[i].norm))) for i, j in _org_ranges(toks, spans)]

    @staticmethod
    def _add_orgs(mentions: list[Mention], orgs: list[tuple[int, int, int]]) -> list[Mention]:
        """Named organisations the tagger missed (it learnt from news before ISIS existed), and
        those it cut short or split: a listed name [i, j) that holds every mention it overlaps,
        and is longer from where the corpus starts the name (core; the tagger's own start if
        before), replaces them (جامعة الدول | العربية، وكالة أنباء [الشرق الأوسط]; not حركة
        [طالبان]). A name split in two or more pieces is replaced even when they fill it (هرتا |
        برلين، فجر | ليبيا); of two listed names that overlap, the longer is read (تنظيم القاعدة
        and القاعدة في جزيرة العرب)."""
        merged = _org_merge(mentions, _longest(orgs))
        return mentions if merged is None else in_order(merged)

    def _clean(self, doc, found: list[Mention], flags: np.ndarray | None) -> list[Mention]:
        """Conflict-report fixes the news corpus could not teach, and the places step's view."""
        toks = doc.tokens
        out: list[Mention] = []
        # most reports have none: no word to look at (three str scans, not a regex's class per letter)
        tanween = any(c in doc.text for c in _TANWEEN_MARKS)
        heads = _head_forms()
        # which mentions the rules below may change or drop: the others (most) are kept as they are
        codes = _clean_codes(
            found, toks, doc.text, doc.offsets, tanween, heads, _COUNTRYSIDE, adjective_heads(),
            country_adjectives(), org_tails())
        for k, m in enumerate(found):
            if codes[k] != 2:
                if not codes[k]:
                    out.append(m)
                continue
            if tanween and m.first == m.last:
                a, b = doc.orig(toks[m.first].start, toks[m.first].end)
                if _TANWEEN.search(doc.text, a, b):
                    continue  # سياسيًا، فكريًا: an adverb with tanween is no name
            if m.first < m.last and _mixed_script(toks[m.first:m.last + 1]):
                continue  # "RT @user الإمارات": a tweet's Latin debris joined to a name
            if m.type == "LOC" and m.first == m.last and toks[m.first].norm in _COUNTRYSIDE:
                nxt = found[k + 1] if k + 1 < len(found) else None
                if nxt is not None and nxt.type == "LOC" and nxt.first == m.last + 1:
                    nxt.first, nxt.score = m.first, min(m.score, nxt.score)  # ريف + حلب: one place
                continue  # "ريف" without a place after it is the word "countryside"
            if m.type == "ORG" and _describes(doc, m.first):
                continue  # اللجنة المنظمة للبطولة: "the organising committee", no name starts there
            if m.first and toks[m.first - 1].norm in heads:   # most mentions: no head word before
                _after_head(doc, m, out[-1].last if out else -1)
            if m.type == "ORG":
                _drop_country_adjective(doc, m)
                stop = found[k + 1].first if k + 1 < len(found) else len(toks)
                _take_complement(doc, m, stop)
                _take_tail(doc, m, stop)
            out.append(m)
        if flags is not None:   # (in C where built, as the person rules' token tests)
            _gazetteer_marks(out, flags)
        return out


def _clean_codes(found: list[Mention], toks: list, text: str, offsets: list[int], tanween: bool, heads,
                 countryside, describing, demonyms, tails) -> bytearray:
    """For each mention of found, what ``Tagger._clean`` does with it: 1 drop it for its own words
    (one word with tanween as written when the text has any, a name across scripts), 2 ask its
    rules (a place ريف and the mention after it, a word of heads before it, an organisation
    whose first word is one of describing, whose last a country adjective (demonyms with the
    article), or before a word with لل or one of tails: what those rules need to change it), 0
    keep it as it is. ``_decode.clean_codes`` is the compiled twin."""
    if _native is not None:
        return _native.clean_codes(found, toks, text, offsets, tanween, heads, countryside, describing, demonyms, tails)
    codes = bytearray(len(found))
    after = False
    for k, m in enumerate(found):
        a, b = m.first, m.last
        if after:   # the place ريف before it may have taken it in
            codes[k], after = 2, False
        elif tanween and a == b and _TANWEEN.search(
                text, offsets[toks[a].start], offsets[toks[a].end] if toks[a].end > toks[a].start else offsets[toks[a].start]):
            codes[k] = 1
        elif a < b and _mixed_script(toks[a:b + 1]):
            codes[k] = 1
        elif m.type == "LOC" and a == b and toks[a].norm in countryside:
            codes[k], after = 2, True
        elif a > 0 and toks[a - 1].norm in heads:
            codes[k] = 2
        elif m.type == "ORG":
            last, nxt = toks[b].norm, toks[b + 1].norm if b + 1 < len(toks) else None
            if toks[a].norm in describing or (b > a and last[:2] == "ال" and last[2:] in demonyms) or (
                    nxt is not None and ((a < b and len(nxt) > 3 and nxt.startswith("لل")) or nxt in tails)):
                codes[k] = 2
    return codes


def _gazetteer_marks(mentions: list[Mention], flags: np.ndarray) -> None:
    """A place is ``gazetteer`` when one of its tokens has a gazetteer bit (flags: ``_FLAG_OF``'s),
    another mention ``in_gazetteer`` when one has bit 1 (``_decode.gazetteer_marks`` is the
    compiled twin, without the two byte strings and a call per mention)."""
    if _native is not None:
        return _native.gazetteer_marks(mentions, flags)
    # one byte 0 / 1 a token: a C search of the mention's bytes, no Python loop over them
    bits, odd = (flags != 0).tobytes(), ((flags & 1) != 0).tobytes()
    for m in mentions:
        if m.type != "LOC":
            m.in_gazetteer = odd.find(1, m.first, m.last + 1) >= 0
        else:
            m.gazetteer = bits.find(1, m.first, m.last + 1) >= 0


def _mention_logits(mentions: list[Mention], temps: dict, local: np.ndarray, labels: np.ndarray,
                    native=None) -> tuple[np.ndarray, np.ndarray]:
    """The rows of local (each token's scores given its neighbours' labels) of the mentions'
    tokens, one after the other, over the temperature of the mention's type, less each row's max;
    and beside each row the token's label (``Tagger._scores``; ``_decode.mention_logits`` is the
    compiled twin, asked when native, a Tagger's decoder, is given)."""
    if native is not None:
        return native.mention_logits(mentions, temps, local, labels)
    idx = np.array([k for x in mentions for k in range(x.first, x.last + 1)], dtype=np.int64)
    t = np.array([temps.get(x.type, 1.0) for x in mentions for _ in range(x.last - x.first + 1)],
                 dtype=np.float32)
    z = local[idx] / t[:, None]
    z -= z.max(axis=1, keepdims=True)
    return z, labels[idx]


def _mean_scores(mentions: list[Mention], p: np.ndarray, lab: np.ndarray, total: np.ndarray,
                 native=None) -> None:
    """Each mention's score: the mean over its tokens (p's rows, ``_mention_logits``' order) of p
    at the token's label over the row's total, rounded to four places (``_decode.mean_scores``
    is the compiled twin, asked when native is given)."""
    if native is not None:
        return native.mean_scores(mentions, p, lab, total)
    q = (p[np.arange(len(lab)), lab] / total).tolist()
    pos = 0
    for x in mentions:
        k = x.last - x.first + 1
        x.score = round(sum(q[pos:pos + k]) / k, 4)
        pos += k


def _org_merge(mentions: list[Mention], orgs: list[tuple[int, int, int]]) -> list[Mention] | None:
    """The mentions (sorted by first token, not overlapping) that no name of orgs (``_longest``'s)
    replaces, then the ORG mentions of the names ``Tagger._add_orgs`` adds, in orgs' order; None
    when it adds none (``_decode.org_merge`` is the compiled twin)."""
    if _native is not None:
        return _native.org_merge(mentions, orgs, Mention)
    firsts = [m.first for m in mentions]
    added, dropped = [], set()
    for i, j, core in orgs:
        a = bisect.bisect_left(firsts, i)
        if a > 0 and mentions[a - 1].last >= i:
            a -= 1                            # one starting before i reaches into it
        b = bisect.bisect_left(firsts, j)     # the mentions a .. b-1 overlap [i, j)
        inside = range(a, b)
        if not inside:
            added.append(Mention("ORG", i, j - 1, 1.0))
        elif mentions[a].first >= i and mentions[b - 1].last < j:
            first = min(core, mentions[a].first)  # the tagger's own word for the kind stays
            covered = sum(mentions[k].last - mentions[k].first + 1 for k in inside)
            if len(inside) > 1 or covered < j - first:
                dropped.update(inside)
                added.append(Mention("ORG", first, j - 1, 1.0))
    if not added:
        return None
    return [m for k, m in enumerate(mentions) if k not in dropped] + added


def _longest(orgs: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The listed names that overlap no longer one (the longer first; ties by start; in C where
    built, ``_decode.longest``)."""
    if len(orgs) < 2:
        return orgs
    if _native is not None:
        kept = _native.longest(orgs)
        if kept is not None:
            return kept
    kept: list[tuple[int, int, int]] = []
    # the kept names' starts and ends, in text order (they do not overlap, so both are sorted):
    # a name overlaps one iff the last that starts before its end ends after its start (a test
    # of every kept name was quadratic: 77 names in one report)
    starts: list[int] = []
    ends: list[int] = []
    for o in sorted(orgs, key=lambda o: (o[0] - o[1], o[0])):
        at = bisect.bisect_left(starts, o[1])
        if at and ends[at - 1] > o[0]:
            continue
        kept.append(o)
        starts.insert(at, o[0])
        ends.insert(at, o[1])
    return kept


_DEFAULT: Tagger | None = None


def default_tagger() -> Tagger:
    """The shipped model (or the one ``MARSAD_NER_MODEL`` names, e.g. a model trained without
    the held-out block, to score it), loaded once per process."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Tagger(os.environ.get("MARSAD_NER_MODEL") or MODEL_PATH)
    return _DEFAULT
