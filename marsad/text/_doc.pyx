# cython: language_level=3, boundscheck=False, wraparound=False
"""What a Doc is made of, in C: the normalised text with its offset map (``normalize.normalize``)
and the tokens (``tokens.tokenize_py``), the same objects as their Python twins make.

``normalize`` reads each code point's normal form from tables that ``normalize.py`` builds from
its own mapping (``_FAST``): one pass for the output's length, one to write it and the offsets,
where ``str.translate`` looked each character up as a Python object. ``tokens.Token`` stays the
slots dataclass the other steps read (its attributes read fastest from Python code); only its
construction changes: each token is allocated by the type and its five slots stored in place at
their member descriptors' offsets, which is what the dataclass's generated ``__init__`` does
through those descriptors, less the interpreter's call and frame. The ints of the offsets and
of the tokens are shared objects (``_INTS``), equal to those the Python twins make.
"""

# What the Python side expects of this module (native.py's ``compiled``): a build from an older
# _doc.pyx is not used.
API = 3

from libc.stdlib cimport free, malloc
from libc.string cimport memcpy
from cpython.list cimport PyList_GET_ITEM, PyList_GET_SIZE, PyList_New, PyList_SET_ITEM
from cpython.object cimport PyObject, PyTypeObject
from cpython.ref cimport Py_INCREF
from marsad.text._chars cimport word as _word
from marsad.text._slots cimport marsad_alloc as _alloc, marsad_set_slot, marsad_writable_slot_offset_of

from marsad.text._unicode cimport (Py_UCS1, Py_UCS2, PyUnicode_1BYTE_KIND, PyUnicode_2BYTE_KIND, PyUnicode_4BYTE_KIND, PyUnicode_DATA,
    PyUnicode_FromKindAndData, PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_READ)

cdef extern from "Python.h":
    object PyLong_FromSsize_t(Py_ssize_t v)
    void PyObject_GC_UnTrack(void *op)
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)

# The int objects 0 .. _INTS_MAX - 1, made once and shared by every Doc's offsets and tokens (their
# start, end and index): an int past 256 is a new object each time it is made, and a report's
# offsets alone are one a character (some 4,000), made and freed with its Doc. Grown to the longest
# text seen, up to _INTS_MAX (16,384: 99% of the news articles' characters; 0.6 MB at most).
cdef list _INTS = []
cdef Py_ssize_t _INTS_MAX = 1 << 14

cdef extern from *:
    """
    /* offsets[k] = ints[i], the list's own reference to the shared int (borrowed from ints) */
    static inline void marsad_shared_int(PyObject *offsets, Py_ssize_t k, PyObject *ints, Py_ssize_t i) {
        PyObject *o = PyList_GET_ITEM(ints, i);
        Py_INCREF(o);
        PyList_SET_ITEM(offsets, k, o);
    }
    """
    void marsad_shared_int(list offsets, Py_ssize_t k, list ints, Py_ssize_t i)


cdef void _ints_upto(Py_ssize_t n) except *:
    """_INTS covers 0 .. n (as far as _INTS_MAX)."""
    cdef Py_ssize_t have = PyList_GET_SIZE(_INTS)
    if have <= n and have < _INTS_MAX:
        _INTS.extend(range(have, min(n + 1, _INTS_MAX)))


def shared_ints():
    """_INTS itself (grown in place): ``_ends``' lexicon hits take their word positions from it."""
    return _INTS


cdef inline object _int(Py_ssize_t i):
    """The int i: _INTS' own object where it has one."""
    if i < PyList_GET_SIZE(_INTS):
        return <object>PyList_GET_ITEM(_INTS, i)
    return PyLong_FromSsize_t(i)


# the kinds of a code point in the tables (normalize.py's _doc_tables)
cdef enum:
    KEEP = 0      # its own normal form
    DROP = 1      # none
    SEVERAL = 2   # several characters: the mapping's string
    OTHER = 3     # one other character: the array's


