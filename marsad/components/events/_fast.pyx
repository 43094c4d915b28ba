# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The event detector's per-candidate sums over feature ids, in C.

A candidate's features are its few feature keys of its own (a dict: type, rule, gates, toll,
sides, ...), then the clause words of its stretch and the word features of its triggers. The last
two are shared by the candidates of a stretch and by every word of a type, so they are turned into
ids once (word -> id through a cache, a stretch's ids once per report) and each candidate's sums
read arrays instead of a dict per candidate and two dict look-ups per feature.

The sums are those of ``_core.detector_sums`` over the dict ``features.incident_features``
builds: the same products added in the same order (built with -ffp-contract=off), so the same
floats. ``features.py`` holds the pure-Python path; ``native.py`` chooses. Since API 6 also the
triggers' and cues' longest hits, one per span (candidates._longest_unique_py). Since API 8 a
stretch word met for the first time gets its clause-word id in ``region_ids`` itself (the stem in
C, ``id_of`` called in C, no ``__missing__`` call): native._WordIds is its Python twin. Since API 9
split's list link between two places (``link``, split._link_py) and the report's party actors
(``party_actors``, context._party_actors_py). Since API 10 the document step's armed sides grouped
by what names them (``armed_groups``, actors._armed_groups_py).
"""

# What the Python side expects of this module (native.py): one built from an older _fast.pyx is
# not used (scripts/setup rebuilds it).
API = 10

from libc.math cimport exp
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcmp, memset
from cpython.dict cimport PyDict_GetItem, PyDict_GetItemWithError, PyDict_SetItem
from cpython.float cimport PyFloat_AS_DOUBLE
from cpython.object cimport PyObject
from cpython.unicode cimport Py_UNICODE_ISSPACE, PyUnicode_Tailmatch, PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_DATA, PyUnicode_READ


cdef extern from "Python.h":
    Py_UCS4 PyUnicode_READ_CHAR(object u, Py_ssize_t i)
    object PyUnicode_Substring(object u, Py_ssize_t start, Py_ssize_t end)
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
    void PyUnicode_WRITE(int kind, void *data, Py_ssize_t index, Py_UCS4 value)

from marsad.text._sums cimport dict_sums
from marsad.components.events._strength cimport strength_in
from marsad.components.events._offsets cimport offset_index


cdef str _cw_key(str word, Py_ssize_t lp):
    """``"cw:" + word[lp:]``, a word's clause-word key, made in one new string (the slice then the
    sum made two): of the narrowest kind its letters allow, as theirs is."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(word), i
    cdef int kind = PyUnicode_KIND(word), okind
    cdef void *data = PyUnicode_DATA(word)
    cdef void *odata
    cdef Py_UCS4 top = 127, c    # ("cw:" is ASCII)
    for i in range(lp, n):
        c = PyUnicode_READ(kind, data, i)
        if c > top:
            top = c
    cdef str out = PyUnicode_New(3 + n - lp, top)
    okind, odata = PyUnicode_KIND(out), PyUnicode_DATA(out)
    PyUnicode_WRITE(okind, odata, 0, 99)     # c
    PyUnicode_WRITE(okind, odata, 1, 119)    # w
    PyUnicode_WRITE(okind, odata, 2, 58)     # :
    for i in range(lp, n):
        PyUnicode_WRITE(okind, odata, 3 + i - lp, PyUnicode_READ(kind, data, i))
    return out


def cw_key(str word, Py_ssize_t lp):
    """_cw_key (for the tests: ``"cw:" + word[lp:]``)."""
    return _cw_key(word, lp)


