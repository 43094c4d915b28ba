#!/usr/bin/env python3
"""The annotators' tool for the event corpus (annotations/README.md says how to code).

    scripts/annotate.py todo A            ids annotator A still has to code (primary, then double)
    scripts/annotate.py show ID [ID...]   the article: published date, outlet, paragraphs with offsets
    scripts/annotate.py add A DRAFT.json  check a draft (one JSON object, or JSON lines) and store it
    scripts/annotate.py stats             how many articles and events each annotator has coded
    scripts/annotate.py gold A[,B...]     the annotators' primary articles with their texts and
                                          events, as a gold file for ../shared/eval/evaluate
                                          (write it outside the repository)

A draft gives quotes, the tool turns them into character offsets into the article's text (the
text itself stays in ../shared and is never copied here). `add` refuses a draft with a quote
that is not in the text or a field outside CODING.md's tables, and says which.
"""
from __future__ import annotations

import datetime
import gzip
import json
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OUT = ROOT / "annotations" / "events"

TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {"Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
                                   "Grenade"},
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"},
}
STRATEGIC_PLOVER = {"Arrests": "COERCE", "Agreement": "AGREE", "Looting/property destruction": "ASSAULT",
                    "Non-violent transfer of territory": "CONCEDE"}
ARG_QUOTES = ("actor1_ar", "actor2_ar", "fatalities_ar", "location_ar")


def plover(event_type: str, sub: str) -> str:
    if event_type in ("Protests", "Riots"):
        return "PROTEST"
    if event_type == "Strategic developments":
        return STRATEGIC_PLOVER.get(sub, "OTHER")
    return "ASSAULT"


