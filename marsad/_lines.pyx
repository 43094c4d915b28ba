# cython: language_level=3, boundscheck=False, wraparound=False
"""The extract driver's per-record work in C: a record's Arabic share (``arabic_counts``), its
surrogate test (``has_surrogates``), its output line's JSON text (``dumps``: ``json.dumps(obj, ensure_ascii=False)``'s very characters)
and an input line's control bytes (``control_bytes``, ``decoding.looks_binary``'s count).

``arabic_counts`` counts the letters (``str.isalpha`` of each code point: ``Py_UNICODE_ISALPHA``)
and those of them in the Arabic blocks, as ``extract.arabic_share``'s numpy table and
``arabic_share_re``'s regular expressions count them (about 1 M instructions a report there, a
fancy index and a bincount over its UTF-16 units).

The standard library's C encoder makes a small string for each key, value and separator, keeps
them in a list and joins them (and copies each string once more to escape it): about 3.5 M
instructions for a 30,000-character line of ``marsad extract``, some 5% of coding a report.
Here the characters are written into one buffer, as UTF-8 (``dumps_line``: the bytes
``marsad extract --output`` writes, with the newline; ``dumps`` decodes them). What it writes is what ``json.dumps`` writes:
", " and ": " between items, keys and strings escaped as ``json``'s ``py_encode_basestring``
escapes them (only '"', '\\' and the control characters below 0x20; \\b \\f \\n \\r \\t by
their letters, the others as \\u00xx with lowercase hex digits), ints as ``int.__repr__``,
floats as ``float.__repr__`` (NaN and the infinities as NaN, Infinity, -Infinity), True, False
and None as true, false and null, in each dict's own order. Only exact dicts with str keys,
lists, tuples, str, int, float, bool and None are written here; anything else (a subclass,
another key type, nesting deeper than ``MAX_DEPTH``, which a circular reference reaches) makes
``dumps`` hand the whole object to ``json.dumps``, which answers (or raises) as always; so does
a lone surrogate, which UTF-8 cannot hold (``dumps_line``'s encoding then raises as before).
"""

# What the Python side expects of this module (``marsad/lines.py``)
API = 4

import json as _json

from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy
from libc.stdint cimport uint64_t
from libc.math cimport isfinite, isnan
from cpython.dict cimport PyDict_Next
from cpython.ref cimport PyObject, Py_INCREF, Py_XDECREF
from cpython.bytes cimport PyBytes_FromStringAndSize
from cpython.mem cimport PyMem_Free

from marsad.text._unicode cimport (Py_UCS1, Py_UCS2, PyUnicode_1BYTE_KIND, PyUnicode_2BYTE_KIND,
    PyUnicode_DATA, PyUnicode_GET_LENGTH, PyUnicode_KIND)

cdef extern from "Python.h":
    long long PyLong_AsLongLongAndOverflow(object o, int *overflow) except? -1
    double PyFloat_AS_DOUBLE(object o)
    int Py_UNICODE_ISALPHA(Py_UCS4 ch)
    Py_UCS4 PyUnicode_READ(int kind, const void *data, Py_ssize_t index)
    int PyUnicode_IS_ASCII(object o)
    object PyUnicode_DecodeUTF8(const char *s, Py_ssize_t size, const char *errors)
    char *PyOS_double_to_string(double val, char format_code, int precision, int flags, int *ptype) except NULL
    int Py_DTSF_ADD_DOT_0
    Py_ssize_t Py_REFCNT(object o)

MAX_DEPTH = 64
DEF DEPTH = 64

cdef object _dumps = _json.dumps


class Unhandled(Exception):
    """What the C writer does not write itself: ``json.dumps`` answers for the whole object."""


# The text is written as UTF-8 bytes into one buffer: ``dumps_line`` hands them to the file as
# they are, ``dumps`` decodes them (the str and then its encoding cost a pass each over a line of
# some 30,000 characters).
cdef struct Buf:
    char *p
    Py_ssize_t n
    Py_ssize_t cap


cdef inline int _room(Buf *b, Py_ssize_t more) except -1:
    if b.n + more <= b.cap:
        return 0
    return _grow(b, more)


