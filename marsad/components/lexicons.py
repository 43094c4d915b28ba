"""Argument lexicons: actors, weapons, sources and humanitarian conditions.

Each lexicon (``marsad/lang/ar/*.tsv``) is compiled once per process into an Aho-Corasick matcher;
a document costs one linear scan per lexicon. Within a layer the longest match wins (الجيش الحر
beats الجيش). Spans start at the word itself: a conjunction or preposition before it (وقوات، لداعش)
is left out, the article ال is kept.
"""

from __future__ import annotations

import bisect
import operator
import re

from ..doc import Doc, Span
from ..doc import _new as new
from ..lexicon import hits_together, matcher
from ..text.native import ends as _ends

# Proclitics that end in the article: the span keeps the article (والقوات -> القوات). In لل the
# article's alef is gone, so the span starts at the stem (للعربية -> عربية).
_ARTICLE_TAIL = {"ال": 2, "وال": 2, "فال": 2, "بال": 2, "كال": 2, "وبال": 2, "فبال": 2, "وكال": 2, "فكال": 2}


_QUOTED_AFTER_LAM = re.compile(r'(?<!\w)ل\s*["(]\s*$')


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


# ``_rank``'s flags: the row has allowed prefixes (``_kept`` asked in Python), it needs its article
RANK_PREFIXES, RANK_DEF, RANK_SUFFIXES = 1, 2, 4


def _rank(e: dict) -> int:
    """What the compiled hit filter reads of a row, as one int made once per row: its pattern's
    length (<< 3), whether it takes suffixes, needs its article (role "def"), has allowed prefixes."""
    return (len(e["_pat"]) << 3 | (RANK_SUFFIXES if e["_suffixes"] else 0)
            | (RANK_DEF if e.get("role") == "def" else 0) | (RANK_PREFIXES if e["_prefixes"] else 0))


def _prepare(name: str):
    m = matcher(name)
    # parse the constraint once per entry, not per match
    for _pat, entries in m.values():
        for e in entries:
            if "_rank" not in e:
                e["_prefixes"] = frozenset((e.get("prefixes") or "").split())
                e["_rank"] = _rank(e)
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
    if _ends is not None:  # about 38,000 raw hits over news300, 18,000 kept: Python asked only of
        return _ends.longest_kept(hits, norm, _kept)   # rows with allowed prefixes (``_rank``)
    return _longest_kept_py(hits, norm)


_START = operator.attrgetter("start")


def _words_between(tokens: list, a: int, b: int) -> int:
    """Number of tokens starting inside normalised [a, b) (the tokens in order): a binary search
    over the tokens themselves, not a list of their starts made per report (some 190,000 over
    news300 where a few hundred windows are asked)."""
    return max(0, bisect.bisect_left(tokens, b, key=_START) - bisect.bisect_left(tokens, a, key=_START))


def _actor_data(e: dict) -> dict:
    d = e.get("_data")
    if d is None:       # parsed once per table row, copied per match
        d = e["_data"] = dict(inter=_to_int(e.get("inter"), 0), inter_abroad=_to_int(e.get("inter_abroad")),
                              country=e.get("country", ""), kind=e.get("kind", ""),
                              by_country=e.get("by_country", ""), role=e.get("role", ""), pattern=e["pattern"])
    return d


def _template(e: dict, data: dict) -> dict:
    """A row's span data with n0 and n1 first, their values set per span (``_spans``): made once
    per row, as ``{"n0": a, "n1": z, **data}`` orders it; a copy of it is one pass, not a dict
    built key by key."""
    t = e["_tmpl"] = {"n0": 0, "n1": 0, **data}
    return t


def _spans(doc: Doc, kept: list[tuple], out: list, label: str, template) -> None:
    """The kept hits' spans appended to out (a layer), each labelled by its row's ``label`` with a
    copy of its ``template(row)`` (None: no span). In C where built (``_ends.spans``, some 18,000
    spans over news300, about 6,000 instructions each in Python); ``_spans_py`` is its twin."""
    if _ends is not None:
        _ends.spans(kept, doc.offsets, doc.text, [b for _, b in doc.sentences], _ARTICLE_TAIL, label,
                    template, out, Span)
    else:
        _spans_py(doc, kept, out, label, template)


def _spans_py(doc: Doc, kept: list[tuple], out: list, label: str, template) -> None:
    """``_spans`` in Python (``_span_start`` and ``doc.span`` inlined: no Match object and no call
    a span)."""
    offsets, text, tail, add = doc.offsets, doc.text, _ARTICLE_TAIL.get, out.append
    ends = [b for _, b in doc.sentences]   # doc.sentence_of's binary search, without a call a span
    n_ends = len(ends)
    last = max(0, n_ends - 1)
    for _, z, core_start, prefix, e in kept:
        tmpl = e.get("_tmpl")
        if tmpl is None:
            tmpl = template(e)
            if tmpl is None:
                continue
        a = core_start - tail(prefix, 0)
        oa = offsets[a]
        ob = offsets[z] if z > a else oa
        data = tmpl.copy()
        data["n0"] = a
        data["n1"] = z
        k = bisect.bisect_right(ends, a)
        s = new(Span)   # Span(...) as doc.new_span builds it, inline (the hottest span loop)
        s.start = oa
        s.end = ob
        s.label = e[label]
        s.text = text[oa:ob]
        s.sent = k if k < n_ends else last
        s.data = data
        add(s)


def _actor_template(e: dict) -> dict | None:
    if e.get("role") == "head":
        # مسلحي الحوثي، عناصر التنظيم: the construct word yields to the named group right after it;
        # without one (عناصر من رجال الأمن، مقاتلو العشائر) it names nobody in particular
        return None
    return _template(e, _actor_data(e))


