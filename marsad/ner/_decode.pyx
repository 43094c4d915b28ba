# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The name tagger's inner loops in C: the feature ids of new word types and the sums of their
weights, the window sum of emission scores, Viterbi over every sentence of a document (its
step in SSE2 where there; a nine-label BIO model's I labels from their B and I alone, checked
at each step: ``marsad_bio_sentence``; the rows' float sums too, four labels at a time), spreading lexicon
matches over tokens, the document pass's codes and added scores, the mentions read off the
labels and their scores' arithmetic (numpy's ``exp`` and row sums between), the person rules'
tests of every token (``Endings`` and its readings of a new word, ``introduces``; ``breaks_word``;
``tokens_in``, ``tokens_by_kind``, ``covered``, ``blank_after``, ``quote_starts``, ``org_ranges``,
``seats``; ``repeat_ends`` and ``words_of`` for ``repeated_names``) and some rules' loops over the
mentions (``org_merge``, ``nationalities_dropped``, ``clean_codes``, ``gazetteer_marks``, ``outside``;
``person_codes``, which persons ``person_names`` must ask its rules of, and
``introduced_spans``, the persons ``introduced_names`` adds after a title or a nationality, its
word tests in C: both the ninth session's, nm91).

Each has a numpy or Python twin (``tagger.py``, ``persons.py``, ``perceptron.py``,
``features.py``) that gives the same labels and asks it first where built; the arithmetic is
float32 in the same order as numpy's (so the same ties break the same way), and the tests
compare the two paths on the same text and call by call. ``API`` is checked at import: a module built
from an older file is not used (``native.py``).
"""

import numpy as np
from operator import attrgetter
from libc.stdlib cimport calloc, free, malloc, realloc
from libc.string cimport memcpy, memmove, memset
from libc.math cimport fabs, floor
from libc.stdint cimport uint16_t
from libc.limits cimport LONG_MIN
from marsad.text._chars cimport word as _is_word   # as re's \w

from cpython.object cimport PyObject
from cpython.ref cimport Py_INCREF, Py_DECREF

cdef extern from "Python.h":
    int PySet_Contains(object anyset, object key) except -1
    int PyUnicode_KIND(object text)
    bint PyUnicode_IS_ASCII(object text)
    void *PyUnicode_DATA(object text)
    Py_UCS4 PyUnicode_READ(int kind, const void *data, Py_ssize_t index)
    long PyLong_AsLongAndOverflow(object x, int *overflow) except? -1

from marsad.text._slots cimport (marsad_writable_slot_offset_of as marsad_slot_offset, marsad_slot_at as marsad_slot,
                                  new_six)

cdef extern from *:
    """
    /* descr.__set__(obj, value): a slot's member descriptor stores value in obj's slot */
    static int marsad_set(PyObject *descr, PyObject *obj, PyObject *value) {
        return Py_TYPE(descr)->tp_descr_set(descr, obj, value);
    }
    """
    int marsad_set(object descr, object obj, object value) except -1


cdef extern from *:
    """
    #if defined(__SSE2__)
    #include <emmintrin.h>
    #endif
    /* Rows of L floats, four lanes at a time with SSE2 (every x86-64), the rest one by one:
       each lane is its own float32 sum, in the order the scalar loop adds, so the sums are the
       same to the bit (no FMA: the module is built with -ffp-contract=off). */
    static inline void marsad_add(float *dst, const float *src, Py_ssize_t L) {   /* dst += src */
        Py_ssize_t j = 0;
    #if defined(__SSE2__)
        for (; j + 4 <= L; j += 4)
            _mm_storeu_ps(dst + j, _mm_add_ps(_mm_loadu_ps(dst + j), _mm_loadu_ps(src + j)));
    #endif
        for (; j < L; j++)
            dst[j] += src[j];
    }
    /* The first i' >= i below n where d[i'] is one of the nm (1 to 8) code units of marks, or n:
       eight units compared with each mark at once with SSE2, the rest one by one. */
    static Py_ssize_t marsad_find16(const uint16_t *d, Py_ssize_t i, Py_ssize_t n,
                                    const uint16_t *marks, int nm) {
        int k;
    #if defined(__SSE2__)
        __m128i m[8];
        for (k = 0; k < nm; k++)
            m[k] = _mm_set1_epi16((short)marks[k]);
        for (; i + 8 <= n; i += 8) {
            __m128i v = _mm_loadu_si128((const __m128i *)(d + i));
            __m128i hit = _mm_cmpeq_epi16(v, m[0]);
            for (k = 1; k < nm; k++)
                hit = _mm_or_si128(hit, _mm_cmpeq_epi16(v, m[k]));
            int mask = _mm_movemask_epi8(hit);
            if (mask)
                return i + (__builtin_ctz((unsigned)mask) >> 1);
        }
    #endif
        for (; i < n; i++)
            for (k = 0; k < nm; k++)
                if (d[i] == marks[k])
                    return i;
        return n;
    }
    /* dst = a + b */
    static inline void marsad_sum2(float *dst, const float *a, const float *b, Py_ssize_t L) {
        Py_ssize_t j = 0;
    #if defined(__SSE2__)
        for (; j + 4 <= L; j += 4)
            _mm_storeu_ps(dst + j, _mm_add_ps(_mm_loadu_ps(a + j), _mm_loadu_ps(b + j)));
    #endif
        for (; j < L; j++)
            dst[j] = a[j] + b[j];
    }
    /* dst = dst + ((a + b) + c) */
    static inline void marsad_add3(float *dst, const float *a, const float *b, const float *c,
                                   Py_ssize_t L) {
        Py_ssize_t j = 0;
    #if defined(__SSE2__)
        for (; j + 4 <= L; j += 4)
            _mm_storeu_ps(dst + j, _mm_add_ps(_mm_loadu_ps(dst + j), _mm_add_ps(
                _mm_add_ps(_mm_loadu_ps(a + j), _mm_loadu_ps(b + j)), _mm_loadu_ps(c + j))));
    #endif
        for (; j < L; j++)
            dst[j] = dst[j] + ((a[j] + b[j]) + c[j]);
    }
    /* dst = (((a + b) + c) + d) + e, by lanes as marsad_add: window's five rows a token in one
       pass, each sum in the scalar loop's order. */
    static inline void marsad_sum5(float *dst, const float *a, const float *b, const float *c,
                                   const float *d, const float *e, Py_ssize_t L) {
        Py_ssize_t j = 0;
    #if defined(__SSE2__)
        for (; j + 4 <= L; j += 4)
            _mm_storeu_ps(dst + j, _mm_add_ps(_mm_add_ps(_mm_add_ps(_mm_add_ps(
                _mm_loadu_ps(a + j), _mm_loadu_ps(b + j)), _mm_loadu_ps(c + j)), _mm_loadu_ps(d + j)),
                _mm_loadu_ps(e + j)));
    #endif
        for (; j < L; j++)
            dst[j] = (((a[j] + b[j]) + c[j]) + d[j]) + e[j];
    }
    /* One feature's weights added at the five positions (type_sums): out[p] += w[slot[p]] for
       each p whose row slot[p] is not 0; out's positions os floats apart, w's rows ws. The five
       tests unrolled (the position loop's counter and strides were a third of type_sums). */
    static inline void marsad_add_at5(float *out, Py_ssize_t os, const long *slot, const float *w,
                                      Py_ssize_t ws, Py_ssize_t L) {
        if (slot[0]) marsad_add(out, w + slot[0] * ws, L);
        if (slot[1]) marsad_add(out + os, w + slot[1] * ws, L);
        if (slot[2]) marsad_add(out + 2 * os, w + slot[2] * ws, L);
        if (slot[3]) marsad_add(out + 3 * os, w + slot[3] * ws, L);
        if (slot[4]) marsad_add(out + 4 * os, w + slot[4] * ws, L);
    }
    """
    void marsad_add(float *dst, const float *src, Py_ssize_t L) nogil
    Py_ssize_t marsad_find16(const uint16_t *d, Py_ssize_t i, Py_ssize_t n, const uint16_t *marks, int nm) nogil
    void marsad_sum2(float *dst, const float *a, const float *b, Py_ssize_t L) nogil
    void marsad_add3(float *dst, const float *a, const float *b, const float *c, Py_ssize_t L) nogil
    void marsad_sum5(float *dst, const float *a, const float *b, const float *c, const float *d, const float *e, Py_ssize_t L) nogil
    void marsad_add_at5(float *out, Py_ssize_t os, const long *slot, const float *w, Py_ssize_t ws, Py_ssize_t L) nogil


# A token's fields read straight from its slots (``text.tokens.Token`` has __slots__): the class
# whose slots were measured and their offsets; any other object is asked by name.
cdef object _token_class = None
cdef Py_ssize_t _at_start = -1, _at_end = -1, _at_norm = -1, _at_sent = -1


cdef int _learn(object t) except -1:
    """Measure the slots of t's class (once per class seen first in a call)."""
    global _token_class, _at_start, _at_end, _at_norm, _at_sent
    cls = type(t)
    if cls is _token_class:
        return 0
    at = []
    for name in ("start", "end", "norm", "sent"):
        descr = cls.__dict__.get(name)
        at.append(-1 if descr is None else marsad_slot_offset(<PyObject *>descr))
    _token_class = cls if min(at) >= 0 else None
    _at_start, _at_end, _at_norm, _at_sent = at
    return 0


cdef extern from *:
    """
    /* v's value into *out when v is an int of at most one digit (30 bits): 1, else 0 */
    static inline int marsad_small_long(PyObject *v, long *out) {
        if (!PyLong_CheckExact(v)) return 0;
    #if PY_VERSION_HEX >= 0x030C0000
        if (!PyUnstable_Long_IsCompact((PyLongObject *)v)) return 0;
        *out = (long)PyUnstable_Long_CompactValue((PyLongObject *)v);
    #else
        switch (Py_SIZE(v)) {   /* (ob_digit[0] of 0 is not defined) */
        case 0: *out = 0; break;
        case 1: *out = (long)((PyLongObject *)v)->ob_digit[0]; break;
        default: return 0;
        }
    #endif
        return 1;
    }
    /* a token's three int slots at offsets a, b, s into pa, pb, ps: 1 when each is set and
       such an int (a token's offsets and sentence), else 0 (the caller reads them by name) */
    static int marsad_token3(PyObject *t, Py_ssize_t a, Py_ssize_t b, Py_ssize_t s,
                             long *pa, long *pb, long *ps) {
        PyObject *va = *(PyObject **)((char *)t + a), *vb = *(PyObject **)((char *)t + b),
                 *vs = *(PyObject **)((char *)t + s);
        return va != NULL && vb != NULL && vs != NULL && marsad_small_long(va, pa)
               && marsad_small_long(vb, pb) && marsad_small_long(vs, ps);
    }
    /* tokens[k:n] (a list) read into a, b, s while each is exactly cls and marsad_token3 reads
       it: the index of the first that is not (n when none) */
    static Py_ssize_t marsad_token_arrays(PyObject *tokens, Py_ssize_t k, Py_ssize_t n, PyObject *cls,
                                          Py_ssize_t oa, Py_ssize_t ob, Py_ssize_t os,
                                          long *a, long *b, long *s) {
        for (; k < n; k++) {
            PyObject *t = PyList_GET_ITEM(tokens, k);
            if ((PyObject *)Py_TYPE(t) != cls || !marsad_token3(t, oa, ob, os, a + k, b + k, s + k))
                break;
        }
        return k;
    }
    """
    Py_ssize_t marsad_token_arrays(PyObject *tokens, Py_ssize_t k, Py_ssize_t n, PyObject *cls,
                                   Py_ssize_t oa, Py_ssize_t ob, Py_ssize_t os, long *a, long *b, long *s)


cdef inline object _field(object t, Py_ssize_t at, str name):
    """t.<name>: from its slot when t is of the measured class and the slot is set."""
    cdef PyObject *v
    if type(t) is _token_class:
        v = marsad_slot(t, at)
        if v != NULL:
            return <object>v
    return getattr(t, name)

API = 22


cdef struct _Buf:
    long *p
    Py_ssize_t n, cap


cdef int _grow(_Buf *b) except -1:
    cdef long *q
    b.cap = 2 * b.cap + 4096
    q = <long *>realloc(b.p, b.cap * sizeof(long))
    if q == NULL:
        raise MemoryError()
    b.p = q
    return 0


cdef inline int _push(_Buf *b, long v) except -1:   # (inline: some 340,000 calls a cold run)
    if b.n == b.cap:
        _grow(b)
    b.p[b.n] = v
    b.n += 1
    return 0


cdef inline int _reserve(_Buf *b, Py_ssize_t k) except -1:
    """Room for k more values, so that ``_put_id`` needs no test (a word's fixed ids)."""
    while b.cap - b.n < k:
        _grow(b)
    return 0


cdef inline void _put_id(_Buf *b, long v) noexcept:
    """``_push`` where ``_reserve`` made the room."""
    b.p[b.n] = v
    b.n += 1


cdef inline long _get(dict table, key):
    v = table.get(key)
    return 0 if v is None else <long>v


cdef list _readings(str w, dict by_first):
    """``strip_proclitics(w)`` (by_first: its proclitics by first letter, longest first)."""
    cdef list out = [("", w)]
    cdef Py_ssize_t m = len(w)
    if not m:
        return out
    ps = by_first.get(w[0])
    if ps is not None:
        for p in <tuple>ps:
            if m - len(<str>p) >= 2 and w.startswith(p):
                out.append((p, w[len(<str>p):]))
    return out


cdef enum:
    _RCAP = 32   # a word's readings at most: itself and 31 proclitics of one first letter (the news: 9)


# A word's readings (``_readings``' list) without a list or tuples: reading r is (proc[r],
# stem[r]), proc borrowed (by_first's strings, "" for the word itself), stem owned (``_reads_clear``)
cdef struct _Reads:
    Py_ssize_t n
    PyObject *proc[_RCAP]
    PyObject *stem[_RCAP]


cdef str _NO_PROC = ""


cdef inline void _reads_clear(_Reads *rd) noexcept:
    cdef Py_ssize_t r
    for r in range(rd.n):
        Py_DECREF(<object>rd.stem[r])
    rd.n = 0


cdef int _reads_fill(_Reads *rd, str w, dict by_first, PyObject **arabic) except -1:
    """rd = ``_readings(w, by_first)``, the proclitics of a first letter U+0600-U+06FF read from
    arabic (``_first_letters``' table of by_first's, borrowed): no one-letter string made and
    hashed per word (rd cleared first)."""
    cdef Py_ssize_t m = len(w)
    cdef unsigned int c
    cdef PyObject *q
    _reads_clear(rd)
    Py_INCREF(w)
    rd.proc[0], rd.stem[0], rd.n = <PyObject *>_NO_PROC, <PyObject *>w, 1
    if not m:
        return 0
    c = PyUnicode_READ(PyUnicode_KIND(w), PyUnicode_DATA(w), 0)
    if 0x0600 <= c < 0x0700:
        q = arabic[c - 0x0600]
        if q == NULL:
            return 0
        ps = <object>q
    else:
        ps = by_first.get(w[0])
        if ps is None:
            return 0
    if len(<tuple>ps) >= _RCAP:
        raise ValueError("more than %d proclitics of one first letter" % (_RCAP - 1))
    for p in <tuple>ps:
        if m - len(<str>p) >= 2 and _starts(w, <str>p):
            st = w[len(<str>p):]
            Py_INCREF(st)
            rd.proc[rd.n], rd.stem[rd.n] = <PyObject *>p, <PyObject *>st
            rd.n += 1
    return 0


cdef inline bint _starts(str w, str p) noexcept:
    """``w.startswith(p)``, letter by letter (no method call: a proclitic is one to four letters)."""
    cdef Py_ssize_t n = len(p), i
    if n > len(w):
        return False
    cdef int kw = PyUnicode_KIND(w), kp = PyUnicode_KIND(p)
    cdef const void *dw = PyUnicode_DATA(w)
    cdef const void *dp = PyUnicode_DATA(p)
    for i in range(n):
        if PyUnicode_READ(kw, dw, i) != PyUnicode_READ(kp, dp, i):
            return False
    return True


cdef void _first_letters(dict by_first, PyObject **arabic):
    """arabic[c - 0x600] = by_first's tuple for each one-letter key c in U+0600-U+06FF (borrowed:
    by_first outlives the call that reads it), NULL for the others."""
    cdef unsigned int c
    memset(arabic, 0, 256 * sizeof(PyObject *))
    for key, ps in by_first.items():
        if isinstance(key, str) and len(<str>key) == 1:
            c = PyUnicode_READ(PyUnicode_KIND(<str>key), PyUnicode_DATA(<str>key), 0)
            if 0x0600 <= c < 0x0700:
                arabic[c - 0x0600] = <PyObject *>ps


cdef bint _has_seat(str w) noexcept:
    """``"\u0626" in w or "\u0624" in w`` (ئ، ؤ) in one pass over the letters."""
    cdef Py_ssize_t i, m = len(w)
    cdef int kind = PyUnicode_KIND(w)
    cdef const void *data = PyUnicode_DATA(w)
    cdef Py_UCS4 c
    if kind == 1:
        return False
    for i in range(m):
        c = PyUnicode_READ(kind, data, i)
        if c == 0x0626 or c == 0x0624:
            return True
    return False


cdef extern from "Python.h":
    bint Py_UNICODE_ISDIGIT(Py_UCS4 c)
    bint Py_UNICODE_ISALPHA(Py_UCS4 c)


cdef tuple _SHAPES = ("num", "Latin", "latin", "alnum", "ar", "mixed")   # _shape_code's


cdef int _shape_code(str w) noexcept:
    """``features._shape`` in one pass over the word's characters, as its index in _SHAPES (so
    that ``own_ids`` looks each shape's slot up once a call, not once a word)."""
    cdef Py_ssize_t m = len(w), i
    cdef bint digits = m > 0, ascii = True, alpha = m > 0, some_digit = False
    cdef int kind = PyUnicode_KIND(w)
    cdef const void *data = PyUnicode_DATA(w)
    cdef Py_UCS4 c
    for i in range(m):
        c = PyUnicode_READ(kind, data, i)
        if 0x0620 <= c <= 0x064A:   # an Arabic letter: a letter, no digit, not ASCII (no calls)
            digits = ascii = False
            continue
        if Py_UNICODE_ISDIGIT(c):
            some_digit = True
        else:
            digits = False
        if c >= 128:
            ascii = False
        if not Py_UNICODE_ISALPHA(c):
            alpha = False
    if digits:
        return 0
    if ascii:
        if alpha:
            return 1 if u'A' <= w[0] <= u'Z' else 2
        return 3
    if alpha:
        return 4
    return 5 if some_digit else 4


cdef str _shape(str w):
    """``features._shape`` (its name)."""
    return <str>_SHAPES[_shape_code(w)]


def word_shape(str w):
    """``_shape`` for the tests (``features._shape``'s twin)."""
    return _shape(w)


cdef struct _Cell:
    unsigned long long key   # ``_affix_key``; 0: an empty cell
    long slot


cdef inline unsigned long long _affix_key(int kind, str w, Py_ssize_t a, Py_ssize_t n) noexcept:
    """w[a:a + n] (at most 4 characters, each below U+0800: Arabic and Latin letters, digits)
    packed with its kind and length into one int; 0 for any other (looked up as a str instead)."""
    cdef unsigned long long key = 0
    cdef Py_ssize_t j
    cdef Py_UCS4 c
    if n < 1 or n > 4:
        return 0
    cdef int uk = PyUnicode_KIND(w)
    cdef const void *data = PyUnicode_DATA(w)
    for j in range(n):
        c = PyUnicode_READ(uk, data, a + j)
        if c >= 0x800:
            return 0
        key |= (<unsigned long long>c) << (11 * j)
    return key | (<unsigned long long>n << 44) | (<unsigned long long>kind << 48)


cdef long *_dense(dict tab, Py_ssize_t *n) except? NULL:
    """tab's values by key for its int keys 0..65535 (a C array of max + 1 of them, 0 for the
    keys it lacks; n set to its length), NULL (n 0) when it has none."""
    cdef long *arr
    cdef long top = -1, v
    cdef int over
    for key in tab:
        if type(key) is int:
            over = 0
            v = PyLong_AsLongAndOverflow(key, &over)
            if not over and 0 <= v < 65536 and v > top:
                top = v
    n[0] = top + 1
    if top < 0:
        return NULL
    arr = <long *>calloc(top + 1, sizeof(long))
    if arr == NULL:
        raise MemoryError()
    for key, slot in tab.items():
        if type(key) is int:
            over = 0
            v = PyLong_AsLongAndOverflow(key, &over)
            if not over and 0 <= v < 65536:
                arr[v] = <long>slot
    return arr


cdef class Affixes:
    """The slots of a model's affix and trigram features (``KindSlots``' pre1-4, suf1-4 and tri
    values) keyed by ``_affix_key``: a new word type's eight affixes and its trigrams are looked
    up without making a str of each and hashing it (most of ``own_ids``' cost). A value that
    has no key is found in its dict, as before."""
    cdef _Cell *cells
    cdef Py_ssize_t mask
    cdef readonly Py_ssize_t size
    # the cluster ids' slots (``KindSlots.cc``, ``.cf``) by id, for the ids 0..n-1 (0: none)
    cdef long *cc
    cdef long *cf
    cdef Py_ssize_t ncc, ncf

    def __cinit__(self):
        self.cells = NULL
        self.cc = self.cf = NULL

    def __dealloc__(self):
        free(self.cells)
        free(self.cc)
        free(self.cf)

    def __init__(self, slots):
        self.cc = _dense(slots.cc, &self.ncc)
        self.cf = _dense(slots.cf, &self.ncf)
        cdef list kinds = [(k, tab) for k, tab in slots.pre] + [(4 + k, tab) for k, tab in slots.suf]
        kinds.append((9, slots.kinds["tri"]))
        cdef Py_ssize_t count = sum(len(<dict>tab) for _, tab in kinds), cap = 64, i
        cdef unsigned long long key
        while 4 * count > 3 * cap:   # at most three quarters full: 512 KB for the shipped model
            cap *= 2
        self.cells = <_Cell *>calloc(cap, sizeof(_Cell))
        if self.cells == NULL:
            raise MemoryError()
        self.mask = cap - 1
        for kind, tab in kinds:
            for v, slot in (<dict>tab).items():
                key = _affix_key(kind, v, 0, len(<str>v))
                if key:
                    i = self._find(key)
                    self.cells[i].key, self.cells[i].slot = key, slot
                    self.size += 1

    cdef inline Py_ssize_t _find(self, unsigned long long key) noexcept:
        cdef Py_ssize_t i = <Py_ssize_t>((key * 0x9E3779B97F4A7C15ULL) >> 40) & self.mask
        while self.cells[i].key != 0 and self.cells[i].key != key:
            i = (i + 1) & self.mask
        return i

    cdef inline long slot(self, unsigned long long key) noexcept:
        """The slot of a packed affix (``_affix_key``, not 0), 0 where the model has none."""
        cdef _Cell *c = &self.cells[self._find(key)]
        return c.slot if c.key != 0 else 0

    cdef int affix_ids(self, _Buf *b, list pre, list suf, str stem, str w) except -1:
        """``get`` of the prefixes of stem of 1-4 letters shorter than it (kinds 1-4, tables
        pre), then of the suffixes of w likewise (kinds 5-8, suf), pushed in that order: each
        letter read once, a prefix's key grown from the one before (a suffix's shifted by a
        letter), and a str made only for an affix with a letter at or past U+0800."""
        cdef Py_ssize_t n = len(stem), m = len(w), j
        cdef int kind = PyUnicode_KIND(stem)
        cdef const void *data = PyUnicode_DATA(stem)
        cdef unsigned long long acc = 0
        cdef Py_UCS4 c
        cdef bint packed = True
        _reserve(b, 8)
        for j in range(1, 5):
            if n <= j:
                break
            if packed:
                c = PyUnicode_READ(kind, data, j - 1)
                if c >= 0x800:
                    packed = False
                else:
                    acc |= (<unsigned long long>c) << (11 * (j - 1))
            if packed:
                _put_id(b, self.slot(acc | (<unsigned long long>j << 44) | (<unsigned long long>j << 48)))
            else:
                _put_id(b, _get(<dict>pre[j - 1], stem[:j]))
        kind, data, acc, packed = PyUnicode_KIND(w), PyUnicode_DATA(w), 0, True
        for j in range(1, 5):
            if m <= j:
                break
            if packed:
                c = PyUnicode_READ(kind, data, m - j)
                if c >= 0x800:
                    packed = False
                else:
                    acc = (acc << 11) | <unsigned long long>c
            if packed:
                _put_id(b, self.slot(acc | (<unsigned long long>j << 44) | (<unsigned long long>(4 + j) << 48)))
            else:
                _put_id(b, _get(<dict>suf[j - 1], w[m - j:]))
        return 0

    cdef inline long cluster(self, bint fine, dict tab, x):
        """tab.get(x, 0) for a cluster id x (tab: ``KindSlots.cc``, or ``.cf`` when fine):
        from the dense table when x is an int in its range."""
        cdef long v
        cdef int over = 0
        cdef long *arr = self.cf if fine else self.cc
        cdef Py_ssize_t n = self.ncf if fine else self.ncc
        if type(x) is int:
            v = PyLong_AsLongAndOverflow(x, &over)
            if not over and 0 <= v < n:
                return arr[v]
        return _get(tab, x)

    cdef inline long get(self, int kind, dict tab, str w, Py_ssize_t a, Py_ssize_t n):
        """tab.get(w[a:a + n], 0), tab being the kind's dict."""
        cdef unsigned long long key = _affix_key(kind, w, a, n)
        if key == 0:
            return _get(tab, w[a:a + n])
        cdef _Cell *c = &self.cells[self._find(key)]
        return c.slot if c.key != 0 else 0


cdef class KeyFilter:
    """The str keys of some tables (a word's cue, names and tagged tables) as two bits each of
    their hash: a string one of whose bits is clear is a key of none of them, so ``own_ids``
    skips their look-ups of a reading (most readings of a new word are in none). Built from the
    keys' hashes the tables' dicts already hold; a key not an exact str skips nothing."""
    cdef unsigned long long *bits
    cdef unsigned long long mask   # the number of bits less 1 (a power of two)
    cdef readonly bint every   # nothing is skipped
    cdef readonly Py_ssize_t size

    def __cinit__(self):
        self.bits = NULL

    def __dealloc__(self):
        free(self.bits)

    def __init__(self, tables):
        cdef Py_ssize_t count = sum(len(<dict>t) for t in tables), cap = 1024
        cdef Py_hash_t h
        while cap < 16 * count:   # 16 bits a key: about 1.4% of misses pass with two bits
            cap *= 2
        self.bits = <unsigned long long *>calloc(cap // 64, sizeof(unsigned long long))
        if self.bits == NULL:
            raise MemoryError()
        self.mask = cap - 1
        for t in tables:
            for k in <dict>t:
                if type(k) is not str:
                    self.every = True
                    return
                h = hash(k)
                self._set(<unsigned long long>h)
                self._set(<unsigned long long>h >> 32)
                self.size += 1

    cdef inline void _set(self, unsigned long long h) noexcept:
        h &= self.mask
        self.bits[h >> 6] |= 1ULL << (h & 63)

    cdef inline bint _has(self, unsigned long long h) noexcept:
        h &= self.mask
        return (self.bits[h >> 6] >> (h & 63)) & 1

    cdef bint maybe(self, str s) except -1:
        """False when s is a key of none of the tables (True may be either)."""
        if self.every:
            return True
        cdef unsigned long long h = <unsigned long long>hash(s)
        return self._has(h) and self._has(h >> 32)

    def __contains__(self, str s):
        """``maybe`` for the tests."""
        return self.maybe(s)


cdef unsigned int _near(KeyFilter keys, _Reads *rd) except? 0:
    """Bit r set for each reading r of rd whose stem ``keys`` may hold (the others are skipped)."""
    cdef unsigned int near = 0
    cdef Py_ssize_t r
    for r in range(rd.n):
        if keys.maybe(<str>rd.stem[r]):
            near |= 1u << r
    return near


cdef struct _Lookup:   # a (kind, table) of ``WordFeatures.lookups`` as ``_own_ids_fill`` reads it
    PyObject *table   # word -> its values (borrowed)
    PyObject *tab     # the kind's slots: value -> slot (borrowed)
    bint by_seat      # looked up by the seat form (the `tg` kind)


cdef int _own_ids_fill(_Buf *b, long *st, list words, dict by_first, str bos, str eos, slots,
                       Affixes affixes, bint shape, dict cues, dict clusters, list lookups,
                       dict seated_cues, norm_of, KeyFilter keys) except -1:
    """``own_ids``' ids into b and each word's start into st (len(words) longs): the C buffers
    that ``own_ids`` copies into arrays and ``own_sums`` sums from."""
    cdef dict t = slots.kinds
    cdef dict tw = t["w"], tstem = t["stem"], tproc = t["proc"], tshape = t["shape"]
    cdef dict tcue = t["cue"], ttri = t["tri"], cc = slots.cc, cf = slots.cf, tab, ctab, table   # (typed: a C look-up, not a .get method call)
    cdef list pre = [x for _, x in slots.pre], suf = [x for _, x in slots.suf], length = slots.length
    # the lookups as C structs (their dicts borrowed from lk): no tuple unpacked, no truth tested a word
    cdef list lk = [(table, t.get(name, {})) for name, table in lookups]
    cdef Py_ssize_t nlk = len(lk), q
    cdef long lens[10]   # length's slots (lengths 0-9) as C longs, read once a call
    cdef long bias = slots.bias, rare = slots.rare
    cdef Py_ssize_t nw = len(words), k, r, nr, n, m, j
    cdef str w, stem, key
    cdef list found
    cdef _Reads rd, kd   # the word's readings, and its seat form's (key's) when asked
    cdef _Reads *krd
    cdef bint kread
    cdef unsigned int near, knear, kn   # the readings keys may hold, of rd, kd, krd (_near)
    rd.n = kd.n = 0
    cdef PyObject *arabic[256]   # by_first's proclitics by Arabic first letter
    _first_letters(by_first, arabic)
    cdef long shapes[6]   # the slot of each of _SHAPES
    for j in range(6):
        shapes[j] = _get(tshape, _SHAPES[j])
    cdef _Lookup *lks = <_Lookup *>malloc((nlk + 1) * sizeof(_Lookup))
    if lks == NULL:
        raise MemoryError()
    try:
        for q in range(nlk):
            table, tab = lk[q]   # (typed: a table not a dict is refused here, not at its first use)
            lks[q].table, lks[q].tab, lks[q].by_seat = <PyObject *>table, <PyObject *>tab, lookups[q][0] == "tg"
        if shape:
            for j in range(10):
                lens[j] = length[j]
        for k in range(nw):
            w = words[k]
            st[k] = b.n
            _reserve(b, 2)
            _put_id(b, 0)
            if (len(w) == len(bos) and w == bos) or (len(w) == len(eos) and w == eos):   # (lengths first: no call)
                _put_id(b, _get(tw, w))
                continue
            key = None
            kread = False
            if norm_of is not None and _has_seat(w):   # ئ، ؤ
                key, w = w, norm_of(w)
            _reads_fill(&rd, w, by_first, arabic)
            nr = rd.n
            near = _near(keys, &rd)
            stem = <str>rd.stem[1] if nr > 1 else w
            _reserve(b, nr + 4)   # (the ids below up to the affixes, then shape and length)
            _put_id(b, bias)
            _put_id(b, _get(tw, w))
            _put_id(b, _get(tstem, stem))
            for r in range(1, nr):
                _put_id(b, _get(tproc, <str>rd.proc[r]))
            n, m = len(stem), len(w)
            if shape:
                affixes.affix_ids(b, pre, suf, stem, w)   # (reserves its own 8)
                _reserve(b, 2)
                _put_id(b, shapes[_shape_code(w)])   # features._shape
                _put_id(b, lens[min(n, 9)])
            if cues:
                if key is None:
                    ctab, krd, kn = cues, &rd, near
                else:
                    if not kread:
                        _reads_fill(&kd, key, by_first, arabic)
                        knear = _near(keys, &kd)
                        kread = True
                    ctab, krd, kn = seated_cues, &kd, knear
                found = None
                for r in range(krd.n):
                    if not (kn >> r) & 1:
                        continue
                    c = ctab.get(<str>krd.stem[r])
                    if c is not None:
                        if found is None:
                            found = []
                        found.extend(c)
                if found:
                    for c in sorted(set(found)):
                        _push(b, _get(tcue, c))
            if clusters is not None:
                c = clusters.get(w)
                r = 1
                while c is None and r < nr:
                    c = clusters.get(<str>rd.stem[r])
                    r += 1
                if c is not None:
                    if type(c) is tuple and len(<tuple>c) >= 2:   # (the table's: no generic indexing)
                        _push(b, affixes.cluster(False, cc, (<tuple>c)[0]))
                        _push(b, affixes.cluster(True, cf, (<tuple>c)[1]))
                    else:
                        _push(b, affixes.cluster(False, cc, c[0]))
                        _push(b, affixes.cluster(True, cf, c[1]))
                else:
                    _push(b, rare)
                    if shape:
                        for j in range(n - 2):
                            _push(b, affixes.get(9, ttri, stem, j, 3))
            for q in range(nlk):
                table, tab = <dict>lks[q].table, <dict>lks[q].tab
                krd, kn = &rd, near
                if lks[q].by_seat and key is not None:
                    if not kread:
                        _reads_fill(&kd, key, by_first, arabic)
                        knear = _near(keys, &kd)
                        kread = True
                    krd, kn = &kd, knear
                if not kn:
                    continue
                hit = None
                r = 0
                while hit is None and r < krd.n:
                    if (kn >> r) & 1:
                        hit = table.get(<str>krd.stem[r])
                    r += 1
                if hit:
                    for v in hit:
                        _push(b, _get(tab, v))
    finally:
        _reads_clear(&rd)
        _reads_clear(&kd)
        free(lks)
    return 0


def own_ids(list words, dict by_first, str bos, str eos, slots, Affixes affixes, bint shape,
            dict cues, dict clusters, list lookups, dict seated_cues, norm_of, KeyFilter keys not None):
    """``WordFeatures.own_ids`` of each word, in one buffer: (ids, starts), each word's ids after
    a 0 at its start (slot 0: no segment is empty), as ``_WordCache._add`` lays them out.

    Driven by the tables of ``slots`` (``KindSlots``; affixes: its ``Affixes``) and the word's own: by_first = the
    proclitics of ``strip_proclitics`` by first letter, cues (empty without the lexicon
    group), clusters (None without), lookups = ``WordFeatures.lookups`` ((kind, table) pairs
    whose values come from a word table with the proclitic fallback). norm_of: ``normalize_key``
    when the words may be hamza-seat forms (``WordFeatures.spelled``), else None: such a word
    (one with ئ or ؤ) is read as its normalised form but for its cue classes (seated_cues, over
    the seat form's readings) and its `tg` values (looked up by the seat form). keys: a
    ``KeyFilter`` of the cue, seated cue and lookup tables."""
    cdef Py_ssize_t nw = len(words)
    cdef _Buf b
    b.p, b.n, b.cap = NULL, 0, 0
    starts = np.empty(nw, dtype=np.int64)
    cdef long[::1] st = starts, iv
    try:
        _own_ids_fill(&b, &st[0] if nw else NULL, words, by_first, bos, eos, slots, affixes, shape,
                      cues, clusters, lookups, seated_cues, norm_of, keys)
        ids = np.empty(b.n, dtype=np.int64)
        iv = ids
        if b.n:
            memcpy(&iv[0], b.p, b.n * sizeof(long))
    finally:
        free(b.p)
    return ids, starts


def own_sums(list words, dict by_first, str bos, str eos, slots, Affixes affixes, bint shape,
             dict cues, dict clusters, list lookups, dict seated_cues, norm_of, KeyFilter keys not None,
             const long[:, ::1] rows, const float[:, ::1] weights, float[:, :, ::1] out, long first):
    """``type_sums(*own_ids(words, ...), rows, weights, out, first)`` (rows: type_sums' slots) in
    one call: the ids and starts stay in C buffers, without the two arrays and four memoryviews
    between the calls (``_WordCache._add``, once a report with new words)."""
    cdef Py_ssize_t nw = len(words)
    cdef _Buf b
    b.p, b.n, b.cap = NULL, 0, 0
    cdef long *st = <long *>malloc((nw + 1) * sizeof(long))
    if st == NULL:
        raise MemoryError()
    try:
        _own_ids_fill(&b, st, words, by_first, bos, eos, slots, affixes, shape,
                      cues, clusters, lookups, seated_cues, norm_of, keys)
        _type_sums(b.p, b.n, st, nw, rows, weights, out, first)
    finally:
        free(b.p)
        free(st)


def type_sums(const long[::1] ids, const long[::1] starts, const long[:, ::1] slots,
              const float[:, ::1] weights, float[:, :, ::1] out, long first):
    """out[first + k] = the summed weights, at positions 0, -1, +1, -2, +2, of the features
    ids[starts[k]:starts[k + 1]] (slots: feature slot -> its weight row at each position, 0 =
    none), added in order as numpy's reduceat adds them."""
    _type_sums(&ids[0] if ids.shape[0] else NULL, ids.shape[0],
               &starts[0] if starts.shape[0] else NULL, starts.shape[0], slots, weights, out, first)


cdef void _type_sums(const long *ids, Py_ssize_t m, const long *starts, Py_ssize_t n,
                     const long[:, ::1] slots, const float[:, ::1] weights, float[:, :, ::1] out,
                     long first) noexcept:
    """``type_sums`` of the m ids and n starts at those pointers."""
    cdef Py_ssize_t k, a, b, f, p, j, r
    cdef Py_ssize_t labels = weights.shape[1]
    # a row's five positions zeroed by one memset where they lie end to end (em's rows do):
    # gcc made a memset call of each position's loop
    cdef bint packed = out.shape[1] == 5 and out.shape[2] == labels and out.strides[1] == labels * sizeof(float)
    # the five positions' rows in one call (marsad_add_at5): slots of five positions, out's
    # position stride a whole number of floats
    cdef bint five = slots.shape[1] == 5 and out.shape[1] >= 5 and out.strides[1] % sizeof(float) == 0
    cdef Py_ssize_t os = out.strides[1] // sizeof(float)
    # slot 0 (a feature the model lacks) has no rows in the shipped tables: its ids skipped whole
    cdef bint none0 = slots.shape[0] > 0
    for p in range(5):
        if none0 and slots[0, p]:
            none0 = False
    for k in range(n):
        a = starts[k]
        b = starts[k + 1] if k + 1 < n else m
        if packed and labels:
            memset(&out[first + k, 0, 0], 0, 5 * labels * sizeof(float))
        else:
            for p in range(5):
                for j in range(labels):
                    out[first + k, p, j] = 0
        if labels == 0:
            continue
        for f in range(a, b):
            if none0 and ids[f] == 0:
                continue
            if five:
                marsad_add_at5(&out[first + k, 0, 0], os, &slots[ids[f], 0], &weights[0, 0], labels, labels)
                continue
            for p in range(5):
                r = slots[ids[f], p]
                if r:
                    marsad_add(&out[first + k, p, 0], &weights[r, 0], labels)


def word_rows(list tokens, dict index, long first):
    """Each token's row in ``index`` (its word -> row), a word absent added to it as it first
    comes, with rows first, first + 1, ...; and those words, in that order (the caller fills
    their rows: ``_WordCache.token_rows``). A new word is looked up once, and its later tokens
    find it in index: no second table of the absent words, no second pass over the tokens."""
    cdef Py_ssize_t n = len(tokens), k
    cdef long row
    rows = np.empty(n, dtype=np.int64)
    cdef long[::1] r = rows
    cdef list new = []
    if n:
        _learn(tokens[0])
    for k in range(n):
        w = _field(tokens[k], _at_norm, "norm")
        v = index.get(w)
        if v is None:
            row = first + len(new)
            index[w] = row
            new.append(w)
            r[k] = row
        else:
            r[k] = <long>v
    return rows, new


def local_scores(const float[:, ::1] em, const long[::1] labels, const long[::1] starts,
                 const long[::1] lengths, Transitions t):
    """Each token's scores given its neighbours' labels: its emissions, plus the transition
    from the label before (the start weights first in a sentence), plus that to the label
    after (the end weights last), added in that order as ``Tagger._decode``'s numpy does."""
    cdef Py_ssize_t n = em.shape[0], L = em.shape[1], s, a, b, i
    if L != t.L and n > 0:
        raise ValueError("emissions and transitions of different labels")
    out = np.empty((n, L), dtype=np.float32)
    cdef float[:, ::1] o = out
    if L == 0 or n == 0:
        return out
    cdef const float[:, ::1] trans = t.tv
    cdef const float[:, ::1] into = t.into
    cdef const float *start = &t.sv[0]
    cdef const float *end = &t.ev[0]
    for s in range(starts.shape[0]):
        a, b = starts[s], starts[s] + lengths[s]
        for i in range(a, b):
            marsad_sum2(&o[i, 0], &em[i, 0], start if i == a else &trans[labels[i - 1], 0], L)
            marsad_add(&o[i, 0], end if i == b - 1 else &into[labels[i + 1], 0], L)
    return out


# A mention's fields read and set through its class's slots (``mention.Mention``, a dataclass
# with __slots__): the class measured and its six member descriptors with their offsets, in
# _MENTION_FIELDS' order; any other class is asked by name (and made by calling it).
_MENTION_FIELDS = ("type", "first", "last", "score", "gazetteer", "in_gazetteer")
cdef object _mention_class = None
cdef list _m_descr = None
cdef Py_ssize_t _m_at[6]


cdef bint _slotted_mention(object cls) except -1:
    """Whether cls has a slot for each of _MENTION_FIELDS (measured once per class seen)."""
    global _mention_class, _m_descr
    cdef Py_ssize_t i
    if cls is _mention_class:
        return True
    descrs = [cls.__dict__.get(f) if isinstance(cls, type) else None for f in _MENTION_FIELDS]
    offs = [-1 if d is None else marsad_slot_offset(<PyObject *>d) for d in descrs]
    if min(offs) < 0:
        return False
    _mention_class, _m_descr = cls, descrs
    for i in range(6):
        _m_at[i] = offs[i]
    return True


cdef inline object _mfield(object m, Py_ssize_t f):
    """m.<_MENTION_FIELDS[f]>: from its slot when m is of the measured class and the slot is set."""
    cdef PyObject *v
    if type(m) is _mention_class:
        v = marsad_slot(m, _m_at[f])
        if v != NULL:
            return <object>v
    return getattr(m, _MENTION_FIELDS[f])


_ZERO = 0.0
_PER = u"PER"
_FIRST = attrgetter("first")   # mention.FIRST: in_order's fallback
_NO = False


def id_mentions(const long[::1] labels, list kinds, mention):
    """``tagger.id_mentions``: mention(type, first, last, 0.0) of each name ``id_spans`` reads off
    the label ids. A class with a slot for each field (``mention.Mention``, whose dataclass
    __init__ sets the four given and gazetteer = in_gazetteer = False, nothing else) is filled
    slot by slot as that __init__ would (a Python call per mention was most of their cost): the
    fresh instance's empty slots written directly, the spans read off the labels with each
    label's type and beginning in C arrays (no tuple per span or per token)."""
    cdef list out = []
    cdef Py_ssize_t n = labels.shape[0], nk = len(kinds), i, start = -1, prev = -2
    cdef long lab
    cdef PyObject *ltype[64]
    cdef unsigned char lbeg[64]
    cdef PyObject *typ = NULL
    cdef PyObject *t
    if not _slotted_mention(mention) or nk > 64:
        return [mention(typ_, a, b - 1, _ZERO) for typ_, a, b in _id_spans(labels, kinds)]
    for i in range(nk):   # (kinds holds its tuples, and they their types: borrowed)
        ltype[i] = <PyObject *>(<tuple>kinds[i])[0]
        lbeg[i] = bool((<tuple>kinds[i])[1])
    for i in range(n):
        lab = labels[i]
        if lab == 0:
            continue
        if not 0 < lab < nk:
            raise IndexError("label id out of range")
        t = ltype[lab]
        if lbeg[lab] or i != prev + 1 or (t != typ and <object>t != <object>typ):
            if start >= 0:
                out.append(_new_mention(mention, <object>typ, start, prev))
            start, typ = i, t
        prev = i
    if start >= 0:
        out.append(_new_mention(mention, <object>typ, start, prev))
    return out


cdef object _new_mention(object cls, object typ, Py_ssize_t first, Py_ssize_t last):
    """cls(typ, first, last, 0.0) of a class ``_slotted_mention`` measured: a fresh instance
    (its slots empty) with each slot set as the dataclass's __init__ sets it."""
    return new_six(cls, _m_at, typ, first, last, _ZERO, _NO, _NO)


def mention_logits(list mentions, dict temps, const float[:, ::1] local, const long[::1] labels):
    """``tagger._mention_logits``: the rows of local of the mentions' tokens, one after the other,
    each over the temperature of its mention's type (temps, 1.0 for another; as float32), less
    the row's max (NaN where the row has one, as numpy's max), and beside each row the token's
    label: the same float32 divisions and subtractions as numpy's."""
    cdef Py_ssize_t n = 0, k = 0, i, j, a, b, L = local.shape[1]
    cdef float f, mx = 0, x
    cdef bint nan
    for m in mentions:
        n += max(<Py_ssize_t>_mfield(m, 2) - <Py_ssize_t>_mfield(m, 1) + 1, 0)
    z = np.empty((n, L), dtype=np.float32)
    lab = np.empty(n, dtype=np.int64)
    cdef float[:, ::1] zv = z
    cdef long[::1] lv = lab
    for m in mentions:
        a, b = _mfield(m, 1), _mfield(m, 2)
        f = <float><double>temps.get(_mfield(m, 0), 1.0)   # as numpy casts a Python float to float32
        for i in range(a, b + 1):
            nan = False
            for j in range(L):
                x = local[i, j] / f
                zv[k, j] = x
                if x != x:
                    nan = True
                elif j == 0 or x > mx:
                    mx = x
            if nan:
                mx = float("nan")
            for j in range(L):
                zv[k, j] = zv[k, j] - mx
            lv[k] = labels[i]
            k += 1
    return z, lab


_py_round = round   # the builtin, for the values _round4 leaves to it


cdef double _round4(double x) except? -1.0:
    """``round(x, 4)``: Python rounds x's exact value to four places (ties to even) and reads
    the decimal back as the nearest double. x * 10**4 is within 2**-39 of the exact value for
    0 < x < 2**13, so away from a tie its nearest integer N is read off it, and N / 10**4 (both
    exact doubles) is the correctly rounded quotient: the same double. Python rounds the rest
    (ties, zeros with their sign, negatives, large values, NaN)."""
    cdef double y, n, f
    if 0.0 < x < 8192.0:
        y = x * 10000.0
        n = floor(y)
        f = y - n          # exact: y and n are in one binade (or n is 0)
        if fabs(f - 0.5) > 1e-6:
            return (n + (f > 0.5)) / 10000.0
    return <double>_py_round(x, 4)


def round4(double x):
    """``round(x, 4)`` through ``_round4`` (the tests compare it with Python's)."""
    return _round4(x)


def mean_scores(list mentions, const float[:, ::1] p, const long[::1] lab, const float[::1] total):
    """``tagger._mean_scores``: each mention's score is the mean over its tokens (p's rows in
    ``mention_logits``' order) of p at the token's label over the row's total (a float32
    quotient), summed left to right in doubles as Python's ``sum`` of floats does, rounded to
    four places as ``round`` does (``_round4``)."""
    cdef Py_ssize_t pos = 0, k, i
    cdef double s
    cdef float q
    for x in mentions:
        k = <Py_ssize_t>_mfield(x, 2) - <Py_ssize_t>_mfield(x, 1) + 1
        if k <= 0:
            raise ZeroDivisionError("a mention without tokens")
        s = 0.0
        for i in range(pos, pos + k):
            q = p[i, lab[i]] / total[i]
            s += q
        score = _round4(s / k)
        if type(x) is _mention_class:
            marsad_set(_m_descr[3], x, score)
        else:
            x.score = score
        pos += k


def gazetteer_marks(list mentions, const unsigned char[::1] flags):
    """``tagger._gazetteer_marks``: a place (LOC) is ``gazetteer`` when one of its tokens has a
    gazetteer bit (flags, ``tagger._FLAG_OF``), another mention ``in_gazetteer`` when one has bit 1."""
    cdef Py_ssize_t k, a, b
    cdef bint hit, loc, slotted = bool(mentions) and _slotted_mention(type(mentions[0]))
    for m in mentions:   # fields read from and written to their slots (generic attributes were most of it)
        a, b = _mfield(m, 1), _mfield(m, 2)
        loc = _mfield(m, 0) == u"LOC"
        hit = False
        for k in range(max(a, 0), min(b + 1, flags.shape[0])):
            if (flags[k] != 0) if loc else (flags[k] & 1):
                hit = True
                break
        if slotted and type(m) is _mention_class:
            marsad_set(_m_descr[4 if loc else 5], m, True if hit else False)
        elif loc:
            m.gazetteer = hit
        else:
            m.in_gazetteer = hit


def window(const long[::1] ids, const long[::1] sent, const float[:, :, ::1] em, long bos, long eos):
    """(tokens, labels) emission scores: each token's own row plus those its neighbours one and
    two away lend it (bos / eos rows past a sentence's edges), summed as tagger.emissions sums."""
    cdef Py_ssize_t n = ids.shape[0], labels = em.shape[2], i, j
    cdef long l1, r1, l2, r2
    out = np.empty((n, labels), dtype=np.float32)
    cdef float[:, ::1] o = out
    if n == 0 or labels == 0:
        return out
    # em's rows by pointer: a token's five rows summed in one pass by lanes (marsad_sum5)
    cdef const float *e = &em[0, 0, 0]
    cdef Py_ssize_t s0 = em.strides[0] // sizeof(float), s1 = em.strides[1] // sizeof(float)
    for i in range(n):
        l1 = ids[i - 1] if i >= 1 and sent[i - 1] == sent[i] else bos
        r1 = ids[i + 1] if i + 1 < n and sent[i + 1] == sent[i] else eos
        l2 = ids[i - 2] if i >= 2 and sent[i - 2] == sent[i] else bos
        r2 = ids[i + 2] if i + 2 < n and sent[i + 2] == sent[i] else eos
        marsad_sum5(&o[i, 0], e + ids[i] * s0, e + l1 * s0 + s1, e + r1 * s0 + 2 * s1,
                    e + l2 * s0 + 3 * s1, e + r2 * s0 + 4 * s1, labels)
    return out


cdef extern from *:
    """
    #define MARSAD_VW 12   /* the width of a padded transition row: up to 12 labels in registers */
    #if defined(__SSE2__)
    #include <emmintrin.h>
    /* b, c = x, f in the lanes where x > b (a later label wins only when strictly better):
       maxps(x, b) is x > b ? x : b, the scalar test's choice (on ties and NaNs too); f, the
       label now read, is above every c so far, and below 2^15: a 16-bit max takes it in */
    static inline void marsad_vmax(__m128 x, __m128 *b, __m128i *c, __m128i f) {
        __m128i m = _mm_castps_si128(_mm_cmpgt_ps(x, *b));
        *b = _mm_max_ps(x, *b);
        *c = _mm_max_epi16(*c, _mm_and_si128(m, f));
    }
    #endif
    /* One Viterbi step: for each label `to` < L, the best of score[fr] + tr[fr * w + to] over
       fr (the first fr on ties: a strict >), its fr in bk and the best plus e[to] in out. The
       same float sums and comparisons, in the same order for each `to`, as the scalar loop; with
       SSE2 (every x86-64) and rows padded to MARSAD_VW, twelve `to` side by side (the padding
       lanes are computed and dropped). */
    static void marsad_viterbi_step(const float *score, const float *tr, Py_ssize_t w,
                                    const float *e, float *out, long *bk, Py_ssize_t L) {
        Py_ssize_t to, fr;
    #if defined(__SSE2__)
        if (w == MARSAD_VW) {
            __m128 s = _mm_set1_ps(score[0]);
            __m128 b0 = _mm_add_ps(s, _mm_loadu_ps(tr)), b1 = _mm_add_ps(s, _mm_loadu_ps(tr + 4)),
                   b2 = _mm_add_ps(s, _mm_loadu_ps(tr + 8));
            __m128i c0 = _mm_setzero_si128(), c1 = c0, c2 = c0, f = c0, one = _mm_set1_epi32(1);
            float best[MARSAD_VW];
            int cur[MARSAD_VW];
            for (fr = 1; fr < L; fr++) {
                const float *row = tr + fr * MARSAD_VW;
                s = _mm_set1_ps(score[fr]);
                f = _mm_add_epi32(f, one);   /* fr in each lane */
                marsad_vmax(_mm_add_ps(s, _mm_loadu_ps(row)), &b0, &c0, f);
                marsad_vmax(_mm_add_ps(s, _mm_loadu_ps(row + 4)), &b1, &c1, f);
                marsad_vmax(_mm_add_ps(s, _mm_loadu_ps(row + 8)), &b2, &c2, f);
            }
            _mm_storeu_ps(best, b0); _mm_storeu_ps(best + 4, b1); _mm_storeu_ps(best + 8, b2);
            _mm_storeu_si128((__m128i *)cur, c0); _mm_storeu_si128((__m128i *)(cur + 4), c1);
            _mm_storeu_si128((__m128i *)(cur + 8), c2);
            for (to = 0; to < L; to++) {
                bk[to] = cur[to];
                out[to] = best[to] + e[to];
            }
            return;
        }
    #endif
        for (to = 0; to < L; to++) {
            float best = score[0] + tr[to], c;
            long cur = 0;
            for (fr = 1; fr < L; fr++) {
                c = score[fr] + tr[fr * w + to];
                if (c > best) { best = c; cur = fr; }
            }
            bk[to] = cur;
            out[to] = best + e[to];
        }
    }
    """
    const Py_ssize_t MARSAD_VW
    void marsad_viterbi_step(const float *score, const float *tr, Py_ssize_t w, const float *e,
                             float *out, long *bk, Py_ssize_t L) nogil


cdef extern from *:
    """
    #include <stdlib.h>
    #include <string.h>
    #include <math.h>
    /* Viterbi for a BIO model of nine labels (O, then B-x, I-x for four types: the shipped
       model's LABELS), where the transitions into an I label from outside its type are all
       below -1e6 (the trainer's -1e9). An I label's best predecessor is then its B or its I:
       only those two are added and compared, the other seven are skipped. The result is the
       full step's only when every skipped candidate is below the best of the two; that is
       checked at every step (each skipped sum is at most fl(hi + dmax), hi the largest score, dmax
       the largest skipped transition: rounding is monotone), and the full loop runs for the four
       I labels where it fails. Scores may not be NaN for that bound: every emission of the
       sentence is checked finite (a sentence with one that is not is decoded by the general
       step), the transitions and starts when the table is made. The O and B labels' steps are
       the general step's: the same sums and comparisons in the same order, so the labels are
       the general step's, ties included. The forward pass keeps each token's scores (hist, by
       slot) and no back pointers: a label's best predecessor is found again as the pass goes
       back, from the same sums (the previous token's scores plus the column of transitions
       into it), as the lowest label of their highest (the general step's strict test; no NaN:
       checked above), so only the maxima are taken forward (O and B-LOC..B-ORG in one SSE2
       vector, B-MISC's nine sums by two vectors and one; a zero kept may differ in sign alone,
       which changes no later sum's value or comparison). An I label's predecessor found so
       from all nine is its B or I wherever the check passed, since the skipped sums are below.
       Scores are kept by slot: O, B-LOC, B-PER, B-ORG, B-MISC, I-LOC, I-PER, I-ORG, I-MISC. */
    #if defined(__SSE2__)
    #define MARSAD_BIO 1
    typedef struct {
        __m128 tA[9];            /* trans[fr][O, B-LOC, B-PER, B-ORG] */
        __m128 tBI, tII;         /* trans[B-x][I-x], trans[I-x][I-x] */
        __m128 cA[9], cB[9];     /* trans[the label of slots 0-3, of slots 4-7][to] */
        float c8[9];             /* trans[I-MISC][to] */
        float tf[81];            /* trans (the I labels' full step) */
        float start[9], end[9];
        float dmax;              /* the largest transition into an I label from outside its type */
    } marsad_bio;
    static const int marsad_bio_pos[9] = {0, 1, 5, 2, 6, 3, 7, 4, 8};   /* a label's slot */
    static const int marsad_bio_label[9] = {0, 1, 3, 5, 7, 2, 4, 6, 8}; /* a slot's label */
    /* for a set of slots 0-7 (a bit each), the slot of the lowest label among them */
    static unsigned char marsad_bio_first[256];
    static int marsad_bio_first_made = 0;

    /* the table for trans (L x L, contiguous), or NULL when the model is not such a BIO model
       (or its transitions or starts are not finite) */
    static marsad_bio *marsad_bio_new(const float *trans, const float *start, const float *end,
                                      Py_ssize_t L) {
        marsad_bio *m;
        int fr, to, k, b, low;
        float dmax = -INFINITY;
        if (L != 9) return NULL;
        for (k = 0; k < 81; k++)
            if (!isfinite(trans[k])) return NULL;
        for (k = 0; k < 9; k++)
            if (!isfinite(start[k])) return NULL;
        for (to = 2; to < 9; to += 2)
            for (fr = 0; fr < 9; fr++)
                if (fr != to - 1 && fr != to && trans[fr * 9 + to] > dmax) dmax = trans[fr * 9 + to];
        if (!(dmax <= -1e6f)) return NULL;
        m = (marsad_bio *)malloc(sizeof(marsad_bio));   /* (malloc's blocks are 16-byte aligned) */
        if (m == NULL) return NULL;
        if (!marsad_bio_first_made) {
            for (k = 0; k < 256; k++) {
                low = 0;
                for (b = 7; b >= 0; b--)
                    if ((k >> b) & 1 && (!((k >> low) & 1) || marsad_bio_label[b] < marsad_bio_label[low]))
                        low = b;
                marsad_bio_first[k] = (unsigned char)low;
            }
            marsad_bio_first_made = 1;
        }
        for (fr = 0; fr < 9; fr++)
            m->tA[fr] = _mm_setr_ps(trans[fr * 9], trans[fr * 9 + 1], trans[fr * 9 + 3], trans[fr * 9 + 5]);
        for (to = 0; to < 9; to++) {
            m->cA[to] = _mm_setr_ps(trans[0 * 9 + to], trans[1 * 9 + to], trans[3 * 9 + to], trans[5 * 9 + to]);
            m->cB[to] = _mm_setr_ps(trans[7 * 9 + to], trans[2 * 9 + to], trans[4 * 9 + to], trans[6 * 9 + to]);
            m->c8[to] = trans[8 * 9 + to];
        }
        m->tBI = _mm_setr_ps(trans[1 * 9 + 2], trans[3 * 9 + 4], trans[5 * 9 + 6], trans[7 * 9 + 8]);
        m->tII = _mm_setr_ps(trans[2 * 9 + 2], trans[4 * 9 + 4], trans[6 * 9 + 6], trans[8 * 9 + 8]);
        memcpy(m->tf, trans, 81 * sizeof(float));
        memcpy(m->start, start, 9 * sizeof(float));
        memcpy(m->end, end, 9 * sizeof(float));
        m->dmax = dmax;
        return m;
    }

    /* label fr's candidates for the O and B-LOC..B-ORG lanes: x > best ? x : best */
    #define MARSAD_BIO_FROM(fr) \
        bA = _mm_max_ps(_mm_add_ps(_mm_set1_ps(sc[marsad_bio_pos[fr]]), m->tA[fr]), bA);

    /* the largest of the four lanes, in every lane */
    static inline __m128 marsad_hmax(__m128 u) {
        u = _mm_max_ps(u, _mm_shuffle_ps(u, u, _MM_SHUFFLE(1, 0, 3, 2)));
        return _mm_max_ps(u, _mm_shuffle_ps(u, u, _MM_SHUFFLE(2, 3, 0, 1)));
    }

    /* The best labels of one sentence (em: its n rows of nine emissions) into out; hist: 9
       floats a token. 1 (nothing written) when an emission is not finite. */
    static int marsad_bio_sentence(const marsad_bio *m, const float *em, Py_ssize_t n, float *hist,
                                   long *out) {
        float b7, best, c, fb[4];
        int k, fr, to, cur;
        Py_ssize_t i;
        const float *e, *sc;
        float *nx;
        __m128 acc, v0, v1, v2, bA, bI, xB, xI, h, eA, eI, u, y0, y1;
        v0 = _mm_loadu_ps(em); v1 = _mm_loadu_ps(em + 4); v2 = _mm_load_ss(em + 8);
        acc = _mm_add_ps(_mm_add_ps(_mm_sub_ps(v0, v0), _mm_sub_ps(v1, v1)), _mm_sub_ps(v2, v2));
        for (to = 0; to < 9; to++)
            hist[marsad_bio_pos[to]] = em[to] + m->start[to];
        for (i = 1; i < n; i++) {
            e = em + 9 * i;
            sc = hist + 9 * (i - 1);
            nx = hist + 9 * i;
            xI = _mm_loadu_ps(sc + 5);
            h = marsad_hmax(_mm_max_ps(_mm_loadu_ps(sc), xI));
            h = _mm_max_ss(h, _mm_load_ss(sc + 4));   /* hi, the largest score, in lane 0 */
            bA = _mm_add_ps(_mm_set1_ps(sc[0]), m->tA[0]);
            MARSAD_BIO_FROM(1) MARSAD_BIO_FROM(2) MARSAD_BIO_FROM(3) MARSAD_BIO_FROM(4)
            MARSAD_BIO_FROM(5) MARSAD_BIO_FROM(6) MARSAD_BIO_FROM(7) MARSAD_BIO_FROM(8)
            y0 = _mm_add_ps(_mm_loadu_ps(sc), m->cA[7]);
            y1 = _mm_add_ps(_mm_loadu_ps(sc + 4), m->cB[7]);
            b7 = _mm_cvtss_f32(marsad_hmax(_mm_max_ps(y0, y1)));
            best = sc[8] + m->c8[7];
            if (best > b7) b7 = best;
            xB = _mm_add_ps(_mm_loadu_ps(sc + 1), m->tBI);
            xI = _mm_add_ps(xI, m->tII);
            bI = _mm_max_ps(xI, xB);        /* the I when strictly better, else the B */
            h = _mm_add_ss(h, _mm_load_ss(&m->dmax));   /* no skipped sum is above it */
            if (_mm_movemask_ps(_mm_cmplt_ps(_mm_shuffle_ps(h, h, 0), bI)) != 15) {
                for (k = 0; k < 4; k++) {   /* the full step for the I labels */
                    to = 2 * k + 2;
                    best = sc[0] + m->tf[to];
                    for (fr = 1; fr < 9; fr++) {
                        c = sc[marsad_bio_pos[fr]] + m->tf[fr * 9 + to];
                        if (c > best) best = c;
                    }
                    fb[k] = best;
                }
                bI = _mm_loadu_ps(fb);
            }
            v0 = _mm_loadu_ps(e); v1 = _mm_loadu_ps(e + 4); v2 = _mm_load_ss(e + 8);
            acc = _mm_add_ps(acc, _mm_add_ps(_mm_add_ps(_mm_sub_ps(v0, v0), _mm_sub_ps(v1, v1)),
                                             _mm_sub_ps(v2, v2)));
            u = _mm_shuffle_ps(v0, v1, _MM_SHUFFLE(1, 1, 3, 3));    /* e3 e3 e5 e5 */
            eA = _mm_shuffle_ps(v0, u, _MM_SHUFFLE(2, 0, 1, 0));    /* e0 e1 e3 e5 */
            u = _mm_shuffle_ps(v0, v1, _MM_SHUFFLE(0, 0, 2, 2));    /* e2 e2 e4 e4 */
            eI = _mm_shuffle_ps(v1, v2, _MM_SHUFFLE(0, 0, 2, 2));   /* e6 e6 e8 e8 */
            eI = _mm_shuffle_ps(u, eI, _MM_SHUFFLE(2, 0, 2, 0));    /* e2 e4 e6 e8 */
            _mm_storeu_ps(nx, _mm_add_ps(bA, eA));
            nx[4] = b7 + e[7];
            _mm_storeu_ps(nx + 5, _mm_add_ps(bI, eI));
        }
        if (_mm_movemask_ps(_mm_cmpunord_ps(acc, acc)))   /* x - x is 0 but for inf and NaN */
            return 1;
        sc = hist + 9 * (n - 1);
        cur = 0;
        best = sc[0] + m->end[0];
        for (to = 1; to < 9; to++) {
            c = sc[marsad_bio_pos[to]] + m->end[to];
            if (c > best) { best = c; cur = to; }
        }
        out[n - 1] = cur;
        for (i = n - 1; i > 0; i--) {   /* label cur's predecessor: the first label of the best */
            sc = hist + 9 * (i - 1);
            y0 = _mm_add_ps(_mm_loadu_ps(sc), m->cA[cur]);
            y1 = _mm_add_ps(_mm_loadu_ps(sc + 4), m->cB[cur]);
            u = marsad_hmax(_mm_max_ps(y0, y1));
            k = marsad_bio_first[_mm_movemask_ps(_mm_cmpeq_ps(y0, u))
                                 | _mm_movemask_ps(_mm_cmpeq_ps(y1, u)) << 4];
            cur = sc[8] + m->c8[cur] > _mm_cvtss_f32(u) ? 8 : marsad_bio_label[k];
            out[i - 1] = cur;
        }
        return 0;
    }
    #else
    #define MARSAD_BIO 0
    typedef struct { int none; } marsad_bio;
    static marsad_bio *marsad_bio_new(const float *trans, const float *start, const float *end,
                                      Py_ssize_t L) { return NULL; }
    static int marsad_bio_sentence(const marsad_bio *m, const float *em, Py_ssize_t n, float *hist,
                                   long *out) { return 1; }
    #endif
    """
    ctypedef struct marsad_bio:
        pass
    marsad_bio *marsad_bio_new(const float *trans, const float *start, const float *end, Py_ssize_t L) nogil
    int marsad_bio_sentence(const marsad_bio *m, const float *em, Py_ssize_t n, float *hist, long *out) nogil


cdef class Transitions:
    """A model's transitions (trans (labels, labels), start, end) as ``viterbi`` and
    ``local_scores`` read them, made once per model rather than at each call: their views, the
    rows padded to ``marsad_viterbi_step``'s width, the columns as rows, and the BIO steps
    (NULL: the general step only). The arrays are read here: change them, make another."""
    cdef readonly object trans, start, end   # the arrays (the tagger checks they are its model's)
    cdef const float[:, ::1] tv
    cdef const float[::1] sv, ev
    cdef const float[:, ::1] into   # into[to, fr]: the transition from fr to to
    cdef float *tr                  # tr[fr * w + to], zeros past L
    cdef marsad_bio *mb
    cdef Py_ssize_t L, w

    def __cinit__(self, trans, start, end):
        self.tv, self.sv, self.ev = trans, start, end
        cdef Py_ssize_t L = self.tv.shape[0], fr, to
        if self.tv.shape[1] != L or self.sv.shape[0] != L or self.ev.shape[0] != L:
            raise ValueError("transitions of mismatched shapes")
        self.trans, self.start, self.end = trans, start, end
        self.into = np.ascontiguousarray(np.asarray(trans).T)
        self.L = L
        self.w = MARSAD_VW if L <= MARSAD_VW else L
        self.tr = <float *>calloc(L * self.w + 1, sizeof(float))
        if self.tr == NULL:
            raise MemoryError()
        for fr in range(L):
            for to in range(L):
                self.tr[fr * self.w + to] = self.tv[fr, to]
        if L == 9:
            self.mb = marsad_bio_new(&self.tv[0, 0], &self.sv[0], &self.ev[0], L)

    def __dealloc__(self):
        free(self.tr)
        free(self.mb)


def viterbi(const float[:, ::1] em, const long[::1] starts, const long[::1] lengths, Transitions t,
            bint bio=True):
    """Best label id of every token (emissions (tokens, labels) of consecutive sentences), as
    perceptron.viterbi with t's transitions: ties go to the lowest label id. The same float sums
    and comparisons, in the same order, over plain C arrays (the transitions out of each label
    side by side, in rows padded to twelve labels: every label's step at once in
    ``marsad_viterbi_step``). A nine-label BIO model's sentences go through
    ``marsad_bio_sentence`` (an I label's predecessors are its B and its I, checked at each step
    to give the same labels); bio=False: the general step only (the tests compare)."""
    cdef Py_ssize_t n = em.shape[0], L = em.shape[1], s, a, length, i, to, cur, longest = 1
    cdef Py_ssize_t w = t.w
    cdef float best, c
    cdef const float *e
    cdef const float *start
    cdef const float *end
    cdef Py_ssize_t at = 0   # the end of the sentences so far, while they follow one another from 0
    if L != t.L and n > 0:
        raise ValueError("emissions and transitions of different labels")
    labels = np.empty(n, dtype=np.int64)
    cdef long[::1] out = labels
    for s in range(lengths.shape[0]):
        if lengths[s] > longest:
            longest = lengths[s]
        if lengths[s] > 0 and at >= 0:
            at = at + lengths[s] if starts[s] == at else -1
    if at != n or L == 0:   # tokens no sentence covers (the document pass's changed sentences) are 0
        labels.fill(0)
    if n == 0 or L == 0:
        return labels
    start, end = &t.sv[0], &t.ev[0]
    cdef const marsad_bio *mb = t.mb if bio else NULL
    cdef float *hist = NULL
    cdef float *buf = <float *>malloc(2 * L * sizeof(float))
    cdef float *score = buf
    cdef float *new = buf + L
    cdef long *back = <long *>malloc(longest * L * sizeof(long))
    if buf == NULL or back == NULL:
        free(buf)
        free(back)
        raise MemoryError()
    try:
        if mb != NULL:
            hist = <float *>malloc(longest * 9 * sizeof(float))
            if hist == NULL:
                raise MemoryError()
        for s in range(starts.shape[0]):
            a, length = starts[s], lengths[s]
            if length <= 0:
                continue
            if mb != NULL and marsad_bio_sentence(mb, &em[a, 0], length, hist, &out[a]) == 0:
                continue
            e = &em[a, 0]
            for to in range(L):
                score[to] = e[to] + start[to]
            for i in range(1, length):
                marsad_viterbi_step(score, t.tr, w, &em[a + i, 0], new, back + i * L, L)
                score, new = new, score
            cur = 0
            best = score[0] + end[0]
            for to in range(1, L):
                c = score[to] + end[to]
                if c > best:
                    best, cur = c, to
            out[a + length - 1] = cur
            for i in range(length - 1, 0, -1):
                cur = back[i * L + cur]
                out[a + i - 1] = cur
        return labels
    finally:
        free(buf)
        free(back)
        free(hist)


def bio_steps(Transitions t):
    """Whether ``viterbi`` decodes with these transitions by ``marsad_bio_sentence`` (the
    tests: the shipped model does)."""
    return t.mb != NULL


def gazetteer_tags(list hits):
    """The gazetteer scan's hits (``geoparser.gazetteer_hits``) as the tagger's (start, end,
    label): "gaz", or "gazw" when every place the name may be is a common word too."""
    cdef list out = []
    cdef Py_ssize_t b
    for h in hits:
        b = (<tuple>h)[1]
        label = "gazw"
        for c in (<tuple>h)[4]:
            if not (<tuple>c)[1]:
                label = "gaz"
                break
        out.append((b - len(<str>(<tuple>h)[3]), b, label))
    return out


def token_arrays(list tokens):
    """(starts, ends, sentence numbers) of the tokens, as int64 arrays, in one pass; then the
    start and length of each run of tokens of one sentence (``tagger._runs`` of the numbers,
    which Viterbi and ``local_scores`` take: a run [0], [0] for no token, as there)."""
    cdef Py_ssize_t n = len(tokens), k, r
    starts, ends, sent = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    cdef long[::1] a = starts, b = ends, s = sent
    if n:
        _learn(tokens[0])
    k = 0
    while k < n:
        # the tokens whose slots hold small ints, read in place in C (three field reads and
        # conversions a token were most of this function); any other asked by name
        if _token_class is not None:
            k = marsad_token_arrays(<PyObject *>tokens, k, n, <PyObject *>_token_class, _at_start, _at_end,
                                    _at_sent, &a[0], &b[0], &s[0])
            if k == n:
                break
        t = tokens[k]
        a[k], b[k], s[k] = _field(t, _at_start, "start"), _field(t, _at_end, "end"), _field(t, _at_sent, "sent")
        k += 1
    r = 1
    for k in range(1, n):
        r += s[k] != s[k - 1]
    run_starts, lengths = np.empty(r, dtype=np.int64), np.empty(r, dtype=np.int64)
    cdef long[::1] rs = run_starts, rl = lengths
    rs[0] = 0
    r = 0
    for k in range(1, n):
        if s[k] != s[k - 1]:
            rl[r] = k - rs[r]
            r += 1
            rs[r] = k
    rl[r] = n - rs[r]
    return starts, ends, sent, run_starts, lengths


cdef inline Py_ssize_t _bisect_left(const long *a, Py_ssize_t n, long x) noexcept nogil:
    """bisect.bisect_left over a[:n], probed as bisect does."""
    cdef Py_ssize_t lo = 0, hi = n, k
    while lo < hi:
        k = (lo + hi) // 2
        if a[k] < x:
            lo = k + 1
        else:
            hi = k
    return lo


cdef Py_ssize_t _after_from(const long *s, Py_ssize_t n, long x, Py_ssize_t g) noexcept:
    """bisect_right(s[:n], x) for sorted s, searched outward from g (0 <= g <= n) by doubling
    steps, then halving: a lexicon hit's tokens lie near the hit's before it (a few steps, not
    the ten of a bisection of the whole text)."""
    cdef Py_ssize_t lo, hi, step = 1, mid
    if g < n and s[g] <= x:      # the answer is past g
        lo = g + 1
        hi = lo
        while hi < n and s[hi] <= x:
            lo = hi + 1
            hi = lo + step
            step *= 2
        if hi > n:
            hi = n
    elif g > 0 and s[g - 1] > x:   # the answer is before g
        hi = g - 1
        while True:
            mid = hi - step
            if mid < 0:
                lo = 0
                break
            if s[mid] > x:
                hi = mid
                step *= 2
            else:
                lo = mid + 1
                break
    else:
        return g
    while lo < hi:   # s[:lo] <= x < s[hi:]
        mid = (lo + hi) // 2
        if x < s[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


cdef inline Py_ssize_t _before_from(const long *s, Py_ssize_t n, long x, Py_ssize_t lo) noexcept:
    """bisect_left(s[:n], x, lo) for sorted s (0 <= lo <= n), searched outward from lo: as
    bisect_right of x - 1 (the offsets are ints)."""
    if x == LONG_MIN:
        return lo
    return max(lo, _after_from(s, n, x - 1, lo))


cdef enum:
    _LABELS = 16   # the labels whose codes _hit_spans keeps at hand (the sources': a few)


cdef int _hit_spans(list hits, const long[::1] starts, const long[::1] ends, dict names, dict code,
                    list tagstr, long *sp) except -1:
    """Per lexicon hit (start, end, label), four longs of sp: its first token, end token and the
    codes of its B and I tags (code: tag -> code, in order of first use; tagstr: code -> tag,
    both filled here)."""
    cdef Py_ssize_t nh = len(hits), n = starts.shape[0], h, i = 0, q, nl = 0, l
    cdef long a, b
    cdef const long *s = &starts[0] if n else NULL
    cdef long codes[2]
    cdef tuple tags
    # the labels met so far and their codes (the sources' hits interleave a few labels): each
    # label's tags looked up at its first hit only (borrowed: hits holds the labels)
    cdef PyObject *seen[_LABELS]
    cdef long seen_codes[_LABELS][2]
    for h in range(nh):
        a, b, name = <tuple>hits[h]
        i = _after_from(s, n, a, i) - 1   # the token a falls in, or the one before
        if i < 0 or ends[i] <= a:
            i += 1
        sp[4 * h], sp[4 * h + 1] = i, _before_from(s, n, b, i)
        for l in range(nl):
            if seen[l] == <PyObject *>name:
                codes[0], codes[1] = seen_codes[l][0], seen_codes[l][1]
                break
        else:
            tags = names.get(name)
            if tags is None:
                tags = names[name] = (name + "=B", name + "=I")
            for q in range(2):
                c = code.get(tags[q])
                if c is None:
                    c = code[tags[q]] = len(tagstr)
                    tagstr.append(tags[q])
                codes[q] = c
            if nl < _LABELS:
                seen[nl] = <PyObject *>name
                seen_codes[nl][0], seen_codes[nl][1] = codes[0], codes[1]
                nl += 1
        sp[4 * h + 2], sp[4 * h + 3] = codes[0], codes[1]
    return 0


cdef struct _Tags:
    # the lexicon tags of a document's tokens (_tags_fill), in C buffers (malloc'd: no numpy
    # array and memoryview each a call)
    long *sp      # per hit, four longs: _hit_spans'
    long *cnt     # per token: the number of its own tags
    long *own     # per token, W longs: its own tags' codes, in the order its hits gave them
    long *order   # the tokens in the order they first got a tag, norder of them
    Py_ssize_t T, W, norder   # the tags' number, a token's row in own (T, at least 1)


cdef inline void _tags_free(_Tags *g) noexcept:
    free(g.sp)
    free(g.cnt)
    free(g.own)
    free(g.order)
    g.sp = g.cnt = g.own = g.order = NULL


cdef int _tags_fill(_Tags *g, list hits, const long[::1] starts, const long[::1] ends, dict names,
                    dict code, list tagstr) except -1:
    """g = the hits' spans (_hit_spans), then each token's own tag codes in the order its hits
    gave them, without repeats (cnt, own), and the tokens in the order they first got one
    (order): the Python loop's dict order, which orders the pieces of a token's list. g starts
    with NULL buffers; the caller frees them (_tags_free) whatever happens."""
    cdef Py_ssize_t n = starts.shape[0], nh = len(hits), h, k, q, x
    cdef long tag
    cdef long *sp
    g.sp = <long *>malloc(4 * max(nh, 1) * sizeof(long))
    if g.sp == NULL:
        raise MemoryError()
    _hit_spans(hits, starts, ends, names, code, tagstr, g.sp)
    g.T = len(tagstr)
    g.W = max(g.T, 1)
    g.norder = 0
    g.cnt = <long *>calloc(max(n, 1), sizeof(long))
    g.own = <long *>malloc(max(n, 1) * g.W * sizeof(long))
    g.order = <long *>malloc(max(n, 1) * sizeof(long))
    if g.cnt == NULL or g.own == NULL or g.order == NULL:
        raise MemoryError()
    sp = g.sp
    for h in range(nh):
        for k in range(sp[4 * h], sp[4 * h + 1]):
            tag = sp[4 * h + 2] if k == sp[4 * h] else sp[4 * h + 3]
            if g.cnt[k] == 0:
                g.order[g.norder] = k
                g.norder += 1
            x = k * g.W
            for q in range(g.cnt[k]):
                if g.own[x + q] == tag:
                    break
            else:
                g.own[x + g.cnt[k]] = tag
                g.cnt[k] += 1
    return 0


def spread_tags(list hits, const long[::1] starts, const long[::1] ends, const long[::1] sent,
                dict names, dict encoded):
    """``LexiconFeatures.matches`` after the sources have run (hits: (start, end, label) of
    every source, in order; the tokens' starts, ends and sentence numbers): each token's tags,
    then those of its neighbours in its sentence, in the same order as the Python loop builds
    them. The tags of a token are kept as small codes in C arrays until the end."""
    cdef Py_ssize_t n = starts.shape[0], nh = len(hits), i, k, q
    cdef dict code = {}      # tag -> its code, in order of first use
    cdef list tagstr = []    # code -> tag
    cdef dict out = {}
    cdef tuple tags, e
    if not n or not nh:
        return out
    cdef _Tags g
    memset(&g, 0, sizeof(_Tags))
    try:
        _tags_fill(&g, hits, starts, ends, names, code, tagstr)
        for q in range(g.norder):
            k = g.order[q]
            key = tuple([tagstr[g.own[k * g.W + i]] for i in range(g.cnt[k])])
            e = encoded.get(key)
            if e is None:
                lst = list(key)
                e = encoded[key] = (lst, ["-1" + x for x in lst], ["+1" + x for x in lst])
            _extend(out, k, <list>e[0])
            if k + 1 < n and sent[k + 1] == sent[k]:
                _extend(out, k + 1, <list>e[1])
            if k > 0 and sent[k - 1] == sent[k]:
                _extend(out, k - 1, <list>e[2])
    finally:
        _tags_free(&g)
    return out


cdef inline void _extend(dict out, Py_ssize_t k, list tags):
    """out[k] = out.get(k, []) + tags (a new list: the cached ones are shared)."""
    old = out.get(k)
    out[k] = list(tags) if old is None else (<list>old) + tags


cdef extern from *:
    """
    /* _gap_scan's skip in 2-byte text: from p, past the Arabic letters U+0620-U+064A (word
       characters) and each space with one of them after it (below hi): no gap lies there. With
       SSE2 eight units a step while all eight are such (the units after them read by a second
       load, so a block needs p + 9 <= hi); then unit by unit, as far as the block's end. */
    static Py_ssize_t marsad_skip_arabic(const uint16_t *d, Py_ssize_t p, Py_ssize_t hi) {
        Py_ssize_t end;
    #if defined(__SSE2__)
        const __m128i base = _mm_set1_epi16(0x0620), span = _mm_set1_epi16(0x064A - 0x0620),
                      zero = _mm_setzero_si128(), space = _mm_set1_epi16(32);
    #endif
        for (;;) {
    #if defined(__SSE2__)
            for (; p + 9 <= hi; p += 8) {
                __m128i v = _mm_loadu_si128((const __m128i *)(d + p));
                __m128i w = _mm_loadu_si128((const __m128i *)(d + p + 1));
                /* a letter: v - U+0620 at most the span, unsigned (a saturating subtract is 0) */
                __m128i lv = _mm_cmpeq_epi16(_mm_subs_epu16(_mm_sub_epi16(v, base), span), zero);
                __m128i lw = _mm_cmpeq_epi16(_mm_subs_epu16(_mm_sub_epi16(w, base), span), zero);
                __m128i skip = _mm_or_si128(lv, _mm_and_si128(_mm_cmpeq_epi16(v, space), lw));
                if (_mm_movemask_epi8(skip) != 0xFFFF)
                    break;
            }
    #endif
            end = p + 8 < hi ? p + 8 : hi;
            while (p < end) {
                if ((unsigned)(d[p] - 0x0620) <= 0x064A - 0x0620)
                    p += 1;
                else if (d[p] == 32 && p + 1 < hi && (unsigned)(d[p + 1] - 0x0620) <= 0x064A - 0x0620)
                    p += 2;
                else
                    return p;
            }
            if (p >= hi)
                return p;
        }
    }
    """
    Py_ssize_t marsad_skip_arabic(const uint16_t *d, Py_ssize_t p, Py_ssize_t hi) noexcept nogil


cdef int _gap_scan(str norm, const long[::1] starts, const long[::1] ends, const long[::1] sent,
                   _Buf *b) except -1:
    """The gaps ``features.doc_gap_features`` reads between two tokens of one sentence (the
    matches of ``\\W{2,}|[^\\w ]`` between the first token's end and the last one's start, found
    by one pass over the characters: a run of two or more non-word characters, or one that is
    not a space), in text order, as three longs each pushed on b: the token after the gap, the
    first and the second of its characters other than a space (-1: none); a run of spaces alone
    is none. No string is made."""
    cdef Py_ssize_t n = starts.shape[0], p, q, end, i = 1, j
    cdef Py_UCS4 c, d
    cdef long c1, c2
    cdef int kind = PyUnicode_KIND(norm)
    cdef const void *data = PyUnicode_DATA(norm)
    if n < 2:
        return 0
    p = ends[0]
    cdef Py_ssize_t hi = starts[n - 1]   # the tokens' offsets are within norm
    cdef const uint16_t *d16 = <const uint16_t *>data if kind == 2 else NULL
    while p < hi:
        if d16 != NULL:
            # Arabic letters (word characters: _chars.alnum) and a lone space between two (no
            # gap) skipped without the general test, eight at a time where all eight are
            p = marsad_skip_arabic(d16, p, hi)
            if p >= hi:
                break
        c = PyUnicode_READ(kind, data, p)
        if _is_word(c):
            p += 1
            continue
        q = p + 1
        while q < hi and not _is_word(PyUnicode_READ(kind, data, q)):
            q += 1
        if q - p < 2 and c == u' ':
            p = q
            continue
        end = q
        c1 = c2 = -1   # norm[p:end].replace(" ", "")[:2]
        for j in range(p, end):
            d = PyUnicode_READ(kind, data, j)
            if d != u' ':
                if c1 < 0:
                    c1 = <long>d
                else:
                    c2 = <long>d
                    break
        p = end
        if c1 < 0:
            continue
        i = _before_from(&starts[0], n, end, i)  # the token after the gap (near the one before)
        if sent[i] != sent[i - 1]:
            continue
        _push(b, i)
        _push(b, c1)
        _push(b, c2)
    return 0


cdef str _gap_str(long c1, long c2):
    """The gap's characters (``_gap_scan``'s two) as the string its features are named by."""
    if c2 < 0:
        return chr(c1)
    return chr(c1) + chr(c2)


def gap_features(str norm, const long[::1] starts, const long[::1] ends, const long[::1] sent):
    """``features.doc_gap_features`` over the token arrays, from ``_gap_scan``'s gaps: token
    index -> its "lp" and "rp" features (``add_token_features`` reads the same gaps without
    these lists)."""
    cdef dict out = {}
    cdef list lst
    cdef Py_ssize_t h, i
    cdef _Buf b
    b.p, b.n, b.cap = NULL, 0, 0
    try:
        _gap_scan(norm, starts, ends, sent, &b)
        for h in range(0, b.n, 3):
            i = b.p[h]
            g = _gap_str(b.p[h + 1], b.p[h + 2])
            pair = _GAP_FEATURES.get(g)
            if pair is None:
                if len(_GAP_FEATURES) > 4096:   # (two characters at most: a few dozen in the news)
                    _GAP_FEATURES.clear()
                pair = _GAP_FEATURES[g] = ("lp=" + g, "rp=" + g)
            lst = out.get(i)
            if lst is None:
                lst = out[i] = []
            lst.insert(0, (<tuple>pair)[0])  # "lp" before "rp", as gap_features orders them
            lst = out.get(i - 1)
            if lst is None:
                lst = out[i - 1] = []
            lst.append((<tuple>pair)[1])
    finally:
        free(b.p)
    return out


# a gap's two feature strings by its characters (made once, not two concatenations a gap)
cdef dict _GAP_FEATURES = {}


cdef inline long _row(dict vocab, str feature):
    r = vocab.get(feature)
    return -1 if r is None else <long>r


def add_token_features(float[:, ::1] scores, const float[:, ::1] weights, dict vocab, str norm,
                       list hits, const long[::1] starts, const long[::1] ends, const long[::1] sent,
                       dict names, dict tag_rows, dict flag_of, dict gap_rows):
    """``Tagger.emissions``'s token features without their strings per token: adds to each
    token's scores the summed weights of its punctuation features (the gaps of norm between
    words, ``_gap_scan``: ``features.doc_gap_features`` without a list per token) and of the
    lexicon tags ``LexiconFeatures.matches`` would give it (hits: (start, end, label) of every
    source), summed in the same order as numpy sums those lists (row 0, then each feature's
    row), so the scores are the same to the bit.

    names: label -> its B and I tags; tag_rows: tag -> its rows as a token's own, -1 and +1
    feature (-1: not in the model); gap_rows: a gap's characters (packed, ``_gap_key``) -> the
    rows of its "lp" and "rp" features; all three filled here as they appear; flag_of: tag ->
    bits. Returns each token's bits: the OR of flag_of over its own tags (the gazetteer's
    flags)."""
    cdef Py_ssize_t n = starts.shape[0], nh = len(hits), L = weights.shape[1]
    cdef Py_ssize_t i, k, q, T, ng
    cdef dict code = {}      # tag -> its code in this call
    cdef list tagcodes = []  # code -> tag
    cdef tuple tags
    flags_arr = np.zeros(n, dtype=np.uint8)
    cdef unsigned char[::1] flags = flags_arr
    if not n:
        return flags_arr
    # the tags of each token (_tags_fill), per code its own, -1 and +1 rows and flag bits
    # (info), each token's place in the order tokens first got a tag (rank, -1: none) and the
    # sum of a token's features (acc): C buffers
    cdef _Tags tg
    memset(&tg, 0, sizeof(_Tags))
    cdef long *info = NULL
    cdef long *rank = NULL
    cdef float *acc = NULL
    cdef _Buf gb
    gb.p, gb.n, gb.cap = NULL, 0, 0
    cdef long *grow = NULL
    try:
        _tags_fill(&tg, hits, starts, ends, names, code, tagcodes)
        T = tg.T
        info = <long *>malloc(4 * max(T, 1) * sizeof(long))
        rank = <long *>malloc(n * sizeof(long))
        acc = <float *>calloc(max(L, 1), sizeof(float))
        if info == NULL or rank == NULL or acc == NULL:
            raise MemoryError()
        for q in range(T):
            t = tagcodes[q]
            rows = tag_rows.get(t)
            if rows is None:
                rows = tag_rows[t] = (_row(vocab, t), _row(vocab, "-1" + t), _row(vocab, "+1" + t))
            info[4 * q], info[4 * q + 1], info[4 * q + 2] = rows
            info[4 * q + 3] = flag_of.get(t, 0)
        for k in range(n):
            rank[k] = -1
        for q in range(tg.norder):
            k = tg.order[q]
            rank[k] = q
            for i in range(tg.cnt[k]):
                flags[k] |= <unsigned char>info[4 * tg.own[k * tg.W + i] + 3]
        # the gaps (token after, two characters) and the rows of their "lp" / "rp" features: a
        # token's list is the lp of the gaps before it, last first (each was put at the list's
        # head), then the rp of the gaps after it, in order (gap_features' lists)
        _gap_scan(norm, starts, ends, sent, &gb)
        ng = gb.n // 3
        grow = <long *>malloc(max(2 * ng, 1) * sizeof(long))
        if grow == NULL:
            raise MemoryError()
        for q in range(ng):
            key = _gap_key(gb.p[3 * q + 1], gb.p[3 * q + 2])
            rows = gap_rows.get(key)
            if rows is None:
                if len(gap_rows) > 4096:   # (two characters at most: a few dozen in the news)
                    gap_rows.clear()
                g = _gap_str(gb.p[3 * q + 1], gb.p[3 * q + 2])
                rows = gap_rows[key] = (_row(vocab, "lp=" + g), _row(vocab, "rp=" + g))
            grow[2 * q], grow[2 * q + 1] = rows
        _token_sums(scores, weights, L, n, sent, gb.p, grow, ng, rank, tg.cnt, tg.own, tg.W, info, acc)
    finally:
        _tags_free(&tg)
        free(info)
        free(rank)
        free(acc)
        free(gb.p)
        free(grow)
    return flags_arr


cdef object _gap_key(long c1, long c2):
    """A gap's two characters (``_gap_scan``'s; c2 -1 for none) as one int key."""
    return (<unsigned long long>c1) | ((<unsigned long long>(c2 + 1)) << 22)


cdef void _token_sums(float[:, ::1] scores, const float[:, ::1] weights, Py_ssize_t L, Py_ssize_t n,
                      const long[::1] sent, const long *gaps, const long *grow, Py_ssize_t ng,
                      const long *rank, const long *cnt, const long *own, Py_ssize_t W,
                      const long *info, float *acc) noexcept:
    """``add_token_features``' sums, token by token (gaps: ``_gap_scan``'s triples, grow: each
    gap's lp and rp rows, -1 for none; rank, cnt, own (W a token), info: its buffers)."""
    cdef Py_ssize_t k, q, p, i, np_, gp = 0, ga, gz, x
    cdef long r, best, t
    cdef long piece[3]
    cdef long slot[3]
    for k in range(n):
        while gp < ng and gaps[3 * gp] < k:
            gp += 1
        ga = gp                      # gaps[gp:ga]: those before token k
        while ga < ng and gaps[3 * ga] == k:
            ga += 1
        gz = ga                      # gaps[ga:gz]: those after it
        while gz < ng and gaps[3 * gz] == k + 1:
            gz += 1
        # the pieces of k's lexicon list: its own tags, the left neighbour's as -1, the right
        # one's as +1, in the order those tokens first got a tag
        np_ = 0
        if rank[k] >= 0:
            piece[np_], slot[np_] = k, 0
            np_ += 1
        if k > 0 and rank[k - 1] >= 0 and sent[k - 1] == sent[k]:
            piece[np_], slot[np_] = k - 1, 1  # seen from k, the left neighbour's tags are "-1"
            np_ += 1
        if k + 1 < n and rank[k + 1] >= 0 and sent[k + 1] == sent[k]:
            piece[np_], slot[np_] = k + 1, 2
            np_ += 1
        if np_ == 0 and gz == gp:
            continue
        memcpy(acc, &weights[0, 0], L * sizeof(float))   # (the scalar loop was 4 a float)
        x = ga - 1
        while x >= gp:
            r = grow[2 * x]
            if r >= 0:
                marsad_add(&acc[0], &weights[r, 0], L)
            x -= 1
        for x in range(ga, gz):
            r = grow[2 * x + 1]
            if r >= 0:
                marsad_add(&acc[0], &weights[r, 0], L)
        for q in range(np_):  # a few pieces: by rank
            best = q
            for p in range(q + 1, np_):
                if rank[piece[p]] < rank[piece[best]]:
                    best = p
            if best != q:
                t = piece[q]; piece[q] = piece[best]; piece[best] = t
                t = slot[q]; slot[q] = slot[best]; slot[best] = t
            i = piece[q]
            for p in range(cnt[i]):
                r = info[4 * own[i * W + p] + slot[q]]
                if r >= 0:
                    marsad_add(&acc[0], &weights[r, 0], L)
        marsad_add(&scores[k, 0], &acc[0], L)


cdef inline bint _same_words(const long *inv, Py_ssize_t a, Py_ssize_t b, Py_ssize_t k) noexcept:
    cdef Py_ssize_t q
    for q in range(k):
        if inv[a + q] != inv[b + q]:
            return False
    return True


cdef extern from *:
    """
    /* row[0:n] = 0 but row[one] = 1 (0 <= one < n): a word's counts when it first comes
       (doc_codes). A plain store a long: of a zeroing loop gcc makes a memset call, which for
       a row of ten longs cost more than the stores (89,615 rows over 200 reports) */
    __attribute__((optimize("no-tree-loop-distribute-patterns")))
    static void marsad_count_row(long *row, Py_ssize_t n, long one) {
        Py_ssize_t t = 0;
    #if defined(__SSE2__)
        __m128i z = _mm_setzero_si128();   /* two longs a store */
        for (; t + 2 <= n; t += 2)
            _mm_storeu_si128((__m128i *)(row + t), z);
    #endif
        for (; t < n; t++)
            row[t] = 0;
        row[one] = 1;
    }
    /* row[0:n] = -1 (doc_codes' empty hash slots). A plain store a pair: gcc's memset of
       it ran as rep stosb, which valgrind counts a byte at a time (3.46 M over 200 reports) */
    __attribute__((optimize("no-tree-loop-distribute-patterns")))
    static void marsad_fill_empty(long *row, Py_ssize_t n) {
        Py_ssize_t t = 0;
    #if defined(__SSE2__)
        __m128i z = _mm_set1_epi32(-1);   /* two longs of -1 a store, four stores a turn */
        for (; t + 8 <= n; t += 8) {
            _mm_storeu_si128((__m128i *)(row + t), z);
            _mm_storeu_si128((__m128i *)(row + t + 2), z);
            _mm_storeu_si128((__m128i *)(row + t + 4), z);
            _mm_storeu_si128((__m128i *)(row + t + 6), z);
        }
    #endif
        for (; t < n; t++)
            row[t] = -1;
    }
    """
    void marsad_count_row(long *row, Py_ssize_t n, long one) noexcept nogil
    void marsad_fill_empty(long *row, Py_ssize_t n) noexcept nogil


cdef inline void _word_best(const long *rows, const long *cnt, Py_ssize_t u, Py_ssize_t T, Py_ssize_t T2,
                            long *wbest, long *wtop) noexcept:
    """For each word seen twice or more, the first of its types 1..T-1 with the most in its row
    (rows: a word's T2 longs) and that count, as ``doc_codes``' token loops find them."""
    cdef Py_ssize_t w, t
    cdef long best, top, c
    for w in range(u):
        if cnt[w] < 2:
            continue
        best, top = 1, -1
        for t in range(1, T):
            c = rows[w * T2 + t]
            if c > top:
                best, top = t, c
        wbest[w], wtop[w] = best, top


def doc_codes(const long[::1] keys, const long[::1] labels, const long[::1] sent,
              const long[::1] type_of, const unsigned char[::1] begins, long dcm, long dcl, long dcs):
    """``docpass.codes``: (tokens, 3) codes of each token of a document, in a few passes over the
    tokens with a hash of the word types instead of numpy's sorts (type_of, begins: label id ->
    its type, whether it begins a name; dcm, dcl, dcs: the first code of each kind). A recurring
    sequence's copies are marked in the order its names first come, as ``docpass`` does."""
    cdef Py_ssize_t n = keys.shape[0], T = 0, cap = 1, u = 0, i, j, t, g, k, m, q, p, a, nm = 0, ng = 0
    cdef unsigned long long h
    cdef long w, top, best, tot, c, base, ty
    cdef bint anytyp = False, anymulti = False
    out = np.empty((n, 3), dtype=np.int64)   # zeroed in the first pass below, not by a memset
    cdef long[:, ::1] o = out
    if n < 2:
        out.fill(0)
        return out
    for i in range(type_of.shape[0]):
        T = max(T, type_of[i] + 1)
    while cap < 2 * n:
        cap <<= 1
    # not calloc: zeroing all of it was a third of the pass; only the counters are set below, in
    # the first pass over the tokens (out, multi; a word's cnt, counts and mc when it first
    # comes), and first[0]
    cdef long *buf = <long *>malloc((2 * cap + 13 * n + 1 + 2 * n * T) * sizeof(long))
    if buf == NULL:
        raise MemoryError()
    cdef long *skey = buf          # the hash's slots: a word's key and its dense id
    cdef long *sid = skey + cap
    cdef long *inv = sid + cap     # each token's word (dense id, in the order words come)
    cdef long *cnt = inv + n       # each word's count
    cdef long *typ = cnt + n       # each token's type (0: O)
    cdef long *multi = typ + n     # each token lies inside a multi-word name
    cdef long *first = multi + n   # each word's positions: pos[first[w]:first[w + 1]]
    cdef long *pos = first + n + 1
    cdef long *cur = pos + n
    # (word, type) counts of all tokens (counts) and of multi-word names (mc), a word's two
    # rows side by side (one loop sets both when the word comes): rows of T2 = 2 * T longs
    cdef Py_ssize_t T2 = 2 * T
    cdef long *counts = cur + n
    cdef long *mc = counts + T
    cdef long *na = counts + n * T2   # the multi-word names met: start, length; their groups
    cdef long *nk = na + n
    cdef long *gfirst = nk + n     # (word sequence, type) groups: first name, names in it
    cdef long *gcount = gfirst + n
    cdef long *wbest = gcount + n  # a recurring word's best type and its count over all its
    cdef long *wtop = wbest + n    # tokens (the dcm, then the dcl pass): a token of type O reads them
    try:
        marsad_fill_empty(sid, cap)
        first[0] = 0
        for i in range(n):
            h = (<unsigned long long>keys[i] * 11400714819323198485ULL) >> 20
            j = <Py_ssize_t>(h & <unsigned long long>(cap - 1))
            while sid[j] >= 0 and skey[j] != keys[i]:
                j = (j + 1) & (cap - 1)
            o[i, 0] = o[i, 1] = o[i, 2] = 0
            multi[i] = 0
            ty = typ[i] = type_of[labels[i]]
            if sid[j] < 0:
                skey[j], sid[j] = keys[i], u
                marsad_count_row(counts + u * T2, T2, ty)   # its counts: 1 of its type; its mc: 0
                cnt[u] = 1
                w = u
                u += 1
            else:
                w = sid[j]
                counts[w * T2 + ty] += 1
                cnt[w] += 1
            inv[i] = w
            if typ[i]:
                anytyp = True
        # dcm: the type most of the word's other occurrences had (the first of a tie), its share
        _word_best(counts, cnt, u, T, T2, wbest, wtop)
        for i in range(n):
            w = inv[i]
            if cnt[w] < 2:
                continue
            tot = cnt[w] - 1
            if typ[i] == 0:   # (its own type is not counted among 1..T-1: the word's best)
                best, top = wbest[w], wtop[w]
            else:
                best, top = 1, -1
                for t in range(1, T):
                    c = counts[w * T2 + t] - (t == typ[i])
                    if c > top:
                        best, top = t, c
            if top == 0:
                o[i, 0] = dcm
            else:
                o[i, 0] = dcm + 1 + 3 * (best - 1) + (0 if top == tot else (1 if 2 * top >= tot else 2))
        if not anytyp:
            return out
        # tokens inside a multi-word name: an I- label, or a B- followed by its I-
        for i in range(n):
            if typ[i] and (not begins[labels[i]] or (
                    i + 1 < n and sent[i + 1] == sent[i] and type_of[labels[i + 1]] == typ[i]
                    and not begins[labels[i + 1]])):
                multi[i] = 1
                anymulti = True
                mc[inv[i] * T2 + typ[i]] += 1
        if not anymulti:
            return out
        # dcl: the type of a longer name containing the word elsewhere
        _word_best(mc, cnt, u, T, T2, wbest, wtop)
        for i in range(n):
            w = inv[i]
            if cnt[w] < 2:
                continue
            if multi[i] == 0:   # (none of its own to take off: the word's best)
                best, top = wbest[w], wtop[w]
            else:
                best, top = 1, -1
                for t in range(1, T):
                    c = mc[w * T2 + t] - (t == typ[i])
                    if c > top:
                        best, top = t, c
            o[i, 1] = dcl + best - 1 if top > 0 else 0
        # dcs: the multi-word names whose first word recurs, grouped by (words, type) in the order
        # they come
        for i in range(n):
            if not multi[i] or cnt[inv[i]] < 2 or not (begins[labels[i]] or i == 0 or not multi[i - 1]):
                continue
            j = i + 1
            while j < n and multi[j] and not begins[labels[j]] and sent[j] == sent[i]:
                j += 1
            k = j - i
            if k < 2:
                continue
            g = 0
            while g < ng:
                m = gfirst[g]
                if nk[m] == k and typ[na[m]] == typ[i] and _same_words(inv, na[m], i, k):
                    break
                g += 1
            if g == ng:
                gfirst[g], gcount[g] = nm, 0
                ng += 1
            gcount[g] += 1
            na[nm], nk[nm] = i, k
            nm += 1
        if not ng:
            return out
        for w in range(u):
            first[w + 1] = first[w] + cnt[w]
            cur[w] = first[w]
        for i in range(n):
            pos[cur[inv[i]]] = i
            cur[inv[i]] += 1
        for g in range(ng):
            m = gfirst[g]
            a, k = na[m], nk[m]
            base = dcs + 2 * (typ[a] - 1)
            w = inv[a]
            for q in range(first[w], first[w + 1]):
                p = pos[q]
                # not where the group's only name is this copy itself
                if (gcount[g] == 1 and p == a) or p + k > n or sent[p + k - 1] != sent[p] \
                        or not _same_words(inv, p, a, k):
                    continue
                o[p, 2] = base
                for j in range(p + 1, p + k):
                    o[j, 2] = base + 1
    finally:
        free(buf)
    return out


def doc_scores(const float[:, ::1] em, const long[:, ::1] codes, const long[::1] rows,
               const float[:, ::1] weights, const long[::1] starts, const long[::1] lengths):
    """The document pass's scores: a copy of em with each token's code rows (rows: code -> the
    model's row, 0: none) added as ``Tagger.second_pass``'s numpy adds them, and which sentences
    (starts, lengths) changed; (None, None) when none did."""
    cdef Py_ssize_t n = em.shape[0], L = em.shape[1], s, i, j, q, r0, r1, r2
    cdef bint hit = False
    runs_arr = np.zeros(starts.shape[0], dtype=bool)
    cdef unsigned char[::1] runs
    cdef float[:, ::1] o
    out = None
    for s in range(starts.shape[0]):
        for i in range(starts[s], starts[s] + lengths[s]):
            r0, r1, r2 = rows[codes[i, 0]], rows[codes[i, 1]], rows[codes[i, 2]]
            if not (r0 or r1 or r2):
                continue   # no code, or none the model has a weight for: the scores stay
            if out is None:
                out = np.array(em)
                o = out
                runs = runs_arr.view(np.uint8)
            runs[s] = 1
            marsad_add3(&o[i, 0], &weights[r0, 0], &weights[r1, 0], &weights[r2, 0], L)
    return (out, runs_arr) if out is not None else (None, None)



cdef inline unsigned long long _mix(unsigned long long h, Py_UCS4 c) noexcept:
    """One more letter of a suffix read from the word's end (FNV-1a; never 0, the empty slot)."""
    h = (h ^ <unsigned long long>c) * 1099511628211ULL
    return h if h else 1


cdef inline unsigned long long _tail_key(int kind, const void *data, Py_ssize_t m) noexcept:
    """The word's last two letters (the whole word, shorter) as one number (letters < 2**21);
    kind, data: the word's ``PyUnicode_KIND`` and ``PyUnicode_DATA``, m its length."""
    if m == 1:
        return (1ULL << 63) | <unsigned long long>PyUnicode_READ(kind, data, 0)
    return ((<unsigned long long>PyUnicode_READ(kind, data, m - 2)) << 21) \
        | <unsigned long long>PyUnicode_READ(kind, data, m - 1)


cdef class Endings:
    """Which words end in one of ``ends`` and have their last two letters (the whole word,
    shorter) among ``tails``: ``persons._introduces``'s first two tests, for every token of a
    document in one pass. The tails are kept as numbers, each suffix of a word is hashed from
    the word's end and looked up among the ends' hashes, and a hit is confirmed on the strings
    (``in ends``): the answer is exact, and a word allocates nothing unless it passes."""
    cdef unsigned long long *tab     # the ends' hashes, then the tails' keys
    cdef unsigned long long *keys
    cdef Py_ssize_t cap, kcap, longest
    cdef frozenset ends

    def __cinit__(self, ends, tails):
        self.ends = frozenset(ends)
        self.cap, self.kcap, self.longest = _size(len(self.ends)), _size(len(tails)), 0
        self.tab = <unsigned long long *>calloc(self.cap + self.kcap, sizeof(unsigned long long))
        if self.tab == NULL:
            raise MemoryError()
        self.keys = self.tab + self.cap
        cdef unsigned long long h
        cdef Py_ssize_t i
        for e in self.ends:
            h = 14695981039346656037ULL
            for i in range(len(<str>e) - 1, -1, -1):
                h = _mix(h, (<str>e)[i])
            _put(self.tab, self.cap, h)
            self.longest = max(self.longest, len(<str>e))
        for e in tails:
            if 0 < len(<str>e) <= 2:
                _put(self.keys, self.kcap, _tail_key(PyUnicode_KIND(e), PyUnicode_DATA(e), len(<str>e)))

    def __dealloc__(self):
        free(self.tab)

    cdef bint passes(self, str w) except -1:
        """Both tests on one word (``hits``' loop, for ``introduces``)."""
        cdef Py_ssize_t m = len(w), i
        cdef unsigned long long h
        cdef int kind
        cdef const void *data
        if not m:
            return False
        kind, data = PyUnicode_KIND(w), PyUnicode_DATA(w)
        if not _has(self.keys, self.kcap, _tail_key(kind, data, m)):
            return False
        h = 14695981039346656037ULL
        for i in range(m - 1, max(m - self.longest, 0) - 1, -1):
            h = _mix(h, PyUnicode_READ(kind, data, i))
            if _has(self.tab, self.cap, h) and w[i:] in self.ends:
                return True
        return False

    def hits(self, list tokens, Py_ssize_t stop):
        """The positions before stop of the tokens whose words (``norm``) pass both tests, in order."""
        cdef list out = []
        cdef Py_ssize_t k, m, i
        cdef unsigned long long h
        cdef str w
        cdef int kind
        cdef const void *data
        if tokens:
            _learn(tokens[0])
        for k in range(min(stop, len(tokens))):
            w = _field(tokens[k], _at_norm, "norm")
            m = len(w)
            if not m:
                continue
            # the letters read in place (w[i] was a checked call per letter: a third of the
            # person rules' instructions in this pass)
            kind, data = PyUnicode_KIND(w), PyUnicode_DATA(w)
            if not _has(self.keys, self.kcap, _tail_key(kind, data, m)):
                continue
            h = 14695981039346656037ULL
            for i in range(m - 1, max(m - self.longest, 0) - 1, -1):
                h = _mix(h, PyUnicode_READ(kind, data, i))
                if _has(self.tab, self.cap, h) and w[i:] in self.ends:
                    out.append(k)
                    break
        return out

    def introduces(self, str word, dict by_first, dict cues, adjectives):
        """``persons._introduces_py``: whether the word, or its stem behind a proclitic (by_first:
        ``strip_proclitics``' table; behind لل the stem with its article put back), is a title
        (cues: word -> its classes) and whether it is a country adjective with its article
        (adjectives: without it). Asked of each new word type: the readings in C."""
        cdef bint title = False, nisba = False
        cdef str stem
        if not self.passes(word):
            return False, False
        for p, s in _readings(word, by_first):
            stem = s
            if (<str>p).endswith(u"لل"):
                stem = u"ال" + stem
            kinds = cues.get(stem)
            if kinds is not None and u"title" in kinds:
                title = True
            if stem.startswith(u"ال") and stem[2:] in adjectives:
                nisba = True
        return title, nisba


cdef Py_ssize_t _size(Py_ssize_t n) noexcept:
    """A power of two at least four times n: an open-addressing table's size."""
    cdef Py_ssize_t cap = 16
    while cap < 4 * n:
        cap <<= 1
    return cap


cdef inline Py_ssize_t _slot(unsigned long long h, Py_ssize_t cap) noexcept:
    return <Py_ssize_t>(((h * 11400714819323198485ULL) >> 32) & <unsigned long long>(cap - 1))


cdef inline void _put(unsigned long long *tab, Py_ssize_t cap, unsigned long long h) noexcept:
    cdef Py_ssize_t j = _slot(h, cap)
    while tab[j] and tab[j] != h:
        j = (j + 1) & (cap - 1)
    tab[j] = h


cdef inline bint _has(const unsigned long long *tab, Py_ssize_t cap, unsigned long long h) noexcept:
    cdef Py_ssize_t j = _slot(h, cap)
    while tab[j]:
        if tab[j] == h:
            return True
        j = (j + 1) & (cap - 1)
    return False


def tokens_in(list tokens, words):
    """The positions of the tokens whose word (``norm``) is one of words (a set), in order."""
    cdef list out = []
    cdef Py_ssize_t k
    if tokens:
        _learn(tokens[0])
    if type(words) is not set and type(words) is not frozenset:
        for k in range(len(tokens)):
            if _field(tokens[k], _at_norm, "norm") in words:
                out.append(k)
        return out
    for k in range(len(tokens)):   # a set's own test, not the generic ``in``'s dispatch
        if PySet_Contains(words, _field(tokens[k], _at_norm, "norm")):
            out.append(k)
    return out


def covered(list mentions, Py_ssize_t n):
    """``persons.covered``: one byte a token of n, 1 for a token inside one of the mentions."""
    out = bytearray(n)
    cdef unsigned char[::1] o = out
    cdef Py_ssize_t a, b, k
    if mentions:
        _slotted_mention(type(mentions[0]))
    for m in mentions:   # first and last read from their slots (an attribute look-up each was most of it)
        a, b = _mfield(m, 1), _mfield(m, 2)
        for k in range(max(a, 0), min(b + 1, n)):
            o[k] = 1
    return out


def clean_codes(list found, list tokens, str text, list offsets, bint tanween, heads, countryside,
                describing, demonyms, tails):
    """``tagger._clean_codes``: 1 for a mention ``Tagger._clean`` drops for its own words (an
    adverb with tanween, a name across scripts), 2 for one another of its rules may change, 0 for
    one it keeps as it is."""
    cdef Py_ssize_t n = len(tokens), a, b, k, i, lo, hi, s0, e0
    cdef bint after = False, latin, arabic, hit
    cdef int kind
    cdef const void *data
    cdef Py_UCS4 c
    cdef str w
    codes = bytearray(len(found))
    cdef unsigned char[::1] o = codes
    if n:
        _learn(tokens[0])
    if found:
        _slotted_mention(type(found[0]))
    kind, data = PyUnicode_KIND(text), PyUnicode_DATA(text)
    for k in range(len(found)):
        m = found[k]
        a, b = _mfield(m, 1), _mfield(m, 2)   # from their slots: generic attributes were a third of it
        typ = _mfield(m, 0)
        if after:           # the place ريف before it may have taken it in
            o[k] = 2
            after = False
            continue
        if tanween and a == b:
            t = tokens[a]
            s0, e0 = _field(t, _at_start, "start"), _field(t, _at_end, "end")
            lo = offsets[s0]      # the word in the text as written (``Doc.orig``)
            hi = offsets[e0] if e0 > s0 else lo
            hit = False
            for i in range(lo, hi):
                c = PyUnicode_READ(kind, data, i)
                if 0x064B <= c <= 0x064D:
                    hit = True
                    break
            if hit:
                o[k] = 1
                continue
        if a < b:
            latin = arabic = False
            for i in range(a, b + 1):
                if PyUnicode_IS_ASCII(_field(tokens[i], _at_norm, "norm")):
                    latin = True
                else:
                    arabic = True
            if latin and arabic:
                o[k] = 1
                continue
        if typ == "LOC" and a == b and _field(tokens[a], _at_norm, "norm") in countryside:
            o[k] = 2
            after = True
            continue
        if a > 0 and _field(tokens[a - 1], _at_norm, "norm") in heads:
            o[k] = 2
            continue
        if typ == "ORG":
            if _field(tokens[a], _at_norm, "norm") in describing:
                o[k] = 2
                continue
            w = _field(tokens[b], _at_norm, "norm")
            if b > a and w[:2] == u"ال" and w[2:] in demonyms:
                o[k] = 2
                continue
            if b + 1 < n:
                w = _field(tokens[b + 1], _at_norm, "norm")
                if (a < b and len(w) > 3 and w.startswith(u"لل")) or w in tails:
                    o[k] = 2
    return codes


cdef inline Py_ssize_t _bisect_tokens(list tokens, Py_ssize_t n, Py_ssize_t x, bint by_end,
                                      bint right):
    """bisect_right (right) or bisect_left of x among the first n tokens' starts (by_end: ends)."""
    cdef Py_ssize_t lo = 0, hi = n, mid, v
    while lo < hi:
        mid = (lo + hi) // 2
        if by_end:
            v = _field(tokens[mid], _at_end, "end")
        else:
            v = _field(tokens[mid], _at_start, "start")
        if (x < v) if right else (x <= v):
            hi = mid
        else:
            lo = mid + 1
    return lo


cdef bint _org_range(list tokens, Py_ssize_t n, s, Py_ssize_t *i, Py_ssize_t *lo) except -1:
    """Whether span s = (start, end) covers the tokens [i, lo) of one sentence, i the token where
    it starts (the last starting at or before start), lo the first starting at or after end."""
    i[0] = _bisect_tokens(tokens, n, s[0], False, True) - 1
    lo[0] = _bisect_tokens(tokens, n, s[1], False, False)
    return 0 <= i[0] < lo[0] and _field(tokens[i[0]], _at_sent, "sent") == _field(tokens[lo[0] - 1], _at_sent, "sent")


def org_ranges(list tokens, list spans):
    """``tagger._org_ranges``: the token range [i, j) of each (start, end) of spans, for the spans
    with 0 <= i < j in one sentence (``_org_range``)."""
    cdef Py_ssize_t n = len(tokens), lo, i
    cdef list out = []
    if n:
        _learn(tokens[0])
    for s in spans:
        if _org_range(tokens, n, s, &i, &lo):
            out.append((i, lo))
    return out


def org_tokens(list tokens, list spans, names_after):
    """``Tagger._org_tokens`` from the spans: (i, j, core) of each range ``org_ranges`` finds,
    core i + 1 when the range has two tokens or more and names_after(the first token's word)
    (``tagger._names_after``, asked in Python), else i: one pass, no pair per range."""
    cdef Py_ssize_t n = len(tokens), lo, i
    cdef list out = []
    if n:
        _learn(tokens[0])
    for s in spans:
        if _org_range(tokens, n, s, &i, &lo):
            out.append((i, lo, i + 1 if lo - i > 1 and names_after(_field(tokens[i], _at_norm, "norm")) else i))
    return out


def id_spans(const long[::1] labels, list kinds):
    """``tagger.id_spans``: (type, i, j) of the names in label ids, j exclusive, a name going on
    while its labels are the same type's inside ones (kinds: label id -> (its type, whether it
    begins a name), ``tagger._LABEL_TYPE``); label 0 is outside every name."""
    return _id_spans(labels, kinds)


cdef list _id_spans(const long[::1] labels, list kinds):
    """``id_spans`` (asked by ``id_mentions`` without a Python call)."""
    cdef Py_ssize_t n = labels.shape[0], i, start = -1, prev = -2
    cdef list out = []
    cdef long lab
    typ = None
    for i in range(n):
        lab = labels[i]
        if lab == 0:
            continue
        t, begins = <tuple>kinds[lab]
        if begins or i != prev + 1 or t != typ:
            if start >= 0:
                out.append((typ, start, prev + 1))
            start, typ = i, t
        prev = i
    if start >= 0:
        out.append((typ, start, prev + 1))
    return out


cdef extern from "Python.h":
    bint Py_UNICODE_ISSPACE(Py_UCS4 c)


def blank_after(str norm, list tokens, list positions):
    """``tagger._blank_after``: (q, k) for each q of positions after a token k (the last ending
    at or before q) with nothing but white space between them, in order."""
    cdef Py_ssize_t n = len(tokens), q, lo, i
    cdef int kind = PyUnicode_KIND(norm)
    cdef const void *data = PyUnicode_DATA(norm)
    cdef bint blank
    cdef list out = []
    if n:
        _learn(tokens[0])
    for p in positions:
        q = p
        lo = _bisect_tokens(tokens, n, q, True, True)
        if lo == 0:
            continue
        blank = True
        for i in range(<Py_ssize_t>_field(tokens[lo - 1], _at_end, "end"), min(q, len(norm))):
            if not Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)):
                blank = False
                break
        if blank:
            out.append((p, lo - 1))
    return out


cdef extern from *:
    """
    static inline int marsad_is_seat(unsigned int u) {   /* U+0626, U+0624, U+FE85-6, U+FE89-C */
        return (u | 2) == 0x0626 || (u - 0xFE85 < 8 && u - 0xFE87 > 1);   /* (unsigned: below wraps) */
    }
    /* The first i' >= i below n where d[i'] is a hamza seat or one of their forms, or n: with
       SSE2 eight units at a time, (u | 2) == U+0626 for the seats and u & ~7 == U+FE80 or U+FE88
       for the forms, a block that passes read unit by unit; the rest unit by unit. */
    static Py_ssize_t marsad_find_seat(const uint16_t *d, Py_ssize_t i, Py_ssize_t n) {
        Py_ssize_t end;
    #if defined(__SSE2__)
        const __m128i two = _mm_set1_epi16(2), seat = _mm_set1_epi16(0x0626),
                      top = _mm_set1_epi16((short)0xFFF8), f0 = _mm_set1_epi16((short)0xFE80),
                      f1 = _mm_set1_epi16((short)0xFE88);
    #endif
        for (;;) {
    #if defined(__SSE2__)
            for (; i + 8 <= n; i += 8) {
                __m128i v = _mm_loadu_si128((const __m128i *)(d + i)), t = _mm_and_si128(v, top);
                __m128i hit = _mm_or_si128(_mm_cmpeq_epi16(_mm_or_si128(v, two), seat),
                                           _mm_or_si128(_mm_cmpeq_epi16(t, f0), _mm_cmpeq_epi16(t, f1)));
                if (_mm_movemask_epi8(hit))
                    break;
            }
    #endif
            end = i + 8 < n ? i + 8 : n;
            for (; i < end; i++)
                if (marsad_is_seat(d[i]))
                    return i;
            if (i >= n)
                return n;
        }
    }
    """
    Py_ssize_t marsad_find_seat(const uint16_t *d, Py_ssize_t i, Py_ssize_t n) noexcept nogil


def seats(str text):
    """``features.seat_positions``: where each hamza seat (ئ، ؤ) or one of their presentation
    forms (U+FE85, U+FE86, U+FE89-U+FE8C) is in text, in order."""
    cdef Py_ssize_t i, n = len(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef const void *data = PyUnicode_DATA(text)
    cdef Py_UCS4 c
    cdef const uint16_t *d2
    cdef list out = []
    if kind == 1:   # Latin-1 only: none of them
        return out
    if kind == 2:   # (the news) eight letters at a time: marsad_find_seat
        d2 = <const uint16_t *>data
        i = marsad_find_seat(d2, 0, n)
        while i < n:
            out.append(i)
            i = marsad_find_seat(d2, i + 1, n)
        return out
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if c == 0x0626 or c == 0x0624 or c == 0xFE85 or c == 0xFE86 or 0xFE89 <= c <= 0xFE8C:
            out.append(i)
    return out


def tokens_by_kind(list tokens, dict kinds, Py_ssize_t n):
    """``persons.tokens_by_kind``: for each bit b < n of kinds' values (word -> bits), the
    positions of the tokens whose word (``norm``) has it, in order: one look-up per token."""
    cdef list out = [[] for _ in range(n)]
    cdef Py_ssize_t k, b
    cdef long bits
    if tokens:
        _learn(tokens[0])
    for k in range(len(tokens)):
        v = kinds.get(_field(tokens[k], _at_norm, "norm"))
        if v is not None:
            bits = v
            for b in range(n):
                if (bits >> b) & 1:
                    (<list>out[b]).append(k)
    return out



def token_sets(list tokens, dict kinds, Py_ssize_t n, const long[::1] ids, list spelt,
               unsigned char[::1] marks, Py_ssize_t stop, Endings ends):
    """``persons.token_sets``: ``tokens_by_kind(tokens, kinds, n)``'s n lists, then the
    positions before stop of the tokens whose word passes ``ends`` (``Endings.hits``), in one
    pass. A token's answer depends on its word alone, so it is kept per word type: ids, each
    token's row of the tagger's word-type cache (``_WordCache.index``); marks, one byte a row (0:
    not yet asked; else 0x80, the word's bits of kinds below n, and 1 << n when it passes ends),
    filled here. spelt: the positions, ascending, of the tokens whose row is not their ``norm``'s
    (``WordFeatures.forms``: the hamza-seat spellings), asked each time. A token costs a byte's
    read, where its look-up in kinds and its letters' hashes were some 350 instructions."""
    cdef list out = [[] for _ in range(n + 1)]
    cdef Py_ssize_t k, b, r, nt = len(tokens), ns = len(spelt), si = 0, nxt
    cdef Py_ssize_t nm = marks.shape[0], ni = ids.shape[0]
    cdef long bits
    cdef unsigned char v
    cdef str w
    if not 0 <= n < 7:
        raise ValueError("n must be below 7")
    if ni < nt:
        raise ValueError("one row a token")
    if nt:
        _learn(tokens[0])
    nxt = <Py_ssize_t>spelt[0] if ns else nt
    for k in range(nt):
        r = ids[k]
        if k == nxt:   # a spelt token: its row is another word's; asked of its own word
            si += 1
            nxt = <Py_ssize_t>spelt[si] if si < ns else nt
            r = -1
        if 0 <= r < nm and marks[r]:
            v = marks[r]
        else:
            w = _field(tokens[k], _at_norm, "norm")
            x = kinds.get(w)
            bits = 0 if x is None else <long>x
            v = 0x80 | (bits & ((1 << n) - 1)) | ((1 << n) if ends.passes(w) else 0)
            if 0 <= r < nm:
                marks[r] = v
        if v == 0x80:   # most tokens
            continue
        for b in range(n):
            if (v >> b) & 1:
                (<list>out[b]).append(k)
        if (v >> n) & 1 and k < stop:
            (<list>out[n]).append(k)
    return out


def in_order(list mentions):
    """``mention.in_order``: the mentions sorted by their ``first``, stable. The rules hand it a
    sorted list with a few added at its end: the firsts are read from the slots and the list is
    put in order by insertion (a sort with a key call per mention cost some 15,000
    instructions a call); anything else (a mention of another class, a first that is no int,
    a long list) goes to ``sorted``."""
    cdef Py_ssize_t n = len(mentions), i, j
    cdef long f
    cdef long *firsts
    cdef Py_ssize_t *order
    cdef object v
    cdef list out
    if n < 2:
        return list(mentions)
    if n > 1024 or not _slotted_mention(type(mentions[0])):
        return sorted(mentions, key=_FIRST)
    firsts = <long *>malloc(n * (sizeof(long) + sizeof(Py_ssize_t)))
    if firsts == NULL:
        raise MemoryError()
    order = <Py_ssize_t *>(firsts + n)
    try:
        for i in range(n):
            m = mentions[i]
            if type(m) is not _mention_class:
                return sorted(mentions, key=_FIRST)
            v = _mfield(m, 1)
            if type(v) is not int:
                return sorted(mentions, key=_FIRST)
            f = v   # (an int past a C long raises OverflowError: no token index is)
            j = i   # insert i after every earlier one whose first is not greater (stable)
            while j > 0 and firsts[j - 1] > f:
                firsts[j] = firsts[j - 1]
                order[j] = order[j - 1]
                j -= 1
            firsts[j] = f
            order[j] = i
        out = [None] * n
        for i in range(n):
            out[i] = mentions[order[i]]
        return out
    finally:
        free(firsts)



def longest(list orgs):
    """``tagger._longest``: of the listed names (i, j, core), token ranges [i, j), those that
    overlap no longer one, the longer first (ties by start, then as given). The ranges read
    into C arrays once, put in order by insertion and kept by a bisection over the kept
    names' starts (a sort with a Python key function per name was most of it); None when a
    range is not two ints, or there are very many (the caller's Python then answers)."""
    cdef Py_ssize_t n = len(orgs), k, a, at, lo, hi, mid, nkept = 0
    cdef long i, j
    cdef long *buf
    cdef long *ri
    cdef long *rj
    cdef long *starts
    cdef long *ends
    cdef Py_ssize_t *order
    cdef list out = []
    if n > 4096:
        return None
    buf = <long *>malloc((4 * n + 1) * sizeof(long) + (n + 1) * sizeof(Py_ssize_t))
    if buf == NULL:
        raise MemoryError()
    ri, rj, starts, ends = buf, buf + n, buf + 2 * n, buf + 3 * n
    order = <Py_ssize_t *>(buf + 4 * n + 1)
    try:
        for k in range(n):
            o = orgs[k]
            if type(o) is not tuple or len(<tuple>o) < 2:
                return None
            x, y = (<tuple>o)[0], (<tuple>o)[1]
            if type(x) is not int or type(y) is not int:
                return None
            ri[k], rj[k] = x, y
            a = k   # after every earlier one with a key not greater: (i - j, i), stable
            while a > 0 and (ri[order[a - 1]] - rj[order[a - 1]] > ri[k] - rj[k] or (
                    ri[order[a - 1]] - rj[order[a - 1]] == ri[k] - rj[k] and ri[order[a - 1]] > ri[k])):
                order[a] = order[a - 1]
                a -= 1
            order[a] = k
        for a in range(n):
            k = order[a]
            i, j = ri[k], rj[k]
            lo, hi = 0, nkept   # bisect_left(starts, j)
            while lo < hi:
                mid = (lo + hi) >> 1
                if starts[mid] < j:
                    lo = mid + 1
                else:
                    hi = mid
            at = lo
            if at and ends[at - 1] > i:
                continue
            out.append(orgs[k])
            memmove(starts + at + 1, starts + at, (nkept - at) * sizeof(long))
            memmove(ends + at + 1, ends + at, (nkept - at) * sizeof(long))
            starts[at], ends[at] = i, j
            nkept += 1
        return out
    finally:
        free(buf)


def org_merge(list mentions, list orgs, mention):
    """``tagger._org_merge``: the mentions (sorted by first token, not overlapping) that no listed
    name of orgs ((i, j, core): ``Tagger._add_orgs``) replaces, then the ORG mentions (made by
    mention(type, first, last, score)) of the names it adds, in orgs' order; None when it adds none."""
    cdef Py_ssize_t n = len(mentions), a, b, k, i, j, core, first, lo, hi, covered
    cdef long *firsts = <long *>malloc((2 * n + 1) * sizeof(long))
    cdef long *lasts
    cdef unsigned char *dropped
    cdef list added = []
    if firsts == NULL:
        raise MemoryError()
    lasts = firsts + n
    dropped = <unsigned char *>calloc(n + 1, 1)
    if dropped == NULL:
        free(firsts)
        raise MemoryError()
    try:
        for k in range(n):
            m = mentions[k]
            firsts[k], lasts[k] = m.first, m.last
        for o in orgs:
            i, j, core = o[0], o[1], o[2]
            a = _bisect_left(firsts, n, i)
            if a > 0 and lasts[a - 1] >= i:
                a -= 1             # one starting before i reaches into it
            b = _bisect_left(firsts, n, j)
            if a >= b:
                added.append(mention(u"ORG", i, j - 1, 1.0))
            elif firsts[a] >= i and lasts[b - 1] < j:
                first = min(core, firsts[a])
                covered = 0
                for k in range(a, b):
                    covered += lasts[k] - firsts[k] + 1
                if b - a > 1 or covered < j - first:
                    for k in range(a, b):
                        dropped[k] = 1
                    added.append(mention(u"ORG", first, j - 1, 1.0))
        if not added:
            return None
        return [mentions[k] for k in range(n) if not dropped[k]] + added
    finally:
        free(firsts)
        free(dropped)


def nationalities_dropped(list mentions, list tokens, introduces, Endings ends=None):
    """``persons.nationalities_dropped``: the mentions but a person whose first word is a country
    adjective (introduces(word)[1], ``persons._introduces``): that word left out of it (its first
    moved on), a person of that word alone dropped. The Python test asked of persons only, and
    only of a word that passes ends (``_introduces``' own first test, when given: most words,
    without a Python call); the fields read from their slots."""
    cdef list out = []
    cdef Py_ssize_t first
    cdef bint slotted = bool(mentions) and _slotted_mention(type(mentions[0]))
    cdef str w
    if tokens:
        _learn(tokens[0])
    for m in mentions:
        t = _mfield(m, 0) if slotted else m.type
        if t is _PER or t == _PER:
            f = _mfield(m, 1) if slotted else m.first
            first = f
            w = _field(tokens[first], _at_norm, "norm")
            if (ends is None or ends.passes(w)) and (<tuple>introduces(w))[1]:
                if f == (_mfield(m, 2) if slotted else m.last):
                    continue
                m.first = first + 1
        out.append(m)
    return out


def person_codes(list mentions, list tokens, str norm):
    """``persons._person_codes``: 1 for a mention ``person_names`` must ask its rules of (a
    person with punctuation or no blank between two of its words, a word beginning with و after
    its first, or a mention before it reaching its word before), 0 for one it leaves as it is."""
    cdef Py_ssize_t a, b, k, i, j, reach = -2, lo, hi
    cdef int kind = PyUnicode_KIND(norm)
    cdef const void *data = PyUnicode_DATA(norm)
    cdef str w
    codes = bytearray(len(mentions))
    cdef unsigned char[::1] o = codes
    if tokens:
        _learn(tokens[0])
    if mentions:
        _slotted_mention(type(mentions[0]))
    for i in range(len(mentions)):
        m = mentions[i]
        a, b = _mfield(m, 1), _mfield(m, 2)
        if _mfield(m, 0) == u"PER":
            if reach >= a - 1:
                o[i] = 1
            else:
                for k in range(a + 1, b + 1):
                    w = _field(tokens[k], _at_norm, "norm")
                    if len(w) and w[0] == u"و":
                        o[i] = 1
                        break
                    lo = _field(tokens[k - 1], _at_end, "end")
                    hi = _field(tokens[k], _at_start, "start")
                    if hi <= lo:
                        o[i] = 1
                        break
                    for j in range(lo, hi):
                        if not Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, j)):
                            o[i] = 1
                            break
                    if o[i]:
                        break
        if b > reach:
            reach = b
    return codes


