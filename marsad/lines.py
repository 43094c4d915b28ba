"""The extract driver's per-record work, in C when built (``_lines.pyx``): an output line's JSON
text, a record's letter counts for its Arabic share and its surrogate test, and the control bytes
of an input line's head (``decoding.looks_binary``).

``dumps`` is ``json.dumps(obj, ensure_ascii=False)`` (``dumps_line`` the same text and a newline as
UTF-8 bytes): ``marsad extract`` writes one such line
per report, and the standard library's encoder was about 5% of coding a report (a
30,000-character line is some 500,000 small strings listed and joined); the compiled writer makes
the same characters in one buffer. ``MARSAD_PURE=1`` or no compiler: ``json.dumps`` itself and
``extract.arabic_share``'s numpy table and ``errors.has_surrogates``, the twins the tests compare
them with.
"""

from __future__ import annotations

import json

from . import errors
from .text.native import compiled

API = 4   # the _lines.pyx this Python code goes with (its API constant)

fast = compiled("marsad._lines", API)


def dumps_py(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def dumps_line_py(obj) -> bytes:
    return (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")


dumps = fast.dumps if fast is not None else dumps_py
# the line ``marsad extract --output`` writes: its UTF-8 bytes and a newline, written as bytes by
# the compiled writer (no str made and then encoded)
dumps_line = fast.dumps_line if fast is not None else dumps_line_py
# whether a str holds a surrogate (UTF-8 cannot write it): a scan of its 2- or 4-byte code points,
# where ``errors.has_surrogates`` encodes the whole text (a report's 8 KB of UTF-8, made and freed)
has_surrogates = fast.has_surrogates if fast is not None else errors.has_surrogates

# the bytes that make a file look binary (below 0x20, not tab, newline, vertical tab, form feed,
# return) and their count in a head of bytes (``decoding.looks_binary``, once per input line):
# counted eight bytes at a time when built, where the translation copies the head less them
CONTROL = bytes(b for b in range(256) if b < 9 or 13 < b < 32)


def control_bytes_py(head: bytes) -> int:
    return len(head) - len(head.translate(None, CONTROL))


control_bytes = fast.control_bytes if fast is not None else control_bytes_py