def _actors(doc: Doc, hits: list[tuple]) -> None:
    _spans(doc, _longest_kept(hits, doc.norm), doc.layers.setdefault("actors", []), "actor", _actor_template)


def _simple(doc: Doc, hits: list[tuple], layer: str, key: str) -> None:
    def template(e: dict) -> dict:
        data = {k: v for k, v in e.items() if not k.startswith("_") and k not in (key, "source", "provenance")}
        return _template(e, data)

    _spans(doc, _longest_kept(hits, doc.norm), doc.layers.setdefault(layer, []), key, template)


_JOINERS = {"و", "او", ",", "،", "ثم"}


def _gap(e: dict) -> int:
    """A condition row's gap in words (2 when it gives none), parsed once per row: most rows give
    none, and ``int(None)`` raises."""
    g = e.get("_gap")
    if g is None:
        g = e["_gap"] = _to_int(e.get("gap"), 2)
    return g


def _span_start(h: tuple) -> int:
    """Where a kept hit's span starts (word start, end, pattern start, prefix, row): at the
    pattern, with the article kept (``_ARTICLE_TAIL``)."""
    return h[2] - _ARTICLE_TAIL.get(h[3], 0)


def _conditions(doc: Doc, hits: list[tuple]) -> None:
    # the kept hits as tuples (word start, end, pattern start, prefix, row): no Match objects
    found = _longest_kept(hits, doc.norm)
    if not found:
        return
    norm = doc.norm
    tokens = doc.tokens
    sentence_of = doc.sentence_finder()   # one C call a look-up, no doc.sentence_of frame
    goods = [x for x in found if x[4]["kind"] == "good"]
    good_starts = [g[0] for g in goods]
    used: set[int] = set()   # ids of goods already attached to a head

    def chain_after(g_i: int) -> list[int]:
        """Goods coordinated after goods[g_i]: والدواء، أو الماء، , الوقود."""
        out = [g_i]
        j = g_i
        while j + 1 < len(goods):
            cur, nxt = goods[j], goods[j + 1]
            if sentence_of(nxt[0]) != sentence_of(cur[0]):
                break
            between = norm[cur[1]:nxt[0]].strip()
            if not (between in ("", ",", "او", "و", "ولا", "او حتي") or between in _JOINERS):
                break
            if between == "" and nxt[3] not in ("و", "وال", "ول", "ف", "فال", "وب", "وبال"):
                break
            out.append(j + 1)
            j += 1
        return out

    def emit(label: str, a: int, b: int, sent: int, **data) -> None:
        doc.add("conditions", doc.span(a, b, label, sent, n0=a, n1=b, **data))

    for x in found:
        x_start, x_end, entry = x[0], x[1], x[4]
        kind = entry["kind"]
        if kind == "good":   # a good is emitted with its head or its post, if any
            continue
        sent = sentence_of(x_start)
        if kind == "phrase":
            a = _span_start(x)
            emit(entry["condition"], a, x_end, sent, kind="phrase")
        elif kind == "head":
            gap = _gap(entry)
            k = bisect.bisect_left(good_starts, x_end)
            if k >= len(goods):
                continue
            g = goods[k]
            if sentence_of(g[0]) != sent or _words_between(tokens, x_end, g[0]) > gap:
                continue
            if entry["pattern"] in ("لا", "بدون", "دون", "من دون") and g[3] not in ("", "ال"):
                continue
            chain = chain_after(k)
            head_start = _span_start(x)
            for n, gi in enumerate(chain):
                gg = goods[gi]
                used.add(gi)
                start = head_start if n == 0 else _span_start(gg)
                emit(gg[4]["condition"], start, gg[1], sent, kind="head", good=gg[4]["pattern"])
        elif kind == "post":
            gap = _gap(entry)
            k = bisect.bisect_right(good_starts, x_start) - 1
            if k < 0 or k in used:
                continue
            g = goods[k]
            if g[1] > x_start or sentence_of(g[0]) != sent or _words_between(tokens, g[1], x_start) > gap:
                continue
            # walk back over a coordinated list: المياه والكهرباء مقطوعة
            first = k
            while first > 0 and first - 1 not in used:
                prev = goods[first - 1]
                between = norm[prev[1]:goods[first][0]].strip()
                if sentence_of(prev[0]) != sent or between not in ("", ",") or \
                        (between == "" and not goods[first][3].startswith("و")):
                    break
                first -= 1
            for gi in range(first, k + 1):
                used.add(gi)
                gg = goods[gi]
                end = x_end if gi == k else gg[1]
                emit(gg[4]["condition"], _span_start(gg), end, sent, kind="post", good=gg[4]["pattern"])


def _tagger_orgs() -> list:
    """The name tagger's organisations (``ner.features.org_matcher``) where the scan is compiled:
    scanned with the four lexicons, each matcher keeps its answer for the text, so the ner step
    after this one asks it of no scan of its own (it walked the organisations' trie alone)."""
    if _ends is None:
        return []
    try:
        from ..ner.features import org_matcher
        return [org_matcher()]
    except Exception:   # a broken optional lexicon must not stop this step (the tagger skips it too)
        return []


def component():
    actors = _prepare("actors.tsv")
    weapons = _prepare("weapons.tsv")
    sources = _prepare("sources.tsv")
    conditions = _prepare("conditions.tsv")
    matchers = [actors, weapons, sources, conditions] + _tagger_orgs()

    def run(doc: Doc) -> None:
        # the four lexicons (and the tagger's organisations) in one scan of the text where
        # compiled (``hits_together``)
        a, w, s, c = hits_together(matchers, doc.norm)[:4]
        _actors(doc, a)
        _simple(doc, w, "weapons", "weapon")
        _simple(doc, s, "sources", "source")
        _conditions(doc, c)

    return run
