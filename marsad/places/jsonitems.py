"""The members of a file holding one JSON object, read a chunk at a time.

GeoNames' cities500.json is 80 MB of JSON on one line: ``json.load`` holds all of it as Python
objects, some 430 MB, where the gazetteer keeps a few thousand of its 200,000 towns. Read member
by member, only the member being read is held beside the chunk."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator

_WS = "[ \t\n\r]*"
# what comes before a member's key, or the object's end (group 1): "{" before the first member,
# "," before each other one
_BEFORE = {"{": re.compile(rf"{_WS}\{{{_WS}(\}})?{_WS}"), ",": re.compile(rf"{_WS}(?:,|(\}})){_WS}")}
_COLON = re.compile(rf"{_WS}:{_WS}")
_SPACE = re.compile(_WS)
CHUNK = 1 << 20
AHEAD = 1 << 16   # read on when less is left: a member cut by the chunk's end costs an exception
                  # whose message counts the lines of the whole chunk


def json_items(path: Path | str, chunk: int = CHUNK) -> Iterator[tuple[str, Any]]:
    """(key, value) of the file's top-level object, in file order, as ``json.load(f).items()``
    gives them."""
    scan = json.JSONDecoder().scan_once
    with open(path, encoding="utf-8") as f:
        buf, pos, sep, eof, cut = "", 0, "{", False, False
        while True:
            if cut or len(buf) - pos < AHEAD and not eof:
                if cut and eof:
                    raise ValueError(f"{path}: not one complete JSON object")
                data = f.read(chunk)
                eof = not data
                buf, pos = buf[pos:] + data, 0
            try:
                m = _BEFORE[sep].match(buf, pos)
                if m is None:
                    if _SPACE.match(buf, pos).end() == len(buf):
                        raise IndexError        # the rest is in the next chunk (IndexError: read on)
                    raise ValueError(f"{path}: expected {sep!r} at {buf[pos:pos + 20]!r}")
                if m.group(1):                  # the object's end
                    return
                key, i = scan(buf, m.end())     # StopIteration: cut by the chunk's end
                c = _COLON.match(buf, i)
                if c is None:
                    if _SPACE.match(buf, i).end() == len(buf):
                        raise IndexError
                    raise ValueError(f"{path}: expected ':' after the key {key!r}")
                value, i = scan(buf, c.end())
                if _SPACE.match(buf, i).end() == len(buf):
                    raise IndexError            # a value ends before the chunk does (a number could go on)
            except (IndexError, StopIteration, json.JSONDecodeError):
                cut = True
                continue
            cut = False
            yield key, value
            pos, sep = i, ","
