#!/usr/bin/env python3
"""Choose the articles to annotate for the learned event coder (issue 11), deterministically.

Writes annotations/batches.tsv: id, batch, stratum. Never picks an article of
../shared/eval/gold/articles_dev.jsonl (the untouched check). Strata:
- conflict: the keyword-filtered conflict set, spread over outlets and days (so the same
  incidents recur across outlets, for the linking gold);
- protest / arrest / agreement / other: the wider SaudiNewsNet corpus, chosen by cue words, so
  the corpus has protests, riots, arrests, agreements and reports with no event at all.
One article in ten is given to a second annotator ("double") for the agreement figure.
"""
import gzip
import hashlib
import json
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
ROOT = Path(__file__).resolve().parent.parent
ANNOTATORS = ["a", "b", "c", "d"]
PER_STRATUM = {"conflict": 300, "protest": 45, "arrest": 25, "agreement": 15, "other": 15}
# Round 2, after round 1 was coded: more of the same outlets and days, and more crowd events
# (protests and riots were rare in round 1), for annotators e and f.
ROUND2 = {"annotators": ["e", "f"], "conflict": 130, "protest": 50, "riot": 20}
# Round 3, after the learning curve of round 1+2 still climbed: the rest of the outlet-day round
# robin and more arrests, agreements and crowd events, for annotators g, h, i and j.
ROUND3 = {"annotators": ["g", "h", "i", "j"], "conflict": 300, "protest": 30, "riot": 10, "arrest": 40,
          "agreement": 20}
# Round 4, after the GSR sentences (a check set) were taken out of training and the detector's
# protests fell with them: crowd events, and articles that name a protest once (a call, a
# condemnation, a protest elsewhere: mostly no event), for annotators k, l, m and n.
ROUND4 = {"annotators": ["k", "l", "m", "n"], "protest": 80, "riot": 30, "protest_mention": 50}
# Round 5, the learning curve still climbing after round 4: the rest of the outlet-day round robin
# over the conflict set, and more articles that name a protest, for annotators o-s.
ROUND5 = {"annotators": ["o", "p", "q", "r", "s"], "conflict": 90, "protest": 20, "protest_mention": 40}
# Round 6, the learning curve still climbing and riots the weakest type: more of the conflict set,
# articles that report violent crowds, and more that name a protest once, for annotators t-w.
ROUND6 = {"annotators": ["t", "u", "v", "w"], "conflict": 100, "riot": 20, "protest_mention": 40}
# Round 7: the rest of the conflict set's outlet-day round robin, for annotators x-z and aa-ac.
ROUND7 = {"annotators": ["x", "y", "z", "aa", "ab", "ac"], "conflict": 210}
# Round 8, the conflict set used up and the learning curve still rising with it: articles of the
# wider corpus (other weeks of 2015) that report violence, for annotators ad-ai.
ROUND8 = {"annotators": ["ad", "ae", "af", "ag", "ah", "ai"], "violence": 200}
# Round 9, protests still the least precise type on sentences it never saw (GSR PROTEST precision
# 0.25) and the round-8 articles widening the outlets and weeks: more crowd reports, more articles
# that name a protest once (mostly no event), and more wider-corpus violence, for annotators aj-ao
# (no crowd report with two strong cues was left: 80 + 80 articles).
ROUND9 = {"annotators": ["aj", "ak", "al", "am", "an", "ao"], "protest": 40, "protest_mention": 80, "violence": 80}
CUES = {
    "protest": ["مظاهر", "متظاهر", "احتجاج", "محتج", "اعتصام", "معتصم", "مسيرة", "تظاهر", "شغب"],
    "arrest": ["اعتقال", "القبض على", "اعتقلت", "ضبط", "توقيف"],
    "agreement": ["هدنة", "وقف إطلاق النار", "اتفاق", "تبادل"],
    "riot": ["شغب", "أعمال عنف", "حرق الإطارات", "إحراق", "رشق", "الحجارة"],
}
# round 2 wants articles that report crowds, not ones that mention a protest in passing
STRONG = {"protest": ["تظاهر", "متظاهر", "مظاهرات", "احتجاجات", "محتجين", "اعتصام", "معتصمين"],
          "riot": ["شغب", "رشق", "حرق الإطارات", "اقتحم المحتجون", "قنابل المولوتوف"],
          "violence": ["قصف", "اشتباكات", "غارة", "غارات", "مقتل", "انفجار", "هجوم"]}


