"""The event detector's compiled sums over feature ids (events/_fast.pyx) are the floats of the
pure path's feature dict summed by ``Model.judge``, on the candidates of real reports; the pure
path is chosen without the extension or with MARSAD_PURE=1 (the end-to-end comparison of the two
paths' output is tests/core/test_core_native.py's)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from marsad.components.events import candidates, native
from marsad.components.events.features import _stem, incident_features, own_features
from marsad.components.events.model import _sigmoid, default_model

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "marsad" / "demo" / "reports.jsonl"
SEED = ROOT.parent / "shared" / "examples" / "khalidiya_homs.txt"

needs_fast = pytest.mark.skipif(native._fast is None, reason="events/_fast.pyx is not built (or MARSAD_PURE)")


def _reports():
    for line in DEMO.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        yield rec["text"], date.fromisoformat(rec["published"]) if rec.get("published") else None
    if SEED.exists():
        yield SEED.read_text(encoding="utf-8"), date(2015, 8, 10)


@needs_fast
def test_id_sums_are_the_dict_sums():
    from marsad.pipeline import Pipeline

    mdl = default_model()
    if mdl is None:
        pytest.skip("no shipped event detector")
    fast = native.fast_for(mdl)
    assert fast is not None and native.fast_for(mdl) is fast   # one table per model
    checked = []
    real = candidates.incident_sums

    def both(doc, ctx, ev, g, info, fast):
        got = real(doc, ctx, ev, g, info, fast)
        feats = incident_features(doc, ctx, ev, g, info)
        # the dict path: the same detector probability and typing sums, bit for bit
        p, sums = mdl.judge(feats)
        assert (_sigmoid(got[0]), got[1]) == (p, sums)
        # the candidate's own keys and the shared (id) keys never meet: a key set twice in the
        # dict would keep its first place with its last value, which the ids do not model
        own = own_features(doc, ctx, ev, g, info)
        assert list(feats)[:len(own)] == list(own)
        assert not any(k.startswith(("cw:", "p:", "pre:", "suf:", "pos:", "c:", "cf:", "c-1:", "c+1:"))
                       for k in own)
        checked.append(len(feats))
        return got

    candidates.incident_sums = both
    try:
        nlp = Pipeline()
        for text, published in _reports():
            nlp(text, published, {})
    finally:
        candidates.incident_sums = real
    assert len(checked) > 10  # 16 candidates in the bundled reports alone (no ../shared)


@needs_fast
def test_unknown_and_repeated_keys():
    import numpy as np

    from marsad.components.events._fast import Table
    from marsad.text import _core

    mdl = default_model()
    if mdl is None:
        pytest.skip("no shipped event detector")
    names, index, terms = mdl._terms
    t = Table(mdl.weights, index, mdl._det, terms)
    known_typed = next(iter(index))
    known_untyped = next(k for k in mdl.weights if k not in index and k != "bias")
    keys = [known_typed, "no such key", known_untyped, "no such key 2", known_typed]
    ids = t.ids_of(keys)
    assert ids[1] == ids[3] == 0 and ids[0] == ids[4] != 0 and ids[2] not in (0, ids[0])
    base = {"margin": -0.3, "t:Battles": 1.0, "nothing": 1.0}
    # the dict the pure path would hold: base, then the keys once each in their first place
    f = dict(base, **dict.fromkeys(keys, 1.0))
    bias = mdl.weights.get("bias", 0.0)
    assert t.sums(base, bias, (ids[:3], ids[3:])) == _core.detector_sums(mdl.weights, index, mdl._det, terms, f, bias)
    assert t.sums({}, bias, ()) == (bias, np.asarray(terms[0]).tolist())


def test_pure_flag_selects_the_dict_path():
    code = "from marsad.components.events import native; print(native._fast is None)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "MARSAD_PURE": "1"}).stdout.split()
    assert out == ["True"]
    assert native.fast_for(None) is None


@needs_fast
def test_compiled_helpers_equal_their_python_twins():
    from marsad.doc import Span

    class _SubSpan(Span):
        __slots__ = ()

    import random

    from marsad.components.events import _fast, context, gapped, places
    from marsad.components.events.context import Ctx
    from marsad.doc import Doc
    from marsad.pipeline import Pipeline

    assert places.holds_any is _fast.holds_any and context._by_sent is _fast.by_sent
    rnd = random.Random(5)
    pieces = ["شمال", "غرب", "مسؤول", "قادم", "من", " ", "ال", "و", "حمص", "x", ""]
    for _ in range(2000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8)))
        words = tuple(rnd.sample(pieces, rnd.randint(0, 4)))
        assert _fast.holds_any(text, words) == places._holds_any_py(text, words)
        assert _fast.holds_any(text, list(words)) == places._holds_any_py(text, words)
    nlp = Pipeline()
    names = [n for n, _ in nlp.steps]
    before = nlp.steps[:names.index("events")]
    auto = gapped._words()
    for text, published in _reports():
        doc = Doc(text, published, {})
        for _, step in before:
            step(doc)
        for name in ("triggers", "cues", "actors", "places", "dates", "casualties"):
            got, want = _fast.by_sent(doc.layer(name)), context._by_sent_py(doc.layer(name))
            assert type(got) is type(want) and got == want and list(got) == list(want)
            assert got[10 ** 6] == [] and got.default_factory is list
            # a Span's sentence is read from its slot, another class's by name: mixed alike
            mixed = [s if i % 2 else _SubSpan(s.start, s.end, s.label, s.text, s.sent, s.data)
                     for i, s in enumerate(doc.layer(name))]
            assert _fast.by_sent(mixed) == context._by_sent_py(mixed)
        if auto is not None:
            assert _fast.occurrences(doc.norm, auto) == gapped._occurrences_py(doc.norm, auto)
        ctx = Ctx(doc)
        for name in ("actors", "places", "dates", "casualties", "weapons"):
            for s in doc.layer(name):
                assert ctx.nstart(s) == Ctx.nstart(ctx, s) and ctx.nend(s) == Ctx.nend(ctx, s)
                bare = type(s)(s.start, s.end, s.label, s.text, s.sent, {})   # no n0/n1: by offsets
                assert ctx.nstart(bare) == Ctx.nstart(ctx, bare) and ctx.nend(bare) == Ctx.nend(ctx, bare)
            # an incident's stretch: the compiled filter and the Python method, spans with and
            # without their normalised offsets, bounds inside and outside the text
            spans = doc.layer(name) + [type(s)(s.start, s.end, s.label, s.text, s.sent, {})
                                       for s in doc.layer(name)]
            for _ in range(30):
                lo = rnd.randint(-5, len(doc.norm) + 5)
                hi = rnd.choice((lo, lo + rnd.randint(0, 400), len(doc.norm) + 10))
                want = [x for x in spans if lo <= Ctx.nstart(ctx, x) < hi]
                got = ctx.within(spans, lo, hi)
                assert got == want and all(a is b for a, b in zip(got, want))
                assert Ctx.within(ctx, spans, lo, hi) == want


@needs_fast
def test_offsets_bisected_as_the_bisect_module_does():
    """_fast.nstart / nend / within bisect a list of offsets in C (_offsets.pxd) and any other
    sequence by the bisect module: the index bisect_left gives, repeated offsets and offsets
    past either end included."""
    import bisect
    import random

    from marsad.components.events import _fast
    from marsad.doc import Span

    rnd = random.Random(7)
    for _ in range(300):
        offsets = sorted(rnd.randint(0, 60) for _ in range(rnd.randint(0, 40)))
        for seq in (offsets, tuple(offsets)):
            for x in range(-2, 64):
                s = Span(x, x + rnd.randint(0, 3), "", "", 0, {})
                assert _fast.nstart(seq, s) == bisect.bisect_left(offsets, s.start)
                assert _fast.nend(seq, s) == bisect.bisect_left(offsets, s.end)
            spans = [Span(x, x, "", "", 0, {}) for x in range(-2, 64)]
            lo, hi = rnd.randint(-1, 40), rnd.randint(0, 60)
            assert _fast.within(seq, spans, lo, hi) == [s for s in spans if lo <= bisect.bisect_left(offsets, s.start) < hi]


@needs_fast
def test_dot_and_sigmoid_equal_their_python_twins_bit_for_bit():
    """The argument models' sums and every logistic of the step: the same floats (and the int 0
    of an empty sum), non-float weights and values included, and the clamp at +-30 and NaN."""
    import random

    from marsad.components.events import _fast, linear, model, roles, tolls

    assert linear.dot is _fast.dot and linear.sigmoid is _fast.sigmoid is model._sigmoid
    assert roles.dot is tolls.dot is _fast.dot
    rnd = random.Random(11)
    names = ["f%d" % i for i in range(30)]
    for _ in range(3000):
        w = {k: rnd.choice((rnd.uniform(-3, 3), rnd.uniform(-3, 3), 2, -0.0))
             for k in rnd.sample(names, rnd.randint(0, 30))}
        f = {k: rnd.choice((1.0, 1.0, rnd.uniform(-1, 1), True, 3, -0.0))
             for k in rnd.sample(names, rnd.randint(0, 30))}
        want, got = linear._dot_py(w, f), _fast.dot(w, f)
        assert repr(got) == repr(want) and type(got) is type(want)
    for z in [0, 3, -0.0, 30.0, 30.5, -30.0, -31.0, 1e300, -1e300, float("nan"), float("inf"), -float("inf")] + \
            [rnd.uniform(-40, 40) for _ in range(20000)]:
        assert repr(_fast.sigmoid(z)) == repr(linear._sigmoid_py(z))


@needs_fast
def test_strength_and_is_victim_equal_their_python_twins():
    """Every combination of the fields the two read, and the values the layers hold."""
    from itertools import product

    from marsad.components.events import _fast, actors, rules
    from marsad.doc import Span

    assert rules.strength is _fast.strength and actors.is_victim is _fast.is_victim
    n = 0
    for st, pos, title, prefix, kind in product((None, 0, 1, 2, 3), (None, "n", "v", "vi", "vn"), (None, False, True),
                                                (None, "", "ال", "وال", "و"), ("kill", "shell", "attack", "vac", "ied")):
        data = {k: v for k, v in (("strength", st), ("pos", pos), ("title", title), ("prefix", prefix))
                if v is not None}
        data["kind"] = kind
        t = Span(0, 1, "", "", 0, data)
        want, got = rules._strength_py(t), _fast.strength(t)
        assert got == want and type(got) is type(want)
        n += want == 1 and st not in (None, 1)
    assert n > 10   # the two cases that lower a strength were met
    for inter, kind in product((None, 1, 2, 6, 7, 8, "6"), (None, "civilians", "protesters", "state", "rioters")):
        x = Span(0, 1, "", "", 0, {k: v for k, v in (("inter", inter), ("kind", kind)) if v is not None})
        assert _fast.is_victim(x) is actors._is_victim_py(x)


@needs_fast
def test_strength_outside_its_typed_paths_equals_the_python_twin():
    """The compiled test reads a str pos and a str prefix in C: str subclasses, a pos of two
    letters that is not "vi", strengths that are no int, falsy titles of other types and a Span
    subclass (its data read by name) get the twin's answer and type."""
    from itertools import product

    from marsad.components.events import _fast, rules
    from marsad.doc import Span

    class S(str):
        pass

    class Sub(Span):
        pass

    n = 0
    for st, pos, title, prefix, kind, cls in product(
            (None, 0, 2, 2.0, 2.5, True, -1), ("vi", "iv", "v", S("vi"), S("v")), (None, 0, "", 1, "x"),
            (None, "ال", "بال", "لا", S("وال"), S("و")), ("kill", "vac", "ied"), (Span, Sub)):
        data = {k: v for k, v in (("strength", st), ("pos", pos), ("title", title), ("prefix", prefix))
                if v is not None}
        data["kind"] = kind
        t = cls(0, 1, "", "", 0, data)
        want, got = rules._strength_py(t), _fast.strength(t)
        assert got == want and type(got) is type(want)
        n += want == 1 and st not in (None, 1, True)
    assert n > 100
    with pytest.raises(KeyError):   # a definite strong noun's kind is read, as the twin reads it
        _fast.strength(Span(0, 1, "", "", 0, {"strength": 2, "prefix": "ال"}))


