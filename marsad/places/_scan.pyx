# cython: language_level=3, boundscheck=False, wraparound=False
"""The geoparser's per-letter loops and per-candidate scoring in C: ``geoparser.prev_word_py``,
``geoparser.best_py`` and resolve's groups and rounds, ``group_reps_py`` and ``round_picks_py`` (its cue words:
``marsad.text._ends.whole_words``); the places step's
overlap tables (``tagged.span_table_py``), its tagger-O test (``component.says_word_py``), a
resolved mention's span data (``component.place_data_py``), the tagger's sure names, the entity
overlap test and the place spans (``component.sure_names_py``, ``overlaps_entity_py``,
``span_of_py``), ``check_nesting``'s next pair (``geoparser.nest_next_py``) and find's mentions
(``geoparser.new_mention_py``).

Each gives what its Python twin gives (``tests/places/test_places_fast_paths.py`` compares them on
random inputs); ``geoparser.py`` chooses between them (``MARSAD_PURE=1`` runs the twins). A letter
is ``str.isalnum()`` (``Py_UNICODE_ISALNUM``, which ``str.isalnum`` asks of each character).
"""

from libc.math cimport asin, cos, fabs, fma, nearbyint, pow, sin, sqrt
from libc.stdlib cimport free, malloc, qsort
from cpython.tuple cimport PyTuple_GET_ITEM
from cpython.unicode cimport PyUnicode_DATA, PyUnicode_KIND, PyUnicode_READ
from marsad.text._chars cimport alnum as _alnum

# What geoparser.py expects of this module (native.compiled, geoparser.SCAN_API): an older
# build is not used.
API = 11


cdef inline bint _skip(Py_UCS4 c) noexcept:
    return c == u' ' or c == u'#' or c == u'"' or c == u"'" or c == u'(' or c == u'«'


def prev_word(str text, Py_ssize_t pos):
    """The word before position pos (skipping spaces and hashtag signs), and its start. Its
    letters read in place (``PyUnicode_READ``), each tested by ``_chars.alnum`` (``str.isalnum()``,
    an Arabic letter answered without CPython's tables)."""
    cdef Py_ssize_t j = pos, i
    cdef int kind
    cdef void *data
    if pos < 0:
        return u"", pos  # as text[pos:pos] is
    if pos > len(text):
        raise IndexError("string index out of range")
    kind = PyUnicode_KIND(text)
    data = PyUnicode_DATA(text)
    while j > 0 and _skip(PyUnicode_READ(kind, data, j - 1)):
        j -= 1
    i = j
    while i > 0 and _alnum(PyUnicode_READ(kind, data, i - 1)):
        i -= 1
    return text[i:j], i


# marsad.geo.distance_km's haversine, in the same operations on the same doubles as Python's math
# module does them (radians as x * (pi / 180), x ** 2 as pow(x, 2.0), the same libm functions):
# the same float, so the same thresholds pass
cdef double _RAD = 3.14159265358979323846 / 180.0
cdef double _KM_PER_DEGREE = 111.19
cdef double _NEAR_DEGREES = 0.9


cdef inline double _km(double lat1, double lon1, double lat2, double lon2):
    cdef double p1 = lat1 * _RAD, p2 = lat2 * _RAD
    cdef double dp = p2 - p1, dl = (lon2 - lon1) * _RAD
    cdef double a = pow(sin(dp / 2), 2.0) + cos(p1) * cos(p2) * pow(sin(dl / 2), 2.0)
    if not a < 1.0:  # min(1.0, a)
        a = 1.0
    return 2 * 6371.0 * asin(sqrt(a))


