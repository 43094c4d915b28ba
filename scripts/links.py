#!/usr/bin/env python3
"""The linking gold (annotations/links.jsonl) and the linking score's weights and figures.

    scripts/links.py candidates > groups.txt   candidate pairs of annotated events of different
                                                articles, printed as connected groups to judge
    scripts/links.py build LABELS              judged groups -> annotations/links.jsonl
    scripts/links.py fit [--write]             cross-validated pairwise P/R/F1 of the score on the
                                                training golds (folds by candidate group, so one
                                                incident's pairs stay in one fold); --write stores
                                                the weights
    scripts/links.py check                     pairwise P/R/F1 of the shipped score and threshold
                                                (marsad.incident.link) on the gold pairs of the
                                                annotators' events: held out with --gold below
    scripts/links.py score DB                  end to end: the store's merged groups (after
                                                `marsad ingest` of the annotated articles) against
                                                the gold links, pairwise P/R/F1
    scripts/links.py tune --store NAME=DB ...  the threshold and linkage chosen end to end by
                                                cross-validation by candidate group over the
                                                training sets (never on the set `score` reports),
                                                each set's articles ingested in its DB; --write
                                                stores them with the weights fitted on all the golds
    scripts/links.py sample DB                  30 random merges and 30 random near-misses of a
                                                store, with their evidence, for the hand check
    scripts/links.py articles > FILE            the gold's primary articles as input records, to
                                                code and store (write FILE outside the repository)

Candidates: events of two different articles in the same country, dates within 2 days (an
undated event: any day from 30 days before its publication to that day, CODING.md's span for a
null date), the same or a nested place (within 10 km, the same name,
or one placed only at governorate level in the other's governorate), and types that can be one
incident (battles, explosions and attacks on civilians; protests and riots; else the same
sub-type). LABELS has one line per candidate group, "C<n>: 1,4,7 | 2,3" naming the line numbers
(as printed by `candidates`) of the events that are one incident; the other pairs of the group
are judged different. Reads the annotations of annotators a-d (or --annotators, or a training
set's with --set NAME) from annotations/events/ (or --events DIR) and the texts from ../shared
(never copied here).

The training golds (TRAINING_SETS): "a-d", annotations/links.jsonl (from links.labels) over the
400 primary articles of annotators a-d, and "k-ao", annotations/links_more.jsonl (from
links_more.labels) over the 980 of annotators k-ao: `--set k-ao build annotations/links_more.labels`,
`--set k-ao articles`; fit and tune read them all (`tune --store a-d=T.db k-ao=M.db`).

The held-out gold (issue 13) is the same kind of gold over the articles of annotators the
weights never saw: `--annotators e,f,g,h,i,j --gold annotations/links_heldout.jsonl` with each
subcommand; `build` then also writes the covered article ids to links_heldout.articles.
"""
from __future__ import annotations

import argparse
import collections
import glob
import json
import math
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
from marsad.incident import choosing  # noqa: E402  (the path above first)

GOLD = ROOT / "annotations" / "links.jsonl"
# The training golds by name: the annotators whose primary articles a gold covers, and the gold.
# fit and tune fit the weights and choose the setting on them all, each set's articles coded in
# a store of its own (`--store NAME=DB`), folds by candidate group across the sets; `--set NAME`
# names one for the other commands. The held-out gold (annotators e-j) is never one.
TRAINING_SETS = {
    "a-d": (frozenset("abcd"), GOLD),
    "k-ao": (frozenset("k l m n o p q r s t u v w x y z aa ab ac ad ae af ag ah ai aj ak al am an ao".split()),
             ROOT / "annotations" / "links_more.jsonl"),
}
TRAINING = TRAINING_SETS["a-d"][0]   # the annotators a command reads when none are named


def primary_records(events_dir: Path, annotators: set[str] | None = None):
    for f in sorted(glob.glob(str(events_dir / "*.jsonl"))):
        for line in open(f, encoding="utf-8"):
            r = json.loads(line)
            if r.get("role", "primary") == "primary" and (not annotators or r.get("annotator") in annotators):
                yield r


def load_events(events_dir: Path, annotators: set[str] | None = None) -> list[dict]:
    from annotate import articles
    arts = articles()
    out = []
    for r in primary_records(events_dir, annotators):
        text = (arts.get(r["id"]) or {}).get("text") or ""
        for i, e in enumerate(r["events"]):
            e = dict(e)
            e.update(_aid=r["id"], _i=i, _published=r.get("published"),
                     _title=text.split("\n", 1)[0],
                     _text=" ".join(s["text"] for s in e.get("evidence") or []))
            out.append(e)
    return sorted(out, key=lambda e: (e["_aid"], e["_i"]))


def key(e: dict) -> str:
    return f"{e['_aid']}:{e['_i']}"


# CODING.md: an event is undated only when the report places it clearly before its publication,
# and an event more than 30 days before publication is background, not coded
UNDATED_DAYS = 30


def _days(e: dict) -> tuple[date, date]:
    """The days an annotated event may be on: its date, or for an undated one (a later report
    recalling an incident) the span CODING.md leaves it, up to its publication day (the day the
    rule gave it before, so no earlier candidate is lost)."""
    if e.get("event_date"):
        d = date.fromisoformat(e["event_date"])
        return d, d
    p = date.fromisoformat(e["_published"])
    return p - timedelta(UNDATED_DAYS), p


def _group(e: dict) -> set:
    t, s = e["event_type"], e["sub_event_type"]
    if t == "Battles":
        return {"B"}
    if t == "Explosions/Remote violence":
        return {"X", "B"} if s == "Shelling/artillery/missile attack" else {"X"}
    if t == "Violence against civilians":
        return {"C", "B"} if s == "Attack" else {"C"}
    if t in ("Protests", "Riots"):
        return {"P"}
    return {s}


def _nested(a: dict, b: dict) -> bool:
    from marsad.incident.features import place_km
    km = place_km(a, b)
    if km is not None and km <= 10:
        return True
    la, lb = (a.get("location") or "").lower(), (b.get("location") or "").lower()
    if la and la == lb:
        return True
    for x, y in ((a, b), (b, a)):
        if (x.get("geo_precision") == 3 or not x.get("admin1_code")) and \
                (not x.get("admin1_code") or x.get("admin1_code") == y.get("admin1_code")):
            return True
    return False


def candidate(a: dict, b: dict) -> bool:
    """The gold's candidate rule for two annotated events (the pairs `build` judges)."""
    return a["_aid"] != b["_aid"] and a.get("country_code") == b.get("country_code") and \
        _gap(a, b) <= 2 and bool(_group(a) & _group(b)) and _nested(a, b)


def _gap(a: dict, b: dict) -> int:
    """Days between the two events' spans (0 when they overlap)."""
    (a0, a1), (b0, b1) = _days(a), _days(b)
    return max((b0 - a1).days, (a0 - b1).days, 0)


def candidates(evs: list[dict]) -> list[tuple[dict, dict]]:
    return [(a, b) for i, a in enumerate(evs) for b in evs[i + 1:] if candidate(a, b)]


def components(pairs) -> list[list[dict]]:
    root: dict[str, str] = {}
    by_key = {}

    def find(x):
        while root.setdefault(x, x) != x:
            x = root[x]
        return x
    for a, b in pairs:
        by_key[key(a)], by_key[key(b)] = a, b
        root[find(key(a))] = find(key(b))
    comps = collections.defaultdict(list)
    for k in by_key:
        comps[find(k)].append(by_key[k])
    order = sorted(comps.values(), key=lambda c: (-len(c), min(key(e) for e in c)))
    return [sorted(c, key=lambda e: (e.get("event_date") or e["_published"], e.get("location") or "",
                                     key(e))) for c in order]


def line(e: dict) -> str:
    ev = " // ".join(s["text"] for s in e.get("evidence") or [])[:150].replace("\n", " ")
    return (f"{e['_aid']}:{e['_i']} {e.get('event_date')} p{(e['_published'] or '')[5:]} "
            f"{e['sub_event_type'][:14]:14} {(e.get('location') or '-')[:18]:18} g{e.get('geo_precision')} "
            f"{(e.get('actor1') or '-')[:22]}/{(e.get('actor2') or '-')[:22]} f{e.get('fatalities')} | {ev}")


def cmd_candidates(args) -> None:
    if args.retold:   # the extension to incidents retold later (scripts/links_retold.py)
        import links_retold
        return links_retold.cmd_candidates(args, load_events(args.events, args.annotators or TRAINING))
    comps = components(candidates(load_events(args.events, args.annotators or TRAINING)))
    for n, c in enumerate(comps):
        print(f"== C{n} ({len(c)})")
        for j, e in enumerate(c):
            print(f"{j:2d} {line(e)}")


def _why(a: dict, b: dict, same: bool) -> str:
    fa, fb = (f"{x['sub_event_type']} at {x.get('location')} on {x.get('event_date') or 'no date'}"
              for x in (a, b))
    if same:
        return f"one incident told by two outlets: {fa} / {fb}"
    diffs = []
    if a.get("event_date") != b.get("event_date"):
        diffs.append("different days")
    if (a.get("location") or "") != (b.get("location") or ""):
        diffs.append("different places")
    if a["sub_event_type"] != b["sub_event_type"]:
        diffs.append("different kinds")
    if (a.get("actor1"), a.get("actor2")) != (b.get("actor1"), b.get("actor2")):
        diffs.append("different actors")
    if a.get("fatalities") != b.get("fatalities"):
        diffs.append("different tolls")
    return f"different incidents ({', '.join(diffs) or 'another incident of the same day and place'}): {fa} / {fb}"


def cmd_build(args) -> None:
    if getattr(args, "retold", False):
        import links_retold
        return links_retold.cmd_build(args, load_events(args.events, args.annotators or TRAINING))
    evs = load_events(args.events, args.annotators or TRAINING)
    pairs = candidates(evs)
    comps = components(pairs)
    groups: dict[str, str] = {}
    judged = set()
    for ln in open(args.labels, encoding="utf-8"):
        if ":" not in ln:
            continue
        name, rest = ln.split(":", 1)
        judged.add(name.strip())
        c = comps[int(name.strip()[1:])]
        for g, part in enumerate(p for p in rest.split("|") if p.strip()):
            for j in part.split(","):
                groups[key(c[int(j)])] = f"{name.strip()}-{g}"
    comp_of = {key(e): f"C{n}" for n, c in enumerate(comps) for e in c}
    if args.judged_only:  # a gold still being judged: groups without a line are left out, not "different"
        pairs = [p for p in pairs if comp_of[key(p[0])] in judged]
    n_same = 0
    with open(args.gold, "w", encoding="utf-8") as out:
        for a, b in sorted(pairs, key=lambda p: (key(p[0]), key(p[1]))):
            ga, gb = groups.get(key(a)), groups.get(key(b))
            same = ga is not None and ga == gb
            n_same += same
            rec = {"a": {"id": a["_aid"], "event": a["_i"]}, "b": {"id": b["_aid"], "event": b["_i"]},
                   "same": same, "group": comp_of[key(a)], "incident": ga if same else None,
                   "reason": _why(a, b, same)}
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{len(pairs)} candidate pairs, {n_same} same, {len(pairs) - n_same} different, "
          f"{len(comps)} groups -> {args.gold}")
    if args.gold.resolve() != GOLD:
        # which articles the gold covers: an article without candidates still belongs to the set
        ids = sorted(r["id"] for r in primary_records(args.events, args.annotators))
        args.gold.with_suffix(".articles").write_text("\n".join(ids) + "\n", encoding="utf-8")
        print(f"{len(ids)} articles ({len({e['_aid'] for e in evs})} with events), {len(evs)} events "
              f"-> {args.gold.with_suffix('.articles')}")


