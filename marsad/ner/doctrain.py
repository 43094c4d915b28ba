"""Training the document pass (``docpass.py``) on first-pass labels given out of fold.

The first pass reads its own training sentences almost perfectly; weights learnt on those labels
would trust it far too much. So the training sentences are cut into ``INNER`` contiguous parts
and each part is tagged by a first-pass model trained on the other parts (the same recipe); the
document pass's weights are then learnt by the averaged perceptron over those scores and labels,
the first pass's own weights left as they are. ANERcorp marks no article boundaries: a sentence's
document is the window of its ``WINDOW`` neighbours either side (an article is about 15
sentences; a news report about 23).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from .docpass import CODES, codes
from .perceptron import _ALLOWED, _START_OK, LABELS, NEG, Model

INNER = 4      # parts of the training sentences for the out-of-fold first pass
WINDOW = 10    # neighbouring sentences either side that make a sentence's document
EPOCHS = 6
COST = 15.0    # as the first pass's loss-augmented training (train.COST)
# The labels the document features may push (their weights for the others stay zero). Five-fold
# CV of the training part (model/README.md): pushing every label gained PER (+3 points) but lost
# ORG (-3): micro-F1 0.7629 -> 0.7646, two folds of five lower; pushing only B-PER / I-PER gained
# in every fold (0.7726), ORG level; B-PER / I-PER and O: 0.7661, two folds lower.
PUSHED = ("B-PER", "I-PER")


@dataclass
class Tagged:
    """One gold sentence as the first pass read it."""
    keys: list[str]          # each token's word type
    em: np.ndarray           # (tokens, labels) first-pass scores
    labels: np.ndarray       # first-pass label ids
    gold: np.ndarray         # gold label ids
    sent: np.ndarray         # each token's Marsad sentence within the gold sentence
    trans: tuple             # the first-pass model's (trans, start, end)


def first_pass(tagger, sents, project) -> list[Tagged]:
    """Each gold sentence tagged by ``tagger`` (its scores and labels before the document pass)."""
    lab = {x: i for i, x in enumerate(LABELS)}
    m = tagger.model
    out = []
    for s in sents:
        doc, gold = project(s)
        if not doc.tokens:
            continue
        em, labels = tagger.first_pass(doc)
        forms = tagger.words.forms(doc)
        keys = [forms.get(t.i, t.norm) for t in doc.tokens]
        out.append(Tagged(keys, em, labels, np.array([lab.get(g, 0) for g in gold], dtype=np.int64),
                          np.array([t.sent for t in doc.tokens], dtype=np.int64), (m.trans, m.start, m.end)))
    return out


def window_codes(items: list[Tagged], window: int = WINDOW) -> list[np.ndarray]:
    """Each sentence's ``codes`` with its document the sentences ``window`` either side."""
    keys = _int_keys(items)
    out = []
    for i in range(len(items)):
        k, _, lab, sent, a, b = _window(items, keys, i, window)
        out.append(codes(k, lab, sent)[a:b])
    return out


def _window(items: list[Tagged], keys: list[np.ndarray], i: int, window: int):
    """Sentence i's document: the concatenated (keys, scores, labels, sentence numbers) of the
    sentences ``window`` either side, and where sentence i lies in it."""
    lo, hi = max(0, i - window), min(len(items), i + window + 1)
    a = sum(len(items[j].keys) for j in range(lo, i))
    return (np.concatenate(keys[lo:hi]), np.concatenate([items[j].em for j in range(lo, hi)]),
            np.concatenate([items[j].labels for j in range(lo, hi)]),
            np.concatenate([items[j].sent + 10_000 * j for j in range(lo, hi)]), a, a + len(items[i].keys))


def _int_keys(items: list[Tagged]) -> list[np.ndarray]:
    ids: dict[str, int] = {}
    return [np.array([ids.setdefault(k, len(ids)) for k in it.keys], dtype=np.int64) for it in items]


