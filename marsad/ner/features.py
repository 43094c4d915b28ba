"""Token features for the named-entity tagger.

Everything that depends only on a word (its normalised form, proclitic readings, affixes,
shape, cue-word class from data/cues.tsv) is computed once per word type and cached, already
prefixed for each position it can take in a window (the word itself, one or two to the left or
right) and encoded as bytes. A token's feature list is then a concatenation of five cached
lists plus the punctuation beside it and its lexicon memberships, which keeps tagging at
thousands of sentences a second in pure Python.

Lexicon membership (the places step's gazetteer, the actor table, data/orgs.tsv) is per token
and comes from ``LexiconFeatures``; a lexicon that is not installed simply contributes no
feature, so a model trained with it still runs without it (with lower recall on names it would
have known).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..text import normalize_key, strip_proclitics

BOS, EOS = "<s>", "</s>"
# The relative positions of the window and which word features each position carries.
_NEAR = ("w", "stem", "pre2", "suf2", "shape", "cue")
_FAR = ("w", "stem", "cue")
POSITIONS = ((-1, _NEAR), (1, _NEAR), (-2, _FAR), (2, _FAR))
_PREFIXED = tuple((f"{pos:+d}", kinds) for pos, kinds in POSITIONS)  # ("-1", _NEAR), ...
_CACHE_MAX = 300_000
DATA_DIR = Path(__file__).resolve().parent / "data"


def _shape(w: str) -> str:
    if w.isdigit():
        return "num"
    if w.isascii():
        return "latin" if w.isalpha() else "alnum"
    if w.isalpha():  # letters only (most words): no digit to look for
        return "ar"
    if any(c.isdigit() for c in w):
        return "mixed"
    return "ar"


@lru_cache(maxsize=1)
def cue_words() -> dict[str, tuple[str, ...]]:
    """Normalised cue word -> its classes (title, given, org_cue, loc_cue) from data/cues.tsv."""
    from ..lexicon import load_tsv

    out: dict[str, set[str]] = {}
    for row in load_tsv("cues.tsv", DATA_DIR):
        out.setdefault(normalize_key(row["word"]), set()).add(row["class"])
    return {k: tuple(sorted(v)) for k, v in out.items()}


def word_attrs(w: str) -> dict[str, list[str]]:
    """The features of a word type, by kind (values only, not yet prefixed by position)."""
    if w in (BOS, EOS):
        return {"w": [w]}
    readings = strip_proclitics(w)  # bare word first, then the longest proclitic first
    cues = cue_words()
    stem = readings[1][1] if len(readings) > 1 else w
    attrs = {
        "w": [w],
        "stem": [stem],
        "procs": [p for p, _ in readings[1:]],
        "stems": [s for _, s in readings[2:]],
        "pre2": [stem[:2]],
        "pre3": [stem[:3]],
        "suf1": [w[-1:]],
        "suf2": [w[-2:]],
        "suf3": [w[-3:]],
        "shape": [_shape(w)],
        "len": [str(min(len(stem), 9))],
        "cue": sorted({c for _, s in readings for c in cues.get(s, ())}),
    }
    return attrs


_OWN = ("w", "stem", "procs", "stems", "pre2", "pre3", "suf1", "suf2", "suf3", "shape", "len", "cue")


class WordFeatures:
    """Cached feature lists per word type, one for each window position it can take.

    ``keep``: the attribute names the model knows; features outside it are dropped at
    caching time, since the tagger would ignore them anyway (and each costs a lookup).
    """

    def __init__(self, keep: set[str] | None = None):
        self.keep = keep
        # (position prefix "" / "-1" / "+1" / "-2" / "+2", kind) -> {value: attribute bytes}, for
        # the attributes the model knows: a word's unknown features are never even formatted
        self._known: dict[tuple[str, str], dict[str, bytes]] | None = None
        self._bias: list[bytes] = [b"bias"]
        if keep is not None:
            self._known = {}
            for f in keep:
                p = f[:2] if f[:2] in ("-1", "+1", "-2", "+2") else ""
                k, sep, v = f[len(p):].partition("=")
                if sep:
                    self._known.setdefault((p, k), {})[v] = f.encode()
            self._bias = [b"bias"] if "bias" in keep else []
        # word -> (own features, as -1 neighbour, as +1, as -2, as +2)
        self._cache: dict[str, tuple[list[bytes], ...]] = {}

    def lists(self, w: str) -> tuple[list[bytes], ...]:
        c = self._cache.get(w)
        if c is None:
            if len(self._cache) > _CACHE_MAX:
                self._cache.clear()
            a = word_attrs(w)
            # bytes: python-crfsuite passes them through as they are, where str is re-encoded
            # on every call (a third of the tagging time)
            if self._known is None:
                own = ["bias"] + [f"{k}={v}" for k in _OWN for v in a.get(k, ())]
                c = (own, *([f"{p}{k}={v}" for k in kinds for v in a.get(k, ())] for p, kinds in _PREFIXED))
                c = tuple([f.encode() for f in lst] for lst in c)
            else:
                c = (self._bias + self._pick(a, "", _OWN), *(self._pick(a, p, kinds) for p, kinds in _PREFIXED))
            self._cache[w] = c
        return c

    def _pick(self, a: dict[str, list[str]], prefix: str, kinds: Sequence[str]) -> list[bytes]:
        """The known attributes among a word's features of these kinds, in order, as bytes."""
        out = []
        for k in kinds:
            known = self._known.get((prefix, k))
            if known:
                for v in a.get(k, ()):
                    b = known.get(v)
                    if b is not None:
                        out.append(b)
        return out

    def sequence(self, words: Sequence[str], *extra: Sequence[list[bytes]] | None) -> list[list[bytes]]:
        """Feature lists for one sentence of normalised words, plus per-token extra lists."""
        cache, get = self._cache, self.lists
        pad, end = get(BOS), get(EOS)
        c = [pad, pad, *[cache.get(w) or get(w) for w in words], end, end]
        # the word's own list, then as seen from its neighbours in POSITIONS order: -1, +1, -2, +2
        window = (c[2:-2], c[1:-3], c[3:-1], c[:-4], c[4:])
        ex = [e for e in extra if e is not None]
        if len(ex) == 2 and len(ex[0]) == len(ex[1]) == len(words):
            # the tagger's case (lexicon and punctuation lists): one pass, no appends
            return [[*x[0], *m1[1], *p1[2], *m2[3], *p2[4], *e1, *e2]
                    for x, m1, p1, m2, p2, e1, e2 in zip(*window, *ex)]
        out = [[*x[0], *m1[1], *p1[2], *m2[3], *p2[4]] for x, m1, p1, m2, p2 in zip(*window)]
        for ex in extra:
            if ex is not None:
                for f, e in zip(out, ex):
                    if e:
                        f += e
        return out


