"""Token features for the name tagger, as strings, in groups that can be switched off.

A word's own features and those it lends to its neighbours (as the word one or two to the left
or right) depend on the word alone: the tagger computes them once per word type and caches
their summed weights (``tagger.py``). Token features that depend on the text around a word
(punctuation beside it, lexicon matches over several words) are a few per sentence.

Groups (``GROUPS``), so that each one's effect can be measured (``marsad ner train --without``):

- ``base``: the word, its proclitic readings and stem, and the words two either side;
  punctuation next to the word. Always on.
- ``shape``: prefixes and suffixes of several lengths, word shape and script (Latin, digits,
  mixed), length: what reaches names never seen in training.
- ``lexicon``: cue-word classes from data/cues.tsv (titles, given names, organisation heads such
  as وزارة or صحيفة, place cue words, name particles أبو، ابن، بن، آل) for the word and its
  neighbours, and membership in the places gazetteer, the actor table and data/orgs.tsv.
- ``clusters``: the word's coarse and fine cluster ids (``marsad.lang.clusters``, learnt from
  unlabelled news), for the word and its neighbours.
- ``levels`` (opt-in, not in ``DEFAULT_GROUPS``): the word's clusters at three finer granularities over a larger vocabulary (every
  word seen three times in the unlabelled news, ``marsad.lang.clusters.read_levels``), for the
  word and its neighbours: rare words, which names are made of, get a cluster too.
- ``tagged`` (opt-in): the word's share of occurrences inside a PER / ORG / LOC mention when a
  model without this group tagged the unlabeled news (``selftrain.py``; the table lives beside
  the model), for the word and its neighbours.
- ``doc`` (opt-in): a second pass that reads how the first tagged the same word and word sequence
  elsewhere in the document (``docpass.py``, trained by ``doctrain.py``); no word feature.
- ``names``: whether the word was seen in unlabelled news where person or organisation names
  stand (after a title, around بن, after an organisation head), with how often in proportion
  (``marsad.lang.names``), for the word and its neighbours.

A lexicon or cluster table that is not installed contributes no feature: a model trained with it
still runs without it (with lower recall on names it would have known).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..lexicon import hits_together
from ..text import normalize_key, strip_proclitics
from ..text.normalize import _FAST  # normalize's translation table, less the hamza seats (spelled_forms)
from ..text.tokens import _BY_FIRST  # strip_proclitics's table, for the compiled own_ids
from .native import decoder as _decoder

GROUPS = ("base", "shape", "lexicon", "clusters", "levels", "names", "tagged", "doc")
# The groups a model is trained with unless told otherwise: "levels" is opt-in (``--with levels``):
# on the tuning block it added 0.0-0.6 points of micro-F1 (0.1 on the held-out block), but its
# table costs about 7 MB of the extractor's peak memory (issue 16) and a quarter of cold speed.
DEFAULT_GROUPS = tuple(g for g in GROUPS if g not in ("levels", "tagged", "doc"))
BOS, EOS = "<s>", "</s>"
# Window positions a word lends features to, in the order of the cached lists after its own:
# the word seen as the left neighbour (-1), the right neighbour (+1), then -2 and +2.
OFFSETS = (-1, 1, -2, 2)
_CACHE_MAX = 300_000
DATA_DIR = Path(__file__).resolve().parent / "data"


def _shape(w: str) -> str:
    if w.isdigit():
        return "num"
    if w.isascii():
        if w.isalpha():
            return "Latin" if w[:1].isupper() else "latin"
        return "alnum"
    if w.isalpha():
        return "ar"
    if any(c.isdigit() for c in w):
        return "mixed"
    return "ar"


@lru_cache(maxsize=1)
def cue_words() -> dict[str, tuple[str, ...]]:
    """Normalised cue word -> its classes (title, given, org_cue, loc_cue, kin) from data/cues.tsv."""
    from ..lexicon import load_tsv

    out: dict[str, set[str]] = {}
    for row in load_tsv("cues.tsv", DATA_DIR):
        out.setdefault(normalize_key(row["word"]), set()).add(row["class"])
    return {k: tuple(sorted(v)) for k, v in out.items()}


@lru_cache(maxsize=1)
def name_heads() -> dict[str, bool]:
    """Normalised organisation-kind word -> whether a name right after it takes it in (جامعة
    زيورخ) or starts after it (جريدة القدس), from data/name_heads.tsv."""
    from ..lexicon import load_tsv

    return {normalize_key(row["word"]): row["head_in_name"] == "1" for row in load_tsv("name_heads.tsv", DATA_DIR)}


def word_list(name: str) -> frozenset[str]:
    """The normalised words of a word list in data/ (its column "word")."""
    from ..lexicon import load_tsv

    return frozenset(normalize_key(row["word"]) for row in load_tsv(name, DATA_DIR))


@lru_cache(maxsize=1)
def untagged_heads() -> frozenset[str]:
    """Normalised newspaper and club words after which an untagged word with the article is the
    organisation's name (صحيفة الأهرام، نادي النصر), from data/untagged_heads.tsv."""
    return word_list("untagged_heads.tsv")