cdef int _grow(Buf *b, Py_ssize_t more) except -1:
    cdef Py_ssize_t cap
    cdef char *p
    cap = b.cap * 2
    while cap < b.n + more:
        cap *= 2
    p = <char *>realloc(b.p, cap)
    if p == NULL:
        raise MemoryError()
    b.p = p
    b.cap = cap
    return 0


cdef inline int _ascii(Buf *b, const char *s, Py_ssize_t n) except -1:
    _room(b, n)
    memcpy(b.p + b.n, s, n)
    b.n += n
    return 0


cdef inline int _short(Buf *b, const char *s, Py_ssize_t n) except -1:
    """s's n bytes into b, eight at a time (each a move, where memcpy is a call for a few bytes);
    s readable up to n rounded up to eight (a slot's row) and the bytes past n left unwritten."""
    cdef Py_ssize_t i = 0
    cdef char *o
    _room(b, n + 8)
    o = b.p + b.n
    while i < n:
        memcpy(o + i, s + i, 8)
        i += 8
    b.n += n
    return 0


cdef const char *HEX = b"0123456789abcdef"


cdef char *_escape(unsigned int c, char *o) noexcept:
    """c escaped at o (a quote, a backslash or a control character); the position after it."""
    o[0] = b'\\'
    if c == 34 or c == 92:     # " and \
        o[1] = <char>c
        return o + 2
    if c == 10:
        o[1] = b'n'
    elif c == 9:
        o[1] = b't'
    elif c == 13:
        o[1] = b'r'
    elif c == 8:
        o[1] = b'b'
    elif c == 12:
        o[1] = b'f'
    else:
        o[1] = b'u'
        o[2] = b'0'
        o[3] = b'0'
        o[4] = HEX[(<unsigned int>c >> 4) & 0xf]
        o[5] = HEX[<unsigned int>c & 0xf]
        return o + 6
    return o + 2


ctypedef fused _width:
    Py_UCS1
    Py_UCS2
    Py_UCS4


# 1 for the ASCII characters written as they are (not '"', '\\' nor below 0x20): one look-up where
# each such character took three tests (most of a line's characters are ASCII: its keys, codes, notes)
cdef unsigned char _PLAIN[128]


cdef void _plain() noexcept:
    cdef int c
    for c in range(128):
        _PLAIN[c] = c >= 0x20 and c != 34 and c != 92


_plain()


cdef inline char *_escaped(const _width *d, Py_ssize_t n, char *o) noexcept:
    """d's n characters into o as UTF-8, escaped (one loop per storage width, made by Cython from
    this one); NULL at a surrogate, which UTF-8 cannot hold (the caller hands the object on)."""
    cdef Py_ssize_t i
    cdef unsigned int c     # (a Py_UCS4 in a shift is a str to Cython)
    for i in range(n):
        c = <unsigned int>d[i]
        if c < 0x80:
            if _PLAIN[c]:
                o[0] = <char>c
                o += 1
            else:
                o = _escape(c, o)
        elif c < 0x800:
            o[0] = <char>(0xc0 | (c >> 6))
            o[1] = <char>(0x80 | (c & 0x3f))
            o += 2
        elif c < 0x10000:
            if 0xd800 <= c <= 0xdfff:
                return NULL
            o[0] = <char>(0xe0 | (c >> 12))
            o[1] = <char>(0x80 | ((c >> 6) & 0x3f))
            o[2] = <char>(0x80 | (c & 0x3f))
            o += 3
        else:
            o[0] = <char>(0xf0 | (c >> 18))
            o[1] = <char>(0x80 | ((c >> 12) & 0x3f))
            o[2] = <char>(0x80 | ((c >> 6) & 0x3f))
            o[3] = <char>(0x80 | (c & 0x3f))
            o += 4
    return o


cdef char *_escaped_ascii(const Py_UCS1 *d, Py_ssize_t n, char *o) noexcept:
    """An ASCII text's n characters into o, escaped: eight at a time while none of the eight is
    '"', '\\' or below 0x20 (each byte below 0x80, so a byte's high bit after the subtractions
    marks one of those; a borrow only reaches past a byte that is one), the rest one by one."""
    cdef Py_ssize_t i = 0
    cdef uint64_t w
    while i + 8 <= n:
        memcpy(&w, d + i, 8)
        if ((w - 0x2020202020202020ULL) | ((w ^ 0x2222222222222222ULL) - 0x0101010101010101ULL)
                | ((w ^ 0x5c5c5c5c5c5c5c5cULL) - 0x0101010101010101ULL)) & 0x8080808080808080ULL:
            break
        memcpy(o + i, &w, 8)
        i += 8
    return _escaped(d + i, n - i, o + i)


