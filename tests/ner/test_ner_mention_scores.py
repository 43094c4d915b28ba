"""A mention's score (Tagger._scores): the mean over its tokens of the probability of each token's
label, rounded to four places; the per-mention loops in C (_decode.mention_logits, mean_scores)
give the Python twins' arrays and floats to the bit, and round as Python's ``round(x, 4)`` does;
the mentions made in C from label ids (_decode.id_mentions) and their gazetteer marks
(_decode.gazetteer_marks) are the Python ones."""

from __future__ import annotations

import numpy as np
import pytest

from marsad.ner import tagger as tagger_mod
from marsad.ner.mention import Mention

native = tagger_mod._native
needs_native = pytest.mark.skipif(native is None, reason="the compiled decoder is not built")


def _mentions(rnd, n):
    out, k = [], 0
    for _ in range(n):
        k += int(rnd.integers(0, 3))
        size = int(rnd.integers(1, 5))
        out.append(Mention(str(rnd.choice(["LOC", "PER", "ORG", "MISC"])), k, k + size - 1, 0.0))
        k += size
    return out


def test_the_score_is_the_rounded_mean_of_its_tokens_probabilities():
    ms = [Mention("PER", 0, 1, 0.0), Mention("LOC", 3, 3, 0.0)]
    local = np.array([[2.0, 0.0], [0.0, 2.0], [5.0, 5.0], [1.0, 3.0]], dtype=np.float32)
    z, lab = tagger_mod._mention_logits(ms, {"PER": 2.0}, local, np.array([0, 1, 0, 1]))
    # PER's rows over its temperature 2, LOC's over 1, each less its max
    assert z.dtype == np.float32 and z.tolist() == [[0.0, -1.0], [-1.0, 0.0], [-2.0, 0.0]]
    assert lab.tolist() == [0, 1, 1]
    p = np.array([[0.9, 0.1], [0.4, 0.6], [0.876551, 0.123449]], dtype=np.float32)
    tagger_mod._mean_scores(ms, p, lab, np.ones(3, dtype=np.float32))
    assert [m.score for m in ms] == [0.75, 0.1234]


@needs_native
def test_compiled_round_is_pythons():
    rnd = np.random.default_rng(3)
    xs = rnd.random(20_000).tolist() + rnd.random(5_000).astype(np.float32).astype(float).tolist()
    ties = [k / 10_000 + 0.00005 for k in range(0, 10_000, 7)]   # the doubles nearest the ties
    xs += ties + [float(np.nextafter(x, 2.0)) for x in ties] + [float(np.nextafter(x, -1.0)) for x in ties]
    xs += [0.0, -0.0, 1.0, 0.5, 0.00005, 0.99995, 1e-300, -0.25, 8191.99995, 8192.0, 1e30, float("inf")]
    for x in map(float, xs):   # Python's round, not numpy's (np.float64 rounds x * 10**4)
        got, want = native.round4(x), round(x, 4)
        assert got == want and np.copysign(1, got) == np.copysign(1, want), x
    assert np.isnan(native.round4(float("nan")))


@needs_native
def test_compiled_logits_and_means_equal_the_python_ones():
    rnd = np.random.default_rng(5)
    temps = {"LOC": 1.3, "PER": 0.7, "ORG": 1.0000001}
    for n in (0, 1, 7, 300):
        for L in (1, 3, 12):
            ms = _mentions(rnd, n)
            size = (ms[-1].last + 2) if ms else 2
            local = rnd.normal(scale=4, size=(size, L)).astype(np.float32)
            local[::5] = np.round(local[::5])    # ties for the max, and zeros of both signs
            local[1::7] = -0.0
            labels = rnd.integers(0, L, size=size).astype(np.int64)
            a = tagger_mod._mention_logits(ms, temps, local, labels)
            b = native.mention_logits(ms, temps, local, labels)
            assert a[0].dtype == b[0].dtype == np.float32 and a[1].dtype == b[1].dtype
            assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
            p = np.exp(a[0])
            total = p.sum(axis=1)
            ms2 = [Mention(m.type, m.first, m.last, 0.0) for m in ms]
            tagger_mod._mean_scores(ms, p, a[1], total)
            native.mean_scores(ms2, p, b[1], total)
            assert [m.score for m in ms] == [m.score for m in ms2]


def _label_runs(rnd, n):
    """Label ids of n tokens: runs of O and of names, B- and I- of one type or mixed."""
    from marsad.ner.perceptron import LABELS
    return rnd.choice(np.arange(len(LABELS), dtype=np.int64), size=n,
                      p=np.array([6.0] + [1.0] * (len(LABELS) - 1)) / (len(LABELS) + 5))


@needs_native
def test_compiled_mentions_from_label_ids_equal_the_python_ones():
    from dataclasses import astuple

    rnd = np.random.default_rng(11)
    for n in (0, 1, 2, 50, 2000):
        labels = _label_runs(rnd, n)
        want = tagger_mod.id_mentions(labels)
        got = tagger_mod.id_mentions(labels, native)
        assert [astuple(m) for m in got] == [astuple(m) for m in want]
        assert all(type(m) is Mention for m in got)
        if n >= 50:
            assert len(got) > 5
        # the fields are set and can be set again, as Mention's own __init__ leaves them
        for m in got[:3]:
            m.score = 0.5
            assert m == Mention(m.type, m.first, m.last, 0.5)
    # a class without the slots is called, as the Python twin calls Mention
    made = native.id_mentions(_label_runs(rnd, 300), tagger_mod._LABEL_TYPE, lambda *a: a)
    assert made and all(isinstance(x, tuple) and len(x) == 4 and x[3] == 0.0 for x in made)


@needs_native
def test_compiled_gazetteer_marks_equal_the_python_ones(monkeypatch):
    rnd = np.random.default_rng(9)
    for n in (0, 1, 40, 300):
        ms = _mentions(rnd, n)
        size = (ms[-1].last + 2) if ms else 3
        flags = rnd.choice(np.array([0, 0, 0, 2, 3, 1, 4], dtype=np.uint8), size=size)
        ms2 = [Mention(m.type, m.first, m.last, 0.0) for m in ms]
        with monkeypatch.context() as m:   # the Python twin (which asks the compiled one where built)
            m.setattr(tagger_mod, "_native", None)
            tagger_mod._gazetteer_marks(ms, flags)
        tagger_mod._gazetteer_marks(ms2, flags)
        got = [(m.gazetteer, m.in_gazetteer) for m in ms2]
        assert [(m.gazetteer, m.in_gazetteer) for m in ms] == got
        if n >= 40:
            assert any(g for g, _ in got) and any(i for _, i in got)
