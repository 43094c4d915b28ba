"""The retold extension of the linking gold (issue 13, docs/linking.md "The linking gold").

The gold's candidate rule (links.candidate) pairs events at most 2 days apart, so a later report
that retells an incident with a later date (the Suruc bombing told "this week", the Dar Saad
shelling retold over twelve days) is never judged, and `tune` counts its merge as false. The
extension finds such pairs by a rule over the annotations alone (never a store or the system's
output, so that it does not favour what the system links):

    two events of different articles in one country, not a candidate pair, of kinds that can be
    one incident (links._group), at the same named place, 3 to 14 days apart, and either the
    later-dated event's evidence points back (a weekday, "last week", a date: retold_words.tsv)
    or both give the same toll above zero.

The unit judged is the old gold's incident (its events judged same), or an event alone: a group is
a connected set of units, and its judgement a partition of them, as the `.labels` partition events.
A unit pair the old gold already judged (some pair of their events) is never re-judged.

    scripts/links.py [--set NAME | --annotators ..] candidates --retold [--packet] > groups.txt
    scripts/links.py [--set NAME | ...] build --retold LABELS   # -> the gold's *_retold.jsonl
"""
from __future__ import annotations

import collections
import json
import re
from pathlib import Path

import links as L

from marsad.lexicon import load_tsv

WORDS = L.ROOT / "annotations" / "retold_words.tsv"
DAYS = (3, 14)   # beyond the candidate window (2 days), up to two weeks


def back_words(path: Path = WORDS) -> re.Pattern:
    return re.compile("|".join(f"(?:{r['pattern']})" for r in load_tsv(path.name, path.parent)))


def retold(a: dict, b: dict, back: re.Pattern) -> bool:
    """The extension's rule for two annotated events (see the module's doc)."""
    if a["_aid"] == b["_aid"] or a.get("country_code") != b.get("country_code") or L.candidate(a, b):
        return False
    la, lb = (a.get("location") or "").lower(), (b.get("location") or "").lower()
    if not la or la != lb or not (L._group(a) & L._group(b)):
        return False
    if not DAYS[0] <= L._gap(a, b) <= DAYS[1]:
        return False
    later = b if L._days(b)[0] > L._days(a)[0] else a
    toll = (a.get("fatalities") or 0) > 0 and a.get("fatalities") == b.get("fatalities")
    return toll or bool(back.search(later.get("_text") or ""))


def gold_pairs(path: Path) -> set[frozenset]:
    return {frozenset((f"{r['a']['id']}:{r['a']['event']}", f"{r['b']['id']}:{r['b']['event']}"))
            for r in map(json.loads, path.open(encoding="utf-8"))} if path.exists() else set()


def units(evs: list[dict], gold_path: Path) -> tuple[dict[str, str], set[frozenset]]:
    """Each event's unit (the old gold's incident it is in, else itself) and the unit pairs the
    old gold judged (some pair of their events in it)."""
    root: dict[str, str] = {}

    def find(x):
        while root.setdefault(x, x) != x:
            x = root[x]
        return x
    rows = list(map(json.loads, gold_path.open(encoding="utf-8"))) if gold_path.exists() else []
    for r in rows:
        if r["same"]:
            root[find(f"{r['a']['id']}:{r['a']['event']}")] = find(f"{r['b']['id']}:{r['b']['event']}")
    unit = {L.key(e): find(L.key(e)) for e in evs}
    judged = {frozenset((unit.get(k, k) for k in (f"{r['a']['id']}:{r['a']['event']}",
                                                  f"{r['b']['id']}:{r['b']['event']}"))) for r in rows}
    return unit, {p for p in judged if len(p) == 2}


def groups(evs: list[dict], gold_path: Path, back: re.Pattern | None = None):
    """The extension's groups, each a list of units (lists of events), in a stable order, and the
    unit pairs the old gold judged."""
    back = back or back_words()
    unit, judged = units(evs, gold_path)
    members = collections.defaultdict(list)
    for e in evs:
        members[unit[L.key(e)]].append(e)
    edges = set()
    for i, a in enumerate(evs):
        for b in evs[i + 1:]:
            ua, ub = unit[L.key(a)], unit[L.key(b)]
            if ua != ub and frozenset((ua, ub)) not in judged and retold(a, b, back):
                edges.add(frozenset((ua, ub)))
    root: dict[str, str] = {}

    def find(x):
        while root.setdefault(x, x) != x:
            x = root[x]
        return x
    for p in sorted(edges, key=sorted):
        x, y = sorted(p)
        root[find(x)] = find(y)
    comps = collections.defaultdict(list)
    for u in sorted(root):
        comps[find(u)].append(u)

    def first(u):
        es = members[u]
        return (min(e.get("event_date") or e["_published"] for e in es),
                min((e.get("location") or "") for e in es), min(L.key(e) for e in es))
    out = []
    for c in comps.values():
        out.append([sorted(members[u], key=lambda e: (e.get("event_date") or e["_published"], L.key(e)))
                    for u in sorted(c, key=first)])
    out.sort(key=lambda g: (-len(g), min(L.key(e) for u in g for e in u)))
    return out, judged, unit


def _pairs_of(group, judged, unit, old: set[frozenset]):
    """The event pairs a group's judgement decides: of two of its units the old gold never
    judged, of two articles, not already old gold pairs."""
    for i, u in enumerate(group):
        for v in group[i + 1:]:
            if frozenset((unit[L.key(u[0])], unit[L.key(v[0])])) in judged:
                continue
            for a in u:
                for b in v:
                    if a["_aid"] != b["_aid"] and frozenset((L.key(a), L.key(b))) not in old:
                        yield i, a, b