def load_gold(evs: list[dict], path: Path = GOLD) -> list[tuple[dict, dict, bool, str]]:
    by = {key(e): e for e in evs}
    out = []
    for ln in open(path, encoding="utf-8"):
        r = json.loads(ln)
        a, b = by.get(f"{r['a']['id']}:{r['a']['event']}"), by.get(f"{r['b']['id']}:{r['b']['event']}")
        if a and b:
            out.append((a, b, r["same"], r["group"]))
    return out


class TrainingSet(NamedTuple):
    """One training gold with its annotators' events and its store's coded events."""
    name: str
    evs: list[dict]                     # the annotators' events of its articles
    gold: list[tuple]                   # load_gold's pairs, each candidate group named "NAME/C<n>"
    by_article: dict[str, list[dict]]   # the stored events by article (stored_mentions); {} without a store
    spans: dict                         # their evidence spans (evidence_spans)
    retold: list[tuple] = []            # the retold extension's pairs ("NAME/R<n>"), when asked for


def store_arg(s: str) -> tuple[str, str]:
    """--store's NAME=DB: the store of training set NAME's articles (a bare DB: the a-d set's)."""
    name, sep, db = s.partition("=")
    if not sep:
        return "a-d", s
    if name not in TRAINING_SETS:
        raise argparse.ArgumentTypeError(f"no training set {name!r} (the sets: {', '.join(TRAINING_SETS)})")
    return name, db


def training_sets(events_dir: Path, stores: dict[str, str | None], retold: bool = False) -> list[TrainingSet]:
    """The training sets named in stores (name -> its store, or None), in TRAINING_SETS's order.
    A stored mention's id is made (NAME, id): the mentions of two stores never share one, and the
    stores' pairs are never candidates of each other (each set's gold judges its own articles)."""
    from marsad.store import open_store
    out = []
    for name, (annotators, path) in TRAINING_SETS.items():
        if name not in stores:
            continue
        if not path.exists():
            sys.exit(f"{path}: no such gold (scripts/links.py --set {name} build LABELS)")
        evs = load_events(events_dir, annotators)
        gold = [(a, b, same, f"{name}/{g}") for a, b, same, g in load_gold(evs, path)]
        # a gold still being judged (`build --judged-only`): the events of the candidate groups it
        # does not judge yet are left out, else their stored pairs would be fitted as "different"
        judged = {key(e) for a, b, *_ in gold for e in (a, b)}
        pending = {key(e) for pair in candidates(evs) for e in pair} - judged
        evs = [e for e in evs if key(e) not in pending]
        by_article, spans = {}, {}
        if stores[name]:
            store = open_store(stores[name])
            by_article, raw = stored_mentions(store.db), evidence_spans(store.db)
            store.close()
            for m in (m for ms in by_article.values() for m in ms):
                m["_mid"] = (name, m["_mid"])
            spans = {(name, mid): v for mid, v in raw.items()}
        more = []
        if retold:   # the extension's judged pairs (scripts/links_retold.py), its groups "NAME/R<n>"
            import links_retold
            rpath = links_retold.retold_path(path)
            if not rpath.exists():
                sys.exit(f"{rpath}: no such gold (scripts/links.py --set {name} build --retold LABELS)")
            more = [(a, b, same, f"{name}/{g}") for a, b, same, g in load_gold(evs, rpath)]
        out.append(TrainingSet(name, evs, gold, by_article, spans, more))
    return out


def merged_groups(pairs: list[tuple]) -> dict[str, str]:
    """Group name -> the name of the groups it shares an event with, joined (the smallest): a
    retold group joins the candidate groups of its events, so that one incident's pairs stay in
    one fold."""
    root: dict[str, str] = {}

    def find(x):
        while root.setdefault(x, x) != x:
            x = root[x]
        return x
    first: dict[str, str] = {}
    for a, b, _, g in pairs:
        for e in (a, b):
            k = key(e)
            if k in first:
                x, y = sorted((find(first[k]), find(g)))
                root[y] = x
            else:
                first[k] = g
                find(g)
    return {g: find(g) for g in root}


# features tune leaves out by default (weight 0): the title's similarity, the time of day, the
# token-set ratio and the place named in the other's words; without them the cross-validated F1
# is higher at every precision level (docs/rounds/linking.md, branch link4)
# and tolls_apart, a cap only (marsad.incident.link.CAPS): fitted as a feature too it cost recall
# at the shipped threshold (branch link41)
DROPPED = ("title", "time_of_day", "text_set", "place_in_text", "tolls_apart", "sites_clash",
           "counts_clash")


prf = choosing.prf   # precision, recall, F1 of tp, fp, fn


def _write_weights(d: dict, show: bool = False) -> None:
    """Write the linking score's settings where marsad/incident/link.py reads them."""
    from marsad.incident import link
    path = Path(link.__file__).parent / "data" / "weights.json"
    path.write_text(json.dumps(d, indent=1) + "\n", encoding="utf-8")
    print(f"weights -> {path.relative_to(ROOT)}" + (f": {d}" if show else ""))


def cmd_fit(args) -> None:
    import random

    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from marsad.incident import link
    from marsad.incident.features import NAMES, blocked, features

    _training_only(args)
    stores = dict(args.store) if args.store else dict.fromkeys(TRAINING_SETS)
    _ship_all(args.write, set(stores))
    sets = training_sets(args.events, stores)
    gold = [p for ts in sets for p in ts.gold]

    def arrays(pairs):
        X = np.array([[features(a, b)[k] for k in NAMES] for a, b, _, _ in pairs])
        return (X, np.array([int(s) for _, _, s, _ in pairs]), [g for *_, g in pairs],
                np.array([blocked(a, b) is not None for a, b, _, _ in pairs]))
    X, y, groups, bl = arrays(gold)
    print(f"gold: {len(y)} pairs, {int(y.sum())} same; blocked by the score's rules: "
          f"{int(bl.sum())} ({int((bl & (y == 1)).sum())} of them same)")
    sys_pairs = [p for ts in sets if ts.by_article for p in system_pairs(ts.by_article, ts.evs, ts.gold)]
    if sys_pairs:
        Xs, ys, gs, _ = arrays(sys_pairs)
        print(f"the extractor's events ({', '.join(f'{n}={db}' for n, db in args.store)}): {len(ys)} "
              f"candidate pairs, {int(ys.sum())} same")
    names = sorted(set(groups) | {g for *_, g in sys_pairs})
    random.Random(0).shuffle(names)
    fold = {g: i % args.folds for i, g in enumerate(names)}
    oof, oof_s = np.zeros(len(y)), np.zeros(len(sys_pairs))
    for k in range(args.folds):
        tr = np.array([fold[g] != k for g in groups]) & ~bl
        m = LogisticRegression(C=args.C, max_iter=3000).fit(X[tr], y[tr])
        te = np.array([fold[g] == k for g in groups])
        oof[te] = m.predict_proba(X[te])[:, 1]
        if sys_pairs:
            te_s = np.array([fold[g] == k for g in gs])
            if te_s.any():
                oof_s[te_s] = m.predict_proba(Xs[te_s])[:, 1]
    oof[bl] = 0.0
    # pairs a rule keeps apart (marsad.incident.link.CAPS) never reach "same"
    oof[np.array([bool(link.capped(dict(zip(NAMES, x)))) for x in X])] = 0.0
    if sys_pairs:
        oof_s[np.array([bool(link.capped(dict(zip(NAMES, x)))) for x in Xs])] = 0.0

    def at(scores, truth, t):
        pred = scores >= t
        return prf(int((pred & (truth == 1)).sum()), int((pred & (truth == 0)).sum()),
                   int((~pred & (truth == 1)).sum()))
    scores, truth = (oof_s, ys) if sys_pairs else (oof, y)
    ts = [round(t, 2) for t in np.arange(0.2, 0.96, 0.01)]
    best = max(ts, key=lambda t: (at(scores, truth, t)[0] >= args.min_precision, at(scores, truth, t)[2]))
    for t in sorted({0.3, 0.5, 0.7, 0.8, best}):
        p, r, f = at(oof, y, t)
        line_ = f"threshold {t:.2f}: gold events P {p:.3f} R {r:.3f} F1 {f:.3f}"
        if sys_pairs:
            p, r, f = at(oof_s, ys, t)
            line_ += f"; the extractor's events P {p:.3f} R {r:.3f} F1 {f:.3f}"
        print(f"cross-validated ({args.folds} folds by candidate group) {line_}")
    if args.write:
        m = LogisticRegression(C=args.C, max_iter=3000).fit(X[~bl], y[~bl])
        d = {"bias": round(float(m.intercept_[0]), 4),
             "weights": {k: round(float(v), 4) for k, v in zip(NAMES, m.coef_[0])},
             "threshold": best, "possible": round(best / 2, 2),
             "note": (f"fitted by scripts/links.py fit on the training sets {', '.join(ts.name for ts in sets)} ({len(y)} pairs, "
                      f"{int(y.sum())} same); threshold: best cross-validated F1 with precision >= "
                      f"{args.min_precision} on {'the extractor' + chr(39) + 's events' if sys_pairs else 'the gold events'}; "
                      f"possible (a near-miss kept for a person) = threshold / 2")}
        _write_weights(d, show=True)


def _match(gold_evs: list[dict], mentions: list[dict], spans=None) -> dict[str, int]:
    """Gold event key -> stored mention id, one to one, as ../shared/eval/score.py matches events:
    same country (and governorate when the gold gives one), same event type, nearest first. With
    spans (evidence_spans), among those candidates a stored event that tells the gold event
    (their evidence shares characters) comes first, the most shared first: the nearest alone
    gave a report's 19 dead by mines at Zinjibar to its gold shelling of the Abyan coast (one
    stored event in ten shared no evidence with its gold event, and another stored event of the
    article did), which made two reports of one incident a false merge (docs/rounds/linking.md, link46)."""
    from marsad.incident.features import place_km
    cands = []
    for g in gold_evs:
        for m in mentions:
            if (g.get("country_code") or "").upper() != (m.get("country_code") or "").upper():
                continue
            ga = (g.get("admin1_code") or "").upper()
            if ga and ga != (m.get("admin1_code") or "").upper():
                continue
            if g.get("event_type") != m.get("event_type"):
                continue
            km = place_km(g, m)
            shared = _shared(g, spans.get(m["_mid"], [])) if spans is not None else 0
            cands.append((shared == 0, -shared, 10_000.0 if km is None else km, key(g), m["_mid"]))
    out, used = {}, set()
    for *_, gk, mid in sorted(cands):
        if gk not in out and mid not in used:
            out[gk] = mid
            used.add(mid)
    return out


