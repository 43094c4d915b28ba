"""The regular expressions a process compiles at start-up, kept compiled between processes.

Python's ``re`` compiles a pattern in Python code (its parser and compiler): the 160 patterns an
extracting process compiles at start-up (the modules' own, the date, trigger and gapped-rule
patterns built from the language data) were 250 M instructions, 14% of a start-up once the
tagger's tables were cached (2026-12-07 twelfth session: su121). ``record``, after a pipeline is
built (``tune.warm_process``), writes each pattern's compiled code (the arguments ``re`` passes
to ``_sre.compile``) into the cache folder; ``seed``, when ``marsad`` is imported, puts them back
into ``re``'s own cache of compiled patterns, where ``re.compile`` finds them.

The code of a pattern depends only on its text, its flags and the Python that compiled it: the
file is keyed by the Python version and the regular-expression engine's magic number, a pattern
by its text and flags. A pattern the file lacks is compiled as ever (and recorded by the next
``record``), one it holds that no module asks for any more costs nothing but its load. Only
where ``re``'s internals are those this was written against (CPython 3.11), each recorded
pattern checked equal to ``re``'s own compiled one; anywhere else both do nothing."""

from __future__ import annotations

import os
import pickle
import re
import sys

try:
    import _sre
except ImportError:   # another Python: nothing kept
    _sre = None

_SEEDED: dict = {}   # key of re's cache -> the arguments ``seed`` compiled it from


def _supported() -> bool:
    return (_sre is not None and sys.implementation.name == "cpython" and sys.version_info[:2] == (3, 11)
            and isinstance(getattr(re, "_cache", None), dict) and hasattr(re, "_compiler"))


def path():
    """The file in the cache folder (``tablecache.cache_dir``), named for this Python's engine."""
    import zlib
    from .tablecache import cache_dir
    key = zlib.crc32(f"{sys.version};{_sre.MAGIC};{_sre.CODESIZE}".encode())
    return cache_dir() / f"regex-{key:08x}.pkl"


def seed() -> int:
    """Put the recorded patterns into ``re``'s cache; how many."""
    if not _supported() or os.environ.get("MARSAD_REGEX_CACHE") == "0":
        return 0
    try:
        with open(path(), "rb") as f:
            entries = pickle.load(f)
    except Exception:   # none yet, torn or foreign: compiled as ever
        return 0
    cache = re._cache
    room = getattr(re, "_MAXCACHE", 512) - len(cache) - 64   # room left for the run's own
    for key, args in entries[:max(room, 0)]:
        if key not in cache:   # (one compiled already, by the interpreter's start, is the same)
            cache[key] = _sre.compile(*args)
        _SEEDED[key] = args
    return len(_SEEDED)


def _arguments(pattern, flags: int) -> tuple:
    """What ``re._compiler.compile`` passes to ``_sre.compile`` for the pattern (its code)."""
    p = re._parser.parse(pattern, flags)
    code = re._compiler._code(p, flags)
    groupindex = p.state.groupdict
    indexgroup = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    # (the opcodes are named int constants that refuse pickling: plain ints, the same code)
    return (pattern, int(flags | p.state.flags), list(map(int, code)), p.state.groups - 1, dict(groupindex),
            tuple(indexgroup))


LIMIT = 256   # patterns written at most (re's cache holds 512): the first compiled, the start-up's


def record(new_since: frozenset | None = None) -> int:
    """Write the patterns in ``re``'s cache now (a process's start-up ones, after its pipeline is
    built) when there is no file to seed from (the first process; ``scripts/setup`` removes the
    file before building a pipeline, so that a changed pattern is recorded again); how many.
    Each is checked equal to the compiled pattern it stands for. A process that seeded writes
    nothing: its other patterns (a test's, a command's) would crowd the start-up's out; unless
    ``new_since`` (``tune.warm_process``: the keys of ``re``'s cache before it built the
    pipeline): then the patterns the build compiled that the file lacks (code changed since the
    file was written, without ``scripts/setup``) are written first, the file's own after them,
    so that the next process does not compile them again. Only the build's: a pattern a test
    compiled before would be new in every process, and the file written again each time."""
    if not _supported() or os.environ.get("MARSAD_REGEX_CACHE") == "0":
        return 0
    cache = re._cache
    keys = [k for k in list(cache) if not k[2] & re.DEBUG]
    if _SEEDED:
        if new_since is None:
            return 0
        new = [k for k in keys if k not in _SEEDED and k not in new_since]
        if not new:
            return 0
        keys = new + [k for k in _SEEDED if k in cache]
    keys = keys[:LIMIT]
    if not keys:
        return 0
    from .text import firstchars
    entries = []
    for key in keys:
        if key in _SEEDED:   # checked when it was first written
            entries.append((key, _SEEDED[key]))
            continue
        try:
            if key[0] == firstchars._KEY:    # a pattern with its search's filter (text/firstchars.py)
                args = firstchars.arguments(key[1], key[2])
            else:
                args = _arguments(key[1], key[2])
            if args is None or _sre.compile(*args) != cache[key]:
                continue
        except Exception:
            continue
        entries.append((key, args))
    if _SEEDED and all(k in _SEEDED for k, _ in entries):   # nothing new that can be kept
        return 0
    target = path()
    try:
        import tempfile
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".regex-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(entries, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)   # a reader sees the old file or the new one whole
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:   # a read-only folder: compiled as ever next time
        return 0
    _SEEDED.update(entries)
    return len(entries)


def forget() -> None:
    """Remove the file and what it seeded (``scripts/setup``, before it builds a pipeline that
    records it again: only that pipeline's patterns)."""
    for key in _SEEDED:
        re._cache.pop(key, None)
    _SEEDED.clear()
    if _supported():
        try:
            path().unlink()
        except OSError:
            pass
