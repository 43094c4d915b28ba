# cython: language_level=3, boundscheck=False, wraparound=False
"""The dates step's windows merged in C: dates.py's ``_merge_py`` (its twin, line for line) with
its walks over characters and runs of spaces typed. dates.py's ``_merge`` is this module's
``merge`` where built and wanted (native.compiled), else the twin;
tests/core/test_core_dates_numbers_fast_paths.py compares them.
"""

# What dates.py expects of this module: one built from an older _dates.pyx is not used.
API = 1

from cpython.unicode cimport PyUnicode_READ, PyUnicode_KIND, PyUnicode_DATA

cdef extern from "Python.h":
    bint Py_UNICODE_ISSPACE(Py_UCS4 c)


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
