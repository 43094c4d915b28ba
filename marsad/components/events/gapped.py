"""Triggers whose words may stand apart (marsad/lang/ar/gapped_triggers.tsv): a head word and,
within a few words, its tail ("نزل آلاف المتظاهرين إلى الشوارع"، "أطلق الحوثيون صواريخ على",
"أحرق شبان غاضبون عددا من الإطارات"). The phrase matcher only finds contiguous words; these
rows compile to one regular expression each, matched over the normalised text of a sentence."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

import ahocorasick

from ...doc import Doc
from ...lexicon import load_tsv
from ...text import normalize_key
from .kinds import typed
from .native import _fast

_CLITIC = r"(?:[وفبل]|ال|بال|وال|لل|فال)?"


def _escaped_len(w: str) -> int:
    return len(re.escape(w))


@lru_cache(maxsize=1)
def rules() -> list[tuple[re.Pattern, dict, tuple[str, ...], tuple[str, ...]]]:
    """Each row's expression, its span data, and its head and tail words (a match holds one of
    each, so a sentence that lacks them is not scanned)."""
    out = []
    for row in map(typed, load_tsv("gapped_triggers.tsv")):  # types from the kind
        # longest first, so the alternation prefers the longer word; words of one length in their
        # own order, not the set's (which the hash seed changes): the same pattern text in every
        # process, whose compiled code is cached (marsad/regexcache.py)
        head_words = sorted(sorted({normalize_key(h).strip() for h in row["head"].split("|")}), key=_escaped_len,
                            reverse=True)
        tail_words = sorted(sorted({normalize_key(t).strip() for t in row["tail"].split("|")}), key=_escaped_len,
                            reverse=True)
        heads = "|".join(map(re.escape, head_words))
        tails = "|".join(map(re.escape, tail_words))
        gap = int(row.get("max_gap") or 3)
        rx = re.compile(r"(?<!\w)(?P<pre>[وف]?)(?P<head>%s)(?!\w)(?:\s+[^\s.!?؟]+){0,%d}?\s+%s(?P<tail>%s)(?!\w)"
                        % (heads, gap, _CLITIC, tails))
        data = {k: row[k] for k in ("event_type", "sub_event_type", "plover_type", "kind", "pos", "source")}
        data["strength"] = int(row.get("strength") or 1)
        out.append((rx, data, tuple(head_words), tuple(tail_words)))
    return out


def _holds(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


@lru_cache(maxsize=1)
def scan_words() -> frozenset[str] | None:
    """Every rule's head and tail words (None when a word is empty: then every text holds it, and
    the rules are asked word by word)."""
    words = frozenset(w for _, _, heads, tails in rules() for w in heads + tails)
    return None if "" in words else words


@lru_cache(maxsize=1)
def _words():
    """One automaton of scan_words() (None when it is None)."""
    words = scan_words()
    if words is None:
        return None
    auto = ahocorasick.Automaton()
    for w in sorted(words):
        auto.add_word(w, w)
    auto.make_automaton()
    return auto


def _occurrences_py(norm: str, auto) -> dict[str, list[int]]:
    """Where each word of the automaton occurs in the text (every occurrence, overlapping ones too)."""
    occ: dict[str, list[int]] = {}
    for last, w in auto.iter(norm):
        occ.setdefault(w, []).append(last - len(w) + 1)
    return occ


_occurrences = _occurrences_py if _fast is None else _fast.occurrences   # (the same, compiled)


def _in_order(sents: list[tuple[int, int]]) -> bool:
    """Each sentence ends before the next starts. (Loops here, not all()/any() over generators:
    Python 3.11 makes a generator per call, and these run per report and per rule.)"""
    for k in range(len(sents) - 1):
        if sents[k][1] > sents[k + 1][0]:
            return False
    return True


def _occurs(occ: dict[str, list[int]], words: tuple[str, ...]) -> bool:
    """One of ``words`` occurs in the text (``occ``: where each word occurs)."""
    for w in words:
        if occ.get(w):
            return True
    return False


def find(doc: Doc, occ: dict[str, list[int]] | None = None) -> list:
    """Trigger spans (normalised offsets n0/n1 over head to tail) of every gapped rule, per sentence.
    ``occ``: where each of scan_words() occurs in doc.norm ([] or no key where it does not), when
    the caller's scan of the text found them (lexicon.JointMatcher)."""
    spans = []
    norm = doc.norm
    sents = doc.sentences
    starts = [a for a, _ in sents]
    if scan_words() is None or not _in_order(sents):
        # (an empty word, or sentences out of order or overlapping: asked sentence by sentence)
        here = [r for r in rules() if _holds(norm, r[2]) and _holds(norm, r[3])]
        holding = [{si for si, (a, b) in enumerate(sents)
                    if _holds(norm[a:b], heads) and _holds(norm[a:b], tails)} for _, _, heads, tails in here]
    else:
        # one scan for every word of every rule; a sentence holds a word when an occurrence lies
        # whole inside it (what `word in sentence` asks)
        if occ is None:
            occ = _occurrences(norm, _words())
        here = [r for r in rules() if _occurs(occ, r[2]) and _occurs(occ, r[3])]
        sent_sets: dict[str, set[int]] = {}

        def holders(words: tuple[str, ...]) -> set[int]:
            out: set[int] = set()
            for w in words:
                got = sent_sets.get(w)
                if got is None:
                    got = sent_sets[w] = set()
                    n = len(w)
                    for i in occ.get(w, ()):
                        k = bisect.bisect_right(starts, i) - 1
                        if k >= 0 and i + n <= sents[k][1]:
                            got.add(k)
                out |= got
            return out

        holding = [holders(heads) & holders(tails) for _, _, heads, tails in here]
    if not here:
        return spans
    for si, (a, b) in enumerate(sents):
        for (rx, data, heads, tails), hold in zip(here, holding):
            if si not in hold:
                continue
            for m in rx.finditer(norm, a, b):
                d = dict(data, n0=m.start(), n1=m.end(), core_start=m.start("head"), prefix=m.group("pre"),
                         pattern=m.group("head"), gapped=True)
                spans.append(doc.span(m.start(), m.end(), data["event_type"], si, **d))
    return spans