def key(aid: str, salt: str) -> str:
    return hashlib.sha1((salt + aid).encode()).hexdigest()


def round_robin(cells: dict, order: list, into: dict, n: int) -> None:
    """Take n conflict articles into `into`, one from each (outlet, day) cell in turn."""
    got = 0
    while got < n:
        moved = False
        for c in order:
            if cells[c] and got < n:
                into[cells[c].pop(0)["id"]] = "conflict"
                got += 1
                moved = True
        if not moved:
            return


def crowd_round(wider: list, earlier, into: dict, quotas: dict, strata: tuple, salt: str) -> dict:
    """Add to `into` the wider corpus's articles of each stratum (in a hashed order, none taken
    before): "protest" and "riot" report crowds, "violence" fighting (two strong cues or more);
    "protest_mention" names a protest once."""
    for stratum in strata:
        cues = STRONG["protest" if stratum == "protest_mention" else stratum]
        n = 0
        for a in sorted(wider, key=lambda a: key(a["id"], salt)):
            if n >= quotas[stratum]:
                break
            if a["id"] in earlier or a["id"] in into:
                continue
            hits = sum(a["text"].count(c) for c in cues)
            if (hits == 1) if stratum == "protest_mention" else (hits >= 2):
                into[a["id"]] = stratum
                n += 1
    return into


def write_round(f, ids: list, strata: dict, annotators: list) -> None:
    """The round's articles dealt to its annotators in turn; one in ten is double-coded by another
    of them, blind to the first."""
    for k, aid in enumerate(ids):
        first = annotators[k % len(annotators)]
        f.write(f"{aid}\t{first}\t{strata[aid]}\tprimary\n")
        if k % 10 == 0:
            others = [x for x in annotators if x != first]
            f.write(f"{aid}\t{others[(k // 10) % len(others)]}\t{strata[aid]}\tdouble\n")


