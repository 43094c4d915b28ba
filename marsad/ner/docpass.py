"""Document consistency: a second tagging pass that reads how the first pass tagged the same
word and the same word sequence elsewhere in the document (Krishnan & Manning 2006, stacked).

A surname named once after a title and five times alone should be a name six times. The first
pass tags the document as before; each token then gets up to three codes (``CODES``) from the
first pass's labels of the *other* tokens of the document:

- ``dcm``: the type most of the word's other occurrences were tagged with, and the share of
  them it had (all, at least half, less), or ``O`` when none was a name;
- ``dcl``: the type of a longer (multi-word) name that contains the word elsewhere;
- ``dcs``: the token lies where a word sequence recurs that was tagged as a multi-word name
  elsewhere (its type, and whether the token begins the sequence).

Their weights (one row per code, as every other feature) are added to the first pass's scores
and Viterbi runs again. They are trained on first-pass labels of the training sentences given
by models that did not learn those sentences (``train.py``: out of fold), so that the weights
learn how far the first pass is to be trusted on new text. Everything here is numpy over the
document's tokens (``codes``; in C when the decoder is compiled, ``_decode.pyx``): the pass
costs one walk over the tokens and one more Viterbi.
"""

from __future__ import annotations

import numpy as np

from .perceptron import LABELS

TYPES = ("LOC", "PER", "ORG", "MISC")
_BINS = ("all", "most", "some")
CODES = ("",                                                          # 0: no feature
         "dcm=O", *(f"dcm={t}:{b}" for t in TYPES for b in _BINS),  # 1 .. 13
         *(f"dcl={t}" for t in TYPES),                              # 14 .. 17
         *(f"dcs={t}:{p}" for t in TYPES for p in "BI"))            # 18 .. 25
# A document of fewer sentences keeps the first pass (``Tagger.second_pass``): a word's other
# occurrences in one or two sentences are a poor guide, and `evaluate ner` sends each sentence
# alone. Five-fold CV of the training part, the held folds cut into documents of 1-23 sentences
# (model/README.md, "The document pass where it cannot hurt"): 3 lost no fold on documents of
# one or two sentences, 1 and 2 lost points on them in two folds.
MIN_SENTENCES = 3
_DCM, _DCL, _DCS = 1, 1 + 1 + 3 * len(TYPES), 2 + 3 * len(TYPES) + len(TYPES)
# label id -> its type (0: O, 1..4: TYPES); label id -> begins a name
_TYPE = np.array([0 if lab == "O" else 1 + TYPES.index(lab[2:]) for lab in LABELS], dtype=np.int64)
_BEGINS = np.array([lab.startswith("B-") for lab in LABELS])


def is_doc_feature(f: str) -> bool:
    return f.startswith(("dcm=", "dcl=", "dcs="))


def codes(keys: np.ndarray, labels: np.ndarray, sent: np.ndarray, native=None) -> np.ndarray:
    """(tokens, 3) codes into ``CODES`` (0: none) of each token of a document.

    keys: each token's word type as an int (the same word, the same key); labels: the first
    pass's label ids; sent: each token's sentence number (a sequence does not cross sentences);
    native: the compiled decoder (``native.py``), whose ``doc_codes`` gives the same codes."""
    if native is not None:
        return native.doc_codes(keys, labels, sent, _TYPE, _BEGINS.view(np.uint8), _DCM, _DCL, _DCS)
    n = len(keys)
    out = np.zeros((n, 3), dtype=np.int64)
    if n < 2:
        return out
    _, inv, cnt = np.unique(keys, return_inverse=True, return_counts=True)
    rep = np.flatnonzero(cnt[inv] > 1)             # only a word seen twice has other occurrences
    if not len(rep):
        return out
    typ = _TYPE[labels]
    u = len(cnt)
    # (word, type) counts by bincount (np.add.at is ten times slower), less the token itself
    counts = np.bincount(inv * 5 + typ, minlength=u * 5).reshape(u, 5)
    other = counts[inv[rep]]
    other[np.arange(len(rep)), typ[rep]] -= 1
    tot = cnt[inv[rep]] - 1
    named = other[:, 1:]
    best = named.argmax(axis=1)
    top = named[np.arange(len(rep)), best]
    b = np.where(top == tot, 0, np.where(2 * top >= tot, 1, 2))
    out[rep, 0] = np.where(top == 0, _DCM, _DCM + 1 + 3 * best + b)
    if not typ.any():
        return out
    # tokens inside a multi-word name: an I- label, or a B- followed by its I-
    begins = _BEGINS[labels]
    nxt = np.append(labels[1:], 0)
    same = np.append(sent[1:] == sent[:-1], False)
    multi = ((typ > 0) & ~begins) | (begins & (_TYPE[nxt] == typ) & ~_BEGINS[nxt] & same)
    if multi.any():
        m = rep[multi[rep]]
        mc = np.bincount(inv[m] * 5 + typ[m], minlength=u * 5).reshape(u, 5)
        mother = mc[inv[rep]]
        own = multi[rep]
        mother[np.flatnonzero(own), typ[rep][own]] -= 1
        mother = mother[:, 1:]
        mbest = mother.argmax(axis=1)
        out[rep, 1] = np.where(mother[np.arange(len(rep)), mbest] > 0, _DCL + mbest, 0)
        _sequences(inv, cnt, labels, typ, sent, multi, out)
    return out


def _sequences(inv, cnt, labels, typ, sent, multi, out) -> None:
    """``dcs``: where a multi-word name's word sequence occurs, unless the only name it was
    tagged as is that occurrence itself (inv, cnt: each token's word and each word's count)."""
    n = len(inv)
    idx = np.flatnonzero(multi)
    starts = idx[_BEGINS[labels[idx]] | np.append(True, np.diff(idx) != 1)]
    starts = starts[cnt[inv[starts]] > 1]          # a first word seen once begins no other copy
    if not len(starts):
        return
    names: dict[tuple, set] = {}   # (word sequence, type) -> where it was tagged as a name
    for a in starts.tolist():
        b = a + 1
        while b < n and multi[b] and not _BEGINS[labels[b]] and sent[b] == sent[a]:
            b += 1
        if b - a >= 2:
            names.setdefault((tuple(inv[a:b].tolist()), int(typ[a])), set()).add(a)
    if not names:
        return
    order = np.argsort(inv, kind="stable")         # each word's positions, without a scan per name
    first = np.searchsorted(inv[order], np.arange(len(cnt)))
    for (seq, t), at in names.items():
        k = len(seq)
        base = _DCS + 2 * (t - 1)
        w = seq[0]
        for p in order[first[w]:first[w] + cnt[w]].tolist():
            if at == {p} or p + k > n or sent[p + k - 1] != sent[p] or tuple(inv[p:p + k].tolist()) != seq:
                continue
            out[p, 2] = base
            out[p + 1:p + k, 2] = base + 1


def rows(vocab_get) -> np.ndarray | None:
    """Code -> the model's row of that feature (0: none), or None when the model has no
    document features (a first-pass-only model)."""
    r = np.array([vocab_get(f, 0) if f else 0 for f in CODES], dtype=np.int64)
    return r if r.any() else None
