# cython: language_level=3, boundscheck=False, wraparound=False
"""The dates step's windows in C: dates.py's ``_merge_py`` (its twin, line for line) with its
walks over characters and runs of spaces typed, its digit anchors (``_iso_anchors``,
``_year_anchors``) in one pass over the text, where ``str.find`` scanned it five times, and the
anchor hits' place tests (``_anchor_spans_py``), where each test called ``re``'s matcher for a
character class, and the anchor scan (``Anchors``: ``_ends.every_hit``'s hits from a dense trie). dates.py takes these where built and wanted (native.compiled), else the twins;
tests/core/test_core_dates_numbers_fast_paths.py compares them.
"""

# What dates.py expects of this module: one built from an older _dates.pyx is not used.
API = 2

cimport cython
from cpython.unicode cimport PyUnicode_READ, PyUnicode_KIND, PyUnicode_DATA
from libc.stdint cimport int32_t, uint8_t, uint16_t, uint32_t
from libc.stdlib cimport malloc, free
from marsad.text._chars cimport word

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


ctypedef fused _uchar:
    uint8_t
    uint16_t
    uint32_t


cdef inline Py_ssize_t _next_in(const _uchar *s, Py_ssize_t q, Py_ssize_t n, unsigned int lo, unsigned int span) noexcept:
    while q < n and <unsigned int>s[q] - lo > span:
        q += 1
    return q


cdef Py_ssize_t _next(int kind, const void *data, Py_ssize_t q, Py_ssize_t n, unsigned int lo, unsigned int span) noexcept:
    """The first place from q whose code point is within lo .. lo + span, n where none: the text
    read through a pointer of its kind (one test a character, where PyUnicode_READ branched on
    the kind at each)."""
    if kind == 1:
        return _next_in(<const uint8_t *>data, q, n, lo, span)
    if kind == 2:
        return _next_in(<const uint16_t *>data, q, n, lo, span)
    return _next_in(<const uint32_t *>data, q, n, lo, span)


cdef void _iso_at(int kind, const void *data, Py_ssize_t n, Py_ssize_t q, list out, Py_ssize_t *last):
    """The iso anchor at the digit before the separator at q, where one is."""
    cdef Py_ssize_t e
    if q >= 1 and q - 1 >= last[0]:
        e = _iso_end(kind, data, n, q - 1)
        if e >= 0:
            out.append((q - 1, e))
            last[0] = e


cdef void _year_at(int kind, const void *data, Py_ssize_t n, Py_ssize_t p, list nineteen, list twenty):
    """The year anchor at p (a 1 or a 2), where one is."""
    cdef unsigned int c, d
    if p + 3 >= n:
        return
    c = PyUnicode_READ(kind, data, p)
    d = PyUnicode_READ(kind, data, p + 1)
    if (c == 0x31 and d == 0x39 or c == 0x32 and d == 0x30) and _decimal(kind, data, n, p + 2) \
            and _decimal(kind, data, n, p + 3) and not _decimal(kind, data, n, p + 4):
        (nineteen if c == 0x31 else twenty).append((p, p + 4))


def digit_anchors(str norm):
    """{"iso": dates._iso_anchors(norm), "year": dates._year_anchors(norm)}, each family only where
    it has anchors, in one pass over the text: the iso anchors (matches of
    ``\\d[/.-][01]?\\d[/.-]\\d`` as ``finditer`` finds them) tried at each digit before a
    separator, the year anchors (``(?:19|20)\\d\\d(?!\\d)``) at each 1 and 2, those at "19" first."""
    cdef list iso = [], nineteen = [], twenty = []
    cdef int kind = PyUnicode_KIND(norm)
    cdef const void *data = PyUnicode_DATA(norm)
    cdef Py_ssize_t n = len(norm), q, last = 0
    cdef unsigned int c
    cdef dict out = {}
    q = _next(kind, data, 0, n, 0x2D, 5)          # - . / 0 1 2 (0x2D-0x32)
    while q < n:
        c = PyUnicode_READ(kind, data, q)
        if c <= 0x2F:
            _iso_at(kind, data, n, q, iso, &last)
        elif c != 0x30:
            _year_at(kind, data, n, q, nineteen, twenty)
        q = _next(kind, data, q + 1, n, 0x2D, 5)
    if iso:
        out["iso"] = iso
    if nineteen or twenty:
        out["year"] = nineteen + twenty
    return out


