"""Language data files and the phrase matcher that finds their entries in a Doc.

Lexicons are TSV files under ``marsad/lang/ar/`` with a header row; each row is one entry with
its provenance. Patterns are normalised like the text. A pattern matches at word boundaries,
optionally after proclitics (و ف ب ل ك ال لل ...), and, when it ends with ``+``, before one of the
common suffixes (so ``قصف+`` finds قصفت، قصفوا). One Aho-Corasick automaton per lexicon is built
once per process and shared by every document.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Iterator

import ahocorasick

from .text import PROCLITICS, normalize_key
from .text.native import core, ends

LANG_DIR = Path(str(resources.files("marsad") / "lang" / "ar"))

SUFFIXES = ("", "ت", "ا", "وا", "ون", "ين", "ات", "ان", "تا", "ه", "ها", "هم", "هما", "هن", "نا",
            "يه", "يا", "ي", "تم", "تها", "ته", "اه", "وه", "وها", "ته", "تهم", "وهم", "تهما")
_MAX_SUFFIX = max(len(s) for s in SUFFIXES)
_PROCLITIC_SET = frozenset(PROCLITICS)
_SUFFIX_SET = frozenset(SUFFIXES)
_MAX_PROCLITIC = max(len(p) for p in PROCLITICS)
_WORD_CHARS = re.compile(r"\w*")  # \w is exactly str.isalnum() or "_" (_is_letter)


def load_tsv(name: str, directory: Path | None = None) -> list[dict[str, str]]:
    """Rows of a language data file; lines starting with # are comments. A value repeated in
    the file (a kind, a source, a canonical name) is one string object: the matchers keep
    their rows for the whole run (copies were 1.6 MB of the pipeline's tables)."""
    path = (directory or LANG_DIR) / name
    with open(path, encoding="utf-8", newline="") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    rows = []
    one: dict[str, str] = {}
    for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        rows.append({k: one.setdefault(v, v) for k, v in row.items() if k
                     for v in ((v or "").strip(),)})
    return rows


@lru_cache(maxsize=None)
def word_lists(name: str) -> dict[str, list[dict[str, str]]]:
    """The rows of a word-list file (columns word, list, ..., source) grouped by list, in file
    order, each word normalised like the text. Shared: callers copy what they change."""
    out: dict[str, list[dict[str, str]]] = {}
    for row in load_tsv(name):
        out.setdefault(row["list"], []).append(dict(row, word=normalize_key(row["word"])))
    return out


def words(name: str, lst: str) -> list[str]:
    """The normalised words of one list of a word-list file, in file order."""
    return [r["word"] for r in word_lists(name).get(lst, ())]


@dataclass(slots=True)
class Match:
    start: int          # normalised offsets of the whole word(s), proclitics included
    end: int
    core_start: int     # where the pattern itself starts (after proclitics)
    prefix: str
    entry: dict[str, Any]


def _is_letter(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class _Entries(list):
    """The rows of one pattern, with whether any of them takes a suffix, and any a proclitic
    (when none does, a hit inside a longer word is refused at once)."""

    def __init__(self, rows: list[dict]):
        super().__init__(rows)
        self.suffixes = any(e["_suffixes"] for e in rows)
        self.proclitics = any(not e["_strict"] for e in rows)


class PhraseMatcher:
    """Multi-pattern matcher over normalised text with Arabic clitic rules."""

    def __init__(self, entries: list[dict[str, Any]], key: str = "pattern"):
        grouped: dict[str, list[dict]] = {}
        for e in entries:
            raw = e[key]
            suffixes = raw.endswith("+")
            pat = normalize_key(raw.rstrip("+")).strip()
            strict = pat.startswith("=")  # "=" : no proclitics allowed (short or ambiguous words)
            pat = pat.lstrip("=").strip()
            article = pat.startswith("ال") and len(pat) > 4 and not strict
            if article:
                pat = pat[2:]          # ال becomes an optional proclitic
            if not pat:
                continue
            # _article: a caller may ask a hit's proclitic to hold the article (ner.features)
            e = dict(e, _suffixes=suffixes, _strict=strict, _pat=pat, _article=article)
            grouped.setdefault(pat, []).append(e)
        self._build(grouped)

    def _build(self, grouped: dict[str, list[dict]]) -> None:
        """The patterns (pattern -> its rows, made as above); their automaton is built when first
        asked for (``auto``)."""
        self._values = {pat: (pat, _Entries(es)) for pat, es in grouped.items()}
        self.empty = not grouped
        self._last: tuple = (None, 0, None, [])
        self._ends = None   # the same patterns read from word ends (``_end_trie``), when compiled
        self._auto = None

    def values(self):
        """Each pattern's (pattern, rows), without building the automaton."""
        return self._values.values()

    @property
    def auto(self) -> ahocorasick.Automaton:
        """The Aho-Corasick automaton of the patterns (each -> its (pattern, rows)), built at the
        first use: the pure path's scan and ``JointMatcher``'s. A compiled run reads the patterns
        from word ends (``_end_trie``) and never builds it (about 1 MB a large lexicon)."""
        auto = self._auto
        if auto is None:
            auto = ahocorasick.Automaton()
            for pat, value in self._values.items():
                auto.add_word(pat, value)
            if self._values:
                auto.make_automaton()
            self._auto = auto
        return auto

    def find(self, norm: str, start: int = 0, end: int | None = None) -> Iterator[Match]:
        """Matches in norm[start:end], in the automaton's order (by end, then longest first)."""
        for w, z, a, prefix, e in self.hits(norm, start, end):
            yield Match(w, z, a, prefix, e)

    def hits(self, norm: str, start: int = 0, end: int | None = None) -> list[tuple]:
        """The matches of ``find`` as (word start, word end, pattern start, prefix, row) tuples,
        for callers that filter many of them away (no object per raw hit). Shared: not to be
        changed."""
        if self.empty:
            return []
        # The same text is often asked twice (the actors: by the lexicons step, then as a
        # feature of the name tagger): the last answer is kept, swapped whole (thread-safe).
        if self._answered(norm, start, end):
            return self._last[3]
        hits = self._hits(norm, start, len(norm) if end is None else end)
        self._last = (norm, start, end, hits)
        return hits

    def _answered(self, norm: str, start: int, end: int | None) -> bool:
        """Whether ``hits`` keeps the answer for this text object and range."""
        last = self._last
        return last[0] is norm and last[1] == start and last[2] == end

    def _hits(self, norm: str, start: int, end: int, occ: dict[str, list[int]] | None = None) -> list[tuple]:
        """(word start, word end, pattern start, prefix, row) of every match. ``occ``: pattern ->
        a list to which the start of every occurrence of the pattern is added, inside words too."""
        if ends is not None and occ is None:   # the same hits, read back from word ends in C
            return ends.phrase_hits(self._end_trie(), norm, start, end, _suffix_trie(), _PROCLITIC_SET,
                                    _SUFFIX_SET, _MAX_SUFFIX, _MAX_PROCLITIC)
        if core is not None:   # the same loop, compiled
            return core.phrase_hits(self.auto, norm, start, end, _PROCLITIC_SET, _SUFFIX_SET,
                                    _MAX_SUFFIX, _MAX_PROCLITIC, occ)
        return list(self._hits_py(norm, start, end, occ))

    def _end_trie(self):
        """The automaton's patterns as an ``_ends.EndTrie`` (built at the first compiled scan),
        each with its (pattern, rows) and whether any row takes a suffix, any a proclitic."""
        trie = self._ends
        if trie is None:
            trie = self._ends = ends.EndTrie(self._values.items(), _end_flags)
        return trie

    def _hits_py(self, norm: str, start: int, end: int, occ: dict[str, list[int]] | None = None) -> Iterator[tuple]:
        n = len(norm)
        for last, (pat, entries) in self.auto.iter(norm, start, end):
            a = last - len(pat) + 1
            b = last + 1
            if occ is not None and (got := occ.get(pat)) is not None:
                got.append(a)
            # Most hits are inside longer words (لا in الاسلاميه): refused as early as possible.
            # suffix: from b to the word end; one longer than any suffix fails every entry
            if b < n and ((ch := norm[b]).isalnum() or ch == "_"):
                if not entries.suffixes:
                    continue
                z = _WORD_CHARS.match(norm, b, min(n, b + _MAX_SUFFIX + 1)).end()
                if z - b > _MAX_SUFFIX:
                    continue
            else:
                z = b
            # prefix: from the word start to a; one longer than any proclitic fails every entry
            w = a
            if a > 0 and ((ch := norm[a - 1]).isalnum() or ch == "_"):
                if not entries.proclitics:
                    continue
                stop = a - _MAX_PROCLITIC - 1
                while w > 0 and w > stop and ((ch := norm[w - 1]).isalnum() or ch == "_"):
                    w -= 1
                if a - w > _MAX_PROCLITIC:
                    continue
            prefix = norm[w:a]
            suffix = norm[b:z]
            for e in entries:
                if prefix and (e["_strict"] or prefix not in _PROCLITIC_SET):
                    continue
                if suffix and not (e["_suffixes"] and suffix in _SUFFIX_SET):
                    continue
                yield w, z, a, prefix, e


def hits_together(matchers: list[PhraseMatcher], norm: str) -> list[list[tuple]]:
    """Each matcher's ``hits(norm)``. Compiled, those not yet asked about this text are scanned in
    one pass (``_ends.phrase_hits_many``: the word ends and suffixes found once, most of a small
    lexicon's scan) and keep the answer as ``hits`` keeps its own."""
    if ends is not None:
        todo = [m for m in matchers if not m.empty and not m._answered(norm, 0, None)]
        if len(todo) > 1:
            found = ends.phrase_hits_many([m._end_trie() for m in todo], norm, 0, len(norm), _suffix_trie(),
                                          _PROCLITIC_SET, _SUFFIX_SET, _MAX_SUFFIX, _MAX_PROCLITIC)
            for m, hits in zip(todo, found):
                m._last = (norm, 0, None, hits)
    return [m.hits(norm) for m in matchers]


def _end_flags(value: tuple) -> int:
    """An ``EndTrie`` pattern's flags from its (pattern, rows)."""
    entries = value[1]
    return (ends.SUFFIXES if entries.suffixes else 0) | (ends.PROCLITICS if entries.proclitics else 0)


@lru_cache(maxsize=1)
def _suffix_trie():
    """The suffixes (not the empty one) as an ``_ends.EndTrie``."""
    return ends.EndTrie((s, s) for s in sorted(_SUFFIX_SET) if s)


class JointMatcher:
    """Several matchers' patterns in one automaton: one scan of a text (the automaton's walk is
    most of a scan's time) gives each matcher's ``hits``, the same tuples in the same order. At
    each end the automaton reports the longer patterns first whichever matcher they come from, a
    pattern two matchers share lists the first one's rows first, and the clitic rules are checked
    row by row (a group's early refusals only skip hits that every row of it refuses). ``words``:
    plain words (not empty) whose every occurrence the same scan also gives (a pattern with no
    row reports no hit). Compiled, the same hits are read from word ends (each matcher's
    ``_end_trie``, ``_ends.phrase_hits_many``) and the words' occurrences by ``_ends.every_hit``
    over a reversed trie of them: the automaton's forward walk cost about 110 instructions a
    character, half of the events step's scan; the joint patterns and automaton are then
    never made (about 0.3 MB)."""

    def __init__(self, matchers: list[PhraseMatcher], words: frozenset[str] = frozenset()):
        self._n, self._words = len(matchers), tuple(words)
        self._matchers = list(matchers)
        self._empty = not self._words and all(m.empty for m in self._matchers)
        self._all: PhraseMatcher | None = None   # the joint patterns (``_joint``), at the automaton's first scan
        self._owner: dict[int, int] = {}          # id of a row -> its matcher (the same)
        self._word_trie = None                    # the words read backwards (the compiled scan)

    def _joint(self) -> PhraseMatcher:
        """The matchers' patterns and the words in one matcher (made at its first use)."""
        if self._all is None:
            grouped: dict[str, list[dict]] = {}
            for k, m in enumerate(self._matchers):
                for pat, entries in m.values():
                    grouped.setdefault(pat, []).extend(entries)
                    for e in entries:
                        self._owner[id(e)] = k
            for w in self._words:
                grouped.setdefault(w, [])
            joint = PhraseMatcher([])
            joint._build(grouped)
            self._all = joint
        return self._all

    def hits(self, norm: str) -> tuple[list[list[tuple]], dict[str, list[int]]]:
        """Each matcher's ``hits(norm)`` over the whole text, in the matchers' order, and where
        each of the words occurs (word -> its starts, in order; [] where it does not)."""
        out: list[list[tuple]] = [[] for _ in range(self._n)]
        occ: dict[str, list[int]] = {w: [] for w in self._words}
        if self._empty:
            return out, occ
        if ends is not None:
            return self._hits_from_ends(norm, out, occ)
        joint = self._joint()
        owner = self._owner
        for x in joint._hits(norm, 0, len(norm), occ if occ else None):
            out[owner[id(x[4])]].append(x)
        return out, occ

    def _hits_from_ends(self, norm: str, out: list[list[tuple]], occ: dict[str, list[int]]):
        """``hits`` compiled: each matcher's own hits (the same tuples in the same order, the same
        row objects) in one pass from word ends, then every occurrence of the words."""
        todo = [k for k, m in enumerate(self._matchers) if not m.empty]
        if todo:
            found = ends.phrase_hits_many([self._matchers[k]._end_trie() for k in todo], norm, 0, len(norm),
                                          _suffix_trie(), _PROCLITIC_SET, _SUFFIX_SET, _MAX_SUFFIX, _MAX_PROCLITIC)
            for k, hits in zip(todo, found):
                out[k] = hits
        if occ:
            trie = self._word_trie
            if trie is None:
                trie = self._word_trie = ends.EndTrie((w, w) for w in sorted(self._words))
            # by end, longest first: each word's starts in order, as the automaton gives them
            for last, w in ends.every_hit(trie, norm):
                occ[w].append(last - len(w) + 1)
        return out, occ


@lru_cache(maxsize=None)
def matcher(name: str) -> PhraseMatcher:
    """The compiled matcher for a lexicon file, built once per process."""
    return PhraseMatcher(load_tsv(name))


def _drop_contained(items: list, span: Callable[[Any], tuple[int, int]]) -> list:
    """Items by start, longest first, without those inside a longer one (e.g. الجيش inside
    الجيش الحر); span(item) gives its (start, end)."""
    def by_start_longest(x) -> tuple[int, int]:
        a, b = span(x)
        return a, a - b

    out: list = []
    last = None
    for x in sorted(items, key=by_start_longest):
        a, b = span(x)
        if last is not None and a >= last[0] and b <= last[1] and (a, b) != last:
            continue
        out.append(x)
        last = (a, b)
    return out


def longest_matches(matches: list[Match]) -> list[Match]:
    """Drop matches contained in a longer one (e.g. الجيش inside الجيش الحر)."""
    return _drop_contained(matches, lambda m: (m.start, m.end))


_START, _END = itemgetter(0), itemgetter(1)


def longest_hits(hits: list[tuple]) -> list[tuple]:
    """``longest_matches`` over ``PhraseMatcher.hits`` tuples (no Match object per hit). The same
    order as ``_drop_contained``'s key (start, start - end) from two stable sorts with C keys (by
    end, longest first, then by start); hits of equal span keep their order."""
    out: list = []
    last_a = last_b = -1
    for x in sorted(sorted(hits, key=_END, reverse=True), key=_START):
        a, b = x[0], x[1]
        if a >= last_a and b <= last_b and (a != last_a or b != last_b):
            continue
        out.append(x)
        last_a, last_b = a, b
    return out
