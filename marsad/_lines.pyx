# cython: language_level=3, boundscheck=False, wraparound=False
"""The extract driver's per-record work in C: a record's Arabic share (``arabic_counts``) and its
output line's JSON text (``dumps``: ``json.dumps(obj, ensure_ascii=False)``'s very characters).

``arabic_counts`` counts the letters (``str.isalpha`` of each code point: ``Py_UNICODE_ISALPHA``)
and those of them in the Arabic blocks, as ``extract.arabic_share``'s numpy table and
``arabic_share_re``'s regular expressions count them (about 1 M instructions a report there, a
fancy index and a bincount over its UTF-16 units).

The standard library's C encoder makes a small string for each key, value and separator, keeps
them in a list and joins them (and copies each string once more to escape it): about 3.5 M
instructions for a 30,000-character line of ``marsad extract``, some 5% of coding a report.
Here the characters are written into one buffer. What it writes is what ``json.dumps`` writes:
", " and ": " between items, keys and strings escaped as ``json``'s ``py_encode_basestring``
escapes them (only '"', '\\' and the control characters below 0x20; \\b \\f \\n \\r \\t by
their letters, the others as \\u00xx with lowercase hex digits), ints as ``int.__repr__``,
floats as ``float.__repr__`` (NaN and the infinities as NaN, Infinity, -Infinity), True, False
and None as true, false and null, in each dict's own order. Only exact dicts with str keys,
lists, tuples, str, int, float, bool and None are written here; anything else (a subclass,
another key type, nesting deeper than ``MAX_DEPTH``, which a circular reference reaches) makes
``dumps`` hand the whole object to ``json.dumps``, which answers (or raises) as always.
"""

# What the Python side expects of this module (``marsad/lines.py``)
API = 1

import json as _json

from libc.stdlib cimport free, malloc, realloc
from libc.math cimport isfinite, isnan
from cpython.dict cimport PyDict_Next
from cpython.ref cimport PyObject

from marsad.text._unicode cimport (Py_UCS1, Py_UCS2, PyUnicode_1BYTE_KIND, PyUnicode_2BYTE_KIND,
    PyUnicode_4BYTE_KIND, PyUnicode_DATA, PyUnicode_FromKindAndData, PyUnicode_GET_LENGTH, PyUnicode_KIND,
    PyUnicode_READ)

cdef extern from "Python.h":
    long long PyLong_AsLongLongAndOverflow(object o, int *overflow) except? -1
    double PyFloat_AS_DOUBLE(object o)
    int Py_UNICODE_ISALPHA(Py_UCS4 ch)

MAX_DEPTH = 64
DEF DEPTH = 64

cdef object _dumps = _json.dumps


class Unhandled(Exception):
    """What the C writer does not write itself: ``json.dumps`` answers for the whole object."""


cdef struct Buf:
    Py_UCS4 *p
    Py_ssize_t n
    Py_ssize_t cap


cdef inline int _room(Buf *b, Py_ssize_t more) except -1:
    if b.n + more <= b.cap:
        return 0
    return _grow(b, more)


cdef int _grow(Buf *b, Py_ssize_t more) except -1:
    cdef Py_ssize_t cap
    cdef Py_UCS4 *p
    cap = b.cap * 2
    while cap < b.n + more:
        cap *= 2
    p = <Py_UCS4 *>realloc(b.p, cap * sizeof(Py_UCS4))
    if p == NULL:
        raise MemoryError()
    b.p = p
    b.cap = cap
    return 0


cdef inline int _ascii(Buf *b, const char *s, Py_ssize_t n) except -1:
    cdef Py_ssize_t i
    _room(b, n)
    for i in range(n):
        b.p[b.n + i] = <Py_UCS4>s[i]
    b.n += n
    return 0


cdef const char *HEX = b"0123456789abcdef"


cdef Py_UCS4 *_escape(Py_UCS4 c, Py_UCS4 *o) noexcept:
    """c escaped at o (a quote, a backslash or a control character); the position after it."""
    o[0] = u'\\'
    if c == 34 or c == 92:     # " and \
        o[1] = c
        return o + 2
    if c == 10:
        o[1] = u'n'
    elif c == 9:
        o[1] = u't'
    elif c == 13:
        o[1] = u'r'
    elif c == 8:
        o[1] = u'b'
    elif c == 12:
        o[1] = u'f'
    else:
        o[1] = u'u'
        o[2] = u'0'
        o[3] = u'0'
        o[4] = HEX[(<unsigned int>c >> 4) & 0xf]
        o[5] = HEX[<unsigned int>c & 0xf]
        return o + 6
    return o + 2


ctypedef fused _width:
    Py_UCS1
    Py_UCS2
    Py_UCS4


cdef inline Py_UCS4 *_escaped(const _width *d, Py_ssize_t n, Py_UCS4 *o) noexcept:
    """d's n characters into o, escaped (one loop per storage width, made by Cython from this one)."""
    cdef Py_ssize_t i
    cdef Py_UCS4 c
    for i in range(n):
        c = d[i]
        if c >= 0x20 and c != 34 and c != 92:
            o[0] = c
            o += 1
        else:
            o = _escape(c, o)
    return o