def main() -> None:
    dev = {json.loads(l)["id"] for l in open(SHARED / "eval/gold/articles_dev.jsonl", encoding="utf-8")}
    conflict = [json.loads(l) for l in open(SHARED / "data/news/conflict_2015.jsonl", encoding="utf-8")]
    conflict = [a for a in conflict if a["id"] not in dev and len(a["text"]) <= 12000]
    taken: dict[str, str] = {}
    # round robin over (outlet, day) cells in a hashed order: variety of outlets and days
    cells: dict[tuple, list] = {}
    for a in sorted(conflict, key=lambda a: key(a["id"], "c")):
        cells.setdefault((a["source"], a["published"]), []).append(a)
    order = sorted(cells, key=lambda c: key("%s|%s" % c, "cell"))
    round_robin(cells, order, taken, PER_STRATUM["conflict"])
    conflict_ids = {a["id"] for a in conflict} | dev
    wider = []
    with gzip.open(SHARED / "data/news/saudinewsnet_2015.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            if a["id"] in conflict_ids or a["id"] in dev or len(a["text"]) > 8000:
                continue
            wider.append(a)
    wider.sort(key=lambda a: key(a["id"], "w"))
    for stratum in ("protest", "arrest", "agreement"):
        n = 0
        for a in wider:
            if n >= PER_STRATUM[stratum]:
                break
            if a["id"] not in taken and any(c in a["text"] for c in CUES[stratum]):
                taken[a["id"]] = stratum
                n += 1
    n = 0
    for a in wider:
        if n >= PER_STRATUM["other"]:
            break
        if a["id"] not in taken:
            taken[a["id"]] = "other"
            n += 1
    ids = sorted(taken, key=lambda i: key(i, "batch"))
    # round 2: continue the round robin over outlet-day cells, then crowd events
    second_round: dict[str, str] = {}
    round_robin(cells, order, second_round, ROUND2["conflict"])
    for stratum in ("protest", "riot"):
        n = 0
        for a in wider:
            if n >= ROUND2[stratum]:
                break
            if a["id"] not in taken and a["id"] not in second_round and \
                    sum(a["text"].count(c) for c in STRONG[stratum]) >= 2:
                second_round[a["id"]] = stratum
                n += 1
    ids2 = sorted(second_round, key=lambda i: key(i, "batch2"))
    third: dict[str, str] = {}
    round_robin(cells, order, third, ROUND3["conflict"])
    cues3 = {**STRONG, "arrest": ["اعتقال", "القبض على", "اعتقلت", "توقيف", "احتجاز"],
             "agreement": ["هدنة", "وقف إطلاق النار", "اتفاق", "تبادل الأسرى", "مصالحة"]}
    for stratum in ("protest", "riot", "arrest", "agreement"):
        n = 0
        for a in wider:
            if n >= ROUND3[stratum]:
                break
            if a["id"] not in taken and a["id"] not in second_round and a["id"] not in third and \
                    sum(a["text"].count(c) for c in cues3[stratum]) >= 2:
                third[a["id"]] = stratum
                n += 1
    ids3 = sorted(third, key=lambda i: key(i, "batch3"))
    earlier = taken.keys() | second_round.keys() | third.keys()
    fourth = crowd_round(wider, earlier, {}, ROUND4, ("protest", "riot", "protest_mention"), "w4")
    ids4 = sorted(fourth, key=lambda i: key(i, "batch4"))
    fifth: dict[str, str] = {}
    round_robin(cells, order, fifth, ROUND5["conflict"])
    fifth = crowd_round(wider, earlier | fourth.keys(), fifth, ROUND5, ("protest", "protest_mention"), "w5")
    ids5 = sorted(fifth, key=lambda i: key(i, "batch5"))
    sixth: dict[str, str] = {}
    round_robin(cells, order, sixth, ROUND6["conflict"])
    sixth = crowd_round(wider, earlier | fourth.keys() | fifth.keys(), sixth, ROUND6, ("riot", "protest_mention"), "w6")
    ids6 = sorted(sixth, key=lambda i: key(i, "batch6"))
    seventh: dict[str, str] = {}
    round_robin(cells, order, seventh, ROUND7["conflict"])
    ids7 = sorted(seventh, key=lambda i: key(i, "batch7"))
    eighth = crowd_round(wider, earlier | fourth.keys() | fifth.keys() | sixth.keys(), {}, ROUND8, ("violence",), "w8")
    ids8 = sorted(eighth, key=lambda i: key(i, "batch8"))
    ninth = crowd_round(wider, earlier | fourth.keys() | fifth.keys() | sixth.keys() | eighth.keys(), {}, ROUND9,
                        ("protest", "protest_mention", "violence"), "w9")
    ids9 = sorted(ninth, key=lambda i: key(i, "batch9"))
    out = ROOT / "annotations/batches.tsv"
    with open(out, "w", encoding="utf-8") as f:
        f.write("id\tannotator\tstratum\trole\n")
        write_round(f, ids, taken, ANNOTATORS)
        write_round(f, ids2, second_round, ROUND2["annotators"])
        write_round(f, ids3, third, ROUND3["annotators"])
        write_round(f, ids4, fourth, ROUND4["annotators"])
        write_round(f, ids5, fifth, ROUND5["annotators"])
        write_round(f, ids6, sixth, ROUND6["annotators"])
        write_round(f, ids7, seventh, ROUND7["annotators"])
        write_round(f, ids8, eighth, ROUND8["annotators"])
        write_round(f, ids9, ninth, ROUND9["annotators"])
    print(f"{len(ids)} + {len(ids2)} + {len(ids3)} + {len(ids4)} + {len(ids5)} + {len(ids6)} + {len(ids7)} + {len(ids8)} "
          f"+ {len(ids9)} articles -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