@lru_cache(maxsize=1)
def org_tails() -> frozenset[str]:
    """Normalised words that end a news outlet's name after its own name (الجزيرة نت), from
    data/org_tails.tsv."""
    return word_list("org_tails.tsv")


@lru_cache(maxsize=1)
def adjective_heads() -> frozenset[str]:
    """Normalised organisation words with the article that are also an adjective of the word
    before them (اللجنة المنظمة), from data/adjective_heads.tsv."""
    return word_list("adjective_heads.tsv")


@lru_cache(maxsize=1)
def waw_names() -> frozenset[str]:
    """Normalised name words that begin with و without the conjunction: those of
    data/waw_names.tsv (ولد) and the given names of cues.tsv (وليد، وائل)."""
    given = {w for w, classes in cue_words().items() if w.startswith("و") and "given" in classes}
    return frozenset(given) | word_list("waw_names.tsv")


@lru_cache(maxsize=1)
def name_breaks() -> frozenset[str]:
    """Normalised ranks and kinship words that are no part of a person's name beside them
    (الركن، شقيق), from data/name_breaks.tsv."""
    return word_list("name_breaks.tsv")


@lru_cache(maxsize=1)
def regnal_ordinals() -> frozenset[str]:
    """Normalised ordinals that end a ruler's name (جيمس الأول، عبدالله الثاني), from
    data/regnal_ordinals.tsv."""
    return word_list("regnal_ordinals.tsv")


@lru_cache(maxsize=1)
def speech_verbs() -> frozenset[str]:
    """Normalised reporting verbs before a speaker: the event step's list `says`
    (lang/ar/event_words.tsv: قال، أكد ...) and data/speech_verbs.tsv (أشار، أعرب ...)."""
    from ..lexicon import words

    return frozenset(words("event_words.tsv", "says")) | word_list("speech_verbs.tsv")


@lru_cache(maxsize=1)
def seated_cue_words() -> dict[str, tuple[str, ...]]:
    """``cue_words`` keyed by each entry as spelt up to its hamza seats (``spelled_forms``), for
    the word types that are such forms: a given name هادي is not the adjective هادئ ("calm"),
    which normalisation makes the same word."""
    from ..lexicon import load_tsv

    out: dict[str, set[str]] = {}
    for row in load_tsv("cues.tsv", DATA_DIR):
        out.setdefault(row["word"].translate(_SPELL), set()).add(row["class"])
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _names_table() -> dict[str, tuple[str, ...]] | None:
    """word -> its mined name classes ("per0", "org1" ...: ``marsad.lang.names``); None when not installed."""
    try:
        from ..lang.names import PATH, read_table
    except ImportError:
        return None
    return read_table(PATH) or None


def _levels_table() -> dict[str, tuple[str, ...]] | None:
    """word -> its cluster at each level ("a17", "b903", "c2048"); None when not installed."""
    try:
        from ..lang.clusters import LEVELS_PATH, read_levels
    except ImportError:
        return None
    return read_levels(LEVELS_PATH) or None


def cluster_table() -> dict[str, tuple[int, int]] | None:
    """word -> (coarse, fine) cluster ids (marsad.lang.clusters); None when not installed.

    The table itself, not ``clusters.lookup``: the tagger already has the word's proclitic
    readings for the same fallback to the stem, and this is per new word type."""
    reader = _cluster_reader()
    return None if reader is None else reader[1](reader[0]) or None


