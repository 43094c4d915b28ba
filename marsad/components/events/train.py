"""Train the event detector from the project's annotations (`marsad train events`).

    marsad train events [--annotations annotations/events] [--shared ../shared] [--out MODEL.json]

1. Read the primary annotations (``role == "primary"``; the "double" ones are for agreement)
   and their texts from ``../shared/data/news`` (never copied). Articles of every gold set under
   ``../shared/eval/gold`` are refused: they stay the untouched checks. The GSR sentences
   (``data/gsr``) are a check set too and are never trained on.
2. Run the pipeline up to the event step in collect mode: every candidate incident of every
   clause, with its features (features.py) and the rules' verdict.
3. Label each candidate: positive when its clause overlaps the evidence of an annotated event of
   the same event type, or when it names an annotated event's type, country, governorate and day
   (another mention of it, a headline).
4. Fit a logistic regression (model.fit). Split BY ARTICLE into five folds (by a hash of the id,
   so the split is stable as the corpus grows); the two thresholds (keep, weak) are the ones that
   give the best event F1 over the out-of-fold predictions, counted after the document step as
   ``../shared/eval/score.py events`` counts it (greedy match on event type + country + admin1).
5. Role, toll and actor figures out of fold (roles_train, tolls_train, actors_cv).
6. Learning curve: fold 0 held out; the detector trained on 100, 200 and all other articles
   (thresholds by cross-validation inside each training set) and scored on fold 0.
7. The final model is fitted on every article, with the cross-validated thresholds, and written
   with a JSON of its data versions (sha256 of each annotation file), parameters and figures.

Deterministic: fixed folds, fixed seed, sorted inputs.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Callable

from . import arguments, roles_train, tolls_train
from ...incident import merging_train
from .build import retype
from .incident import Incident
from .model import MODEL_PATH, TYPES, Model, fit, load, rule_types_of

FOLDS = 5
PARAMS = {"epochs": 20, "l2": 1e-2, "rate": 0.05, "seed": 1}
KEEP_GRID = [round(0.15 + 0.05 * i, 2) for i in range(17)]     # 0.15 .. 0.95
WEAK_OFFSETS = [0.0, 0.1, 0.2]
VETO_GRID = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
TOLERANCE = 0.005
TYPE_GAIN = 0.02   # a type's own threshold: its F1 must gain this much, the overall F1 nothing lost
NEWS = ("data/news/conflict_2015.jsonl", "data/news/saudinewsnet_2015.jsonl.gz")
GOLD_DIR = "eval/gold"  # the check sets: none of their articles is trained on


def fold_of(aid: str, k: int = FOLDS) -> int:
    return int(hashlib.sha1(aid.encode("utf-8")).hexdigest(), 16) % k


# ------------------------------------------------------------------ data

def read_annotations(directory: str | Path) -> tuple[list[dict], dict[str, str]]:
    """The primary records of every *.jsonl file (a later record of an id replaces an earlier one)
    and the sha256 of each file."""
    recs: dict[str, dict] = {}
    versions = {}
    for path in sorted(Path(directory).glob("*.jsonl")):
        raw = path.read_bytes()
        versions[path.name] = hashlib.sha256(raw).hexdigest()
        for line in raw.decode("utf-8").splitlines():
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError:
                continue   # a line half-written by an annotator: skipped
            if r.get("role", "primary") == "primary" and r.get("id"):
                recs[str(r["id"])] = r
    return [recs[k] for k in sorted(recs)], versions


def read_texts(shared: str | Path, ids: set[str]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for rel in NEWS:
        path = Path(shared) / rel
        if not path.exists():
            continue
        opener = gzip.open if rel.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                if not any(i in line[:80] for i in ids):
                    continue
                a = json.loads(line)
                if a.get("id") in ids:
                    out[a["id"]] = a
    return out


def gold_ids(shared: str | Path) -> set[str]:
    """The ids of the articles of every gold set (``*.jsonl``) under ``GOLD_DIR``."""
    ids = set()
    for path in sorted((Path(shared) / GOLD_DIR).glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            ids.update(str(json.loads(ln)["id"]) for ln in f if ln.strip())
    return ids


# ------------------------------------------------------------------ candidates and labels

class Article:
    __slots__ = ("id", "doc", "cands", "gold", "cache", "outlet")

    def __init__(self, aid, doc, cands, gold, outlet=""):
        self.id, self.doc, self.cands, self.gold, self.outlet = aid, doc, cands, gold, outlet
        self.cache: dict = {}   # (verdicts, types) -> the document step's events (a threshold grid repeats them)


_STEPS = None


def _steps():
    global _STEPS
    if _STEPS is None:
        from ...pipeline import DEFAULT_PIPELINE, Pipeline
        from .candidates import component
        _STEPS = (Pipeline([n for n in DEFAULT_PIPELINE if n not in ("events", "document")]), component(collect=True))
    return _STEPS


def collect(records: list[dict], texts: dict[str, dict], log: Callable[[str], None] = print) -> list[Article]:
    pre, step = _steps()
    out = []
    for k, r in enumerate(records):
        a = texts.get(r["id"])
        if a is None:
            continue
        try:
            pub = date.fromisoformat((r.get("published") or a.get("published") or "")[:10])
        except ValueError:
            pub = None
        doc = pre(a["text"], pub)
        step(doc)
        cands = [e for e in doc.events if isinstance(e, Incident)]
        out.append(Article(r["id"], doc, cands, r.get("events") or [], outlet=a.get("source") or ""))
        if (k + 1) % 50 == 0:
            log(f"  {k + 1} articles read")
    return out


def _overlap(a0, a1, b0, b1) -> bool:
    return a0 < b1 and b0 < a1


def gold_types(art: Article) -> list[str | None]:
    return [g.get("event_type") if g is not None else None for g in gold_matches(art)]


def gold_matches(art: Article) -> list[dict | None]:
    """For each candidate, the annotated event it states (None: none): the first of its
    gold_hits."""
    return [h[0] if h else None for h in gold_hits(art)]


def gold_hits(art: Article) -> list[list[dict]]:
    """For each candidate, the annotated events it may state (those of its own type when there
    are). A clause overlapping an event's evidence states it; so does a mention with an event's
    type, country, governorate and day. A candidate of another type than the rules' choice
    (``alt``) must have that type itself."""
    out = []
    for e in art.cands:
        ev = e["evidence"][0]
        hits = []
        for g in art.gold:
            if any(_overlap(ev["start"], ev["end"], s["start"], s["end"]) for s in g.get("evidence") or []
                   if isinstance(s, dict)):
                hits.append(g)
            elif g.get("event_type") == e["event_type"] and same_place(g, e) and g.get("admin1_code") \
                    and g.get("event_date") == e.get("event_date"):
                hits.append(g)
        if e.feats.get("alt"):
            hits = [g for g in hits if g.get("event_type") == e["event_type"]]
        same = [g for g in hits if g.get("event_type") == e["event_type"]]
        out.append(same or hits)
    return out


def label(art: Article) -> list[int]:
    return [int(t is not None) for t in gold_types(art)]


# ------------------------------------------------------------------ scoring (as ../shared/eval/score.py)

def same_place(g: dict, p: dict) -> bool:
    if (g.get("country_code") or "").upper() != (p.get("country_code") or "").upper():
        return False
    ga = (g.get("admin1_code") or "").upper()
    return not ga or ga == (p.get("admin1_code") or "").upper()


def _km(g, p) -> float:
    try:
        la1, lo1, la2, lo2 = map(math.radians, (g["latitude"], g["longitude"], p["latitude"], p["longitude"]))
    except (KeyError, TypeError):
        return 10_000.0
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def match_count(gold: list[dict], pred: list[dict]) -> int:
    """Greedy one-to-one matching on event type + place, closest pairs first (score.py)."""
    pairs = sorted((_km(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred)
                   if g.get("event_type") == p.get("event_type") and same_place(g, p))
    ug, up, n = set(), set(), 0
    for _, i, j in pairs:
        if i not in ug and j not in up:
            ug.add(i)
            up.add(j)
            n += 1
    return n


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "gold": tp + fn, "pred": tp + fp}


def score(pairs: list[tuple[list[dict], list[dict]]]) -> dict:
    """Event P/R/F1 over (gold, predicted) pairs of articles, and F1 per event type."""
    tp = fp = fn = 0
    per: dict[str, list[int]] = {}
    for gold, pred in pairs:
        m = match_count(gold, pred)
        tp, fp, fn = tp + m, fp + len(pred) - m, fn + len(gold) - m
        for t in {e.get("event_type") for e in gold} | {e.get("event_type") for e in pred}:
            gt = [e for e in gold if e.get("event_type") == t]
            pt = [e for e in pred if e.get("event_type") == t]
            mt = match_count(gt, pt)
            c = per.setdefault(str(t), [0, 0, 0])
            c[0], c[1], c[2] = c[0] + mt, c[1] + len(pt) - mt, c[2] + len(gt) - mt
    out = prf(tp, fp, fn)
    out["per_type_f1"] = {t: prf(*c)["f1"] for t, c in sorted(per.items())}
    return out


# ------------------------------------------------------------------ deciding and document step

_DOC_STEP = None


def mentions_of(art: Article, verdicts: list[str | None], types: list[str | None] | None = None,
                places: list[int | None] | None = None) -> list[tuple[int, Incident]]:
    """(index in art.cands, a fresh copy of the mention) of each mention the document step gets
    when each candidate gets its verdict (keep, weak, None), its type and its place."""
    chosen = []
    parent = None
    for i, (e, v) in enumerate(zip(art.cands, verdicts)):
        if not e.is_copy:
            parent = v
        v = parent if e.is_copy else v
        if v is None or (e.is_copy and v != "keep"):
            continue
        c = replace(e.copy(evidence=list(e["evidence"]), weapons=list(e["weapons"]), sources=list(e["sources"])),
                    feats=None, rule=None, is_copy=False, place_opts=None)
        if v == "weak":
            c.weak = True
        if types is not None and not e.feats.get("alt"):
            retype(c, types[i])
        if places is not None and places[i] is not None and e.place_opts:
            arguments.move(c, e.place_opts[places[i]][0])
        chosen.append((i, c))
    return chosen


def doc_events(art: Article, verdicts: list[str | None], types: list[str | None] | None = None,
               places: list[int | None] | None = None) -> list[Incident]:
    """The article's final events when each candidate gets its verdict (keep, weak, None)."""
    global _DOC_STEP
    key = (tuple(verdicts), tuple(types) if types is not None else None,
           tuple(places) if places is not None else None)
    got = art.cache.get(key)
    if got is not None:
        return got
    if _DOC_STEP is None:
        from ..document import component as doc_component
        _DOC_STEP = doc_component()
    chosen = [c for _, c in mentions_of(art, verdicts, types, places)]
    art.doc.events = chosen
    _DOC_STEP(art.doc)
    art.cache[key] = art.doc.events
    return art.doc.events


