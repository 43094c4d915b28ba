"""Learned argument decisions: which place an incident belongs to.

The rules of places.py pick one place (the incident's own stretch of the sentence, the
geoparser's score, the passage, the report's main place); here every place that could hold the
incident is an option with features (the rules' choice among them, its kind, how far from the
trigger and on which side, the word before it, the geoparser's score, whether it is in the
report's main country, how often the report names it), and a logistic model trained on the
annotations' places (train.py) scores them. The best option replaces the rules' choice only when
the model prefers it.
"""

from __future__ import annotations

import sys

from ...doc import Doc, Span
from .native import _sides
from .places import MIN_FALLBACK_SCORE, specificity
from .incident import Incident
from .linear import dot

_PREPS = {"في", "ب", "علي", "من", "الي", "قرب", "شمال", "جنوب", "شرق", "غرب", "داخل", "حول", "بين", "ريف",
          "مدينه", "بلده", "قريه", "محافظه", "منطقه", "حي", "ناحيه", "قضاء", "مديريه", "مخيم"}


def options(doc: Doc, ctx, ev: Incident) -> list[Span]:
    """The places that could hold the incident: the sentence's resolved places (not inside an
    actor's name), the passage's and the report's places; the rules' choice first."""
    out: list[Span] = []
    seen = set()
    chosen = ev.place_span
    known = ctx.place_option_kinds
    for p in [chosen] + list(ctx.sl("places", ev.sent)) + [ctx.passage_place, ctx.doc_place]:
        if p is None or id(p) in seen:
            continue
        ok = known.get(id(p))
        if ok is None:
            ok = known[id(p)] = _option_kind(ctx, p)
        # (a place under the fallback's score is an option only as the rules' choice)
        if ok == _NO or (ok == _LOW and p is not chosen):
            continue
        seen.add(id(p))
        out.append(p)
    return out


_CLITICS = ("ب", "ل", "و")   # a clitic fused to the place's name
_NO, _LOW, _YES = 0, 1, 2   # a place is never an option, only as the rules' choice, or is one


def _option_kind(ctx, p: Span) -> int:
    """What options() makes of a place, which depends on the place alone (kept per report)."""
    d = p.data
    if id(p) in ctx.in_actor or not d.get("resolved", True) or d.get("latitude") is None \
            or not d.get("country_code") or d.get("context"):
        return _NO
    return _LOW if float(d.get("score") or 0) < MIN_FALLBACK_SCORE else _YES


def _bucket(x: float, edges: tuple, names: tuple) -> str:
    for e, n in zip(edges, names):
        if x < e:
            return n
    return names[-1]


def option_features(doc: Doc, ctx, ev: Incident, p: Span, counts: dict) -> dict[str, float]:
    # (what reads the place alone is worked out once per place and report: _place_parts)
    parts = ctx.place_parts.get(id(p))
    if parts is None:
        parts = ctx.place_parts[id(p)] = _place_parts(doc, ctx, p, counts)
    head, local, tail = parts
    f: dict[str, float] = {"pl:bias": 1.0}
    if p is ev.place_span:
        f["pl:rule"] = 1.0
    f.update(head)
    si = ev.sent
    if p.sent == si:
        first = ev.first
        n0 = ctx.nstart(p)
        dist = ctx.ntok(n0) - ctx.ntok(first)
        f["pl:dist:" + ("after" if dist >= 0 else "before") + _bucket(abs(dist), (4, 9, 16), ("0-3", "4-8", "9-15", "16+"))] = 1.0
        lo, hi = ev.region or (0, 0)
        if lo <= n0 < hi:
            f["pl:region"] = 1.0
        f.update(local)
    else:
        f["pl:src:" + ("passage" if p is ctx.passage_place else "doc" if p is ctx.doc_place else "other")] = 1.0
    f.update(tail)
    return f