cdef double _closeness(list pts, list lats, Py_ssize_t skip, double lat, double lon) except? -1.0:
    """geoparser._Points.closeness: 2.0 when a point lies within 30 km, 1.0 within 100 km, else 0.0."""
    cdef Py_ssize_t lo = 0, hi = len(lats), mid, k, end
    cdef double x = lat - _NEAR_DEGREES, la, lon2, d, near = 0.0
    while lo < hi:  # bisect_left(lats, lat - 0.9)
        mid = (lo + hi) // 2
        if <double>lats[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    x = lat + _NEAR_DEGREES
    end = len(lats)
    hi = end
    k = lo
    lo = k
    while lo < hi:  # bisect_right(lats, lat + 0.9), from the first
        mid = (lo + hi) // 2
        if x < <double>lats[mid]:
            hi = mid
        else:
            lo = mid + 1
    end = lo
    while k < end:
        la, lon2 = pts[k]
        if k == skip or abs(la - lat) * _KM_PER_DEGREE >= 100.0:
            k += 1
            continue
        d = _km(lat, lon, la, lon2)
        if d < 30:
            return 2.0
        if d < 100:
            near = 1.0
        k += 1
    return near


cdef object _pl_type = None
cdef Py_ssize_t _PL_ID = 0, _PL_CC = 0, _PL_A1 = 0, _PL_PAR = 0, _PL_FEAT = 0, _PL_LAT = 0, _PL_LON = 0


cdef inline object _pl(p):
    """A gazetteer.Place (a NamedTuple) as its tuple, read by index (an attribute is a lookup in
    its class): its fields' places learnt from the class's ``_fields`` when the class changes."""
    global _pl_type, _PL_ID, _PL_CC, _PL_A1, _PL_PAR, _PL_FEAT, _PL_LAT, _PL_LON
    if type(p) is not _pl_type:
        f = type(p)._fields
        _PL_ID, _PL_CC, _PL_A1, _PL_PAR = f.index("id"), f.index("cc"), f.index("admin1"), f.index("parent")
        _PL_FEAT, _PL_LAT, _PL_LON = f.index("feature"), f.index("lat"), f.index("lon")
        _pl_type = type(p)
    if not isinstance(p, tuple):
        raise TypeError(f"a Place (a NamedTuple) was expected, not {type(p).__name__}")
    return p


cdef inline object _at(p, Py_ssize_t i):
    """Field i of a tuple checked by _pl."""
    return <object>PyTuple_GET_ITEM(p, i)


cdef inline double _left_less(double v, x, Py_ssize_t field, list reps, list left):
    """A vote total ``v`` for the value ``x`` less the weights of the left-out groups (indices in
    ``reps``) whose pick has ``x`` in ``field``, taken off in their order."""
    cdef list r
    cdef object y
    if left is not None:
        for j in left:
            r = reps[<Py_ssize_t>j]  # an index of reps: read as such (pl193)
            y = _at(_pl(r[3]), field)
            if y is x or y == x:  # a country or region code (a str): the same object is equal
                v -= <double>r[2]
    return v


cdef inline object _votes_at(votes, x):
    """``votes.get(x, 0.0)``: a plain dict's read in C (no bound ``get`` made and called per
    candidate, pl193); any other mapping (a Counter from a caller of ``best``) through its ``get``."""
    if type(votes) is dict:
        return (<dict>votes).get(x, 0.0)
    return votes.get(x, 0.0)


cdef tuple _best(list places, list cands, cc_votes, a1_votes, dict ids_t, list pp, list lats,
                 Py_ssize_t skip, bint near, own, list reps, list left, list left_ids):
    """best, with the votes of the groups ``left`` (indices in ``reps``) and the ids of the groups
    ``left_ids`` taken off as they are read: the same floats and counts as from copies of the
    totals with those taken off (each total less the left-out weights, in their order)."""
    cdef object best = None, p, par, own_id = None, own_parent = None
    cdef object q, x, feat
    cdef object t
    cdef double best_s = -1e9, s, v
    cdef Py_ssize_t j, n
    cdef list r
    cdef bint by_cc = bool(cc_votes), by_a1 = bool(a1_votes)
    if own is not None:
        t = _pl(own)  # its fields by index (pl193): no attribute lookups per call
        own_id, own_parent = _at(t, _PL_ID), _at(t, _PL_PAR)
    for i, s0 in cands:
        p = places[i]
        t = _pl(p)
        s = s0
        if by_cc:
            x = _at(t, _PL_CC)
            v = _left_less(_votes_at(cc_votes, x), x, _PL_CC, reps, left)
            s += 3.0 * (v if v <= 2.0 else 2.0)
        x = _at(t, _PL_A1)
        if by_a1 and x:
            v = _left_less(_votes_at(a1_votes, x), x, _PL_A1, reps, left)
            s += 2.0 * (v if v <= 2.0 else 2.0)
        par = _at(t, _PL_PAR)
        n = 0
        if par:
            n = ids_t.get(par, 0)
            if n and left_ids is not None:  # a count is 1 or more where there is one
                for j in left_ids:
                    q = _pl((<list>reps[j])[3])
                    n -= (_at(q, _PL_ID) == par) + (_at(q, _PL_PAR) == par)
        feat = _at(t, _PL_FEAT)
        # the own pick's id and parent as C counts (pl193): no bools made and added per candidate
        if par and n > <int>(par == own_id) + <int>(par == own_parent):
            s += 6.0
        elif feat == "quarter":
            s -= 2.0
        if near and feat != "country" and feat != "admin1" and _at(t, _PL_LAT) is not None:
            s += _closeness(pp, lats, skip, _at(t, _PL_LAT), _at(t, _PL_LON))
        if s > best_s:
            best, best_s = p, s
    return best, best_s


def best(list places, list cands, cc_votes, a1_votes, dict ids_t, pts, own):
    """geoparser.best_py: the best candidate with the context of the other picks, and its score."""
    cdef bint near = len(cands) > 1 and bool(pts)
    if near:
        return _best(places, cands, cc_votes, a1_votes, ids_t, pts.pts, pts.lats, pts.skip, True, own,
                     None, None, None)
    return _best(places, cands, cc_votes, a1_votes, ids_t, None, None, -1, False, own, None, None, None)


# ---- pl181: resolve's rounds (geoparser.round_picks_py)

# pl193: a pick's point and a number for its value, so that round_picks counts and finds points
# by a small int (a tuple of two floats is hashed anew at every dict read). place id ->
# (place, (lat, lon), number); (lat, lon) -> number, one per value (equal points, equal numbers).
# Emptied when large, only between calls (a number is read only within one call).
cdef dict _pick_pts = {}, _pt_nos = {}


cdef inline tuple _point_of(t):
    """(place, its (lat, lon), the number of that value) of a Place checked by _pl."""
    cdef object pid = _at(t, _PL_ID), pt, no
    cdef object e = _pick_pts.get(pid)
    if e is not None and (<tuple>e)[0] is t:
        return <tuple>e
    pt = (_at(t, _PL_LAT), _at(t, _PL_LON))
    no = _pt_nos.get(pt)
    if no is None:
        no = _pt_nos[pt] = len(_pt_nos)
    e = _pick_pts[pid] = (t, pt, no)
    return <tuple>e


def round_picks(list places, list reps, dict same, dict counted, counted_ids):
    """geoparser.round_picks_py: each group's best candidate and score given the other groups'
    picks, in one call; a name's own picks' votes and ids are taken off by ``_best`` as it reads
    them (no copies of the totals per name), the points passed as lists (no ``_Points``)."""
    cdef object t
    cdef dict cc_t = {}, a1_t = {}, ids_t = {}, n_pts = {}, where = {}, votes_of = {}, pt_of = {}, gone
    cdef list r, pick_pts = [], every, every_lats, new = [], mine, left_ids, pp, lats, at, scored
    cdef Py_ssize_t k, j, skip
    cdef bint few, near
    cdef object p, q, pt, ids, x, c, key, no
    cdef dict no_of = {}  # a group's index -> its pick's point number (pl193)
    cdef list every_nos
    cdef tuple e
    if len(_pick_pts) > 8192 or len(_pt_nos) > 8192:  # a few hundred KB at most
        _pick_pts.clear()
        _pt_nos.clear()
    for r in reps:
        p = r[3]
        if p is None:
            continue
        t = _pl(p)
        x = _at(t, _PL_CC)
        cc_t[x] = cc_t.get(x, 0.0) + r[2]
        x = _at(t, _PL_A1)
        if x:
            a1_t[x] = a1_t.get(x, 0.0) + r[2]
        x = _at(t, _PL_ID)
        ids = counted.get(x)
        if ids is None:
            ids = counted[x] = counted_ids(p)
        for x in ids:
            ids_t[x] = ids_t.get(x, 0) + 1
    for j in range(len(reps)):
        q = (<list>reps[j])[3]
        if q is not None:
            q = _pl(q)
        if q is not None and _at(q, _PL_FEAT) not in ("country", "admin1"):
            e = _point_of(q)
            pt, no = e[1], e[2]
            c = n_pts.get(no)
            if c is None:
                n_pts[no] = 1
                pt_of[no] = pt  # the number's point
            else:
                n_pts[no] = c + 1
            pick_pts.append((j, pt))
            no_of[j] = no
    # n_pts, where and gone are keyed by point numbers: the points as before, read by their value
    few = len(n_pts) <= 60
    every = sorted([x for x in pt_of.values() if x[0] is not None])
    every_lats = [x[0] for x in every]
    every_nos = [_pt_nos[x] for x in every]
    for k in range(len(every)):
        where[every_nos[k]] = k
    for k in range(len(reps)):
        r = reps[k]
        scored, p = r[1], r[3]
        key = r[0][0].key
        mine = votes_of.get(key)
        if mine is None:
            mine = votes_of[key] = [j for j in same[key] if (<list>reps[j])[3] is not None]
        left_ids = None
        if len(mine) > (p is not None):  # the own pick's ids are left out by best
            left_ids = [j for j in mine if j != k]
        pp, lats, skip = every, every_lats, -1
        if len(scored) < 2:
            pp = None  # one candidate: no closeness to weigh
        elif not few:
            pp = sorted([x for x in list({pt for (j, pt) in pick_pts if j not in mine and j != k})[:60]
                         if x[0] is not None])
            lats = [x[0] for x in pp]
        elif left_ids is not None:
            gone = {}
            for j in {*mine, k}:
                no = no_of.get(j)
                if no is not None:
                    gone[no] = gone.get(no, 0) + 1
            at = [where[x] for x, c in gone.items() if c >= n_pts[x] and x in where]
            if len(at) == 1:
                skip = at[0]
            elif at:
                pp = [every[j] for j in range(len(every)) if n_pts[every_nos[j]] > gone.get(every_nos[j], 0)]
                lats = [x[0] for x in pp]
        elif p is not None and _at(_pl(p), _PL_FEAT) not in ("country", "admin1") \
                and n_pts[no_of[k]] == 1:
            skip = where.get(no_of[k], -1)
        near = pp is not None and len(pp) > (skip >= 0)
        new.append(_best(places, scored, cc_t, a1_t, ids_t, pp, lats, skip, near, p, reps, mine, left_ids))
    return new

# ---- end of pl181's block


cdef class Taken:
    """geoparser.TakenPy: disjoint non-empty spans already claimed, for overlap tests by binary
    search; kept sorted by start (being disjoint, their ends are sorted too)."""

    cdef list starts
    cdef list ends

    def __init__(self):
        self.starts = []
        self.ends = []

    cdef Py_ssize_t _left(self, Py_ssize_t x):
        """bisect_left(self.starts, x)."""
        cdef Py_ssize_t lo = 0, hi = len(self.starts), mid
        while lo < hi:
            mid = (lo + hi) // 2
            if <Py_ssize_t>self.starts[mid] < x:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def overlaps(self, Py_ssize_t a, Py_ssize_t b):
        """Whether some span [s, e) has s < b and a < e."""
        cdef Py_ssize_t k = self._left(b)  # the spans starting before b: [0, k)
        return k > 0 and <Py_ssize_t>self.ends[k - 1] > a

    def add(self, Py_ssize_t a, Py_ssize_t b):
        cdef Py_ssize_t k = self._left(a)
        self.starts.insert(k, a)
        self.ends.insert(k, b)


cdef inline double _round2(double x) noexcept:
    """round(x, 2) as Python's float rounds it (|x| < 1e6): the integer k nearest x * 100, ties to
    even, over 100.0. Python rounds the exact binary value to two decimals (dtoa's mode 3, half
    to even) and reads k * 10^-2 back as the nearest double, which a division of two exact
    doubles gives. x * 100 exactly is hi + lo (lo: the product's rounding error, exact by the
    fused multiply-add); only when hi is a half-integer can lo move the nearest integer
    (elsewhere no half-integer lies between hi and the exact product: it would be a nearer double).
    As ``marsad.incident._fast``'s ``_round4``."""
    cdef double hi = x * 100.0
    cdef double lo = fma(x, 100.0, -hi)
    cdef double k = nearbyint(hi)   # the default rounding mode: to nearest, ties to even
    cdef double d = hi - k
    if d == 0.5 and lo > 0.0:
        k += 1.0
    elif d == -0.5 and lo < 0.0:
        k -= 1.0
    return k / 100.0


cdef inline object _round2_obj(x):
    if type(x) is float and fabs(<double>x) < 1e6:
        return _round2(<double>x)
    return round(x, 2)


def round2(x):
    """round(x, 2): a float below 1e6 by ``_round2``, anything else by Python's ``round`` (an
    int stays an int). A place's score is rounded so once per resolved mention (about 2,900
    instructions a call through Python's decimal strings)."""
    return _round2_obj(x)


from cpython.object cimport PyObject
from marsad.text._bisect cimport bisect_left
from marsad.text._slots cimport class_slot, marsad_slot_at, new_six, six_in_place, span_by_name


ctypedef struct _Pair:
    Py_ssize_t start
    Py_ssize_t end
    PyObject *start_obj   # the span's own int objects (borrowed: the spans hold them), for the
    PyObject *end_obj     # tables without new ints


cdef int _by_start(const void *a, const void *b) noexcept nogil:
    cdef Py_ssize_t x = (<const _Pair *>a).start, y = (<const _Pair *>b).start
    return (x > y) - (x < y)


cdef void _sort_by_start(_Pair *pairs, Py_ssize_t n) noexcept nogil:
    """pairs sorted by start: by insertion while that moves few pairs (the layers come mostly
    in text order: about 100 spans a report, a few runs), else by qsort (no quadratic case)."""
    cdef Py_ssize_t i, j, moves = 0, budget = 8 * n
    cdef _Pair p
    for i in range(1, n):
        p = pairs[i]
        j = i
        while j > 0 and pairs[j - 1].start > p.start:
            pairs[j] = pairs[j - 1]
            j -= 1
            moves += 1
        pairs[j] = p
        if moves > budget:
            qsort(pairs, n, sizeof(_Pair), _by_start)
            return


# the slots of the last class read (Span, Mention): a field read in place, not by getattr
cdef object _slots_of = None
cdef Py_ssize_t _start_at = -1, _end_at = -1


cdef inline object _field(x, Py_ssize_t at, str name):
    cdef PyObject *v
    if at >= 0:
        v = marsad_slot_at(x, at)
        if v != NULL:
            return <object>v
    return getattr(x, name)


def span_table(groups):
    """tagged.span_table_py: the starts, sorted, of the spans (objects with ``start`` and
    ``end``) of the lists in ``groups``, and the furthest end so far at each; read into a C
    array and sorted there, no (start, end) tuple made. Equal starts may come in any order, as
    in ``starts_and_reach``: the furthest end where a bisect of the starts stops is the same."""
    global _slots_of, _start_at, _end_at
    cdef Py_ssize_t n = 0, k = 0, far = -1, i
    cdef PyObject *far_obj = NULL
    cdef list g
    for g in groups:
        n += len(g)
    cdef list starts = [], reach = []
    if n == 0:
        return starts, reach
    cdef list keep = []   # the values read by getattr (not from a slot), alive while borrowed
    cdef _Pair *pairs = <_Pair *>malloc(n * sizeof(_Pair))
    if pairs == NULL:
        raise MemoryError()
    try:
        for g in groups:
            for x in g:
                if k == n:
                    raise RuntimeError("span_table: a list grew while read")
                if type(x) is not _slots_of:
                    _slots_of = type(x)
                    _start_at, _end_at = class_slot(_slots_of, "start"), class_slot(_slots_of, "end")
                a = _field(x, _start_at, "start")
                b = _field(x, _end_at, "end")
                if _start_at < 0 or _end_at < 0:
                    keep.append(a)
                    keep.append(b)
                pairs[k].start = a
                pairs[k].end = b
                pairs[k].start_obj = <PyObject *>a
                pairs[k].end_obj = <PyObject *>b
                k += 1
        _sort_by_start(pairs, k)
        for i in range(k):
            starts.append(<object>pairs[i].start_obj)
            if pairs[i].end > far:
                far = pairs[i].end
                far_obj = pairs[i].end_obj
            if far_obj == NULL:
                reach.append(-1)   # (the twin's start: no end above -1 yet)
            else:
                reach.append(<object>far_obj)
    finally:
        free(pairs)
    return starts, reach


# the slots of the LOC spans' and tokens' classes (Span, Token), as for span_table
cdef object _loc_type = None, _tok_type = None
cdef Py_ssize_t _loc_start = -1, _loc_end = -1, _loc_data = -1
cdef Py_ssize_t _tok_start = -1, _tok_end = -1, _tok_norm = -1


cdef inline void _tok_slots(t):
    global _tok_type, _tok_start, _tok_end, _tok_norm
    if type(t) is not _tok_type:
        _tok_type = type(t)
        _tok_start, _tok_end = class_slot(_tok_type, "start"), class_slot(_tok_type, "end")
        _tok_norm = class_slot(_tok_type, "norm")


def loc_rows(list locs, list toks, list other_starts, list reach, dict cuts, cut):
    """tagged.loc_rows_py: for each LOC span (in order) with its token pair in range and over no
    span of the other layers' tables, (span, first token, end token, letters cut, normalised
    start, end); ``cuts``: word -> letters of proclitics, ``cut(word)`` where it has none."""
    global _loc_type, _loc_start, _loc_end, _loc_data
    cdef list out = []
    cdef Py_ssize_t n = len(toks), i, j, k, c
    for s in locs:
        if type(s) is not _loc_type:
            _loc_type = type(s)
            _loc_start, _loc_end = class_slot(_loc_type, "start"), class_slot(_loc_type, "end")
            _loc_data = class_slot(_loc_type, "data")
        ij = _field(s, _loc_data, "data").get("tokens")
        if not ij:
            continue
        k = bisect_left(other_starts, _field(s, _loc_end, "end"))
        if k and <Py_ssize_t>reach[k - 1] > <Py_ssize_t>_field(s, _loc_start, "start"):
            continue
        io, jo = ij
        i = io
        j = jo
        if not (0 <= i < j <= n):
            continue
        first = toks[i]
        _tok_slots(first)
        norm = _field(first, _tok_norm, "norm")
        got = cuts.get(norm)
        if got is None:
            got = cut(norm)
        c = got
        last = toks[j - 1]
        _tok_slots(last)
        out.append((s, io, jo, got, <Py_ssize_t>_field(first, _tok_start, "start") + c,
                    _field(last, _tok_end, "end")))
    return out


def apart(list spans, list starts, list reach):
    """tagged.apart_py: the entries of ``spans`` (tuples) whose [item 4, item 5) overlaps no
    span of the tables: none starts before item 5 with its furthest end past item 4."""
    cdef list out = []
    cdef Py_ssize_t lo, hi, mid, a, b
    cdef Py_ssize_t n = len(starts)
    cdef tuple sp
    for sp in spans:
        a = sp[4]
        b = sp[5]
        lo, hi = 0, n
        while lo < hi:   # bisect_left(starts, b)
            mid = (lo + hi) // 2
            if <Py_ssize_t>starts[mid] < b:
                lo = mid + 1
            else:
                hi = mid
        if not (lo > 0 and <Py_ssize_t>reach[lo - 1] > a):
            out.append(sp)
    return out


def says_word(list toks, dict rejected, Py_ssize_t start, Py_ssize_t end, double reject):
    """component.says_word_py: whether every token over normalised [start, end) has the
    tagger's O probability (``rejected``, by token index; 0.0 where absent) at least ``reject``,
    and some token is there. The first token ending after ``start`` by a binary search reading
    the tokens' ends from their slots (``bisect_right(toks, start, key=attrgetter("end"))``
    calls the key each probe)."""
    cdef Py_ssize_t lo = 0, n = len(toks), hi = n, mid
    while lo < hi:
        mid = (lo + hi) // 2
        t = toks[mid]
        _tok_slots(t)
        if start < <Py_ssize_t>_field(t, _tok_end, "end"):
            hi = mid
        else:
            lo = mid + 1
    cdef bint seen = False
    cdef double p
    while lo < n:
        t = toks[lo]
        _tok_slots(t)
        if <Py_ssize_t>_field(t, _tok_start, "start") >= end:
            break
        got = rejected.get(lo)
        p = 0.0 if got is None else <double>got
        if p < reject:
            return False
        seen = True
        lo += 1
    return seen


# the slots of the mentions' class (Mention), as for span_table
cdef object _men_type = None
cdef Py_ssize_t _men_place = -1, _men_score = -1, _men_cue = -1, _men_direction = -1
cdef Py_ssize_t _men_demonym = -1, _men_context = -1, _men_key = -1, _men_cands = -1, _men_start = -1


cdef inline void _men_slots(m):
    global _men_type, _men_place, _men_score, _men_cue, _men_direction, _men_demonym, _men_context
    global _men_key, _men_cands, _men_start
    if type(m) is not _men_type:
        _men_type = type(m)
        _men_place, _men_score = class_slot(_men_type, "place"), class_slot(_men_type, "score")
        _men_cue, _men_direction = class_slot(_men_type, "cue"), class_slot(_men_type, "direction")
        _men_demonym, _men_context = class_slot(_men_type, "demonym"), class_slot(_men_type, "context_only")
        _men_key, _men_cands = class_slot(_men_type, "key"), class_slot(_men_type, "cands")
        _men_start = class_slot(_men_type, "start")


def place_data(dict fields, str text, m):
    """component.place_data_py: a resolved mention's span data, a copy of its place's template
    (``fields[place id]``) with the mention's own values set; None when the mention has no place
    or its place no template yet. The mention's fields read from their slots, the dict copied
    and set in C."""
    _men_slots(m)
    p = _field(m, _men_place, "place")
    if p is None:
        return None
    tmpl = fields.get(p.id)
    if tmpl is None:
        return None
    cdef dict data = (<dict?>tmpl).copy()
    data["location_ar"] = text
    data["centroid"] = [p.lat, p.lon]
    cue = _field(m, _men_cue, "cue")
    direction = _field(m, _men_direction, "direction")
    countryside = cue == "countryside"
    if data["geo_precision"] is None:
        data["geo_precision"] = 2 if countryside or direction else 1
    data["score"] = _round2_obj(_field(m, _men_score, "score"))
    data["countryside"] = countryside
    data["demonym"] = _field(m, _men_demonym, "demonym")
    data["context"] = _field(m, _men_context, "context_only")
    data["direction"] = direction or None
    return data


# the slots of the tagger's spans' class (Span), as for span_table
cdef object _ner_type = None
cdef Py_ssize_t _ner_start = -1, _ner_end = -1, _ner_label = -1, _ner_text = -1, _ner_data = -1


def sure_names(list spans, double score):
    """component.sure_names_py: (start, end) of the spans labelled PER or ORG whose data's
    "score" (0 when missing or false) is at least ``score`` and whose text holds no "#"; the
    spans' fields read from their slots."""
    global _ner_type, _ner_start, _ner_end, _ner_label, _ner_text, _ner_data
    cdef list out = []
    cdef double f
    for s in spans:
        if type(s) is not _ner_type:
            _ner_type = type(s)
            _ner_start, _ner_end = class_slot(_ner_type, "start"), class_slot(_ner_type, "end")
            _ner_label, _ner_text = class_slot(_ner_type, "label"), class_slot(_ner_type, "text")
            _ner_data = class_slot(_ner_type, "data")
        label = _field(s, _ner_label, "label")
        if not (label == u"PER" or label == u"ORG"):
            continue
        d = _field(s, _ner_data, "data")
        v = (<dict>d).get(u"score") if type(d) is dict else d.get(u"score")
        f = float(v) if v else 0.0
        if not f >= score or u"#" in _field(s, _ner_text, "text"):
            continue
        out.append((_field(s, _ner_start, "start"), _field(s, _ner_end, "end")))
    return out


def overlaps_entity(list entities, a, b):
    """component.overlaps_entity_py: whether an entity (a dict) of type LOC, PER or ORG
    overlaps [a, b): its "start" (-1 when missing) before b and its "end" (-1) after a."""
    for e in entities:
        if type(e) is dict:
            t = (<dict>e).get(u"type")
            if (t == u"LOC" or t == u"PER" or t == u"ORG") and (<dict>e).get(u"start", -1) < b \
                    and a < (<dict>e).get(u"end", -1):
                return True
        elif e.get(u"type") in (u"LOC", u"PER", u"ORG") and e.get(u"start", -1) < b and a < e.get(u"end", -1):
            return True
    return False


# doc.Span's slots, for spans made in place (as the events step's ``_fast.new_span``)
cdef object _span_cls = None
cdef bint _span_in_place = False
cdef Py_ssize_t _span_at[6]


cdef void _span_shape(cls):
    # (a class of another shape, or with a __new__, __setattr__ or __post_init__ of its own, is
    # made by name)
    global _span_cls, _span_in_place
    _span_cls = cls
    _span_in_place = six_in_place(cls, ("start", "end", "label", "text", "sent", "data"), _span_at)


def span_of(cls, start, end, label, text, sent, data):
    """component.span_of_py: ``cls(start, end, label, text, sent, data)`` as doc.new_span makes a
    doc.Span (no __init__), its six slots set in place."""
    if cls is not _span_cls:
        _span_shape(cls)
    if not _span_in_place:
        return span_by_name(cls, start, end, label, text, sent, data)
    return new_six(cls, _span_at, start, end, label, text, sent, data)



# the slots of the last mentions' class read by nest_next (Mention)
cdef object _nest_cls = None
cdef Py_ssize_t _nest_sent = -1, _nest_start = -1, _nest_end = -1, _nest_place = -1


def nest_next(list ms, Py_ssize_t k, nest_features):
    """geoparser.nest_next_py: the largest j <= k (j >= 1) whose pair ms[j - 1], ms[j] passes
    check_nesting's tests of the mentions' own fields and features, else 0; asked afresh at
    each call (a pair's first mention may have changed its place since). The mentions' fields
    read from their slots while both are of one class."""
    global _nest_cls, _nest_sent, _nest_start, _nest_end, _nest_place
    cdef object m, n, mp, np_, f
    cdef Py_ssize_t sent_at = -1, start_at = -1, end_at = -1, place_at = -1
    if k >= len(ms):
        raise IndexError("list index out of range")
    while k > 0:
        m = ms[k - 1]
        n = ms[k]
        if type(m) is not type(n):
            sent_at = start_at = end_at = place_at = -1
        else:
            if type(m) is not _nest_cls:
                _nest_cls = type(m)
                _nest_sent, _nest_start = class_slot(_nest_cls, "sent"), class_slot(_nest_cls, "start")
                _nest_end, _nest_place = class_slot(_nest_cls, "end"), class_slot(_nest_cls, "place")
            sent_at, start_at, end_at, place_at = _nest_sent, _nest_start, _nest_end, _nest_place
        if <Py_ssize_t>_field(m, sent_at, "sent") != <Py_ssize_t>_field(n, sent_at, "sent") or \
                <Py_ssize_t>_field(n, start_at, "start") - <Py_ssize_t>_field(m, end_at, "end") > 30:
            k -= 1
            continue
        mp = _field(m, place_at, "place")
        np_ = _field(n, place_at, "place")
        if mp is None or np_ is None:
            k -= 1
            continue
        f = mp.feature
        if f == u"country" or f == u"admin1" or f == u"region" or np_.feature not in nest_features:
            k -= 1
            continue
        return k
    return 0


# ---------------------------------------------------------------- pl182 (2026-12-07, eighteenth session)
# component.dateline_end_py's pattern, _DATELINE, matched by hand: the same backtracking order
# (lazy repeats shortest first, \s* longest first, the alternatives and the (?:^|\n) choices in
# the pattern's order), so the same first match and its end. The letters are read from the
# string's buffer (its kind and data), not as indexed items.

from cpython.unicode cimport Py_UNICODE_ISALNUM, Py_UNICODE_ISSPACE, PyUnicode_DATA, PyUnicode_KIND, PyUnicode_READ


cdef inline bint _colon_dash(Py_UCS4 c):
    return c == u'-' or c == u':'


cdef Py_ssize_t _dateline_a(int kind, void *s, Py_ssize_t at, Py_ssize_t n):
    """The end of [^\\n]{0,40}?[-:]\\s*[^\\n]{0,30}?[:-] matched at ``at`` in s[:n], else -1."""
    cdef Py_ssize_t i, q, r, u
    cdef Py_UCS4 c
    for i in range(at, min(at + 41, n)):
        c = PyUnicode_READ(kind, s, i)
        if c == u'\n':
            return -1
        if not _colon_dash(c):
            continue
        r = i + 1
        while r < n and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, s, r)):
            r += 1
        for q in range(r, i, -1):  # \s* from its longest
            for u in range(q, min(q + 31, n)):
                c = PyUnicode_READ(kind, s, u)
                if _colon_dash(c):
                    return u + 1
                if c == u'\n':
                    break
    return -1