cdef class Table:
    """Feature key -> id for one model (the detector's weights, the typing table). An id holds the
    key's typing row (1, the zeros, for a key the table lacks) and its detector weight. The keys no
    model knows share id 0: each adds 0.0 to the type sums and nothing to the detector's, and is
    never de-duplicated (as each unknown key of the dict added its 0.0)."""

    cdef dict weights, index, ids
    # the miss path of region_ids (set_stems): on, the proclitics by first letter (firsts[j]:
    # procs[j]), the bound of the words' dict
    cdef bint stems
    cdef list procs
    cdef Py_UCS4 firsts[32]
    cdef Py_ssize_t nfirst, max_words
    cdef double[::1] det
    cdef double[:, ::1] terms
    cdef Py_ssize_t m, n, cap
    cdef Py_ssize_t *rows
    cdef double *w
    cdef char *has
    cdef unsigned int *stamp
    cdef unsigned int now

    def __cinit__(self, dict weights, dict index, double[::1] det, double[:, ::1] terms):
        self.weights, self.index, self.det, self.terms = weights, index, det, terms
        self.m = terms.shape[1]
        self.ids = {}
        self.stems, self.procs, self.nfirst, self.max_words = False, None, 0, 0
        self.n, self.cap, self.now = 0, 0, 0
        self.rows, self.w, self.has, self.stamp = NULL, NULL, NULL, NULL
        self._grow(1024)
        # id 0: a key no model knows
        self.rows[0], self.w[0], self.has[0], self.stamp[0] = 1, 0.0, 0, 0
        self.n = 1

    def __dealloc__(self):
        free(self.rows); free(self.w); free(self.has); free(self.stamp)

    cdef void _grow(self, Py_ssize_t cap) except *:
        cdef Py_ssize_t *r = <Py_ssize_t *>realloc(self.rows, cap * sizeof(Py_ssize_t))
        if r == NULL:
            raise MemoryError()
        self.rows = r
        cdef double *w = <double *>realloc(self.w, cap * sizeof(double))
        if w == NULL:
            raise MemoryError()
        self.w = w
        cdef char *h = <char *>realloc(self.has, cap * sizeof(char))
        if h == NULL:
            raise MemoryError()
        self.has = h
        cdef unsigned int *s = <unsigned int *>realloc(self.stamp, cap * sizeof(unsigned int))
        if s == NULL:
            raise MemoryError()
        self.stamp = s
        self.cap = cap

    cpdef object id_of(self, str key):
        """The key's id (made at its first look-up; bounded by the keys the models know)."""
        got = self.ids.get(key)
        if got is not None:
            return got
        cdef object r = self.index.get(key)
        cdef object x
        if r is None:
            x = self.weights.get(key)
            if x is None:
                return 0          # unknown to both: not stored, shared id 0
        if self.n == self.cap:
            self._grow(2 * self.cap)
        cdef Py_ssize_t i = self.n
        if r is None:
            self.rows[i], self.w[i], self.has[i] = 1, <double>x, 1
        else:
            # what detector_sums reads for a key of the typing table: det[row] (0.0 without a weight)
            self.rows[i], self.w[i], self.has[i] = <Py_ssize_t>r, self.det[<Py_ssize_t>r], 1
        self.stamp[i] = 0
        self.n += 1
        got = self.ids[key] = i
        return got

    def ids_of(self, keys):
        """The ids of ``keys`` (an iterable of str), in order, as a tuple."""
        return tuple([self.id_of(k) for k in keys])

    def set_stems(self, dict by_first, Py_ssize_t max_words):
        """Turn on region_ids' miss path: ``by_first`` is tokens._BY_FIRST (first letter -> the
        proclitics it opens, in their order), ``max_words`` the bound of the words' dict
        (native._MAX_WORDS). Returns whether it is on (not for a table it cannot mirror)."""
        cdef list procs = []
        cdef Py_ssize_t nf = 0
        for k, v in by_first.items():
            if type(k) is not str or len(<str>k) != 1 or type(v) is not tuple or nf == 32:
                return False
            for p in <tuple>v:
                if type(p) is not str or not (<str>p).startswith(<str>k):
                    return False
            self.firsts[nf] = (<str>k)[0]
            procs.append(v)
            nf += 1
        self.stems, self.procs, self.nfirst, self.max_words = True, procs, nf, max_words
        return True

    cdef object _word_id(self, str word):
        # (a set of the stems the models know, to skip the key of the others, cost more at start-up
        # than it saved: 17,114 of news300's 17,536 new words have a known stem)
        return self.id_of(_cw_key(word, self._proclitic(word)))

    cdef Py_ssize_t _proclitic(self, str word):
        """The length of features._stem's proclitic: the first, in their order, the word starts
        with that leaves 3 letters (0: none, the stem is the word)."""
        cdef Py_ssize_t n = len(word), j, lp
        cdef Py_UCS4 c
        if n == 0:
            return 0
        c = PyUnicode_READ_CHAR(word, 0)
        for j in range(self.nfirst):
            if self.firsts[j] == c:
                for p in <tuple>self.procs[j]:
                    lp = len(<str>p)
                    if n - lp >= 3 and PyUnicode_Tailmatch(word, p, 0, n, -1) == 1:
                        return lp
                break
        return 0

    def word_id(self, str word):
        """``id_of("cw:" + features._stem(word))`` (after set_stems): the id of a word's clause-word
        key."""
        return self._word_id(word)

    def region_ids(self, words, list norms, Py_ssize_t lo, Py_ssize_t hi):
        """``tuple(dict.fromkeys(map(words.__getitem__, norms[lo:hi])))``: the ids of the words
        of a stretch, each once, in their first order (``words`` makes a missing word's id). With
        set_stems and a plain dict ``words``, a missing word's id is made here as native._WordIds
        makes it (the dict emptied past the bound, then word -> word_id(word))."""
        cdef list out = []
        cdef Py_ssize_t i, c
        cdef PyObject *got
        hi = min(hi, len(norms))
        self.now += 1
        if self.now == 0:
            memset(self.stamp, 0, self.cap * sizeof(unsigned int))
            self.now = 1
        for i in range(max(lo, 0), hi):
            w = norms[i]
            # (WithError: PyDict_GetItem saves and restores the error state, ~40 instructions a word)
            got = PyDict_GetItemWithError(words, w)
            if got != NULL:
                o = <object>got
            elif self.stems and type(words) is dict and type(w) is str:
                if len(<dict>words) > self.max_words:
                    (<dict>words).clear()
                o = (<dict>words)[w] = self._word_id(<str>w)
            else:
                o = words[w]   # (__missing__ makes it)
            c = <Py_ssize_t>o
            if self.stamp[c] == self.now:
                continue
            self.stamp[c] = self.now
            out.append(o)
        return tuple(out)

    def sums(self, dict base, double z, tuple parts):
        """``detector_sums`` over the dict ``base`` then the ids of ``parts`` (tuples of ids, each
        of value 1.0) in order, an id already added once skipped (a key updated into a dict keeps
        its first place); id 0 always added (each unknown key of the dict). Returns (z, the
        typing sums). The keys of ``base`` and those of ``parts`` are disjoint (their prefixes
        differ: features.py)."""
        cdef Py_ssize_t m = self.m, j, r, i
        cdef double *t = <double *>malloc(max(m, 1) * sizeof(double))
        cdef tuple part
        cdef double[:, ::1] terms = self.terms
        cdef double[::1] det = self.det
        if t == NULL:
            raise MemoryError()
        self.now += 1
        if self.now == 0:       # wrapped round: clear the stamps
            memset(self.stamp, 0, self.cap * sizeof(unsigned int))
            self.now = 1
        cdef unsigned int now = self.now
        try:
            for j in range(m):
                t[j] = terms[0, j]
            # the candidate's own keys: the loop of detector_sums (marsad/text/_sums.pxd)
            z = dict_sums(self.weights, self.index, det, terms, base, z, t)
            # the shared ones, value 1.0 each
            for part in parts:
                for o in part:
                    i = <Py_ssize_t>o
                    if i != 0:
                        if self.stamp[i] == now:
                            continue
                        self.stamp[i] = now
                    if self.has[i]:
                        z += self.w[i] * 1.0
                    r = self.rows[i]
                    for j in range(m):
                        t[j] += terms[r, j] * 1.0
            return z, [t[j] for j in range(m)]
        finally:
            free(t)


