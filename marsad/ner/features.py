"""Token features for the named-entity tagger.

Everything that depends only on a word (its normalised form, proclitic readings, affixes,
shape) is computed once per word type and cached, already prefixed for each position it can
take in a window (the word itself, one or two to the left or right). A token's feature list is
then a concatenation of five cached lists plus its lexicon memberships, which keeps tagging at
thousands of sentences a second in pure Python.

Lexicon membership (Marsad's gazetteer, the actor table) is per token and comes from
``LexiconFeatures``; a lexicon that is not installed simply contributes no feature, so a
model trained with it still runs without it (with lower recall on names it would have known).
"""

from __future__ import annotations

import bisect
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..text import normalize_key, strip_proclitics

BOS, EOS = "<s>", "</s>"
# The relative positions of the window and which word features each position carries.
_NEAR = ("w", "stem", "pre2", "suf2", "shape", "cue")
_FAR = ("w", "stem", "cue")
POSITIONS = ((-1, _NEAR), (1, _NEAR), (-2, _FAR), (2, _FAR))
_CACHE_MAX = 300_000


def _shape(w: str) -> str:
    if w.isdigit():
        return "num"
    if w.isascii():
        return "latin" if w.isalpha() else "alnum"
    if any(c.isdigit() for c in w):
        return "mixed"
    return "ar"


@lru_cache(maxsize=1)
def cue_words() -> dict[str, tuple[str, ...]]:
    """Normalised cue word -> its classes (title, given, org_cue, loc_cue) from data/cues.tsv."""
    from ..lexicon import load_tsv

    out: dict[str, set[str]] = {}
    for row in load_tsv("cues.tsv", Path(__file__).resolve().parent / "data"):
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
    """Cached, position-prefixed feature lists per word type.

    ``keep``: the attribute names the model knows; features outside it are dropped at
    caching time, since the tagger would ignore them anyway (and each costs a lookup).
    """

    def __init__(self, keep: set[str] | None = None):
        self.keep = keep
        self._own: dict[str, list[str]] = {}
        self._pos: dict[int, dict[str, list[str]]] = {p: {} for p, _ in POSITIONS}

    def _filter(self, feats: list[str]) -> list[str]:
        return feats if self.keep is None else [f for f in feats if f in self.keep]

    def own(self, w: str) -> list[str]:
        f = self._own.get(w)
        if f is None:
            if len(self._own) > _CACHE_MAX:
                self._own.clear()
            a = word_attrs(w)
            f = ["bias"] + [f"{k}={v}" for k in _OWN for v in a.get(k, ())]
            f = self._own[w] = self._filter(f)
        return f

    def at(self, pos: int, kinds: Sequence[str], w: str) -> list[str]:
        cache = self._pos[pos]
        f = cache.get(w)
        if f is None:
            if len(cache) > _CACHE_MAX:
                cache.clear()
            a = word_attrs(w)
            f = [f"{pos:+d}{k}={v}" for k in kinds for v in a.get(k, ())]
            f = cache[w] = self._filter(f)
        return f

    def sequence(self, words: Sequence[str], lex: Sequence[list[str]] | None = None) -> list[list[str]]:
        """Feature lists for one sentence of normalised words."""
        n = len(words)
        padded = [BOS, BOS, *words, EOS, EOS]
        out = []
        for i in range(n):
            f = list(self.own(words[i]))
            for pos, kinds in POSITIONS:
                f += self.at(pos, kinds, padded[i + 2 + pos])
            if lex is not None:
                f += lex[i]
            out.append(f)
        return out


def gap_features(norm: str, tokens: Sequence) -> list[list[str]]:
    """Punctuation between a token and its neighbours (quotes, brackets, commas, dashes).

    Tokens are words only, so without these the tagger could not see that « or ( closes a name."""
    n = len(tokens)
    gaps = [""] * (n + 1)   # gaps[i]: between token i-1 and token i
    for i in range(1, n):
        g = norm[tokens[i - 1].end:tokens[i].start]
        if g != " ":
            gaps[i] = g.replace(" ", "")[:2]
    out = []
    for i in range(n):
        f = []
        if gaps[i]:
            f.append("lp=" + gaps[i])
        if gaps[i + 1]:
            f.append("rp=" + gaps[i + 1])
        out.append(f)
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

    def find(norm: str):
        for x in m.find(norm):
            yield x.core_start, x.end, "act" if x.entry.get("kind") in ORG_KINDS else "actx"
    return find


def _gazetteer_source() -> Source | None:
    """Place names the places step finds (its gazetteer, and unknown words after بلدة/قرية ...)."""
    try:
        from ..places.geoparser import Geoparser
    except ImportError:
        return None
    gp = Geoparser()

    def find(norm: str):
        for m in gp.find(norm):
            yield m.start, m.end, "gaz" if m.cands else "gazcue"
    return find


SOURCES = {"gaz": _gazetteer_source, "act": _actor_source}


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

    def for_tokens(self, norm: str, tokens: Sequence) -> list[list[str]]:
        """Feature lists aligned with ``tokens`` (objects with start, end, sent in ``norm``).

        Each source runs once over the whole text; neighbours are taken within a sentence."""
        n = len(tokens)
        own: list[list[str]] = [[] for _ in range(n)]
        if not self.sources or not n:
            return own
        starts = [t.start for t in tokens]
        for find in self.sources.values():
            for a, b, name in find(norm):
                i = bisect.bisect_right(starts, a) - 1
                if i < 0 or tokens[i].end <= a:
                    i += 1
                j = bisect.bisect_left(starts, b)
                if i >= j:
                    continue
                tag = f"{name}=B"
                if tag not in own[i]:
                    own[i].append(tag)
                for k in range(i + 1, j):
                    if f"{name}=I" not in own[k]:
                        own[k].append(f"{name}=I")
        out = []
        for i in range(n):
            f = list(own[i])
            if i > 0 and tokens[i - 1].sent == tokens[i].sent:
                f += ["-1" + x for x in own[i - 1]]
            if i + 1 < n and tokens[i + 1].sent == tokens[i].sent:
                f += ["+1" + x for x in own[i + 1]]
            out.append(f)
        return out