# dates.py's letters: _PROCLITIC_CHARS (وفبل), _PRO_2's pairs, _AFTER_MONTH (عسل12)
DEF WAW = 0x648
DEF FA = 0x641
DEF BA = 0x628
DEF LAM = 0x644
DEF AIN = 0x639
DEF SIN = 0x633

# the place tests' codes (dates._PLACED_CODES)
DEF ANYWHERE = 0
DEF MONTH = 1
DEF RELDAY = 2
DEF AGO = 3
DEF PERIOD = 4
DEF WEEKDAY = 5


cdef inline bint _proclitic(Py_UCS4 c) noexcept:
    return c == WAW or c == FA or c == BA or c == LAM


cdef inline bint _letter(Py_UCS4 c) noexcept:
    """``[^\\W\\d]``: a word character that is no digit."""
    return word(c) and not Py_UNICODE_ISDECIMAL(c)


cdef inline bint _ends_word(int kind, const void *data, Py_ssize_t n, Py_ssize_t b) noexcept:
    return b >= n or not word(PyUnicode_READ(kind, data, b))


cdef inline bint _after_proclitic(int kind, const void *data, Py_ssize_t a) noexcept:
    cdef Py_UCS4 c
    if a == 0:
        return True
    c = PyUnicode_READ(kind, data, a - 1)
    return not word(c) or _proclitic(c)


cdef bint _month_placed(str norm, int kind, const void *data, Py_ssize_t n, Py_ssize_t a, Py_ssize_t b,
                        tuple ordinals) except -1:
    cdef Py_UCS4 c, c1, c2
    cdef Py_ssize_t q, i
    cdef Py_ssize_t qs[3]
    if b < n:
        c = PyUnicode_READ(kind, data, b)
        if word(c) and not (c == AIN or c == SIN or c == LAM or c == u'1' or c == u'2'):
            return False
    qs[0] = a
    qs[1] = a - 1 if a >= 1 and _proclitic(PyUnicode_READ(kind, data, a - 1)) else -1
    qs[2] = -1
    if a >= 2:
        c1 = PyUnicode_READ(kind, data, a - 2)
        c2 = PyUnicode_READ(kind, data, a - 1)
        # وب ول فب فل لل
        if (c1 == WAW or c1 == FA) and (c2 == BA or c2 == LAM) or c1 == LAM and c2 == LAM:
            qs[2] = a - 2
    for i in range(3):
        q = qs[i]
        if q == 0:
            return True
        if q > 0 and (not _letter(PyUnicode_READ(kind, data, q - 1)) or norm.endswith(ordinals, 0, q)):
            return True
    return False


cdef int _placed(int code, str norm, int kind, const void *data, Py_ssize_t n, Py_ssize_t a, Py_ssize_t b,
                 tuple ordinals) except -1:
    """dates' place test of that code for the anchor norm[a:b]."""
    if code == ANYWHERE:
        return True
    if code == MONTH:
        return _month_placed(norm, kind, data, n, a, b, ordinals)
    if code == RELDAY or code == WEEKDAY:
        return _ends_word(kind, data, n, b) and _after_proclitic(kind, data, a)
    if code == AGO:
        return b < n and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, b)) and _after_proclitic(kind, data, a)
    if code == PERIOD:
        return a > 0 and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, a - 1)) and _ends_word(kind, data, n, b)
    raise ValueError(code)


def anchor_spans(hits, str norm, dict codes, tuple ordinals):
    """dates._anchor_spans_py: each family's anchors among the hits ((end, (length, tests))
    of dates._ANCHORS), where its place test holds; each test by its code in codes (a test
    without one called)."""
    cdef dict spans = {}
    cdef int kind = PyUnicode_KIND(norm)
    cdef const void *data = PyUnicode_DATA(norm)
    cdef Py_ssize_t n = len(norm), a, b, end, length
    cdef object code
    cdef list got
    for end, value in hits:
        length, tests = value
        a, b = end - length + 1, end + 1
        for placed, fams in tests:
            code = codes.get(placed)
            if code is None:
                ok = placed is None or placed(norm, a, b)
            else:
                ok = _placed(code, norm, kind, data, n, a, b, ordinals)
            if ok:
                for f in fams:
                    got = spans.get(f)
                    if got is None:
                        spans[f] = got = []
                    got.append((a, b))
    return spans


# ---------------------------------------------------------------- the anchor scan

DEF LETTERS = 0x700      # the anchor words' letters are below this (Arabic, Latin, digits)
DEF DEEPEST = 64         # the longest anchor word