def evaluate(arts: list[Article], probs: list[list[float]], keep: float, weak: float,
             rule_types: list[list[str]] | None = None, veto: float = 0.0, keep_by_type: dict | None = None) -> dict:
    pairs = []
    for k, (art, ps) in enumerate(zip(arts, probs)):
        pairs.append((art.gold, doc_events(art, *decisions(art, ps, keep, weak, rule_types[k] if rule_types else (),
                                                           veto, keep_by_type))))
    return score(pairs)


def decisions(art: Article, ps: list[tuple], keep: float, weak: float, rule_types=(), veto: float = 0.0,
              keep_by_type: dict | None = None) -> tuple[list, list, list]:
    """(verdict, learned type, learned place) of each candidate: doc_events' arguments."""
    m = Model({}, keep, weak, rule_types=rule_types, veto=veto, keep_by_type=keep_by_type)
    vs = [m.decide(x[0], e["event_type"], e.rule) for x, e in zip(ps, art.cands)]
    return vs, [x[1] for x in ps], [x[2] for x in ps]


def evaluate_rules(arts: list[Article]) -> dict:
    """The hand-set rules' verdicts on the same candidates (the baseline)."""
    pairs = []
    for art in arts:
        vs = [None if e.rule == "drop" else e.rule for e in art.cands]
        pairs.append((art.gold, doc_events(art, vs)))
    return score(pairs)