cdef Py_ssize_t _dateline_b(int kind, void *s, Py_ssize_t at, Py_ssize_t n):
    """The end of [^\\n\\-:]{2,30}[:-] matched at ``at`` in s[:n], else -1 (the greedy run can only
    end where a letter outside it stands: fewer letters leave one of the run's before [:-])."""
    cdef Py_ssize_t r = at
    cdef Py_UCS4 c
    while r < n and r - at < 30:
        c = PyUnicode_READ(kind, s, r)
        if c == u'\n' or _colon_dash(c):
            break
        r += 1
    if r - at >= 2 and r < n and _colon_dash(PyUnicode_READ(kind, s, r)):
        return r + 1
    return -1


cdef Py_ssize_t _dateline_match(int kind, void *s, Py_ssize_t pos, Py_ssize_t n):
    """_DATELINE.match(s[:n], pos).end(), else -1: (?:^|\\n) tries ^ (at 0 only), then a \\n."""
    cdef Py_ssize_t e
    cdef bint nl = pos < n and PyUnicode_READ(kind, s, pos) == u'\n'
    if pos == 0:
        e = _dateline_a(kind, s, 0, n)
        if e >= 0:
            return e
    if nl:
        e = _dateline_a(kind, s, pos + 1, n)
        if e >= 0:
            return e
    if pos == 0:
        e = _dateline_b(kind, s, 0, n)
        if e >= 0:
            return e
    if nl:
        return _dateline_b(kind, s, pos + 1, n)
    return -1


