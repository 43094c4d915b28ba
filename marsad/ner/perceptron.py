"""An averaged structured perceptron over BIO labels, with Viterbi decoding batched in numpy.

The model is a weight row per feature string (one weight per label), a label-to-label
transition matrix, start and end weights. Decoding takes the emission scores of many sentences
at once (``viterbi``): a Python loop over positions, numpy over sentences and labels. BIO is a
hard constraint: I-X only after B-X or I-X.

Saved as one .npz: the feature strings (UTF-8, newline-joined), the weights as float16 and the
transitions (``save`` / ``load``).
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

LABELS = ("O", "B-LOC", "I-LOC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-MISC", "I-MISC")
NEG = -1e9


def allowed() -> np.ndarray:
    """allowed[i, j]: label j may follow label i (BIO)."""
    n = len(LABELS)
    ok = np.ones((n, n), dtype=bool)
    for j, lab in enumerate(LABELS):
        if lab.startswith("I-"):
            for i, prev in enumerate(LABELS):
                ok[i, j] = prev[2:] == lab[2:]
    return ok


_ALLOWED = allowed()
_START_OK = np.array([not lab.startswith("I-") for lab in LABELS])


class Model:
    def __init__(self, vocab: dict[str, int] | None, weights: np.ndarray, trans: np.ndarray,
                 start: np.ndarray, end: np.ndarray, meta: dict | None = None, names: bytes = b""):
        """vocab None: the feature strings are ``names`` (newline-joined UTF-8, row i + 1 for the
        i-th), made a dict only when ``vocab`` is asked for."""
        self._vocab = vocab
        self._names = names
        # the file ``load`` read and its (size, mtime): where the names can be read again
        self._path: tuple[Path, tuple[int, int]] | None = None
        self.weights = weights      # (features, labels) float32
        self.trans = np.where(_ALLOWED, trans, NEG).astype(np.float32)
        self.start = np.where(_START_OK, start, NEG).astype(np.float32)
        self.end = end.astype(np.float32)
        self.meta = meta or {}

    @property
    def vocab(self) -> dict[str, int]:
        """Feature string -> row of weights (row 0: all zero, no feature). The tagger reads the
        features once through ``items`` and does not keep this dict (11 MB for the shipped
        model); training, tests and ``marsad ner info`` build it here."""
        if self._vocab is None:
            self._vocab = dict(self.items())
            self._names = b""
        return self._vocab

    def items(self) -> Iterator[tuple[str, int]]:
        """(feature string, row) of every feature, in the order of ``vocab``."""
        if self._vocab is not None:
            yield from self._vocab.items()
            return
        names = self._names
        if not names and self._path is not None:   # dropped (drop_names): read them again
            path, stamp = self._path
            if _stamp(path) != stamp:
                raise RuntimeError(f"{path} changed since this model was loaded: its feature names are gone")
            with np.load(path) as z:
                names = bytes(z["features"])
        if names:
            for i, f in enumerate(names.decode("utf-8").split("\n")):
                yield f, i + 1
        yield "", 0

    def drop_names(self) -> None:
        """Free the feature names blob (1.2 MB for the shipped model) once the tagger has built its
        tables from them, where ``items``/``vocab`` can read them again from the model's file."""
        if self._path is not None:
            self._names = b""

    def rows(self, feats: Sequence[str]) -> list[int]:
        get = self.vocab.get
        return [r for r in map(get, feats) if r is not None]

    def save(self, path: str | Path) -> None:
        keep = np.flatnonzero(np.any(self.weights != 0, axis=1))
        keep = keep[keep != 0]
        names = [""] * len(self.vocab)
        for f, r in self.vocab.items():
            names[r] = f
        blob = "\n".join(names[r] for r in keep).encode("utf-8")
        with open(path, "wb") as fh:
            np.savez_compressed(fh, features=np.frombuffer(blob, dtype=np.uint8),
                                weights=self.weights[keep].astype(np.float16),
                                trans=np.where(_ALLOWED, self.trans, 0), start=np.where(_START_OK, self.start, 0),
                                end=self.end, labels=np.array(LABELS))

    @classmethod
    def load(cls, path: str | Path) -> "Model":
        with np.load(path) as z:
            if tuple(z["labels"]) != LABELS:
                raise ValueError(f"{path}: labels {tuple(z['labels'])} are not {LABELS}")
            names = bytes(z["features"])
            w = np.zeros((len(z["weights"]) + 1, len(LABELS)), dtype=np.float32)
            w[1:] = z["weights"]
            m = cls(None, w, z["trans"], z["start"], z["end"], names=names)
        m._path = (Path(path), _stamp(path))
        return m