cdef extern from "Python.h":
    bint Py_UNICODE_ISALPHA(Py_UCS4 c)
    object PyUnicode_Substring(object text, Py_ssize_t start, Py_ssize_t end)


cdef bint _alpha(str w, Py_ssize_t a, Py_ssize_t b) noexcept:
    """w[a:b].isalpha(), a and b within w."""
    cdef int kind = PyUnicode_KIND(w)
    cdef const void *data = PyUnicode_DATA(w)
    cdef Py_ssize_t i
    if b <= a:
        return False
    for i in range(a, b):
        if not Py_UNICODE_ISALPHA(PyUnicode_READ(kind, data, i)):
            return False
    return True


cdef class _Intro:
    """What ``introduced_spans``' word tests read of one document (``persons._introduced_spans``'
    free, given, foreign and accusative)."""
    cdef list tokens, offsets
    cdef str text, norm
    cdef Py_ssize_t n, tlen
    cdef unsigned char[::1] taken
    cdef dict cues
    cdef object known

    cdef str word(self, Py_ssize_t k):
        return _field(self.tokens[k], _at_norm, "norm")

    cdef void orig(self, Py_ssize_t k, Py_ssize_t *a, Py_ssize_t *b) except *:
        """doc.orig of token k's span."""
        cdef Py_ssize_t s = _field(self.tokens[k], _at_start, "start"), e = _field(self.tokens[k], _at_end, "end")
        a[0] = self.offsets[s]
        b[0] = self.offsets[e] if e > s else a[0]

    cdef bint free(self, Py_ssize_t k) except -1:
        """Token k is outside every mention, all letters, one space after token k - 1 in its sentence."""
        cdef Py_ssize_t e, s
        cdef str w
        if not (0 < k < self.n) or self.taken[k]:
            return False
        w = self.word(k)
        if not _alpha(w, 0, len(w)):
            return False
        if <long>_field(self.tokens[k - 1], _at_sent, "sent") != <long>_field(self.tokens[k], _at_sent, "sent"):
            return False
        e, s = _field(self.tokens[k - 1], _at_end, "end"), _field(self.tokens[k], _at_start, "start")
        return s - e == 1 and PyUnicode_READ(PyUnicode_KIND(self.norm), PyUnicode_DATA(self.norm), e) == u' '

    cdef bint given(self, Py_ssize_t k) except -1:
        cdef Py_ssize_t a, b, i
        cdef Py_UCS4 c, last = 0
        cdef int kind = PyUnicode_KIND(self.text)
        cdef const void *data = PyUnicode_DATA(self.text)
        kinds = self.cues.get(self.word(k))
        if kinds is None or u"given" not in kinds:
            return False
        self.orig(k, &a, &b)
        if b > self.tlen:
            b = self.tlen
        for i in range(b - 1, a - 1, -1):   # persons._ending: the last letter as written
            c = PyUnicode_READ(kind, data, i)
            if Py_UNICODE_ISALPHA(c):
                last = c
                break
        if last == 0x0649:
            return False
        if a < self.tlen:
            c = PyUnicode_READ(kind, data, a)
            if c in (0x0628, 0x0644, 0x0641, 0x0648, 0x0643):   # بلفوك, before a hamza seat or the end
                if a + 1 >= self.tlen or PyUnicode_READ(kind, data, a + 1) in (0x0623, 0x0625, 0x0622):
                    return False
        return True

    cdef bint foreign(self, Py_ssize_t k) except -1:
        """free(k) and persons._foreign."""
        cdef Py_ssize_t a, b, m
        cdef str w
        if not self.free(k):
            return False
        w = self.word(k)
        m = len(w)
        if w in self.known or self.cues.get(w) or m <= 2 or w[0] == u"و":
            return False
        if w[0] == u"ل" and w[1] == u"ل":
            return False
        if w[m - 1] == u"ن" and w[m - 2] in (u"و", u"ي"):
            return False
        self.orig(k, &a, &b)
        return _alpha(self.text, a, min(b, self.tlen))

    cdef bint accusative(self, Py_ssize_t k) except -1:
        cdef str w = self.word(k)
        return len(w) > 0 and w[len(w) - 1] == u"ا" and PyUnicode_Substring(w, 0, len(w) - 1) in self.known


