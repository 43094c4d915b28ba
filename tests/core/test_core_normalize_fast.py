"""The translate-based ``normalize`` gives exactly what the character-by-character one gave.

``_reference`` is the original implementation (kept here as the specification): same
normalised text and same offset map on every code point and on mixed texts."""

from __future__ import annotations

import random

from marsad.text.normalize import _char, normalize, normalize_key


def _reference(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        rep = _char(ch)
        if not rep:
            continue
        out.append(rep)
        offsets.extend([i] * len(rep))
    offsets.append(len(text))
    return "".join(out), offsets


def _every_code_point() -> str:
    return "".join(chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF)


def test_every_code_point_normalises_as_the_reference():
    text = _every_code_point()
    assert normalize(text) == _reference(text)
    for ch in text[:0x10000]:
        assert normalize_key(ch) == _char(ch), hex(ord(ch))


def test_texts_with_dropped_and_expanded_characters():
    samples = [
        "",
        "قُتِلَ ثلاثةُ مدنيينَ",
        "ﷲ أكبر ﻻ ﻹ",  # ligatures that fold to several letters
        "\u200fقصف\u200e \u0640\u0640جوي",
        "ـــ",
        "مقتل ١٢ شخصاً في «حلب»، Syria…",
        "ABC\tdef\r\n",
        "ًٌٍَُِّْ",
    ]
    alphabet = "".join(chr(c) for c in range(0x0600, 0x0700)) + "\u200f\ufefb\ufdf2 ABCz\t«»" \
        + "".join(chr(c) for c in range(0xFB50, 0xFB70))
    rnd = random.Random(7)
    samples += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 300))) for _ in range(300)]
    for s in samples:
        assert normalize(s) == _reference(s), s


def test_offsets_map_back_to_the_original():
    text = "قُتِلَ ﷲ ثلاثةٌ"
    norm, offsets = normalize(text)
    assert norm == "قتل الله ثلاثه"
    assert len(offsets) == len(norm) + 1 and offsets[-1] == len(text)
    assert text[offsets[norm.index("ثلاثه")]] == "ث"


def test_every_code_point_the_tuple_table_takes_normalises_as_the_reference():
    """A text without the characters past the tuple table (presentation forms, U+FEFF) is
    translated with it (``_FAST_TUPLE``): every other code point, those past the table's end
    among them, as the reference."""
    from marsad.text.normalize import _FAST, _FAST_TUPLE, _PAST_TUPLE

    past = [chr(k) for k in _FAST if k >= len(_FAST_TUPLE)]
    assert all(_PAST_TUPLE.fullmatch(ch) for ch in past) and "\uFEFF" in past
    text = "".join(ch for ch in _every_code_point() if not _PAST_TUPLE.match(ch))
    assert _PAST_TUPLE.search(text) is None and len(text) > 1_000_000
    assert normalize(text) == _reference(text)
    rnd = random.Random(16)
    for _ in range(200):
        s = "".join(rnd.choice(text[:0x3100]) for _ in range(rnd.randint(0, 200)))
        assert normalize(s) == _reference(s)


def test_normalize_key_by_its_tuple_table_is_the_map():
    """normalize_key (by the tuple table, for the full-text terms and the link features) gives
    the map's string for any text: Arabic with diacritics, tatweel and
    presentation forms, Latin, digits, every kind of space, a BOM, characters past the table."""
    import random
    import sys

    from marsad.text import normalize_key
    from marsad.text.normalize import _FAST
    rnd = random.Random(3)
    chars = ([chr(c) for c in _FAST] + [chr(c) for c in range(0x600, 0x700)]
             + [chr(c) for c in range(0xFB50, 0xFF00, 7)] + list("abcXYZ019 \t\n\u00a0\u200c\u2009\ufeff")
             + [chr(rnd.randrange(sys.maxunicode)) for _ in range(300)])
    chars = [c for c in chars if not 0xD800 <= ord(c) <= 0xDFFF]
    texts = ["", "قَصَفَ الطيرانُ بلدةَ كفرنبل", "ﻻ ﷲ", "\ufeffحلب"] + [
        "".join(rnd.choices(chars, k=rnd.randint(1, 80))) for _ in range(400)]
    texts += ["".join(c for c in t if ord(c) < 0xFB50) for t in texts]   # the tuple's own range
    for t in texts:
        assert normalize_key(t) == t.translate(_FAST), t
