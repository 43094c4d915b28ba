"""Argument lexicons: actors, weapons, sources and humanitarian conditions.

Each lexicon (``marsad/lang/ar/*.tsv``) is compiled once per process into an Aho-Corasick matcher;
a document costs one linear scan per lexicon. Within a layer the longest match wins (الجيش الحر
beats الجيش). Spans start at the word itself: a conjunction or preposition before it (وقوات، لداعش)
is left out, the article ال is kept.
"""

from __future__ import annotations

import bisect
import re

from ..doc import Doc, Span
from ..lexicon import Match, hits_together, matcher
from ..text.native import ends as _ends

# Proclitics that end in the article: the span keeps the article (والقوات -> القوات). In لل the
# article's alef is gone, so the span starts at the stem (للعربية -> عربية).
_ARTICLE_TAIL = {"ال": 2, "وال": 2, "فال": 2, "بال": 2, "كال": 2, "وبال": 2, "فبال": 2, "وكال": 2, "فكال": 2}


_QUOTED_AFTER_LAM = re.compile(r'(?<!\w)ل\s*["(]\s*$')


def _span_start(m: Match) -> int:
    return m.core_start - _ARTICLE_TAIL.get(m.prefix, 0)


def _to_int(v: str, default: int | None = None) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return default


def _prefix_ok(allowed: frozenset, prefix: str, start: int, norm: str) -> bool:
    """Rows with a `prefixes` constraint (outlet names that are also common words)."""
    if prefix in allowed:
        return True
    if 'ل"' in allowed and prefix in ("", "ال"):
        # لـ«الرياض» (tatweel is gone in the normalised text); not قال "الرياض ...
        return _QUOTED_AFTER_LAM.search(norm, max(0, start - 6), start) is not None
    return False


def _prepare(name: str):
    m = matcher(name)
    # parse the constraint once per entry, not per match
    for _pat, entries in m.values():
        for e in entries:
            if "_prefixes" not in e:
                e["_prefixes"] = frozenset((e.get("prefixes") or "").split())
    return m


def _kept(h: tuple, norm: str) -> bool:
    """A raw hit (word start, end, pattern start, prefix, row) its row accepts: the row's
    allowed prefixes; rows with role "def" need their article (المقاومة is a force, مقاومة
    شرسة is not)."""
    e, prefix = h[4], h[3]
    allowed = e["_prefixes"]
    if allowed and not _prefix_ok(allowed, prefix, h[0], norm):
        return False
    return e.get("role") != "def" or prefix.endswith("ال") or prefix.endswith("لل")


def _longest_kept_py(hits: list[tuple], norm: str) -> list[tuple]:
    """The hits their rows accept (``_kept``), one per span: several rows can normalise to one
    pattern (الكهرباء / كهرباء), or a "+" row can reach the same word as an exact row (ناشط+ /
    ناشطون); the exact, longer pattern wins; a hit inside a longer one is dropped (الجيش inside
    الجيش الحر). In C when the text core is built (``_ends.longest_kept``: the same hits)."""
    found = [h for h in hits if _kept(h, norm)]
    found.sort(key=lambda h: (h[0], h[0] - h[1], -len(h[4]["_pat"]), h[4]["_suffixes"]))
    out: list[tuple] = []
    last_w = last_z = 0
    for h in found:
        w, z = h[0], h[1]
        if out and w >= last_w and z <= last_z:
            continue
        out.append(h)
        last_w, last_z = w, z
    return out


def _longest_kept(hits: list[tuple], norm: str) -> list[tuple]:
    if _ends is not None:  # about 38,000 raw hits over news300, 18,000 kept: no Python call per hit
        return _ends.longest_kept(hits, norm, _kept)
    return _longest_kept_py(hits, norm)


def _matches(hits: list[tuple], doc: Doc) -> list[Match]:
    """The kept matches of a matcher's hits over the doc (``PhraseMatcher.hits``), one per span
    (``_longest_kept``)."""
    return [Match(w, z, a, prefix, e) for w, z, a, prefix, e in _longest_kept(hits, doc.norm)]


class _TokenIndex:
    """Normalised offset -> token index, for windows counted in words."""

    def __init__(self, doc: Doc):
        self.tokens = doc.tokens
        self.starts = [t.start for t in doc.tokens]

    def words_between(self, a: int, b: int) -> int:
        """Number of tokens fully inside normalised [a, b)."""
        return max(0, bisect.bisect_left(self.starts, b) - bisect.bisect_left(self.starts, a))


def _actor_data(e: dict) -> dict:
    d = e.get("_data")
    if d is None:       # parsed once per table row, copied per match
        d = e["_data"] = dict(inter=_to_int(e.get("inter"), 0), inter_abroad=_to_int(e.get("inter_abroad")),
                              country=e.get("country", ""), kind=e.get("kind", ""),
                              by_country=e.get("by_country", ""), role=e.get("role", ""), pattern=e["pattern"])
    return d


