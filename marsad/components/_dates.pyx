# cython: language_level=3, boundscheck=False, wraparound=False
"""The dates step's windows in C: dates.py's ``_merge_py`` (its twin, line for line) with its
walks over characters and runs of spaces typed, its digit anchors (``_iso_anchors``,
``_year_anchors``) in one pass over the text, where ``str.find`` scanned it five times, and the
anchor hits' place tests (``_anchor_spans_py``), where each test called ``re``'s matcher for a
character class, and the anchor scan (``Anchors``: ``_ends.every_hit``'s hits from one table of
states). dates.py takes these where built and wanted (native.compiled), else the twins;
tests/core/test_core_dates_numbers_fast_paths.py compares them.
"""

# What dates.py expects of this module: one built from an older _dates.pyx is not used.
API = 4

cimport cython
from cpython.unicode cimport PyUnicode_READ, PyUnicode_KIND, PyUnicode_DATA
from libc.stdint cimport int32_t, uint8_t, uint16_t, uint32_t
from libc.stdlib cimport calloc, malloc, free
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


cdef Py_ssize_t _after_end(int kind, const void *data, Py_ssize_t n, Py_ssize_t b, Py_ssize_t runs,
                           str after) noexcept:
    """dates._after_end: where a match holding no anchor past b ends at the latest."""
    cdef Py_ssize_t q = b, r, seen = 0
    cdef Py_UCS4 c
    while q < n and not _space(kind, data, q):
        q += 1
    while q < n and seen < runs:
        r = q
        while r < n and _space(kind, data, r):
            r += 1
        if r == n:
            return n
        c = PyUnicode_READ(kind, data, r)
        if not _among(c, after):
            return r - 1 if word(c) else r
        q = r
        while q < n and not _space(kind, data, q):
            q += 1
        seen += 1
    return q


cdef inline bint _among(Py_UCS4 c, str chars) noexcept:
    cdef int kind = PyUnicode_KIND(chars)
    cdef const void *data = PyUnicode_DATA(chars)
    cdef Py_ssize_t i
    for i in range(len(chars)):
        if PyUnicode_READ(kind, data, i) == c:
            return True
    return False


def merge(list spans, str norm, Py_ssize_t left, Py_ssize_t right, Py_ssize_t left_runs, Py_ssize_t right_runs,
          Py_ssize_t after_runs=-1, str after=""):
    """_merge_py(spans, norm, left, right, left_runs, right_runs, after_runs, after); spans is sorted
    in place."""
    cdef list out = []
    cdef int kind = PyUnicode_KIND(norm)
    cdef const void *data = PyUnicode_DATA(norm)
    cdef Py_ssize_t n = len(norm), a, b, lo, hi, last_lo = -1, last_hi = -1, last_b = -1
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
            if b > last_b:
                last_b = b
        else:
            if last_lo >= 0:
                _close(out, kind, data, n, last_lo, last_hi, last_b, after_runs, after)
            last_lo, last_hi, last_b = lo, hi, b
    if last_lo >= 0:
        _close(out, kind, data, n, last_lo, last_hi, last_b, after_runs, after)
    return out


cdef int _close(list out, int kind, const void *data, Py_ssize_t n, Py_ssize_t lo, Py_ssize_t hi, Py_ssize_t b,
                Py_ssize_t after_runs, str after) except -1:
    """A merged window out, ended at _after_end from its last anchor's end b where after_runs >= 0."""
    if after_runs >= 0:
        hi = min(hi, _after_end(kind, data, n, b, after_runs, after))
    out.append((lo, hi))
    return 0


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


cdef tuple _ordinals = None     # the ordinals _by_last was made of
cdef dict _ordinals_by_last = None


cdef dict _by_last(tuple ordinals):
    """The ordinals by their last letter (as an int): ``norm.endswith(ordinals, 0, q)`` holds only
    where one ending in norm[q - 1] stands there, so _month_placed asks those few, where it
    asked all of them after each month's name glued to a letter ("اب" in ارهاب، انتخاب)."""
    global _ordinals, _ordinals_by_last
    cdef dict by_last = {}
    if ordinals is not _ordinals:
        for o in ordinals:
            if not o:
                by_last = None     # "" ends every text: the whole tuple is asked
                break
            by_last.setdefault(ord((<str>o)[len(<str>o) - 1]), []).append(o)
        _ordinals_by_last = None if by_last is None else {k: tuple(v) for k, v in by_last.items()}
        _ordinals = ordinals
    return _ordinals_by_last