def samples_of(arts: list[Article]) -> list[tuple[dict, int]]:
    out = []
    for art in arts:
        for e, y in zip(art.cands, label(art)):
            if not e.is_copy:
                out.append((e.feats, y))
    return out


def fit_types(arts: list[Article], params: dict) -> dict[str, dict[str, float]]:
    """One-vs-rest typing models, from the candidates (the rules' own type choice, not the
    alternatives) that state an annotated event, labelled with that event's type."""
    rows = []
    for art in arts:
        for e, t in zip(art.cands, gold_types(art)):
            if t is not None and not e.is_copy and not e.feats.get("alt"):
                rows.append((e.feats, t))
    return {t: fit([(f, int(y == t)) for f, y in rows], **params) for t in TYPES if any(y == t for _, y in rows)}


def fit_places(arts: list[Article], params: dict) -> dict[str, float]:
    """The place chooser, from the candidates stating an annotated event that has a place among
    their options: each option labelled by whether it is in the event's country and governorate."""
    rows = []
    for art in arts:
        for e, g in zip(art.cands, gold_matches(art)):
            opts = e.place_opts or []
            if g is None or len(opts) < 2:
                continue
            ys = [int(same_place(g, arguments.place_fields(p))) for p, _ in opts]
            if any(ys) and not all(ys):
                rows.extend((f, y) for (_, f), y in zip(opts, ys))
    return fit(rows, **params) if rows else {}