@lru_cache(maxsize=1)
def _cluster_reader():
    """(PATH, read_table) of marsad.lang.clusters, or None: imported once, not at each of the
    rules' many calls of ``cluster_table``."""
    try:
        from ..lang.clusters import PATH, read_table
    except ImportError:
        return None
    return PATH, read_table


# The ``tagged`` table is keyed by the word as spelt up to its hamza seat: normalisation writes
# ئ as ي and ؤ as و, which makes words the news tells apart one row (the adjective هادئ "calm"
# shared the row of the name هادي, 822 of whose 922 occurrences the tagger read as a person).
# The cue list is read the same way for such a word (``seated_cue_words``): هادئ is no given name.
# Only these two are kept: the other letters normalisation merges are written either way for
# one word (ANERcorp writes على "on" as علي 233 times, إلى as الي), so keeping them would split
# a word's rows between spellings rather than tell words apart.
SEATS = "ئؤ"
_SEAT = re.compile(f"[{SEATS}]")
_HAS_SEAT = re.compile(f"[{SEATS}\uFE85\uFE86\uFE89-\uFE8C]")  # and their presentation forms
_SPELL = {k: v for k, v in _FAST.items() if chr(k) not in SEATS}
_SPELL.update({0xFE85: "ؤ", 0xFE86: "ؤ", **dict.fromkeys(range(0xFE89, 0xFE8D), "ئ")})  # presentation forms


def seat_positions(text: str) -> list[int]:
    """Where each hamza seat or its presentation form is in text, in order (``_decode.seats`` is
    the compiled twin: one pass over the letters, where the regex's class test per letter was
    2.7% of cold tagging)."""
    if _decoder is not None:
        return _decoder.seats(text)
    return [m.start() for m in _HAS_SEAT.finditer(text)]


def spelled_forms(text: str, offsets: Sequence[int], tokens: Sequence) -> dict[int, str]:
    """Token index (``Token.i``) -> its word spelt with its hamza seats (ئ، ؤ), for the tokens
    that have one; the others' form is their ``norm``. A hamza-seat form never equals a
    normalised word, so the tagger's word-type cache keys both kinds apart. offsets: the doc's
    map from normalised to original characters (``Doc.offsets``); only the tokens with a seat
    are spelt again (a second pass over the whole text cost a third of warm tagging)."""
    out: dict[int, str] = {}
    for at in seat_positions(text):
        p = bisect.bisect_left(offsets, at)   # the seat's normalised position
        k = bisect.bisect_right(tokens, p, key=token_start) - 1
        if k < 0 or p >= tokens[k].end:
            continue
        t = tokens[k]
        if t.i not in out:
            a, b = offsets[t.start], offsets[t.end - 1] + 1
            spelt = text[a:b].translate(_SPELL)   # a seat is one character, as normalised
            if len(spelt) == t.end - t.start:
                out[t.i] = spelt
    return out


token_start = attrgetter("start")  # a token's start: a C key for bisect (a Python function is a call per step)


def _lookup(table: dict, w: str, readings) -> Sequence[str] | None:
    """The word's entry, or that of the word without its proclitics (longest first), or None."""
    hit = table.get(w)
    if hit is None:
        for _, st in readings[1:]:
            hit = table.get(st)
            if hit is not None:
                break
    return hit


# The kinds of the features of a word type (``WordFeatures.own``; "bias" has no "="; "nm" and
# "lv" are the names and levels tables', ``WordFeatures.lookups``): the tagger sums them by word type through their slots.
WORD_KINDS = frozenset(("bias", "w", "stem", "proc", "shape", "len", "cue", "cc", "cf", "tri", "nm", "lv", "tg",
                        *(f"pre{k}" for k in (1, 2, 3, 4)), *(f"suf{k}" for k in (1, 2, 3, 4))))
# The kinds of a word's own features it also lends to its neighbours at -1/+1 and at -2/+2.
NEAR_KINDS = frozenset(("w", "stem", "pre2", "suf2", "shape", "cue", "cc", "cf", "nm", "lv", "tg"))
FAR_KINDS = frozenset(("w", "cue", "cc"))
LENT = (("-1", NEAR_KINDS), ("+1", NEAR_KINDS), ("-2", FAR_KINDS), ("+2", FAR_KINDS))


def kind(feature: str) -> str:
    return feature[:feature.find("=")]


