# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The shingles of a text and their similarities of a new event against its candidates, in C.

``features._jaccards`` counts the shingles two texts share (sorted, distinct 64-bit numbers) with
one numpy search over all of an event's candidates; a call there is about 100 us, mostly numpy's
own cost per call for some 15 candidates of about 200 shingles. Here each pair's sorted arrays
are merged in C. The counts are the same, and so the floats: a count over a count as two doubles,
what numpy's int64 division and Python's division of such small ints give. A text's shingles
are made here too (the numbers ``features._shingles`` makes with numpy, sorted and distinct),
and so are the pair features of a new event against its candidates (``values_all``) and the
blocking test of its candidate rows (``unblocked``). ``features.py`` holds the pure-Python path
and chooses. The store's SQLite backend asks here too whether a full-text row's terms are plain
(``plain_text``: ``store.db.plain_terms``).
"""

# What features.py expects of this module: one built from an older _fast.pyx is not used
# (scripts/setup rebuilds it).
API = 9

from libc.stdint cimport uint64_t
from libc.math cimport exp, fabs, fma, isfinite, nearbyint
from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize
from cpython.unicode cimport PyUnicode_KIND, PyUnicode_4BYTE_KIND

cdef extern from "Python.h":
    ctypedef unsigned short Py_UCS2
    void *PyUnicode_DATA(object text)
    Py_ssize_t PyUnicode_GET_LENGTH(object text)
    bint PyUnicode_IS_ASCII(object text)
    int PyUnicode_1BYTE_KIND
    int PyUnicode_2BYTE_KIND
    Py_UCS4 PyUnicode_READ(int kind, const void *data, Py_ssize_t index)
from cpython.buffer cimport PyObject_GetBuffer, PyBuffer_Release, PyBUF_SIMPLE
from cpython.list cimport PyList_New, PyList_SET_ITEM
from cpython.ref cimport Py_INCREF


cdef void _sort(uint64_t *a, Py_ssize_t n, int depth) noexcept nogil:
    """Sort a[0:n] in place: quicksort (median of three, Hoare's partition), insertion sort
    below 16, heapsort past ``depth`` levels (no quadratic case). libc's qsort called a
    comparison function for each step: 1.3% of storing's instructions."""
    cdef Py_ssize_t i, j
    cdef uint64_t p, t
    while n > 16:
        if depth == 0:
            _heapsort(a, n)
            return
        depth -= 1
        # the median of the first, middle and last as the pivot (sorted in place)
        i = n >> 1
        if a[i] < a[0]:
            a[i], a[0] = a[0], a[i]
        if a[n - 1] < a[i]:
            a[n - 1], a[i] = a[i], a[n - 1]
            if a[i] < a[0]:
                a[i], a[0] = a[0], a[i]
        p = a[i]
        i, j = -1, n
        while True:
            i += 1
            while a[i] < p:
                i += 1
            j -= 1
            while p < a[j]:
                j -= 1
            if i >= j:
                break
            a[i], a[j] = a[j], a[i]
        # a[0:j+1] <= p <= a[j+1:n]: the smaller part sorted by a call, the larger by the loop
        if j + 1 < n - j - 1:
            _sort(a, j + 1, depth)
            a += j + 1
            n -= j + 1
        else:
            _sort(a + j + 1, n - j - 1, depth)
            n = j + 1
    for i in range(1, n):
        t = a[i]
        j = i
        while j > 0 and t < a[j - 1]:
            a[j] = a[j - 1]
            j -= 1
        a[j] = t


cdef void _heapsort(uint64_t *a, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n // 2 - 1, -1, -1):
        _sift(a, i, n)
    for i in range(n - 1, 0, -1):
        a[0], a[i] = a[i], a[0]
        _sift(a, 0, i)


cdef inline void _sift(uint64_t *a, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t c
    cdef uint64_t t = a[i]
    while True:
        c = 2 * i + 1
        if c >= n:
            break
        if c + 1 < n and a[c] < a[c + 1]:
            c += 1
        if not t < a[c]:
            break
        a[i] = a[c]
        i = c
    a[i] = t


def _sorted_for_tests(bytes b):
    """_sort of a copy of these native uint64s (tests compare it with numpy's sort)."""
    cdef bytes out = PyBytes_FromStringAndSize(PyBytes_AS_STRING(b), len(b))
    _sort(<uint64_t *>PyBytes_AS_STRING(out), len(b) // 8, 2)
    return out


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
    _sort(out, n, 64)
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


# The pair features of a new event against its candidates (``features.values_all``'s loop): the
# same comparisons in the same order, each float the same operation on the same doubles, the
# costly parts (the distance, the type table, the told kinds, the text features) asked of the
# Python functions ``features.py`` passes in ``helpers``. Python per pair was about 5% of storing.

cdef inline double _role(tuple x, tuple y):
    """features._role: the agreement of two sides (name, inter, generic, side) or None."""
    if x is None or y is None:
        return 0.5
    if x[0] == y[0]:
        return 1.0
    gx, gy = x[2], y[2]
    if gx and gy:
        return 0.7
    if gx or gy:
        return 0.6 if x[1] is not None and x[1] == y[1] else 0.45
    if x[3] == y[3]:
        return 0.8
    return 0.0


cdef inline double _distance(double km, bint one_gov, double near_km):
    """features._distance_score."""
    if km <= 3:
        return 1.0
    if km <= 10:
        return 0.8
    if km <= 25:
        return 0.55 if one_gov else 0.4
    if km <= near_km:
        return 0.3 if one_gov else 0.15
    return 0.0


cdef inline Py_ssize_t _common(x, y):
    """len(x & y) of two sets, without making the intersection."""
    cdef Py_ssize_t n = 0
    if len(x) > len(y):
        x, y = y, x
    for v in x:
        if v in y:
            n += 1
    return n


def values_all(a, list bs, list shingles, list ratios, bint title, bint text_set, bint day_parts,
               bint in_text, bint no_shingles, tuple helpers):
    """features.values_all's loop: ratios are its text ratios (one per b), the flags what skip
    leaves out, helpers (_DATE_BASE, _km, _type_pair, _told_types, text_similarity,
    fuzz.token_set_ratio, _jaccards, time_of_day, place_in_text, NEAR_KM, TOLLS_APART)."""
    cdef dict date_base
    date_base, km_of, type_pair, told_types, text_similarity, token_set_ratio, jaccards, \
        time_of_day, place_in_text, near, apart_share = helpers
    cdef double near_km = near, tolls_apart = apart_share
    cdef double date_v, place, same, swapped, toll, kmv, lo, hi, r11, r22, r12, r21, words, numbers, clash
    cdef long gap
    cdef bint a_dated = a.dated, a_loose = a.loose, ca = a.coarse, cb, one_gov, nest, apart, other
    cdef bint a_battles = a.battles, a_civ = a.civilians, a_num = a.counted, a_pos = a.positive_toll
    cdef bint named, seat, has_wa, far
    cdef Py_ssize_t ns_a = a.n_stems, n_nums_a = a.n_numbers, ns_b, n_nums_b, i, n = len(bs)
    cdef list out = []
    a_ord, a_slack = a.ordinal, a.slack
    a_country, ga, na, a_coords, a_quarter, a_geo2 = a.country, a.admin1, a.pname, a.coords, a.quarter, a.geo2
    a1, a2 = a.sides
    a_type, sa = a.event_type, a.sub
    fa, wa, sx, nums_a, a_date = a.fatalities, a.words, a.stems, a.numbers, a.event_date
    has_wa = bool(wa)
    a_told = None
    for i in range(n):
        b = bs[i]
        sim = shingles[i]
        # date (_date)
        ob = b.ordinal
        if a_ord is None or ob is None:
            date_v = 0.4
        else:
            gap = abs(<long>a_ord - <long>ob) - <long>a_slack - <long>b.slack
            date_v = date_base.get(gap if gap > 0 else 0, 0.0)
            if not (a_dated and b.dated):
                if date_v > 0.6:
                    date_v = 0.6
            elif (a_loose or b.loose) and date_v > 0.5:
                date_v = 0.5
        # place (_place) and places_apart (_apart)
        gb, nb = b.admin1, b.pname
        cb = b.coarse
        bc = b.country
        other = bool(a_country) and bool(bc) and a_country != bc
        if ca or cb:
            apart = False
            if other:
                place = 0.0
            elif not ga or not gb:
                place = 0.3
            elif ga != gb:
                place = 0.0
            else:
                place = 0.4 if (ca and cb) else 0.5
        else:
            cb_ = b.coords
            km = km_of(a_coords, cb_) if a_coords and cb_ else None
            one_gov = ga == gb
            nest = bool(ga) and one_gov and na != nb and (
                (bool(na) and bool(nb) and (nb.startswith(a_quarter) or na.startswith(b.quarter)))
                or bool(a.seat) or bool(b.seat))
            apart = not nest and bool(na) and bool(nb) and na != nb and (km is None or km > 3)
            if other:
                place = 0.0
            elif nest:
                if km is None:
                    place = 0.5
                else:
                    place = _distance(km, one_gov, near_km)
                    if not place > 0.5:
                        place = 0.5
            elif km is None:
                place = 0.8 if na and na == nb else (0.3 if one_gov else 0.0)
            elif na and na == nb:
                place = _distance(0.0, one_gov, near_km)
            elif (a_geo2 or b.geo2) and km <= 10:
                place = 0.6
            else:
                place = _distance(km, one_gov, near_km)
        # actors (_roles_v, _actors)
        b1, b2 = b.sides
        r11, r22, r12, r21 = _role(a1, b1), _role(a2, b2), _role(a1, b2), _role(a2, b1)
        same = (r11 + r22) / 2
        swapped = (r12 + r21) / 2
        if not a_battles and not b.battles:
            swapped -= 0.2
        # type (_type, _coded_type)
        sb = b.sub
        if sa == sb:
            kind = 1.0 if sa else (1.0 if a_type == b.event_type else 0.0)
        else:
            kind, when = type_pair(sa, sb)
            if when == "civilians" and not (a_civ or b.civilians):
                kind = 0.0
            if kind < 0.6 and sa and sb and a_type == b.event_type:
                if a_told is None:
                    a_told = told_types(a.text or "")
                if sb in a_told or sa in told_types(b.text or ""):
                    kind = 0.6
        # toll (_toll)
        fb = b.fatalities
        far = False     # tolls_apart
        if not a_num or not b.counted:
            toll = 0.5
        elif fa == fb:
            toll = 1.0 if fa > 0 else 0.6
        elif fa == 0 or fb == 0:
            toll = 0.3
        else:
            lo, hi = (fb, fa) if fb < fa else (fa, fb)
            toll = 0.8 if lo / hi >= 0.6 else (0.5 if lo / hi >= 0.3 else 0.2)
            far = lo > 0 and lo / hi < tolls_apart
        wb, sy, ns_b, n_nums_b = b.words, b.stems, b.n_stems, b.n_numbers
        if n_nums_a and n_nums_b:
            numbers = (<double>_common(nums_a, b.numbers)) / <double>(n_nums_a if n_nums_a <= n_nums_b else n_nums_b)
            clash = 1.0 if numbers == 0.0 else 0.0
        else:
            numbers, clash = 0.5, 0.0
        named = bool(na) and na == nb
        seat = named and (bool(a.seat) or bool(b.seat))
        if ns_a and ns_b:
            words = (<double>_common(sx, sy)) / <double>(ns_a if ns_a <= ns_b else ns_b)
        else:
            words = 0.0
        out.append([
            date_v, place, swapped if swapped > same else same, kind, toll,
            <double>ratios[i] / 100.0 if has_wa and wb else 0.0,
            text_similarity(a.title, b.title) if title else 0.0,
            words,
            (token_set_ratio(wa, wb) / 100.0 if has_wa and wb else 0.0) if text_set else 0.0,
            1.0 if a_dated and a_date == b.event_date else 0.0,
            1.0 if named and not seat else 0.0,
            1.0 if a_pos and fa == fb else 0.0,
            1.0 if (r11 == 0.0 or r22 == 0.0) and (r12 == 0.0 or r21 == 0.0) else 0.0,
            1.0 if kind < 0.5 else 0.0,
            1.0 if apart else 0.0,
            (0.0 if no_shingles else jaccards(a.shingles, [b.shingles])[0]) if sim is None else sim,
            numbers,
            clash,
            time_of_day(a.text, b.text) if day_parts else 0.0,
            place_in_text(a.ev, b.ev) if in_text else 0.0,
            1.0 if seat else 0.0,
            (<int>ca + <int>cb) / 2.0,
            1.0 if far else 0.0])
    return out


cdef extern from *:
    """
    /* a product rounded to a double before the caller adds it (a volatile store: no compiler
       fuses the two into one multiply-add, whatever the build's flags), as Python adds each
       product of sum(map(mul, ...)) */
    static inline double marsad_product(double a, double b) { volatile double p = a * b; return p; }
    """
    double marsad_product(double a, double b) noexcept nogil


cdef inline double _round4(double x) noexcept:
    """round(x, 4) as Python's float rounds it (|x| < 1e6): the integer k nearest x * 10^4, ties to
    even, over 10000.0. Python rounds the exact binary value to four decimals (dtoa's mode 3,
    half to even) and reads the decimal k * 10^-4 back, which is the double nearest k / 10^4: a
    division of two exact doubles gives that. x * 10^4 exactly is hi + lo (lo: the product's
    rounding error, exact by the fused multiply-add); only when hi is a half-integer can lo
    move the nearest integer (elsewhere hi lies a whole ulp or more from any half-integer,
    lo within half of one)."""
    cdef double hi = x * 10000.0
    cdef double lo = fma(x, 10000.0, -hi)
    cdef double k = nearbyint(hi)   # the default rounding mode: to nearest, ties to even
    cdef double d = hi - k
    if d == 0.5 and lo > 0.0:
        k += 1.0
    elif d == -0.5 and lo < 0.0:
        k -= 1.0
    return k / 10000.0


def round4(double x):
    """round(x, 4), by _round4 (tests compare it with Python's)."""
    return _round4(x) if fabs(x) < 1e6 else round(x, 4)


def link_scores(list rows, tuple vector, double bias, tuple cap_at):
    """link.score_all's arithmetic for each row of pair features (NAMES' order): the probability
    ``1 / (1 + exp(-(bias + sum(map(mul, vector, row)))))`` with the same products added in the
    same order from 0.0 (what sum's float path adds; each product rounded before it is added:
    marsad_product), rounded to four decimals (round(p, 4): _round4), and the first cap whose column
    is set (cap_at: (column, why) in CAPS' order; None when none is). Returns (scores,
    probabilities, caps), one each per row. The twin: link._link_scores_py."""
    cdef Py_ssize_t n = len(vector), m, i
    cdef double z, e, pd
    cdef list scores = PyList_New(len(rows)), ps = PyList_New(len(rows)), caps = PyList_New(len(rows))
    cdef list row
    cdef object p, score, cap   # objects: each stored in its list as made (a double would be boxed twice)
    cdef Py_ssize_t k = 0
    cdef double[64] wbuf
    if n > 64:
        raise ValueError("more than 64 weights")
    for i in range(n):
        wbuf[i] = <double>vector[i]
    for row in rows:
        m = n if n <= len(row) else len(row)   # map stops at the shorter
        z = 0.0
        for i in range(m):
            z += marsad_product(wbuf[i], <double>row[i])
        e = exp(-(bias + z))
        if not isfinite(e) and isfinite(bias + z):   # math.exp's error: no score of inf
            raise OverflowError("math range error")
        pd = 1.0 / (1.0 + e)
        p = pd
        Py_INCREF(p)
        PyList_SET_ITEM(ps, k, p)
        score = _round4(pd)   # a probability: within _round4's range
        Py_INCREF(score)
        PyList_SET_ITEM(scores, k, score)
        cap = None
        for j, why in cap_at:
            if row[j]:
                cap = why
                break
        Py_INCREF(cap)
        PyList_SET_ITEM(caps, k, cap)
        k += 1
    return scores, ps, caps


def unblocked(a, list rows, tuple helpers):
    """The rows (each with its "view") that ``features.blocked`` lets through with the View a:
    its tests in its order, whether only, not why. helpers: (_type_pair, _told_types,
    _place_km, WINDOW_DAYS, window, NEAR_KM): window(a, b) asked only past WINDOW_DAYS."""
    type_pair, told_types, place_km, window, pair_window, near = helpers
    cdef long gap, win = window
    cdef double near_km = near
    cdef list out = []
    a_country = a.country or None
    oa, a_slack, sa, a_type, ga = a.ordinal, a.slack, a.sub, a.event_type, a.admin1
    for r in rows:
        b = r["view"]
        if (b.country or None) != a_country:
            continue
        ob = b.ordinal
        if oa is not None and ob is not None:
            gap = abs(<long>oa - <long>ob) - <long>a_slack - <long>b.slack
            if gap > win and gap > pair_window(a, b):
                continue
        sb = b.sub
        if sa != sb:
            value, when = type_pair(sa, sb)
            if (value == 0.0 or (when == "civilians" and not (a.civilians or b.civilians))) and not (
                    sa and sb and a_type == b.event_type
                    and (sb in told_types(a.text or "") or sa in told_types(b.text or ""))):
                continue
        elif not sa and a_type != b.event_type:
            continue
        gb = b.admin1
        if ga and gb and ga != gb:
            km = place_km(a, b)
            if km is None or km > near_km or a.coarse or b.coarse:
                continue
        out.append(r)
    return out


def plain_text(str t):
    """Whether each character of t is ASCII or an Arabic letter of U+0621-U+063A or
    U+0641-U+064A: ``store.db._PLAIN`` matched over the whole text, in one pass (the regular
    expression takes some 30 instructions a character)."""
    cdef int kind = PyUnicode_KIND(t)
    cdef const Py_UCS2 *u
    cdef Py_UCS2 c
    cdef Py_ssize_t i, n
    if kind == PyUnicode_1BYTE_KIND:   # no character past U+00FF: plain if all are ASCII
        return PyUnicode_IS_ASCII(t)
    if kind != PyUnicode_2BYTE_KIND:   # one past U+FFFF
        return False
    u = <const Py_UCS2 *>PyUnicode_DATA(t)
    n = PyUnicode_GET_LENGTH(t)
    for i in range(n):
        c = u[i]
        if c >= 0x80 and not (0x621 <= c <= 0x63a or 0x641 <= c <= 0x64a):
            return False
    return True


cdef extern from "Python.h":
    const char *PyUnicode_AsUTF8AndSize(object text, Py_ssize_t *size) except NULL
    object PyMemoryView_FromMemory(char *mem, Py_ssize_t size, int flags)
    int PyBUF_READ


def utf8_hexdigest(str t, new):
    """new(t.encode("utf-8")).hexdigest() (new: hashlib.sha256, the store's content hash), the
    hash read from the UTF-8 copy CPython keeps with the text once it is made
    (PyUnicode_AsUTF8AndSize, the same bytes; a lone surrogate raises UnicodeEncodeError as
    encode does). SQLite's binding of the same text object (the report's row) then reads that
    copy where it made its own: one encoding of the report's text, not two."""
    cdef Py_ssize_t n
    cdef const char *p = PyUnicode_AsUTF8AndSize(t, &n)
    view = PyMemoryView_FromMemory(<char *>p, n, PyBUF_READ)   # over t's copy, released below
    try:
        return new(view).hexdigest()
    finally:
        view.release()


cdef bint _json_as_is(str s):
    """Whether JSON (ensure_ascii=False) writes the text as itself between quotes: it escapes
    only the quote, the backslash and the control characters below U+0020."""
    cdef Py_ssize_t i, n = PyUnicode_GET_LENGTH(s)
    cdef int kind = PyUnicode_KIND(s)
    cdef const void *data = PyUnicode_DATA(s)
    cdef Py_UCS4 c
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if c < 0x20 or c == 0x22 or c == 0x5c:
            return False
    return True


cdef object _extras_json(dict d, frozenset columns):
    """The JSON ``store._j`` writes of d's keys beyond ``columns`` ("{}" when none), written
    here when each such key is a str and each value a str, an int, a bool or None that JSON
    writes as it is (an entity's place_id, location and geo_precision: 9,500 of news300's
    17,600 entities, whose dict and encoder call cost 10,000 instructions each); else None,
    and the caller asks the encoder."""
    cdef list parts = None
    cdef object v
    for k, v in d.items():
        if k in columns:
            continue
        if type(k) is not str or not _json_as_is(<str>k):
            return None
        if parts is None:
            parts = ["{\""]
        else:
            parts.append(", \"")
        parts.append(k)
        if type(v) is str:
            if not _json_as_is(<str>v):
                return None
            parts.append("\": \"")
            parts.append(v)
            parts.append("\"")
        elif v is None:
            parts.append("\": null")
        elif v is True:
            parts.append("\": true")
        elif v is False:
            parts.append("\": false")
        elif type(v) is int:
            parts.append("\": ")
            parts.append(repr(v))
        else:
            return None
    if parts is None:
        return "{}"
    parts.append("}")
    return "".join(parts)


def entity_rows(object report_id, list entities, object null, frozenset columns, object j, object slow):
    """``store._entity_row`` of each dict of ``entities``, the same tuples (17,841 rows over
    news300's 300 reports: a Python call and a map each). An entity whose offsets are not ints
    or whose point is not floats or none is left to ``slow`` (``store._entity_row``); ``j``
    writes the JSON of the keys beyond ``columns``, as there."""
    cdef list out = []
    cdef object kind, start, end, text, lat, lon, country, admin1, gid, data
    cdef dict d
    for ent in entities:
        if not isinstance(ent, dict):
            continue
        if type(ent) is not dict:
            out.append(slow(report_id, ent, null))
            continue
        d = <dict>ent
        start, end, lat, lon = d.get("start"), d.get("end"), d.get("latitude"), d.get("longitude")
        if type(start) is not int or type(end) is not int or \
                not (lat is None or type(lat) is float) or not (lon is None or type(lon) is float):
            out.append(slow(report_id, ent, null))
            continue
        kind, text, country, admin1, gid = d.get("type"), d.get("text"), d.get("country_code"), \
            d.get("admin1_code"), d.get("geonameid")
        data = _extras_json(d, columns)
        if data is None:
            data = j({k: v for k, v in d.items() if k not in columns})
        out.append((report_id, kind, start, end, text, null if lat is None else lat,
                    null if lon is None else lon, null if country is None else country,
                    null if admin1 is None else admin1, null if gid is None else str(gid), data))
    return out


def in_block_rows(tuple b, list rows):
    """``store.links._in_block_rows_py``: the rows (dicts of the block query) in block ``b``
    (country, first day, last day, governorate, kinds, event type), in their order, each value
    compared as Python compares it (a report's rows are filtered by each of its blocks: 132,000
    row visits over news300's 300 reports)."""
    lo, hi, admin1, kinds, event_type = b[1], b[2], b[3], b[4], b[5]
    if kinds is not None:
        kinds = frozenset(kinds)
    cdef list out = []
    for r in rows:
        day = r["link_day"]
        if day is None or not lo <= day <= hi:
            continue
        if admin1 is not None:
            a = r["admin1_code"]
            if a is not None and not a == admin1:
                continue
        if kinds is None or r["sub_event_type"] in kinds or (
                event_type is not None and r["event_type"] == event_type):
            out.append(r)
    return out