def stored_mentions(db) -> dict[str, list[dict]]:
    """The store's coded events by article id, as the linking score reads them."""
    from marsad.store.links import mention_view
    quotes: dict[int, list[str]] = collections.defaultdict(list)
    for q in db.query("SELECT mention_id, text FROM evidence ORDER BY mention_id, span_start, id"):
        quotes[q["mention_id"]].append(q["text"] or "")
    out = collections.defaultdict(list)
    for r in db.query("SELECT m.id, m.event_id, m.data, r.record_id, r.published, r.title FROM mentions m "
                      "JOIN reports r ON r.id = m.report_id ORDER BY m.id"):
        m = mention_view(json.loads(r["data"]), r["published"], r["title"], quotes[r["id"]])
        m.update(_mid=r["id"], _event=r["event_id"], _aid=r["record_id"])
        out[r["record_id"]].append(m)
    return out


def _shared(g: dict, spans: list[tuple]) -> int:
    """The characters gold event g's evidence shares with a stored mention's evidence spans
    (both point into the same article text)."""
    return sum(max(0, min(b, d) - max(a, c)) for a, b in ((s["start"], s["end"]) for s in g.get("evidence") or [])
               for c, d in spans if None not in (c, d))


def evidence_spans(db) -> dict[int, list[tuple]]:
    """Each stored mention's evidence spans."""
    spans = collections.defaultdict(list)
    for r in db.query("SELECT mention_id, span_start, span_end FROM evidence ORDER BY id"):
        spans[r["mention_id"]].append((r["span_start"], r["span_end"]))
    return spans


def _match_evidence(gold_evs: list[dict], mentions: list[dict], spans) -> dict[str, int]:
    """Gold event key -> stored mention id, one to one, by the characters their evidence shares
    (both point into the same article text)."""
    cands = []
    for g in gold_evs:
        for m in mentions:
            shared = _shared(g, spans[m["_mid"]])
            if shared > 0:
                cands.append((-shared, key(g), m["_mid"]))
    out, used = {}, set()
    for _, gk, mid in sorted(cands):
        if gk not in out and mid not in used:
            out[gk] = mid
            used.add(mid)
    return out


def system_pairs(by_article: dict[str, list[dict]], evs: list[dict], gold) -> list[tuple[dict, dict, bool, str]]:
    """Pairs of the extractor's events (a store's, stored_mentions) of different articles, each
    matched to a gold event, labelled by the gold: same when the gold links their events, else
    different. The score is then fitted on what it will see: coded events with the extractor's errors."""
    from marsad.incident.features import blocked
    group_of, score_group = {}, {}   # an event's group: for the folds (any pair), for the counts
    for a, b, _, g in gold + more:
        group_of[key(a)] = group_of[key(b)] = g
    for a, b, _, g in gold_score:
        score_group[key(a)] = score_group[key(b)] = g
    gold = gold_fit
    same = {frozenset((key(a), key(b))) for a, b, s, _ in gold if s}
    gold_by_article = collections.defaultdict(list)
    for e in evs:
        gold_by_article[e["_aid"]].append(e)
    ment = []
    for aid, ges in gold_by_article.items():
        ms = {m["_mid"]: m for m in by_article.get(aid, [])}
        for gk, mid in _match(ges, list(ms.values())).items():
            ment.append((gk, ms[mid]))
    out = []
    for i, (ka, ma) in enumerate(ment):
        for kb, mb in ment[i + 1:]:
            if ma["_aid"] == mb["_aid"] or blocked(ma, mb):
                continue
            g = group_of.get(ka) or group_of.get(kb) or f"solo-{ka}"
            out.append((ma, mb, frozenset((ka, kb)) in same, g))
    return out


def cmd_check(args) -> None:
    from marsad.incident import link
    gold = load_gold(load_events(args.events, args.annotators), args.gold)
    pred = [link.score(a, b).decision() == "same" for a, b, _, _ in gold]
    tp = sum(p and s for p, (_, _, s, _) in zip(pred, gold))
    fp, fn = sum(pred) - tp, sum(s for _, _, s, _ in gold) - tp
    p, r, f = prf(tp, fp, fn)
    print(f"{args.gold.name}: {len(gold)} gold pairs, {tp + fn} same; the score at threshold "
          f"{link.weights().threshold}: P {p:.3f} R {r:.3f} F1 {f:.3f} (tp {tp}, fp {fp}, fn {fn})")


def cmd_score(args) -> None:
    from marsad.store import open_store
    evs = load_events(args.events, args.annotators)
    gold = load_gold(evs, args.gold)
    store = open_store(args.db)
    db = store.db
    by_article = collections.defaultdict(list)
    for r in db.query("SELECT m.id, m.event_id, m.data, r.record_id FROM mentions m JOIN reports r "
                      "ON r.id = m.report_id ORDER BY m.id"):
        m = json.loads(r["data"])
        m.update(_mid=r["id"], _event=r["event_id"])
        by_article[r["record_id"]].append(m)
    event_of = {m["_mid"]: m["_event"] for ms in by_article.values() for m in ms}
    gold_by_article = collections.defaultdict(list)
    for e in evs:
        gold_by_article[e["_aid"]].append(e)
    spans = evidence_spans(db)
    matched: dict[str, int] = {}
    for aid, ges in gold_by_article.items():
        if args.match == "evidence":
            matched.update(_match_evidence(ges, by_article.get(aid, []), spans))
        else:
            matched.update(_match(ges, by_article.get(aid, []), spans if args.match == "told" else None))
    same_gold = {frozenset((key(a), key(b))) for a, b, s, _ in gold if s}
    # predicted: two matched gold events of different articles whose mentions share an event
    by_event = collections.defaultdict(list)
    for gk, mid in matched.items():
        by_event[event_of[mid]].append(gk)
    pred = set()
    for ks in by_event.values():
        for i, x in enumerate(ks):
            for y_ in ks[i + 1:]:
                if x.split(":")[0] != y_.split(":")[0]:
                    pred.add(frozenset((x, y_)))
    tp, fp = len(pred & same_gold), len(pred - same_gold)
    fn = len(same_gold - pred)
    both = {p for p in same_gold if all(k in matched for k in p)}
    p, r, f = prf(tp, fp, fn)
    print(f"store {args.db}: {len(matched)} of {len(evs)} gold events matched to a stored mention "
          f"(matching: {args.match})")
    print(f"pairwise over all {len(same_gold)} gold same-incident pairs: P {p:.3f} R {r:.3f} F1 {f:.3f} "
          f"(tp {tp}, fp {fp}, fn {fn})")
    p2, r2, f2 = prf(len(pred & both), fp, len(both - pred))
    print(f"over the {len(both)} gold pairs whose two events the extractor found: P {p2:.3f} R {r2:.3f} F1 {f2:.3f}")


def _store_pairs(by_article: dict[str, list[dict]], ident: str = "_mid") -> list[tuple[dict, dict]]:
    """The candidate pairs the store scores: mentions of two reports in one block
    (marsad.store.links.candidates: the same country, governorate or one unknown, not blocked,
    each in the other's block: links.mutual). ident: the events' unique key (the annotators'
    events: "_key")."""
    from marsad.incident.features import View, blocked
    from marsad.store.links import mutual
    ms = sorted((m for v in by_article.values() for m in v), key=lambda m: m[ident])
    view = {m[ident]: View(m) for m in ms}   # made once: each is in many pairs
    by_country = collections.defaultdict(list)
    for m in ms:
        by_country[m.get("country_code")].append(m)
    out = []
    for group in by_country.values():
        for i, a in enumerate(group):
            va = view[a[ident]]
            for b in group[i + 1:]:
                if a["_aid"] == b["_aid"]:
                    continue
                vb = view[b[ident]]
                ga, gb = a.get("admin1_code"), b.get("admin1_code")
                if ga and gb and ga != gb or blocked(va, vb) or \
                        not (mutual(va, [{"view": vb}]) and mutual(vb, [{"view": va}])):
                    continue
                out.append((a, b))
    return out


CONTEXT = ("coherence", "sole")


def report_context(pairs: list[tuple[dict, dict]], sizes: dict[str, int], ident: str = "_mid",
                   names=CONTEXT) -> list[list[float]]:
    """What each pair's two reports say beyond the pair (issue 13's trials, `tune --context`):
    the values of names, for each of pairs, which must hold every candidate pair of the reports
    (_store_pairs). sizes: each report's number of coded events.

    coherence: the share of the two reports' other events that have a candidate in the other
    report (two reports of one incident tend to tell the same set of incidents); 0.5 when
    neither report has another event. sole: 1 when each event of the pair is the other's only
    candidate in its report."""
    of = collections.defaultdict(set)     # (event, other report) -> its candidates there
    have = collections.defaultdict(set)   # (report, other report) -> its events with one there
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            of[(x[ident], y["_aid"])].add(y[ident])
            have[(x["_aid"], y["_aid"])].add(x[ident])
    out = []
    for a, b in pairs:
        ra, rb = a["_aid"], b["_aid"]
        others = sizes[ra] - 1 + sizes[rb] - 1
        value = {"coherence": (len(have[(ra, rb)]) - 1 + len(have[(rb, ra)]) - 1) / others
                 if others else 0.5,
                 "sole": float(len(of[(a[ident], rb)]) == len(of[(b[ident], ra)]) == 1)}
        out.append([value[k] for k in names])
    return out


def group_weights(groups: list[str], power: float):
    """A training pair's weight: 1 / (pairs of its candidate group) ** power, scaled to a mean of
    1. The gold's groups are dominated by a few widely reported incidents (the Suruc bombing alone
    has 136 same pairs of 573): unweighted, their pairs decide the fit; with power 1 every group
    weighs the same however many reports it has; 0 weighs every pair the same."""
    import numpy as np
    n = collections.Counter(groups)
    w = np.array([1.0 / n[g] ** power for g in groups]) if groups else np.ones(0)
    return w / w.mean() if len(w) else w


def _unmatched(g: dict, mentions: list[dict], taken: set[int]) -> str:
    """Why gold event g has no stored event (_match): what its article's stored events not taken
    by another gold event were coded as (_match asks for the country, the governorate when the
    gold gives one, and the event type; never the date)."""
    if not mentions:
        return "no event coded in the article"
    free = [m for m in mentions if m["_mid"] not in taken]
    if not free:
        return "fewer events coded than annotated (each taken by another gold event)"

    def off(m: dict) -> tuple[bool, bool, bool]:
        ga = (g.get("admin1_code") or "").upper()
        return ((g.get("country_code") or "").upper() != (m.get("country_code") or "").upper(),
                bool(ga) and ga != (m.get("admin1_code") or "").upper(),
                g.get("event_type") != m.get("event_type"))
    # the free event nearest to matching: the same country first, then the same governorate
    country, admin1, kind = min(off(m) for m in free)
    if country:
        return "coded in another country"
    return "coded as " + " and ".join(w for w, bad in (("another event type", kind),
                                                       ("another governorate", admin1)) if bad)


