"""Name words mined from unlabeled news: person and organisation name words the tagger never saw.

`marsad train names` reads the SaudiNewsNet corpus in place (`../shared/data/news/
saudinewsnet_2015.jsonl.gz`) and counts, for each word, how often it stands where a name stands:

- ``per``: the word after a title (الرئيس، الوزير، الشيخ، اللاعب ... : the ``title`` cue words of
  ``marsad/ner/data/cues.tsv``), past any further titles and nisba adjectives (الرئيس الأمريكي
  باراك ...); the words either side of بن / ابن;
- ``fam``: the word after that (most often the family name: الرئيس الأمريكي باراك أوباما);
- ``org``: the word after an organisation head (شركة، وزارة، صحيفة، نادي ...: the ``org_cue`` words).

A word is kept when it is seen there at least ``min_count`` times and at least ``min_share`` of
its occurrences are there: common words (في، باسم، الداخلية for once) follow titles too, but
rarely in proportion. The result is a small TSV, `marsad/lang/ar/names.tsv` (word, class, count
in the pattern, count in the corpus), headed by comment lines that record the corpus hash and the
parameters, as `clusters.tsv` is. At run time only the TSV is read.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from ..tablecache import givable
from ..text.tokens import strip_proclitics
from .clusters import DEFAULT_CORPUS, _sentences, same_words, write_table

PATH = Path(__file__).resolve().parent / "ar" / "names.tsv"
# Parameters of the shipped file (its header records them): chosen before any measurement, as a
# floor; the tagger's feature carries the share in bins (``share_bin``), so the weights, not
# these numbers, decide how much a share means.
PARAMS = {"min_count": 3, "min_share": 0.05, "skip": 3}
# Shares at which the feature's bin changes (the tagger learns a weight per bin).
BINS = (0.5, 0.2)
_KIN = frozenset(("بن", "ابن"))


def _cues() -> tuple[frozenset[str], frozenset[str]]:
    from ..ner.features import cue_words

    cues = cue_words()
    return (frozenset(w for w, c in cues.items() if "title" in c),
            frozenset(w for w, c in cues.items() if "org_cue" in c))


def _bare(w: str) -> str:
    """The word without its longest proclitic (والرئيس -> الرئيس, لوزارة -> وزارة)."""
    r = strip_proclitics(w)
    return r[1][1] if len(r) > 1 else w


def _nisba(w: str) -> bool:
    """An adjective of origin or office after a title (الأمريكي، السعودية، الأسبق)."""
    return w.startswith("ال") and (w.endswith("ي") or w.endswith("يه") or w.endswith("ية") or w.startswith("الأ"))


def mine(paragraphs: Iterable[list[str]], titles: frozenset[str], heads: frozenset[str],
         skip: int = PARAMS["skip"]) -> tuple[Counter, Counter, Counter, Counter]:
    """(total counts, counts after titles and around بن, counts one word further, counts after
    organisation heads)."""
    total, per, fam, org = Counter(), Counter(), Counter(), Counter()
    cue = titles | heads | _KIN
    for toks in paragraphs:
        total.update(toks)
        n = len(toks)
        bare = [_bare(w) if w not in cue else w for w in toks]
        for i, w in enumerate(toks):
            b = w if w in cue else bare[i]
            if b in titles:
                j = i + 1
                while j < n and j <= i + skip and (toks[j] in titles or bare[j] in titles or _nisba(toks[j])):
                    j += 1
                if j < n and not toks[j].startswith("ال") and toks[j] not in cue:
                    per[toks[j]] += 1
                    if j + 1 < n and toks[j + 1] not in cue:
                        fam[toks[j + 1]] += 1
            elif b in heads and i + 1 < n and toks[i + 1] not in cue:
                org[toks[i + 1]] += 1
            elif w in _KIN and 0 < i < n - 1:
                per[toks[i - 1]] += 1
                per[toks[i + 1]] += 1
    return total, per, fam, org


def build(corpus: str | Path = DEFAULT_CORPUS, out: str | Path = PATH, params: dict | None = None,
          log: Callable[[str], None] = lambda s: None) -> dict:
    """Mine the corpus and write the TSV. Deterministic for one corpus, cue list and params."""
    p = {**PARAMS, **(params or {})}
    corpus = Path(corpus)
    import hashlib  # here, not at import: OpenSSL costs every extracting process 3.7 MB
    digest = hashlib.sha256(corpus.read_bytes()).hexdigest()
    titles, heads = _cues()
    total, per, fam, org = mine(_sentences(corpus), titles, heads, p["skip"])
    rows = []
    for cls, counts in (("per", per), ("fam", fam), ("org", org)):
        for w, c in counts.items():
            if c >= p["min_count"] and c >= p["min_share"] * total[w]:
                rows.append((w, cls, c, total[w]))
    rows.sort(key=lambda r: (r[1], -r[2], r[0]))
    kept = Counter(r[1] for r in rows)
    log(f"names: {sum(total.values()):,} words; kept {kept['per']:,} person, {kept['fam']:,} family and "
        f"{kept['org']:,} organisation name words")
    meta = {"corpus": corpus.name, "corpus_sha256": digest, "params": p, "rows": len(rows)}
    write_table(out, "name words mined by `marsad train names` (marsad/lang/names.py)", corpus, digest, p,
                "word\tclass\tcount\ttotal", (f"{w}\t{cls}\t{c}\t{t}\n" for w, cls, c, t in rows))
    read_table.cache_clear()
    return meta


def share_bin(count: int, total: int) -> int:
    """0 for the words most often seen as names, then 1, 2."""
    share = count / max(total, 1)
    return next((k for k, b in enumerate(BINS) if share >= b), len(BINS))


@lru_cache(maxsize=2)
def _read_table(path: Path) -> dict[str, tuple[str, ...]]:
    """word -> its feature values ("per0", "org2" ...), sorted; empty when the file is absent."""
    out: dict[str, set[str]] = {}
    if not Path(path).exists():  # a checkout without the built file: the features are simply absent
        return {}
    values: dict[str, str] = {}   # "per0" ...: one string object for all the words that have it
    # a word of the cluster table (which the tagger and the events step load anyway) is that
    # table's string object, not a copy (1.3 MB over names.tsv and the tagger's tagged table)
    same = same_words()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("word\t"):
                continue
            w, cls, c, t = line.rstrip("\n").split("\t")
            v = f"{cls}{share_bin(int(c), int(t))}"
            out.setdefault(same.get(w, w), set()).add(values.setdefault(v, v))
    # a handful of distinct value tuples: shared, not one per word
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    return {w: shared.setdefault(k, k) for w, v in out.items() for k in (tuple(sorted(v)),)}


# the tagger's compiled copy may give the table (``read_table.give``, marsad/tablecache.py)
read_table = givable(_read_table, PATH)


def info(path: Path = PATH) -> dict:
    """The header of the shipped file (corpus hash, parameters) and its rows per class."""
    meta: dict = {"path": str(path), "exists": Path(path).exists()}
    if meta["exists"]:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    k, _, v = line[1:].strip().partition(": ")
                    meta[k] = json.loads(v) if v.startswith(("{", "[")) else v
                elif not line.startswith("word\t"):
                    cls = line.split("\t")[1]
                    meta[cls] = meta.get(cls, 0) + 1
    return meta


def version(path: Path = PATH) -> str:
    """The corpus hash and parameters of the file's header, for the model's metadata."""
    if not Path(path).exists():
        return "absent"
    with open(path, encoding="utf-8") as f:
        head = [line[1:].strip() for line in f if line.startswith("#")]
    import hashlib  # here, not at import: OpenSSL costs every extracting process 3.7 MB
    h = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    return f"names.tsv sha256 {h}; " + "; ".join(head[2:])
