"""Learned toll decision: which counts of killed in the sentence make an incident's fatalities.

The rules of build.py add up the distinct killed counts of the incident's own stretch of the
sentence (_fatalities). Here every killed count of the sentence is an option with features (the
rules' choice, inside the incident's stretch or clause, side of and distance from the trigger, the
word before it ("بينهم": a part of another count), a count just before it, its size, approximate
or not, the incident's kind apart for counts in and out of its stretch), and a logistic model
trained on the annotations' fatalities (tolls_train.py) says which belong to the incident; the
toll is the sum of the chosen. Only counts with a number are
options: a toll the rules leave unknown (killed and wounded together) stays theirs.
"""

from __future__ import annotations


from ...doc import Doc, Span
from .incident import Incident
from .linear import dot, sigmoid


def _bucket(x: float, edges: tuple, names: tuple) -> str:
    for e, n in zip(edges, names):
        if x < e:
            return n
    return names[-1]


def options(ev: Incident) -> list[Span]:
    """The sentence's killed counts with a number, in text order (empty: nothing to decide)."""
    if ev.get("fatalities") is None:
        return []
    out, seen = [], set()
    for k in sorted(ev.killed, key=lambda k: k.start):
        if isinstance(k.data.get("count"), int) and (k.start, k.end) not in seen:
            seen.add((k.start, k.end))
            out.append(k)
    return out


def option_features(doc: Doc, ctx, ev: Incident, k: Span, opts: list[Span]) -> dict[str, float]:
    f = {"tl:bias": 1.0}
    chosen = {(x.start, x.end) for x in ev.fat_spans}
    if (k.start, k.end) in chosen:
        f["tl:rule"] = 1.0
    n0 = ctx.nstart(k)
    lo, hi = ev.region
    # the incident's kind says how likely a count of its own stretch is its toll; a count in
    # another incident's stretch is weighed apart (an IED's prior must not draw in the toll of
    # an airstrike told before it "in a separate incident")
    if lo <= n0 < hi:
        f["tl:stretch"] = 1.0
        f["tl:kind:" + ev.kind] = 1.0
    else:
        f["tl:kind:" + ev.kind + "|out"] = 1.0
    e0 = ev["evidence"][0]
    if e0["start"] <= k.start < e0["end"]:
        f["tl:clause"] = 1.0
    dist = ctx.ntok(n0) - ctx.ntok(ev.first)
    f["tl:" + ("after" if dist >= 0 else "before") + _bucket(abs(dist), (3, 8, 16), ("0-2", "3-7", "8-15", "16+"))] = 1.0
    c = k.data["count"]
    f["tl:count:" + _bucket(c, (2, 6, 21, 101), ("1", "2-5", "6-20", "21-100", "101+"))] = 1.0
    if k.data.get("approx"):
        f["tl:approx"] = 1.0
    t = ctx.ntok(n0)
    if t > 0 and doc.tokens[t - 1].sent == k.sent:
        f["tl:word_before:" + doc.tokens[t - 1].norm] = 1.0
        if t > 1 and doc.tokens[t - 2].sent == k.sent:
            f["tl:words_before:" + doc.tokens[t - 2].norm + "_" + doc.tokens[t - 1].norm] = 1.0
    i = opts.index(k)
    if i > 0:
        prev = opts[i - 1]
        gap = ctx.ntok(n0) - ctx.ntok(ctx.nend(prev))
        f["tl:count_before:" + _bucket(gap, (4, 10), ("0-3", "4-9", "10+"))] = 1.0
        if isinstance(prev.data.get("count"), int) and prev.data["count"] >= c:
            f["tl:not_more_than_before"] = 1.0
    f["tl:n_counts:" + _bucket(len(opts), (2, 3, 4), ("1", "2", "3", "4+"))] = 1.0
    return f


def toll_options(doc: Doc, ctx, ev: Incident) -> list[tuple[Span, dict[str, float]]]:
    opts = options(ev)
    return [(k, option_features(doc, ctx, ev, k, opts)) for k in opts]


def _prob(weights: dict[str, float], feats: dict[str, float]) -> float:
    z = weights.get("bias", 0.0) + dot(weights, feats)
    return sigmoid(z)


def choose(weights: dict[str, float], opts: list[tuple[Span, dict]]) -> list[int] | None:
    """Indices of the counts the model gives the incident, or None (no model, nothing to decide).
    The model overrules the rules on a count only when it is sure by ``margin`` (weights'
    "margin", chosen by cross-validation in tolls_train.py): a count the rules took stays unless
    its probability is under 1 - margin, another joins from margin on."""
    if not weights or not opts:
        return None
    m = weights.get("margin", 0.5)
    return [i for i, (_, f) in enumerate(opts) if _prob(weights, f) > (1.0 - m if "tl:rule" in f else m)]


def apply(ev: Incident, opts: list[tuple[Span, dict]], chosen: list[int]) -> None:
    """The toll: the sum of the chosen counts, their evidence with it."""
    spans = [opts[i][0] for i in chosen]
    ev["fatalities"] = sum(k.data["count"] for k in spans)
    ev.fat_known = bool(spans)
    ev.fat_approx = any(k.data.get("approx") for k in spans)
    ev.fat_spans = spans
    ev["evidence"] = [x for x in ev["evidence"] if x["field"] != "fatalities"] + [k.to_evidence("fatalities") for k in spans]