def _loss(x: str, y: str, matched, view, index, S, capped, event_of, t: float,
          unmatched: dict[str, str] | None = None) -> str:
    """Why a gold same pair (gold event keys x, y) is or is not in one stored group: (a) an event
    not matched to a stored one (with unmatched, gold key -> _unmatched's reason, which), (b) the
    stored pair never a candidate (which rule), (c) scored below the threshold or capped, (d)
    linked but kept apart by the grouping."""
    from marsad.incident.features import blocked
    if x not in matched or y not in matched:
        why = "(a) " + ("neither event matched" if x not in matched and y not in matched else
                        "one event not matched") + " to a stored event"
        if unmatched:
            why += ": " + "; ".join(sorted({unmatched[k] for k in (x, y) if k not in matched}))
        return why
    ma, mb = matched[x], matched[y]
    if event_of.get(ma) is not None and event_of.get(ma) == event_of.get(mb):
        return "linked (one group)"
    i = index.get(frozenset((ma, mb)))
    if i is None:
        a, b = view[ma], view[mb]
        why = blocked(a, b)
        if why is None:
            ga, gb = a.get("admin1_code"), b.get("admin1_code")
            why = "different governorates (store: both known)" if ga and gb and ga != gb else \
                "not in each other's block (links.mutual: a week- or month-dated event)"
        elif "days apart" in why:
            why = "days apart beyond the window"
        elif why.startswith("types"):
            why = "kinds of event (type table)"
        return "(b) blocked: " + why
    if capped[i]:
        return "(c) capped: " + capped[i]
    if S[i] < t / 2:
        return "(c) scored below possible"
    if S[i] < t:
        return "(c) possible only"
    ga, gb = event_of.get(ma), event_of.get(mb)
    # a group never holds two events of one report (cluster.groups): one incident coded twice
    # in one report keeps the other report's event out of one of the two groups
    one_report = any(view[m]["_aid"] == view[o]["_aid"] and m != o for m in (ma, mb)
                     for o, g in event_of.items() if g in (ga, gb) and o in view)
    return "(d) linked same, kept apart by the grouping" + (
        " (a report's two events)" if one_report else " (linkage)")


_DISAGREE = ("day: other days (beyond their precision's slack); place: other names (coarse: one placed only "
             "at a governorate or country); kind: other sub-event types; sides: the named actors in "
             "conflict; toll: both give a toll, not the same")


def _disagree(a: dict, b: dict) -> list[str]:
    """The coded fields of two stored events of one gold incident that disagree (_DISAGREE)."""
    from marsad.incident.features import actor_conflict, day_gap, view as fview
    va, vb = fview(a), fview(b)
    out = []
    if day_gap(va, vb) != 0:
        out.append("day")
    if va.coarse or vb.coarse:
        out.append("place (coarse)")
    elif not va.pname or va.pname != vb.pname:
        out.append("place")
    if a.get("sub_event_type") != b.get("sub_event_type"):
        out.append("kind")
    if actor_conflict(va, vb):
        out.append("sides")
    fa, fb = a.get("fatalities"), b.get("fatalities")
    if isinstance(fa, int) and isinstance(fb, int) and fa != fb:
        out.append("toll")
    return out


def _false_merge(x: str, y: str, judged: bool, gold_ev: dict, matched: dict, spans) -> str:
    """What a false merge (gold events x, y in one stored group, not gold-same) is: a pair the
    gold judged different, where both stored events tell their gold events (their evidence
    overlaps) or one does not (the type-and-place matching gave it another gold event); or a
    pair the gold never judged, a candidate of its own rules (the gold lacks it: an article
    annotated after links.jsonl was built) or not (another day or kind as annotated)."""
    if judged:
        told = all(_shared(gold_ev[k], spans.get(matched[k], [])) for k in (x, y))
        return "judged different by the gold" + (
            ": both stored events tell their gold events" if told else
            ": a stored event shares no evidence with its matched gold event")
    return "a pair the gold never judged" + (
        ": a candidate of the gold's rules missing from the gold" if candidate(gold_ev[x], gold_ev[y])
        else ": not a candidate of the gold's rules")


def _show_event(e: dict) -> str:
    return (f"{e['_aid']} published {e['_published']} {e.get('event_date')} {e.get('sub_event_type')} "
            f"@ {e.get('country_code')} {e.get('admin1_code')} {e.get('location')} ({e.get('location_ar')}) "
            f"g{e.get('geo_precision')} {e.get('actor1')} / {e.get('actor2')} f{e.get('fatalities')}")


def _show_unmatched(why: str, x: str, y: str, gold_ev: dict, matched, by_article) -> None:
    """A gold pair with an event not matched: that annotated event, and its article's stored ones."""
    print(f"--- {why}: {x} {y}")
    taken = set(matched.values())
    for k in (x, y):
        if k not in matched:
            e = gold_ev[k]
            print(f"  annotated {k}: {_show_event(e)}\n     {e['_text'][:160]}")
            for m in by_article.get(e["_aid"], []):
                print(f"    coded{' (taken)' if m['_mid'] in taken else ''}: {_show_event(m)}")


def _show_pair(why: str, x: str, y: str, matched, view, index, S) -> None:
    """A gold pair's two stored events, for reading the losses --explain counts."""
    i = index.get(frozenset((matched[x], matched[y])))
    print(f"--- {why}: {x} {y}, out-of-fold score {'none' if i is None else f'{S[i]:.2f}'}")
    for m in (view[matched[x]], view[matched[y]]):
        print(f"  {m['_aid']} published {m['_published']} {m.get('event_date')} {m.get('sub_event_type')} "
              f"@ {m.get('location')} ({m.get('location_ar')}) g{m.get('geo_precision')} "
              f"{m.get('actor1')} / {m.get('actor2')} f{m.get('fatalities')}\n     {m['_text'][:200]}")


def _training_only(args) -> None:
    """fit and tune read the training sets by name (--store NAME=DB); a gold named by --gold,
    --annotators or --set (perhaps the held-out one) is refused: a held-out gold stays held out."""
    if args.annotators or args.gold.resolve() != GOLD:
        sys.exit(f"{args.cmd} fits and chooses on the training sets ({', '.join(TRAINING_SETS)}) "
                 "named by --store only: a held-out gold stays held out")


def _ship_all(write: bool, fitted: set[str]) -> None:
    """The shipped weights are fitted on every training set: --write on fewer is refused."""
    if write and fitted != set(TRAINING_SETS):
        sys.exit(f"--write: the shipped weights are fitted on every training set ({', '.join(TRAINING_SETS)})")


# The signs the boosted trial (tune --model boost) holds each feature to (sklearn's
# monotonic_cst): an agreement may only raise the score, a disagreement or a cap only lower it;
# the others free (actors and numbers_clash: the logistic fit gives them the sign opposite to
# their name's reading, each overlapping another feature; coarse: either way).
MONOTONE = {**dict.fromkeys(("date", "place", "type", "toll", "text", "words", "same_day", "same_name",
                             "same_toll", "shingles", "numbers", "same_seat"), 1),
            **dict.fromkeys(("actor_conflict", "type_mismatch", "places_apart", "tolls_apart",
                             "sites_clash", "counts_clash"), -1)}


class Crossed:
    """tune --model cross: the logistic regression over the features and the products of the
    pairs of columns named (each pair once), a trial of tune's only."""

    def __init__(self, C: float, columns: list[int]):
        from sklearn.linear_model import LogisticRegression
        self.model = LogisticRegression(C=C, max_iter=5000)
        self.pairs = [(i, j) for n, i in enumerate(columns) for j in columns[n + 1:]]

    def _x(self, X):
        import numpy as np
        return np.hstack([X] + [X[:, [i]] * X[:, [j]] for i, j in self.pairs])

    def fit(self, X, y, sample_weight=None):
        self.model.fit(self._x(X), y, sample_weight=sample_weight)
        return self

    def predict_proba(self, X):
        return self.model.predict_proba(self._x(X))


def scorer(args, C: float, width: int):
    """tune's model of one fold: the shipped logistic regression, or a trial's (--model)."""
    from marsad.incident.features import NAMES
    if args.model == "boost":
        from sklearn.ensemble import HistGradientBoostingClassifier
        iters, rate, leaves, leaf = args.boost
        cst = [MONOTONE.get(k, 0) if args.monotone else 0 for k in NAMES] + [0] * (width - len(NAMES))
        return HistGradientBoostingClassifier(max_iter=int(iters), learning_rate=rate, max_leaf_nodes=int(leaves),
                                              min_samples_leaf=int(leaf), l2_regularization=1.0 / C,
                                              monotonic_cst=cst, early_stopping=False, random_state=0)
    if args.model == "cross":
        return Crossed(C, [NAMES.index(k) for k in args.cross])
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=C, max_iter=3000)


def _t(t: float) -> str:
    """A threshold as tune prints it: two decimals, three when --thresholds asks for them (0.825)."""
    return f"{t:.2f}" if round(t, 2) == t else f"{t:.3f}"


def _twice(mode: str, mentions: dict[int, dict]):
    """cluster.groups' twice for the tune's keys (article, mention id): "any", the store's rule
    (two events of one report may join when another report's event links to both: the store's
    twice=True, as a predicate), "off" never (the rule before dr91); trials (dr91, not kept), a predicate
    on the two copies as on two reports' events before scoring: "compatible" not blocked and not
    capped, "blocked" not blocked (country, days, kinds, governorate), "capped" no cap. A mode may
    end in "/R": the vouching event's second link needs only R x the threshold (a trial; _reach)."""
    mode = mode.split("/")[0]
    if mode == "off":
        return None
    if mode == "any":
        return lambda x, y: True
    from marsad.incident.features import View, blocked, features
    from marsad.incident.link import capped

    def unblocked(a, b) -> bool:
        return blocked(a, b) is None and not (a.admin1 and b.admin1 and a.admin1 != b.admin1)

    def uncapped(a, b) -> bool:
        return capped(features(a, b)) is None
    test = {"compatible": lambda a, b: unblocked(a, b) and uncapped(a, b), "blocked": unblocked,
            "capped": uncapped}[mode]
    views, known = {}, {}

    def ok(x, y) -> bool:
        p = (x[1], y[1]) if x[1] < y[1] else (y[1], x[1])
        if p not in known:
            for m in p:
                if m not in views:
                    views[m] = View(mentions[m])
            known[p] = test(views[p[0]], views[p[1]])
        return known[p]
    return ok


def _reach(mode: str, t: float) -> float | None:
    """cluster.groups' reach for a --twice mode at threshold t (None: the threshold)."""
    return float(mode.split("/")[1]) * t if "/" in mode else None