@needs_fast
def test_trigger_and_cue_spans_equal_the_python_loop():
    from marsad.components.events import candidates
    from marsad.components.events.kinds import trigger_matcher
    from marsad.doc import Doc
    from marsad.lexicon import matcher
    from marsad.pipeline import Pipeline

    nlp = Pipeline()
    names = [n for n, _ in nlp.steps]
    before = nlp.steps[:names.index("events")]
    n = 0
    for text, published in _reports():
        doc = Doc(text, published, {})
        for _, step in before:
            step(doc)
        for m, layer in ((trigger_matcher(), "triggers"), (matcher("cues.tsv"), "cues")):
            doc.layers.pop(layer, None)
            candidates._match(doc, m.hits(doc.norm), layer)
            got = doc.layers.get(layer, [])
            want = []
            hits = candidates.longest_hits(m.hits(doc.norm))
            seen = {}
            for x in hits:
                k = (x[0], x[1])
                if k not in seen or len(x[4]["_pat"]) > len(seen[k][4]["_pat"]):
                    seen[k] = x
            doc.sentence_of(0)
            candidates._place_hits_py(seen.values(), want, doc._sent_ends, max(0, len(doc.sentences) - 1),
                                      doc.offsets, doc.text, {}, layer == "triggers")
            assert got == want and [list(s.data) for s in got] == [list(s.data) for s in want]
            n += len(got)
    assert n > 30  # 43 spans in the bundled reports alone (no ../shared)