# Small helpers asked hundreds of times a report, each the same as its Python twin (named in its
# docstring), without a Python frame per call.

from collections import defaultdict as _defaultdict


def holds_any(str text, words):
    """places._holds_any_py: whether one of ``words`` occurs in ``text``."""
    for w in words:
        if w in text:
            return True
    return False


def nstart(offsets, span):
    """context.Ctx.nstart (as partial(nstart, the report's offsets))."""
    n = (<dict>_span_field(span, 5, "data")).get("n0")
    return offset_index(offsets, _span_field(span, 0, "start")) if n is None else n


def nend(offsets, span):
    """context.Ctx.nend (as partial(nend, the report's offsets))."""
    n = (<dict>_span_field(span, 5, "data")).get("n1")
    return offset_index(offsets, _span_field(span, 1, "end")) if n is None else n


def within(offsets, spans, Py_ssize_t lo, Py_ssize_t hi):
    """context.Ctx.within (as partial(within, the report's offsets)): the spans whose normalised
    start is in [lo, hi), in order."""
    cdef list out = []
    cdef Py_ssize_t n
    for s in spans:
        got = (<dict>_span_field(s, 5, "data")).get("n0")
        n = offset_index(offsets, _span_field(s, 0, "start")) if got is None else got
        if lo <= n < hi:
            out.append(s)
    return out