def introduced_spans(list tokens, str text, list offsets, str norm, list candidates, taken, dict cues,
                     known, introduces, inflected, Py_ssize_t name_words):
    """``persons._introduced_spans``: (first, last) of each person ``introduced_names`` adds, taken
    (a bytearray, 1 inside a mention) marked as they are; the word tests in C, introduces(word)
    and inflected(word, known) asked in Python."""
    cdef _Intro d = _Intro()
    cdef list out = []
    cdef Py_ssize_t j, k, e
    cdef bint title, nisba
    d.tokens, d.offsets, d.text, d.norm, d.n, d.tlen = tokens, offsets, text, norm, len(tokens), len(text)
    d.taken, d.cues, d.known = taken, cues, known
    if tokens:
        _learn(tokens[0])
    for j in candidates:
        k = j + 1
        flags = introduces(d.word(j))
        title, nisba = flags[0], flags[1]
        if not (title or nisba) or not d.free(k):
            continue
        if title and (d.given(k) or (d.foreign(k) and not d.foreign(k + 1) and not inflected(d.word(k), known)
                                     and len(d.word(k - 1)) > 1)):
            out.append((k, k))
            d.taken[k] = 1
        elif nisba and (d.foreign(k) or d.given(k)) and d.foreign(k + 1) and not (d.accusative(k) and d.accusative(k + 1)):
            e = k + 1
            while e + 1 - k < name_words and d.foreign(e + 1):
                e += 1
            out.append((k, e))
            for j in range(k, e + 1):
                d.taken[j] = 1
    return out