@needs_fast
def test_fast_fields_read_in_place_are_what_getattr_gives():
    """_cand reads a Fast's slots in place: the very objects getattr gives; a subclass that serves a
    field by a property is asked by name; a field not set raises AttributeError as by name."""
    cand = native.candidate_path()
    mdl = default_model()
    if cand is None or mdl is None:
        pytest.skip("no compiled candidate path or no shipped event detector")
    fast = native.Fast(mdl)
    got = cand.fast_fields(fast)
    assert set(got) == set(native.Fast.__slots__) and all(got[n] is getattr(fast, n) for n in got)

    class Served(native.Fast):
        __slots__ = ()
        table = property(lambda self: "served")

    sub = Served.__new__(Served)
    for n in native.Fast.__slots__:
        native.Fast.__dict__[n].__set__(sub, getattr(fast, n))
    got = cand.fast_fields(sub)
    assert got["table"] == "served" and all(got[n] is getattr(fast, n) for n in got if n != "table")
    with pytest.raises(AttributeError):
        cand.fast_fields(native.Fast.__new__(native.Fast))


@needs_fast
def test_region_ids_are_the_stretch_keys_once_each():
    import random

    mdl = default_model()
    if mdl is None:
        pytest.skip("no shipped event detector")
    fast = native.Fast(mdl)
    twin = native._WordIds(fast.table, _stem)   # (the ids the dict of region_ids' miss path holds)
    rnd = random.Random(3)
    vocab = ["القوات", "والقوات", "بالقوات", "قصف", "حمص", "xyz", "مقتل", "ومقتل", "لا", "و"]
    for _ in range(500):
        norms = [rnd.choice(vocab) for _ in range(rnd.randint(0, 30))]
        lo, hi = rnd.randint(0, 32), rnd.randint(0, 34)
        want = tuple(dict.fromkeys(map(twin.__getitem__, norms[lo:hi])))
        assert fast.table.region_ids(fast.words, norms, lo, hi) == want
    assert fast.words == twin