cdef object _NO_KEY = object()   # (by_sent: no span read yet)


def by_sent(spans):
    """context._by_sent_py: sentence -> its spans in order, a defaultdict(list) (a Span's sentence
    read from its slot, another class's by name)."""
    d = _defaultdict(list)
    cdef PyObject *got
    cdef PyObject *v
    cdef list cur = None
    cdef Py_ssize_t at = _SPAN_AT[4] if _SPAN_SLOTS else -1   # (Span's sent slot: read in place)
    prev = _NO_KEY
    for s in spans:
        v = marsad_ev_slot(s, at) if at >= 0 and type(s) is _DocSpan else NULL
        k = <object>v if v != NULL else s.sent
        if k is prev:   # (a run of one sentence's spans: its list at hand; the same object, the same key)
            cur.append(s)
            continue
        got = PyDict_GetItem(d, k)   # (the dict's own look-up: no __missing__)
        if got == NULL:
            cur = [s]
            PyDict_SetItem(d, k, cur)
        else:
            cur = <list>got
            cur.append(s)
        prev = k
    return d


def occurrences(str norm, auto):
    """gapped._occurrences_py: word -> the starts of its occurrences in ``norm``."""
    cdef dict occ = {}
    cdef list got
    for last, w in auto.iter(norm):
        got = occ.get(w)
        if got is None:
            got = occ[w] = []
        got.append(last - len(w) + 1)
    return occ


from bisect import bisect_right as _bisect_right


from operator import itemgetter as _itemgetter
cdef object _HIT_START = _itemgetter(0), _HIT_END = _itemgetter(1)


def longest_unique(hits):
    """candidates._longest_unique_py: lexicon.longest_hits of a matcher's (start, end, core start,
    prefix, row) hits (a hit inside the last one kept is dropped, in the order of its two stable
    sorts), then one hit per (start, end): the longest pattern, the first of equal length. A dict
    (start, end) -> hit, in the order of first kept."""
    cdef dict seen = {}
    cdef Py_ssize_t a, b, last_a = -1, last_b = -1
    for x in sorted(sorted(hits, key=_HIT_END, reverse=True), key=_HIT_START):
        a, b = x[0], x[1]
        if a >= last_a and b <= last_b and (a != last_a or b != last_b):
            continue
        last_a, last_b = a, b
        k = (x[0], x[1])
        old = seen.get(k)
        if old is None or len(x[4]["_pat"]) > len(old[4]["_pat"]):
            seen[k] = x
    return seen