def _event(e: dict, width: int = 300) -> str:
    ev = " // ".join(s["text"] for s in e.get("evidence") or []).replace("\n", " ")
    ev = ev if len(ev) <= width else ev[:width] + "..."
    sp = e.get("spans") or {}
    args = "; ".join(f"{k}: {v['text']}" for k, v in sp.items() if isinstance(v, dict) and "text" in v)
    return (f"    {e['_aid']}:{e['_i']}  published {e['_published']}  date {e.get('event_date') or 'undated'}"
            f" (precision {e.get('time_precision')})\n"
            f"      {e['event_type']} / {e['sub_event_type']}; at {e.get('location')} ({e.get('admin1_code')},"
            f" geo {e.get('geo_precision')}); {e.get('actor1') or '-'} vs {e.get('actor2') or '-'};"
            f" fatalities {e.get('fatalities')}\n"
            + (f"      args: {args}\n" if args else "")
            + f"      evidence: {ev}\n")


def cmd_candidates(args, evs: list[dict]) -> None:
    gs, judged, unit = groups(evs, args.gold)
    old = gold_pairs(args.gold)
    total = 0
    for n, g in enumerate(gs):
        npairs = sum(1 for _ in _pairs_of(g, judged, unit, old))
        total += npairs
        apart = [f"{i},{j}" for i in range(len(g)) for j in range(i + 1, len(g))
                 if frozenset((unit[L.key(g[i][0])], unit[L.key(g[j][0])])) in judged]
        print(f"== R{n} ({len(g)} units, {sum(map(len, g))} events, {npairs} new pairs)"
              + (f"  {len(apart)} unit pairs judged apart by the old gold" if apart else ""))
        for j, u in enumerate(g):
            if args.packet:
                keep = [str(i) for i in range(len(g)) if i != j and frozenset(
                    (unit[L.key(g[i][0])], unit[L.key(u[0])])) in judged]
                print(f"  unit {j} ({len(u)} event{'s' * (len(u) > 1)}"
                      f"{', one incident in the old gold' if len(u) > 1 else ''})"
                      + (f"; the old gold judged it apart from units {','.join(keep)}" if keep else "") + ":")
                for e in u:
                    print(_event(e), end="")
            else:
                for e in u:
                    print(f"{j:2d} {L.line(e)}")
        if args.packet:
            print()
    print(f"# {len(gs)} groups, {sum(len(g) for g in gs)} units, {total} new pairs")


def parse_labels(path: Path) -> dict[str, tuple[list[list[int]] | None, str]]:
    """LABELS: "R<n>: 0,2 | 4,5" (units joined; the others each alone; "R<n>:" all apart;
    "R<n>: ?" not judged, left out), a "# judge: NAME" line naming the judge of the lines after it,
    and "# R<n> 0,2: reason" lines (kept as notes)."""
    out, judge = {}, "unknown"
    for ln in path.read_text(encoding="utf-8").splitlines():
        s = ln.strip()
        if s.startswith("# judge:"):
            judge = s.split(":", 1)[1].strip()
            continue
        if not s or s.startswith("#") or ":" not in s:
            continue
        name, rest = (x.strip() for x in s.split(":", 1))
        rest = rest.split("#")[0].strip()
        if rest == "?":
            out[name] = (None, judge)
            continue
        out[name] = ([[int(j) for j in part.split(",") if j.strip()] for part in rest.split("|") if part.strip()],
                     judge)
    return out


def retold_path(gold: Path) -> Path:
    return gold.with_name(gold.stem + "_retold.jsonl")


def cmd_build(args, evs: list[dict]) -> None:
    gs, judged, unit = groups(evs, args.gold)
    old = gold_pairs(args.gold)
    labels = parse_labels(Path(args.labels))
    out_path = retold_path(args.gold)
    n = n_same = left = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for g_i, g in enumerate(gs):
            name = f"R{g_i}"
            part, judge = labels.get(name, (None, None))
            if part is None:
                left += 1
                continue
            inc = {j: f"{name}-{p}" for p, js in enumerate(part) for j in js}
            for j in inc:
                if j >= len(g):
                    raise SystemExit(f"{name}: no unit {j}")
            recs = []
            for i, a, b in _pairs_of(g, judged, unit, old):
                j = next(k for k, v in enumerate(g) if b in v)
                same = inc.get(i) is not None and inc.get(i) == inc.get(j)
                a, b = sorted((a, b), key=L.key)
                recs.append((a, b, same, inc.get(i) if same else None))
            for i in range(len(g)):   # a join the old gold judged apart is refused
                for j in range(i + 1, len(g)):
                    if inc.get(i) is not None and inc.get(i) == inc.get(j) and \
                            frozenset((unit[L.key(g[i][0])], unit[L.key(g[j][0])])) in judged:
                        raise SystemExit(f"{name}: units {i} and {j} were judged apart by the old gold")
            for a, b, same, incident in sorted(recs, key=lambda r: (L.key(r[0]), L.key(r[1]))):
                n += 1
                n_same += same
                out.write(json.dumps({"a": {"id": a["_aid"], "event": a["_i"]}, "b": {"id": b["_aid"], "event": b["_i"]},
                                      "same": same, "group": name, "incident": incident, "rule": "retold",
                                      "judge": judge, "reason": L._why(a, b, same)}, ensure_ascii=False) + "\n")
    print(f"{n} retold pairs, {n_same} same, {n - n_same} different, {len(gs)} groups "
          f"({left} not judged, left out) -> {out_path}")