@needs_fast
def test_clause_word_key_is_the_python_sum():
    """region_ids' miss path makes "cw:" + word[lp:] in one string: the same text and the same
    kind of string (ASCII, Latin-1, two or four bytes a letter) as the slice then the sum, for
    words whose letters past the proclitic are narrower or wider than the ones before it."""
    import random

    rnd = random.Random(11)
    alphabet = ["a", "Z", "é", "ÿ", "ب", "و", "ة", "\u200c", "😀", "𝒜", " ", "0"]
    words = ["", "و", "وx", "وé", "x😀ب", "بال", "والقوات", "😀abc"]
    words += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 9))) for _ in range(3000)]
    for w in words:
        for lp in range(len(w) + 1):
            want, got = "cw:" + w[lp:], native._fast.cw_key(w, lp)
            assert got == want and hash(got) == hash(want), (w, lp)
            # (a string's kind: the bytes it takes a letter, as sys.getsizeof shows)
            assert sys.getsizeof(got) == sys.getsizeof(want) and got.isascii() == want.isascii(), (w, lp)


@needs_fast
def test_region_ids_miss_path_makes_the_python_ids():
    """A stretch word met for the first time gets its id in region_ids itself (the stem in C): the
    id native._WordIds makes with features._stem, word by word, the dict emptied past the same bound."""
    import random

    from marsad.text.tokens import _BY_FIRST, PROCLITICS

    mdl = default_model()
    if mdl is None:
        pytest.skip("no shipped event detector")
    fast = native.Fast(mdl)
    assert type(fast.words) is dict   # the miss path is on
    known = [k[3:] for k in mdl.weights if k.startswith("cw:")][:200]
    assert known   # the detector has clause words
    rnd = random.Random(5)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوية"
    words = ["", "x", "و", "ال", "لل", "وال", "والم", "وبالعاصمة", "فلسطين", "بالقصف", "كالكلب"]
    for _ in range(3000):
        stem = rnd.choice(known) if rnd.random() < 0.5 else "".join(rnd.choice(letters) for _ in range(rnd.randint(0, 6)))
        words.append(rnd.choice(("",) + PROCLITICS) + stem)
    def table():
        return native._fast.Table(mdl.weights, mdl._terms[1], mdl._det, mdl._terms[2])

    # word by word against the twin, each over a fresh table (ids made in the same order)
    a, b = table(), table()
    assert a.set_stems(_BY_FIRST, 10**6)
    for w in words:
        assert a.word_id(w) == b.id_of("cw:" + _stem(w)), w
    # region_ids' misses: the same dict as the twin's, through a small bound (emptied on the way)
    c, d = table(), table()
    assert c.set_stems(_BY_FIRST, 50)
    mine, twin = {}, native._WordIds(d, _stem)
    old, native._MAX_WORDS = native._MAX_WORDS, 50
    try:
        cleared = 0
        for i in range(0, len(words), 7):
            norms = words[i:i + 9]
            n0 = len(mine)
            got = c.region_ids(mine, norms, 0, len(norms))
            cleared += len(mine) < n0
            assert got == tuple(dict.fromkeys(map(twin.__getitem__, norms)))
            assert mine == twin
        assert cleared > 3
    finally:
        native._MAX_WORDS = old
    assert any(x != 0 for x in mine.values())   # known stems got their ids
    # a proclitics table it cannot mirror: the miss path stays off
    assert not table().set_stems({"وب": ("وب",)}, 10)