cdef int _string(Buf *b, str s) except -1:
    """s between quotes, escaped as json's py_encode_basestring escapes it: '"', '\\' and the
    characters below 0x20 (a loop per storage width of s: no switch per character)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(s)
    cdef int kind = PyUnicode_KIND(s)
    cdef const void *data = PyUnicode_DATA(s)
    cdef Py_UCS4 *o
    _room(b, 6 * n + 2)   # at most six characters for one (\u00xx)
    o = b.p + b.n
    o[0] = u'"'
    o += 1
    if kind == PyUnicode_1BYTE_KIND:
        o = _escaped(<const Py_UCS1 *>data, n, o)
    elif kind == PyUnicode_2BYTE_KIND:
        o = _escaped(<const Py_UCS2 *>data, n, o)
    else:
        o = _escaped(<const Py_UCS4 *>data, n, o)
    o[0] = u'"'
    o += 1
    b.n = o - b.p
    return 0


cdef int _text(Buf *b, str s) except -1:
    """s as it is (a number's repr)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(s), i
    cdef int kind = PyUnicode_KIND(s)
    cdef const void *data = PyUnicode_DATA(s)
    _room(b, n)
    for i in range(n):
        b.p[b.n + i] = PyUnicode_READ(kind, data, i)
    b.n += n
    return 0


cdef int _int(Buf *b, object x) except -1:
    cdef int overflow = 0
    cdef long long v = PyLong_AsLongLongAndOverflow(x, &overflow)
    cdef unsigned long long u
    cdef char digits[24]
    cdef int k = 24
    if overflow:
        return _text(b, int.__repr__(x))
    if v < 0:
        u = <unsigned long long>(-(v + 1)) + 1
    else:
        u = <unsigned long long>v
    while True:
        k -= 1
        digits[k] = <char>(48 + u % 10)
        u //= 10
        if u == 0:
            break
    if v < 0:
        k -= 1
        digits[k] = b'-'
    return _ascii(b, digits + k, 24 - k)


cdef int _float(Buf *b, object x) except -1:
    cdef double v = PyFloat_AS_DOUBLE(x)
    if isfinite(v):
        return _text(b, float.__repr__(x))
    if isnan(v):
        return _ascii(b, b"NaN", 3)
    if v > 0:
        return _ascii(b, b"Infinity", 8)
    return _ascii(b, b"-Infinity", 9)


cdef int _value(Buf *b, object x, int depth) except -1:
    cdef type t = type(x)
    cdef Py_ssize_t pos = 0, i, n
    cdef PyObject *k
    cdef PyObject *v
    cdef bint first
    if t is str:
        return _string(b, <str>x)
    if x is None:
        return _ascii(b, b"null", 4)
    if x is True:
        return _ascii(b, b"true", 4)
    if x is False:
        return _ascii(b, b"false", 5)
    if t is int:
        return _int(b, x)
    if t is float:
        return _float(b, x)
    if depth >= DEPTH:
        raise Unhandled("nested too deep")
    if t is dict:
        if not <dict>x:
            return _ascii(b, b"{}", 2)
        _ascii(b, b"{", 1)
        first = True
        while PyDict_Next(x, &pos, &k, &v):
            if type(<object>k) is not str:
                raise Unhandled("a key that is not a str")
            if not first:
                _ascii(b, b", ", 2)
            first = False
            _string(b, <str><object>k)
            _ascii(b, b": ", 2)
            _value(b, <object>v, depth + 1)
        return _ascii(b, b"}", 1)
    if t is list or t is tuple:
        n = len(x)
        if n == 0:
            return _ascii(b, b"[]", 2)
        _ascii(b, b"[", 1)
        for i in range(n):
            if i:
                _ascii(b, b", ", 2)
            _value(b, x[i], depth + 1)
        return _ascii(b, b"]", 1)
    raise Unhandled(t.__name__)


def dumps(obj):
    """``json.dumps(obj, ensure_ascii=False)``: the same string."""
    cdef Buf b
    b.n = 0
    b.cap = 16384   # characters: most lines fit (news100: 30 KB of UTF-8 a line on average)
    b.p = <Py_UCS4 *>malloc(b.cap * sizeof(Py_UCS4))
    if b.p == NULL:
        raise MemoryError()
    try:
        _value(&b, obj, 0)
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, b.p, b.n)
    except Unhandled:
        return _dumps(obj, ensure_ascii=False)
    finally:
        free(b.p)


def arabic_counts(str text):
    """(letters, Arabic letters) of text: code points that ``str.isalpha``, and of those the ones
    in U+0600-06FF, U+0750-077F, U+FB50-FEFF (``extract._ARABIC_RANGES``)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), i, letters = 0, arabic = 0
    cdef int kind = PyUnicode_KIND(text)
    cdef const void *data = PyUnicode_DATA(text)
    cdef Py_UCS4 c
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if (0x600 <= c <= 0x6FF) or (0x750 <= c <= 0x77F) or (0xFB50 <= c <= 0xFEFF):
            if Py_UNICODE_ISALPHA(c):
                letters += 1
                arabic += 1
        elif Py_UNICODE_ISALPHA(c):
            letters += 1
    return letters, arabic