class WordFeatures:
    """The feature strings of a word type: its own (``own``), and with those it lends to the
    positions -1, +1, -2, +2 (``__call__``, five lists): a lent feature is an own feature of a
    kind in NEAR_KINDS / FAR_KINDS, prefixed with the position."""

    def __init__(self, groups: Iterable[str] = DEFAULT_GROUPS, tagged: dict[str, Sequence[str]] | None = None):
        """tagged: the ``tagged`` group's table (``selftrain.load``), which belongs to a model."""
        self.groups = frozenset(groups) | {"base"}
        self.clusters = cluster_table() if "clusters" in self.groups else None
        self.cues = cue_words() if "lexicon" in self.groups else {}
        self.seated_cues = seated_cue_words() if "lexicon" in self.groups else {}
        # (kind, table) of the kinds whose values a word table gives (word -> values, else the
        # word without its proclitics, longest first), after all others: the compiled own_ids
        # reads them from here, so a kind added this way needs no C.
        self.lookups: list[tuple[str, dict[str, Sequence[str]]]] = []
        names = _names_table() if "names" in self.groups else None
        if names:
            self.lookups.append(("nm", names))
        levels = _levels_table() if "levels" in self.groups else None
        if levels:
            self.lookups.append(("lv", levels))
        self.tagged = tagged if "tagged" in self.groups else None
        if self.tagged:
            self.lookups.append(("tg", tagged))
        # a word type is its hamza-seat form (``spelled_forms``) where it has one: its `tg` row
        # is looked up by that form, every other feature by its normalised form
        self.spelled = bool(tagged and "tagged" in self.groups)
        self._keys = ((), None)   # (tables, their compiled key filter), made at first use

    def _key_filter(self, native):
        """``_decode.KeyFilter`` of the tables whose look-ups of a reading it lets own_ids skip,
        made again when the tables are others (a table is not to change once read)."""
        tables = (self.cues, self.seated_cues, *(t for _, t in self.lookups))
        made, keys = self._keys
        if len(made) != len(tables) or any(a is not b for a, b in zip(made, tables)):
            keys = native.KeyFilter(tables)
            self._keys = (tables, keys)
        return keys

    def forms(self, doc) -> dict[int, str]:
        """``spelled_forms`` of the doc's tokens when the `tg` table is read, else none."""
        return spelled_forms(doc.text, doc.offsets, doc.tokens) if self.spelled else {}

    def _seated(self, w: str) -> str | None:
        """w's normalised form when w is a hamza-seat form of a word type, else None."""
        return normalize_key(w) if self.spelled and _SEAT.search(w) else None

    def _hits(self, k: str, table: dict, w: str, readings, key: str | None):
        """The values of kind k for word w, the `tg` ones by its seat form key when it has one."""
        if key is not None and k == "tg":
            return _lookup(table, key, strip_proclitics(key))
        return _lookup(table, w, readings)

    def _cues(self, key: str | None, readings):
        """The cue table and readings to look a word's cue classes up with: a seat form's own."""
        if key is not None:
            return self.seated_cues, strip_proclitics(key)
        return self.cues, readings

    def __call__(self, w: str) -> tuple[list[str], ...]:
        own = self.own(w)
        return (own, *([p + f for f in own if kind(f) in kinds] for p, kinds in LENT))

    def own(self, w: str) -> list[str]:
        if w in (BOS, EOS):
            return ["w=" + w]
        n = self._seated(w)
        key, w = (w, n) if n is not None else (None, w)   # key: the seat form, for `tg` and `cue`
        readings = strip_proclitics(w)  # bare word first, then the longest proclitic first
        stem = readings[1][1] if len(readings) > 1 else w
        own = ["bias", "w=" + w, "stem=" + stem]
        own += ["proc=" + p for p, _ in readings[1:]]
        g = self.groups
        if "shape" in g:
            own += [f"pre{k}={stem[:k]}" for k in (1, 2, 3, 4) if len(stem) > k]
            own += [f"suf{k}={w[-k:]}" for k in (1, 2, 3, 4) if len(w) > k]
            own += ["shape=" + _shape(w), f"len={min(len(stem), 9)}"]
        if "lexicon" in g:
            cues, cue_readings = self._cues(key, readings)
            own += ["cue=" + c for c in sorted({c for _, s in cue_readings for c in cues.get(s, ())})]
        if self.clusters is not None:
            get = self.clusters.get
            c = get(w)
            if c is None:  # as clusters.lookup: the word without its proclitics, longest first
                for _, st in readings[1:]:
                    c = get(st)
                    if c is not None:
                        break
            if c is not None:
                own += [f"cc={c[0]}", f"cf={c[1]}"]
            else:  # outside the 80,000 commonest news words: rare, often a foreign name, whose
                own.append("cc=rare")  # letter sequences (غ، ف، يو، وف) tell transliterations
                if "shape" in g:
                    own += ["tri=" + stem[k:k + 3] for k in range(len(stem) - 2)]
        for k, table in self.lookups:
            own += [f"{k}={v}" for v in self._hits(k, table, w, readings, key) or ()]
        return own

    def own_ids(self, w: str, slots: "KindSlots") -> list[int]:
        """``[base.get(f, 0) for f in self.own(w)]`` (``base``: the slots ``KindSlots`` was made
        from) without building the strings: each kind's values are looked up in their own table
        (affixes, shape and length are short strings or small ints), in the same order, so the
        summed weights are the same."""
        t = slots.kinds
        if w in (BOS, EOS):
            return [t["w"].get(w, 0)]
        n = self._seated(w)
        key, w = (w, n) if n is not None else (None, w)   # key: the seat form, for `tg` and `cue`
        readings = strip_proclitics(w)
        stem = readings[1][1] if len(readings) > 1 else w
        ids = [slots.bias, t["w"].get(w, 0), t["stem"].get(stem, 0)]
        if len(readings) > 1:
            proc = t["proc"]
            ids += [proc.get(p, 0) for p, _ in readings[1:]]
        g = self.groups
        shape = "shape" in g
        if shape:
            n, m = len(stem), len(w)
            ids += [tab.get(stem[:k], 0) for k, tab in slots.pre if n > k]
            ids += [tab.get(w[-k:], 0) for k, tab in slots.suf if m > k]
            ids += [t["shape"].get(_shape(w), 0), slots.length[min(n, 9)]]
        if "lexicon" in g:
            cues, cue_readings = self._cues(key, readings)
            found = [c for _, s in cue_readings for c in cues.get(s, ())]
            if found:
                cue = t["cue"]
                ids += [cue.get(c, 0) for c in sorted(set(found))]
        if self.clusters is not None:
            get = self.clusters.get
            c = get(w)
            if c is None:
                for _, st in readings[1:]:
                    c = get(st)
                    if c is not None:
                        break
            if c is not None:
                ids += [slots.cc.get(c[0], 0), slots.cf.get(c[1], 0)]
            else:
                ids.append(slots.rare)
                if shape:
                    tri = t["tri"]
                    ids += [tri.get(stem[k:k + 3], 0) for k in range(len(stem) - 2)]
        for k, table in self.lookups:
            tab = t.get(k, {})
            ids += [tab.get(v, 0) for v in self._hits(k, table, w, readings, key) or ()]
        return ids

    def own_ids_batch(self, words: list[str], slots: "KindSlots", native=None) -> tuple[list[int], list[int]]:
        """Every word's ``own_ids`` in one list, each after a 0 (slot 0: no segment is empty),
        and where each word's begins: in C when ``native`` (the compiled decoder) is given, the
        hamza-seat forms too (``_seated``: normalised there by ``normalize_key``)."""
        if native is not None:
            return native.own_ids(words, *self._native_args(slots, native))
        ids: list[int] = []
        starts = []
        for w in words:
            starts.append(len(ids))
            ids.append(0)
            ids += self.own_ids(w, slots)
        return ids, starts

    def own_sums(self, words: list[str], slots: "KindSlots", native, rows, weights, out, first: int) -> None:
        """``native.type_sums(*self.own_ids_batch(words, slots, native), rows, weights, out, first)``
        in one compiled call (``_decode.own_sums``: no arrays of the ids between the two)."""
        native.own_sums(words, *self._native_args(slots, native), rows, weights, out, first)

    def _native_args(self, slots: "KindSlots", native) -> tuple:
        """The arguments after the words of the compiled ``own_ids`` and ``own_sums``."""
        if slots.affixes is None:
            slots.affixes = native.Affixes(slots)
        return (_BY_FIRST, BOS, EOS, slots, slots.affixes, "shape" in self.groups, self.cues, self.clusters,
                self.lookups, self.seated_cues, normalize_key if self.spelled else None, self._key_filter(native))