def _place_parts(doc: Doc, ctx, p: Span, counts: dict) -> tuple[dict, dict, dict]:
    """option_features' keys that read only the place and the report, in their order: before the
    incident's own keys, the word and clitic before it (read where it is in the incident's
    sentence), and after them."""
    d = p.data
    head = {"pl:feat:" + str(d.get("feature")): 1.0, "pl:spec": specificity(p) / 5.0}
    local: dict[str, float] = {}
    n0 = ctx.nstart(p)
    k = ctx.ntok(n0)
    if k > 0 and doc.tokens[k - 1].sent == p.sent:
        w = doc.tokens[k - 1].norm
        if w in _PREPS:
            local["pl:before:" + w] = 1.0
    c = doc.norm[n0:n0 + 1]
    if c in _CLITICS:
        local["pl:clitic:" + c] = 1.0
    tail = {"pl:score:" + _bucket(float(d.get("score") or 0), (7, 15, 25), ("<7", "7-15", "15-25", "25+")): 1.0}
    if ctx.country:
        tail["pl:main_country" if d.get("country_code") == ctx.country else "pl:abroad"] = 1.0
    if id(p) in ctx.neighbours:
        tail["pl:neighbour"] = 1.0
    n = counts.get(d.get("location") or p.label, 0)
    tail["pl:mentions:" + _bucket(n, (2, 3, 5), ("1", "2", "3-4", "5+"))] = 1.0
    return head, local, tail


def place_options(doc: Doc, ctx, ev: Incident) -> list[tuple[Span, dict[str, float]]]:
    counts = ctx.place_counts()
    return [(p, option_features(doc, ctx, ev, p, counts)) for p in options(doc, ctx, ev)]


def _chosen_place_py(doc: Doc, ctx, ev: Incident, weights: dict[str, float]) -> Span | None:
    """The place ``choose`` moves the incident to, or None; the options' features are built only
    when ``choose`` would weigh them (two options or more, the rules' choice first, one of them in
    another governorate or country), and only for those it weighs (the rules' choice and the
    options in another governorate or country, in the same order: it never picks one of the
    rules' governorate): what it returns without them, this returns without them."""
    if not weights:
        return None
    spans = options(doc, ctx, ev)
    if len(spans) < 2 or spans[0] is not ev.place_span:   # ("pl:rule" marks ev.place_span alone)
        return None
    own = _where(spans[0])
    # (loops, not comprehensions: a function object each per call in Python 3.11)
    others = []
    for p in spans[1:]:
        if _where(p) != own:
            others.append(p)
    if not others:
        return None
    counts = ctx.place_counts()
    opts = [(spans[0], option_features(doc, ctx, ev, spans[0], counts))]
    for p in others:
        opts.append((p, option_features(doc, ctx, ev, p, counts)))
    k = choose(weights, opts)
    return None if k is None else opts[k][0]


def _where(p: Span) -> tuple:
    return p.data.get("country_code"), p.data.get("admin1_code")


def place_fields(p: Span) -> dict:
    d = p.data
    return {"country_code": d.get("country_code"), "admin1_code": d.get("admin1_code"),
            "location": d.get("location") or p.label, "location_ar": d.get("location_ar") or p.text,
            "latitude": d.get("latitude"), "longitude": d.get("longitude"), "geo_precision": d.get("geo_precision")}


def move(ev: Incident, p: Span) -> None:
    """Place the incident at p (the model's choice), its evidence with it."""
    ev.fields.update(place_fields(p))
    ev["evidence"] = [x for x in ev["evidence"] if x["field"] != "location"] + [p.to_evidence("location")]
    ev.place_span = p


def choose(weights: dict[str, float], opts: list[tuple[Span, dict]]) -> int | None:
    """Index of the option the model prefers to the rules' choice (index 0 when it is one), or None."""
    if len(opts) < 2 or not weights:
        return None
    if "pl:rule" not in opts[0][1]:
        return None
    # the annotations tell governorates apart, not a town from its district: the model only moves
    # an incident to another governorate or country, never to a vaguer place of the same one
    own = _where(opts[0][0])
    scores = [dot(weights, f) for _, f in opts]
    others = [i for i in range(1, len(opts)) if _where(opts[i][0]) != own]
    if not others:
        return None
    best = max(others, key=lambda i: scores[i])
    return best if scores[best] > scores[0] else None


# the model's choice compiled where built (_sides.pyx: its options' scores summed with no feature
# dict, the same floats in the same order; native.py)
if _sides is None:
    chosen_place = _chosen_place_py
else:
    _sides.bind_arguments(sys.modules[__name__])
    chosen_place = _sides.chosen_place