from marsad.text._slots cimport new_six, six_in_place, span_by_name


from marsad.doc import Span as _DocSpan
# doc.Span's six slots, in its fields' order; a span made here has them set in place (~1,000
# instructions a span fewer than object.__new__ called from C and six attribute sets by name)
cdef Py_ssize_t _SPAN_AT[6]
cdef bint _SPAN_SLOTS = True


cdef void _span_slots():
    # (a class of another shape, or with a __new__, __setattr__ or __post_init__ of its own, is
    # made as new_span makes it)
    global _SPAN_SLOTS
    _SPAN_SLOTS = six_in_place(_DocSpan, ("start", "end", "label", "text", "sent", "data"), _SPAN_AT)

_span_slots()
SPAN_SLOTS = _SPAN_SLOTS   # (for the tests: doc.Span's spans are made in place)


cdef object new_span(span_type, o0, o1, label, text, sent, data):
    """doc.new_span(o0, o1, label, text, sent, data) for ``span_type`` (doc.Span: its slots set in
    place)."""
    if span_type is not _DocSpan or not _SPAN_SLOTS:
        return span_by_name(span_type, o0, o1, label, text, sent, data)
    return new_six(span_type, _SPAN_AT, o0, o1, label, text, sent, data)


def span_of(span_type, o0, o1, label, text, sent, data):
    """new_span (for the tests: doc.new_span's twin)."""
    return new_span(span_type, o0, o1, label, text, sent, data)


def place_hits(hits, list spans, list ends, Py_ssize_t last, offsets, str text, dict entry_data,
               bint triggers, span_type):
    """candidates._place_hits_py: a Span per (start, end, core start, prefix, row) hit appended to
    ``spans``, its data the row's public fields then the hit's, the row's part made once per row
    (``entry_data``, shared with the Python path)."""
    cdef Py_ssize_t si
    cdef dict data
    cdef tuple cached
    for start, end, core_start, prefix, e in hits:
        si = _bisect_right(ends, start)
        if si > last:
            si = last
        got = entry_data.get(id(e))
        if got is None or (<tuple>got)[0] is not e:   # keyed by id: check it is the same row
            fields = {k: v for k, v in e.items() if not k.startswith("_")}
            if triggers:
                got = (e, fields, e["_pat"], int(e.get("strength") or 1), e.get("event_type", ""))
            else:
                got = (e, fields, e["_pat"], None, e.get("cue", ""))
            entry_data[id(e)] = got
        cached = <tuple>got
        # the row's fields, then these in this order (a key the row has keeps its place)
        data = dict(<dict>cached[1])
        data["n0"] = start
        data["n1"] = end
        data["core_start"] = core_start
        data["prefix"] = prefix
        data["pattern"] = cached[2]
        if triggers:
            data["strength"] = cached[3]
        o0 = offsets[start]
        o1 = offsets[end] if end > start else o0
        # span_type(o0, o1, label, text, si, data) without the dataclass's __init__ (doc.new_span)
        spans.append(new_span(span_type, o0, o1, cached[4], text[o0:o1], si, data))


def strength(t):
    """rules._strength_py: how plainly a trigger states its incident (asked ~120 times a report)."""
    return strength_in(_span_field(t, 5, "data"))


def is_victim(sp):
    """actors._is_victim_py: civilians, and protesters outside a protest."""
    cdef dict d = _span_field(sp, 5, "data")
    return d.get("inter") in (6, 7) or d.get("kind") in ("civilians", "protesters")


def armed_groups(list spans, tuple armed):
    """actors._armed_groups_py: the armed spans (not victims, not out of the fight) grouped by
    actor_in's key, in first-named order: key -> [count, first span]."""
    cdef dict groups = {}, d
    cdef PyObject *got
    for x in spans:
        d = x.data
        inter = d.get("inter")
        # is_victim, the armed code, not_party: in fill_opponents' order
        if inter in (6, 7) or d.get("kind") in ("civilians", "protesters"):
            continue
        if inter not in armed or d.get("not_party"):
            continue
        key = (x.label, inter, d.get("inter_abroad"), d.get("country"), d.get("by_country"))   # actor_in
        got = PyDict_GetItem(groups, key)
        if got is NULL:
            groups[key] = [1, x]
        else:
            (<list>got)[0] += 1
    return groups


