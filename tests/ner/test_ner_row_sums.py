"""The compiled decoder's row sums (four labels at a time with SSE2, the rest one by one) are the
float32 sums numpy makes in the same order, to the bit, for any number of labels: the word types'
summed weights (type_sums), the scores given the neighbours' labels (local_scores) and the
document pass's added rows (doc_scores); the window of emission scores (window, label by label)
too."""

from __future__ import annotations

import numpy as np
import pytest

from marsad.ner import tagger as tagger_mod
from marsad.ner.tagger import Tagger

native = tagger_mod._native
pytestmark = pytest.mark.skipif(native is None, reason="the compiled decoder is not built")

SIZES = [1, 2, 3, 4, 5, 8, 12, 13, 17]


def _kept(trans, start, end):
    return native.Transitions(trans, start, end)


def _floats(rnd, *shape):
    # large and small magnitudes together: float32 sums that round, so a changed order shows
    return (rnd.normal(size=shape) * 10.0 ** rnd.integers(-3, 4, size=shape)).astype(np.float32)


def _runs(rnd, count):
    """count runs (sentences, word types' rows) of 1-8 items: their lengths, starts and total."""
    lengths = rnd.integers(1, 9, size=count).astype(np.int64)
    return lengths, np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64), int(lengths.sum())


@pytest.mark.parametrize("L", SIZES)
@pytest.mark.parametrize("slot0", ["rows", "none"])
def test_type_sums_add_each_feature_row_in_order(L, slot0):
    # slot0 "none": slot 0 has no rows, as in the shipped tables (type_sums then skips its ids)
    rnd = np.random.default_rng(L)
    weights = _floats(rnd, 40, L)
    slots = rnd.integers(0, 40, size=(30, 5)).astype(np.int64)
    slots[rnd.random(slots.shape) < 0.3] = 0    # no weight at that position
    slots[0] = 0 if slot0 == "none" else rnd.integers(1, 40, size=5)
    counts, starts, n = _runs(rnd, 25)
    ids = rnd.integers(0, 30, size=n).astype(np.int64)
    out = np.full((3 + len(counts), 5, L), 7.0, dtype=np.float32)
    native.type_sums(ids, starts, slots, weights, out, 3)
    want = np.zeros((len(counts), 5, L), dtype=np.float32)
    for k, (a, c) in enumerate(zip(starts, counts)):
        for f in ids[a:a + c]:
            for p in range(5):
                if slots[f, p]:
                    want[k, p] += weights[slots[f, p]]
    assert np.array_equal(out[3:], want) and (out[:3] == 7.0).all()


@pytest.mark.parametrize("L", SIZES)
def test_type_sums_into_rows_of_more_positions(L):
    # out's rows of six positions (not the five that type_sums zeroes as one block): each of the
    # five zeroed alone, the sixth left as it was
    rnd = np.random.default_rng(100 + L)
    weights = _floats(rnd, 40, L)
    slots = rnd.integers(0, 40, size=(30, 5)).astype(np.int64)
    counts, starts, n = _runs(rnd, 25)
    ids = rnd.integers(0, 30, size=n).astype(np.int64)
    wide = np.full((len(counts), 6, L), 7.0, dtype=np.float32)
    packed = np.full((len(counts), 5, L), 7.0, dtype=np.float32)
    native.type_sums(ids, starts, slots, weights, wide, 0)
    native.type_sums(ids, starts, slots, weights, packed, 0)
    assert np.array_equal(wide[:, :5], packed) and (wide[:, 5] == 7.0).all()


@pytest.mark.parametrize("L", SIZES)
def test_type_sums_into_rows_of_more_lanes_than_labels(L):
    # out's positions wider than the weights' rows: each position's first L lanes summed (the
    # five positions' adds step by out's own position stride), the others left as they were
    rnd = np.random.default_rng(300 + L)
    weights = _floats(rnd, 40, L)
    slots = rnd.integers(0, 40, size=(30, 5)).astype(np.int64)
    slots[rnd.random(slots.shape) < 0.3] = 0
    counts, starts, n = _runs(rnd, 25)
    ids = rnd.integers(0, 30, size=n).astype(np.int64)
    lanes = np.full((len(counts), 5, L + 3), 7.0, dtype=np.float32)
    packed = np.full((len(counts), 5, L), 7.0, dtype=np.float32)
    native.type_sums(ids, starts, slots, weights, lanes, 0)
    native.type_sums(ids, starts, slots, weights, packed, 0)
    assert np.array_equal(lanes[:, :, :L], packed) and (lanes[:, :, L:] == 7.0).all()


@pytest.mark.parametrize("L", SIZES)
def test_window_sums_each_tokens_neighbours_in_order(L):
    rnd = np.random.default_rng(100 + L)
    em = _floats(rnd, 20, 5, L)
    ids = rnd.integers(2, 20, size=60).astype(np.int64)
    sent = np.sort(rnd.integers(0, 12, size=60)).astype(np.int64)
    want = Tagger._window(ids, sent, em, 0, 1)   # the numpy path
    assert np.array_equal(native.window(ids, sent, em, 0, 1), want)


def test_window_of_no_tokens_or_no_labels():
    # the edges the rows' pointers are not read at: no tokens, and rows of no labels
    rnd = np.random.default_rng(7)
    em = _floats(rnd, 20, 5, 9)
    ids = rnd.integers(2, 20, size=6).astype(np.int64)
    sent = np.zeros(6, dtype=np.int64)
    assert native.window(ids[:0], sent[:0], em, 0, 1).shape == (0, 9)
    none = native.window(ids, sent, np.zeros((20, 5, 0), dtype=np.float32), 0, 1)
    assert none.shape == (6, 0)


@pytest.mark.parametrize("L", SIZES)
def test_local_scores_add_the_transitions_in_order(L):
    rnd = np.random.default_rng(200 + L)
    lengths, starts, n = _runs(rnd, 15)
    em, trans = _floats(rnd, n, L), _floats(rnd, L, L)
    start, end = _floats(rnd, L), _floats(rnd, L)
    labels = rnd.integers(0, L, size=n).astype(np.int64)
    first, last = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    first[starts], last[starts + lengths - 1] = True, True
    # Tagger.local_scores' numpy path, with the arrays given here
    want = (em + np.where(first[:, None], start, trans[np.roll(labels, 1)])
            + np.where(last[:, None], end, trans[:, np.roll(labels, -1)].T))
    assert np.array_equal(native.local_scores(em, labels, starts, lengths, _kept(trans, start, end)), want)


@pytest.mark.parametrize("L", SIZES)
def test_doc_scores_add_the_three_code_rows_in_order(L):
    rnd = np.random.default_rng(300 + L)
    lengths, starts, n = _runs(rnd, 10)
    em, weights = _floats(rnd, n, L), _floats(rnd, 30, L)
    weights[0] = 0
    rows = rnd.integers(0, 30, size=12).astype(np.int64)
    rows[0] = 0
    codes = rnd.integers(0, 12, size=(n, 3)).astype(np.int64)
    codes[rnd.random(n) < 0.5] = 0      # tokens with no code
    got, runs = native.doc_scores(em, codes, rows, weights, starts, lengths)
    hit = np.flatnonzero(rows[codes].any(axis=1))
    want = em.copy()
    want[hit] += weights[rows[codes[hit]]].sum(axis=1)     # Tagger.second_pass's numpy path
    assert np.array_equal(got, want)
    assert runs.tolist() == [bool(rows[codes[a:a + k]].any()) for a, k in zip(starts, lengths)]
