"""Arabic normalisation that keeps a map back to the original characters.

Matching works on the normalised text; everything reported to users points into the
original text. ``normalize`` returns both the normalised string and, for each of its
characters, the index of the original character it came from (plus a final sentinel
equal to ``len(text)``), so a normalised span [a, b) maps back to
[offsets[a], offsets[b - 1] + 1).
"""

from __future__ import annotations

import re
import unicodedata
from array import array

from .native import compiled

# Characters dropped entirely: harakat, tanween, shadda, sukun, dagger alef, Quranic marks,
# tatweel, zero-width and bidi controls.
_DROP = set(range(0x064B, 0x0660)) | {0x0670, 0x0640} | set(range(0x06D6, 0x06EE)) \
    | {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
       0x2066, 0x2067, 0x2068, 0x2069, 0xFEFF, 0x00AD}

_MAP = {
    # alef and hamza forms
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ؤ": "و", "ئ": "ي",
    # alef maqsura and ta marbuta
    "ى": "ي", "ة": "ه",
    # Persian / Urdu letter forms that appear in Arabic web text
    "ک": "ك", "ی": "ي", "ې": "ي", "ۀ": "ه", "ھ": "ه",
    # punctuation
    "،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ",", "۔": ".",
    "“": '"', "”": '"', "«": '"', "»": '"', "„": '"', "‟": '"', "″": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'",
    "–": "-", "—": "-", "―": "-", "‐": "-", "‑": "-", "−": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ", "\t": " ", "\r": " ",
    "…": ".",
}
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)  # Eastern Arabic digits
    _MAP[chr(0x06F0 + _i)] = str(_i)  # Persian digits


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in _DROP:
        table[cp] = ""
    for k, v in _MAP.items():
        table[ord(k)] = v
    return table


_TABLE = _build_table()


def _char(ch: str) -> str:
    out = _TABLE.get(ord(ch))
    if out is not None:
        return out
    if ch.isascii():
        return ch.lower()
    if "\uFB50" <= ch <= "\uFEFC":  # presentation forms: fold to the base letters
        folded = unicodedata.normalize("NFKC", ch)
        return ch if folded == ch else "".join(map(_char, folded))  # e.g. ornate parentheses fold to themselves
    return ch


def _build_fast() -> tuple[dict[int, str], "re.Pattern[str]"]:
    """Every character whose normal form differs from itself, for ``str.translate``.

    ``_char`` changes only the characters of ``_TABLE``, ASCII and the presentation forms, so
    the table covers all of them; the pattern finds the characters whose normal form is not
    one character long (dropped, or folded to several), the only places where the offset map
    is not the identity."""
    fast: dict[int, str] = {}
    odd: list[str] = []
    for cp in [*_TABLE, *range(0x80), *range(0xFB50, 0xFEFD)]:
        ch = chr(cp)
        rep = _char(ch)
        if rep != ch:
            fast[cp] = rep
        if len(rep) != 1:
            odd.append(ch)
    pattern = re.compile("[" + "".join(re.escape(c) for c in sorted(set(odd))) + "]")
    return fast, pattern


_FAST, _ODD = _build_fast()

def _beyond(keys: list[int]) -> "re.Pattern[str]":
    """A character class of the code points ``keys``, as ranges."""
    runs: list[list[int]] = []
    for k in sorted(keys):
        if runs and k == runs[-1][1] + 1:
            runs[-1][1] = k
        else:
            runs.append([k, k])
    return re.compile("[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "")
                                    for a, b in runs) + "]")


# _FAST as a tuple indexed by code point up to its last key below the presentation forms (an int
# maps a character to itself): str.translate looks a tuple up about twice as fast as a dict, and
# leaves a character past its end as it is, as the dict does for one it lacks. A text with one
# of the keys past the tuple (presentation forms, U+FEFF: 2% of news articles) takes the dict.
# (0.4 MB, against 2.3 MB for a tuple reaching them.)
_FAST_TUPLE = tuple(_FAST.get(cp, cp) for cp in range(max(k for k in _FAST if k < 0xFB50) + 1))
_PAST_TUPLE = _beyond([k for k in _FAST if k >= len(_FAST_TUPLE)])


def _doc_tables() -> tuple[array, bytearray, dict[int, str]]:
    """_FAST as the tables of the compiled ``_doc.normalize``, indexed by code point up to the
    last key: its kind (0 its own normal form, 1 dropped, 2 several characters, kept in the dict,
    3 one other BMP character, kept in the array). 0.2 MB, built (zeroed, then the 952 keys set)
    only where it runs."""
    size = max(_FAST) + 1
    to, kind, several = array("H", bytes(2 * size)), bytearray(size), {}
    for cp, rep in _FAST.items():
        if len(rep) == 1 and ord(rep) < 0x10000:
            kind[cp], to[cp] = 3, ord(rep)
        elif not rep:
            kind[cp] = 1
        else:
            kind[cp] = 2
            several[cp] = rep
    return to, kind, several


# the normalised text and its offsets made in C (marsad/text/_doc.pyx), when built: the same pair
_doc = compiled(__package__ + "._doc", 3)
_TABLES = _doc_tables() if _doc is not None else None


def normalize(text: str) -> tuple[str, list[int]]:
    """Return (normalised text, offsets) where offsets[i] is the original index of char i."""
    if _doc is not None:
        return _doc.normalize(text, *_TABLES)
    return normalize_py(text)


def normalize_py(text: str) -> tuple[str, list[int]]:
    """``normalize`` by ``str.translate`` and the characters that change length (the pure path)."""
    norm = text.translate(_FAST if _PAST_TUPLE.search(text) else _FAST_TUPLE)
    odd = _ODD.search(text)
    if odd is None:  # every character kept its length: the map is the identity
        offsets = list(range(len(text) + 1))
        return norm, offsets
    offsets: list[int] = []
    i = 0
    for m in _ODD.finditer(text, odd.start()):
        j = m.start()
        if j > i:
            offsets.extend(range(i, j))
        n = len(_FAST[ord(text[j])])
        if n:
            offsets.extend([j] * n)
        i = j + 1
    offsets.extend(range(i, len(text) + 1))  # the rest and the final sentinel len(text)
    return norm, offsets


def normalize_key(text: str) -> str:
    """The normalised form only: for lexicon entries, search keys and comparisons (by the tuple
    table as normalize() does: the full-text terms and link features normalise every text)."""
    return text.translate(_FAST if _PAST_TUPLE.search(text) else _FAST_TUPLE)


def normalize_text(text: str) -> str:
    """``normalize_key(text)``, in C where the Doc's normalisation is built (``_doc.normalize_text``):
    for long texts, such as the evidence texts the link features read, where ``str.translate``
    looks each character up as a Python object."""
    if _doc is not None:
        return _doc.normalize_text(text, *_TABLES)
    return normalize_key(text)