def fit_all(arts: list[Article], params: dict = PARAMS) -> Model:
    return Model(fit(samples_of(arts), **params), rule_types=rule_types_of([g for a in arts for g in a.gold]),
                 types=fit_types(arts, params), places=fit_places(arts, params))


def predict(model: Model, arts: list[Article]) -> list[list[tuple]]:
    """(probability, the type the typing model prefers or None, the place option it prefers or
    None) of every candidate."""
    return [[(model.prob(e.feats), model.best_type(e.feats, e["event_type"]),
              arguments.choose(model.places, e.place_opts or [])) for e in art.cands]
            for art in arts]


def choose_thresholds(arts: list[Article], probs: list[list[float]], rule_types=None):
    """(keep, weak, veto, keep_by_type, figures): of the settings within TOLERANCE of the best
    event F1, the one closest to the rules (lowest veto, then fewest weak mentions, then the highest
    bar): a difference that small is noise at this corpus size. Then each event type may get a keep
    threshold of its own, when that raises the type's F1 by more than TYPE_GAIN and the overall F1
    not less (one pass over the types, most frequent first: their candidates compete in the
    document step)."""
    results = []
    for keep in KEEP_GRID:
        for off in WEAK_OFFSETS:
            weak = round(max(0.05, keep - off), 2)
            for veto in VETO_GRID:
                results.append((keep, weak, veto, off, evaluate(arts, probs, keep, weak, rule_types, veto)))
    top = max(r[4]["f1"] for r in results)
    near = [r for r in results if r[4]["f1"] >= top - TOLERANCE]
    keep, weak, veto, _, res = min(near, key=lambda r: (r[2], r[3], -r[0]))
    by_type: dict[str, float] = {}
    counts: dict[str, int] = {}
    for a in arts:
        for e in a.cands:
            counts[e["event_type"]] = counts.get(e["event_type"], 0) + 1
    for t in sorted(counts, key=lambda t: (-counts[t], t)):
        best = res
        for k in KEEP_GRID:
            if k == keep:
                continue
            r = evaluate(arts, probs, keep, weak, rule_types, veto, dict(by_type, **{t: k}))
            if r["f1"] >= best["f1"] and r["per_type_f1"].get(t, 0.0) > best["per_type_f1"].get(t, 0.0) + TYPE_GAIN:
                best, by_type[t] = r, k
        res = best
    return keep, weak, veto, by_type, res


