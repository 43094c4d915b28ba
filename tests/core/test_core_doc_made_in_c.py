"""What a Doc is made of, made in C (marsad/text/_doc.pyx), against the Python path: the
normalised text with its offsets, and the tokens."""

import importlib
import random
import sys

import pytest

from marsad.text import split_sentences
from marsad.text import tokens as t

nz = importlib.import_module("marsad.text.normalize")  # the module (the package exports its function)
needs_doc = pytest.mark.skipif(t._doc is None, reason="marsad/text/_doc.pyx is not built (or MARSAD_PURE)")


@needs_doc
def test_normalize_made_in_c_is_the_python_one():
    # every code point of the BMP, lone surrogates too, and one past it
    every = "".join(chr(c) for c in range(0x10000)) + "\U0001F600"
    assert nz.normalize(every) == nz.normalize_py(every)
    rnd = random.Random(1)
    # the mapping's keys (dropped marks, ligatures that fold to several letters, the ﷺ ligature's
    # 18), characters past the tables, plain letters
    pool = [chr(c) for c in [*nz._FAST, 0x1F600, 0x10FFFF, 0x41, 0x627, 0xFDFA, 0xFEFF, 0xFB50, 0xFEFC, 0xD800]]
    texts = ["", "قصف", "\u0640", "abc\ufeff", "ﻻ", "حَلَب"]
    texts += ["".join(rnd.choice(pool) for _ in range(rnd.randint(0, 30))) for _ in range(5000)]
    for text in texts:
        norm, offsets = nz.normalize(text)
        assert (norm, offsets) == nz.normalize_py(text), repr(text)
        assert len(offsets) == len(norm) + 1 and offsets[-1] == len(text)
    # the narrowest form, as str.translate makes it: an ASCII result is an ASCII string
    assert nz.normalize("\ufeffAbc")[0] == "abc" and nz.normalize("\ufeffAbc")[0].isascii()


@needs_doc
def test_word_characters_are_those_of_the_regular_expression():
    # every code point: \w is str.isalnum() or "_" in both
    chars = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    whole = [(0, len(chars))]
    assert t.tokenize(chars, whole) == t.tokenize_py(chars, whole)


@needs_doc
def test_normalize_refuses_tables_of_two_lengths():
    # the C loop reads both tables under one bound: a short one would be read past its end
    to, kind, several = nz._doc_tables()
    with pytest.raises(ValueError, match="tables of"):
        t._doc.normalize("قصف", to, kind[:10], several)


@needs_doc
def test_tokens_made_in_c_are_those_of_the_python_path():
    rnd = random.Random(11)
    pieces = ["قصف", " ", " ", ".", "\n", "الطيران", "2015", "_", "#حلب", "«", "a", "é", "؟", "x1"]
    for _ in range(500):
        norm, _ = nz.normalize("".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 60))))
        sents = split_sentences(norm)
        got, want = t.tokenize(norm, sents), t.tokenize_py(norm, sents)
        assert got == want
        assert all(type(x) is t.Token for x in got)
        # each word in its narrowest storage, as a slice makes it (a 2-byte word is copied)
        assert [sys.getsizeof(x.norm) for x in got] == [sys.getsizeof(x.norm) for x in want]
    with pytest.raises(TypeError):
        t._doc.slots_of(type("NotAToken", (), {}))


@needs_doc
def test_long_texts_past_the_shared_ints_are_made_as_in_python():
    # the offsets and the tokens' ints come from a table of shared ints (16,384 of them): texts
    # shorter and longer than it, with dropped marks and ligatures moving the offsets across its end
    rnd = random.Random(5)
    pieces = ["قصف", "حَلَب", " ", "ﻻ", ".", "\n", "ـ", "2015", "«", "x"]
    for n in (10, 16_383, 16_384, 16_385, 40_000, 100):
        text = ""
        while len(text) < n:
            text += rnd.choice(pieces)
        norm, offsets = nz.normalize(text)
        assert (norm, offsets) == nz.normalize_py(text)
        assert all(type(o) is int for o in offsets)
        sents = split_sentences(norm)
        got = t.tokenize(norm, sents)
        assert got == t.tokenize_py(norm, sents)
        assert all(type(x.start) is int and type(x.end) is int and type(x.i) is int for x in got)


@needs_doc
def test_one_byte_texts_normalised_as_in_python():
    # texts of Latin-1 only (their own storage width): upper case, tab, return, no-break space,
    # the soft hyphen dropped, across the shared ints' end too
    rnd = random.Random(3)
    pieces = ["Abc", "\t", "\r", "\xa0", "\xad", "é", "1", ".", " ", "\xff"]
    for n in (0, 1, 50, 16_390):
        text = ""
        while len(text) < n:
            text += rnd.choice(pieces)
        assert nz.normalize(text) == nz.normalize_py(text)
        assert nz.normalize_text(text) == nz.normalize_key(text)


@needs_doc
def test_tokenize_refuses_fields_that_are_not_object_slots():
    with pytest.raises(TypeError, match="writable object slots"):
        t._doc.tokenize("قصف", [(0, 3)], t.Token, (property(),) * 5)


@pytest.mark.skipif(t.core is None, reason="marsad/text/_core.pyx is not built (or MARSAD_PURE)")
def test_sentences_split_in_c_are_those_of_the_python_path():
    # the run of marks, a digit before it, closers after it, what follows (space, end, an Arabic
    # letter, another letter), initials after one-letter words, line breaks; 1-, 2- and 4-byte text
    rnd = random.Random(7)
    pieces = [".", "..", "!", "?", ";", "?!", '"', "'", ")", "]", " ", "  ", "\n", "\n\n", "\u3000",
              "3", "٣", "قصف", "ف", "ا", "ب", "x", "ab", "é", "\U0001F600", ",", "ـ", "ﻻ"]
    for _ in range(4000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 25)))
        assert t.split_sentences(text) == t.split_sentences_py(text), repr(text)


@needs_doc
def test_tokens_made_in_c_are_not_tracked_by_the_cyclic_collector():
    # a token holds ints and a str: untracked as made (no reference cycle can go through it), and
    # what it holds is freed with it; a token class with a __dict__ (a cycle could) stays tracked
    import gc
    import weakref

    norm, _ = nz.normalize("قصف الطيران مدينة حلب. قتل 3 مدنيين")
    sents = split_sentences(norm)
    got = t.tokenize(norm, sents)
    assert got == t.tokenize_py(norm, sents) and len(got) == 7
    assert not any(gc.is_tracked(x) for x in got)
    with_dict = type("WithDict", (t.Token,), {})
    kept = t._doc.tokenize(norm, sents, with_dict, t._TOKEN_SLOTS)
    assert [x.norm for x in kept] == [x.norm for x in got] and all(gc.is_tracked(x) for x in kept)

    class Word(str):
        pass

    w = Word("x")
    gone = weakref.ref(w)
    got[0].norm = w
    del w, got
    assert gone() is None
