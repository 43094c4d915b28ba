"""Marsad's errors and the messages users see.

``MarsadError`` is the base of every error Marsad raises on purpose. Two kinds matter to users:

- ``InputError``: one input record (a file, a JSON line, a CSV row, a posted report) that cannot
  be coded. It never stops a batch: the record gets its reason (an ``error`` in `extract`'s
  output line, a row in `marsad status --failures`, a 400 from ``POST /api/ingest``).
- ``SetupError``: Marsad itself is mis-assembled (an unknown pipeline step, a module that cannot
  be imported, a step whose inputs no earlier step makes). It stops at once, saying what exists.

The message texts live here, so the reasons users read are worded in one place.
"""

from __future__ import annotations

import difflib
import sys


class MarsadError(Exception):
    """Base of the errors Marsad raises on purpose; the message is what the user reads."""


class InputError(MarsadError, ValueError):
    """A record that cannot be coded, with the reason shown to the user."""

    record_id: str | None = None   # the record's id, when it could still be read


class SetupError(MarsadError):
    """Marsad is mis-assembled (pipeline, command modules); raised when it is built."""


# -- messages about one input record ---------------------------------------------------------

def not_utf8(byte: int, position: int, where: str = "position", hint: str = "") -> str:
    return f"not UTF-8 text (invalid byte 0x{byte:02x} at {where} {position}){hint}"


CP1256_HINT = "; it looks like Windows-1256 Arabic: convert it with iconv -f CP1256 -t UTF-8"
OTHER_ENCODING_HINT = "; if it is in another encoding, convert it: iconv -f ENCODING -t UTF-8"


def bad_bom(encoding: str, e: UnicodeDecodeError) -> str:
    return (f"starts with a {encoding} byte-order mark but is not valid {encoding} "
            f"({e.reason} at byte {e.start})")


def binary(what: str = "text") -> str:
    return f"binary file, not {what}"


def json_too_deep() -> str:
    return f"JSON nested too deep (more than about {sys.getrecursionlimit():,} levels)"


def number_too_long(e: ValueError) -> str:
    # Python refuses to convert integers of more than sys.get_int_max_str_digits() digits
    limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300
    return f"JSON has a number too long to read (more than {limit:,} digits)"


def invalid_unicode(value: str) -> str:
    """A string with lone surrogates (from a JSON escape such as \\ud800), which no file can hold."""
    i = next(i for i, c in enumerate(value) if "\ud800" <= c <= "\udfff")
    return (f"not valid Unicode (a lone surrogate \\u{ord(value[i]):04x} at character {i}, "
            f"from a broken JSON escape)")


def has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def printable(value: object) -> object:
    """A value safe to write as UTF-8 (lone surrogates shown as \\udXXX escapes)."""
    if isinstance(value, str) and has_surrogates(value):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


# -- messages about Marsad's own assembly ----------------------------------------------------

def unknown_name(kind: str, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"no {kind} named {name!r}{hint}; the {kind}s are: {', '.join(known)}"