cdef bint _month_placed(str norm, int kind, const void *data, Py_ssize_t n, Py_ssize_t a, Py_ssize_t b,
                        tuple ordinals) except -1:
    cdef Py_UCS4 c, c1, c2
    cdef dict by_last
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
        if q > 0:
            c = PyUnicode_READ(kind, data, q - 1)
            if not _letter(c):
                return True
            by_last = _by_last(ordinals)
            ending = ordinals if by_last is None else by_last.get(<long>c)
            if ending is not None and norm.endswith(ending, 0, q):
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


@cython.final
cdef class Anchors:
    """``_ends.every_hit`` of these words as one table of states (the automaton's, its failure
    links resolved when built): a character is one look-up, its letter's code (1 .. width - 1;
    0: in no word) in its state's row, where ``every_hit`` walked back from each place whose
    letter ends a word (two in three: their last letters are common ones), each step past the
    first a hash look-up in ``EndTrie``, over a UCS4 copy of the text. ``hits(text)`` is
    ``every_hit(EndTrie(items), text)`` (tests/core/test_core_dates_numbers_fast_paths.py)."""
    cdef uint8_t code[LETTERS]
    cdef int32_t *step            # state * width + code -> the next state's row (next * width) << 2,
                                  # its lowest bit set where words end in that state, the next one
                                  # for the digit anchors' characters (scan)
    cdef int32_t *first           # a state's words: emits[first[state]:first[state + 1]]
    cdef int32_t *emits           # indexes of values, longest word first
    cdef Py_ssize_t width
    cdef Py_ssize_t digit         # the code of - . / 0 1 2 where no word holds them, else 0
    cdef readonly list values

    def __dealloc__(self):
        free(self.step)
        free(self.first)
        free(self.emits)

    def __init__(self, items):
        """items: (word, value) pairs, each word once, not empty, of letters below U+0700."""
        cdef list words = []
        cdef str w
        cdef Py_ssize_t i, k, d, bound = 1
        self.values = []
        for w, v in items:
            if not w or max(w) >= chr(LETTERS) or w in words:
                raise ValueError(f"anchor word {w!r}")
            words.append(w)
            self.values.append(v)
            bound += len(w)
        for i in range(LETTERS):
            self.code[i] = 0
        k = 0
        for w in words:
            for c in w:
                if self.code[ord(c)] == 0:
                    k += 1
                    if k > 255:
                        raise ValueError("more than 255 letters")
                    self.code[ord(c)] = <uint8_t>k
        # - . / 0 1 2 share a code of their own (the start state's, flagged), where no word
        # holds one: scan then tests for the digit anchors only there
        self.digit = 0
        for d in range(0x2D, 0x33):
            if self.code[d]:
                break
        else:
            k += 1
            self.digit = k
            for d in range(0x2D, 0x33):
                self.code[d] = <uint8_t>k
        self.width = k + 1
        self._build(words, bound)

    cdef int _build(self, list words, Py_ssize_t bound) except -1:
        """The table of states: the words' trie (at most bound states), then breadth first each
        state's row over its failure's (its longest proper suffix that is a state, known before
        it) and its words after its own (the failure's are shorter: longest first)."""
        cdef Py_ssize_t width = self.width, nodes = 1, i, j, k, q, total = 0, head, tail
        cdef int32_t node, nxt, f
        cdef int32_t *kid = <int32_t *>malloc(bound * width * sizeof(int32_t))
        cdef int32_t *fail = <int32_t *>calloc(bound, sizeof(int32_t))
        cdef int32_t *own = <int32_t *>malloc(bound * sizeof(int32_t))
        cdef int32_t *count = <int32_t *>calloc(bound, sizeof(int32_t))
        cdef int32_t *queue = <int32_t *>malloc(bound * sizeof(int32_t))
        cdef str w
        try:
            if kid == NULL or fail == NULL or own == NULL or count == NULL or queue == NULL:
                raise MemoryError()
            for i in range(bound * width):
                kid[i] = -1
            own[0] = -1
            for j in range(len(words)):
                w = words[j]
                node = 0
                for c in w:
                    k = self.code[ord(c)]
                    if kid[node * width + k] < 0:
                        kid[node * width + k] = <int32_t>nodes
                        own[nodes] = -1
                        nodes += 1
                    node = kid[node * width + k]
                own[node] = <int32_t>j
            self.step = <int32_t *>malloc(nodes * width * sizeof(int32_t))
            self.first = <int32_t *>malloc((nodes + 1) * sizeof(int32_t))
            if self.step == NULL or self.first == NULL:
                raise MemoryError()
            # breadth first; step holds next states here, rows (with the emit bit) at the end
            head, tail = 0, 1
            queue[0] = 0
            while head < tail:
                q = queue[head]
                head += 1
                f = fail[q]
                for k in range(width):
                    nxt = kid[q * width + k] if k else -1
                    if nxt >= 0:
                        fail[nxt] = self.step[f * width + k] if q else 0
                        queue[tail] = nxt
                        tail += 1
                        self.step[q * width + k] = nxt
                    else:
                        self.step[q * width + k] = self.step[f * width + k] if q else 0
                count[q] = (1 if own[q] >= 0 else 0) + (count[f] if q else 0)
            for i in range(nodes):
                self.first[i] = <int32_t>total
                total += count[i]
            self.first[nodes] = <int32_t>total
            self.emits = <int32_t *>malloc((total + 1) * sizeof(int32_t))
            if self.emits == NULL:
                raise MemoryError()
            for head in range(nodes):        # the queue's order: a failure before its states
                q = queue[head]
                i = self.first[q]
                if own[q] >= 0:
                    self.emits[i] = own[q]
                    i += 1
                if q:
                    f = fail[q]
                    for j in range(self.first[f], self.first[f + 1]):
                        self.emits[i] = self.emits[j]
                        i += 1
            for i in range(nodes * width):
                nxt = self.step[i]
                self.step[i] = <int32_t>((nxt * width) << 2 | (1 if count[nxt] else 0)
                                         | (2 if self.digit and i % width == self.digit else 0))
        finally:
            free(kid)
            free(fail)
            free(own)
            free(count)
            free(queue)
        return 0

    def __len__(self):
        return len(self.values)

    def scan(self, str text):
        """(hits(text), digit_anchors(text)) in one pass over the text, where the digit anchors'
        own pass cost a test a character."""
        cdef list out = [], iso = [], nineteen = [], twenty = []
        cdef dict digits = {}
        cdef int kind = PyUnicode_KIND(text)
        cdef const void *data = PyUnicode_DATA(text)
        cdef Py_ssize_t n = len(text)
        if not self.digit:
            return self.hits(text), digit_anchors(text)
        if kind == 1:
            _scan_digits(self, <const uint8_t *>data, kind, data, n, out, iso, nineteen, twenty)
        elif kind == 2:
            _scan_digits(self, <const uint16_t *>data, kind, data, n, out, iso, nineteen, twenty)
        else:
            _scan_digits(self, <const uint32_t *>data, kind, data, n, out, iso, nineteen, twenty)
        if iso:
            digits["iso"] = iso
        if nineteen or twenty:
            digits["year"] = nineteen + twenty
        return out, digits

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


