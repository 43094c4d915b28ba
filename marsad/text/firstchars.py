"""A compiled pattern whose search skips, in C, the positions where no match can start.

``re`` gives a pattern's search such a filter (a character set in the code's INFO block) only
where the pattern opens with a literal or a character class. The date families open with a
lookbehind (``(?<![\\w])``, a word start) and optional groups, so their search called the matcher
at every position of a window (``sre_ucs2_match`` 72 M over news100, 28% of the dates step:
2026-12-07 thirteenth session, sp134). ``first_chars`` computes, from the parsed pattern, the set
of characters every non-empty match starts with and compiles the same code with that set in its
INFO block: the matcher runs where it ran, less the positions whose character is outside the
set, where it could not match. The matches are the same, as long as the pattern cannot match
the empty string (then the pattern is returned as it is, and so wherever ``re``'s internals are
not CPython 3.11's, or the set cannot be computed).
"""

from __future__ import annotations

import re
import sys

try:
    import _sre
    from re import _compiler, _constants as C, _parser
except ImportError:   # another Python: patterns as they are
    _sre = None


def _supported() -> bool:
    return _sre is not None and sys.implementation.name == "cpython" and sys.version_info[:2] == (3, 11)


class _Unknown(Exception):
    """An item whose first characters are not computed here."""


def _first(items) -> tuple[list, bool]:
    """The first characters of a sequence of parsed items (as IN set items) and whether the
    sequence can match the empty string."""
    out: list = []
    for op, av in items:
        if op is C.LITERAL:
            out.append((C.LITERAL, av))
            return out, False
        if op is C.IN:
            if any(o is C.NEGATE for o, _ in av):
                raise _Unknown(op)
            out.extend(av)
            return out, False
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):       # zero width: the next item starts
            continue
        if op is C.SUBPATTERN:
            group, add, dele, sub = av
            if add or dele:
                raise _Unknown(op)
            got, empty = _first(sub.data)
        elif op is C.BRANCH:
            got, empty = [], False
            for alt in av[1]:
                g, e = _first(alt.data)
                got.extend(g)
                empty = empty or e
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, hi, sub = av
            got, empty = _first(sub.data)
            empty = empty or lo == 0
        else:
            raise _Unknown(op)
        out.extend(got)
        if not empty:
            return out, False
    return out, True


_KEY = "first_chars"   # re's cache holds the compiled pattern under (_KEY, text, flags): regexcache keeps it


def arguments(pattern: str, flags: int) -> tuple | None:
    """What ``_sre.compile`` takes for the pattern with its first characters as the search's
    filter (``re``'s own code with that INFO block); None where that cannot be."""
    try:
        p = _parser.parse(pattern, flags)
        charset, empty = _first(p.data)
        if empty or not charset:
            return None
        flags = int(p.state.flags | flags)
        lo, hi = p.getwidth()
        charset, hascased = _compiler._optimize_charset(charset)
        code = [C.INFO, 0, C.SRE_INFO_CHARSET, min(lo, _compiler.MAXCODE), min(hi, _compiler.MAXCODE)]
        _compiler._compile_charset(charset, flags, code)
        code[1] = len(code) - 1
        _compiler._compile(code, p.data, flags)
        code.append(C.SUCCESS)
        indexgroup = [None] * p.state.groups
        for k, i in p.state.groupdict.items():
            indexgroup[i] = k
        # (plain ints: the opcodes are named constants that refuse pickling)
        return (pattern, flags, list(map(int, code)), p.state.groups - 1, dict(p.state.groupdict),
                tuple(indexgroup))
    except (_Unknown, RecursionError, TypeError, ValueError, AttributeError):
        return None


def first_chars(rx: re.Pattern) -> re.Pattern:
    """``rx`` compiled with the set of its matches' first characters as its search filter (the
    same matches from ``search``, ``finditer``, ``match``); ``rx`` itself where that cannot be.
    Parsing and compiling the date patterns again cost 75 M instructions: the result is kept in
    ``re``'s cache, which ``marsad.regexcache`` keeps between processes."""
    if not _supported() or rx.flags & (re.IGNORECASE | re.LOCALE | re.DEBUG) or not isinstance(rx.pattern, str):
        return rx
    key = (_KEY, rx.pattern, rx.flags)
    got = re._cache.get(key)
    if got is None:
        args = arguments(rx.pattern, rx.flags)
        got = _sre.compile(*args) if args is not None else rx
        re._cache[key] = got
    return got