@lru_cache(maxsize=4096)
def enc(feature: str) -> bytes:
    """A feature name as the bytes the tagger reads."""
    return feature.encode()


# A gap between two words of a sentence is a maximal run of non-word characters; those other
# than a single space: a run of two or more, or one character that is not a space.
_GAP = re.compile(r"\W{2,}|[^\w ]")


def gap_features(norm: str, tokens: Sequence) -> list[list[bytes]]:
    """Punctuation between a token and its neighbours (quotes, brackets, commas, dashes).

    Tokens are words only, so without these the tagger could not see that « or ( closes a name.
    Tokens without any share one empty list (never mutated)."""
    n = len(tokens)
    out: list[list[bytes]] = [_NONE] * n
    if n < 2:
        return out
    left: dict[int, bytes] = {}    # token index -> its "lp=" feature
    right: dict[int, bytes] = {}   # token index -> its "rp=" feature
    starts = None
    for m in _GAP.finditer(norm, tokens[0].end, tokens[-1].start):
        g = m.group().replace(" ", "")[:2]
        if not g:
            continue
        if starts is None:
            starts = [t.start for t in tokens]
        i = bisect.bisect_left(starts, m.end())  # the token after the gap
        left[i] = enc("lp=" + g)
        right[i - 1] = enc("rp=" + g)
    for k in left.keys() | right.keys():
        out[k] = [f for f in (left.get(k), right.get(k)) if f is not None]
    return out


_NONE: list[bytes] = []


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

    def find(norm: str):
        for x in m.find(norm):
            yield x.core_start, x.end, "act" if x.entry.get("kind") in ORG_KINDS else "actx"
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
    auto, index = gaz.automaton(), gaz.index
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


_last_orgs: list = [(None, [])]  # one slot holding (text, spans): swapped whole, so threads are safe


def org_spans(norm: str) -> list[tuple[int, int]]:
    """(start, end) of the longest named-organisation matches, proclitics excluded.

    The tagger asks twice per document (feature, then fallback): the last answer is kept."""
    from ..lexicon import longest_matches

    last = _last_orgs[0]
    if last[0] is norm:
        return last[1]
    spans = [(m.core_start, m.end) for m in longest_matches(list(org_matcher().find(norm)))]
    _last_orgs[0] = (norm, spans)
    return spans


def _org_source() -> Source:
    def find(norm: str):
        return ((a, b, "org") for a, b in org_spans(norm))
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

    def __init__(self, sources: dict[str, Source]):
        self.sources = sources
        # tags of one token (("gaz=B", "act=B"), ...) -> encoded (own, as -1, as +1) lists
        self._encoded: dict[tuple[str, ...], tuple[list[bytes], list[bytes], list[bytes]]] = {}

    def for_tokens(self, norm: str, tokens: Sequence) -> list[list[bytes]]:
        """Feature lists aligned with ``tokens`` (objects with start, end, sent in ``norm``).

        Each source runs once over the whole text; neighbours are taken within a sentence.
        Most tokens match nothing: they share one empty list."""
        n = len(tokens)
        out: list[list[bytes]] = [[]] * n  # shared and never mutated: entries are replaced
        if not self.sources or not n:
            return out
        starts = [t.start for t in tokens]
        own: dict[int, list[str]] = {}
        for find in self.sources.values():
            for a, b, name in find(norm):
                i = bisect.bisect_right(starts, a) - 1
                if i < 0 or tokens[i].end <= a:
                    i += 1
                j = bisect.bisect_left(starts, b)
                for k in range(i, j):
                    tag = f"{name}=B" if k == i else f"{name}=I"
                    lst = own.setdefault(k, [])
                    if tag not in lst:
                        lst.append(tag)
        encoded = self._encoded
        for k, lst in own.items():
            key = tuple(lst)
            e = encoded.get(key)
            if e is None:  # a handful of tag combinations: encoded once, for each position
                e = encoded[key] = ([enc(x) for x in lst], [enc("-1" + x) for x in lst],
                                    [enc("+1" + x) for x in lst])
            out[k] = out[k] + e[0]
            s = tokens[k].sent
            if k + 1 < n and tokens[k + 1].sent == s:
                out[k + 1] = out[k + 1] + e[1]
            if k > 0 and tokens[k - 1].sent == s:
                out[k - 1] = out[k - 1] + e[2]
        return out