@cython.cdivision(True)
cdef int _scan(Anchors t, const _uchar *s, Py_ssize_t n, list out) except -1:
    """Anchors.hits over the text's characters s[0:n]."""
    cdef Py_ssize_t b, j, width = t.width
    cdef int32_t row = 0, e, state
    cdef unsigned int c
    cdef const int32_t *step = t.step
    cdef const uint8_t *code = t.code
    for b in range(n):
        c = s[b]
        if c >= LETTERS:
            row = 0
            continue
        e = step[row + code[c]]
        row = e >> 2
        if e & 1:       # words end here
            state = row // width
            for j in range(t.first[state], t.first[state + 1]):
                out.append((b, t.values[t.emits[j]]))
    return 0


@cython.cdivision(True)
cdef int _scan_digits(Anchors t, const _uchar *s, int kind, const void *data, Py_ssize_t n, list out, list iso,
                      list nineteen, list twenty) except -1:
    """_scan with digit_anchors' tests at each - . / 0 1 2 (flagged in the table: t.digit), in its
    order: the same anchors and hits."""
    cdef Py_ssize_t b, j, width = t.width, last = 0
    cdef int32_t row = 0, e, state
    cdef unsigned int c
    cdef const int32_t *step = t.step
    cdef const uint8_t *code = t.code
    for b in range(n):
        c = s[b]
        if c >= LETTERS:
            row = 0
            continue
        e = step[row + code[c]]
        row = e >> 2
        if e & 3:
            if e & 2:       # - . / 0 1 2
                if c <= 0x2F:
                    _iso_at(kind, data, n, b, iso, &last)
                elif c != 0x30:
                    _year_at(kind, data, n, b, nineteen, twenty)
            else:           # words end here
                state = row // width
                for j in range(t.first[state], t.first[state + 1]):
                    out.append((b, t.values[t.emits[j]]))
    return 0
