#!/usr/bin/env python3
"""Build marsad/places/data/clitic_words.tsv: common words that the gazetteer matcher reads as a
proclitic + a place name (فرقة as ف + رقة "Raqqa", فاطمة as ف + أطمة, لقاح as ل + قاح).

    .venv/bin/python scripts/clitic_words.py [--shared ../shared] [--write]

Counts every word of the unlabeled news corpus (data/news/saudinewsnet_2015.jsonl.gz, normalised
as the pipeline does) and runs the matcher over each word alone: a word read as a non-empty
proclitic + a name is listed as a common word when
  - it takes the article itself more often than the name is written bare: n(ال + word) >= 3 and
    n(ال + word) > n(name) (الفرقة، اللقاح: no one writes "the in-Raqqa"), or
  - it is seen at least 20 times and 5 times as often as the name written bare:
    n(word) >= 5 (n(name) + 1) (فاطمة 141 times, أطمة never; بصدد 158, صدد 18): a real name is
    written bare more often than with any one proclitic;
but not و/ف + the name with ال of a town of 100,000 people or more (والكوت: "and Kut", which a
Saudi corpus writes mostly for the footballer Walcott). Prints the table; --write stores it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from marsad.places.geoparser import Geoparser, gazetteer_hits  # noqa: E402
from marsad.text.normalize import normalize  # noqa: E402

CORPUS = "data/news/saudinewsnet_2015.jsonl.gz"
OUT = Path(__file__).resolve().parent.parent / "marsad" / "places" / "data" / "clitic_words.tsv"
_WORD = re.compile(r"[^\W_]+")
MIN_WORD = 3      # rarer words are not looked at
MIN_AL = 3        # n(ال + word) at least this
BIG_TOWN = 100_000  # a town this large after و/ف + ال is that town, whatever the counts
RATIO = 5         # n(word) >= RATIO * (n(name) + 1), for a word seen at least MIN_RATIO times
MIN_RATIO = 20

HEADER = """\
# Common words that the gazetteer matcher reads as a proclitic + a place name (فرقة as ف + رقة,
# فاطمة as ف + أطمة). Built by scripts/clitic_words.py from the unlabeled news corpus
# (saudinewsnet_2015, 29,412 articles): a word is listed when it takes the article itself more
# often than the name is written bare (n_al_word >= 3 and > n_name), or is seen at least 20 times
# and 5 times as often as the name written bare (n_word >= 5 (n_name + 1)). Such a word is no place.
"""


def count_words(shared: Path) -> Counter:
    words: Counter = Counter()
    with gzip.open(shared / CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            words.update(_WORD.findall(normalize(json.loads(line)["text"])[0]))
    return words


def clitic_words(words: Counter) -> list[dict]:
    gp = Geoparser()
    rows = []
    for w, n in words.items():
        if n < MIN_WORD:
            continue
        hits = [h for h in gazetteer_hits(gp.gaz, w, w) if h[0] == 0 and h[1] == len(w)]
        if not hits or any(start == 0 for _, _, start, *_ in hits):
            continue  # no name, or a name as it stands (بريدة، لبنان)
        found = []
        for _, _, start, core, cands, _ in hits:
            # the name as written with no proclitic: لل stands for ل + ال (لليونان: اليونان)
            name = ("ال" if w[:start].endswith("لل") else "") + w[start:]
            n_name, n_al = words[name], words["ال" + w]
            by_al = n_al >= MIN_AL and n_al > n_name
            by_freq = n >= MIN_RATIO and n >= RATIO * (n_name + 1)
            if not (by_al or by_freq):
                break  # a reading that may be right (للقدس: ل + القدس)
            if w[:start] in ("و", "ف") and name.startswith("ال") and any(
                    gp.gaz.places[i].population >= BIG_TOWN for i, _ in cands):
                break  # "and" + a large town (والكوت: and Kut), rare in this corpus only
            found.append(dict(word=w, proclitic=w[:start], name=name, place=gp.gaz.places[cands[0][0]].id,
                              n_word=n, n_al_word=n_al, n_name=n_name,
                              source="saudinewsnet_2015 counts: " + ("takes ال" if by_al else "5x the bare name")))
        else:
            rows.append(found[0])
    return sorted(rows, key=lambda r: -r["n_word"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    rows = clitic_words(count_words(Path(a.shared)))
    cols = ["word", "proclitic", "name", "place", "n_word", "n_al_word", "n_name", "source"]
    lines = ["\t".join(cols)] + ["\t".join(str(r[c]) for c in cols) for r in rows]
    if a.write:
        OUT.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