def cross_validate(arts: list[Article], k: int = FOLDS, params: dict = PARAMS,
                   groups: list[str] | None = None, oof: list | None = None):
    """Out-of-fold probabilities (folds by article id), thresholds chosen on the articles'
    out-of-fold event F1, and the figures. With ``groups`` (an outlet per article) each group is
    held out in turn: how the detector does on an outlet it never saw."""
    probs: list[list[float] | None] = [None] * len(arts)
    rtypes: list[list[str]] = [[] for _ in arts]
    if groups is not None:
        names = sorted(set(groups))
        folds = [names.index(g) for g in groups]
        k = len(names)
    else:
        folds = [fold_of(a.id, k) for a in arts]
    for f in range(k):
        train = [a for a, x in zip(arts, folds) if x != f]
        test_ix = [i for i, x in enumerate(folds) if x == f]
        if not train or not test_ix:
            continue
        m = fit_all(train, params)
        for i, p in zip(test_ix, predict(m, [arts[i] for i in test_ix])):
            probs[i], rtypes[i] = p, sorted(m.rule_types)
    probs = [p if p is not None else [(0.0, None, None)] * len(a.cands) for p, a in zip(probs, arts)]
    keep, weak, veto, kbt, res = choose_thresholds(arts, probs, rtypes)
    if oof is not None:   # each article's candidates as the out-of-fold detector decides them
        oof.extend(decisions(a, p, keep, weak, rt, veto, kbt) for a, p, rt in zip(arts, probs, rtypes))
    res["f1_one_keep_threshold"] = evaluate(arts, probs, keep, weak, rtypes, veto)["f1"]
    # the same decisions without the learned typing: what the typing adds
    res["f1_without_typing"] = evaluate(arts, [[(x[0], None, x[2]) for x in ps] for ps in probs], keep, weak,
                                        rtypes, veto, kbt)["f1"]
    res["f1_without_places"] = evaluate(arts, [[(x[0], x[1], None) for x in ps] for ps in probs], keep, weak,
                                        rtypes, veto, kbt)["f1"]
    return keep, weak, veto, kbt, res


# ------------------------------------------------------------------ the command

def _articles(annotations: str | Path, shared: str | Path, log: Callable[[str], None]) -> tuple[list[Article], dict]:
    """The annotated training articles with their candidates (a gold set's left out), and the
    annotation files' versions."""
    records, versions = read_annotations(annotations)
    banned = gold_ids(shared)
    records = [r for r in records if r["id"] not in banned]
    texts = read_texts(shared, {r["id"] for r in records})
    log(f"{len(records)} primary annotated articles, {len(texts)} texts found")
    return collect(records, texts, log), versions


def _toll_decision(arts: list[Article], log: Callable[[str], None]) -> tuple[dict, dict[str, float]]:
    """The toll decision's nested figures and its weights: empty (the rules) unless it gives more
    exact tolls than the rules without more wrong zeros."""
    cv = tolls_train.cross_validate(arts, gold_matches, fold_of, FOLDS, PARAMS)
    use = cv["learned"]["exact"] > cv["rules"]["exact"] and cv["learned"]["zero_right"] >= cv["rules"]["zero_right"]
    log(f"tolls, cross-validated by article: {cv}; {'learned' if use else 'rules kept'}")
    w = tolls_train.fit_tolls(arts, gold_matches, PARAMS, tolls_train.choose_margin(
        arts, gold_matches, fold_of, FOLDS, PARAMS)) if use else {}
    return dict(cv, shipped=use), w


def refit_tolls(annotations: str | Path, shared: str | Path, path: str | Path | None = None,
                log: Callable[[str], None] = print) -> dict:
    """Refit only the toll decision of the model at ``path`` (the shipped one by default) on
    today's candidates, its other weights kept: after a change to the toll readings the decision
    weighs new rules' choices. The new weights replace the model's only when they beat the rules
    (nested CV, as in `train`) and beat the model's own weights on the same candidates (both
    fitted on these articles, so both figures are in sample)."""
    arts, _ = _articles(annotations, shared, log)
    model = load(path or MODEL_PATH)
    cv, w = _toll_decision(arts, log)
    before = tolls_train.figures(arts, gold_matches, model.tolls)
    after = tolls_train.figures(arts, gold_matches, w)
    better = after["exact"] > before["exact"] and after["zero_right"] >= before["zero_right"]
    log(f"tolls in sample: the model's {before}, refitted {after}; {'replaced' if better else 'model kept'}")
    if better:
        model.tolls, model.meta["figures"]["cv_tolls"] = w, cv
        model.save(path or MODEL_PATH)
    return {"cv_tolls": cv, "model_in_sample": before, "refitted_in_sample": after, "replaced": better}


