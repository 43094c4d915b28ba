"""Triggers whose words may stand apart (marsad/lang/ar/gapped_triggers.tsv): a head word and,
within a few words, its tail ("نزل آلاف المتظاهرين إلى الشوارع"، "أطلق الحوثيون صواريخ على",
"أحرق شبان غاضبون عددا من الإطارات"). The phrase matcher only finds contiguous words; these
rows compile to one regular expression each, matched over the normalised text of a sentence."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from ...doc import Doc
from ...lexicon import load_tsv
from ...text import normalize_key
from .kinds import typed

_CLITIC = r"(?:[وفبل]|ال|بال|وال|لل|فال)?"


def _escaped_len(w: str) -> int:
    return len(re.escape(w))


@lru_cache(maxsize=1)
def rules() -> list[tuple[re.Pattern, dict, tuple[str, ...], tuple[str, ...]]]:
    """Each row's expression, its span data, and its head and tail words (a match holds one of
    each, so a sentence that lacks them is not scanned)."""
    out = []
    for row in map(typed, load_tsv("gapped_triggers.tsv")):  # types from the kind
        # longest first, so the alternation prefers the longer word
        head_words = sorted({normalize_key(h).strip() for h in row["head"].split("|")}, key=_escaped_len, reverse=True)
        tail_words = sorted({normalize_key(t).strip() for t in row["tail"].split("|")}, key=_escaped_len, reverse=True)
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


def _sentences_with(norm: str, sents: list[tuple[int, int]], starts: list[int], words: tuple[str, ...]) -> set[int]:
    """The indexes of the sentences (in order, disjoint) that hold one of the words whole."""
    out = set()
    for w in words:
        n = len(w)
        i = norm.find(w)
        while i >= 0:
            k = bisect.bisect_right(starts, i) - 1
            if k >= 0 and i + n <= sents[k][1]:
                out.add(k)
            i = norm.find(w, i + 1)
    return out


def find(doc: Doc) -> list:
    """Trigger spans (normalised offsets n0/n1 over head to tail) of every gapped rule, per sentence."""
    spans = []
    norm = doc.norm
    here = [r for r in rules() if _holds(norm, r[2]) and _holds(norm, r[3])]
    if not here:
        return spans
    sents = doc.sentences
    # the sentences holding a head word and a tail word of each rule, from the words'
    # occurrences in the text (what `word in sentence` asks of each sentence)
    starts = [a for a, _ in sents]
    if all(sents[k][1] <= starts[k + 1] for k in range(len(sents) - 1)):
        holding = [_sentences_with(norm, sents, starts, heads) & _sentences_with(norm, sents, starts, tails)
                   for _, _, heads, tails in here]
    else:   # (sentences out of order or overlapping: asked of each sentence)
        holding = [{si for si, (a, b) in enumerate(sents)
                    if _holds(norm[a:b], heads) and _holds(norm[a:b], tails)} for _, _, heads, tails in here]
    for si, (a, b) in enumerate(sents):
        for (rx, data, heads, tails), hold in zip(here, holding):
            if si not in hold:
                continue
            for m in rx.finditer(norm, a, b):
                d = dict(data, n0=m.start(), n1=m.end(), core_start=m.start("head"), prefix=m.group("pre"),
                         pattern=m.group("head"), gapped=True)
                spans.append(doc.span(m.start(), m.end(), data["event_type"], si, **d))
    return spans
