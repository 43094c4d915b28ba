# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The shingles of a text and their similarities of a new event against its candidates, in C.

``features._jaccards`` counts the shingles two texts share (sorted, distinct 64-bit numbers) with
one numpy search over all of an event's candidates; a call there is about 100 us, mostly numpy's
own cost per call for some 15 candidates of about 200 shingles. Here each pair's sorted arrays
are merged in C. The counts are the same, and so the floats: a count over a count as two doubles,
what numpy's int64 division and Python's division of such small ints give. A text's shingles
are made here too (the numbers ``features._shingles`` makes with numpy, sorted and distinct).
``features.py`` holds the pure-Python path and chooses.
"""

# What features.py expects of this module: one built from an older _fast.pyx is not used
# (scripts/setup rebuilds it).
API = 1

from libc.stdint cimport uint64_t
from libc.stdlib cimport qsort
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from cpython.unicode cimport PyUnicode_KIND, PyUnicode_4BYTE_KIND
from cpython.buffer cimport PyObject_GetBuffer, PyBuffer_Release, PyBUF_SIMPLE
from cpython.list cimport PyList_New, PyList_SET_ITEM
from cpython.ref cimport Py_INCREF


cdef int _order(const void *a, const void *b) noexcept nogil:
    cdef uint64_t x = (<const uint64_t *>a)[0], y = (<const uint64_t *>b)[0]
    return (x > y) - (x < y)


def shingles(str t):
    """The distinct shingles of four characters of t, each the number of its characters' 16-bit
    codes (the first highest), sorted, as the bytes of native uint64s; None when t has a
    character beyond the Basic Multilingual Plane (the caller's path for it)."""
    cdef Py_ssize_t n = len(t) - 3, i, m = 0
    cdef bytes buf
    cdef uint64_t *out
    if PyUnicode_KIND(t) == PyUnicode_4BYTE_KIND:
        return None
    if n <= 0:
        return b""
    buf = PyBytes_FromStringAndSize(NULL, n * 8)
    out = <uint64_t *>PyBytes_AS_STRING(buf)
    for i in range(n):
        out[i] = ((<uint64_t>t[i] << 48) | (<uint64_t>t[i + 1] << 32) | (<uint64_t>t[i + 2] << 16)
                  | <uint64_t>t[i + 3])
    qsort(out, n, 8, _order)
    for i in range(n):   # distinct: each unlike the one kept before it
        if m == 0 or out[i] != out[m - 1]:
            out[m] = out[i]
            m += 1
    return buf[:m * 8] if m < n else buf


cdef inline Py_ssize_t _shared(const uint64_t *x, Py_ssize_t nx, const uint64_t *y, Py_ssize_t ny) nogil:
    """How many of the sorted, distinct x are in the sorted, distinct y."""
    cdef Py_ssize_t i = 0, j = 0, n = 0
    cdef uint64_t a, b
    while i < nx and j < ny:
        a = x[i]
        b = y[j]
        if a < b:
            i += 1
        elif b < a:
            j += 1
        else:
            n += 1
            i += 1
            j += 1
    return n


def shared(x, list ys, bint ratio):
    """For each array of ys, how many of x's shingles it holds (x and each of ys: sorted,
    distinct uint64 arrays, C-contiguous). ratio: the Jaccard similarity instead, the count over
    len(x) + len(y) - the count (0.0 for an empty y; x is not empty)."""
    cdef Py_buffer bx, by
    cdef Py_ssize_t nx, ny, k, n = len(ys), hits
    cdef list out = PyList_New(n)
    cdef object v
    PyObject_GetBuffer(x, &bx, PyBUF_SIMPLE)
    try:
        nx = bx.len // 8
        for k in range(n):
            PyObject_GetBuffer(ys[k], &by, PyBUF_SIMPLE)
            ny = by.len // 8
            hits = _shared(<const uint64_t *>bx.buf, nx, <const uint64_t *>by.buf, ny)
            PyBuffer_Release(&by)
            if ratio:
                v = (<double>hits) / (<double>(nx + ny - hits))
            else:
                v = hits
            Py_INCREF(v)
            PyList_SET_ITEM(out, k, v)
    finally:
        PyBuffer_Release(&bx)
    return out