def _actors(doc: Doc, hits: list[tuple]) -> None:
    add = doc.layers.setdefault("actors", [])
    # the kept hits as tuples, the span made here (``_span_start`` and ``doc.span`` inlined: no
    # Match object and two calls fewer a span, some 13,000 actors over news300)
    offsets, text, sentence_of, tail = doc.offsets, doc.text, doc.sentence_of, _ARTICLE_TAIL.get
    for _, z, core_start, prefix, e in _longest_kept(hits, doc.norm):
        if e.get("role") == "head":
            # مسلحي الحوثي، عناصر التنظيم: the construct word yields to the named group right after it;
            # without one (عناصر من رجال الأمن، مقاتلو العشائر) it names nobody in particular
            continue
        a = core_start - tail(prefix, 0)
        d = e.get("_data")
        if d is None:
            d = _actor_data(e)
        oa = offsets[a]
        ob = offsets[z] if z > a else oa
        add.append(Span(oa, ob, e["actor"], text[oa:ob], sentence_of(a), {"n0": a, "n1": z, **d}))


def _simple(doc: Doc, hits: list[tuple], layer: str, key: str) -> None:
    add = doc.layers.setdefault(layer, [])
    offsets, text, sentence_of, tail = doc.offsets, doc.text, doc.sentence_of, _ARTICLE_TAIL.get
    for _, z, core_start, prefix, e in _longest_kept(hits, doc.norm):
        a = core_start - tail(prefix, 0)
        data = e.get("_data")
        if data is None:
            data = e["_data"] = {k: v for k, v in e.items()
                                 if not k.startswith("_") and k not in (key, "source", "provenance")}
        oa = offsets[a]
        ob = offsets[z] if z > a else oa
        add.append(Span(oa, ob, e[key], text[oa:ob], sentence_of(a), {"n0": a, "n1": z, **data}))


_JOINERS = {"و", "او", ",", "،", "ثم"}


def _conditions(doc: Doc, hits: list[tuple]) -> None:
    found = _matches(hits, doc)
    if not found:
        return
    norm = doc.norm
    idx = _TokenIndex(doc)
    goods = [x for x in found if x.entry["kind"] == "good"]
    good_starts = [g.start for g in goods]
    used: set[int] = set()   # ids of goods already attached to a head

    def chain_after(g_i: int) -> list[int]:
        """Goods coordinated after goods[g_i]: والدواء، أو الماء، , الوقود."""
        out = [g_i]
        j = g_i
        while j + 1 < len(goods):
            cur, nxt = goods[j], goods[j + 1]
            if doc.sentence_of(nxt.start) != doc.sentence_of(cur.start):
                break
            between = norm[cur.end:nxt.start].strip()
            if not (between in ("", ",", "او", "و", "ولا", "او حتي") or between in _JOINERS):
                break
            if between == "" and nxt.prefix not in ("و", "وال", "ول", "ف", "فال", "وب", "وبال"):
                break
            out.append(j + 1)
            j += 1
        return out

    def emit(label: str, a: int, b: int, sent: int, **data) -> None:
        doc.add("conditions", doc.span(a, b, label, sent, n0=a, n1=b, **data))

    for x in found:
        kind = x.entry["kind"]
        sent = doc.sentence_of(x.start)
        if kind == "phrase":
            a = _span_start(x)
            emit(x.entry["condition"], a, x.end, sent, kind="phrase")
        elif kind == "head":
            gap = _to_int(x.entry.get("gap"), 2)
            k = bisect.bisect_left(good_starts, x.end)
            if k >= len(goods):
                continue
            g = goods[k]
            if doc.sentence_of(g.start) != sent or idx.words_between(x.end, g.start) > gap:
                continue
            if x.entry["pattern"] in ("لا", "بدون", "دون", "من دون") and g.prefix not in ("", "ال"):
                continue
            chain = chain_after(k)
            head_start = _span_start(x)
            for n, gi in enumerate(chain):
                gg = goods[gi]
                used.add(gi)
                start = head_start if n == 0 else _span_start(gg)
                emit(gg.entry["condition"], start, gg.end, sent, kind="head", good=gg.entry["pattern"])
        elif kind == "post":
            gap = _to_int(x.entry.get("gap"), 2)
            k = bisect.bisect_right(good_starts, x.start) - 1
            if k < 0 or k in used:
                continue
            g = goods[k]
            if g.end > x.start or doc.sentence_of(g.start) != sent or idx.words_between(g.end, x.start) > gap:
                continue
            # walk back over a coordinated list: المياه والكهرباء مقطوعة
            first = k
            while first > 0 and first - 1 not in used:
                prev = goods[first - 1]
                between = norm[prev.end:goods[first].start].strip()
                if doc.sentence_of(prev.start) != sent or between not in ("", ",") or \
                        (between == "" and not goods[first].prefix.startswith("و")):
                    break
                first -= 1
            for gi in range(first, k + 1):
                used.add(gi)
                gg = goods[gi]
                end = x.end if gi == k else gg.end
                emit(gg.entry["condition"], _span_start(gg), end, sent, kind="post", good=gg.entry["pattern"])


def component():
    actors = _prepare("actors.tsv")
    weapons = _prepare("weapons.tsv")
    sources = _prepare("sources.tsv")
    conditions = _prepare("conditions.tsv")
    matchers = [actors, weapons, sources, conditions]

    def run(doc: Doc) -> None:
        # the four lexicons in one scan of the text where compiled (``hits_together``)
        a, w, s, c = hits_together(matchers, doc.norm)
        _actors(doc, a)
        _simple(doc, w, "weapons", "weapon")
        _simple(doc, s, "sources", "source")
        _conditions(doc, c)

    return run