def train(annotations: str | Path, shared: str | Path, out: str | Path | None = None,
          curve: bool = True, log: Callable[[str], None] = print, outlets: bool = True) -> dict:
    arts, versions = _articles(annotations, shared, log)
    n_c = sum(len(a.cands) for a in arts)
    n_pos = sum(sum(label(a)) for a in arts)
    log(f"{n_c} candidates, {n_pos} positive; {sum(len(a.gold) for a in arts)} annotated events")
    meta: dict = {"data": {"annotations": versions, "articles": len(arts),
                           "annotated_events": sum(len(a.gold) for a in arts),
                           "candidates": n_c, "positive_candidates": n_pos},
                  "params": dict(PARAMS, folds=FOLDS, keep_grid=[KEEP_GRID[0], KEEP_GRID[-1]],
                                 weak_offsets=WEAK_OFFSETS)}
    rules = evaluate_rules(arts)
    log(f"rules on the same candidates: {rules}")
    oof: list = []
    keep, weak, veto, kbt, cv = cross_validate(arts, oof=oof)
    log(f"cross-validated ({FOLDS} folds by article): keep {keep} {kbt} weak {weak} veto {veto} {cv}")
    meta["figures"] = {"rules_event": rules, "cv_event": cv}
    # the role decision ships only where it beats the rules out of fold
    cv_roles = roles_train.cross_validate(arts, gold_matches, fold_of, FOLDS, PARAMS)
    use_roles = cv_roles["learned"]["both"] > cv_roles["rules"]["both"]
    meta["figures"]["cv_roles"] = dict(cv_roles, shipped=use_roles)
    log(f"roles, cross-validated by article: {cv_roles}; {'learned' if use_roles else 'rules kept'}")
    # the actors of the final events, as score.py counts them (its categories are an unordered set)
    from . import actors_cv
    meta["figures"]["cv_actors"] = actors_cv.cross_validate(arts, keep, weak, veto, kbt)
    log(f"actors on matched events after the document step, cross-validated by article: "
        f"{meta['figures']['cv_actors']}")
    # the toll decision too: it must give more exact tolls without more wrong zeros
    meta["figures"]["cv_tolls"], tolls = _toll_decision(arts, log)
    # the document step's same-incident decision too: it must give a better event F1 than the rule
    cv_merge = merging_train.cross_validate(arts, gold_hits, fold_of, FOLDS, PARAMS, oof, log)
    use_merge = cv_merge["learned"]["f1"] > cv_merge["rules"]["f1"]
    meta["figures"]["cv_merge"] = dict(cv_merge, shipped=use_merge)
    log(f"merging, cross-validated by article: {cv_merge}; {'learned' if use_merge else 'rules kept'}")
    if outlets and len({a.outlet for a in arts}) > 1:
        # leave one outlet out: the held-back sets include outlets the detector never saw
        k_, w_, v_, kbt_, loo = cross_validate(arts, groups=[a.outlet for a in arts])
        loo.update(keep=k_, keep_by_type=kbt_, weak=w_, veto=v_, articles_per_outlet=dict(sorted(
            Counter(a.outlet for a in arts).items())))
        meta["figures"]["leave_one_outlet_out_event"] = loo
        log(f"leave one outlet out ({len(set(a.outlet for a in arts))} outlets): {loo}")
    if curve:
        test = [a for a in arts if fold_of(a.id) == 0]
        pool = sorted((a for a in arts if fold_of(a.id) != 0), key=lambda a: hashlib.sha1(a.id.encode()).hexdigest())
        points = []
        for n in (100, 200, len(pool)):
            if n > len(pool) or (points and points[-1]["train_articles"] == n):
                continue
            sub = pool[:n]
            k_, w_, v_, kbt_, _ = cross_validate(sub, k=3)
            m = fit_all(sub)
            res = evaluate(test, predict(m, test), k_, w_, [sorted(m.rule_types)] * len(test), v_, kbt_)
            points.append({"train_articles": n, "keep": k_, "keep_by_type": kbt_, "weak": w_, "veto": v_, **res})
            log(f"learning curve: {points[-1]}")
        meta["learning_curve"] = {"heldout_articles": len(test), "rules_on_heldout": evaluate_rules(test),
                                  "points": points}
    model = fit_all(arts)
    model.keep, model.keep_by_type, model.weak, model.veto, model.meta = keep, kbt, weak, veto, meta
    model.roles = roles_train.fit_roles(arts, gold_matches, PARAMS) if use_roles else {}
    model.tolls = tolls
    model.merge = merging_train.fit_decision(arts, gold_hits, fold_of, FOLDS, PARAMS, oof) if use_merge else {}
    model.save(out or MODEL_PATH)
    return meta
