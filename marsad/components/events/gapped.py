"""Triggers whose words may stand apart (marsad/lang/ar/gapped_triggers.tsv): a head word and,
within a few words, its tail ("نزل آلاف المتظاهرين إلى الشوارع"، "أطلق الحوثيون صواريخ على",
"أحرق شبان غاضبون عددا من الإطارات"). The phrase matcher only finds contiguous words; these
rows compile to one regular expression each, matched over the normalised text of a sentence."""

from __future__ import annotations

import re
from functools import lru_cache

from ...doc import Doc
from ...lexicon import load_tsv
from ...text import normalize_key
from .kinds import typed

_CLITIC = r"(?:[وفبل]|ال|بال|وال|لل|فال)?"


@lru_cache(maxsize=1)
def rules() -> list[tuple[re.Pattern, dict]]:
    out = []
    for row in map(typed, load_tsv("gapped_triggers.tsv")):  # types from the kind
        heads = "|".join(sorted({re.escape(normalize_key(h).strip()) for h in row["head"].split("|")}, key=len,
                                reverse=True))
        tails = "|".join(sorted({re.escape(normalize_key(t).strip()) for t in row["tail"].split("|")}, key=len,
                                reverse=True))
        gap = int(row.get("max_gap") or 3)
        rx = re.compile(r"(?<!\w)(?P<pre>[وف]?)(?P<head>%s)(?!\w)(?:\s+[^\s.!?؟]+){0,%d}?\s+%s(?P<tail>%s)(?!\w)"
                        % (heads, gap, _CLITIC, tails))
        data = {k: row[k] for k in ("event_type", "sub_event_type", "plover_type", "kind", "pos", "source")}
        data["strength"] = int(row.get("strength") or 1)
        out.append((rx, data))
    return out


def find(doc: Doc) -> list:
    """Trigger spans (normalised offsets n0/n1 over head to tail) of every gapped rule, per sentence."""
    spans = []
    norm = doc.norm
    for si, (a, b) in enumerate(doc.sentences):
        for rx, data in rules():
            for m in rx.finditer(norm, a, b):
                d = dict(data, n0=m.start(), n1=m.end(), core_start=m.start("head"), prefix=m.group("pre"),
                         pattern=m.group("head"), gapped=True)
                spans.append(doc.span(m.start(), m.end(), data["event_type"], si, **d))
    return spans