cdef bint _little() noexcept:
    cdef Py_UCS2 u = 1
    return (<unsigned char *>&u)[0] == 1


cdef bint _LITTLE = _little()   # a 2-byte unit's low byte first in memory


cdef char *_escaped_ucs2(const Py_UCS2 *d, Py_ssize_t n, char *o) noexcept:
    """A 2-byte text's n characters into o as UTF-8, escaped: four at a time while all four are in
    U+0080-07FF (two bytes each: the Arabic letters; none is escaped), the others one by one (a
    space between two words, most often); NULL at a surrogate. Each 16-bit unit u of the word
    becomes the two bytes 0xC0 | u >> 6 and 0x80 | u & 0x3F, in memory order on a little-endian
    machine (which _LITTLE tells; on another, all one by one)."""
    cdef Py_ssize_t i = 0
    cdef uint64_t w
    while i + 4 <= n:
        memcpy(&w, d + i, 8)
        if (w & 0xF800F800F800F800ULL) == 0 and \
                ((w + 0x7F807F807F807F80ULL) & 0x8000800080008000ULL) == 0x8000800080008000ULL:
            w = ((w & 0x003F003F003F003FULL) << 8) | ((w >> 6) & 0x001F001F001F001FULL) \
                | 0x80C080C080C080C0ULL
            memcpy(o, &w, 8)
            o += 8
            i += 4
        else:
            o = _escaped(d + i, 1, o)
            if o == NULL:
                return NULL
            i += 1
    return _escaped(d + i, n - i, o)


