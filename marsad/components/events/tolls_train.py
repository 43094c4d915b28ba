"""Train and check the toll decision (tolls.py) inside `marsad train events`.

Examples: each killed count of the sentence of a candidate that states an annotated event with a
known toll. A count is the incident's when it overlaps the annotated fatalities span, or when it
is the annotated toll itself (the same number said again). The margin by which the model must
be sure to overrule the rules is chosen by cross-validation by article (train.fold_of) on the
training articles; the figures are nested (the margin chosen inside each outer training set), so
the held-out fold never picks it. They compare the rules' toll with the model's on every
candidate stating an annotated event with a known toll: exact toll, and zero against non-zero.
The model ships only when its exact toll beats the rules'.
"""

from __future__ import annotations

from . import tolls

MARGINS = (0.5, 0.6, 0.7, 0.8, 0.9)


def _labels(opts, g: dict) -> list[int]:
    sp = (g.get("spans") or {}).get("fatalities") or {}
    fat = g.get("fatalities")
    out = []
    for k, _ in opts:
        inside = bool(sp) and k.start < sp.get("end", -1) and sp.get("start", 1 << 30) < k.end
        out.append(int(inside or (isinstance(fat, int) and fat > 0 and k.data["count"] == fat)))
    return out


def _judged(arts, gold_matches):
    """(candidate, annotated event, the article's Doc) for the candidates whose annotated event
    has a known toll."""
    for art in arts:
        for e, g in zip(art.cands, gold_matches(art)):
            if g is not None and not e.is_copy and isinstance(g.get("fatalities"), int):
                yield e, g, art.doc


def _informative(doc, e, g: dict) -> bool:
    """Whether the candidate's sentence can tell its counts apart: the annotated toll is none, or
    it is stated in this sentence (its span here, or one of the counts is it). A toll stated only
    in another sentence says nothing about the counts of this one: as negatives its counts taught
    the model to drop the rules' count (half the rules' counts of two-count sentences were such)."""
    fat = g.get("fatalities")
    if not fat or any(k.data["count"] == fat for k, _ in e.toll_opts or []):
        return True
    sp = (g.get("spans") or {}).get("fatalities") or {}
    if "start" not in sp:
        return False
    a, b = doc.orig(*doc.sentences[e.sent])
    return a <= sp["start"] < b


def rows(arts, gold_matches) -> list[tuple[dict, int]]:
    """Training examples: the counts of candidates whose sentence states their annotated toll
    (or none); the figures still judge every candidate (_judged)."""
    out = []
    for e, g, doc in _judged(arts, gold_matches):
        if not _informative(doc, e, g):
            continue
        opts = e.toll_opts or []
        out.extend((f, y) for (_, f), y in zip(opts, _labels(opts, g)))
    return out


def _toll(w: dict, e: dict):
    opts = e.toll_opts or []
    chosen = tolls.choose(w, opts)
    return e["fatalities"] if chosen is None else sum(opts[i][0].data["count"] for i in chosen)


def _out_of_fold(arts, gold_matches, fold_of, folds, params, margins) -> dict[float, list]:
    """margin -> [(candidate, annotated event, the model's toll)] out of fold."""
    out: dict[float, list] = {m: [] for m in margins}
    fold = [fold_of(a.id, folds) for a in arts]
    for f in range(folds):
        data = rows([a for a, x in zip(arts, fold) if x != f], gold_matches)
        if not data:
            continue
        from .model import fit
        w = fit(data, **params)
        for e, g, _ in _judged([a for a, x in zip(arts, fold) if x == f], gold_matches):
            for m in margins:
                out[m].append((e, g, _toll(dict(w, margin=m), e)))
    return out


def _exact(got: list) -> int:
    return sum(t == g["fatalities"] for _, g, t in got)


def choose_margin(arts, gold_matches, fold_of, folds: int, params: dict) -> float:
    """The margin with the most exact tolls out of fold (ties: the surest, closest to the rules)."""
    got = _out_of_fold(arts, gold_matches, fold_of, folds, params, MARGINS)
    return max(MARGINS, key=lambda m: (_exact(got[m]), m))


def fit_tolls(arts, gold_matches, params: dict, margin: float) -> dict[str, float]:
    from .model import fit
    data = rows(arts, gold_matches)
    return dict(fit(data, **params), margin=margin) if data else {}


def _count(c: dict, e, g: dict, v) -> None:
    c["events"] += 1
    c["decided"] += bool(e.toll_opts)
    c["changed"] += v != e["fatalities"]
    c["exact"] += v == g["fatalities"]
    c["zero_right"] += (v == 0) == (g["fatalities"] == 0)


_KEYS = ("events", "decided", "changed", "exact", "zero_right")


def _rates(c: dict) -> dict:
    return {"events": c["events"], "decided": c["decided"], "changed": c["changed"],
            "exact": round(c["exact"] / (c["events"] or 1), 4),
            "zero_right": round(c["zero_right"] / (c["events"] or 1), 4)}


def figures(arts, gold_matches, w: dict) -> dict:
    """The figures of the weights w (the rules' when empty) on every judged candidate: in sample
    for weights fitted on these articles."""
    c = dict.fromkeys(_KEYS, 0)
    for e, g, _ in _judged(arts, gold_matches):
        _count(c, e, g, _toll(w, e))
    return _rates(c)


def cross_validate(arts, gold_matches, fold_of, folds: int, params: dict) -> dict:
    """Nested: in each outer fold the margin is chosen on the training articles only."""
    rules, learned = dict.fromkeys(_KEYS, 0), dict.fromkeys(_KEYS, 0)
    fold = [fold_of(a.id, folds) for a in arts]
    chosen_margins = []
    for f in range(folds):
        train = [a for a, x in zip(arts, fold) if x != f]
        # inner folds: another split of the same articles (by a hash of id + "/inner")
        m = choose_margin(train, gold_matches, lambda i, k: fold_of(i + "/inner", k), folds, params)
        chosen_margins.append(m)
        w = fit_tolls(train, gold_matches, params, m)
        for e, g, _ in _judged([a for a, x in zip(arts, fold) if x == f], gold_matches):
            _count(rules, e, g, e["fatalities"])
            _count(learned, e, g, _toll(w, e))
    return {"rules": _rates(rules), "learned": _rates(learned), "margins": chosen_margins}
