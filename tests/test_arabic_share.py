"""marsad.extract.arabic_share (counted in C when built, else a numpy table of the code points)
against the regular expressions it replaced (arabic_share_re) and the numpy table
(arabic_share_np): the same float on any text."""

from __future__ import annotations

import random

import pytest

from marsad.extract import MIN_ARABIC_SHARE, arabic_share, arabic_share_np, arabic_share_re
from marsad.lines import fast

# letters, digits, marks and signs of several scripts, Arabic presentation forms, numerals that
# are not digits (superscripts, Roman), the edges of the Arabic ranges, underscore, surrogates
_CHARS = ("قصف حلب ١٢٣ 123 abc ABC éü Ωω дж 中文 ـ ًٌٍ ٰ ﻻ ﷲ ﹽ ² ½ Ⅻ _ \n\t.,؛؟ "
          "\u0600\u06ff\u0750\u077f\ufb50\ufeff\u05d0\u0900\ud800\udc00")


def test_the_same_share_as_the_regular_expressions():
    rng = random.Random(16)
    texts = ["", " ", "123", "abc", "قصف", "قصفت قوات abc ١٢", "\U0001F600 قصف x", "𝐀𝐁 حلب"]
    for _ in range(3000):
        n = rng.randrange(0, 40)
        text = "".join(rng.choice(_CHARS) for _ in range(n))
        if rng.random() < 0.05:
            text += rng.choice(["\U0001F600", "𝐀", "\U00010900"])
        texts.append(text)
    for text in texts:
        assert arabic_share(text) == arabic_share_re(text) == arabic_share_np(text), repr(text)


@pytest.mark.skipif(fast is None, reason="the compiled driver module (marsad/_lines.pyx) is not built")
def test_the_compiled_counts_over_every_code_point():
    """Each code point alone and beside an Arabic letter: the letters str.isalpha counts, the
    Arabic ones those of the three ranges."""
    ranges = ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFEFF))
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000 and cp % 64:   # surrogates: a sample
            continue
        ch = chr(cp)
        letter = ch.isalpha()
        arabic = letter and any(lo <= cp <= hi for lo, hi in ranges)
        assert fast.arabic_counts(ch) == (int(letter), int(arabic)), hex(cp)
        assert fast.arabic_counts("ق" + ch + "x") == (2 + letter, 1 + arabic), hex(cp)


def test_share_of_a_mixed_text():
    text = "قصف abcd"   # 3 Arabic letters of 7
    assert arabic_share(text) == 3 / 7
    assert arabic_share("abc ١٢٣ 123") == 0.0 < MIN_ARABIC_SHARE   # Arabic digits are no letters
    assert arabic_share("") == 0.0


@pytest.mark.skipif(fast is None, reason="the compiled driver module (marsad/_lines.pyx) is not built")
def test_the_compiled_surrogate_test_is_the_encoders():
    """errors.has_surrogates (whether UTF-8 can encode the str) and the compiled scan agree on
    every code point alone, in a 1-, 2- and 4-byte string, at its start, middle and end."""
    from marsad import errors

    assert fast.has_surrogates("") is errors.has_surrogates("") is False
    for cp in range(0x110000):
        ch = chr(cp)
        for text in (ch, "a" + ch, "قصف" + ch + "ب", ch + "\U0001F600", "é" * 3 + ch):
            assert fast.has_surrogates(text) == errors.has_surrogates(text), (hex(cp), text)
    long_text = "قصف " * 5000
    assert not fast.has_surrogates(long_text)
    assert fast.has_surrogates(long_text + "\udfff") and fast.has_surrogates("\ud800" + long_text)


def test_a_record_with_a_surrogate_is_refused_by_its_field():
    from marsad.extract import RecordError, validate

    with pytest.raises(RecordError, match="^text is"):
        validate({"id": "a", "text": "قصف حلب \ud83d"})
    with pytest.raises(RecordError, match="^title is"):
        validate({"id": "a", "text": "قصف حلب", "title": "x\udc00"})
    assert validate({"id": "a", "text": "قصف حلب \U0001F600"})[1] == "قصف حلب \U0001F600"