cdef Py_ssize_t _newline(int kind, void *s, Py_ssize_t at, Py_ssize_t n):
    """s[:n].find("\\n", at)."""
    cdef Py_ssize_t k
    for k in range(at, n):
        if PyUnicode_READ(kind, s, k) == u'\n':
            return k
    return -1


def dateline_end(str norm):
    """component.dateline_end_py: the furthest end of _DATELINE's matches in norm[:600], tried
    at the start and at each newline from where the last match ended."""
    cdef Py_ssize_t n = min(len(norm), 600), end = 0, pos = 0, e
    cdef int kind = PyUnicode_KIND(norm)
    cdef void *s = PyUnicode_DATA(norm)
    while pos >= 0:
        e = _dateline_match(kind, s, pos, n)
        if e >= 0:
            if e > end:
                end = e
            pos = _newline(kind, s, e, n)
        else:
            pos = _newline(kind, s, pos + 1, n)
    return end


cdef object _bare_word(str word, locative):
    """geoparser.bare_word: the word without a و/ف before a word of place (وفي -> في)."""
    if len(word) > 1 and (word[0] == u'و' or word[0] == u'ف'):
        rest = word[1:]
        if rest in locative:
            return rest
    return word


# the slots of the mentions' class read by metonym besides _men_slots' (Mention)
cdef object _met_type = None
cdef Py_ssize_t _met_hashtag = -1, _met_start = -1