def dot(dict weights, dict feats):
    """linear._dot_py: ``sum(weights.get(k, 0.0) * v for k, v in feats.items())``, the same
    products added in the same order to the same start (the builtin sum's float loop); a weight or
    value that is not a float takes the Python sum itself."""
    cdef double s = 0.0
    cdef PyObject *got
    if not feats:
        return 0          # (sum of nothing: the int 0)
    for k, v in feats.items():
        got = PyDict_GetItem(weights, k)
        if type(v) is not float or (got != NULL and type(<object>got) is not float):
            return sum([weights.get(k2, 0.0) * v2 for k2, v2 in feats.items()])
        s += (PyFloat_AS_DOUBLE(<object>got) if got != NULL else 0.0) * PyFloat_AS_DOUBLE(v)
    return s


def sigmoid(double z):
    """linear._sigmoid_py: ``1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))`` (min and max as
    the builtins compare: a NaN gives 30.0), libm's exp as math.exp calls it."""
    cdef double m = z if z < 30.0 else 30.0
    m = m if m > -30.0 else -30.0
    return 1.0 / (1.0 + exp(-m))


from marsad.text._slots cimport marsad_slot_at as marsad_ev_slot, class_slot


def token_field(list tokens, str name):
    """``list(map(attrgetter(name), tokens))``: each token's field read from its slot (text.tokens.Token
    has __slots__: no attribute look-up per token); a token of another class, or whose slot is
    unset, is asked by name."""
    cdef list out = []
    cdef Py_ssize_t at = -1
    cdef PyObject *v
    if not tokens:
        return out
    cls = type(tokens[0])
    at = class_slot(cls, name)
    for t in tokens:
        if at >= 0 and type(t) is cls:
            v = marsad_ev_slot(t, at)
            if v != NULL:
                out.append(<object>v)
                continue
        out.append(getattr(t, name))
    return out


cdef inline bint _same_str(a, b) except -1:
    """a == b, by letters for two exact strs (no rich comparison's call)."""
    cdef Py_ssize_t L
    if a is b:
        return True
    if type(a) is str and type(b) is str:
        L = PyUnicode_GET_LENGTH(<str>a)
        return (L == PyUnicode_GET_LENGTH(<str>b) and PyUnicode_KIND(<str>a) == PyUnicode_KIND(<str>b)
                and memcmp(PyUnicode_DATA(<str>a), PyUnicode_DATA(<str>b), L * PyUnicode_KIND(<str>a)) == 0)
    return bool(a == b)