@lru_cache(maxsize=1)
def articles() -> dict[str, dict]:
    out: dict[str, dict] = {}
    with gzip.open(SHARED / "data/news/saudinewsnet_2015.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            out[a["id"]] = a
    with open(SHARED / "data/news/conflict_2015.jsonl", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            out[a["id"]] = a
    return out


def batches() -> list[dict]:
    rows = (ROOT / "annotations/batches.tsv").read_text(encoding="utf-8").splitlines()
    head = rows[0].split("\t")
    return [dict(zip(head, r.split("\t"))) for r in rows[1:] if r.strip()]


def stored(annotator: str) -> dict[tuple[str, str], dict]:
    path = OUT / f"{annotator}.jsonl"
    if not path.exists():
        return {}
    recs = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    return {(r["id"], r.get("role", "primary")): r for r in recs}


def cmd_todo(annotator: str) -> None:
    done = stored(annotator)
    for b in batches():
        if b["annotator"] == annotator and (b["id"], b["role"]) not in done:
            print(b["id"], b["role"], b["stratum"], sep="\t")


def cmd_show(aid: str) -> None:
    a = articles()[aid]
    print(f"id: {aid}\npublished: {a.get('published')}\nsource: {a.get('source')}\nchars: {len(a['text'])}\n")
    pos = 0
    for k, para in enumerate(a["text"].split("\n")):
        if para.strip():
            print(f"[p{k} @{pos}] {para}")
        pos += len(para) + 1


def find(text: str, quote: str, after: int = 0) -> tuple[int, int] | None:
    if not quote:
        return None
    i = text.find(quote, after)
    if i < 0:
        i = text.find(quote)
    return (i, i + len(quote)) if i >= 0 else None


def check(rec: dict, annotator: str, role: str) -> tuple[dict, list[str]]:
    errs: list[str] = []
    aid = rec.get("id")
    if aid not in articles():
        return rec, [f"unknown article id {aid!r}"]
    text = articles()[aid]["text"]
    events = []
    for n, ev in enumerate(rec.get("events") or []):
        where = f"event {n}"
        et, sub = ev.get("event_type"), ev.get("sub_event_type")
        if et not in TYPES or sub not in TYPES[et]:
            errs.append(f"{where}: type {et!r} / {sub!r} is not in CODING.md's table")
            continue
        ev["plover_type"] = plover(et, sub)
        for f in ("inter1", "inter2"):
            v = ev.get(f)
            if v is not None and v not in range(1, 9):
                errs.append(f"{where}: {f} must be 1..8 or null")
        if not ev.get("actor1") or ev.get("inter1") is None:
            errs.append(f"{where}: actor1 and inter1 are required")
        d = ev.get("event_date")
        if d is not None:
            try:
                datetime.date.fromisoformat(d)
            except (TypeError, ValueError):
                errs.append(f"{where}: event_date {d!r} is not YYYY-MM-DD")
        if ev.get("time_precision") not in (1, 2, 3):
            errs.append(f"{where}: time_precision must be 1, 2 or 3")
        cc = ev.get("country_code")
        if not (isinstance(cc, str) and len(cc) == 2 and cc.isupper()):
            errs.append(f"{where}: country_code must be ISO alpha-2")
        a1 = ev.get("admin1_code")
        if a1 is not None and not (isinstance(a1, str) and a1.startswith(f"{cc}-")):
            errs.append(f"{where}: admin1_code {a1!r} must start with {cc}-")
        if ev.get("geo_precision") not in (1, 2, 3):
            errs.append(f"{where}: geo_precision must be 1, 2 or 3")
        for f in ("latitude", "longitude"):
            if not isinstance(ev.get(f), (int, float)):
                errs.append(f"{where}: {f} must be a number")
        fat = ev.get("fatalities")
        if fat is not None and not (isinstance(fat, int) and fat >= 0):
            errs.append(f"{where}: fatalities must be a whole number or null")
        quotes = ev.get("evidence") or []
        if isinstance(quotes, str):
            quotes = [quotes]
        spans = []
        for q in quotes:
            if isinstance(q, dict):  # already resolved (re-adding a stored record)
                q = q["text"]
            hit = find(text, q)
            if hit is None:
                errs.append(f"{where}: evidence quote not in the text: {q[:60]!r}")
            else:
                spans.append({"start": hit[0], "end": hit[1], "text": q})
        if not spans:
            errs.append(f"{where}: at least one evidence quote is required")
        ev["evidence"] = spans
        first = spans[0]["start"] if spans else 0
        arg_spans = {}
        for f in ARG_QUOTES:
            q = ev.get(f)
            if not q:
                continue
            hit = find(text, q, max(0, first - 300))
            if hit is None:
                errs.append(f"{where}: {f} quote not in the text: {q[:60]!r}")
            else:
                arg_spans[f[:-3]] = {"start": hit[0], "end": hit[1], "text": q}
        ev["spans"] = arg_spans
        events.append(ev)
    out = {"id": aid, "annotator": annotator, "role": role, "published": articles()[aid].get("published"),
           "events": events, "remarks": rec.get("remarks", "")}
    return out, errs


def cmd_add(annotator: str, path: str) -> int:
    raw = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    raw = raw.strip()
    try:
        recs = [json.loads(raw)] if raw.startswith("{") and "\n{" not in raw else \
            [json.loads(l) for l in raw.splitlines() if l.strip()]
    except json.JSONDecodeError as e:
        print(f"not JSON: {e}", file=sys.stderr)
        return 1
    roles = {(b["id"], b["annotator"]): b["role"] for b in batches()}
    done = stored(annotator)
    bad = 0
    for rec in recs:
        role = roles.get((rec.get("id"), annotator))
        if role is None:
            print(f"{rec.get('id')}: not in annotator {annotator}'s batch", file=sys.stderr)
            bad += 1
            continue
        out, errs = check(rec, annotator, role)
        if errs:
            bad += 1
            for e in errs:
                print(f"{rec.get('id')}: {e}", file=sys.stderr)
            continue
        done[(out["id"], role)] = out
        print(f"{out['id']}: stored ({role}, {len(out['events'])} events)")
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = OUT / f".{annotator}.jsonl.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        for k in sorted(done):
            f.write(json.dumps(done[k], ensure_ascii=False) + "\n")
    tmp.replace(OUT / f"{annotator}.jsonl")
    return 1 if bad else 0


def cmd_stats() -> None:
    for path in sorted(OUT.glob("*.jsonl")):
        recs = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
        ev = sum(len(r["events"]) for r in recs)
        print(f"{path.stem}: {len(recs)} articles, {ev} events")


def cmd_gold(annotators: list[str]) -> None:
    """The articles as `evaluate events` reads a gold set: the article record with its events.
    For measuring a change that touches no training (a gazetteer, say) on articles of other weeks
    and countries; the detector is trained on these articles, so only differences mean something."""
    texts = articles()
    for a in annotators:
        for (aid, role), r in sorted(stored(a).items()):
            if role == "primary" and aid in texts:
                print(json.dumps(dict(texts[aid], events=r["events"]), ensure_ascii=False))


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "todo":
        cmd_todo(argv[1])
    elif len(argv) >= 2 and argv[0] == "show":
        for aid in argv[1:]:
            cmd_show(aid)
            print()
    elif len(argv) >= 3 and argv[0] == "add":
        return cmd_add(argv[1], argv[2])
    elif argv[:1] == ["stats"]:
        cmd_stats()
    elif len(argv) >= 2 and argv[0] == "gold":
        cmd_gold(argv[1].split(","))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