def metonym(str text, m, national_ids, locative, lands_of):
    """geoparser.metonym_py: the same tests in the same order, ``locative`` being
    geoparser.LOCATIVE (its bare_word's); the mention's fields read from their slots, the name's
    clitics read in place."""
    global _met_type, _met_hashtag, _met_start
    cdef Py_ssize_t start, w, pstart
    cdef str prev, prev2
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef Py_UCS4 c
    _men_slots(m)
    if type(m) is not _met_type:
        _met_type = type(m)
        _met_hashtag, _met_start = class_slot(_met_type, "hashtag"), class_slot(_met_type, "start")
    p = _field(m, _men_place, "place")
    if p is None or _field(m, _men_cue, "cue") or _field(m, _men_direction, "direction") \
            or _field(m, _met_hashtag, "hashtag"):
        return False
    feature = p.feature
    if feature != u"country" and p.id not in national_ids:
        return False
    start = _field(m, _met_start, "start")
    if start > len(text):
        raise IndexError("string index out of range")  # as text[w - 1] says it
    w = start
    while w > 0 and Py_UNICODE_ISALNUM(PyUnicode_READ(kind, data, w - 1)):
        w -= 1
    if start - w > 1:
        return False  # بأنقرة، لأنقرة، كأنقرة
    if start - w == 1:
        c = PyUnicode_READ(kind, data, w)
        if c != u'و' and c != u'ف':
            return False
    prev, pstart = prev_word(text, w)
    if _bare_word(prev, locative) in locative or (not prev and feature == u"country") \
            or lands_of(text, prev, pstart):
        return False
    if prev[:2] == u"ال" and (prev[-2:] == u"يه" or prev[-2:] == u"ية"):
        prev2 = prev_word(text, pstart)[0]
        return _bare_word(prev2, locative) not in locative
    return True