def normalize(str text, const unsigned short[::1] to, const unsigned char[::1] kind, dict several):
    """(normalised text, offsets) as ``normalize.normalize`` gives them: ``kind[cp]`` says what
    becomes of a code point, ``to[cp]`` the normal form of one of kind OTHER, ``several[cp]`` the
    string of one of kind SEVERAL; a code point past the tables is its own normal form."""
    return _normalized(text, to, kind, several, True)


def normalize_text(str text, const unsigned short[::1] to, const unsigned char[::1] kind, dict several):
    """The normalised text alone (``normalize.normalize_key``'s), from the same tables."""
    return _normalized(text, to, kind, several, False)[0]


ctypedef fused _width:
    Py_UCS1
    Py_UCS2
    Py_UCS4


cdef Py_ssize_t _length(const _width *d, Py_ssize_t n, const unsigned char *kp, Py_ssize_t tn,
                        dict several) except -1:
    """The normalised length of d's n code points (a loop per storage width, made by Cython from
    this one: no switch per character)."""
    cdef Py_ssize_t i, m = 0
    cdef unsigned int c
    cdef unsigned char kd
    for i in range(n):
        c = d[i]
        if c >= tn:
            m += 1
            continue
        kd = kp[c]
        if kd == KEEP or kd == OTHER:
            m += 1
        elif kd == SEVERAL:
            m += len(<str>several[<Py_ssize_t>c])
    return m


cdef int _fill(const _width *d, Py_ssize_t n, const unsigned char *kp, const unsigned short *tp,
               Py_ssize_t tn, dict several, Py_UCS4 *buf, list offsets) except -1:
    """d's normal forms into buf and, when offsets is a list, each one's original index into it."""
    cdef Py_ssize_t i, j, k = 0
    cdef Py_ssize_t shared = PyList_GET_SIZE(_INTS) if offsets is not None else 0
    cdef unsigned int c
    cdef unsigned char kd
    cdef str s
    for i in range(n):
        c = d[i]
        if c >= tn:
            kd = KEEP
        else:
            kd = kp[c]
            if kd == OTHER:
                c = tp[c]
                kd = KEEP
        if kd == KEEP:
            buf[k] = c
            if offsets is not None:
                if i < shared:
                    marsad_shared_int(offsets, k, _INTS, i)
                else:
                    _set_offset(offsets, k, i)
            k += 1
        elif kd == SEVERAL:
            s = several[<Py_ssize_t>c]
            for j in range(len(s)):
                buf[k] = s[j]
                if offsets is not None:
                    _set_offset(offsets, k, i)
                k += 1
    return 0