class KindSlots:
    """A model's unprefixed features (feature -> slot) split by kind, for ``own_ids``: kind ->
    value -> slot, the cluster ids keyed by int and the lengths by position."""

    def __init__(self, base: dict[str, int], same: dict[str, str] | None = None):
        """same: word -> the string object a value equal to it is to be (``clusters.same_words``:
        2.2 MB of the shipped model's values, a copy of each otherwise)."""
        one = same or {}
        kinds: dict[str, dict[str, int]] = {}
        for f, s in base.items():
            i = f.find("=")
            if i > 0:
                v = f[i + 1:]
                kinds.setdefault(f[:i], {})[one.get(v, v)] = s
        for k in ("w", "stem", "proc", "shape", "len", "cue", "cc", "cf", "tri",
                  *(f"pre{k}" for k in (1, 2, 3, 4)), *(f"suf{k}" for k in (1, 2, 3, 4))):
            kinds.setdefault(k, {})
        self.kinds = kinds
        self.bias = base.get("bias", 0)
        self.pre = [(k, kinds[f"pre{k}"]) for k in (1, 2, 3, 4)]
        self.suf = [(k, kinds[f"suf{k}"]) for k in (1, 2, 3, 4)]
        self.length = [kinds["len"].get(str(k), 0) for k in range(10)]
        self.cc = {int(v): s for v, s in kinds["cc"].items() if v.lstrip("-").isdigit()}
        self.cf = {int(v): s for v, s in kinds["cf"].items() if v.lstrip("-").isdigit()}
        self.rare = kinds["cc"].get("rare", 0)
        self.affixes = None   # the compiled look-up of the affix and trigram slots (``_decode.Affixes``), at first use


