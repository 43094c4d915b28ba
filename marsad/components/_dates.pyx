# cython: language_level=3, boundscheck=False, wraparound=False
"""The dates step's windows in C: dates.py's ``_merge_py`` (its twin, line for line) with its
walks over characters and runs of spaces typed, and its digit anchors (``_iso_anchors``,
``_year_anchors``) in one pass over the text each, where ``str.find`` scanned it five times.
dates.py takes these where built and wanted (native.compiled), else the twins;
tests/core/test_core_dates_numbers_fast_paths.py compares them.
"""

# What dates.py expects of this module: one built from an older _dates.pyx is not used.
API = 1

from cpython.unicode cimport PyUnicode_READ, PyUnicode_KIND, PyUnicode_DATA

cdef extern from "Python.h":
    bint Py_UNICODE_ISSPACE(Py_UCS4 c)
    bint Py_UNICODE_ISDECIMAL(Py_UCS4 c)


cdef inline bint _space(int kind, const void *data, Py_ssize_t i) noexcept:
    return Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))


cdef Py_ssize_t _back(int kind, const void *data, Py_ssize_t a, Py_ssize_t runs) noexcept:
    """_runs_back: the start of the word runs runs of spaces before a (0 first)."""
    cdef Py_ssize_t q = a, seen = 0
    while True:
        while q > 0 and not _space(kind, data, q - 1):
            q -= 1
        if q == 0 or seen == runs:
            return q
        while q > 0 and _space(kind, data, q - 1):
            q -= 1
        seen += 1


cdef Py_ssize_t _forward(int kind, const void *data, Py_ssize_t n, Py_ssize_t b, Py_ssize_t runs) noexcept:
    """_runs_forward: the end of the word runs runs of spaces after b (n first)."""
    cdef Py_ssize_t q = b, seen = 0
    while True:
        while q < n and not _space(kind, data, q):
            q += 1
        if q == n or seen == runs:
            return q
        while q < n and _space(kind, data, q):
            q += 1
        seen += 1


def merge(list spans, str norm, Py_ssize_t left, Py_ssize_t right, Py_ssize_t left_runs, Py_ssize_t right_runs):
    """_merge_py(spans, norm, left, right, left_runs, right_runs); spans is sorted in place."""
    cdef list out = []
    cdef int kind = PyUnicode_KIND(norm)
    cdef const void *data = PyUnicode_DATA(norm)
    cdef Py_ssize_t n = len(norm), a, b, lo, hi, last_lo = -1, last_hi = -1
    spans.sort()
    for a, b in spans:
        # never cut a word: the regexes end on a word boundary (the window runs to the next space)
        lo = a - left if a > left else 0
        hi = b + right if b + right < n else n
        while hi < n and not _space(kind, data, hi):
            hi += 1
        if left_runs >= 0:
            lo = max(lo, _back(kind, data, a, left_runs))
        if right_runs >= 0:
            hi = min(hi, _forward(kind, data, n, b, right_runs))
        if last_lo >= 0 and lo <= last_hi:
            if hi > last_hi:
                last_hi = hi
        else:
            if last_lo >= 0:
                out.append((last_lo, last_hi))
            last_lo, last_hi = lo, hi
    if last_lo >= 0:
        out.append((last_lo, last_hi))
    return out


cdef inline bint _decimal(int kind, const void *data, Py_ssize_t n, Py_ssize_t i) noexcept:
    """``\\d`` at i (False past the end)."""
    return i < n and Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i))


cdef inline bint _sep(int kind, const void *data, Py_ssize_t n, Py_ssize_t i) noexcept:
    """``[/.-]`` at i."""
    cdef Py_UCS4 c
    if i >= n:
        return False
    c = PyUnicode_READ(kind, data, i)
    return c == u'/' or c == u'.' or c == u'-'


cdef Py_ssize_t _iso_end(int kind, const void *data, Py_ssize_t n, Py_ssize_t p) noexcept:
    """The end of ``\\d[/.-][01]?\\d[/.-]\\d`` matched at p, -1 where it does not match."""
    cdef Py_UCS4 c
    if not (_decimal(kind, data, n, p) and _sep(kind, data, n, p + 1)):
        return -1
    if p + 2 < n:
        c = PyUnicode_READ(kind, data, p + 2)
        if (c == u'0' or c == u'1') and _decimal(kind, data, n, p + 3) and _sep(kind, data, n, p + 4) \
                and _decimal(kind, data, n, p + 5):
            return p + 6
    if _decimal(kind, data, n, p + 2) and _sep(kind, data, n, p + 3) and _decimal(kind, data, n, p + 4):
        return p + 5
    return -1


def iso_anchors(str norm):
    """dates._iso_anchors: the matches of ``\\d[/.-][01]?\\d[/.-]\\d`` as ``finditer`` finds them,
    tried at each digit before a separator, in one pass."""
    cdef list out = []
    cdef int kind = PyUnicode_KIND(norm)
    cdef const void *data = PyUnicode_DATA(norm)
    cdef Py_ssize_t n = len(norm), q, e, last = 0
    cdef unsigned int c
    for q in range(1, n):
        c = PyUnicode_READ(kind, data, q)
        if c - 0x2D > 2:          # not - . / (0x2D-0x2F): most characters, one test
            continue
        if q - 1 >= last:
            e = _iso_end(kind, data, n, q - 1)
            if e >= 0:
                out.append((q - 1, e))
                last = e
    return out


def year_anchors(str norm):
    """dates._year_anchors: the matches of ``(?:19|20)\\d\\d(?!\\d)``, those at "19" first, then
    those at "20", each in the text's order."""
    cdef list nineteen = [], twenty = []
    cdef int kind = PyUnicode_KIND(norm)
    cdef const void *data = PyUnicode_DATA(norm)
    cdef Py_ssize_t n = len(norm), p
    cdef unsigned int c, d
    for p in range(n - 3):
        c = PyUnicode_READ(kind, data, p)
        if c - 0x31 > 1:          # not 1 or 2 (0x31-0x32)
            continue
        d = PyUnicode_READ(kind, data, p + 1)
        if (c == 0x31 and d == 0x39 or c == 0x32 and d == 0x30) and _decimal(kind, data, n, p + 2) \
                and _decimal(kind, data, n, p + 3) and not _decimal(kind, data, n, p + 4):
            (nineteen if c == 0x31 else twenty).append((p, p + 4))
    return nineteen + twenty