def _stamp(path: str | Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def viterbi(em: np.ndarray, lengths: np.ndarray, trans: np.ndarray, start: np.ndarray,
            end: np.ndarray) -> np.ndarray:
    """Best label ids (B, T) for emissions (B, T, L) of sentences of the given lengths (padding
    positions get label 0).

    The sentences are sorted longest first, so that step i works on a prefix of the batch (those
    longer than i): no masking, and short sentences cost nothing after their end."""
    b, t, n = em.shape
    out = np.zeros((b, t), dtype=np.int64)
    if t == 0 or b == 0:
        return out
    order = np.argsort(-lengths, kind="stable")
    em, lens = em[order], lengths[order]
    active = (lens[None, :] > np.arange(t)[:, None]).sum(axis=1).tolist()  # sentences alive at step i
    score = em[:, 0] + start
    back = np.zeros((t, b, n), dtype=np.int64)
    for i in range(1, t):
        k = active[i]
        cand = score[:k, :, None] + trans          # (k, from, to)
        back[i, :k] = cand.argmax(axis=1)
        score[:k] = cand.max(axis=1) + em[:k, i]
    cur = (score + end).argmax(axis=1)
    res = np.zeros((b, t), dtype=np.int64)
    res[np.arange(b), lens - 1] = cur
    rows = np.arange(b)
    for i in range(t - 1, 0, -1):
        k = active[i]
        cur[:k] = back[i, rows[:k], cur[:k]]
        res[:k, i - 1] = cur[:k]
    out[order] = res
    return out


def emissions(weights: np.ndarray, rows: list[list[int]]) -> np.ndarray:
    """(T, L) emission scores of one sentence given each token's feature rows."""
    flat = [0]
    starts = []
    for r in rows:
        starts.append(len(flat))
        flat.append(0)  # row 0 is zero: no token has an empty segment
        flat += r
    return np.add.reduceat(weights[flat], starts, axis=0)


# The features that name the word itself, hidden together by word dropout: the word, its stem,
# and its row of the ``tagged`` table (a look-up by the word too: a new name is as absent from
# the news table as from training, and the weights must learn to find it without).
IDENTITY = ("w=", "stem=", "tg=")


def train(data: list[tuple[list[list[str]], list[str]]], epochs: int = 10, seeds: Sequence[int] = (13,),
          dropout: float = 0.0, cost: float = 0.0, log=None) -> Model:
    """Averaged perceptron over (token feature strings, gold labels) sentences.

    dropout: the chance, per token and pass, that the token's own identity features (the word,
    its stem) are hidden, so that the weights learn what else marks a name: the names of new
    text are mostly words training never saw.
    seeds: one run per seed (sentence order and dropout draws); the weights of the runs are
    averaged (on a tuning block, two runs scored about one point of F1 above one).
    cost: loss-augmented decoding in training: each wrong label of a token gets this much added
    to its score before Viterbi, so that an update happens until the gold sequence wins by a
    margin of ``cost`` per token it differs on (a structured hinge, not just a win)."""
    lab = {x: i for i, x in enumerate(LABELS)}
    vocab: dict[str, int] = {"": 0}
    seqs = []
    for feats, gold in data:
        rows = [[vocab.setdefault(f, len(vocab)) for f in tok] for tok in feats]
        bare = [[r for f, r in zip(tok, rr) if not f.startswith(IDENTITY)] for tok, rr in zip(feats, rows)]
        seqs.append((rows, bare, np.array([lab.get(g, 0) for g in gold], dtype=np.int64)))
    runs = [_run(seqs, len(vocab), epochs, seed, dropout, log, cost) for seed in seeds]
    w, tr, st, en = (sum(r[k] for r in runs) / len(runs) for k in range(4))
    w[0] = 0
    return Model(vocab, w.astype(np.float32), tr, st, en)


def _run(seqs, n_features: int, epochs: int, seed: int, dropout: float, log, cost: float = 0.0):
    """One averaged-perceptron run: (weights, transitions, start, end), averaged over updates."""
    n = len(LABELS)
    w = np.zeros((n_features, n), dtype=np.float32)
    wa = np.zeros_like(w)                      # sum of c * update, for the average
    tr, tra = np.zeros((n, n), np.float32), np.zeros((n, n), np.float32)
    st, sta = np.zeros(n, np.float32), np.zeros(n, np.float32)
    en, ena = np.zeros(n, np.float32), np.zeros(n, np.float32)
    c = 1
    rnd = random.Random(seed)
    order = list(range(len(seqs)))
    for ep in range(epochs):
        rnd.shuffle(order)
        errors = 0
        for k in order:
            rows, bare, gold = seqs[k]
            if not len(gold):
                continue
            if dropout:
                rows = [b if rnd.random() < dropout else r for r, b in zip(rows, bare)]
            em = emissions(w, rows)
            if cost:
                em += cost
                em[np.arange(len(gold)), gold] -= cost
            pred = viterbi(em[None], np.array([len(gold)]), np.where(_ALLOWED, tr, NEG),
                           np.where(_START_OK, st, NEG), en)[0]
            if not np.array_equal(pred, gold):
                errors += 1
                for i in np.flatnonzero(pred != gold):
                    r = rows[i]
                    w[r, gold[i]] += 1
                    w[r, pred[i]] -= 1
                    wa[r, gold[i]] += c
                    wa[r, pred[i]] -= c
                for seq, sign in ((gold, 1), (pred, -1)):
                    np.add.at(tr, (seq[:-1], seq[1:]), sign)
                    np.add.at(tra, (seq[:-1], seq[1:]), sign * c)
                    st[seq[0]] += sign
                    sta[seq[0]] += sign * c
                    en[seq[-1]] += sign
                    ena[seq[-1]] += sign * c
            c += 1
        if log:
            log(f"seed {seed}, epoch {ep + 1}: {errors} of {len(seqs)} sentences wrong")
    return w - wa / c, tr - tra / c, st - sta / c, en - ena / c