def decode_windows(tagger, items: list[Tagged], window: int = WINDOW) -> list[tuple[np.ndarray, np.ndarray]]:
    """(labels, local scores) of each sentence after the tagger's document pass, its document
    the sentences ``window`` either side (a tagger without the pass: each sentence alone)."""
    from .tagger import _runs

    if tagger._doc_rows is None:
        window = 0
    keys = _int_keys(items)
    out = []
    for i in range(len(items)):
        k, em, lab, sent, a, b = _window(items, keys, i, window)
        starts, lengths = _runs(sent)
        em, lab = tagger.second_pass(em, lab, k, sent, starts, lengths)
        em, lab, sent = np.ascontiguousarray(em[a:b]), lab[a:b], sent[a:b]
        starts, lengths = _runs(sent)
        out.append((lab, tagger.local_scores(em, lab, starts, lengths)))
    return out


def _viterbi(em, trans):
    from .perceptron import viterbi
    tr, st, en = trans
    return viterbi(em[None], np.array([len(em)]), tr, st, en)[0]


def train(items: list[Tagged], window: int = WINDOW, epochs: int = EPOCHS, seeds=(13, 29),
          cost: float = COST, labels: tuple[str, ...] | None = PUSHED) -> np.ndarray:
    """(len(CODES), labels) weights of the document features (row 0 zero), averaged perceptron
    over the sentences, the first pass's scores fixed; labels: the only columns learnt (None: all)."""
    cs = window_codes(items, window)
    n = len(LABELS)
    off = None if labels is None else np.array([x not in labels for x in LABELS])
    runs = []
    for seed in seeds:
        w = np.zeros((len(CODES), n), dtype=np.float32)
        wa = np.zeros_like(w)
        c = 1
        rnd = random.Random(seed)
        order = list(range(len(items)))
        for _ in range(epochs):
            rnd.shuffle(order)
            for k in order:
                it, cd = items[k], cs[k]
                em = it.em + w[cd].sum(axis=1)
                if cost:
                    em = em + cost
                    em[np.arange(len(it.gold)), it.gold] -= cost
                pred = _viterbi(em, it.trans)
                wrong = np.flatnonzero(pred != it.gold)
                if len(wrong):
                    r, g, p = cd[wrong], it.gold[wrong, None], pred[wrong, None]
                    np.add.at(w, (r, g), 1)
                    np.add.at(w, (r, p), -1)
                    np.add.at(wa, (r, g), c)
                    np.add.at(wa, (r, p), -c)
                    w[0] = wa[0] = 0   # row 0 is no feature: it stays zero
                    if off is not None:
                        w[:, off] = wa[:, off] = 0
                c += 1
        runs.append(w - wa / c)
    w = sum(runs) / len(runs)
    w[0] = 0
    return w


def second_pass_labels(items: list[Tagged], weights: np.ndarray, window: int = WINDOW) -> list[np.ndarray]:
    """The labels after the document pass, each sentence with its window as its document."""
    return [_viterbi(it.em + weights[cd].sum(axis=1), it.trans) for it, cd in zip(items, window_codes(items, window))]


def merge(model: Model, weights: np.ndarray) -> Model:
    """The first-pass model with the document features' rows added."""
    vocab = dict(model.vocab)
    rows = [model.weights]
    extra = []
    for k, f in enumerate(CODES):
        if f and np.any(weights[k] != 0):
            vocab[f] = len(vocab)
            extra.append(weights[k])
    if extra:
        rows.append(np.array(extra, dtype=np.float32))
    out = Model(vocab, np.vstack(rows), model.trans, model.start, model.end)
    out.trans, out.start, out.end = model.trans, model.start, model.end
    return out


__all__ = ["INNER", "WINDOW", "Tagged", "first_pass", "window_codes", "train", "second_pass_labels", "merge",
           "NEG", "_ALLOWED", "_START_OK"]