@cython.final
cdef class Anchors:
    """``_ends.every_hit`` of these words, which walked ``EndTrie``: each step past a word's last
    letter a hash look-up, and two in three characters of a text end an anchor word's suffix (its
    last letter is a common one). Here each node's children are one row of an array, a letter
    read by its code (1 .. width - 1; 0: in no word), and the text through a pointer of its kind
    (``every_hit`` copied it to UCS4 first). ``hits(text)`` is ``every_hit(EndTrie(items), text)``
    (tests/core/test_core_dates_numbers_fast_paths.py compares them)."""
    cdef int32_t first[LETTERS]   # the root's child by a word's last letter, -1: none
    cdef uint8_t code[LETTERS]
    cdef int32_t *kid             # node * width + code -> child, -1: none
    cdef int32_t *term            # node -> index of its value, -1: no word ends there
    cdef Py_ssize_t width
    cdef readonly list values

    def __dealloc__(self):
        free(self.kid)
        free(self.term)

    def __init__(self, items):
        """items: (word, value) pairs, each word once, not empty, of letters below U+0700."""
        cdef Py_ssize_t i, j, k, nodes
        cdef list words = []
        cdef dict codes = {}, node_of = {"": 0}
        self.values = []
        for w, v in items:
            if not w or len(w) > DEEPEST or max(w) >= chr(LETTERS) or w in words:
                raise ValueError(f"anchor word {w!r}")
            words.append(w)
            self.values.append(v)
            for c in w:
                codes.setdefault(c, len(codes) + 1)
            for j in range(1, len(w) + 1):     # each suffix a node, made after the shorter ones
                node_of.setdefault(w[len(w) - j:], len(node_of))
        if len(codes) > 255:
            raise ValueError("more than 255 letters")
        self.width = len(codes) + 1
        nodes = len(node_of)
        self.kid = <int32_t *>malloc(nodes * self.width * sizeof(int32_t))
        self.term = <int32_t *>malloc(nodes * sizeof(int32_t))
        if self.kid == NULL or self.term == NULL:
            raise MemoryError()
        for i in range(nodes * self.width):
            self.kid[i] = -1
        for i in range(nodes):
            self.term[i] = -1
        for i in range(LETTERS):
            self.code[i] = 0
            self.first[i] = -1
        for c, k in codes.items():
            self.code[ord(c)] = <uint8_t>k
        for suffix, i in node_of.items():
            if suffix:   # the child of the suffix one letter shorter by its first letter
                self.kid[<Py_ssize_t>node_of[suffix[1:]] * self.width + codes[suffix[0]]] = <int32_t>i
                if len(suffix) == 1:
                    self.first[ord(suffix)] = <int32_t>i
        for j, w in enumerate(words):
            self.term[<Py_ssize_t>node_of[w]] = <int32_t>j

    def __len__(self):
        return len(self.values)

    def hits(self, str text):
        """(index of the last character, value) of every occurrence of a word, inside words too,
        by end, longest first: ``_ends.every_hit``'s."""
        cdef list out = []
        cdef int kind = PyUnicode_KIND(text)
        cdef const void *data = PyUnicode_DATA(text)
        cdef Py_ssize_t n = len(text)
        if kind == 1:
            _scan(self, <const uint8_t *>data, n, out)
        elif kind == 2:
            _scan(self, <const uint16_t *>data, n, out)
        else:
            _scan(self, <const uint32_t *>data, n, out)
        return out


cdef int _scan(Anchors t, const _uchar *s, Py_ssize_t n, list out) except -1:
    """Anchors.hits over the text's characters s[0:n]."""
    cdef Py_ssize_t b, p, m, j, width = t.width
    cdef int32_t node
    cdef unsigned int c
    cdef int32_t found[DEEPEST]
    for b in range(n):
        c = s[b]
        if c >= LETTERS:
            continue
        node = t.first[c]
        if node < 0:
            continue        # no word ends in this letter (a third of them)
        m, p = 0, b
        while True:
            if t.term[node] >= 0:
                found[m] = node
                m += 1
            if p == 0:
                break
            p -= 1
            c = s[p]
            if c >= LETTERS or t.code[c] == 0:
                break
            node = t.kid[node * width + t.code[c]]
            if node < 0:
                break
        for j in range(m - 1, -1, -1):     # longest first
            out.append((b, t.values[t.term[found[j]]]))
    return 0
