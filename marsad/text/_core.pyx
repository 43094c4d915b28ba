# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The compiled text core: the per-character and per-hit loops of the text layer, the lexicon
matcher's scan with ``occ`` (the others are ``_ends``'), in C.

Each function here has a pure-Python twin (``marsad/text/tokens.py``, ``marsad/lexicon.py``,
``marsad/store/search.py``) that gives the same answer; ``marsad/text/native.py`` chooses
between them, and the tests run both on the same inputs. Word characters are those of the
regular expressions they replace: ``\\w`` is ``str.isalnum()`` or "_", ``\\s`` ``str.isspace()``,
``\\d`` ``str.isdecimal()`` (CPython's ``_sre`` uses the same Unicode tables).
"""

# What the Python side expects of this module (native.py): a core built from an older _core.pyx
# is not used (scripts/setup rebuilds it).
API = 8

from libc.stdlib cimport free, malloc, realloc
from cpython.dict cimport PyDict_GetItem, PyDict_SetItem
from cpython.object cimport PyObject

from marsad.text._unicode cimport (Py_UCS1, Py_UCS2, PyUnicode_1BYTE_KIND, PyUnicode_2BYTE_KIND,
    PyUnicode_4BYTE_KIND, PyUnicode_DATA, PyUnicode_FromKindAndData, PyUnicode_GET_LENGTH, PyUnicode_KIND,
    PyUnicode_READ)

from marsad.text._chars cimport word as _word
from marsad.text._hits cimport keep_rows, proclitic_start
from marsad.text._sums cimport dict_sums


cdef inline bint _sent_punct(Py_UCS4 c):
    return c == u'.' or c == u'!' or c == u'?' or c == u';'


cdef inline bint _closer(Py_UCS4 c):
    return c == u'"' or c == u"'" or c == u')' or c == u']'


cdef inline Py_UCS4 _at(int kind, const void *data, Py_ssize_t i) noexcept:
    """The code point at i, read in place."""
    return PyUnicode_READ(kind, data, i)


def split_sentences(str norm):
    """Sentence spans (normalised offsets), stripped of surrounding whitespace: the same as
    ``tokens.split_sentences_py`` (its regular expression and initials rule, as a loop). Each
    code point is read in place (``norm[i]`` was a call a character)."""
    cdef Py_ssize_t n = len(norm), i = 0, j, k, s, pos = 0, a, b
    cdef int kind = PyUnicode_KIND(norm)
    cdef const void *data = PyUnicode_DATA(norm)
    cdef Py_UCS4 c
    cdef list spans = []
    cdef list out = []
    while i < n:
        c = _at(kind, data, i)
        if c == u'\n':          # \n+
            j = i + 1
            while j < n and _at(kind, data, j) == u'\n':
                j += 1
            spans.append((pos, j))
            pos = j
            i = j
            continue
        if not _sent_punct(c):
            i += 1
            continue
        # (?<!\d)[.!?;]+(?=["')\]]*(\s|$|[ء-ي])): the run is taken whole; when a digit stands
        # before it, the match starts one character later (a run of one does not match)
        j = i + 1
        while j < n and _sent_punct(_at(kind, data, j)):
            j += 1
        k = j
        while k < n and _closer(_at(kind, data, k)):
            k += 1
        if not (k == n or _at(kind, data, k).isspace() or
                (0x0621 <= <Py_ssize_t>_at(kind, data, k) <= 0x064A)):
            i = j              # no match can start inside the run: they all end at j
            continue
        s = i
        if i > 0 and _at(kind, data, i - 1).isdecimal():
            s = i + 1
            if s == j:
                i = j
                continue
        i = j
        # a lone period after a one-letter word is an initial (ف.أ.، أ. ف. ب), no sentence end
        if j - s == 1 and _at(kind, data, s) == u'.' and s >= 1 and \
                _at(kind, data, s - 1).isalpha() and \
                (s == 1 or not _at(kind, data, s - 2).isalnum()):
            continue
        spans.append((pos, j))
        pos = j
    spans.append((pos, n))
    for a, b in spans:
        while a < b and _at(kind, data, a).isspace():
            a += 1
        while b > a and _at(kind, data, b - 1).isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def phrase_hits(auto, str norm, Py_ssize_t start, Py_ssize_t end, proclitics, suffixes,
                Py_ssize_t max_suffix, Py_ssize_t max_proclitic, dict occ=None):
    """``lexicon.PhraseMatcher._hits_py`` in C: the automaton's raw hits with the word-boundary,
    proclitic and suffix rules applied; (word start, word end, pattern start, prefix, row). ``occ``:
    pattern -> a list to which every occurrence's start is added, word boundaries or not."""
    cdef list out = []
    cdef Py_ssize_t n = len(norm), last, a, b, z, w, lim
    cdef str pat
    cdef PyObject *got
    for last, pe in auto.iter(norm, start, end):
        pat, entries = pe
        a = last - len(pat) + 1
        b = last + 1
        if occ is not None:
            got = PyDict_GetItem(occ, pat)
            if got != NULL:
                (<list>got).append(a)
        # most hits are inside longer words (لا in الاسلاميه): refused before any Python work
        if b < n and _word(norm[b]):
            if not entries.suffixes:
                continue
            z = b
            lim = min(n, b + max_suffix + 1)
            while z < lim and _word(norm[z]):
                z += 1
            if z - b > max_suffix:
                continue
        else:
            z = b
        w = a
        if a > 0 and _word(norm[a - 1]):
            if not entries.proclitics:
                continue
            w = proclitic_start(norm, a, max_proclitic)
            if w < 0:
                continue
        keep_rows(entries, norm, w, a, b, z, proclitics, suffixes, out)
    return out


cdef inline bint _holds_at(int kind, const void *data, Py_ssize_t n, str part, Py_ssize_t at):
    """Whether the text of this kind and data, n long, holds ``part`` at ``at`` (in range)."""
    cdef int pk = PyUnicode_KIND(part)
    cdef const void *pd = PyUnicode_DATA(part)
    cdef Py_ssize_t i, m = PyUnicode_GET_LENGTH(part)
    for i in range(m):
        if PyUnicode_READ(kind, data, at + i) != PyUnicode_READ(pk, pd, i):
            return False
    return True


def search_readings(str word, tuple proclitics, tuple suffixes, Py_ssize_t min_stem):
    """``store.search.readings_py`` in C: the word, then each stem without a proclitic and
    without a suffix (stems of at least min_stem letters), each once, in the same order. The
    proclitics and suffixes are compared in place, code point by code point (a stem ends where
    the word does, so a suffix is looked for once per word, not once per stem)."""
    return _readings(word, proclitics, suffixes, min_stem)


cdef list _readings(str word, tuple proclitics, tuple suffixes, Py_ssize_t min_stem):
    cdef list out = [word]
    cdef Py_ssize_t i, j, s, n = PyUnicode_GET_LENGTH(word), ns = 1, nsuf = len(suffixes)
    cdef int kind = PyUnicode_KIND(word)
    cdef const void *data = PyUnicode_DATA(word)
    cdef Py_ssize_t lp, ls
    cdef Py_UCS4 c
    cdef bint arabic = False
    cdef str p, suf, stem, core
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if 0x0600 <= c <= 0x06FF:
            arabic = True
            break
    if not arabic:
        return out
    cdef Py_ssize_t *starts = <Py_ssize_t *>malloc((len(proclitics) + 1) * sizeof(Py_ssize_t))
    cdef unsigned char *ends = <unsigned char *>malloc(max(nsuf, 1))
    if starts == NULL or ends == NULL:
        free(starts)
        free(ends)
        raise MemoryError()
    try:
        starts[0] = 0
        for p in proclitics:
            lp = PyUnicode_GET_LENGTH(p)
            if n - lp >= min_stem and lp <= n and _holds_at(kind, data, n, p, 0):
                starts[ns] = lp
                ns += 1
        for j in range(nsuf):
            suf = <str>suffixes[j]
            ls = PyUnicode_GET_LENGTH(suf)
            ends[j] = ls <= n and _holds_at(kind, data, n, suf, n - ls)
        for i in range(ns):
            s = starts[i]
            stem = word if s == 0 else word[s:]
            if stem not in out:
                out.append(stem)
            for j in range(nsuf):
                if not ends[j]:
                    continue
                ls = PyUnicode_GET_LENGTH(<str>suffixes[j])
                if ls <= n - s and n - s - ls >= min_stem:
                    core = word[s:n - ls]
                    if core not in out:
                        out.append(core)
        return out
    finally:
        free(starts)
        free(ends)


cdef class KeyTables:
    """``store.search._codes``' tables for key_words, kept as C arrays (the arrays held here)."""
    cdef object arrays
    cdef const unsigned short[::1] to
    cdef const unsigned char[::1] drop
    cdef const unsigned char[::1] several

    def __init__(self, to, drop, several):
        self.arrays = (to, drop, several)
        self.to, self.drop, self.several = to, drop, several
        if len(self.to) != 0x10000 or len(self.drop) != 0x10000 or len(self.several) != 0x10000:
            raise ValueError("a table for each of the 65,536 code units")


def key_words(str text, KeyTables tables):
    """``store.search._words`` in C, one pass: each code unit mapped by the tables of
    ``search._codes`` (its normal form, or a space for a character that is no word character;
    dropped ones skipped), the words between the spaces. None when a character is past the BMP
    or normalises to several characters: the caller takes the regular expression."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), i, k = 0
    cdef int kind = PyUnicode_KIND(text)
    cdef const Py_UCS1 *one
    cdef const Py_UCS2 *two
    cdef Py_UCS2 c, m
    cdef Py_UCS2 *buf
    cdef list out = []
    if kind == PyUnicode_4BYTE_KIND:   # a character past the BMP
        return None
    one = <const Py_UCS1 *>PyUnicode_DATA(text)
    two = <const Py_UCS2 *>PyUnicode_DATA(text)
    for i in range(n):
        c = one[i] if kind == PyUnicode_1BYTE_KIND else two[i]
        if tables.several[c]:
            return None
    if n == 0:
        return out
    buf = <Py_UCS2 *>malloc(n * sizeof(Py_UCS2))
    if buf == NULL:
        raise MemoryError()
    try:
        for i in range(n):
            c = one[i] if kind == PyUnicode_1BYTE_KIND else two[i]
            if tables.drop[c]:
                continue
            m = tables.to[c]
            if m == 32:
                if k:
                    out.append(PyUnicode_FromKindAndData(PyUnicode_2BYTE_KIND, buf, k))
                    k = 0
            else:
                buf[k] = m
                k += 1
        if k:
            out.append(PyUnicode_FromKindAndData(PyUnicode_2BYTE_KIND, buf, k))
        return out
    finally:
        free(buf)


def joined_terms(words, dict table, tuple proclitics, tuple suffixes, Py_ssize_t min_stem):
    """``store.search``'s terms line in C: the readings of each of the words (table[word], made
    as a tuple of search_readings' when missing and kept there), each once, in order, joined by
    spaces. Each new term is written into the line as it is found (" ".join of a list of them
    read each term twice more: 93 M instructions of storing news300's 7,832 M) and told new by
    the set's size after adding it (one look-up, not a test and then an add)."""
    cdef set seen = set()
    cdef PyObject *got
    cdef object terms, t
    cdef Py_ssize_t n = 0, cap = 0, m, i, size
    cdef int kind
    cdef const void *data
    cdef Py_UCS4 *buf = NULL
    cdef Py_UCS4 *grown
    cdef bint first = True   # no term written yet (an empty term is one: a space follows it)
    try:
        for w in words:
            got = PyDict_GetItem(table, w)
            if got is NULL:
                terms = tuple(_readings(w, proclitics, suffixes, min_stem))
                PyDict_SetItem(table, w, terms)
            else:
                terms = <object>got
            for t in terms:
                size = len(seen)
                seen.add(t)
                if len(seen) == size:
                    continue
                if not isinstance(t, str):
                    raise TypeError(f"a term is a str, not {type(t).__name__}")
                m = PyUnicode_GET_LENGTH(t)
                if n + m + 1 > cap:
                    cap = max(2 * cap, n + m + 1, 4096)
                    grown = <Py_UCS4 *>realloc(buf, cap * sizeof(Py_UCS4))
                    if grown == NULL:
                        raise MemoryError()
                    buf = grown
                if first:
                    first = False
                else:
                    buf[n] = 32
                    n += 1
                kind = PyUnicode_KIND(t)
                data = PyUnicode_DATA(t)
                if kind == PyUnicode_2BYTE_KIND:
                    for i in range(m):
                        buf[n + i] = (<const Py_UCS2 *>data)[i]
                elif kind == PyUnicode_1BYTE_KIND:
                    for i in range(m):
                        buf[n + i] = (<const Py_UCS1 *>data)[i]
                else:
                    for i in range(m):
                        buf[n + i] = (<const Py_UCS4 *>data)[i]
                n += m
        # the str of the narrowest kind that holds them, as join makes it
        return PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, n)
    finally:
        free(buf)


# The event detector's sums (marsad/components/events/model.py): the same multiplications and
# additions, in the same order, as its Python loops, so every probability is the same float
# (built with -ffp-contract=off: no fused multiply-add rounds differently).

def weighted_sum(dict weights, dict feats, double z):
    """``z`` plus ``weights[k] * v`` for each (k, v) of ``feats`` in order, a k without a weight
    adding nothing: ``Model.prob``'s loop."""
    cdef object x
    for k, v in feats.items():
        x = weights.get(k)
        if x is not None:
            z += <double>x * <double>v
    return z


def type_sums(dict index, double[:, ::1] terms, dict feats):
    """The running sums of ``Model.best_type``: for each column j, terms[0, j], then
    ``terms[row, j] * v`` added for each (k, v) of ``feats`` in order (row = index[k], else row
    1, the zeros); the list of the column sums."""
    cdef Py_ssize_t m = terms.shape[1], j, r
    cdef double v
    cdef double *z = <double *>malloc(max(m, 1) * sizeof(double))
    cdef object got
    if z == NULL:
        raise MemoryError()
    try:
        for j in range(m):
            z[j] = terms[0, j]
        for k, x in feats.items():
            got = index.get(k)
            r = 1 if got is None else <Py_ssize_t>got
            v = <double>x
            for j in range(m):
                z[j] += terms[r, j] * v
        return [z[j] for j in range(m)]
    finally:
        free(z)


def detector_sums(dict weights, dict index, double[::1] det, double[:, ::1] terms, dict feats, double z):
    """``weighted_sum(weights, feats, z)`` and ``type_sums(index, terms, feats)`` in one pass, one
    look-up per feature where it can: ``det[index[k]]`` is weights[k] (0.0 where weights lacks k:
    adding 0.0 * v leaves a sum that is not zero the same float, and a zero sum gives the same
    sigmoid). Returns (z, the list of the column sums)."""
    cdef Py_ssize_t m = terms.shape[1], j
    cdef double *t = <double *>malloc(max(m, 1) * sizeof(double))
    if t == NULL:
        raise MemoryError()
    try:
        for j in range(m):
            t[j] = terms[0, j]
        z = dict_sums(weights, index, det, terms, feats, z, t)
        return z, [t[j] for j in range(m)]
    finally:
        free(t)