# ---- pl191: resolve's groups and their first round (geoparser.group_reps_py)

from cpython.long cimport PyLong_FromVoidPtr
from cpython.object cimport PyObject_RichCompareBool, Py_EQ

# (the grouping reads the mentions' slots through _men_slots above)


def group_reps(list mentions, orig_text, orig, Py_ssize_t dateline_end, dict firsts, dict firsts_at,
               first_round):
    """geoparser.group_reps_py: a mention's group looked for among its name's groups (``same``),
    field by field as the twin's tuples compare (no key tuple for a mention of a group already
    there); round 1 found by the candidate list's identity first, as the twin does."""
    cdef list reps = [], keys = [], ks, ms, r
    cdef dict same = {}
    cdef tuple kw
    cdef Py_ssize_t k
    cdef double w
    cdef bint found
    cdef object m, cands, key, cue, direction, demonym, surface, at, got, ck, kk
    for m in mentions:
        _men_slots(m)
        cands = _field(m, _men_cands, "cands")
        if not cands:
            continue
        key = _field(m, _men_key, "key")
        surface = u""
        if key == u"عمان" and orig is not None:
            a, b = orig(m.start, m.end)
            surface = orig_text[a:b]
        cue = _field(m, _men_cue, "cue")
        direction = _field(m, _men_direction, "direction")
        demonym = _field(m, _men_demonym, "demonym")
        ks = same.get(key)
        if ks is None:
            ks = []
            same[key] = ks
        found = False
        for kk in ks:
            k = kk
            kw = <tuple>keys[k]
            # the twin's tuple ==: each field the same object or equal, in order
            if PyObject_RichCompareBool(<object>PyTuple_GET_ITEM(kw, 0), cue, Py_EQ) \
                    and PyObject_RichCompareBool(<object>PyTuple_GET_ITEM(kw, 1), direction, Py_EQ) \
                    and PyObject_RichCompareBool(<object>PyTuple_GET_ITEM(kw, 2), demonym, Py_EQ) \
                    and PyObject_RichCompareBool(<object>PyTuple_GET_ITEM(kw, 3), surface, Py_EQ):
                (<list>(<list>reps[k])[0]).append(m)
                found = True
                break
        if not found:
            ks.append(len(reps))
            keys.append((cue, direction, demonym, surface, cands))  # and the first mention's candidates
            reps.append([[m], None, 0.0, None, None])
    for k in range(len(reps)):
        r = reps[k]
        kw = <tuple>keys[k]
        cue, surface, cands = kw[0], kw[3], kw[4]
        at = firsts_at.get((cue, surface, PyLong_FromVoidPtr(<void *>cands)))
        if at is not None:
            got = (<tuple>at)[1]
        else:
            ck = (cue, surface, tuple(cands))
            got = firsts.get(ck)
            if got is None:
                got = first_round(cands, cue, surface)
                firsts[ck] = got
            firsts_at[(cue, surface, PyLong_FromVoidPtr(<void *>cands))] = (cands, got)
        scored, first, first_s, one_country = got
        w = 0.0
        for m in <list>r[0]:
            _men_slots(m)
            w += 3.0 if <Py_ssize_t>_field(m, _men_start, "start") < dateline_end else 1.0
        if one_country:
            w *= 1.5
        r[1] = scored
        r[2] = w
        r[3] = first
        r[4] = first_s
    return reps, same