def clause_openers(list tokens, list norms, dict words):
    """clauses._clause_openers_py: the starts of the tokens that open a clause word (``words``:
    first word -> the words that must follow it). A token is compared only with the first words
    of its own first letter (found by the letter's low byte) and length (a chain of them per
    letter and length), by their letters (memcmp: equal strings have one kind): no hash of the
    token's word is made (most of a report's words were never hashed before: the dict's look-up
    of them was most of this pass); the word found gives its value kept beside it. A word list it
    cannot sift (an empty or non-str first word, more than 64 first letters or two of one low
    byte, a first word of 64 letters or more, more than 256 first words) is looked up per token."""
    cdef list out = []
    cdef Py_ssize_t n = len(norms), i, j, m, nf = 0, nk = 0, L, q
    cdef PyObject *got
    cdef bint ok, sift = True
    cdef Py_UCS4 firsts[64]
    cdef short head[64][64]      # (first letter's index, length) -> its first key in fk, or -1
    cdef short nxt[256]          # the next key of the same letter and length, or -1
    cdef signed char slot[256]   # a first letter's low byte -> its index in firsts, or -1
    cdef list fk = [], fv = []   # the first words and their values in words
    cdef Py_UCS4 c
    cdef str w
    cdef int kind
    memset(slot, -1, sizeof(slot))
    memset(head, -1, sizeof(head))
    for k in words:
        if type(k) is not str or len(<str>k) == 0 or len(<str>k) >= 64 or nk == 256:
            sift = False
            break
        L = len(<str>k)
        c = (<str>k)[0]
        j = slot[<unsigned int>c & 255u]
        if j < 0:
            if nf == 64:
                sift = False
                break
            j = slot[<unsigned int>c & 255u] = nf
            firsts[nf] = c
            nf += 1
        elif firsts[j] != c:
            sift = False   # (two first letters of one low byte)
            break
        # (chained in front: keys are distinct, so at most one of a chain matches)
        nxt[nk] = head[j][L]
        head[j][L] = nk
        fk.append(k)
        fv.append(words[k])
        nk += 1
    for i in range(n):
        o = norms[i]
        if sift and type(o) is str:
            w = <str>o
            L = PyUnicode_GET_LENGTH(w)
            if L == 0 or L >= 64:
                continue
            kind = PyUnicode_KIND(w)
            c = PyUnicode_READ(kind, PyUnicode_DATA(w), 0)
            j = slot[<unsigned int>c & 255u]
            if j < 0 or firsts[j] != c:
                continue
            got = NULL
            q = head[j][L]
            while q >= 0:
                k = fk[q]
                if (PyUnicode_KIND(<str>k) == kind
                        and memcmp(PyUnicode_DATA(<str>k), PyUnicode_DATA(w), L * kind) == 0):
                    got = <PyObject *>fv[q]
                    break
                q = nxt[q]
        else:
            got = PyDict_GetItem(words, o)
        if got == NULL:
            continue
        for rest in <tuple>got:
            m = len(<list>rest)
            # (norms[i + 1:i + 1 + m] == rest, the next word first: most "في" and "من" open none)
            ok = i + m < n
            j = 0
            while ok and j < m:
                ok = _same_str(norms[i + 1 + j], (<list>rest)[j])
                j += 1
            if ok:
                out.append(tokens[i].start)
                break
    return out


# -- a span's fields from doc.Span's slots (by name for another class or an unset slot) ----------

cdef inline object _span_field(s, Py_ssize_t k, str name):
    cdef PyObject *v
    if _SPAN_SLOTS and type(s) is _DocSpan:
        v = marsad_ev_slot(s, _SPAN_AT[k])
        if v != NULL:
            return <object>v
    return getattr(s, name)


cdef inline object _dict_get(data, str key):
    """data.get(key) (a dict's own look-up where it is one)."""
    cdef PyObject *v
    if type(data) is dict:
        v = PyDict_GetItem(data, key)
        return None if v == NULL else <object>v
    return data.get(key)


# -- split's list links (split._link_py) -------------------------------------------------------

# bound by bind_split(): split.py's namespace (its usable_place, LIST_FEATURES and gap tests read
# at each call, as the module holds them) and context.Ctx (whose nstart/nend are read in place)
cdef dict _SPLIT = {}
cdef object _Ctx = None


# the gap patterns as split.py ships them (item_gap sifts gaps only for these) and the characters
# their leading classes take besides \s (split._QUOTES, "," and "،")
cdef object _ITEM_GAP_shipped = None, _COORD_GAP_shipped = None
cdef Py_UCS4 _SEP[16]
cdef Py_ssize_t _NSEP = 0


def bind_split(split):
    """Read what split.py holds (its end, once it is built)."""
    global _SPLIT, _Ctx, _ITEM_GAP_shipped, _COORD_GAP_shipped, _NSEP
    _SPLIT = split.__dict__
    _Ctx = split.Ctx
    seps = split._QUOTES + ",،"
    if len(seps) <= 16:
        _ITEM_GAP_shipped, _COORD_GAP_shipped = split._ITEM_GAP, split._COORD_GAP
        _NSEP = 0
        for c in seps:
            _SEP[_NSEP] = c
            _NSEP += 1


