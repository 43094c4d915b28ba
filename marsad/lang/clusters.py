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
import json
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

if TYPE_CHECKING:
    from array import array

from ..tablecache import givable
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
def _read_table(path: Path) -> dict[str, tuple[int, int]]:
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


# the tagger's compiled copy may give the table (``read_table.give``, marsad/tablecache.py)
read_table = givable(_read_table, PATH)


@lru_cache(maxsize=1)
def same_words() -> dict[str, str]:
    """word -> the cluster table's own string object for it: tables keyed by the same words (the
    tagger's) use those objects instead of copies of their own. Built once for all of them (80,000
    entries); the tagger frees it once built (``same_words.cache_clear()``)."""
    return {w: w for w in read_table(PATH)}


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


def _vectors(corpus: Path, p: dict, what: str, log: Callable[[str], None]):
    """The corpus's sha256 and word2vec vectors trained on its paragraphs with params p."""
    from gensim.models import Word2Vec

    import hashlib  # here, not at import: OpenSSL costs every extracting process 3.7 MB
    digest = hashlib.sha256(corpus.read_bytes()).hexdigest()
    sents = list(_sentences(corpus))
    log(f"{what}: {len(sents):,} paragraphs, {sum(map(len, sents)):,} words")
    # one worker and a fixed seed: the same corpus gives the same vectors (PYTHONHASHSEED aside,
    # gensim hashes with its own seeded function)
    model = Word2Vec(sents, vector_size=p["vector_size"], window=p["window"], min_count=p["min_count"],
                     epochs=p["epochs"], seed=p["seed"], workers=1, sg=0)
    return digest, model


def build(corpus: str | Path = DEFAULT_CORPUS, out: str | Path = PATH, params: dict | None = None,
          log: Callable[[str], None] = lambda s: None) -> dict:
    """Train the vectors and the clusters; write the TSV. Deterministic for one corpus and params."""
    import numpy as np
    from sklearn.cluster import KMeans, MiniBatchKMeans

    p = {**PARAMS, **(params or {})}
    corpus = Path(corpus)
    digest, model = _vectors(corpus, p, "clusters", log)
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


# Cluster levels for the name tagger (``levels.tsv``): every word seen at least ``min_count``
# times (about 117,000, where clusters.tsv keeps the 80,000 commonest), in k-means clusters at
# three granularities. Rare words are what names are made of (a transliterated surname seen five
# times in a year of news), and the finest level tells them apart from common words of the same
# broad kind. On the tagger's tuning block (micro-F1, four averaged runs) the group added 0.0
# and 0.6 points for two seed sets with this file, 1.0 with an earlier build of the same recipe
# (two word2vec threads): the clustering's own randomness is of that size. Adding 32/256/512/2048
# levels as well did not help. The group is opt-in (``marsad ner train --with levels``) and the
# table is not shipped: see marsad/ner/model/README.md for what it costs.
LEVELS_PATH = Path(__file__).resolve().parent / "ar" / "levels.tsv"
LEVELS_PARAMS = {"vector_size": 100, "window": 5, "min_count": 3, "epochs": 5, "seed": 1,
                 "levels": [128, 1024, 4096]}
LEVEL_NAMES = "abcdefgh"  # the feature value of level i is LEVEL_NAMES[i] + the cluster id


def build_levels(corpus: str | Path = DEFAULT_CORPUS, out: str | Path = LEVELS_PATH, params: dict | None = None,
                 log: Callable[[str], None] = lambda s: None) -> dict:
    """Word vectors as ``build`` trains them (with a lower count floor), then k-means of every
    word at each level of ``levels``; writes the TSV (word, one cluster id per level)."""
    import numpy as np
    from sklearn.cluster import MiniBatchKMeans

    p = {**LEVELS_PARAMS, **(params or {})}
    corpus = Path(corpus)
    digest, model = _vectors(corpus, p, "levels", log)
    vocab = model.wv.index_to_key
    vecs = np.asarray(model.wv.vectors, dtype=np.float64)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-9
    cols = []
    for k in p["levels"]:
        log(f"levels: k-means of {len(vocab):,} words into {k} clusters")
        km = MiniBatchKMeans(n_clusters=min(k, len(vocab)), random_state=p["seed"], n_init=3, batch_size=8192)
        cols.append(km.fit(vecs).labels_)
    write_table(out, "word cluster levels built by `marsad train levels` (marsad/lang/clusters.py)", corpus,
                digest, p, "word\t" + "\t".join(f"k{k}" for k in p["levels"]),
                (w + "\t" + "\t".join(str(int(c[i])) for c in cols) + "\n" for i, w in enumerate(vocab)))
    read_levels.cache_clear()
    return {"corpus": corpus.name, "corpus_sha256": digest, "params": p, "words": len(vocab)}


class Levels:
    """word -> its cluster at each level as feature values ("a17", "b903", "c2048"), or None:
    a read-only mapping (``get``, ``in``, ``len``) kept as numpy arrays, the words by their
    hash (this process's ``hash``) in sorted order, so that the 117,000 words cost about 2 MB
    rather than the 19 MB of a dict of strings (issue 16: the extractor's memory)."""

    def __init__(self, hashes: "array", ids: "array", n_levels: int):
        """hashes: ``hash`` of each word; ids: their cluster ids, ``n_levels`` per word, flat."""
        import numpy as np

        h = np.frombuffer(hashes, dtype=np.int64)
        order = np.argsort(h, kind="stable")
        self._hash = h[order]
        self._ids = np.frombuffer(ids, dtype=np.int16).reshape(len(h), n_levels)[order]
        top = int(self._ids.max()) + 1 if self._ids.size else 0
        # the feature value of every (level, id), made once: each lookup only picks them
        self._names = [[sys.intern(f"{LEVEL_NAMES[i]}{k}") for k in range(top)] for i in range(n_levels)]

    def get(self, word: str, default=None):
        h = self._hash
        x = hash(word)
        i = int(h.searchsorted(x))
        if i < len(h) and h[i] == x:
            names = self._names
            return tuple(names[j][k] for j, k in enumerate(self._ids[i].tolist()))
        return default

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __len__(self) -> int:
        return len(self._hash)


@lru_cache(maxsize=2)
def read_levels(path: Path = LEVELS_PATH) -> Levels:
    """The levels table (``Levels``); empty when the file is absent. Read a line at a time
    into flat arrays, so that loading it holds no list of the words either."""
    from array import array

    hashes, ids = array("q"), array("h")
    n_levels = 0
    if Path(path).exists():
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#"):
                    continue
                w, *cols = line.rstrip("\n").split("\t")
                if w == "word":
                    n_levels = len(cols)
                    continue
                hashes.append(hash(w))
                ids.extend(map(int, cols))
    return Levels(hashes, ids, n_levels)


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