def first_round(list places, cands, cue, surface, dict cue_fits):
    """geoparser.first_round_py: the same floats (a base score plus the same constants in the
    same order, in doubles as Python's floats are); a score that no rule moves is the candidate's
    own object, as the twin keeps it."""
    cdef list scored = []
    cdef double s, s1, first_s = -1e9
    cdef bint province = cue == u"province", gov_named = False, moved, om = False, jo = False, one
    cdef object first = None, first_obj = -1e9, fits, p, q, feat, cc, c, i, base, sv
    if province:
        for c in cands:
            feat = _at(_pl(places[c[0]]), _PL_FEAT)
            if feat == u"admin1" or feat == u"region":
                gov_named = True  # إقليم عدن is the governorate (or region)
                break
    fits = cue_fits.get(cue, ())  # (the twin's cue_fits[cue] for "province": there)
    if surface:  # عُمان (Oman) vs عمّان (Amman)
        om = u"\u064f" in surface
        jo = u"\u0651" in surface
    for c in cands:
        i, base = c
        p = _pl(places[i])
        feat = _at(p, _PL_FEAT)
        s = base
        moved = True
        if province and not (feat == u"admin1" or feat == u"region"):
            s += 3.0 if feat in fits and not gov_named else -4.0
        elif cue:
            s += 4.0 if feat in fits else -4.0
        elif feat == u"quarter" or feat == u"camp" or feat == u"base" or feat == u"airport" \
                or feat == u"crossing":
            s -= 1.0
        else:
            moved = False
        if om and _at(p, _PL_CC) == u"OM":
            s += 6.0
            moved = True
        elif jo and _at(p, _PL_CC) == u"JO":
            s += 6.0
            moved = True
        # a city shares its name with its governorate: the city, unless the cue says otherwise
        if feat == u"admin1" and not (cue == u"admin1" or province):
            cc = _at(p, _PL_CC)
            for c in cands:
                q = _pl(places[c[0]])
                if _at(q, _PL_FEAT) == u"city" and _at(q, _PL_CC) == cc and q.population > 50000:
                    s -= 5.0
                    moved = True
                    break
        sv = s if moved else base
        scored.append((i, sv))
        if feat == u"quarter":
            s1 = s - 2.0
            if s1 > first_s:
                first, first_s, first_obj = p, s1, s1
        elif s > first_s:
            first, first_s, first_obj = p, s, sv
    one = len(scored) == 1
    if not one and scored:
        cc = _at(_pl(places[(<tuple>scored[0])[0]]), _PL_CC)
        one = True
        for c in scored:
            if not (_at(_pl(places[(<tuple>c)[0]]), _PL_CC) == cc):
                one = False
                break
    return scored, first, first_obj, one
