"""Clause breaks of a sentence (punctuation and clause-opening words), and whether two clauses
tell one incident."""

from __future__ import annotations

import bisect
import re
from itertools import compress
from typing import TYPE_CHECKING

from ...doc import Doc, Span
from .native import _fast
from .rules import DEPENDENT, PROTEST_KINDS, primary_kind, strength, trigger_kind
from .words import words

if TYPE_CHECKING:   # (context imports this module)
    from .context import Ctx


# (not quotation marks: they wrap names, "تنظيم "داعش" الإرهابي", inside a clause)
_CLAUSE_PUNCT = re.compile(r'[,:;()\[\]]|\s-\s')
# first word -> the words that must follow it (a list per opener, [] for a one-word opener)
_CLAUSE_WORDS: dict[str, tuple[list[str], ...]] = {}
for _w in words("clause_opener"):
    _ws = _w.split()
    _CLAUSE_WORDS[_ws[0]] = _CLAUSE_WORDS.get(_ws[0], ()) + (_ws[1:],)


_PUNCT_CHAR = re.compile(r'[,:;()\[\]]')   # _CLAUSE_PUNCT without " - "
_PUNCT_CHARS = ",:;()[]"                   # its characters


def punct_marks(norm: str) -> list[int]:
    """Where _PUNCT_CHAR matches in the text, in order: a str.find loop per character and a sort
    (half the time of the pattern's scan and a match object per mark)."""
    out = []
    find = norm.find
    for ch in _PUNCT_CHARS:
        i = find(ch)
        while i >= 0:
            out.append(i)
            i = find(ch, i + 1)
    out.sort()
    return out


def clause_breaks(doc: Doc, ctx: "Ctx", a: int, b: int) -> list[int]:
    """Clause breaks of a sentence: punctuation, and clause-opening words (found once per report)."""
    norm = doc.norm
    if norm.find("-", a, b) >= 0:
        out = [m.start() for m in _CLAUSE_PUNCT.finditer(norm, a, b)]
    else:
        # no "-": only the one-character marks can match, wherever the scan starts, so the
        # report's marks found once (Ctx.puncts) give the same breaks
        puncts = ctx.puncts()
        out = puncts[bisect.bisect_left(puncts, a):bisect.bisect_left(puncts, b)]
    openers = ctx.clause_openers()
    out.extend(openers[bisect.bisect_left(openers, a):bisect.bisect_left(openers, b)])
    out.sort()
    return out


def _clause_openers_py(doc: Doc, norms: list[str] | None = None) -> list[int]:
    """Starts of the report's clause-opening words, by token lookup (cheaper than one big
    alternation scanned at every character). ``norms``: the tokens' words, when the caller has them."""
    out = []
    toks = doc.tokens
    if norms is None:
        norms = [t.norm for t in toks]
    n = len(norms)
    # the tokens that open a clause word, picked in C (no Python step per token)
    for i in compress(range(n), map(_CLAUSE_WORDS.__contains__, norms)):
        nxt = norms[i + 1] if i + 1 < n else None
        for rest in _CLAUSE_WORDS[norms[i]]:
            # the next words equal to the opener's rest, the next one asked first (most "في" and
            # "من" are no opener)
            if not rest or (rest[0] == nxt and norms[i + 1:i + 1 + len(rest)] == rest):
                out.append(toks[i].start)
                break
    return out


def _clause_openers(doc: Doc, norms: list[str] | None = None) -> list[int]:
    """_clause_openers_py, compiled where built (_fast.clause_openers: one look-up per token)."""
    if _fast is None:
        return _clause_openers_py(doc, norms)
    return _fast.clause_openers(doc.tokens, [t.norm for t in doc.tokens] if norms is None else norms, _CLAUSE_WORDS)


def compatible(g1: list[Span], g2: list[Span]) -> bool:
    """Two clauses of one sentence telling one incident (e.g. a battle and its shelling)."""
    k1 = {trigger_kind(t) for t in g1} - DEPENDENT
    k2 = {trigger_kind(t) for t in g2} - DEPENDENT
    p1, p2 = primary_kind(k1) if k1 else None, primary_kind(k2) if k2 else None
    if p1 is None or p2 is None or p1 == p2:
        return True
    fight = {"battle", "territory"}
    if p1 in fight and p2 in fight | {"shell", "air", "attack", "abduct"}:
        return True
    if p2 in fight and p1 in {"shell", "attack"}:
        return True
    bomb = {"suicide", "ied", "ied_specific", "attack"}
    if p1 in bomb and p2 in bomb:
        return True
    if p1 == "attack" or p2 == "attack":
        return True
    if {p1, p2} <= PROTEST_KINDS | {"arrest"}:
        return True
    return False


def _clause_places(ctx: Ctx, g: list[Span], breaks: list[int], si: int) -> set:
    # (the group's ends once, not once per break)
    g0 = min([t.data["n0"] for t in g]) if breaks else 0
    g1 = max([t.data["n1"] for t in g]) if breaks else 0
    lo = max([x for x in breaks if x <= g0], default=-1)
    hi = min([x for x in breaks if x >= g1], default=1 << 30)
    return {p.data.get("location") or p.label for p in ctx.usable_places(si)
            if p.data.get("feature") != "country" and lo <= ctx.nstart(p) < hi}


def elsewhere(ctx: Ctx, g1: list[Span], g2: list[Span], breaks: list[int], si: int) -> bool:
    """"تظاهر المئات في البصرة ... كما شهدت كربلاء تظاهرة": two clauses, each stating an incident
    of its own in a place of its own, are two events."""
    if not any(strength(t) >= 2 for t in g1) or not any(strength(t) >= 2 for t in g2):
        return False
    p1, p2 = _clause_places(ctx, g1, breaks, si), _clause_places(ctx, g2, breaks, si)
    return bool(p1) and bool(p2) and not (p1 & p2)