# A gap between two words of a sentence is a maximal run of non-word characters; those other
# than a single space: a run of two or more, or one character that is not a space.
_GAP = re.compile(r"\W{2,}|[^\w ]")


def gap_features(norm: str, tokens: Sequence) -> list[list[str]]:
    """Punctuation between a token and its neighbours (quotes, brackets, commas, dashes).

    Tokens are words only, so without these the tagger could not see that « or ( closes a name.
    Tokens without any share one empty list (never mutated)."""
    n = len(tokens)
    out: list[list[str]] = [_NONE] * n
    if n < 2:
        return out
    left: dict[int, str] = {}    # token index -> its "lp=" feature
    right: dict[int, str] = {}   # token index -> its "rp=" feature
    starts = None
    for m in _GAP.finditer(norm, tokens[0].end, tokens[-1].start):
        g = m.group().replace(" ", "")[:2]
        if not g:
            continue
        if starts is None:
            starts = [t.start for t in tokens]
        i = bisect.bisect_left(starts, m.end())  # the token after the gap
        left[i] = "lp=" + g
        right[i - 1] = "rp=" + g
    for k in left.keys() | right.keys():
        out[k] = [f for f in (left.get(k), right.get(k)) if f is not None]
    return out


_NONE: list[str] = []


@lru_cache(maxsize=4096)
def _gap_names(g: str) -> tuple[str, str]:
    """("lp=" + g, "rp=" + g), the same string objects each time (their hashes are kept)."""
    return "lp=" + g, "rp=" + g


def doc_gap_features(norm: str, tokens: Sequence) -> dict[int, list[str]]:
    """``gap_features`` of every sentence of a document in one pass: token index -> its list,
    for the tokens that have any (a gap between two sentences belongs to neither)."""
    n = len(tokens)
    if n < 2:
        return {}
    starts = [t.start for t in tokens]
    out: dict[int, list[str]] = {}
    for m in _GAP.finditer(norm, tokens[0].end, tokens[-1].start):
        g = m.group().replace(" ", "")[:2]
        if not g:
            continue
        i = bisect.bisect_left(starts, m.end())  # the token after the gap
        if tokens[i].sent != tokens[i - 1].sent:
            continue
        lp, rp = _gap_names(g)
        out.setdefault(i, []).insert(0, lp)  # "lp" before "rp", as gap_features orders them
        out.setdefault(i - 1, []).append(rp)
    return out


# -- lexicon membership ---------------------------------------------------------------