# ---------------------------------------------------------------- find's mentions made in place

from marsad.text._slots cimport marsad_alloc, marsad_set_slot, marsad_writable_slot_offset_of

cdef enum:
    _MAX_FIELDS = 32
# the class new_mention last made (Mention): its fields' slot offsets, in the fields' order, and
# their defaults (a field without a plain default: None there; only fields given may lack one)
cdef object _nm_cls = None
cdef bint _nm_in_place = False
cdef Py_ssize_t _nm_n = 0
cdef Py_ssize_t _nm_at[_MAX_FIELDS]
cdef tuple _nm_defaults = ()


cdef void _nm_shape(cls):
    # (a class that is no plain slotted dataclass, or that has a __new__, __setattr__ or
    # __post_init__ of its own, is made by its __init__)
    global _nm_cls, _nm_in_place, _nm_n, _nm_defaults
    import dataclasses
    _nm_cls, _nm_in_place, _nm_n = cls, False, 0
    if type(cls) is not type or not dataclasses.is_dataclass(cls) or \
            cls.__new__ is not object.__new__ or cls.__setattr__ is not object.__setattr__ or \
            hasattr(cls, "__post_init__"):
        return
    fields = dataclasses.fields(cls)
    if len(fields) > _MAX_FIELDS or tuple(getattr(cls, "__slots__", ())) != tuple(f.name for f in fields):
        return
    d = cls.__dict__
    defaults = []
    for k, f in enumerate(fields):
        if not f.init:
            return
        descr = d.get(f.name)
        _nm_at[k] = -1 if descr is None else marsad_writable_slot_offset_of(<PyObject *>descr)
        if _nm_at[k] < 0:
            return
        defaults.append(None if f.default is dataclasses.MISSING else (f.default,))
    _nm_defaults, _nm_n, _nm_in_place = tuple(defaults), len(fields), True


def new_mention(cls, tuple values):
    """geoparser.new_mention_py: ``cls(*values)`` for a slotted dataclass (find's Mention), its
    slots set in place without the __init__'s frame: the fields given in order, the others their
    defaults (a field without a plain default, as a default_factory, is made by the __init__)."""
    cdef Py_ssize_t k, n = len(values)
    if cls is not _nm_cls:
        _nm_shape(cls)
    if not _nm_in_place or n > _nm_n:
        return cls(*values)
    for k in range(n, _nm_n):
        if _nm_defaults[k] is None:
            return cls(*values)
    o = marsad_alloc(cls)
    for k in range(n):
        marsad_set_slot(o, _nm_at[k], <object>PyTuple_GET_ITEM(values, k))
    for k in range(n, _nm_n):
        marsad_set_slot(o, _nm_at[k], <object>PyTuple_GET_ITEM(_nm_defaults[k], 0))
    return o