cdef int _string(Buf *b, str s) except -1:
    """s between quotes, escaped as json's py_encode_basestring escapes it: '"', '\\' and the
    characters below 0x20 (a loop per storage width of s: no switch per character)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(s)
    cdef int kind = PyUnicode_KIND(s)
    cdef const void *data = PyUnicode_DATA(s)
    cdef char *o
    _room(b, 6 * n + 2)   # at most six bytes for one character (\u00xx)
    o = b.p + b.n
    o[0] = b'"'
    o += 1
    if kind == PyUnicode_1BYTE_KIND:
        if PyUnicode_IS_ASCII(s):
            o = _escaped_ascii(<const Py_UCS1 *>data, n, o)
        else:
            o = _escaped(<const Py_UCS1 *>data, n, o)
    elif kind == PyUnicode_2BYTE_KIND:
        if _LITTLE:
            o = _escaped_ucs2(<const Py_UCS2 *>data, n, o)
        else:
            o = _escaped(<const Py_UCS2 *>data, n, o)
    else:
        o = _escaped(<const Py_UCS4 *>data, n, o)
    if o == NULL:
        raise Unhandled("a surrogate")
    o[0] = b'"'
    o += 1
    b.n = o - b.p
    return 0


cdef int _text(Buf *b, str s) except -1:
    """s as it is (a big int's repr: ASCII)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(s), i
    cdef int kind = PyUnicode_KIND(s)
    cdef const void *data = PyUnicode_DATA(s)
    _room(b, n)
    for i in range(n):
        b.p[b.n + i] = <char>PyUnicode_READ(kind, data, i)
    b.n += n
    return 0


# "00" to "99": an int's digits are written two at a time
cdef char _PAIRS[200]


cdef void _pairs() noexcept:
    cdef int i
    for i in range(100):
        _PAIRS[2 * i] = <char>(48 + i // 10)
        _PAIRS[2 * i + 1] = <char>(48 + i % 10)


_pairs()


cdef inline int _int(Buf *b, object x) except -1:
    cdef int overflow = 0
    cdef long long v = PyLong_AsLongLongAndOverflow(x, &overflow)
    cdef unsigned long long u, r
    cdef char digits[48]    # the text ends at 44; 24 bytes are copied from its start
    cdef int k = 44
    if overflow:
        return _text(b, int.__repr__(x))
    if v < 0:
        u = <unsigned long long>(-(v + 1)) + 1
    else:
        u = <unsigned long long>v
    while u >= 100:
        r = u % 100
        u //= 100
        k -= 2
        memcpy(digits + k, _PAIRS + 2 * r, 2)
    if u >= 10:
        k -= 2
        memcpy(digits + k, _PAIRS + 2 * u, 2)
    else:
        k -= 1
        digits[k] = <char>(48 + u)
    if v < 0:
        k -= 1
        digits[k] = b'-'
    # at most 20 characters: 24 bytes copied at once (three moves), b.n moved past the text only
    _room(b, 24)
    memcpy(b.p + b.n, digits + k, 24)
    b.n += 44 - k
    return 0


# A float's repr by its bits: a line repeats its places' coordinates and its scores (news100's
# 10,813 floats are 994 values), and the shortest repr (float.__repr__'s dtoa) costs about 3,000
# instructions. The text is float.__repr__'s own: PyOS_double_to_string(v, 'r', 0,
# Py_DTSF_ADD_DOT_0), as float_repr calls it; the longest a double gives is 24 characters.
DEF FSLOTS = 4096
DEF FLONG = 32
cdef unsigned long long _fbits[FSLOTS]
cdef char _ftext[FSLOTS][FLONG]
cdef unsigned char _flen[FSLOTS]     # 0: an empty slot


cdef int _float(Buf *b, object x) except -1:
    cdef double v = PyFloat_AS_DOUBLE(x)
    cdef unsigned long long bits
    cdef unsigned int h
    cdef char *r
    cdef Py_ssize_t n
    if isfinite(v):
        memcpy(&bits, &v, 8)
        h = <unsigned int>((bits * 0x9E3779B97F4A7C15ULL) >> 52)     # 12 bits: FSLOTS
        if _flen[h] == 0 or _fbits[h] != bits:
            r = PyOS_double_to_string(v, b'r', 0, Py_DTSF_ADD_DOT_0, NULL)
            n = 0
            while r[n]:
                n += 1
            if n >= FLONG:      # not for a double; written, not kept
                try:
                    _ascii(b, r, n)
                finally:
                    PyMem_Free(r)
                return 0
            memcpy(_ftext[h], r, n)
            PyMem_Free(r)
            _flen[h] = <unsigned char>n
            _fbits[h] = bits
        return _ascii(b, _ftext[h], _flen[h])
    if isnan(v):
        return _ascii(b, b"NaN", 3)
    if v > 0:
        return _ascii(b, b"Infinity", 8)
    return _ascii(b, b"-Infinity", 9)


# A dict key's text as written after the dict's previous item, ', "key": ', remembered by the key
# object: a line's keys are the same few str objects again and again (its dicts' literal keys),
# each escaped by _string and written with its separators by three calls where one compare and
# one copy write it (the first key of a dict without the comma). A slot holds a reference to its
# key, so no other object can take its address while it is there (and a str does not change); a
# key whose text does not fit is written each time.
DEF KSLOTS = 1024
DEF KLONG = 40
cdef PyObject *_kobj[KSLOTS]
cdef char _ktext[KSLOTS][KLONG + 8]    # (read by _short from 2: KLONG rounded up to eight)
cdef unsigned char _klen[KSLOTS]


cdef int _key(Buf *b, str k, bint first) except -1:
    """', "k": ' into b, '"k": ' for a dict's first key."""
    cdef size_t p = <size_t><PyObject *>k
    cdef size_t h = ((p >> 4) ^ (p >> 14)) & (KSLOTS - 1)
    cdef Py_ssize_t at, n
    if _kobj[h] == <PyObject *>k:
        return _short(b, _ktext[h] + 2 * first, _klen[h] - 2 * first)
    if not first:
        _ascii(b, b", ", 2)
    at = b.n
    _string(b, k)
    _ascii(b, b": ", 2)
    n = b.n - at
    if n + 2 <= KLONG:
        Py_INCREF(k)
        Py_XDECREF(_kobj[h])
        _kobj[h] = <PyObject *>k
        memcpy(_ktext[h], b", ", 2)
        memcpy(_ktext[h] + 2, b.p + at, n)
        _klen[h] = <unsigned char>(n + 2)
    return 0


# A str value's text as written, '"text"', remembered by the object as _key remembers a key: most
# of a line's str values are objects earlier lines wrote too (news100: 43,000 of 60,500; the
# step tables' types, actors, codes and names), each escaped again by _string where one compare
# and one copy write it. A slot holds a reference to its str (no other object can take its
# address while it is there); a text over VLONG bytes is written each time, and so is a str that
# only its container holds (a text made for this line: freed with it, never met again).
DEF VSLOTS = 2048
DEF VLONG = 48
cdef PyObject *_vobj[VSLOTS]
cdef char _vtext[VSLOTS][VLONG]        # (VLONG a multiple of eight: read by _short)
cdef unsigned char _vlen[VSLOTS]


cdef int _str_value(Buf *b, str s) except -1:
    cdef size_t p = <size_t><PyObject *>s
    cdef size_t h = ((p >> 4) ^ (p >> 15)) & (VSLOTS - 1)
    cdef Py_ssize_t at, n
    if _vobj[h] == <PyObject *>s:
        return _short(b, _vtext[h], _vlen[h])
    at = b.n
    _string(b, s)
    n = b.n - at
    if n <= VLONG and Py_REFCNT(s) > 1:
        Py_INCREF(s)
        Py_XDECREF(_vobj[h])
        _vobj[h] = <PyObject *>s
        memcpy(_vtext[h], b.p + at, n)
        _vlen[h] = <unsigned char>n
    return 0


cdef inline int _item(Buf *b, object x, int depth) except -1:
    """A dict's or list's item: a str, an int or None (most of a line's values) written here,
    anything else by _value (a call less for each of them)."""
    if type(x) is str:
        return _str_value(b, <str>x)
    if type(x) is int:
        return _int(b, x)
    if x is None:
        return _ascii(b, b"null", 4)
    return _value(b, x, depth)


cdef int _value(Buf *b, object x, int depth) except -1:
    cdef Py_ssize_t pos = 0, i, n
    cdef PyObject *k
    cdef PyObject *v
    cdef bint first
    # (type(x) compared as it is: a `cdef type` variable took and dropped a reference each call)
    if type(x) is str:
        return _str_value(b, <str>x)
    if x is None:
        return _ascii(b, b"null", 4)
    if x is True:
        return _ascii(b, b"true", 4)
    if x is False:
        return _ascii(b, b"false", 5)
    if type(x) is int:
        return _int(b, x)
    if type(x) is float:
        return _float(b, x)
    if depth >= DEPTH:
        raise Unhandled("nested too deep")
    if type(x) is dict:
        if not <dict>x:
            return _ascii(b, b"{}", 2)
        _ascii(b, b"{", 1)
        first = True
        while PyDict_Next(x, &pos, &k, &v):
            if type(<object>k) is not str:
                raise Unhandled("a key that is not a str")
            _key(b, <str><object>k, first)
            first = False
            _item(b, <object>v, depth + 1)
        return _ascii(b, b"}", 1)
    if type(x) is list or type(x) is tuple:
        n = len(x)
        if n == 0:
            return _ascii(b, b"[]", 2)
        _ascii(b, b"[", 1)
        for i in range(n):
            if i:
                _ascii(b, b", ", 2)
            _item(b, x[i], depth + 1)
        return _ascii(b, b"]", 1)
    raise Unhandled(type(x).__name__)


cdef bint _write(Buf *b, object obj, bint newline) except -1:
    """obj's JSON text into b as UTF-8 (a newline after it if asked); False when json.dumps must
    answer instead."""
    b.n = 0
    b.cap = 65536   # bytes: most lines fit (news100: 30 KB of UTF-8 a line on average)
    b.p = <char *>malloc(b.cap)
    if b.p == NULL:
        raise MemoryError()
    try:
        _value(b, obj, 0)
    except Unhandled:
        return False
    if newline:
        _ascii(b, b"\n", 1)
    return True


def dumps(obj):
    """``json.dumps(obj, ensure_ascii=False)``: the same string."""
    cdef Buf b
    b.p = NULL
    try:
        if _write(&b, obj, False):
            return PyUnicode_DecodeUTF8(b.p, b.n, NULL)
        return _dumps(obj, ensure_ascii=False)
    finally:
        free(b.p)


def dumps_line(obj):
    """``(json.dumps(obj, ensure_ascii=False) + "\\n").encode("utf-8")``: the same bytes (what
    ``marsad extract --output`` writes), or the same exception (a lone surrogate's
    UnicodeEncodeError)."""
    cdef Buf b
    b.p = NULL
    try:
        if _write(&b, obj, True):
            return PyBytes_FromStringAndSize(b.p, b.n)
        return (_dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")
    finally:
        free(b.p)


# the Arabic block's letters (U+0600-06FF), by Py_UNICODE_ISALPHA: most of a report's code points,
# read from this table where each asked the Unicode database (as a space does, past ASCII's test)
cdef unsigned char _ARABIC_ALPHA[256]


cdef void _arabic_alpha() noexcept:
    cdef int c
    for c in range(256):
        _ARABIC_ALPHA[c] = Py_UNICODE_ISALPHA(0x600 + c)


_arabic_alpha()


def arabic_counts(str text):
    """(letters, Arabic letters) of text: code points that ``str.isalpha``, and of those the ones
    in U+0600-06FF, U+0750-077F, U+FB50-FEFF (``extract._ARABIC_RANGES``)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), i, letters = 0, arabic = 0
    cdef int kind = PyUnicode_KIND(text)
    cdef const void *data = PyUnicode_DATA(text)
    cdef unsigned int c   # (a code point as a number: Cython's Py_UCS4 is a character)
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if c < 0x80:   # ASCII's letters are its 52
            letters += ((c | 0x20) - 0x61) < 26
        elif 0x600 <= c <= 0x6FF:
            if _ARABIC_ALPHA[c - 0x600]:
                letters += 1
                arabic += 1
        elif (0x750 <= c <= 0x77F) or (0xFB50 <= c <= 0xFEFF):
            if Py_UNICODE_ISALPHA(c):
                letters += 1
                arabic += 1
        elif Py_UNICODE_ISALPHA(c):
            letters += 1
    return letters, arabic


def has_surrogates(str value):
    """Whether value holds a surrogate code point (U+D800-DFFF), which UTF-8 cannot encode:
    ``errors.has_surrogates``' answer without encoding the whole text."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(value), i
    cdef int kind = PyUnicode_KIND(value)
    cdef const void *data = PyUnicode_DATA(value)
    cdef const Py_UCS2 *d2 = <const Py_UCS2 *>data
    cdef Py_UCS4 c
    if kind == PyUnicode_1BYTE_KIND:
        return False
    if kind == PyUnicode_2BYTE_KIND:
        for i in range(n):
            if <Py_UCS2>(d2[i] - 0xD800) < 0x800:
                return True
        return False
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if 0xD800 <= c <= 0xDFFF:
            return True
    return False


def control_bytes(head):
    """How many of head's bytes are control bytes (below 0x20, not 0x09-0x0D: ``decoding``'s
    ``_CONTROL``), as ``len(head) - len(head.translate(None, _CONTROL))`` counts them
    (``decoding.looks_binary`` asks it of each input line's first 4 KB: some 45,000
    instructions a line by the translation, made and freed). Eight bytes at a time while none of
    them is below 0x20 (each byte's high bit after the subtraction, where the byte itself had none,
    marks one: a borrow only reaches past a byte that is one), those words byte by byte."""
    cdef const unsigned char *d
    cdef Py_ssize_t n, i = 0, j, count = 0
    cdef uint64_t w
    cdef unsigned char c
    if type(head) is not bytes:    # a bytearray: its bytes counted alike
        head = bytes(head)
    d = <const unsigned char *><bytes>head
    n = len(<bytes>head)
    while i < n:
        if i + 8 <= n:
            memcpy(&w, d + i, 8)
            if not ((w - 0x2020202020202020ULL) & ~w & 0x8080808080808080ULL):
                i += 8
                continue
            j = i + 8
        else:
            j = n
        while i < j:
            c = d[i]
            count += c < 9 or 13 < c < 32
            i += 1
    return count