# A source finds names in the normalised text: (start, end, label) in normalised offsets; the
# feature is "<label>=B" on the first token of the span and "<label>=I" on the others.
Source = Callable[[str], Iterable[tuple[int, int, str]]]
# Actor kinds that are organisations or forces; the other actors (civilians, unidentified
# gunmen, protesters) are a different signal.
ORG_KINDS = {"state", "rebel", "political_militia", "identity_militia", "external"}


def _actor_source() -> Source | None:
    from ..lexicon import LANG_DIR, matcher

    if not (LANG_DIR / "actors.tsv").exists():
        return None
    m = matcher("actors.tsv")

    def find(norm: str):  # the raw hits (word start, end, core start, prefix, row): no Match objects
        return [(a, z, "act" if e.get("kind") in ORG_KINDS else "actx") for _, z, a, _, e in m.hits(norm)]
    find.matcher = m   # scanned with the other sources' matchers (``LexiconFeatures.hits``)
    return find


def _gazetteer_source() -> Source | None:
    """Names in the places step's gazetteer ("gaz"; "gazw" for names that are also common words).

    One pass of the gazetteer's own automaton with its clitic rule, without the geoparser's
    context rules: the tagger only needs to know that a word could be a place."""
    try:
        from ..places.gazetteer import load
        from ..places.names import proclitic_ok
    except ImportError:
        return None
    gaz = load()
    from ..text.native import core
    if core is not None:  # the geoparser's compiled scan: the same hits and proclitic rule, and
        from ..places.geoparser import gazetteer_hits  # the places step gets this scan's hits
        from .native import decoder

        def find_compiled(norm: str):
            hits = gazetteer_hits(gaz, norm.replace("_", " "), norm)
            if decoder is not None:
                return decoder.gazetteer_tags(hits)
            return [(b - len(name), b, "gaz" if any(not weak for _, weak in cands) else "gazw")
                    for _, b, _, name, cands, _ in hits]
        return find_compiled
    auto, index = gaz.automaton(), gaz.index   # the pure path's scan (a compiled run builds no automaton)
    seen: dict[tuple[str, str], str | None] = {}  # (proclitic, name) -> its label, or None

    def find(norm: str):
        norm = norm.replace("_", " ")  # hashtags: #حفر_الباطن is حفر الباطن (same length)
        n = len(norm)
        for last, core in auto.iter(norm):
            a, b = last - len(core) + 1, last + 1
            if b < n and norm[b].isalnum():
                continue
            w = a
            stop = a - 5  # a longer prefix is refused anyway: no need to find the word start
            while w > stop and w > 0 and norm[w - 1].isalnum():
                w -= 1
            if a - w > 4:
                continue
            prefix = norm[w:a]
            key = (prefix, core)
            label = seen.get(key, False)
            if label is False:  # the same name with the same proclitic recurs: decide once
                weak = [wk for _, art, wk in index[core] if proclitic_ok(prefix, art)]
                label = ("gazw" if all(weak) else "gaz") if weak else None
                if len(seen) > _CACHE_MAX:
                    seen.clear()
                seen[key] = label
            if label is not None:
                yield a, b, label
    return find


@lru_cache(maxsize=1)
def org_matcher():
    """Named organisations and armed groups (data/orgs.tsv)."""
    from ..lexicon import PhraseMatcher, load_tsv

    return PhraseMatcher(load_tsv("orgs.tsv", DATA_DIR))


def _without_article(hit: tuple) -> bool:
    """A hit of a name listed with its article (النصرة) behind a proclitic without it (لنصرة،
    بنصرة، ونصرة): the common noun in the construct state ("to support ..."), not the name,
    which takes the article after the proclitic (للنصرة، بالنصرة، والنصرة). The matcher makes
    the article optional (the name is also written bare; its row's ``_article``), so the check is here."""
    prefix, row = hit[3], hit[4]
    return bool(prefix) and row["_article"] and not prefix.endswith(("ال", "لل"))


_last_orgs: list = [(None, [])]  # one slot holding (text, spans): swapped whole, so threads are safe


def org_spans(norm: str) -> list[tuple[int, int]]:
    """(start, end) of the longest named-organisation matches, proclitics excluded.

    The tagger asks twice per document (feature, then fallback): the last answer is kept."""
    from ..lexicon import longest_hits

    last = _last_orgs[0]
    if last[0] is norm:
        return last[1]
    # the raw hits (word start, end, core start, prefix, row): no Match object per hit
    spans = [(h[2], h[1]) for h in longest_hits([h for h in org_matcher().hits(norm) if not _without_article(h)])]
    _last_orgs[0] = (norm, spans)
    return spans