cdef tuple _normalized(str text, const unsigned short[::1] to, const unsigned char[::1] kind, dict several,
                       bint with_offsets):
    """(normalised text, its offsets or None when not with_offsets)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), m
    cdef Py_ssize_t tn = to.shape[0]
    cdef int tk = PyUnicode_KIND(text)
    cdef const void *data = PyUnicode_DATA(text)
    cdef const unsigned char *kp
    cdef const unsigned short *tp
    cdef Py_UCS4 *buf
    cdef list offsets = None
    if kind.shape[0] != tn:  # both are indexed by the same bound below
        raise ValueError(f"normalize: tables of {tn} and {kind.shape[0]} code points")
    kp = &kind[0] if tn else NULL   # (empty tables: every code point past them, none read)
    tp = &to[0] if tn else NULL
    if tk == PyUnicode_1BYTE_KIND:   # the output's length
        m = _length(<const Py_UCS1 *>data, n, kp, tn, several)
    elif tk == PyUnicode_2BYTE_KIND:
        m = _length(<const Py_UCS2 *>data, n, kp, tn, several)
    else:
        m = _length(<const Py_UCS4 *>data, n, kp, tn, several)
    buf = <Py_UCS4 *>malloc((m + 1) * sizeof(Py_UCS4))
    if buf == NULL:
        raise MemoryError()
    if with_offsets:
        offsets = PyList_New(m + 1)
        _ints_upto(n)
    try:
        if tk == PyUnicode_1BYTE_KIND:
            _fill(<const Py_UCS1 *>data, n, kp, tp, tn, several, buf, offsets)
        elif tk == PyUnicode_2BYTE_KIND:
            _fill(<const Py_UCS2 *>data, n, kp, tp, tn, several, buf, offsets)
        else:
            _fill(<const Py_UCS4 *>data, n, kp, tp, tn, several, buf, offsets)
        if with_offsets:
            _set_offset(offsets, m, n)  # the final sentinel, len(text)
        norm = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, m)  # (its narrowest form)
    finally:
        free(buf)
    return norm, offsets


cdef inline int _set_offset(list offsets, Py_ssize_t k, Py_ssize_t i) except -1:
    o = _int(i)
    Py_INCREF(o)  # PyList_SET_ITEM steals the reference the list keeps
    PyList_SET_ITEM(offsets, k, o)
    return 0


def slots_of(token) -> tuple:
    """The slot descriptors of ``token``'s fields (start, end, norm, i, sent), checked to be
    plain slots of a class without ``__init__`` side effects beyond storing them."""
    names = ("start", "end", "norm", "i", "sent")
    if tuple(getattr(token, "__slots__", ())) != names:
        raise TypeError(f"{token.__name__} must have exactly the slots {names}")
    out = tuple(token.__dict__[n] for n in names)
    if any(type(d).__name__ != "member_descriptor" for d in out):
        raise TypeError(f"{token.__name__}'s fields must be slot members")
    return out


def tokenize(str norm, list sentences, token, tuple slots):
    """Tokens (runs of word characters) of each sentence, numbered through the document, as
    ``tokens.tokenize_py`` makes them: ``token`` is ``tokens.Token``, ``slots`` its
    ``slots_of(token)``. Each token is allocated bare and its five slots set in place (the member
    descriptors' offsets), its ints from _INTS."""
    cdef list tokens = []
    cdef Py_ssize_t si = 0, a, b, i, j, k = 0, n = PyUnicode_GET_LENGTH(norm)
    cdef Py_ssize_t o_start, o_end, o_norm, o_i, o_sent
    cdef int kind = PyUnicode_KIND(norm)
    cdef const void *data = PyUnicode_DATA(norm)
    cdef Py_UCS4 c, mx
    o_start, o_end, o_norm, o_i, o_sent = [marsad_writable_slot_offset_of(<PyObject *>d) for d in slots]
    if min(o_start, o_end, o_norm, o_i, o_sent) < 0:
        raise TypeError("tokenize: the token's fields must be writable object slots")
    # a token holds ints and a str, no container: it cannot be in a reference cycle, so the cyclic
    # collector need not track it (as CPython untracks a tuple of atoms); only without a __dict__
    cdef bint untrack = (<PyTypeObject *>token).tp_dictoffset == 0
    _ints_upto(n)
    for a, b in sentences:
        if a < 0 or b > n:
            raise IndexError("a sentence outside the text")
        sent = _int(si)
        i = a
        while i < b:
            if not _word(PyUnicode_READ(kind, data, i)):
                i += 1
                continue
            mx = PyUnicode_READ(kind, data, i)
            j = i + 1
            while j < b:
                c = PyUnicode_READ(kind, data, j)
                if not _word(c):
                    break
                if c > mx:
                    mx = c
                j += 1
            if kind == PyUnicode_2BYTE_KIND and mx >= 256:
                # a word of the 2-byte text with a character past Latin-1 is a 2-byte str: copied
                # as it is, where norm[i:j] looks for its widest character first
                w = PyUnicode_New(j - i, mx)
                memcpy(PyUnicode_DATA(w), <const Py_UCS2 *>data + i, (j - i) * sizeof(Py_UCS2))
            else:
                w = norm[i:j]
            t = _alloc(token)
            marsad_set_slot(t, o_start, _int(i))
            marsad_set_slot(t, o_end, _int(j))
            marsad_set_slot(t, o_norm, w)
            marsad_set_slot(t, o_i, _int(k))
            marsad_set_slot(t, o_sent, sent)
            if untrack:
                PyObject_GC_UnTrack(<PyObject *>t)
            tokens.append(t)
            k += 1
            i = j
        si += 1
    return tokens
