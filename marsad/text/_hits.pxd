# cython: language_level=3
"""What the compiled scans for lexicon and gazetteer hits share (``_core.phrase_hits``, which
reads the text as a str, and ``_ends``' scans, which read a UCS4 copy of it): the copy and the
hit buffer a scan works in, and the clitic rules that keep a lexicon hit (one body, so the two
matchers cannot drift apart; inline: no module of its own at run time)."""

cimport cython
from libc.stdlib cimport free, malloc
from cpython.list cimport PyList_GET_ITEM, PyList_GET_SIZE

from marsad.text._chars cimport word as _word

cdef extern from "Python.h":
    Py_UCS4 *PyUnicode_AsUCS4Copy(object text) except NULL
    Py_UCS4 PyUnicode_READ_CHAR(object text, Py_ssize_t index)
    void PyMem_Free(void *p)

ctypedef const Py_UCS4 *ucs4

# the text as a scan reads it: the str itself, or its UCS4 copy (``Scan.text``)
ctypedef fused chars:
    str
    ucs4


cdef struct Scan:
    Py_UCS4 *text       # the text, a code point a cell (freed by PyMem_Free)
    void *hits          # the scan's buffer for its hits (freed by free)


cdef inline int open_scan(Scan *s, str text, size_t hit_bytes) except -1:
    """The UCS4 copy of text and a buffer of hit_bytes (not zeroed) in s; ``close_scan`` frees
    them (call it in a ``finally`` once this has returned)."""
    s.text = PyUnicode_AsUCS4Copy(text)
    s.hits = malloc(hit_bytes if hit_bytes > 0 else 1)
    if s.hits == NULL:
        PyMem_Free(s.text)
        s.text = NULL
        raise MemoryError()
    return 0


cdef inline void close_scan(Scan *s) noexcept:
    free(s.hits)
    PyMem_Free(s.text)
    s.text, s.hits = NULL, NULL


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline Py_ssize_t proclitic_start(chars text, Py_ssize_t a, Py_ssize_t max_proclitic) noexcept:
    """The start of the word that a hit starting at a, inside it, lies in, read back at most
    max_proclitic letters (a longer proclitic is refused anyway); -1 when it starts further back."""
    cdef Py_ssize_t w = a, stop = a - max_proclitic - 1
    while w > 0 and w > stop:
        # (a str read by CPython's own macro: Cython's indexing helper called from here too was
        # no longer inlined in _core's other loops, 5 M instructions more over news100)
        if chars is str:
            if not _word(PyUnicode_READ_CHAR(text, w - 1)):
                break
        elif not _word(text[w - 1]):
            break
        w -= 1
    return -1 if a - w > max_proclitic else w


cdef inline object shared_int(list ints, Py_ssize_t i):
    """The int i: the list's own object where it has one (``_doc.shared_ints``; ints may be None)."""
    if ints is not None and i < PyList_GET_SIZE(ints):
        return <object>PyList_GET_ITEM(ints, i)
    return i


cdef inline int keep_rows(rows, str norm, Py_ssize_t w, Py_ssize_t a, Py_ssize_t b, Py_ssize_t z,
                          proclitics, suffixes, list out, list ints=None) except -1:
    """``lexicon.PhraseMatcher``'s clitic rules for a hit of a pattern at norm[a:b] in the word
    norm[w:z]: (w, z, a, prefix, row) appended to out for each of its rows that takes the prefix
    norm[w:a] (none, or one of proclitics for a row that is not strict) and the suffix norm[b:z]
    (none, or one of suffixes for a row that takes them). The three ints are made once per hit,
    taken from ints where it has them (equal ints: no new object a hit)."""
    cdef str prefix = norm[w:a]
    cdef str suffix = norm[b:z]
    cdef dict e
    cdef object ow = None, oz, oa
    for e in rows:
        if prefix and (e["_strict"] or prefix not in proclitics):
            continue
        if suffix and not (e["_suffixes"] and suffix in suffixes):
            continue
        if ow is None:
            ow, oz, oa = shared_int(ints, w), shared_int(ints, z), shared_int(ints, a)
        out.append((ow, oz, oa, prefix, e))
    return 0