def _org_source() -> Source:
    def find(norm: str):
        return ((a, b, "org") for a, b in org_spans(norm))
    find.matcher = org_matcher()
    return find


SOURCES = {"gaz": _gazetteer_source, "act": _actor_source, "org": _org_source}


def available_sources(names: Iterable[str] | None = None) -> dict[str, Source]:
    """The lexicon sources installed now (all, or those named), by name."""
    out: dict[str, Source] = {}
    for name, make in SOURCES.items():
        if names is not None and name not in names:
            continue
        try:
            src = make()
        except Exception:  # a broken optional lexicon must not stop tagging
            src = None
        if src is not None:
            out[name] = src
    return out


class LexiconFeatures:
    """Per-token membership features (B/I of a lexicon match, and the same for neighbours)."""

    def __init__(self, sources: dict[str, Source], native: bool = True):
        """native=False: the Python loop even where the compiled one is built (tests compare)."""
        from .native import decoder

        self.sources = sources
        self.native = decoder if native else None
        # tags of one token (("gaz=B", "act=B"), ...) -> (own, as -1, as +1) feature lists
        self._encoded: dict[tuple[str, ...], tuple[list[str], list[str], list[str]]] = {}
        self._names: dict[str, tuple[str, str]] = {}  # source label -> its B and I features
        # the phrase matchers behind the sources (actors, organisations): scanned in one pass
        self._matchers = [m for m in (getattr(f, "matcher", None) for f in sources.values()) if m is not None]

    def hits(self, norm: str) -> list[tuple[int, int, str]]:
        """(start, end, label) of every source's names, source by source."""
        if len(self._matchers) > 1:
            hits_together(self._matchers, norm)   # each matcher keeps its answer for its source
        return [h for find in self.sources.values() for h in find(norm)]

    def for_tokens(self, norm: str, tokens: Sequence) -> list[list[str]]:
        """``matches`` as lists aligned with ``tokens`` (training); tokens without any share one
        empty list (never mutated)."""
        out: list[list[str]] = [_NONE] * len(tokens)
        for k, f in self.matches(norm, tokens).items():
            out[k] = f
        return out

    def matches(self, norm: str, tokens: Sequence, arrays=None) -> dict[int, list[str]]:
        """Token index -> its features, for the tokens that have any (most have none); tokens
        are objects with start, end, sent in ``norm`` (arrays: the first three of their
        ``token_arrays``, when the caller has them).

        Each source runs once over the whole text; neighbours are taken within a sentence."""
        n = len(tokens)
        out: dict[int, list[str]] = {}
        if not self.sources or not n:
            return out
        if self.native is not None:
            hits = self.hits(norm)
            if arrays is None:
                arrays = self.native.token_arrays(list(tokens))[:3]   # (not the runs)
            return self.native.spread_tags(hits, *arrays, self._names, self._encoded)
        starts = [t.start for t in tokens]
        own: dict[int, list[str]] = {}
        names = self._names
        right, left = bisect.bisect_right, bisect.bisect_left
        for find in self.sources.values():
            for a, b, name in find(norm):
                i = right(starts, a) - 1
                if i < 0 or tokens[i].end <= a:
                    i += 1
                j = left(starts, b, i)
                tags = names.get(name)
                if tags is None:  # the same string objects every time: their hashes are kept
                    tags = names[name] = (f"{name}=B", f"{name}=I")
                for k in range(i, j):
                    tag = tags[k != i]
                    lst = own.get(k)
                    if lst is None:
                        own[k] = [tag]
                    elif tag not in lst:
                        lst.append(tag)
        encoded = self._encoded
        get = out.get
        for k, lst in own.items():
            key = tuple(lst)
            e = encoded.get(key)
            if e is None:  # a handful of tag combinations: formatted once, for each position
                e = encoded[key] = (list(lst), ["-1" + x for x in lst], ["+1" + x for x in lst])
            out[k] = get(k, _NONE) + e[0]
            s = tokens[k].sent
            if k + 1 < n and tokens[k + 1].sent == s:
                out[k + 1] = get(k + 1, _NONE) + e[1]
            if k > 0 and tokens[k - 1].sent == s:
                out[k - 1] = get(k - 1, _NONE) + e[2]
        return out