def cmd_tune(args) -> None:
    """Threshold and linkage chosen end to end by cross-validation: the score's weights are fitted
    on the gold pairs of four folds of candidate groups (of every training set named by --store),
    the stores' pairs touching the fifth fold's groups are scored with them, every stored event is
    grouped as the store groups them, and each fold's gold pairs are scored against the groups (as
    `score` does). A set left out of --fit-on is scored by the model fitted on all the others."""
    import random

    import numpy as np

    from marsad.incident import cluster, link
    from marsad.incident.features import NAMES, blocked, features

    _training_only(args)
    if args.model != "logistic" and args.write:
        sys.exit(f"--model {args.model} is a trial: the store scores with the logistic weights")
    if args.context and args.write:
        sys.exit("--context is a trial: the shipped score has no such features")
    if args.write and len(args.twice) > 1:
        sys.exit("--write: one --twice mode (the store's)")
    stores = dict(args.store)
    fit_on = set(args.fit_on or stores)
    if fit_on - set(stores):
        sys.exit(f"--fit-on {' '.join(sorted(fit_on - set(stores)))}: no --store for it")
    _ship_all(args.write, fit_on)
    unknown = set(args.drop) - set(NAMES)
    if unknown:
        sys.exit(f"no such feature: {', '.join(sorted(unknown))}")
    retold = "retold" in (args.gold_fit, args.gold_score)
    sets = training_sets(args.events, stores, retold)
    evs = [e for ts in sets for e in ts.evs]
    gold = [p for ts in sets for p in ts.gold]
    # --gold-fit / --gold-score: the pairs fitted on and the pairs counted, the old gold or the old
    # and the retold extension; with either retold the folds are of the groups joined through
    # their events (merged_groups), the same dealing for the four combinations
    more = [p for ts in sets for p in ts.retold]
    rename = merged_groups(gold + more) if retold else {}
    gold, more = ([(a, b, s_, rename.get(g, g)) for a, b, s_, g in ps] for ps in (gold, more))
    gold_fit = gold + (more if args.gold_fit == "retold" else [])
    gold_score = gold + (more if args.gold_score == "retold" else [])
    by_article = {aid: ms for ts in sets for aid, ms in ts.by_article.items()}
    spans = {mid: v for ts in sets for mid, v in ts.spans.items()}

    def set_of(g: str) -> str:   # a candidate group's training set ("NAME/C<n>")
        return g.split("/")[0]
    group_of, score_group = {}, {}   # an event's group: for the folds (any pair), for the counts
    for a, b, _, g in gold + more:
        group_of[key(a)] = group_of[key(b)] = g
    for a, b, _, g in gold_score:
        score_group[key(a)] = score_group[key(b)] = g
    gold = gold_fit
    gold_by_article = collections.defaultdict(list)
    for e in evs:
        gold_by_article[e["_aid"]].append(e)
    # matched: the gold events the counts are of; gold_of: the stored events' gold labels for
    # the fit (--train both), by the evaluator's matching unless asked (told labels fitted
    # worse: docs/rounds/linking.md, link46)
    matched: dict[str, int] = {}
    labelled: dict[str, int] = {}
    for aid, ges in gold_by_article.items():
        matched.update(_match(ges, by_article.get(aid, []), spans if args.match == "told" else None))
        labelled.update(_match(ges, by_article.get(aid, []), spans if args.label_match == "told" else None))
    gold_of = {mid: gk for gk, mid in labelled.items()}
    gold_ev = {key(e): e for e in evs}
    fits, counts = {}, collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0, 0]))
    loss, low, high, coef, as_annotated = collections.Counter(), [], [], {}, collections.Counter()
    fields, combos = collections.defaultdict(collections.Counter), collections.defaultdict(collections.Counter)
    settings = [("share", x) for x in args.linkages] + [("average", x) for x in args.averages]

    # what no dealing changes: the gold pairs' and the stored pairs' features (a stored pair is
    # of two events of one store: each set's gold judges only its own articles)
    use = [k not in args.drop for k in NAMES]
    X0 = np.array([[features(a, b)[k] for k in NAMES] for a, b, _, _ in gold]) * use
    y0 = np.array([int(s) for _, _, s, _ in gold])
    keep0 = np.array([blocked(a, b) is None for a, b, _, _ in gold])
    gfit = np.array([g.split("/")[0] in fit_on for *_, g in gold], dtype=bool)
    pairs, pset = [], []
    for ts in sets:
        ps = _store_pairs(ts.by_article)
        pairs += ps
        pset += [ts.name] * len(ps)
    pfit = np.array([s in fit_on for s in pset], dtype=bool)
    F = np.array([[features(a, b)[k] for k in NAMES] for a, b in pairs]) if pairs else np.zeros((0, len(NAMES)))
    capped = np.array([bool(link.capped(dict(zip(NAMES, f)))) for f in F], dtype=bool)
    F = F * use
    if args.context:   # the trial's columns: the stored pairs' from the stored reports, the gold
        # pairs' from the annotators' events of their articles (0.5 for a gold pair the store's
        # rules never make a candidate)
        unknown = set(args.context) - set(CONTEXT)
        if unknown:
            sys.exit(f"no such context feature: {', '.join(sorted(unknown))}")
        for e in evs:
            e["_key"] = key(e)
        ctx = {}
        for ts in sets:
            arts = collections.defaultdict(list)
            for e in ts.evs:
                arts[e["_aid"]].append(e)
            gp = _store_pairs(arts, "_key")
            ctx.update({frozenset((a["_key"], b["_key"])): v for (a, b), v in zip(gp, report_context(
                gp, {k: len(v) for k, v in arts.items()}, "_key", args.context))})
        X0 = np.hstack([X0, np.array([ctx.get(frozenset((key(a), key(b))), [0.5] * len(args.context))
                                      for a, b, _, _ in gold]).reshape(len(gold), -1)])
        F = np.hstack([F, np.array(report_context(pairs, {k: len(v) for k, v in by_article.items()},
                                                  names=args.context)).reshape(len(F), -1)])
    mkey = {m["_mid"]: (m["_aid"], m["_mid"]) for v in by_article.values() for m in v}
    mentions = {m["_mid"]: m for v in by_article.values() for m in v}
    twices = {mode: _twice(mode, mentions) for mode in args.twice}
    same_gold = [(frozenset((key(a), key(b))), g) for a, b, s, g in gold_score if s]
    found = {p for p, _ in same_gold if all(k in matched for k in p)}
    print(f"{len(pairs)} candidate pairs of stored events ({', '.join(f'{n} {db}' for n, db in stores.items())}); "
          f"{len(matched)} gold events matched; {len(gold)} gold pairs, {int(y0.sum())} same; fitted on "
          f"{', '.join(ts.name for ts in sets if ts.name in fit_on)}")

    if args.nested_refit and args.nested is None:
        args.nested = []
    if args.nested is not None and (len(args.twice) > 1 or args.explain or args.write):
        sys.exit("--nested: one --twice mode, without --explain or --write")
    dealt, refit = [], []   # --nested: (dealing, {fold: inner counts}, {fold: the fold's own counts})
    for seed in args.seed:   # repeated cross-validation: the counts of every dealing are summed
        names = sorted({g for g in group_of.values() if set_of(g) in fit_on})
        random.Random(seed).shuffle(names)
        fold = {g: i % args.folds for i, g in enumerate(names)}
        X, y, keep = X0, y0, keep0 & gfit
        gfold = np.array([fold.get(g, -1) for *_, g in gold])
        gkey = [g for *_, g in gold]         # each training pair's candidate group, for its weight
        fitted = gfit
        pfold, pgroup = [], []
        for i, (a, b) in enumerate(pairs):   # a stored pair is scored by the model that never saw
            # its incident's gold (a set not fitted on: by the model of all the folds)
            g = group_of.get(gold_of.get(a["_mid"], "")) or group_of.get(gold_of.get(b["_mid"], ""))
            pfold.append(fold.get(g, -1))
            pgroup.append(g or f"stored-{i}")
        pfold = np.array(pfold)
        same_keys = {frozenset((key(a), key(b))) for a, b, s_, _ in gold if s_}   # the fit's labels
        if args.train == "both":   # also the stored pairs both of whose events match gold events
            lab = np.array([a["_mid"] in gold_of and b["_mid"] in gold_of for a, b in pairs], dtype=bool)
            ys = np.array([int(frozenset((gold_of.get(a["_mid"]), gold_of.get(b["_mid"]))) in same_keys)
                           for a, b in pairs])
            X, y = np.vstack([X, F[lab]]), np.concatenate([y, ys[lab]])
            keep = np.concatenate([keep, pfit[lab]])
            fitted = np.concatenate([fitted, pfit[lab]])
            gfold = np.concatenate([gfold, pfold[lab]])
            gkey += [g for g, x in zip(pgroup, lab) if x]
        sw = np.zeros(len(gkey))   # weighed among the pairs fitted on (the scale is the fit's C)
        sw[fitted] = group_weights([g for g, f in zip(gkey, fitted) if f], args.group_weight)

        def oof_scores(C: float):
            """The stored pairs' scores, each by the model that never saw its fold's gold."""
            models = [scorer(args, C, X.shape[1]).fit(
                X[keep & (gfold != k)], y[keep & (gfold != k)], sample_weight=sw[keep & (gfold != k)])
                for k in range(args.folds)]
            full = scorer(args, C, X.shape[1]).fit(X[keep], y[keep], sample_weight=sw[keep])
            S = full.predict_proba(F)[:, 1] if len(F) else np.zeros(0)
            for k in range(args.folds):
                if (pfold == k).any():
                    S[pfold == k] = models[k].predict_proba(F[pfold == k])[:, 1]
            return S, full

        def grouping(S, t: float, linkage: float, average: bool, mode: str = args.twice[0]) -> dict[int, int]:
            """Stored mention id -> its group, as links.regroup groups them."""
            possible = t / 2
            scores = {}
            for (a, b), s, c in zip(pairs, S, capped):
                if s >= possible:
                    # as the store regroups: a link short of "same" (a near-miss, or capped)
                    # counts the "possible" level in the mean, not its own score (lk102)
                    same = s >= t and not c
                    scores[(mkey[a["_mid"]], mkey[b["_mid"]])] = s if same else possible
            parts = cluster.groups(mkey.values(), scores, t, linkage=linkage, average=average,
                                   twice=twices[mode], reach=_reach(mode, t))
            return {k[1]: i for i, part in enumerate(parts) for k in part}

        def evaluate(S, t: float, linkage: float, average: bool, mode: str, by=set_of) -> dict[str, list[int]]:
            """tp, fp and fn of the gold pairs whose two events the extractor found, by training set
            (by(group): another key, the set and the fold for --nested)."""
            event_of = grouping(S, t, linkage, average, mode)
            out = {ts.name: [0, 0, 0] for ts in sets} if by is set_of else {}
            # false merges: matched gold events of two articles in one group, not gold-same, of
            # the set of either event's candidate group
            in_group = collections.defaultdict(list)
            for x in sorted(matched):
                in_group[event_of[matched[x]]].append(x)
            for ks in in_group.values():
                for i, x in enumerate(ks):
                    for y_ in ks[i + 1:]:
                        g = score_group.get(x) or score_group.get(y_)
                        if x.split(":")[0] != y_.split(":")[0] and frozenset((x, y_)) not in found \
                                and g is not None:
                            out.setdefault(by(g), [0, 0, 0])[1] += 1
            for p, g in same_gold:
                if p in found:
                    x, y_ = tuple(p)
                    out.setdefault(by(g), [0, 0, 0])[0 if event_of[matched[x]] == event_of[matched[y_]] else 2] += 1
            return out

        if args.explain:   # where the recall is lost at one setting, instead of the grid
            C, t, rule, linkage = float(args.explain[0]), float(args.explain[1]), args.explain[2], \
                float(args.explain[3])
            S, full = oof_scores(C)
            event_of = grouping(S, t, linkage, rule == "average")
            index = {frozenset((a["_mid"], b["_mid"])): i for i, (a, b) in enumerate(pairs)}
            view = {m["_mid"]: m for v in by_article.values() for m in v}
            caps = [link.capped(dict(zip(NAMES, f))) for f in F]
            taken = set(matched.values())
            unmatched = {key(e): _unmatched(e, by_article.get(e["_aid"], []), taken)
                         for e in evs if key(e) not in matched}
            for p in same_gold:
                x, y_ = sorted(p[0])
                why = _loss(x, y_, matched, view, index, S, caps, event_of, t, unmatched)
                loss[why] += 1
                if args.show and args.show in why and seed == args.seed[0]:
                    if why.startswith("(a)"):
                        _show_unmatched(why, x, y_, gold_ev, matched, by_article)
                    else:
                        _show_pair(why, x, y_, matched, view, index, S)
                if why.startswith(("(b)", "(c)")):   # which coded fields of the two disagree
                    # and whether the annotators' two events disagree there too (else the
                    # extractor's coding made the field disagree)
                    annotated = set(_disagree(gold_ev[x], gold_ev[y_]))
                    fields[why[:3]].update(f"{f} ({'annotated so too' if f in annotated else 'the extractor only'})"
                                           for f in _disagree(view[matched[x]], view[matched[y_]]))
                    combos[why[:3]][" + ".join(_disagree(view[matched[x]], view[matched[y_]])) or "none"] += 1
                if why.startswith("(b)"):   # would the blocking pass the annotators' two events?
                    rule = blocked(gold_ev[x], gold_ev[y_])
                    as_annotated[f"{why[13:]}: " + ("passed" if rule is None else "blocked too, " + (
                        "days apart" if "days apart" in rule else "types" if rule.startswith("types") else rule))] += 1
                if x in matched and y_ in matched and (i := index.get(frozenset((matched[x], matched[y_])))) \
                        is not None and event_of[matched[x]] != event_of[matched[y_]] and not capped[i] \
                        and S[i] < t:
                    low.append(F[i])
                elif x in matched and y_ in matched and event_of[matched[x]] == event_of[matched[y_]] \
                        and (i := index.get(frozenset((matched[x], matched[y_])))) is not None:
                    high.append(F[i])
            coef = dict(zip(NAMES, full.coef_[0] if hasattr(full, "coef_") else [0.0] * len(NAMES)))
            judged = {frozenset((key(a), key(b))) for a, b, _, _ in gold_score}
            in_group = collections.defaultdict(list)
            for x in sorted(matched):
                in_group[event_of[matched[x]]].append(x)
            for ks in in_group.values():   # the false merges, by whether the gold judged the pair and why
                for i, x in enumerate(ks):
                    for y_ in ks[i + 1:]:
                        p = frozenset((x, y_))
                        if x.split(":")[0] != y_.split(":")[0] and p not in found and \
                                (score_group.get(x) or score_group.get(y_)) is not None:
                            why = "false merge: " + _false_merge(x, y_, p in judged, gold_ev, matched, spans)
                            loss[why] += 1
                            if args.show and args.show in why and seed == args.seed[0]:
                                _show_pair(why, x, y_, matched, view, index, S)
            continue
        def by_fold(g: str) -> tuple[str, int]:
            return set_of(g), fold.get(g, -1)
        thresholds = args.thresholds or [round(x, 2) for x in np.arange(0.3, 0.96, 0.05)]
        outer, inner = {}, {k: {} for k in range(args.folds)}   # --nested: {setting: {(set, fold): counts}}
        for C in args.C:
            S, fits[C] = oof_scores(C)
            for rule, linkage in settings:
                for t in thresholds:
                    for mode in args.twice:
                        got = evaluate(S, t, linkage, rule == "average", mode, by_fold)
                        outer[(C, rule, linkage, t)] = got
                        row = counts[(C, rule, linkage, t, mode)]
                        for ts in sets:   # every set on the line, in the order named
                            row.setdefault(ts.name, [0, 0, 0])
                        for (name, _), x in got.items():
                            for i_, v in enumerate(x):
                                row[name][i_] += v
            for k in range(args.folds) if args.nested_refit else ():
                # the inner choice for outer fold k: scores from no model fitted on fold k's
                # labels, the folds other than k counted (choosing.inner_scores)
                Sk = choosing.inner_scores(lambda: scorer(args, C, X.shape[1]), X, y, keep, sw, gfold, F,
                                           pfold, k, args.folds)
                for rule, linkage in settings:
                    for t in thresholds:
                        inner[k][(C, rule, linkage, t)] = evaluate(Sk, t, linkage, rule == "average",
                                                                   args.twice[0], by_fold)
        if args.nested is not None:   # each outer fold's own counts; the inner counts of the other
            # folds from the plain cross-validation's scores, and (--nested-refit) from weights fitted
            # without the outer fold
            own = {k: {s_: {name: c for (name, f_), c in v.items() if f_ == k} for s_, v in outer.items()}
                   for k in inner}
            dealt.append((seed, {k: choosing.inner_counts(outer, k) for k in inner}, own))
            if args.nested_refit:
                refit.append((seed, {k: choosing.inner_counts(inner[k], k) for k in inner}, own))
    if args.explain:
        total = sum(v for k, v in loss.items() if not k.startswith("false merge"))
        print(f"the {total} gold same pairs ({len(args.seed)} dealings summed), at C {args.explain[0]} "
              f"threshold {args.explain[1]} {args.explain[2]} {args.explain[3]}:")
        for why, n in sorted(loss.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {n:5d}  {why}")
        tp = loss["linked (one group)"]
        fp = {k: sum(v for w, v in loss.items() if w.startswith(f"false merge: {k}")) for k in ("judged", "a pair")}
        print(f"precision {tp / max(1, tp + fp['judged'] + fp['a pair']):.3f}; counting only the pairs the "
              f"gold judged as false merges {tp / max(1, tp + fp['judged']):.3f}")
        for part, title in (("(b)", "blocked"), ("(c)", "scored")):
            n = sum(v for k, v in loss.items() if k.startswith(part))
            print(f"the {n} {title} pairs {part}: the coded fields that disagree (a pair counts under "
                  f"each of its fields; {_DISAGREE})")
            for k, v in fields[part].most_common():
                print(f"  {v:5d}  {k}")
            print("  most common together:")
            for k, v in combos[part].most_common(8):
                print(f"  {v:5d}  {k}")
            if part == "(b)":
                print("  the blocking of the annotators' two events instead (by the stored pair's rule):")
                for k, v in sorted(as_annotated.items()):
                    print(f"  {v:5d}  {k}")
        if low and high:
            lo, hi = np.mean(low, axis=0), np.mean(high, axis=0)
            print("scored below the threshold against linked: mean feature, and weight x difference "
                  "(what pulls them down, most first)")
            for k, a, b in sorted(zip(NAMES, lo, hi), key=lambda r: coef[r[0]] * (r[1] - r[2])):
                print(f"  {k:15s} below {a:.3f}  linked {b:.3f}  weight {coef[k]:+.3f}  "
                      f"pull {coef[k] * (a - b):+.3f}")
        return
    for mode in args.twice:
        if len(args.twice) > 1:
            print(f"--twice {mode}:")
        _tune_rows(args, {k[:4]: v for k, v in counts.items() if k[4] == mode}, found, fits, sets, y)
    if args.nested is not None:
        if args.nested_save:   # the counts, to read again (pickle) without the hour the run takes
            import pickle
            Path(args.nested_save).write_bytes(pickle.dumps(({k[:4]: {n: list(v) for n, v in by.items()}
                                                             for k, by in counts.items()}, dealt, refit)))
        _nested_rows(args, dealt, {k[:4]: v for k, v in counts.items()},
                     "the other folds' counts under the plain cross-validation's weights (fitted with the outer fold)")
        if refit:
            _nested_rows(args, refit, {k[:4]: v for k, v in counts.items()},
                         "the other folds' weights refitted without the outer fold: fully nested", spread=False)


def _tune_rows(args, counts, found, fits, sets, y) -> None:
    """The grid's lines and the setting chosen (and written, with --write); y: the fit's labels."""
    from marsad.incident.features import NAMES
    rows = []
    for (C, rule, linkage, t), by_set in counts.items():
        tp, fp, fn = (sum(v[i] for v in by_set.values()) for i in range(3))
        p, r, f = prf(tp, fp, fn)
        # the lowest precision of the training sets: the held-back sets are other outlets and
        # annotators, and a set whose merges are easy (a-d) must not carry a harder one (k-ao)
        low = min((prf(*v)[0] for v in by_set.values()), default=p)
        rows.append((t, linkage, p, r, f, C, rule, p if args.precision_on == "union" else min(p, low)))
        print(f"C {C:g} threshold {_t(t)} linkage {rule} {linkage:.2f}: P {p:.3f} R {r:.3f} "
              f"F1 {f:.3f} (tp {tp} fp {fp} fn {fn}, over the {len(found)} gold pairs the "
              f"extractor found{f', {len(args.seed)} dealings summed' if len(args.seed) > 1 else ''})"
              + "".join(f"; {name} P {_p:.3f} R {_r:.3f} F1 {_f:.3f} (tp {v[0]} fp {v[1]} fn {v[2]})"
                        for name, v in by_set.items() if len(by_set) > 1 for _p, _r, _f in [prf(*v)]))
    # precision first: the best F1 among the settings reaching the first precision of the list
    # that any setting reaches with recall >= --min-recall (choosing.choose)
    pick, level = choosing.choose(counts, args.min_precision, args.min_recall, args.precision_on == "each")
    best = rows[list(counts).index(pick)]
    full = fits[best[5]]
    each = " on every training set" if args.precision_on == "each" else ""
    print(f"chosen: C {best[5]:g} threshold {_t(best[0])} linkage {best[6]} {best[1]:.2f} "
          f"(cross-validated P {best[2]:.3f} R {best[3]:.3f} F1 {best[4]:.3f}"
          f"{f', the lowest set P {best[7]:.3f}' if each else ''}; the best F1 with "
          f"P >= {level}{each} and R >= {args.min_recall}; higher precisions asked for: "
          f"{[m for m in args.min_precision if m > level] or 'none'})")
    if args.write:
        d = {"bias": round(float(full.intercept_[0]), 4),
             "weights": {k: round(float(v), 4) for k, v in zip(NAMES, full.coef_[0])},
             "threshold": best[0], "possible": round(best[0] / 2, 3), "linkage": best[1],
             "linkage_rule": best[6],
             "note": (f"fitted by scripts/links.py tune --store (each training set's articles ingested) on "
                      f"{' and '.join(str(TRAINING_SETS[ts.name][1].relative_to(ROOT)) for ts in sets)}"
                      f"{' with their retold extensions (*_retold.jsonl)' if args.gold_fit == 'retold' else ''}"
                      f"{' and the stored pairs matched to their events' if args.train == 'both' else ''} "
                      f"({len(y)} pairs, {int(y.sum())} same; each weighted by 1 / (pairs of its "
                      f"candidate group) ** {args.group_weight:g}"
                      f"{'; features left out (weight 0): ' + ', '.join(args.drop) if args.drop else ''}); threshold and "
                      f"linkage (and the regularisation C {best[5]:g}): the best end-to-end F1 with "
                      f"precision >= {level}{each} (the first of {args.min_precision} reached with recall "
                      f">= {args.min_recall}), "
                      f"{args.folds}-fold cross-validated by candidate group"
                      f"{f' ({len(args.seed)} dealings summed)' if len(args.seed) > 1 else ''} (P {best[2]:.3f} R "
                      f"{best[3]:.3f} F1 {best[4]:.3f}); possible = threshold / 2")}
        _write_weights(d)


def _spread(ps: list[float]) -> str:
    import numpy as np
    q = np.percentile(ps, [0, 25, 50, 75, 100]) if ps else [0.0] * 5
    return (f"min {q[0]:.3f} q1 {q[1]:.3f} median {q[2]:.3f} q3 {q[3]:.3f} max {q[4]:.3f}, "
            f"sd {np.std(ps):.3f} over {len(ps)} folds; under 0.80 in {sum(p < 0.80 for p in ps)}")


def _nested_rows(args, dealt, counts, how: str, spread: bool = True) -> None:
    """tune --nested: the precision the rule delivers to groups it never saw (choosing.nested),
    for each floor asked; and the spread of the folds' own precision at the full choice."""
    each = args.precision_on == "each"
    full, _ = choosing.choose(counts, args.min_precision, args.min_recall, each)
    names = sorted({n for _, _, outer in dealt for v in outer.values() for n in v.get(full, {})})
    if spread:
        print(f"the folds at the full choice (C {full[0]:g} threshold {_t(full[3])} {full[1]} {full[2]:.2f}), "
              f"each set's precision fold by fold:")
    for n in names if spread else ():
        print(f"  {n}: " + _spread([choosing.prf(*outer[k][full][n])[0] for _, _, outer in dealt
                                    for k in outer if n in outer[k].get(full, {})]))
    for floor in args.nested or args.min_precision[:1]:
        asked = choosing.floors(floor)
        total, chosen, levels, per_fold = {}, collections.Counter(), collections.Counter(), collections.defaultdict(list)
        for _, inner, outer in dealt:
            got, picks = choosing.nested(inner, outer, asked, args.min_recall, each)
            for n, c in got.items():
                t = total.setdefault(n, [0, 0, 0])
                for i in range(3):
                    t[i] += c[i]
            for k, s_, level in picks:
                chosen[f"C {s_[0]:g} {_t(s_[3])} {s_[1]} {s_[2]:.2f}"] += 1
                levels[level] += 1
                for n, c in outer[k].get(s_, {}).items():
                    per_fold[n].append(choosing.prf(*c)[0])
        tp, fp, fn = choosing.summed(total)
        p, r, f = choosing.prf(tp, fp, fn)
        print(f"nested, floor {floor:.2f} ({len(dealt)} dealings x {args.folds} outer folds, each fold counted at "
              f"the setting the rule chose from {how}): "
              f"P {p:.3f} R {r:.3f} F1 {f:.3f} (tp {tp} fp {fp} fn {fn})"
              + "".join(f"; {n} P {_p:.3f} R {_r:.3f} F1 {_f:.3f} (tp {v[0]} fp {v[1]} fn {v[2]})"
                        for n, v in sorted(total.items()) for _p, _r, _f in [choosing.prf(*v)]))
        print(f"  chosen: {', '.join(f'{k} x{v}' for k, v in sorted(chosen.items()))}; floors met: "
              f"{', '.join(f'{k:g} x{v}' for k, v in sorted(levels.items(), reverse=True))}")
        for n, ps in sorted(per_fold.items()):
            print(f"  {n} precision fold by fold: {_spread(ps)}")


def cmd_nested(args) -> None:
    """The counts of `tune --nested --nested-save` runs (dealings split across processes) summed:
    each setting's line, the rule's choice and the nested estimates, as one run would print them."""
    import pickle
    counts, dealt, refit = {}, [], []
    for f in args.saved:
        c, d, r = pickle.loads(Path(f).read_bytes())
        dealt += d
        refit += r
        for k, by in c.items():
            for n, v in by.items():
                t = counts.setdefault(k, {}).setdefault(n, [0, 0, 0])
                for i in range(3):
                    t[i] += v[i]
    each = args.precision_on == "each"
    for k, by in counts.items():
        tp, fp, fn = choosing.summed(by)
        p, r, f = choosing.prf(tp, fp, fn)
        print(f"C {k[0]:g} threshold {_t(k[3])} linkage {k[1]} {k[2]:.2f}: P {p:.3f} R {r:.3f} F1 {f:.3f} "
              f"(tp {tp} fp {fp} fn {fn}, {len(dealt)} dealings summed)"
              + "".join(f"; {n} P {_p:.3f} R {_r:.3f} F1 {_f:.3f} (tp {v[0]} fp {v[1]} fn {v[2]})"
                        for n, v in by.items() for _p, _r, _f in [choosing.prf(*v)]))
    pick, level = choosing.choose(counts, args.min_precision, args.min_recall, each)
    print(f"chosen: C {pick[0]:g} threshold {_t(pick[3])} linkage {pick[1]} {pick[2]:.2f} (P >= {level})")
    args.nested = args.nested or args.min_precision[:1]
    _nested_rows(args, dealt, counts,
                 "the other folds' counts under the plain cross-validation's weights (fitted with the outer fold)")
    if refit:
        _nested_rows(args, refit, counts, "the other folds' weights refitted without the outer fold: fully nested",
                     spread=False)


def cmd_articles(args) -> None:
    """The gold's primary articles as JSONL input records, to code and store (never kept here):
    `scripts/links.py articles > /tmp/a.jsonl && marsad ingest --db /tmp/a.db /tmp/a.jsonl`."""
    from annotate import articles
    arts = articles()
    for r in primary_records(args.events, args.annotators or TRAINING):
        print(json.dumps(arts[r["id"]], ensure_ascii=False))


def draw_sample(q, n: int = 30, seed: int = 2026) -> tuple[list[dict], list[dict]]:
    """The hand check's sample of a store (`q`: its query function): n random merges (a mention
    merged into an event, with up to three other mentions of that event) and n random
    near-misses ("possible" links whose two mentions ended in two events), each drawn with
    random.Random(seed) from rows in id order, so the same store and seed give the same sample."""
    import random
    rng = random.Random(seed)
    merges = q("SELECT id, mention_id, event_id, reason FROM merges ORDER BY id")
    drawn = sorted(rng.sample(merges, min(n, len(merges))), key=lambda m: m["id"])
    for m in drawn:
        m["others"] = [o["id"] for o in q("SELECT id FROM mentions WHERE event_id = ? AND id <> ? "
                                          "ORDER BY id LIMIT 3", (m["event_id"], m["mention_id"]))]
    near = q("SELECT l.* FROM links l JOIN mentions a ON a.id = l.mention_a JOIN mentions b ON "
             "b.id = l.mention_b WHERE l.status = 'possible' AND a.event_id <> b.event_id "
             "ORDER BY l.mention_a, l.mention_b")
    picked = sorted(rng.sample(near, min(n, len(near))), key=lambda l: (l["mention_a"], l["mention_b"]))
    return [dict(m, total=len(merges)) for m in drawn], [dict(l, total=len(near)) for l in picked]


JUDGEMENTS = ("same", "different", "unclear")


def load_handcheck(path: Path) -> list[dict]:
    """A hand check's judgements (annotations/handcheck_*.tsv): one row per drawn pair, `kind`
    (merge / near), `n` (its number in `sample`'s listing, M<n> / N<n>), the record ids of its
    two sides (a merge's B: the other mentions' records, comma-separated), the judgement (same
    incident, different, unclear; CODING.md) and a one-line reason. Lines starting # are notes."""
    import csv
    lines = [l for l in Path(path).read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    for r in rows:
        if r["kind"] not in ("merge", "near") or r["judgement"] not in JUDGEMENTS or not r["reason"].strip():
            raise ValueError(f"{path}: bad row {r}")
        r["n"] = int(r["n"])
    return rows


def handcheck_counts(rows: list[dict]) -> dict[str, collections.Counter]:
    """Judgements by kind: {"merge": Counter(same=.., ...), "near": ...}."""
    out = {"merge": collections.Counter(), "near": collections.Counter()}
    for r in rows:
        out[r["kind"]][r["judgement"]] += 1
    return out


def cmd_sample(args) -> None:
    """Random merges and near-misses of a store, with each side's evidence, to read by hand; with
    --judged FILE, check that FILE's rows are this store's sample and print their counts."""
    from marsad.store import open_store
    store = open_store(args.db)
    q = store.db.query

    def record(mid: int) -> str:
        return q("SELECT r.record_id FROM mentions m JOIN reports r ON r.id = m.report_id "
                 "WHERE m.id = ?", (mid,))[0]["record_id"]

    def show(mid: int) -> str:
        r = q("SELECT m.event_id, m.data, r.title, r.published, r.record_id FROM mentions m JOIN "
              "reports r ON r.id = m.report_id WHERE m.id = ?", (mid,))[0]
        d = json.loads(r["data"])
        quotes = " | ".join((e["text"] or "").replace("\n", " ")[:260] for e in q(
            "SELECT text FROM evidence WHERE mention_id = ? ORDER BY span_start, id", (mid,)))
        return (f"[{r['record_id']} pub {str(r['published'])[:10]} ev{r['event_id']}] "
                f"{d.get('event_date')} {d.get('sub_event_type')} @ {d.get('location')} "
                f"({d.get('location_ar')}) {d.get('actor1')} vs {d.get('actor2')} f={d.get('fatalities')}"
                f"\n      T: {(r['title'] or '')[:120]}\n      E: {quotes}")
    merges, near = draw_sample(q, args.n, args.seed)
    if args.judged:
        drawn = {("merge", i): (record(m["mention_id"]), ",".join(record(o) for o in m["others"]))
                 for i, m in enumerate(merges, 1)}
        drawn.update({("near", i): (record(l["mention_a"]), record(l["mention_b"]))
                      for i, l in enumerate(near, 1)})
        rows = load_handcheck(args.judged)
        got = {(r["kind"], r["n"]): (r["record_a"], r["record_b"]) for r in rows}
        if got != drawn:
            bad = sorted(k for k in set(got) | set(drawn) if got.get(k) != drawn.get(k))
            sys.exit(f"{args.judged} is not this store's sample (seed {args.seed}): {bad[:5]}")
        for kind, c in handcheck_counts(rows).items():
            print(kind, len([r for r in rows if r["kind"] == kind]), dict(c))
        store.close()
        return
    print(f"# {merges[0]['total'] if merges else 0} merges; {len(q('SELECT id FROM events'))} events; "
          f"{len(q('SELECT id FROM mentions'))} mentions")
    for i, m in enumerate(merges, 1):
        print(f"=== M{i} {m['reason'][:230]}\n  A {show(m['mention_id'])}")
        for o in m["others"]:
            print(f"  B {show(o)}")
    print(f"\n# {near[0]['total'] if near else 0} possible links between two events")
    for i, l in enumerate(near, 1):
        print(f"=== N{i} score {l['score']:.2f} {str(l['reason'])[:200]}\n  A {show(l['mention_a'])}\n"
              f"  B {show(l['mention_b'])}")
    store.close()


MATCHING = ["told", "type", "evidence"]
MATCH_HELP = ("how a gold event finds its stored event: told (the default, since link46): as "
              "../shared/eval/score.py (same country, governorate when the gold gives one, event type), "
              "a stored event sharing evidence characters with it first, then the nearest; type: the "
              "evaluator's alone (nearest first; before link46); evidence: by shared evidence "
              "characters alone")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=Path, default=ROOT / "annotations" / "events")
    ap.add_argument("--annotators", type=lambda s: set(s.split(",")),
                    help="only the primary articles of these annotators, e.g. e,f,g,h,i,j (held-out set)")
    ap.add_argument("--gold", type=Path, default=GOLD, help="the gold file build writes and check and score read")
    ap.add_argument("--set", choices=list(TRAINING_SETS), help="a training set by name: its annotators "
                    "and its gold (--annotators and --gold), e.g. `--set k-ao articles`")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("candidates")
    c.add_argument("--retold", action="store_true", help="the extension's groups instead: incidents retold "
                   "3-14 days later (scripts/links_retold.py), judged by unit (an old gold incident or an event)")
    c.add_argument("--packet", action="store_true", help="with --retold: every field a judge needs")
    b = sub.add_parser("build")
    b.add_argument("labels")
    b.add_argument("--retold", action="store_true", help="LABELS judges the --retold groups: write the "
                   "gold's *_retold.jsonl (the old gold is left as it is)")
    b.add_argument("--judged-only", action="store_true",
                   help="write only the groups LABELS names (\"C7:\" alone: all different)")
    f = sub.add_parser("fit")
    f.add_argument("--folds", type=int, default=5)
    f.add_argument("--C", type=float, default=1.0)
    f.add_argument("--min-precision", type=float, default=0.85)
    f.add_argument("--write", action="store_true")
    f.add_argument("--store", type=store_arg, nargs="+", metavar="NAME=DB",
                   help="also fit on the extractor's events of these training sets, each stored in its "
                        "DB (ingest of `--set NAME articles`); the sets read: these, else all")
    sub.add_parser("check")
    s = sub.add_parser("score")
    s.add_argument("db")
    s.add_argument("--match", choices=MATCHING, default="told", help=MATCH_HELP)
    t = sub.add_parser("tune")
    t.add_argument("--store", type=store_arg, nargs="+", required=True, metavar="NAME=DB",
                   help="the training sets to fit and count on, each by its articles ingested with "
                        f"`marsad ingest` (`--set NAME articles`); the sets: {', '.join(TRAINING_SETS)} "
                        "(a bare DB: a-d's)")
    t.add_argument("--fit-on", nargs="+", choices=list(TRAINING_SETS), metavar="NAME",
                   help="fit only on these sets of --store (default all); the others are scored by the "
                        "model fitted on all of them, e.g. main's weights' figures on a new set")
    t.add_argument("--match", choices=MATCHING[:2], default="told", help=MATCH_HELP + " (for the counts)")
    t.add_argument("--label-match", choices=MATCHING[:2], default="type",
                   help="the matching that labels the stored pairs for the fit (--train both)")
    t.add_argument("--folds", type=int, default=5)
    t.add_argument("--C", type=float, nargs="+", default=[0.03, 0.1, 0.3, 1.0, 10.0],
                   help="the logistic regression's regularisation, chosen with the rest")
    t.add_argument("--min-precision", type=float, nargs="+", default=choosing.floors(),
                   help="precisions asked for, first first: the first some setting reaches decides "
                        "(default: marsad/incident/choosing.py's FLOOR and its fallbacks)")
    t.add_argument("--precision-on", choices=["each", "union"], default="each",
                   help="where --min-precision must hold: on every training set as well as on their "
                        "union (each, since the tenth session) or on the union alone (union, before)")
    t.add_argument("--min-recall", type=float, default=0.2,
                   help="a setting counts as reaching a precision only with at least this recall")
    t.add_argument("--linkages", type=float, nargs="*", default=[1.0, 0.75, 0.5, 0.34],
                   help="shares of linked pairs across two groups for them to join (partial linkage)")
    t.add_argument("--averages", type=float, nargs="*", default=[0.5, 0.4, 0.3, 0.2],
                   help="mean scores of the pairs across two groups for them to join (average linkage)")
    t.add_argument("--nested", type=float, nargs="*", metavar="FLOOR",
                   help="also the nested estimate: for each dealing and each outer fold, the setting "
                        "chosen by the rule from the other folds' counts only, the outer fold counted at "
                        "it; one estimate for each floor named (the first of --min-precision when none)")
    t.add_argument("--nested-refit", action="store_true",
                   help="with --nested: also the fully nested form, the inner choice from scores of weights "
                        "refitted without the outer fold (6x the groupings)")
    t.add_argument("--nested-save", metavar="FILE", help="with --nested: the counts to FILE (pickle)")
    t.add_argument("--seed", type=int, nargs="+", default=[0],
                   help="how candidate groups are dealt into folds; several: repeated cross-validation")
    t.add_argument("--drop", nargs="*", default=list(DROPPED), metavar="FEATURE",
                   help="leave these features out (their column zero, so their weight 0); by "
                        f"default {' '.join(DROPPED)}, which cross-validation found to cost "
                        "(docs/rounds/linking.md, branches link4, link41 and link43); `--drop` alone keeps every feature")
    t.add_argument("--context", nargs="+", default=[], metavar="FEATURE",
                   help=f"also fit on features of the pair's two reports (report_context: {', '.join(CONTEXT)}); "
                        "a trial of tune's only: the store does not compute them (docs/rounds/linking.md, branch link12)")
    t.add_argument("--train", choices=["gold", "both"], default="gold",
                   help="fit on the gold pairs of the annotators' events, or on those and the stored "
                        "pairs matched to gold events (the extractor's errors included)")
    t.add_argument("--group-weight", type=float, default=0.5, metavar="POWER",
                   help="weigh each training pair by 1 / (pairs of its candidate group) ** POWER, "
                        "so that a few widely reported incidents do not decide the fit (0: unweighted)")
    t.add_argument("--gold-fit", choices=["old", "retold"], default="old",
                   help="fit on the golds' candidate pairs (old) or on those and the retold extension's "
                        "judged pairs (retold: each set's *_retold.jsonl, scripts/links_retold.py)")
    t.add_argument("--gold-score", choices=["old", "retold"], default="old",
                   help="count against the old golds or the golds with the retold extension; with "
                        "either retold the folds deal the groups joined through shared events")
    t.add_argument("--write", action="store_true")
    t.add_argument("--model", choices=["logistic", "boost", "cross"], default="logistic",
                   help="a trial of another score (never written): gradient-boosted trees (boost; "
                        "--C is then 1 / their L2 regularisation) or the logistic regression with "
                        "crossed features (cross)")
    t.add_argument("--boost", type=float, nargs=4, default=[100, 0.1, 8, 40],
                   metavar=("ITERATIONS", "RATE", "LEAVES", "MIN_LEAF"), help="--model boost's trees")
    t.add_argument("--monotone", action=argparse.BooleanOptionalAction, default=True,
                   help="--model boost: hold each feature to its sign (MONOTONE)")
    t.add_argument("--cross", nargs="+", default=["date", "place", "same_day", "same_name", "text", "shingles",
                                                  "numbers", "coarse"], metavar="FEATURE",
                   help="--model cross: the features whose pairwise products are added")
    t.add_argument("--thresholds", type=float, nargs="+", help="the thresholds tried (default 0.30-0.95 by 0.05)")
    t.add_argument("--twice", nargs="+", default=["any"], metavar="MODE",
                   help="one incident a report coded twice: its two events may be in one group when "
                        "another report's event links to both (any, the store's rule), never (off, the "
                        "rule before dr91), or also only when not blocked and not capped (compatible), "
                        "not blocked (blocked), not capped (capped): trials; MODE/R: the vouching "
                        "event's second link needs only R x the threshold (a trial); several: each "
                        "evaluated on the same dealings and fits")
    t.add_argument("--explain", nargs=4, metavar=("C", "THRESHOLD", "RULE", "LINKAGE"),
                   help="instead of the grid: where the recall of the gold same pairs is lost at "
                        "this setting (e.g. 1 0.65 average 0.4), out of fold")
    t.add_argument("--show", metavar="WORDS", help="with --explain: print the pairs (first dealing) "
                   "whose loss names these words, e.g. \"capped\" or \"false merge\"")
    sub.add_parser("articles", help="the primary articles (of --annotators, default a-d) as input JSONL")
    h = sub.add_parser("sample", help="random merges and near-misses of a store, to read by hand")
    h.add_argument("db")
    h.add_argument("--n", type=int, default=30)
    h.add_argument("--seed", type=int, default=2026)
    h.add_argument("--judged", type=Path, metavar="FILE", help="a hand check's judgements of this "
                   "sample (annotations/handcheck_*.tsv): check its ids against the store's draw, print the counts")
    n = sub.add_parser("nested", help="the counts of tune --nested --nested-save runs summed and chosen from")
    n.add_argument("saved", nargs="+", metavar="FILE")
    n.add_argument("--nested", type=float, nargs="*", metavar="FLOOR")
    n.add_argument("--min-precision", type=float, nargs="+", default=choosing.floors())
    n.add_argument("--min-recall", type=float, default=0.2)
    n.add_argument("--precision-on", choices=["each", "union"], default="each")
    n.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    if args.set:
        args.annotators, args.gold = TRAINING_SETS[args.set]
    {"candidates": cmd_candidates, "build": cmd_build, "fit": cmd_fit, "score": cmd_score,
     "tune": cmd_tune, "check": cmd_check, "sample": cmd_sample, "articles": cmd_articles,
     "nested": cmd_nested}[args.cmd](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
