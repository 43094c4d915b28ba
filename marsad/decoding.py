"""From bytes to text and JSON records: the one decoding used by `extract`, `ingest` and the web.

- ``decode_text``: a whole file. UTF-8 (with or without BOM) and UTF-16/32 with a byte-order
  mark are decoded; binary data and other encodings are refused with the reason (Windows-1256
  Arabic is recognised and named, with the command that converts it: guessing an 8-bit
  encoding silently could misread a report whose evidence spans users then check).
- ``text_lines``: the lines of a JSONL file, decoded line by line when the file is UTF-8 (so one
  badly encoded line is one failure), as a whole when it is UTF-16/32.
- ``parse_json``: one JSON line; nesting too deep, numbers too long and broken JSON all become
  an ``InputError`` saying which.
"""

from __future__ import annotations

import io
import json
from typing import IO, Any, Iterator

from . import errors
from .errors import InputError
from .lines import control_bytes

# (byte-order mark, codec): UTF-32 first, its little-endian mark starts like UTF-16's
BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
WIDE = ("utf-16", "utf-32")


_BOM_FIRST = frozenset(bom[0] for bom, _ in BOMS)   # the bytes a mark starts with


def bom_encoding(head: bytes) -> str | None:
    """The codec a byte-order mark at the start of ``head`` names, if any (asked of each input
    line: one look-up tells most lines, whose first byte starts no mark)."""
    if head and head[0] not in _BOM_FIRST:
        return None
    return next((enc for bom, enc in BOMS if head.startswith(bom)), None)


def looks_binary(head: bytes) -> bool:
    """Control bytes in the first KB of a file that is not UTF-16/32 (whose Arabic letters are
    0x06 bytes) mean it is not text."""
    if bom_encoding(head) in WIDE:
        return False
    if b"\x00" in head:
        return True
    ctrl = control_bytes(head)   # (in C: once per input line; lines.control_bytes_py translates)
    return bool(head) and ctrl / len(head) > 0.05


def encoding_hint(data: bytes) -> str:
    """What to tell about bytes that are not UTF-8: Windows-1256 Arabic is named as such."""
    try:
        alt = data.decode("cp1256")
    except UnicodeDecodeError:
        return errors.OTHER_ENCODING_HINT
    letters = [c for c in alt if c.isalpha()]
    arabic = sum("\u0600" <= c <= "\u06FF" for c in letters)
    return errors.CP1256_HINT if letters and arabic / len(letters) > 0.5 else errors.OTHER_ENCODING_HINT


def decode_text(data: bytes, what: str = "text", where: str = "position") -> str:
    """The text in ``data``, or an InputError naming the encoding problem."""
    enc = bom_encoding(data)
    if enc:
        try:
            return data.decode(enc)
        except UnicodeDecodeError as e:
            raise InputError(errors.bad_bom(enc.replace("-sig", "").upper(), e)) from None
    if looks_binary(data[:4096]):
        raise InputError(errors.binary(what))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        pos = e.start + (where == "column")   # columns count from 1
        raise InputError(errors.not_utf8(data[e.start], pos, where, encoding_hint(data))) from None


def _peek(f: IO[bytes], n: int = 4096) -> tuple[bytes, IO[bytes]]:
    """The first bytes of a stream without consuming them (stdin cannot seek back)."""
    if hasattr(f, "peek"):
        return f.peek(n)[:n], f
    data = f.read()
    return data[:n], io.BytesIO(data)


def text_lines(f: IO[bytes], what: str = "JSON lines") -> Iterator[str | InputError]:
    """The lines of a binary file or stream as text; a line that cannot be decoded is an
    InputError in its place."""
    head, f = _peek(f)
    enc = bom_encoding(head)
    if enc in WIDE:   # a UTF-16/32 file cannot be split into lines before decoding
        try:
            text = decode_text(f.read(), what)
        except InputError as e:
            yield e
            return
        yield from text.splitlines()
        return
    if looks_binary(head):
        yield InputError(errors.binary(what))
        return
    for n, line in enumerate(f, 1):
        if n == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        try:
            yield decode_text(line, what, where="column")
        except InputError as e:
            yield e


def parse_json(line: str) -> Any:
    """One JSON value; every way a line can be unreadable is an InputError saying which."""
    try:
        return json.loads(line.rstrip("\r\n"))   # an error at the end is then on this line
    except json.JSONDecodeError as e:
        raise InputError(f"not valid JSON: {e.msg} (column {e.colno})") from None
    except RecursionError:
        raise InputError(errors.json_too_deep()) from None
    except ValueError as e:   # int(...) over the digit limit (a JSONDecodeError is a ValueError too)
        raise InputError(errors.number_too_long(e)) from None
