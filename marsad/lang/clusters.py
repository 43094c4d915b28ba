"""Word clusters learned from unlabeled Arabic news: features that reach words no list names.

`marsad train clusters` trains word2vec (gensim) on the SaudiNewsNet corpus read in place
(`../shared/data/news/saudinewsnet_2015.jsonl.gz`), then groups the most frequent words by
k-means into fine clusters and the fine clusters into coarse ones. The result is a small TSV,
`marsad/lang/ar/clusters.tsv` (word, coarse id, fine id, count), headed by comment lines that
record the corpus hash and the parameters. At run time only the TSV is read: no gensim.

Words are keyed by Marsad's normalised form (`marsad.text.normalize_key`), as the tokens of a
Doc are. `lookup` falls back to the word without its proclitics (و، ال، بال ...), so
"والمتظاهرين" finds the cluster of "المتظاهرين" or "متظاهرين" when it has none of its own.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..text.normalize import normalize_key
from ..text.tokens import strip_proclitics

PATH = Path(__file__).resolve().parent / "ar" / "clusters.tsv"
DEFAULT_CORPUS = "../shared/data/news/saudinewsnet_2015.jsonl.gz"
# Parameters of the shipped file; changing one changes the file (its header records them).
PARAMS = {"vector_size": 100, "window": 5, "min_count": 5, "epochs": 5, "seed": 1,
          "words": 80000, "fine": 512, "coarse": 64}

_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)   # letters only: numbers and stray marks out


def words(text: str) -> list[str]:
    """The corpus tokens of a text: normalised, letters only."""
    return _WORD.findall(normalize_key(text))


@lru_cache(maxsize=2)
def read_table(path: Path = PATH) -> dict[str, tuple[int, int]]:
    """word -> (coarse, fine) from a clusters TSV; empty when the file is absent."""
    out: dict[str, tuple[int, int]] = {}
    if not Path(path).exists():  # a checkout without the built file: the features are simply absent
        return out
    # 80,000 words but a few hundred (coarse, fine) pairs: one shared tuple per pair instead of
    # a tuple and two ints per word (7.5 MB in every process)
    pairs: dict[tuple[str, str], tuple[int, int]] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("word\t"):
                continue
            w, coarse, fine, _count = line.rstrip("\n").split("\t")
            key = (coarse, fine)
            pair = pairs.get(key)
            if pair is None:
                pair = pairs[key] = (int(coarse), int(fine))
            out[w] = pair
    return out


def lookup(word: str) -> tuple[int, int] | None:
    """(coarse, fine) cluster of a normalised word, or of its stem without proclitics; None if unknown."""
    table = read_table(PATH)
    hit = table.get(word)
    if hit is not None:
        return hit
    for _clitic, stem in strip_proclitics(word)[1:]:
        hit = table.get(stem)
        if hit is not None:
            return hit
    return None


def info() -> dict:
    """The header of the shipped file: corpus hash, parameters, size."""
    meta: dict = {"path": str(PATH), "exists": PATH.exists()}
    if PATH.exists():
        with open(PATH, encoding="utf-8") as f:
            for line in f:
                if not line.startswith("#"):
                    break
                k, _, v = line[1:].strip().partition(": ")
                meta[k] = json.loads(v) if v.startswith(("{", "[")) else v
        meta["words"] = len(read_table(PATH))
    return meta


def _sentences(corpus: Path) -> Iterator[list[str]]:
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                for para in json.loads(line)["text"].split("\n"):
                    toks = words(para)
                    if toks:
                        yield toks


def build(corpus: str | Path = DEFAULT_CORPUS, out: str | Path = PATH, params: dict | None = None,
          log: Callable[[str], None] = lambda s: None) -> dict:
    """Train the vectors and the clusters; write the TSV. Deterministic for one corpus and params."""
    import numpy as np
    from gensim.models import Word2Vec
    from sklearn.cluster import KMeans, MiniBatchKMeans

    p = {**PARAMS, **(params or {})}
    corpus = Path(corpus)
    digest = hashlib.sha256(corpus.read_bytes()).hexdigest()
    sents = list(_sentences(corpus))
    log(f"clusters: {len(sents):,} paragraphs, {sum(map(len, sents)):,} words")
    # one worker and a fixed seed: the same corpus gives the same vectors (PYTHONHASHSEED aside,
    # gensim hashes with its own seeded function)
    model = Word2Vec(sents, vector_size=p["vector_size"], window=p["window"], min_count=p["min_count"],
                     epochs=p["epochs"], seed=p["seed"], workers=1, sg=0)
    vocab = model.wv.index_to_key[: p["words"]]
    counts = [model.wv.get_vecattr(w, "count") for w in vocab]
    vecs = np.asarray([model.wv[w] for w in vocab], dtype=np.float64)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
    log(f"clusters: k-means of {len(vocab):,} words into {p['fine']} fine clusters")
    n_fine = min(p["fine"], len(vocab))
    fine = MiniBatchKMeans(n_clusters=n_fine, random_state=p["seed"], n_init=3, batch_size=4096).fit(vecs)
    n_coarse = min(p["coarse"], n_fine)
    coarse = KMeans(n_clusters=n_coarse, random_state=p["seed"], n_init=4).fit(fine.cluster_centers_)
    meta = {"corpus": corpus.name, "corpus_sha256": digest, "params": p, "words": len(vocab)}
    write_table(out, "word clusters built by `marsad train clusters` (marsad/lang/clusters.py)", corpus,
                digest, p, "word\tcoarse\tfine\tcount",
                (f"{w}\t{int(coarse.labels_[lab])}\t{int(lab)}\t{c}\n" for w, c, lab in zip(vocab, counts, fine.labels_)))
    read_table.cache_clear()
    return meta


def write_table(out: str | Path, title: str, corpus: Path, digest: str, params: dict, header: str,
                lines: Iterable[str]) -> None:
    """A table built from the unlabeled corpus, with what built it (the corpus, its sha256, the
    parameters) in its comment lines, so `marsad train info` can say what it came from."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write(f"# {title}\n")
        f.write(f"# corpus: {corpus.name}\n# corpus_sha256: {digest}\n# params: {json.dumps(params)}\n")
        f.write(header + "\n")
        f.writelines(lines)