def breaks_word(str word, bint titles, dict by_first, dict cues, breaks):
    """``persons._breaks_word_py``: some reading of the word behind its proclitics (by_first:
    ``strip_proclitics``' table; behind لل the stem with its article put back) is a rank or
    kinship word (breaks) or, with titles, a title (cues: word -> its classes). Asked of each
    new word type: the readings in C."""
    cdef str stem
    for p, s in _readings(word, by_first):
        stem = s
        if (<str>p).endswith(u"لل"):
            stem = u"ال" + stem
        if stem in breaks:
            return True
        if titles:
            kinds = cues.get(stem)
            if kinds is not None and u"title" in kinds:
                return True
    return False


def words_of(list mentions, list tokens, str typ):
    """``persons._words_of``: the set of the words (``norm``) of the tokens of the mentions of
    type typ."""
    cdef set out = set()
    cdef Py_ssize_t a, b, k, n = len(tokens)
    if tokens:
        _learn(tokens[0])
    if mentions:
        _slotted_mention(type(mentions[0]))
    for m in mentions:
        if _mfield(m, 0) != typ:
            continue
        a, b = _mfield(m, 1), _mfield(m, 2)
        for k in range(a, b + 1):
            out.add(_field(tokens[k], _at_norm, "norm"))
    return out