cdef inline object _nbound(ctx, span, bint end):
    """ctx.nend(span) (end) or ctx.nstart(span): a Ctx's (its offsets' partial of nend/nstart)
    read here, another context's asked."""
    if type(ctx) is not _Ctx:
        return ctx.nend(span) if end else ctx.nstart(span)
    n = _dict_get(_span_field(span, 5, "data"), "n1" if end else "n0")
    if n is not None:
        return n
    return offset_index(ctx._orig_starts, _span_field(span, 1, "end") if end else _span_field(span, 0, "start"))


def link(doc, ctx, x, y):
    """split._link_py: how y follows x in a list ("qualifier", "item" or None), the same tests in
    the same order with no Python frame; the gap's answers asked of split's kept ones."""
    cdef dict S = _SPLIT
    a = _nbound(ctx, x, True)
    b = _nbound(ctx, y, False)
    gap = doc.norm[a:b]
    feature = _dict_get(_span_field(y, 5, "data"), "feature")
    usable = S["usable_place"]
    if usable(y) and feature in ("admin1", "admin2", "country") and S["_qualifier_gap"](gap):
        return "qualifier"
    if feature not in S["LIST_FEATURES"] and usable(y):
        return None
    return "item" if S["_item_gap"](gap) else None


# -- the report's party actors (context._party_actors_py) ------------------------------------------

def party_actors(by_sent):
    """context._party_actors_py: each sentence's actor list replaced by a new list of those whose
    data holds no true "not_party", in order (the keys and their order kept)."""
    cdef list xs, kept
    for si, xs_ in list(by_sent.items()):
        xs = <list?>xs_
        kept = []
        for x in xs:
            if not _dict_get(_span_field(x, 5, "data"), "not_party"):
                kept.append(x)
        by_sent[si] = kept


cdef inline bint _is_sep(Py_UCS4 c):
    """c in the gap patterns' class [\\s,،QUOTES] (\\s as re has it for str: Py_UNICODE_ISSPACE)."""
    cdef Py_ssize_t j
    if Py_UNICODE_ISSPACE(c):
        return True
    for j in range(_NSEP):
        if _SEP[j] == c:
            return True
    return False


def item_gap(str gap not None):
    """split._item_gap_py: _ITEM_GAP's match, or _COORD_GAP's and a list link word in the gap; the
    patterns asked only where the gap's letters let them match (the shipped ones): each of
    _ITEM_GAP's alternatives needs "و" as the first letter outside [\\s,،QUOTES] or "(" as the first
    outside \\s; _COORD_GAP's words (a connective of at most two, a list noun) make at most three
    runs of letters outside that class. (The two tests of _COORD_GAP's side asked in the other
    order: neither has an effect.)"""
    cdef dict S = _SPLIT
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(gap), i, runs = 0
    cdef int kind = PyUnicode_KIND(gap)
    cdef void *data = PyUnicode_DATA(gap)
    cdef Py_UCS4 c, first = 0, first_ns = 0
    cdef bint has_first = False, has_first_ns = False
    cdef bint sift = S["_ITEM_GAP"] is _ITEM_GAP_shipped and S["_COORD_GAP"] is _COORD_GAP_shipped, inside = False
    if sift:
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            if not has_first_ns and not Py_UNICODE_ISSPACE(c):
                first_ns, has_first_ns = c, True
            if _is_sep(c):
                inside = False
            else:
                if not has_first:
                    first, has_first = c, True
                if not inside:
                    runs += 1
                    inside = True
    if (not sift or (has_first and first == u'و') or (has_first_ns and first_ns == u'(')) and S["_ITEM_GAP"].match(gap) is not None:
        return True
    if sift and runs > 3:
        return False
    for w in S["_LIST_LINKS"]:
        if w in gap:
            return S["_COORD_GAP"].match(gap) is not None
    return False
