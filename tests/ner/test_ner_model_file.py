"""The perceptron model file: what is saved is what is loaded (training writes it, the tagger and
`marsad ner info` read it)."""

from __future__ import annotations

import numpy as np
import pytest

from marsad.ner.perceptron import LABELS, Model


def test_a_saved_model_loads_with_the_same_features_and_weights(tmp_path):
    n = len(LABELS)
    vocab = {"": 0, "w=حلب": 1, "-1w=حلب": 2, "unused": 3, "lp=«": 4}
    w = np.zeros((5, n), dtype=np.float32)
    w[1, 1], w[2, 3], w[4, 5] = 1.5, -0.25, 2.0     # row 3 is all zero: not saved
    m = Model(vocab, w, np.zeros((n, n)), np.zeros(n), np.zeros(n))
    m.save(tmp_path / "m.npz")
    got = Model.load(tmp_path / "m.npz")
    assert list(got.items()) == [("w=حلب", 1), ("-1w=حلب", 2), ("lp=«", 3), ("", 0)]
    assert got.vocab == {"w=حلب": 1, "-1w=حلب": 2, "lp=«": 3, "": 0}
    assert got.rows(["lp=«", "w=حلب", "nope"]) == [3, 1]
    assert got.weights[got.vocab["lp=«"], 5] == 2.0 and got.weights[got.vocab["-1w=حلب"], 3] == -0.25
    assert len(got.weights) == 4


def test_a_model_without_features_loads(tmp_path):
    n = len(LABELS)
    empty = Model({"": 0}, np.zeros((1, n), dtype=np.float32), np.zeros((n, n)), np.zeros(n), np.zeros(n))
    empty.save(tmp_path / "e.npz")
    got = Model.load(tmp_path / "e.npz")
    assert got.vocab == {"": 0} and got.weights.shape == (1, n)


def test_dropped_names_are_read_again_from_the_file(tmp_path):
    """The tagger frees a loaded model's feature names (memory); ``items``/``vocab`` read them
    again from the file, and refuse a file that changed since."""
    n = len(LABELS)
    vocab = {"": 0, "w=حلب": 1, "lp=«": 2}
    w = np.ones((3, n), dtype=np.float32)
    Model(vocab, w, np.zeros((n, n)), np.zeros(n), np.zeros(n)).save(tmp_path / "m.npz")
    got = Model.load(tmp_path / "m.npz")
    want = list(got.items())
    got.drop_names()
    assert got._names == b"" and list(got.items()) == want
    Model({"": 0, "w=x": 1}, w[:2], np.zeros((n, n)), np.zeros(n), np.zeros(n)).save(tmp_path / "m.npz")
    with pytest.raises(RuntimeError):
        got.vocab
    kept = Model(vocab, w, np.zeros((n, n)), np.zeros(n), np.zeros(n))  # not from a file: nothing dropped
    kept.drop_names()
    assert kept.vocab == vocab