cdef inline unsigned long long _stem_key(Py_ssize_t m, Py_UCS4 first, unsigned long long tail) noexcept:
    """A word of m letters beginning with first and ending in tail (``_tail_key``) as one number
    (never 0): ``repeat_ends``' test of a token behind a prefix of each length."""
    cdef unsigned long long h = (<unsigned long long>m * 0x9E3779B97F4A7C15ULL) \
        ^ (<unsigned long long>first * 0xC2B2AE3D27D4EB4FULL) ^ (tail * 0x165667B19E3779F9ULL)
    return h if h else 1


def repeat_ends(list tokens, dict lasts, tuple prefixes, taken):
    """``persons._repeat_ends``: the positions of the tokens outside every mention (taken: one
    byte a token, 1 inside one) whose word is a key of lasts behind one of prefixes ("" for
    none), in order. A token is asked only where it may be one: its last two letters some key's,
    and behind the first i letters (i the length of a prefix) as long as some key, beginning with
    the same letter and ending with the same two; the strings are compared then (no word built
    behind each prefix of each token)."""
    cdef list out = []
    cdef Py_ssize_t k, m, n = len(tokens), cap, i, lo, longest = 0, j
    cdef bint every = False
    cdef unsigned long long *keys
    cdef unsigned long long *stems
    cdef unsigned long long tail
    cdef unsigned long long lens = 0   # bit i: some prefix has i letters (i < 64)
    cdef const unsigned char[::1] t = taken
    cdef int kind
    cdef const void *data
    cdef str w
    if not lasts or not n:
        return out
    _learn(tokens[0])
    for p in prefixes:
        if len(<str>p) >= 64:
            every = True
        else:
            lens |= 1ULL << len(<str>p)
            longest = max(longest, len(<str>p))
    pset = frozenset(prefixes)
    cap = _size(len(lasts))
    keys = <unsigned long long *>calloc(2 * cap, sizeof(unsigned long long))
    if keys == NULL:
        raise MemoryError()
    stems = keys + cap
    try:
        for e in lasts:
            m = len(<str>e)
            if m < 2:
                every = True   # a one-letter key: its key is no prefixed word's last two letters
            else:
                kind, data = PyUnicode_KIND(e), PyUnicode_DATA(e)
                tail = _tail_key(kind, data, m)
                _put(keys, cap, tail)
                _put(stems, cap, _stem_key(m, PyUnicode_READ(kind, data, 0), tail))
        for k in range(n):
            if t[k]:
                continue
            w = _field(tokens[k], _at_norm, "norm")
            m = len(w)
            if every:   # (no filter: each prefix asked)
                for p in prefixes:
                    if w.startswith(p) and PyUnicode_Substring(w, len(<str>p), m) in lasts:
                        out.append(k)
                        break
                continue
            if m < 2:
                continue
            kind, data = PyUnicode_KIND(w), PyUnicode_DATA(w)
            tail = _tail_key(kind, data, m)
            if not _has(keys, cap, tail):
                continue
            for i in range(min(longest, m - 2) + 1):
                if not (lens >> i) & 1 or not _has(stems, cap, _stem_key(m - i, PyUnicode_READ(kind, data, i), tail)):
                    continue
                if PyUnicode_Substring(w, 0, i) in pset and PyUnicode_Substring(w, i, m) in lasts:
                    out.append(k)
                    break
        return out
    finally:
        free(keys)


def quote_starts(str norm, str quotes):
    """``tagger._quote_starts``: where each of the characters of quotes is in norm, in order (one
    pass over the letters, two-byte text read as such; the four ``str.find`` loops and the test
    for any quote before them were a quarter of ``_quoted_names``)."""
    cdef list out = []
    cdef Py_ssize_t i, j, n = len(norm), nother = 0
    cdef int kind = PyUnicode_KIND(norm), qkind = PyUnicode_KIND(quotes)
    cdef const void *data = PyUnicode_DATA(norm)
    cdef const void *qdata = PyUnicode_DATA(quotes)
    cdef const uint16_t *d2
    cdef Py_UCS4 c
    cdef unsigned char low[256]
    cdef unsigned char high[256]   # the high bytes of the other marks below U+10000
    cdef Py_UCS4 other[8]
    cdef uint16_t marks[8]   # every distinct mark below U+10000, for two-byte text
    cdef int nmarks = 0, q
    memset(low, 0, 256)
    memset(high, 0, 256)
    for j in range(len(quotes)):
        c = PyUnicode_READ(qkind, qdata, j)
        if c >= 0x10000:
            nmarks = 9   # (a mark beyond two bytes: the loop below)
        elif nmarks < 9:
            for q in range(nmarks):
                if marks[q] == c:
                    break
            else:
                if nmarks < 8:
                    marks[nmarks] = <uint16_t>c
                nmarks += 1   # (9: more than eight, the loop below)
        if c < 256:
            low[c] = 1
        elif nother < 8:
            other[nother] = c
            nother += 1
            if c < 0x10000:
                high[(<unsigned int>c) >> 8] = 1
        else:   # (more marks than kept: each letter asked of all of them)
            for i in range(n):
                if PyUnicode_READ(kind, data, i) in quotes:
                    out.append(i)
            return out
    if kind == 2:
        d2 = <const uint16_t *>data
        if 0 < nmarks <= 8:   # (every mark one code unit: eight letters at a time, marsad_find16)
            i = marsad_find16(d2, 0, n, marks, nmarks)
            while i < n:
                out.append(i)
                i = marsad_find16(d2, i + 1, n, marks, nmarks)
            return out
        for i in range(n):
            c = d2[i]
            if c < 256:
                if low[c]:
                    out.append(i)
                continue
            if not high[(<unsigned int>c) >> 8]:   # (an Arabic letter: no mark shares its high byte)
                continue
            for j in range(nother):
                if c == other[j]:
                    out.append(i)
                    break
        return out
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if c < 256:
            if low[c]:
                out.append(i)
            continue
        for j in range(nother):
            if c == other[j]:
                out.append(i)
                break
    return out


def outside(list mentions, inside):
    """``tagger._outside``: the mentions none of whose tokens is marked in inside (one byte a
    token), in order (first and last read from their slots; a ``bytearray.find`` per mention
    with its argument parsing was a tenth of ``_quoted_names``)."""
    cdef list out = []
    cdef const unsigned char[::1] t = inside
    cdef Py_ssize_t a, b, k, n = t.shape[0]
    cdef bint hit
    if mentions:
        _slotted_mention(type(mentions[0]))
    for m in mentions:
        a, b = _mfield(m, 1), _mfield(m, 2)
        hit = False
        for k in range(max(a, 0), min(b + 1, n)):
            if t[k]:
                hit = True
                break
        if not hit:
            out.append(m)
    return out
