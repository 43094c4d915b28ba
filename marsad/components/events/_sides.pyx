# cython: language_level=3
"""A candidate's sides and place in C: actors.assign_actors, places.place_of and what they ask
per candidate (the actor markers, the side names, the conjunct heads, places.attach's place for
the incident's stretch, the landmark test, the fallback's scores); the role model's pair
(roles.pair_features), the place model's choice (arguments.chosen_place: its options' scores
summed with no feature dict); and once per report the actor spans that name no party, the main
country and the places that name no scene (context.py); since API 6 the list that holds an
incident's place (split._list_items); since API 7 a sentence's usable places for attach
(PlaceIndex.usable) made here, and the word tests' letter masks (``holds_any``, ``targeted_at``,
``index_usable``: for the tests); since API 9 the actor markers' and the landmark's patterns
searched only where the text before ends as their matches end and holds their words, read in the
range (``Words``, ``Ends``: masks made once), and PlaceIndex.here's miss read here (``holds_in``,
``ends_in``, ``attacked``, ``victim_verb_at``, ``bearing_last``, ``index_here``: for the tests);
since API 10 the incident's own clause's place before another governorate's of the sentence
(attach._best_own).

The same decisions as the Python code they twin, step by step: the same caches of the report's
Ctx filled with the same values (the other code of the step reads them), the same firsts among
equals (``max``/``min`` keep the first best, ``sort`` is stable) and the same floats (built with
-ffp-contract=off: no fused multiply-add in the place scores). ``bind_places``, ``bind_actors``,
``bind_roles``, ``bind_arguments``, ``bind_context`` and ``bind_scenes`` hand it the patterns,
tables and functions of the Python modules once they are built; ``native.py`` chooses.
"""

# What the Python side expects of this module (native.py): one built from an older _sides.pyx is
# not used (scripts/setup rebuilds it).
API = 10

from cpython.unicode cimport (Py_UNICODE_ISSPACE, PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_DATA, PyUnicode_READ,
                              PyUnicode_Find, PyUnicode_Tailmatch)
from cpython.mem cimport PyMem_Malloc, PyMem_Realloc, PyMem_Free
from cpython.long cimport PyLong_FromVoidPtr
from cpython.object cimport PyObject
from libc.string cimport memset
from libc.stdint cimport PTRDIFF_MIN
from libc.stdlib cimport free, malloc
from marsad.components.events._offsets cimport offset_index

# bound by bind_places() and bind_actors(): the Python modules' patterns, word tuples, tables and
# rare-path functions
cdef object NUMBER, CAUSE, AGENT_BEFORE, BETWEEN, LOSER_BEFORE, VICTIM_VERB, SUFFERED, AND, TARGET_BEFORE
cdef tuple AGENT_WORDS = (), VICTIM_WORDS = (), BETWEEN_WORDS = (), TARGET_WORDS = ()
cdef tuple BEARING_WORDS = (), OFFICE_WORDS = (), ORIGIN_WORDS = (), LOSER_WORDS = ()
cdef tuple CAUSE_WORDS = (), NUMBER_WORDS = ()
# the markers' word lists with their letter masks made once (Words), and what the text before an
# actor must end with for each marker's pattern to match there (its ends: actors.py)
cdef Words AGENT_W = None, VICTIM_W = None, BETWEEN_W = None, LOSER_W = None, TARGET_W = None
cdef Ends AGENT_ENDS = None, BETWEEN_ENDS = None, LOSER_ENDS = None, TARGET_ENDS = None
cdef Words BEARING_W = None, OFFICE_W = None, ORIGIN_W = None
cdef Ends ORIGIN_ENDS = None
cdef tuple BEARING_LAST = ()
cdef str SUFFERED_WORD = ""
cdef bint VICTIM_IN_TOKEN = False
cdef object BEARING, OFFICE, ORIGIN
cdef object side, ACTORS, ACTOR_OUT, log
cdef dict SPECIFICITY = {}, SPECIFIC = {}
cdef double MIN_PLACE_SCORE = 7.0, MIN_FALLBACK_SCORE = 5.0
cdef object with_parent, inside_of, same_unit, destination
cdef Py_ssize_t COUNTRY_RANK = 5
cdef Py_ssize_t PASSAGE = 3

_KILL_WOUND = ("kill", "wound")
_VICTIMS = ("civilians", "protesters")
_BATTLE = ("battle", "territory")


def bind_places(places, attach):
    """Read what places.py and places/attach.py hold (places.py's end, once both are built)."""
    global BEARING, OFFICE, ORIGIN, BEARING_WORDS, OFFICE_WORDS, ORIGIN_WORDS, log, SPECIFICITY, SPECIFIC
    global MIN_PLACE_SCORE, MIN_FALLBACK_SCORE, with_parent, inside_of, PASSAGE
    global COUNTRY_RANK, same_unit, destination
    BEARING, OFFICE, ORIGIN = places._BEARING, places._OFFICE, places._ORIGIN
    BEARING_WORDS, OFFICE_WORDS = tuple(places._BEARING_WORDS), tuple(places._OFFICE_WORDS)
    ORIGIN_WORDS = tuple(places._ORIGIN_WORDS)
    global BEARING_W, OFFICE_W, ORIGIN_W, ORIGIN_ENDS, BEARING_LAST
    BEARING_W, OFFICE_W, ORIGIN_W = Words(BEARING_WORDS), Words(OFFICE_WORDS), Words(ORIGIN_WORDS)
    ORIGIN_ENDS, BEARING_LAST = Ends(places._ORIGIN_ENDS), _ends(places._BEARING_LAST)
    log, SPECIFICITY, SPECIFIC = places.log, dict(places._SPECIFICITY), dict(attach._SPECIFIC)
    MIN_PLACE_SCORE, MIN_FALLBACK_SCORE = places.MIN_PLACE_SCORE, places.MIN_FALLBACK_SCORE
    with_parent, inside_of, PASSAGE = attach._with_parent, attach._inside, attach.PASSAGE
    COUNTRY_RANK, same_unit, destination = attach._COUNTRY, attach._same_unit, attach._destination


def bind_actors(actors, rules, tables):
    """Read what actors.py holds (its end, once it is built), and what it reads of rules.py and
    incident/tables.py."""
    global NUMBER, CAUSE, AGENT_BEFORE, BETWEEN, LOSER_BEFORE, VICTIM_VERB, SUFFERED, AND, TARGET_BEFORE
    global AGENT_WORDS, VICTIM_WORDS, BETWEEN_WORDS, TARGET_WORDS, LOSER_WORDS, CAUSE_WORDS, NUMBER_WORDS, side, ACTORS
    global ACTOR_OUT
    NUMBER, CAUSE = rules.NUMBER, actors.CAUSE
    AGENT_BEFORE, BETWEEN, LOSER_BEFORE = actors.AGENT_BEFORE, actors.BETWEEN, actors.LOSER_BEFORE
    VICTIM_VERB, SUFFERED, AND, TARGET_BEFORE = actors.VICTIM_VERB, actors._SUFFERED, actors._AND, actors._TARGET_BEFORE
    AGENT_WORDS, VICTIM_WORDS = tuple(actors._AGENT_WORDS), tuple(actors._VICTIM_WORDS)
    BETWEEN_WORDS, TARGET_WORDS = tuple(actors._BETWEEN_WORDS), tuple(actors._TARGET_WORDS)
    LOSER_WORDS = tuple(actors._LOSER_WORDS)
    CAUSE_WORDS, NUMBER_WORDS = tuple(actors._CAUSE_WORDS), tuple(rules.NUMBER_WORDS)
    side, ACTORS, ACTOR_OUT = tables.side, actors, actors.actor_out
    global AGENT_W, VICTIM_W, BETWEEN_W, LOSER_W, TARGET_W, AGENT_ENDS, BETWEEN_ENDS, LOSER_ENDS, TARGET_ENDS
    global SUFFERED_WORD, VICTIM_IN_TOKEN
    AGENT_W, VICTIM_W, BETWEEN_W = Words(AGENT_WORDS), Words(VICTIM_WORDS), Words(BETWEEN_WORDS)
    LOSER_W, TARGET_W = Words(LOSER_WORDS), Words(TARGET_WORDS)
    AGENT_ENDS, BETWEEN_ENDS = Ends(actors._AGENT_ENDS), Ends(actors._BETWEEN_ENDS)
    LOSER_ENDS, TARGET_ENDS = Ends(actors._LOSER_ENDS), Ends(actors._TARGET_ENDS)
    SUFFERED_WORD = actors._SUFFERED_WORD
    # VICTIM_VERB's words followed by \S*\s*$: a word with no space in it lies in the last word
    VICTIM_IN_TOKEN = all(not any(c.isspace() for c in w) for w in VICTIM_WORDS)


cdef tuple _ends(words):
    """A marker's ends (actors.py), each checked: an end that closes with a space could not be
    read after the text's trailing spaces are left out (_ends_in)."""
    out = tuple(words)
    for w in out:
        if not w or w[-1].isspace():
            raise ValueError("a marker's end must be a word with no space at its end: %r" % (w,))
    return out


# -- offsets -----------------------------------------------------------------------------------

from marsad.text._slots cimport class_slot as _slot_at, slot_or_attr


from marsad.doc import Span as _Span



# a Span's fields read from its slots (no attribute look-up, ~140 instructions each) where the
# object is a Span and the slot is set; anything else is asked by name
cdef object _SpanType = _Span
cdef Py_ssize_t _SP_START = _slot_at(_Span, "start"), _SP_END = _slot_at(_Span, "end")
cdef Py_ssize_t _SP_DATA = _slot_at(_Span, "data")
cdef Py_ssize_t _SP_SENT = _slot_at(_Span, "sent"), _SP_LABEL = _slot_at(_Span, "label")


cdef inline object _field(s, Py_ssize_t at, str name):
    return slot_or_attr(s, _SpanType, at, name)


# a candidate's fields read in place as the spans' (events.incident.Incident has slots), as _cand's inc
from marsad.components.events.incident import Incident as _Incident
cdef object _IncType = _Incident
cdef Py_ssize_t _IN_FIELDS = _slot_at(_Incident, "fields"), _IN_KIND = _slot_at(_Incident, "kind")
cdef Py_ssize_t _IN_SENT = _slot_at(_Incident, "sent"), _IN_FIRST = _slot_at(_Incident, "first")
cdef Py_ssize_t _IN_REGION = _slot_at(_Incident, "region"), _IN_PLACE_SPAN = _slot_at(_Incident, "place_span")
cdef Py_ssize_t _IN_AGENT = _slot_at(_Incident, "agent"), _IN_VICTIM = _slot_at(_Incident, "victim")


cdef inline object _inc(ev, Py_ssize_t at, str name):
    return slot_or_attr(ev, _IncType, at, name)


def incident_fields(ev):
    """{name: value} of each field _inc reads in place (for the tests)."""
    return {"fields": _inc(ev, _IN_FIELDS, "fields"), "kind": _inc(ev, _IN_KIND, "kind"),
            "sent": _inc(ev, _IN_SENT, "sent"), "first": _inc(ev, _IN_FIRST, "first"),
            "region": _inc(ev, _IN_REGION, "region"), "place_span": _inc(ev, _IN_PLACE_SPAN, "place_span"),
            "agent": _inc(ev, _IN_AGENT, "agent"), "victim": _inc(ev, _IN_VICTIM, "victim")}


# the report context's hottest fields (context.Ctx's slots, ctxfields.py) read in place, as _cand's cx
from marsad.components.events.ctxfields import CtxFields as _CtxFields
from marsad.text._slots cimport base_slot_or_attr
cdef object _CtxBase = _CtxFields
cdef Py_ssize_t _CX_TOKS = _slot_at(_CtxFields, "tok_starts"), _CX_OFFSETS = _slot_at(_CtxFields, "_orig_starts")
cdef Py_ssize_t _CX_BY_SENT = _slot_at(_CtxFields, "by_sent"), _CX_COUNTRY = _slot_at(_CtxFields, "country")
cdef Py_ssize_t _CX_NAMES = _slot_at(_CtxFields, "actor_names"), _CX_IN_ACTOR = _slot_at(_CtxFields, "in_actor")
cdef Py_ssize_t _CX_AGENT = _slot_at(_CtxFields, "agent_before")
cdef Py_ssize_t _CX_ATTACKED = _slot_at(_CtxFields, "attacked")
cdef Py_ssize_t _CX_DOC = _slot_at(_CtxFields, "doc")
cdef Py_ssize_t _CX_LOSER_BEFORE = _slot_at(_CtxFields, "loser_before")
cdef Py_ssize_t _CX_BETWEEN_BEFORE = _slot_at(_CtxFields, "between_before")
cdef Py_ssize_t _CX_TARGETED = _slot_at(_CtxFields, "targeted")
cdef Py_ssize_t _CX_CONJUNCT_HEADS = _slot_at(_CtxFields, "conjunct_heads")
cdef Py_ssize_t _CX_USABLE = _slot_at(_CtxFields, "_usable")
cdef Py_ssize_t _CX_PASSAGE_PLACE = _slot_at(_CtxFields, "passage_place")
cdef Py_ssize_t _CX_DOC_PLACE = _slot_at(_CtxFields, "doc_place")
cdef Py_ssize_t _CX_PLACE_WEIGHTS = _slot_at(_CtxFields, "place_weights")
cdef Py_ssize_t _CX_LANDMARKS = _slot_at(_CtxFields, "landmarks"), _CX_EVENT_PLACES = _slot_at(_CtxFields, "_event_places")
cdef Py_ssize_t _CX_PLACE_INDEX = _slot_at(_CtxFields, "place_index"), _CX_SIDE_WORDS = _slot_at(_CtxFields, "side_words")
cdef Py_ssize_t _CX_OPTION_KINDS = _slot_at(_CtxFields, "place_option_kinds")
cdef Py_ssize_t _CX_NEIGHBOURS = _slot_at(_CtxFields, "neighbours"), _CX_CHAINS = _slot_at(_CtxFields, "place_chains")


cdef inline object _cx(ctx, Py_ssize_t at, str name):
    """ctx.<name>, from its slot at ``at`` where ctx is a Ctx (not a subclass) and it is set."""
    return base_slot_or_attr(ctx, _CtxBase, at, name)


def ctx_fields(ctx):
    """{name: value} of each field _cx reads in place (for the tests)."""
    return {
        "tok_starts": _cx(ctx, _CX_TOKS, "tok_starts"),
        "_orig_starts": _cx(ctx, _CX_OFFSETS, "_orig_starts"),
        "by_sent": _cx(ctx, _CX_BY_SENT, "by_sent"),
        "country": _cx(ctx, _CX_COUNTRY, "country"),
        "actor_names": _cx(ctx, _CX_NAMES, "actor_names"),
        "in_actor": _cx(ctx, _CX_IN_ACTOR, "in_actor"),
        "agent_before": _cx(ctx, _CX_AGENT, "agent_before"),
        "attacked": _cx(ctx, _CX_ATTACKED, "attacked"),
        "doc": _cx(ctx, _CX_DOC, "doc"),
        "loser_before": _cx(ctx, _CX_LOSER_BEFORE, "loser_before"),
        "between_before": _cx(ctx, _CX_BETWEEN_BEFORE, "between_before"),
        "targeted": _cx(ctx, _CX_TARGETED, "targeted"),
        "conjunct_heads": _cx(ctx, _CX_CONJUNCT_HEADS, "conjunct_heads"),
        "_usable": _cx(ctx, _CX_USABLE, "_usable"),
        "landmarks": _cx(ctx, _CX_LANDMARKS, "landmarks"),
        "_event_places": _cx(ctx, _CX_EVENT_PLACES, "_event_places"),
        "place_index": _cx(ctx, _CX_PLACE_INDEX, "place_index"),
        "side_words": _cx(ctx, _CX_SIDE_WORDS, "side_words"),
        "place_option_kinds": _cx(ctx, _CX_OPTION_KINDS, "place_option_kinds"),
        "neighbours": _cx(ctx, _CX_NEIGHBOURS, "neighbours"),
        "place_chains": _cx(ctx, _CX_CHAINS, "place_chains"),
        "passage_place": _cx(ctx, _CX_PASSAGE_PLACE, "passage_place"),
        "doc_place": _cx(ctx, _CX_DOC_PLACE, "doc_place"),
        "place_weights": _cx(ctx, _CX_PLACE_WEIGHTS, "place_weights"),
    }


cdef inline dict _data(s):
    """s.data."""
    return <dict>_field(s, _SP_DATA, "data")


cdef inline Py_ssize_t _start(s) except? -1:
    """s.start."""
    return _field(s, _SP_START, "start")


cdef inline Py_ssize_t _end(s) except? -1:
    """s.end."""
    return _field(s, _SP_END, "end")


cdef inline Py_ssize_t _nstart(offsets, s):
    """Ctx.nstart."""
    n = _data(s).get("n0")
    return offset_index(offsets, _start(s)) if n is None else n


cdef inline Py_ssize_t _nend(offsets, s):
    """Ctx.nend."""
    n = _data(s).get("n1")
    return offset_index(offsets, _end(s)) if n is None else n


cdef Py_ssize_t _ntok(list starts, Py_ssize_t x):
    """Ctx.ntok: bisect_left over the report's token starts."""
    cdef Py_ssize_t lo = 0, hi = len(starts), mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if <Py_ssize_t>starts[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


cdef list _within(offsets, list spans, Py_ssize_t lo, Py_ssize_t hi):
    """Ctx.within."""
    cdef list out = []
    cdef Py_ssize_t n
    for s in spans:
        n = _nstart(offsets, s)
        if lo <= n < hi:
            out.append(s)
    return out


cdef inline bint _holds_any(str text, tuple words):
    """places.holds_any: whether text holds one of words. A word with a letter the text lacks
    cannot be in it, so each letter is a bit of a mask (its code point mod 64: the Arabic letters
    are 42 distinct bits; a shared bit only lets a word through to the search) and a word is
    searched for only when the text has all its bits: most of the short windows the actor and
    place tests read have no such word, where every word was searched for."""
    cdef unsigned long long have = 0, need, one = 1
    cdef Py_ssize_t i, n = PyUnicode_GET_LENGTH(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef int wkind
    cdef void *wdata
    cdef str word
    for i in range(n):
        have |= one << (<unsigned long long>PyUnicode_READ(kind, data, i) & 63)
    for w in words:
        word = w
        need = 0
        wkind = PyUnicode_KIND(word)
        wdata = PyUnicode_DATA(word)
        for i in range(PyUnicode_GET_LENGTH(word)):
            need |= one << (<unsigned long long>PyUnicode_READ(wkind, wdata, i) & 63)
        if need & ~have == 0 and word in text:
            return True
    return False


cdef inline unsigned long long _mask(str text, Py_ssize_t lo, Py_ssize_t hi):
    """The letters of text[lo:hi] as bits (code point mod 64), as _holds_any makes them."""
    cdef unsigned long long have = 0, one = 1
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef Py_ssize_t i
    for i in range(lo, hi):
        have |= one << (<unsigned long long>PyUnicode_READ(kind, data, i) & 63)
    return have


cdef class Words:
    """A word list with each word's letter mask made once: _holds_in reads them where _holds_any
    makes them per call (a list of 32 words is ~3,000 instructions a call)."""
    cdef readonly tuple words
    cdef unsigned long long *need
    cdef Py_ssize_t n

    def __cinit__(self, words):
        cdef Py_ssize_t i
        self.words = tuple(words)
        self.n = len(self.words)
        self.need = <unsigned long long *>PyMem_Malloc((self.n + 1) * sizeof(unsigned long long))
        if self.need == NULL:
            raise MemoryError()
        for i in range(self.n):
            w = self.words[i]
            self.need[i] = _mask(<str?>w, 0, PyUnicode_GET_LENGTH(w))

    def __dealloc__(self):
        PyMem_Free(self.need)


cdef bint _holds_in(str norm, Py_ssize_t lo, Py_ssize_t hi, Words ws) except -1:
    """_holds_any(norm[lo:hi], ws.words) with no slice: the range's letters against each word's
    mask, a word that has them all then found in the range itself."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(norm), i
    if hi > n:
        hi = n
    if lo < 0:
        lo = 0
    if lo > hi:
        lo = hi
    cdef unsigned long long have = _mask(norm, lo, hi)
    for i in range(ws.n):
        if ws.need[i] & ~have == 0 and PyUnicode_Find(norm, ws.words[i], lo, hi, 1) >= 0:
            return True
    return False


cdef class Ends:
    """A marker's ends (actors.py, places.py) with their last letters as bits (code point mod 64),
    made once: most texts end with a letter no end ends with."""
    cdef readonly tuple words
    cdef unsigned long long last

    def __cinit__(self, words):
        cdef unsigned long long one = 1
        self.words = _ends(words)
        self.last = 0
        for w in self.words:
            self.last |= one << (<unsigned long long>ord(w[-1]) & 63)


cdef bint _ends_in(str norm, Py_ssize_t lo, Py_ssize_t hi, Ends ends) except -1:
    """Whether norm[lo:hi], its trailing white space (re's \\s) left out, ends with one of ends:
    what each match of a marker ending "\\s*$" holds (its last word, then only spaces)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(norm), L, k
    cdef int kind = PyUnicode_KIND(norm), wkind
    cdef void *data = PyUnicode_DATA(norm)
    cdef void *wdata
    cdef Py_UCS4 c
    cdef str word
    if hi > n:
        hi = n
    if lo < 0:
        lo = 0
    while hi > lo and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, hi - 1)):
        hi -= 1
    if hi <= lo:
        return False
    c = PyUnicode_READ(kind, data, hi - 1)
    if not (ends.last >> (<unsigned long long>c & 63)) & 1:
        return False
    for w in ends.words:
        word = w
        L = PyUnicode_GET_LENGTH(word)
        if L > hi - lo:
            continue
        wkind = PyUnicode_KIND(word)
        wdata = PyUnicode_DATA(word)
        k = 1
        while k <= L and PyUnicode_READ(wkind, wdata, L - k) == PyUnicode_READ(kind, data, hi - k):
            k += 1
        if k > L:
            return True
    return False


def holds_in(str norm not None, Py_ssize_t lo, Py_ssize_t hi, tuple words not None):
    """_holds_in (for the tests: the same as holds_any(norm[lo:hi], words))."""
    return _holds_in(norm, lo, hi, Words(words))


def ends_in(str norm not None, Py_ssize_t lo, Py_ssize_t hi, tuple ends not None):
    """_ends_in (for the tests)."""
    return _ends_in(norm, lo, hi, Ends(ends))


def holds_any(str text not None, tuple words not None):
    """_holds_any (for the tests: the same as places.holds_any)."""
    return _holds_any(text, words)


cdef inline bint _cued(str text, tuple words, rx) except -1:
    """places.cued: rx searched only where text holds one of ``words`` (each match of rx holds one
    whole); no words, no cue. The actor markers' scan, the attacked one's and the landmarks'."""
    return _holds_any(text, words) and rx.search(text) is not None


def cued(str text, tuple words, rx):
    """places.cued (for the tests)."""
    return _cued(text, words, rx)


cdef bint _number_in(str text) except -1:
    """actors.number_in: NUMBER searched only where a digit (its \\d: any decimal one) or one of
    its words is."""
    cdef Py_UCS4 c
    if not _holds_any(text, NUMBER_WORDS):
        for c in text:
            if c.isdecimal():
                break
        else:
            return False
    return NUMBER.search(text) is not None


# -- the sides ---------------------------------------------------------------------------------

cdef inline bint _is_victim(sp):
    """actors._is_victim_py (its kinds compared here, not looked up in _VICTIMS)."""
    cdef dict d = _data(sp)
    if d.get("inter") in (6, 7):
        return True
    kind = d.get("kind")
    return kind == "civilians" or kind == "protesters"


cdef object _name(dict names, sp, country):
    """actor_out_in(ctx, sp, country)[0], kept in the same cache (ctx.actor_names)."""
    key = (id(sp), country)
    got = names.get(key)
    if got is None:
        f = ACTORS.actor_out   # (read from actors.py at the call, as its twin: a test may wrap it)
        if f is ACTOR_OUT and sp is not None:
            # actor_out's body here (its Python frame was ~7,000 instructions a miss): the same
            # memoised _actor_name of the same fields
            d = _data(sp)
            got = ACTORS._actor_name(sp.label, d.get("inter"), d.get("inter_abroad"), d.get("country"),
                                     d.get("by_country"), country)
        else:
            got = f(sp, country)
        names[key] = got
    return got[0]


cdef bint _same_side(a, b):
    """actors.same_side."""
    if not a or not b:
        return False
    return side(a, "extractor") == side(b, "extractor")   # (side keeps its own cache)


cdef bint _marked(dict known, str norm, rx, Py_ssize_t s, Py_ssize_t width, Words need, Ends ends):
    """actors._marked (the same cache of the report, per offset). Its pattern is searched only
    where the text before s ends with one of its ends (then only spaces) and holds one of its
    words: each match holds both, and most offsets have neither (no slice, no search)."""
    cdef Py_ssize_t lo = s - width if s > width else 0
    got = known.get(s)
    if got is None:
        got = known[s] = (_ends_in(norm, lo, s, ends) and _holds_in(norm, lo, s, need)
                          and rx.search(norm[lo:s]) is not None)
    return got


cdef bint _targeted_in(dict known, str norm, Py_ssize_t s):
    """actors.targeted_in."""
    got = known.get(s)
    if got is None:
        got = known[s] = _targeted(norm, s)
    return got


cdef bint _targeted(str norm, Py_ssize_t s):
    """actors.targeted (its word's start and "ل"/"لل" read here: no rfind, slice and lstrip)."""
    cdef Py_ssize_t e = min(s, len(norm)), w0 = e, k, lo
    while w0 > 0 and norm[w0 - 1] != u" ":
        w0 -= 1
    k = w0
    while k < e and (norm[k] == u"و" or norm[k] == u"ف"):
        k += 1
    if (e - k == 1 or e - k == 2) and norm[k] == u"ل" and norm[e - 1] == u"ل":
        return True
    lo = max(0, w0 - 24)
    # (each match ends with one of TARGET_ENDS, then spaces, and holds one of its words)
    return (_ends_in(norm, lo, w0, TARGET_ENDS) and _holds_in(norm, lo, w0, TARGET_W)
            and TARGET_BEFORE.search(norm, lo, w0) is not None)


def targeted_at(str norm, Py_ssize_t s):
    """_targeted (for the tests: the same as actors.targeted)."""
    return _targeted(norm, s)


cdef bint _attacked(ctx, str norm, offsets, x):
    """actors._attacked."""
    cdef dict known = _cx(ctx, _CX_ATTACKED, "attacked")
    cdef Py_ssize_t s, e
    key = id(x)
    got = known.get(key)
    if got is None:
        s, e = _nstart(offsets, x), _nend(offsets, x)
        got = known[key] = bool(_victim_verb_before(norm, s) or _suffered_after(norm, e))
    return got


cdef bint _victim_verb_before(str norm, Py_ssize_t s) except -1:
    """actors.victim_verb_before: VICTIM_VERB in the 12 characters before s, searched only where
    they hold one of its words (in their last word when no word has a space: its \\S*\\s*$)."""
    cdef Py_ssize_t lo = s - 12 if s > 12 else 0, e, t0
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(norm)
    cdef int kind = PyUnicode_KIND(norm)
    cdef void *data = PyUnicode_DATA(norm)
    t0 = lo
    if VICTIM_IN_TOKEN:
        e = s if s < n else n
        while e > lo and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, e - 1)):
            e -= 1
        t0 = e
        while t0 > lo and not Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, t0 - 1)):
            t0 -= 1
        if not _holds_in(norm, t0, e, VICTIM_W):
            return False
    return _cued(norm[lo:s], VICTIM_WORDS, VICTIM_VERB)


cdef bint _suffered_after(str norm, Py_ssize_t e) except -1:
    """SUFFERED matched at e in the 8 characters after it, tried only where they hold its word
    (each match does)."""
    return PyUnicode_Find(norm, SUFFERED_WORD, e, e + 8, 1) >= 0 and SUFFERED.match(norm[e:e + 8]) is not None


def attacked(ctx, x):
    """_attacked (for the tests: the same as actors._attacked)."""
    return _attacked(ctx, _cx(ctx, _CX_DOC, "doc").norm, _cx(ctx, _CX_OFFSETS, "_orig_starts"), x)


def victim_verb_at(str norm not None, Py_ssize_t s):
    """_victim_verb_before (for the tests: the same as actors.victim_verb_before)."""
    return _victim_verb_before(norm, s)


def assign_actors(doc, ctx, g, actors, kind, clause_of, own_region, country, Py_ssize_t first):
    """actors.assign_actors."""
    cdef Py_ssize_t lo, hi, i, xs0, s0, n1, ft
    cdef list act, kt, before, after, vics, rest
    cdef dict names, between_before, agent_before, targeted
    if not actors:
        return None, None
    lo, hi = own_region
    offsets = _cx(ctx, _CX_OFFSETS, "_orig_starts")
    act = _within(offsets, actors, lo, hi)
    if not act:
        return None, None
    cdef str norm = doc.norm
    cdef list starts = _cx(ctx, _CX_TOKS, "tok_starts")
    names, agent_before = _cx(ctx, _CX_NAMES, "actor_names"), _cx(ctx, _CX_AGENT, "agent_before")
    targeted = _cx(ctx, _CX_TARGETED, "targeted")
    if kind in _BATTLE:
        # "اشتباكات بين X و Y": the two sides
        between_before = _cx(ctx, _CX_BETWEEN_BEFORE, "between_before")
        for i, x in enumerate(act):
            if _marked(between_before, norm, BETWEEN, _nstart(offsets, x), 8, BETWEEN_W, BETWEEN_ENDS):
                for y in act[i + 1:]:
                    if _name(names, y, None) != _name(names, x, None):
                        return x, y
    agent = victim = None
    blamed = None
    for x in act:
        if _data(x).get("blamed"):
            blamed = x
            break
    kt = [t for t in g if _data(t)["kind"] in _KILL_WOUND]
    died = None
    if kt:
        for x in act:
            xs0 = _nstart(offsets, x)
            s0 = _ntok(starts, xs0)
            for t in kt:
                n1 = _data(t)["n1"]
                if not 0 <= s0 - _ntok(starts, n1) <= 4:
                    continue
                between = norm[n1:xs0]
                if kind not in _KILL_WOUND and _data(t).get("pos") != "n" and not _number_in(between):
                    continue
                if _cued(between, CAUSE_WORDS, CAUSE):
                    continue
                if not _marked(agent_before, norm, AGENT_BEFORE, xs0, 14, AGENT_W, AGENT_ENDS):
                    victim = died = x
                    break
            if victim is not None:
                break
    loser = None
    if kind == "territory":
        for x in act:
            if _marked(_cx(ctx, _CX_LOSER_BEFORE, "loser_before"), norm, LOSER_BEFORE, _nstart(offsets, x), 16,
                       LOSER_W, LOSER_ENDS):
                victim = loser = x
                break
    if blamed is not None and blamed is not victim:
        agent = blamed
    if agent is None:   # passive agent: "من قبل X" / "على يد X"
        for x in act:
            if x is not victim and _marked(agent_before, norm, AGENT_BEFORE, _nstart(offsets, x), 14, AGENT_W, AGENT_ENDS):
                agent = x
                break
    if victim is None:   # the attacked: subject of تعرض / object of استهدف
        for x in act:
            if _attacked(ctx, norm, offsets, x):
                if x is not agent:
                    victim = x
                    break
    if agent is None:
        before = [x for x in act if _nend(offsets, x) <= first and x is not victim and not _is_victim(x)]
        after = [x for x in act if _nstart(offsets, x) >= first and x is not victim and not _is_victim(x)
                 and not _targeted_in(targeted, norm, _nstart(offsets, x))]
        if after and _ntok(starts, _nstart(offsets, after[0])) - _ntok(starts, first) <= 3:
            agent = after[0]
        elif before:
            agent = before[-1]
        elif after:
            agent = after[0]
    if victim is not None and agent is not None and _same_side(_name(names, victim, country),
                                                               _name(names, agent, country)):
        if died is victim and _nstart(offsets, agent) > _nstart(offsets, victim):
            agent = None
        else:
            victim = None
    if victim is None:
        vics = [x for x in act if _is_victim(x) and x is not agent]
        if vics:
            victim = vics[0]
        else:
            rest = [x for x in act if x is not agent
                    and (agent is None or not _same_side(_name(names, x, country), _name(names, agent, country)))]
            # (sort by "not targeted", stable: the first targeted one, else the first)
            ft = -1
            for i, x in enumerate(rest):
                if _targeted_in(targeted, norm, _nstart(offsets, x)) and ft < 0:
                    ft = i
            if rest:
                victim = rest[ft if ft >= 0 else 0]
    if agent is None and victim is not None and not _is_victim(victim) and kind in _BATTLE \
            and victim is not loser:
        agent, victim = victim, None
    if agent is not None and _is_victim(agent) and victim is not None and not _is_victim(victim):
        agent, victim = victim, agent
    if kind == "agree":
        return agent, victim
    return _first_conjuncts(ctx, norm, offsets, names, act, agent, victim, country)


cdef list _by_start(list xs):
    """sorted(xs, key=start): a copy of the list where it is already in order (most layers are:
    a stable sort keeps that order), else sorted."""
    cdef Py_ssize_t prev = PTRDIFF_MIN, st
    for x in xs:
        st = _start(x)
        if st < prev:
            return sorted(xs, key=_START)
        prev = st
    return list(xs)


cdef list _by_nstart(offsets, list xs):
    """sorted(xs, key=Ctx.nstart): a copy where the list is already in that order, else sorted."""
    cdef Py_ssize_t prev = PTRDIFF_MIN, n
    for x in xs:
        n = _nstart(offsets, x)
        if n < prev:
            return sorted(xs, key=lambda x: _nstart(offsets, x))
        prev = n
    return list(xs)


cdef tuple _first_conjuncts(ctx, str norm, offsets, dict names, list act, agent, victim, country):
    """actors._first_conjuncts."""
    cdef dict head
    cdef list order, rest
    key = tuple([PyLong_FromVoidPtr(<void *>x) for x in act])   # (id(x) of each, no map and builtin calls)
    head = _cx(ctx, _CX_CONJUNCT_HEADS, "conjunct_heads").get(key)
    if head is None:
        head = _cx(ctx, _CX_CONJUNCT_HEADS, "conjunct_heads")[key] = {}
        prev = None
        order = _by_nstart(offsets, act)
        for x in order:
            joined = prev is not None and AND.fullmatch(norm, _nend(offsets, prev), _nstart(offsets, x))
            head[id(x)] = head[id(prev)] if joined else x
            prev = x
    if agent is not None and victim is not None and head[id(agent)] is head[id(victim)]:
        ha = head[id(agent)]
        rest = [x for x in act if head[id(x)] is not ha and head[id(x)] is x
                and not _same_side(_name(names, x, country), _name(names, agent, country))]
        victim = rest[0] if rest else None
    return (head[id(agent)] if agent is not None else None), (head[id(victim)] if victim is not None else None)


# the helpers the other code of the step asks (build.py, roles.py, split.py, context.py), as
# their Python twins

def actor_out_in(ctx, sp, country):
    """actors.actor_out_in."""
    if sp is None:
        return None, None
    _name(_cx(ctx, _CX_NAMES, "actor_names"), sp, country)
    return (<dict>_cx(ctx, _CX_NAMES, "actor_names"))[(id(sp), country)]


def agent_marked(ctx, Py_ssize_t s):
    """actors.agent_marked."""
    return _marked(_cx(ctx, _CX_AGENT, "agent_before"), _cx(ctx, _CX_DOC, "doc").norm, AGENT_BEFORE, s, 14, AGENT_W,
                   AGENT_ENDS)


def between_marked(ctx, Py_ssize_t s):
    """actors.between_marked."""
    return _marked(_cx(ctx, _CX_BETWEEN_BEFORE, "between_before"), _cx(ctx, _CX_DOC, "doc").norm, BETWEEN, s, 8,
                   BETWEEN_W, BETWEEN_ENDS)


def loser_marked(ctx, Py_ssize_t s):
    """actors.loser_marked."""
    return _marked(_cx(ctx, _CX_LOSER_BEFORE, "loser_before"), _cx(ctx, _CX_DOC, "doc").norm, LOSER_BEFORE, s, 16,
                   LOSER_W, LOSER_ENDS)


def targeted_in(ctx, Py_ssize_t s):
    """actors.targeted_in."""
    return _targeted_in(_cx(ctx, _CX_TARGETED, "targeted"), _cx(ctx, _CX_DOC, "doc").norm, s)


def same_side(a, b):
    """actors.same_side."""
    return _same_side(a, b)


def usable_place(p):
    """places.usable_place."""
    return _usable_place(p)


def landmark(doc, ctx, p):
    """places.landmark."""
    return _landmark(ctx, doc.norm, _cx(ctx, _CX_OFFSETS, "_orig_starts"), p)


# -- the place ---------------------------------------------------------------------------------

cdef bint _usable_place(p):
    """places.usable_place."""
    cdef dict d = _data(p)
    if not d.get("resolved", True) or d.get("latitude") is None or d.get("context"):
        return False
    return d.get("score") is None or float(d["score"]) >= MIN_PLACE_SCORE


cdef list _usable_places(ctx, si):
    """Ctx.usable_places (the same cache)."""
    cdef dict cache = _cx(ctx, _CX_USABLE, "_usable")
    got = cache.get(si)
    if got is None:
        ps = (<dict>_cx(ctx, _CX_BY_SENT, "by_sent")["places"]).get(si, [])
        got = cache[si] = [p for p in ps if _usable_place(p)] if ps else []
    return got


cdef bint _landmark(ctx, str norm, offsets, p):
    """places.landmark (the same cache)."""
    cdef dict known = _cx(ctx, _CX_LANDMARKS, "landmarks")
    cdef Py_ssize_t n0, lo
    key = id(p)
    got = known.get(key)
    if got is None:
        n0 = _nstart(offsets, p)
        lo = max(0, n0 - 40)
        # (the same three searches, each tried only where its words are, read in the range itself:
        # the bearing's in the last word before the place, the origin's after "من")
        got = known[key] = bool(
            (_bearing_last(norm, lo, n0) and _holds_in(norm, lo, n0, BEARING_W) and BEARING.search(norm, lo, n0))
            or (_holds_in(norm, lo, n0, OFFICE_W) and OFFICE.search(norm[lo:n0]) is not None)
            or (_ends_in(norm, lo, n0, ORIGIN_ENDS) and _holds_in(norm, lo, n0, ORIGIN_W)
                and ORIGIN.search(norm[lo:n0]) is not None))
    return got


cdef bint _bearing_last(str norm, Py_ssize_t lo, Py_ssize_t hi) except -1:
    """What each match of places._BEARING in norm[lo:hi] holds: spaces at its end, and a last word
    before them that is one of BEARING_LAST ("من"، "مدينه"، "العاصمه") or holds a bearing word."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(norm), e, t0
    cdef int kind = PyUnicode_KIND(norm)
    cdef void *data = PyUnicode_DATA(norm)
    if hi > n:
        hi = n
    if hi <= lo or not Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, hi - 1)):
        return False
    e = hi
    while e > lo and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, e - 1)):
        e -= 1
    t0 = e
    while t0 > lo and not Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, t0 - 1)):
        t0 -= 1
    if t0 == e:
        return False
    for w in BEARING_LAST:
        if PyUnicode_GET_LENGTH(w) == e - t0 and PyUnicode_Tailmatch(norm, w, t0, e, 1) == 1:
            return True
    return _holds_in(norm, t0, e, BEARING_W)


def bearing_last(str norm not None, Py_ssize_t lo, Py_ssize_t hi):
    """_bearing_last (for the tests)."""
    return _bearing_last(norm, lo, hi)


cdef _scene_not_landmark(ctx, str norm, offsets, list starts, si, p, Py_ssize_t nfirst):
    """places._scene_not_landmark."""
    cdef dict d, qd
    cdef set in_actor
    cdef Py_ssize_t tf, dist, bestd = 0
    if not _landmark(ctx, norm, offsets, p):
        return p
    d = _data(p)
    in_actor = _cx(ctx, _CX_IN_ACTOR, "in_actor")
    cc, a1 = d.get("country_code"), d.get("admin1_code")
    tf = _ntok(starts, nfirst)
    best = None
    for q in _usable_places(ctx, si):
        qd = _data(q)
        if q is not p and id(q) not in in_actor and qd.get("country_code") == cc and qd.get("admin1_code") \
                and qd.get("admin1_code") != a1 and not _landmark(ctx, norm, offsets, q):
            dist = abs(_ntok(starts, _nstart(offsets, q)) - tf)
            if best is None or dist < bestd:
                best, bestd = q, dist
    return p if best is None else best


cdef inline Py_ssize_t _specificity(p):
    return SPECIFICITY.get(_data(p).get("feature", ""), 2)


def place_of(doc, ctx, si, start, end, Py_ssize_t nfirst, region=None):
    """places.place_of."""
    cdef list own, usable, cands, weak, mine
    cdef set in_actor = _cx(ctx, _CX_IN_ACTOR, "in_actor")
    cdef Py_ssize_t rlo = 0, rhi = 0, n, tf
    cdef double sc, bestsc = 0.0
    cdef dict d, admins
    cdef str norm = doc.norm
    cdef list starts = _cx(ctx, _CX_TOKS, "tok_starts")
    offsets = _cx(ctx, _CX_OFFSETS, "_orig_starts")
    usable = _usable_places(ctx, si)
    own = []
    if region is not None:
        rlo, rhi = region
        for p in usable:
            if _data(p).get("feature") != "country":
                n = _nstart(offsets, p)
                if rlo <= n < rhi:
                    own.append(p)
    if not own:
        try:
            p = _event_place(ctx, si, start, end)
            if p is not None and id(p) in in_actor:
                p = None
            if p is not None:
                d = _data(p)
                if not (d.get("resolved") and d.get("score") is not None and float(d["score"]) < MIN_PLACE_SCORE):
                    mine = []
                    if region is not None:
                        for c in usable:
                            if _data(c).get("feature") == "country":
                                n = _nstart(offsets, c)
                                if rlo <= n < rhi:
                                    mine.append(c)
                    if mine:
                        n = _nstart(offsets, p)
                        if not (rlo <= n < rhi):
                            return mine[0]
                    return _scene_not_landmark(ctx, norm, offsets, starts, si, p, nfirst)
        except Exception:  # noqa: BLE001 - as places.place_of
            log.exception("events: the place next to the trigger could not be read; the sentence's other places are tried")
    cands = [p for p in usable if id(p) not in in_actor]
    if region is not None:
        own = []
        for p in cands:
            n = _nstart(offsets, p)
            if rlo <= n < rhi:
                own.append(p)
        cands = own or cands
    country = _cx(ctx, _CX_COUNTRY, "country")
    if cands:
        admins = {}
        for p in cands:
            a1 = _data(p).get("admin1_code")
            if a1:
                admins[a1] = admins.get(a1, 0) + 1
        tf = _ntok(starts, nfirst)
        best = None
        for p in cands:
            d = _data(p)
            sc = float(d.get("score") or 0) / 10 + _specificity(p) * 0.4
            if country and d.get("country_code") != country:
                sc -= 3.0
            a1 = d.get("admin1_code")
            if a1 and admins[a1] > 1:
                sc += 1.0
            sc -= abs(_ntok(starts, _nstart(offsets, p)) - tf) * 0.05
            if best is None or sc > bestsc:
                best, bestsc = p, sc
        if not (country and _data(best).get("country_code") != country
                and _cx(ctx, _CX_PASSAGE_PLACE, "passage_place") is not None):
            return best
    if _cx(ctx, _CX_PASSAGE_PLACE, "passage_place") or _cx(ctx, _CX_DOC_PLACE, "doc_place"):
        return _cx(ctx, _CX_PASSAGE_PLACE, "passage_place") or _cx(ctx, _CX_DOC_PLACE, "doc_place")
    weak = [p for p in (<dict>_cx(ctx, _CX_BY_SENT, "by_sent")["places"]).get(si, []) if id(p) not in in_actor
            and _data(p).get("resolved", True) and not _data(p).get("context")
            and _data(p).get("latitude") is not None
            and float(_data(p).get("score") or 0) >= MIN_FALLBACK_SCORE]
    best = None
    for p in weak:
        sc = float(_data(p).get("score") or 0)
        if best is None or sc > bestsc:
            best, bestsc = p, sc
    return best


# -- places.attach's place for an incident's stretch ------------------------------------------

cdef _event_place(ctx, sent, start, end):
    """Ctx.event_place (the same cache), with attach.place_for_event below."""
    cdef dict cache = _cx(ctx, _CX_EVENT_PLACES, "_event_places")
    key = (sent, start, end)
    if key not in cache:
        cache[key] = _place_for_event(_cx(ctx, _CX_DOC, "doc"), sent, start, end, _cx(ctx, _CX_PLACE_INDEX, "place_index"))
    return cache[key]


cdef inline Py_ssize_t _rank(s):
    """attach._rank."""
    cdef dict d = _data(s)
    return <Py_ssize_t>SPECIFIC.get(d.get("feature", ""), 3) + (1 if d.get("geo_precision") == 2 else 0)


cdef inline Py_ssize_t _distance(s, Py_ssize_t start, Py_ssize_t end):
    """attach._distance."""
    cdef Py_ssize_t s0 = _field(s, _SP_START, "start"), s1 = _field(s, _SP_END, "end")
    if s1 <= start:
        return start - s1
    if s0 >= end:
        return s0 - end
    return 0


cdef _best(list ranked, Py_ssize_t start, Py_ssize_t end):
    """attach._best: the lowest (rank, distance), the first of equals."""
    cdef Py_ssize_t r, dist, br = 0, bd = 0
    best = None
    for rs in ranked:
        r = (<tuple>rs)[0]
        s = (<tuple>rs)[1]
        dist = _distance(s, start, end)
        if best is None or r < br or (r == br and dist < bd):
            best, br, bd = s, r, dist
    return best


cdef list _index_here(index, sent):
    """PlaceIndex.here (its cache), a miss read here from the Doc's sentence index as
    Doc.in_sentence reads it (two Python frames per sentence before); the index made by
    in_sentence itself when it is missing or stale."""
    cdef dict cache = index._here
    cdef list got = cache.get(sent)
    cdef tuple idx
    if got is None:
        doc = index.doc
        spans = (<dict>doc.layers).get("places")
        if not spans:
            got = []
        else:
            idx = (<dict>doc._by_sent).get("places")
            if idx is None or idx[0] is not spans or idx[1] != len(spans):
                got = doc.in_sentence("places", sent)
            else:
                got = list((<dict>idx[2]).get(sent, ()))
        cache[sent] = got
    return got


def index_here(index, sent):
    """_index_here (for the tests: the same as PlaceIndex.here)."""
    return _index_here(index, sent)

cdef _best_own(doc, list ranked, Py_ssize_t start, Py_ssize_t end):
    """attach._best_own: the sentence's best, unless another governorate's than the best of the
    places inside [start, end) (no country, no destination nor title): then that one."""
    cdef Py_ssize_t b0
    best = _best(ranked, start, end)
    if best is None:
        return best
    b0 = _field(best, _SP_START, "start")
    if start <= b0 < end:
        return best
    own = _best([rs for rs in ranked if (<tuple>rs)[0] < COUNTRY_RANK and start <= (<tuple>rs)[1].start < end
                 and not destination(doc, (<tuple>rs)[1])], start, end)
    if own is None or same_unit(own, best):
        return best
    return own


cdef list _index_usable(index, sent):
    """PlaceIndex.usable (its cache), the sentence's list made here on a miss: (attach._rank,
    span) of the places attach._usable keeps, in layer order (a Python frame per place before)."""
    cdef dict cache = index._usable, d
    cdef list got = cache.get(sent), here
    if got is None:
        here = _index_here(index, sent)
        got = []
        for s in here:
            d = _data(s)
            if d.get("resolved") and not d.get("demonym") and not d.get("context"):
                got.append((_rank(s), s))
        cache[sent] = got
    return got


def index_usable(index, sent):
    """_index_usable (for the tests: the same as PlaceIndex.usable)."""
    return _index_usable(index, sent)


cdef tuple MAIN_RANKS = (2, 4, 5), MAIN_RANKS_IN = (2, 4)   # attach.main_place's


cdef _main_place(doc, country):
    """attach.main_place: its spans' tests here, where each was a Python frame (_usable, _rank)
    and the counts a Counter; the same span (the most counted place_id, then the earliest start,
    the first of equals)."""
    cdef list spans = [], cand
    cdef dict d, counts
    cdef Py_ssize_t n, bn = 0, st, bst = 0
    for s in (<dict>doc.layers).get("places", ()):
        d = _data(s)
        if d.get("resolved") and not d.get("demonym") and not d.get("context") \
                and (country is None or d.get("country_code") == country):
            spans.append(s)
    if not spans:
        return None
    for maxrank in (MAIN_RANKS_IN if country else MAIN_RANKS):
        cand = [s for s in spans if _rank(s) <= <Py_ssize_t>maxrank]
        if cand:
            counts = {}
            for s in cand:
                pid = _data(s).get("place_id")
                counts[pid] = counts.get(pid, 0) + 1
            best = None
            for s in cand:
                n = counts[_data(s).get("place_id")]
                st = _start(s)
                if best is None or n > bn or (n == bn and st < bst):
                    best, bn, bst = s, n, st
            return best
    return None if country else spans[0]


def main_place(doc, country=None):
    """_main_place (for the tests: the same as attach.main_place)."""
    return _main_place(doc, country)


cdef _index_main(index):
    """PlaceIndex.main (its cache), a miss made by _main_place."""
    got = index._main
    if got is None:
        got = index._main = (_main_place(index.doc, None),)
    return (<tuple>got)[0]


cdef _index_main_in(index, country):
    """PlaceIndex.main_in (its cache), a miss made by _main_place."""
    cdef dict cache = index._main_in
    got = cache.get(country, cache)
    if got is cache:
        got = cache[country] = _main_place(index.doc, country)
    return got


def place_for_event(doc, sent, Py_ssize_t start, Py_ssize_t end, index):
    """attach.place_for_event with the report's PlaceIndex (for the tests)."""
    return _place_for_event(doc, sent, start, end, index)


cdef _place_for_event(doc, sent, Py_ssize_t start, Py_ssize_t end, index):
    """attach.place_for_event with the report's PlaceIndex."""
    cdef list here, usable, unknown, inside
    cdef Py_ssize_t rb = 99, dist, bd = 0
    cdef bint cued
    here = _index_here(index, sent)
    usable = _index_usable(index, sent)
    best = _best_own(doc, usable, start, end)
    if best is not None:
        rb = _rank(best)
    unknown = [s for s in here if not _data(s).get("resolved")
               and (_data(s).get("source") != "ner" or best is None or rb > 1)]
    if unknown:
        u = None
        for s in unknown:
            dist = _distance(s, start, end)
            if u is None or dist < bd:
                u, bd = s, dist
        if best is None or rb > 1 or bd < _distance(best, start, end):
            ud = _data(u)
            cued = ud.get("feature", "place") != "place"
            near = None
            for r, x in usable:
                if r <= 4 or cued:
                    dist = _distance(x, _field(u, _SP_START, "start"), _field(u, _SP_END, "end"))
                    if near is None or dist < bd:
                        near, bd = x, dist
            if near is not None and _data(near).get("feature") == "country":
                cc = _data(near).get("country_code")
                inside = [x for r, x in usable if r <= 4 and _data(x).get("country_code") == cc]
                if inside:
                    near = None
                    for x in inside:
                        dist = _distance(x, _field(u, _SP_START, "start"), _field(u, _SP_END, "end"))
                        if near is None or dist < bd:
                            near, bd = x, dist
                else:
                    near = _index_main_in(index, cc) or near
            parent = near or _passage_place(index, sent, start)
            if parent is None and ud.get("source") != "ner":
                parent = _index_main(index) or best
            if parent is not None:
                return with_parent(u, parent)
    if best is not None and rb <= 2:
        return best
    earlier = _passage_place(index, sent, start)
    if earlier is not None and (best is None or inside_of(earlier, best)) and _rank(earlier) < (rb if best is not None else 9):
        return earlier
    if best is not None:
        return best
    return _index_main(index)


cdef _passage_place(index, sent, Py_ssize_t start):
    """attach._passage_place."""
    cdef Py_ssize_t k, sn = sent
    bound = None
    for k in range(sn - 1, max(-1, sn - 1 - PASSAGE), -1):
        b = _best(_index_usable(index, k), start, start)
        if b is None:
            continue
        if _rank(b) <= 2:
            if bound is None or inside_of(b, bound):
                return b
            break
        if bound is None:
            bound = b
    if bound is not None and _data(bound).get("feature") != "country":
        return bound
    return None


# -- the role model's pair (roles.py) ------------------------------------------------------------

cdef tuple THEN_SUFFERED = ()
cdef tuple SIDE_CLITICS = ()


def bind_roles(roles):
    """Read what roles.py holds (its end)."""
    global THEN_SUFFERED, SIDE_CLITICS
    THEN_SUFFERED, SIDE_CLITICS = tuple(roles._THEN_SUFFERED), tuple(roles._CLITICS)


cdef str _side_bucket(Py_ssize_t x):
    """roles._bucket(x, (2, 4, 9), ("0-1", "2-3", "4-8", "9+"))."""
    if x < 2:
        return "0-1"
    if x < 4:
        return "2-3"
    if x < 9:
        return "4-8"
    return "9+"


cdef dict _side_words(ctx, str norm, list tokens, x, str slot, Py_ssize_t s, Py_ssize_t e):
    """roles._side_words."""
    cdef dict f = {}
    cdef dict d = _data(x)
    cdef Py_ssize_t k
    before = norm[max(0, s - 14):s]
    if slot.endswith("v:") and _marked(_cx(ctx, _CX_AGENT, "agent_before"), norm, AGENT_BEFORE, s, 14, AGENT_W, AGENT_ENDS):
        f[slot + "agent_marker"] = 1.0
    if _victim_verb_before(norm, s):
        f[slot + "victim_verb"] = 1.0
    if _marked(_cx(ctx, _CX_LOSER_BEFORE, "loser_before"), norm, LOSER_BEFORE, s, 16, LOSER_W, LOSER_ENDS):
        f[slot + "loser_marker"] = 1.0
    if _targeted_in(_cx(ctx, _CX_TARGETED, "targeted"), norm, s):
        f[slot + "targeted"] = 1.0
    if _cued(before, CAUSE_WORDS, CAUSE):
        f[slot + "cause_before"] = 1.0
    if _number_in(norm[max(0, s - 12):s]):
        f[slot + "count_before"] = 1.0
    if d.get("blamed"):
        f[slot + "blamed"] = 1.0
    if _is_victim(x):
        f[slot + "victim_category"] = 1.0
    k = _ntok(_cx(ctx, _CX_TOKS, "tok_starts"), s)
    if k > 0:
        tok = tokens[k - 1]
        if tok.sent == x.sent:
            f[slot + "word_before:" + tok.norm] = 1.0
    head = norm[s:s + 1]
    if head in SIDE_CLITICS:
        f[slot + "clitic:" + head] = 1.0
    if norm[e:e + 8].lstrip().startswith(THEN_SUFFERED):
        f[slot + "then_suffered"] = 1.0
    return f


cdef dict _side_features(ctx, str norm, list tokens, offsets, ev, x, str slot):
    """roles.side_features."""
    cdef Py_ssize_t s, e, dist
    cdef dict f
    if x is None:
        return {slot + "none": 1.0}
    d = _data(x)
    s, e = _nstart(offsets, x), _nend(offsets, x)
    f = {slot + "inter:" + str(d.get("inter")): 1.0, slot + "kind:" + str(d.get("kind")): 1.0}
    if _field(x, _SP_SENT, "sent") == _inc(ev, _IN_SENT, "sent"):
        starts = _cx(ctx, _CX_TOKS, "tok_starts")
        dist = _ntok(starts, s) - _ntok(starts, _inc(ev, _IN_FIRST, "first"))
        f[slot + ("after" if dist >= 0 else "before") + _side_bucket(abs(dist))] = 1.0
    else:
        f[slot + "other_sentence"] = 1.0
    cdef dict known = _cx(ctx, _CX_SIDE_WORDS, "side_words")
    key = (id(x), slot)
    tail = known.get(key)
    if tail is None:
        tail = known[key] = _side_words(ctx, norm, tokens, x, slot, s, e)
    f.update(tail)
    return f


def pair_features(doc, ctx, ev):
    """roles.pair_features."""
    cdef dict fields = _inc(ev, _IN_FIELDS, "fields"), f
    agent, victim = _inc(ev, _IN_AGENT, "agent"), _inc(ev, _IN_VICTIM, "victim")
    et = fields["event_type"]
    if victim is None or et == "Protests" or et == "Riots" or (agent is None and fields.get("actor1")):
        return {}
    cdef str norm = doc.norm
    offsets = _cx(ctx, _CX_OFFSETS, "_orig_starts")
    if agent is not None and (_data(agent).get("blamed")
                              or _marked(_cx(ctx, _CX_AGENT, "agent_before"), norm, AGENT_BEFORE, _nstart(offsets, agent), 14, AGENT_W, AGENT_ENDS)):
        return {}
    cdef list tokens = doc.tokens
    f = {"ro:bias": 1.0, "ro:kind:" + _inc(ev, _IN_KIND, "kind"): 1.0}
    f.update(_side_features(ctx, norm, tokens, offsets, ev, agent, "ro:a:"))
    f.update(_side_features(ctx, norm, tokens, offsets, ev, victim, "ro:v:"))
    if agent is not None:   # (victim is not None here)
        f["ro:order:" + ("agent_first" if _nstart(offsets, agent) < _nstart(offsets, victim) else "victim_first")] = 1.0
    return f


# -- the place model's choice (arguments.py) -----------------------------------------------------

cdef frozenset PREPS = frozenset()
cdef tuple PLACE_CLITICS = ()
cdef object NO = 0, LOW = 1, YES = 2


def bind_arguments(arguments):
    """Read what arguments.py holds (its end)."""
    global PREPS, PLACE_CLITICS, NO, LOW, YES
    PREPS, PLACE_CLITICS = frozenset(arguments._PREPS), tuple(arguments._CLITICS)
    NO, LOW, YES = arguments._NO, arguments._LOW, arguments._YES


cdef object _option_kind(set in_actor, p):
    """arguments._option_kind."""
    cdef dict d = _data(p)
    if id(p) in in_actor or not d.get("resolved", True) or d.get("latitude") is None \
            or not d.get("country_code") or d.get("context"):
        return NO
    return LOW if float(d.get("score") or 0) < MIN_FALLBACK_SCORE else YES


cdef list _options(ctx, ev):
    """arguments.options (the same cache of each place's kind)."""
    cdef list out = []
    cdef set seen = set()
    cdef set in_actor = _cx(ctx, _CX_IN_ACTOR, "in_actor")
    cdef dict known = _cx(ctx, _CX_OPTION_KINDS, "place_option_kinds")
    chosen = _inc(ev, _IN_PLACE_SPAN, "place_span")
    here = (<dict>_cx(ctx, _CX_BY_SENT, "by_sent")["places"]).get(_inc(ev, _IN_SENT, "sent"), [])
    for p in [chosen] + list(here) + [_cx(ctx, _CX_PASSAGE_PLACE, "passage_place"), _cx(ctx, _CX_DOC_PLACE, "doc_place")]:
        if p is None:
            continue
        key = id(p)
        if key in seen:
            continue
        ok = known.get(key)
        if ok is None:
            ok = known[key] = _option_kind(in_actor, p)
        if ok == NO or (ok == LOW and p is not chosen):
            continue
        seen.add(key)
        out.append(p)
    return out


cdef inline double _w(dict weights, str key):
    """weights.get(key, 0.0) as a double."""
    got = weights.get(key)
    return 0.0 if got is None else <double>got


cdef str _bucket(double x, double a, double b, double c, tuple labels):
    """arguments._bucket(x, (a, b, c), labels): the label of the first bound x is below."""
    if x < a:
        return labels[0]
    if x < b:
        return labels[1]
    if x < c:
        return labels[2]
    return labels[3]


cdef tuple _place_terms(ctx, str norm, list tokens, offsets, dict weights, p, dict counts):
    """The weighted terms of arguments._place_parts' keys (each key's weight times its value), in
    their order: (head, local, tail), kept per place of the report (ctx.place_weights)."""
    cdef dict d = _data(p)
    cdef Py_ssize_t n0, k
    cdef double spec = <double>_specificity(p)
    head = (_w(weights, "pl:feat:" + str(d.get("feature"))) * 1.0, _w(weights, "pl:spec") * (spec / 5.0))
    local = []
    n0 = _nstart(offsets, p)
    k = _ntok(_cx(ctx, _CX_TOKS, "tok_starts"), n0)
    if k > 0:
        tok = tokens[k - 1]
        if tok.sent == p.sent:
            w = tok.norm
            if w in PREPS:
                local.append(_w(weights, "pl:before:" + w) * 1.0)
    c = norm[n0:n0 + 1]
    if c in PLACE_CLITICS:
        local.append(_w(weights, "pl:clitic:" + c) * 1.0)
    tail = [_w(weights, "pl:score:" + _bucket(float(d.get("score") or 0), 7, 15, 25, ("<7", "7-15", "15-25", "25+"))) * 1.0]
    country = _cx(ctx, _CX_COUNTRY, "country")
    if country:
        tail.append(_w(weights, "pl:main_country" if d.get("country_code") == country else "pl:abroad") * 1.0)
    if id(p) in _cx(ctx, _CX_NEIGHBOURS, "neighbours"):
        tail.append(_w(weights, "pl:neighbour") * 1.0)
    n = counts.get(d.get("location") or p.label, 0)
    tail.append(_w(weights, "pl:mentions:" + _bucket(n, 2, 3, 5, ("1", "2", "3-4", "5+"))) * 1.0)
    return head, tuple(local), tuple(tail)


cdef double _option_score(ctx, str norm, list tokens, offsets, dict weights, ev, p, dict counts) except? -1.0:
    """linear.dot(weights, arguments.option_features(...)): the same terms added in the same order
    from 0.0 (each key of the features is set once, each value 1.0 but the specificity's)."""
    cdef dict known = _cx(ctx, _CX_PLACE_WEIGHTS, "place_weights")
    cdef double s = 0.0
    cdef Py_ssize_t n0, dist, lo, hi
    key = id(p)
    terms = known.get(key)
    if terms is None:
        terms = known[key] = _place_terms(ctx, norm, tokens, offsets, weights, p, counts)
    s += _w(weights, "pl:bias") * 1.0
    if p is _inc(ev, _IN_PLACE_SPAN, "place_span"):
        s += _w(weights, "pl:rule") * 1.0
    for t in <tuple>(<tuple>terms)[0]:
        s += <double>t
    if _field(p, _SP_SENT, "sent") == _inc(ev, _IN_SENT, "sent"):
        n0 = _nstart(offsets, p)
        starts = _cx(ctx, _CX_TOKS, "tok_starts")
        dist = _ntok(starts, n0) - _ntok(starts, _inc(ev, _IN_FIRST, "first"))
        s += _w(weights, "pl:dist:" + ("after" if dist >= 0 else "before") + _bucket(abs(dist), 4, 9, 16, ("0-3", "4-8", "9-15", "16+"))) * 1.0
        region = _inc(ev, _IN_REGION, "region")
        lo, hi = region if region else (0, 0)
        if lo <= n0 < hi:
            s += _w(weights, "pl:region") * 1.0
        for t in <tuple>(<tuple>terms)[1]:
            s += <double>t
    else:
        s += _w(weights, "pl:src:" + ("passage" if p is _cx(ctx, _CX_PASSAGE_PLACE, "passage_place")
                                      else "doc" if p is _cx(ctx, _CX_DOC_PLACE, "doc_place") else "other")) * 1.0
    for t in <tuple>(<tuple>terms)[2]:
        s += <double>t
    return s


cdef inline bint _same_where(dict a, dict b):
    """arguments._where(p) == _where(q): the same country and governorate."""
    return a.get("country_code") == b.get("country_code") and a.get("admin1_code") == b.get("admin1_code")


def chosen_place(doc, ctx, ev, weights):
    """arguments.chosen_place: its options' scores summed in C, no feature dict built."""
    cdef list spans, others
    cdef double s0, sc, best_sc = 0.0
    if not weights:
        return None
    spans = _options(ctx, ev)
    if len(spans) < 2 or spans[0] is not _inc(ev, _IN_PLACE_SPAN, "place_span"):
        return None
    own = spans[0]
    cdef dict od = _data(own)
    others = []
    for p in spans[1:]:
        if not _same_where(_data(p), od):
            others.append(p)
    if not others:
        return None
    cdef dict counts = ctx.place_counts()
    cdef str norm = doc.norm
    cdef list tokens = doc.tokens
    offsets = _cx(ctx, _CX_OFFSETS, "_orig_starts")
    s0 = _option_score(ctx, norm, tokens, offsets, weights, ev, own, counts)
    best = None
    for p in others:   # (max: the first of the best)
        sc = _option_score(ctx, norm, tokens, offsets, weights, ev, p, counts)
        if best is None or sc > best_sc:
            best, best_sc = p, sc
    return best if best_sc > s0 else None


def place_option_score(doc, ctx, ev, dict weights, p):
    """linear.dot(weights, arguments.option_features(...)) of one option, as chosen_place sums it
    (for the tests; ctx.place_weights holds the terms of one weights dict)."""
    return _option_score(ctx, doc.norm, doc.tokens, _cx(ctx, _CX_OFFSETS, "_orig_starts"), weights, ev, p, ctx.place_counts())


# -- the actor spans that name no party (context.py) ---------------------------------------------

cdef object BLAME_BEFORE, SAYS_BEFORE, SAYS_AFTER, SAYS_AFTER_NAMED, MEMBER_OF
cdef tuple BLAME_WORDS = (), SAYS_WORDS = (), NOT_MEMBERS = ()
cdef Words BLAME_W = None, SAYS_W = None
from operator import attrgetter as _attrgetter
cdef object _START = _attrgetter("start")


def bind_context(context):
    """Read what context.py holds (its end)."""
    global BLAME_BEFORE, SAYS_BEFORE, SAYS_AFTER, SAYS_AFTER_NAMED, MEMBER_OF, BLAME_WORDS, SAYS_WORDS, NOT_MEMBERS
    global BLAME_W, SAYS_W
    BLAME_BEFORE, SAYS_BEFORE = context._BLAME_BEFORE, context._SAYS_BEFORE
    SAYS_AFTER, SAYS_AFTER_NAMED, MEMBER_OF = context._SAYS_AFTER, context._SAYS_AFTER_NAMED, context._MEMBER_OF
    BLAME_WORDS, SAYS_WORDS = tuple(context._BLAME_WORDS), tuple(context._SAYS_WORDS)
    BLAME_W, SAYS_W = Words(BLAME_WORDS), Words(SAYS_WORDS)   # (their masks made once)
    NOT_MEMBERS = tuple(context._NOT_MEMBERS)


def mark_non_parties(doc, ctx):
    """context._mark_non_parties_py: the same marks in the same order (the word tests read in the
    text's range with their masks made once, the spans' fields from their slots)."""
    cdef str norm = doc.norm
    cdef list ordered, xs, starts = _cx(ctx, _CX_TOKS, "tok_starts")
    cdef Py_ssize_t i, n, xs0, xe0, w0, x0, x1
    cdef dict xd
    offsets = _cx(ctx, _CX_OFFSETS, "_orig_starts")
    srcs = doc.layer("sources")
    by_sent_sources = _cx(ctx, _CX_BY_SENT, "by_sent")["sources"]
    for si, xs_ in (<dict>_cx(ctx, _CX_BY_SENT, "by_sent")["actors"]).items():
        xs = xs_
        ordered = _by_start(xs)
        n = len(ordered)
        for i in range(n - 1):
            x, y = ordered[i], ordered[i + 1]
            xs0 = _nstart(offsets, x)
            w0 = max(0, xs0 - 12)
            if (_holds_in(norm, w0, xs0, BLAME_W) and BLAME_BEFORE.search(norm, w0, xs0)
                    and _ntok(starts, _nstart(offsets, y)) - _ntok(starts, _nend(offsets, x)) <= 1):
                _data(x)["not_party"] = "blames"
                _data(y)["blamed"] = True
        for x in xs:
            xd = _data(x)
            xs0 = _nstart(offsets, x)
            w0 = max(0, xs0 - 10)
            if _holds_in(norm, w0, xs0, SAYS_W) and SAYS_BEFORE.search(norm, w0, xs0):
                # (the end and the pattern after it asked only here: the same answer)
                xe0 = _nend(offsets, x)
                after = SAYS_AFTER_NAMED if xd.get("kind") == "state" else SAYS_AFTER
                if after.match(norm, xe0):
                    xd["not_party"] = "speaker"
        here = (<dict>by_sent_sources).get(si) if srcs else None
        if here:
            for x in xs:
                x0, x1 = _start(x), _end(x)
                for s in here:
                    if _start(s) <= x0 and x1 <= _end(s):
                        _data(x)["not_party"] = "source"
                        break
        for i in range(n - 1):
            x, y = ordered[i], ordered[i + 1]
            if _data(x).get("kind") != "unidentified" or _data(y).get("kind") in NOT_MEMBERS:
                continue
            gap = norm[_nend(offsets, x):_nstart(offsets, y)]
            if len(gap) < 30 and MEMBER_OF.match(gap):
                _data(x)["not_party"] = "member"


# -- the report's main country and the places that name no scene (context.py) -----------------

cdef object NEIGHBOUR_BEFORE, AND_ONLY
cdef tuple NEIGHBOUR_WORDS = ()
cdef Words NEIGHBOUR_W = None
cdef object SPEAKS = frozenset()


def bind_scenes(rules):
    """Read what context.py reads of rules.py."""
    global NEIGHBOUR_BEFORE, AND_ONLY, NEIGHBOUR_WORDS, NEIGHBOUR_W, SPEAKS
    NEIGHBOUR_BEFORE, AND_ONLY = rules.NEIGHBOUR_BEFORE, rules.AND_ONLY
    NEIGHBOUR_WORDS, SPEAKS = tuple(rules.NEIGHBOUR_WORDS), frozenset(rules.SPEAKS)
    NEIGHBOUR_W = Words(NEIGHBOUR_WORDS)


def main_country(doc):
    """context._main_country_py: the same votes added in the same order, the first of the most."""
    cdef dict votes = {}, d
    cdef double best_v = 0.0
    for p in doc.layer("places"):
        d = _data(p)
        if d.get("resolved", True):
            k = d.get("country_code")
            if k:
                votes[k] = votes.get(k, 0) + (1.0 + float(d.get("score") or 0) / 10)
    for x in doc.layer("actors"):
        k = _data(x).get("country")
        if k:
            votes[k] = votes.get(k, 0) + 0.5
    best = None
    for k, v in votes.items():
        if best is None or v > best_v:
            best, best_v = k, v
    return best


cdef Py_ssize_t *_bounds(list spans, Py_ssize_t *buf, Py_ssize_t *cap) except NULL:
    """Each span's (start, end) into buf (two a span; grown to hold them: cap is its size)."""
    cdef Py_ssize_t n = 2 * len(spans), i = 0
    cdef Py_ssize_t *got
    if n > cap[0] or buf == NULL:
        got = <Py_ssize_t *>PyMem_Realloc(buf, (n + 16) * sizeof(Py_ssize_t))
        if got == NULL:
            raise MemoryError()
        buf, cap[0] = got, n + 16
    for x in spans:
        buf[i], buf[i + 1] = _start(x), _end(x)
        i += 2
    return buf


def actor_places(doc, ctx, dict all_actors, set in_actor, set neighbours):
    """context._actor_places_py: the same places added to ``in_actor`` and ``neighbours`` (the
    sentence's actor and speech bounds read once, as C integers)."""
    cdef str norm = doc.norm
    cdef list ps, speech
    cdef Py_ssize_t n0, w0, ps0, pe0, i, nx, ns, xcap = 0, scap = 0
    cdef Py_ssize_t *xb = NULL
    cdef Py_ssize_t *sb = NULL
    cdef bint hit
    offsets = _cx(ctx, _CX_OFFSETS, "_orig_starts")
    cues = _cx(ctx, _CX_BY_SENT, "by_sent")["cues"]
    try:
        for si, ps_ in (<dict>_cx(ctx, _CX_BY_SENT, "by_sent")["places"]).items():
            ps = ps_
            xs = all_actors.get(si, ())
            if type(xs) is not list:
                xs = list(xs)
            nx = len(<list>xs)
            xb = _bounds(<list>xs, xb, &xcap)
            speech = []
            for c in (<dict>cues).get(si, []):
                if _data(c).get("cue") in SPEAKS:
                    speech.append(c)
            ns = len(speech)
            sb = _bounds(speech, sb, &scap)
            for p in ps:
                ps0, pe0 = _start(p), _end(p)
                hit = False
                for i in range(0, 2 * nx, 2):
                    if xb[i] <= ps0 and pe0 <= xb[i + 1]:
                        hit = True
                        break
                if not hit and ns and _data(p).get("feature") == "country":
                    for i in range(0, 2 * ns, 2):
                        if 0 <= ps0 - sb[i + 1] <= 2 or 0 <= sb[i] - pe0 <= 2:
                            hit = True
                            break
                if hit:
                    in_actor.add(PyLong_FromVoidPtr(<void *>p))
            prev = None
            for p in _by_start(ps):
                n0 = _nstart(offsets, p)
                w0 = max(0, n0 - 24)
                if (_holds_in(norm, w0, n0, NEIGHBOUR_W) and NEIGHBOUR_BEFORE.search(norm, w0, n0)) or (
                        prev is not None and PyLong_FromVoidPtr(<void *>prev) in in_actor
                        and AND_ONLY.match(norm[_nend(offsets, prev):n0])
                        and _data(prev).get("feature") == "country"):
                    in_actor.add(PyLong_FromVoidPtr(<void *>p))
                    neighbours.add(PyLong_FromVoidPtr(<void *>p))
                prev = p
    finally:
        PyMem_Free(xb)
        PyMem_Free(sb)



# -- a list's head word (split._head_before_py) ---------------------------------------------------

cdef inline bint _list_delim(Py_UCS4 c):
    # split._LIST_WORD's class, but whitespace (a literal: Cython tests it by a C switch, where
    # a test against a str variable looked each character up by a call)
    return c in ",،.:;؛!?()[]\"«»“”'" or Py_UNICODE_ISSPACE(c)


def head_before(heads, str text, Py_ssize_t lo, Py_ssize_t n0, Py_ssize_t s1):
    """head_before_c (for split.py and the tests)."""
    return head_before_c(heads, text, lo, n0, s1)


cdef bint head_before_c(heads, str text, Py_ssize_t lo, Py_ssize_t n0, Py_ssize_t s1) except -1:
    """split._head_before_py (``heads``: split._HEADS): whether one of the last 12 words of text[lo:] up to the end of the
    first word at or after max(lo, n0) (within s1) is a head or a head after و/ف/ب. The words are
    split._LIST_WORD's (runs of what it takes), read back from that end, with no match objects."""
    cdef Py_ssize_t p = max(lo, n0), e, j, k, count = 0
    cdef Py_ssize_t end = min(s1, PyUnicode_GET_LENGTH(text))
    # (the letters read in place: no indexing call per character)
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    while p < end and _list_delim(PyUnicode_READ(kind, data, p)):
        p += 1
    if p >= end:
        return False   # (no word there: _LIST_WORD.search finds none)
    e = p
    while e < end and not _list_delim(PyUnicode_READ(kind, data, e)):
        e += 1
    j = e
    while j > lo and count < 12:
        while j > lo and _list_delim(PyUnicode_READ(kind, data, j - 1)):
            j -= 1
        if j <= lo:
            break
        k = j
        while k > lo and not _list_delim(PyUnicode_READ(kind, data, k - 1)):
            k -= 1
        count += 1
        # (the shipped heads: a word whose length, first two letters and last letter no head has,
        # bare or after و/ف/ب, is none; the rest are sliced and looked up as before)
        if heads is not _HEADS or not _head_sift or _maybe_head(kind, data, k, j):
            w = text[k:j]
            if w in heads or (text[k] in "وفب" and text[k + 1:j] in heads):
                return True
        j = k
    return False


# a bit per (length, first two letters, last letter) of the shipped heads (split._HEADS), set by
# bind_split: most words of a sentence match no head's and are not sliced or hashed at all
cdef unsigned char _HEAD_BITS[512]
cdef bint _head_sift = False


cdef inline unsigned int _head_bit(Py_ssize_t n, Py_UCS4 c0, Py_UCS4 c1, Py_UCS4 cl):
    cdef unsigned int h = <unsigned int>n * 31u + <unsigned int>c0 * 131u + <unsigned int>c1 * 17u + <unsigned int>cl * 7u
    return (h ^ (h >> 12)) & 4095u


cdef inline bint _head_bit_set(unsigned int b):
    return (_HEAD_BITS[b >> 3] >> (b & 7)) & 1


cdef inline bint _maybe_head(int kind, void *data, Py_ssize_t k, Py_ssize_t j):
    """Whether the word at [k, j) of a text (its kind and data) may be a head (its bit set) or a
    head after و/ف/ب (the bit of the rest): False only when it is neither."""
    cdef Py_ssize_t n = j - k
    cdef Py_UCS4 last = PyUnicode_READ(kind, data, j - 1), c0 = PyUnicode_READ(kind, data, k)
    if n >= 2 and _head_bit_set(_head_bit(n, c0, PyUnicode_READ(kind, data, k + 1), last)):
        return True
    return n >= 3 and (c0 == u"و" or c0 == u"ف" or c0 == u"ب") and _head_bit_set(
        _head_bit(n - 1, PyUnicode_READ(kind, data, k + 1), PyUnicode_READ(kind, data, k + 2), last))


cdef void _set_head_bits(heads) except *:
    """_HEAD_BITS from the heads; no sift where a head is shorter than two letters."""
    global _head_sift
    cdef unsigned int b
    memset(_HEAD_BITS, 0, 512)
    _head_sift = True
    for h in heads:
        if type(h) is not str or len(<str>h) < 2:
            _head_sift = False
            return
        b = _head_bit(len(<str>h), (<str>h)[0], (<str>h)[1], (<str>h)[len(<str>h) - 1])
        _HEAD_BITS[b >> 3] |= <unsigned char>(1 << (b & 7))


def maybe_head(str word):
    """_maybe_head of a whole word (for the tests)."""
    return (not _head_sift) or _maybe_head(PyUnicode_KIND(word), PyUnicode_DATA(word), 0, len(word)) if word else False


# -- the list that holds a place (split._list_items_py) -------------------------------------------

cdef dict _SPLIT = {}
cdef object _LIST_WORD_finditer = None, _ENDS_ITEM_match = None, _head_before_shipped = None
cdef object _Links_shipped = None, _list_items_shipped = None, _listed_siblings_shipped = None
cdef frozenset _LIST_FEATURES = frozenset()
cdef frozenset _HEADS = frozenset(), _DUAL_HEADS = frozenset(), _STOPS = frozenset(), _NESTS = frozenset()
cdef tuple _LAYERS_BUSY = ("triggers", "actors", "dates", "casualties")
cdef tuple _BETWEEN = ("بين", "وبين")


def bind_split(split):
    """Read what split.py holds (its end, once it is built)."""
    global _SPLIT, _LIST_WORD_finditer, _ENDS_ITEM_match, _HEADS, _DUAL_HEADS, _STOPS, _NESTS, _head_before_shipped
    global _Links_shipped, _LIST_FEATURES, _list_items_shipped, _listed_siblings_shipped
    _SPLIT = split.__dict__
    _LIST_WORD_finditer, _ENDS_ITEM_match = split._LIST_WORD.finditer, split._ENDS_ITEM.match
    _HEADS, _DUAL_HEADS, _STOPS, _NESTS = split._HEADS, split._DUAL_HEADS, split._STOPS, split._NESTS
    _set_head_bits(_HEADS)
    _head_before_shipped = split._head_before
    _Links_shipped, _LIST_FEATURES = split._Links, frozenset(split.LIST_FEATURES)
    _list_items_shipped, _listed_siblings_shipped = split._list_items, split._listed_siblings


cdef str _bare_word(str word):
    """split._bare."""
    return word[1:] if word[:1] in "وفب" and word not in _HEADS else word


cdef bint _stop_word(str word) except -1:
    """split._stop."""
    cdef str w = word[1:] if word[:1] == "و" else word
    cdef Py_UCS4 c
    if w in _STOPS or w in _HEADS:
        return True
    for c in w:
        if c.isdigit():
            return True
    return w[:1] in "بل" and (w[1:3] == "ال" or w[1:] in _HEADS or w[1:] in _NESTS)


cdef bint _overlaps_any(list pairs, Py_ssize_t a, Py_ssize_t b):
    """any(x < b and a < y for x, y in pairs): a pair overlaps [a, b)."""
    cdef tuple p
    for p in pairs:
        if <Py_ssize_t>p[0] < b and a < <Py_ssize_t>p[1]:
            return True
    return False


cdef bint _begun_any(list pairs, Py_ssize_t a):
    """any(x < a < y for x, y in pairs): a lies inside a pair."""
    cdef tuple p
    for p in pairs:
        if <Py_ssize_t>p[0] < a < <Py_ssize_t>p[1]:
            return True
    return False


def list_items(doc, ctx, si, place):
    """list_items_c (split._list_items where built)."""
    return list_items_c(doc, ctx, si, place)


cdef Py_ssize_t _list_words(str text, Py_ssize_t lo, Py_ssize_t s1, Py_ssize_t **ws) except -1:
    """split._LIST_WORD's matches in text[lo:s1] (a first word cut at lo read as cut, as a scan
    from lo reads it), as starts and ends: (*ws)[2i], (*ws)[2i + 1] (malloc'd: the caller frees
    it); their count. No match object, span tuple or int per word."""
    cdef Py_ssize_t p = lo, e, n = 0
    cdef Py_ssize_t end = min(s1, PyUnicode_GET_LENGTH(text))
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    # (at most one word per two characters, and a word per character at the ends)
    cdef Py_ssize_t cap = (end - lo) // 2 + 2 if end > lo else 2
    cdef Py_ssize_t *w = <Py_ssize_t *>malloc(2 * cap * sizeof(Py_ssize_t))
    if w == NULL:
        raise MemoryError()
    while True:
        while p < end and _list_delim(PyUnicode_READ(kind, data, p)):
            p += 1
        if p >= end:
            break
        e = p + 1
        while e < end and not _list_delim(PyUnicode_READ(kind, data, e)):
            e += 1
        w[2 * n] = p
        w[2 * n + 1] = e
        n += 1
        p = e
    ws[0] = w
    return n


def list_words(str text, Py_ssize_t lo, Py_ssize_t s1):
    """_list_words as (start, end) pairs (for the tests)."""
    cdef Py_ssize_t *w = NULL
    cdef Py_ssize_t n = _list_words(text, lo, s1, &w), i
    try:
        return [(w[2 * i], w[2 * i + 1]) for i in range(n)]
    finally:
        free(w)


cdef list list_items_c(doc, ctx, si, place):
    """split._list_items_py, typed: the same words as its pattern reads (scanned in C, _list_words),
    the same items in the same shapes (the first a list, the others after a plural head tuples);
    the head test asked of split._head_before as the module holds it (a test replaces it)."""
    cdef Py_ssize_t s0, s1, n0, n1, lo, k, j, head, a, b, i, nw, fe
    cdef str text = doc.norm
    cdef list busy, names, items, out
    cdef bint closed, dual, inside
    cdef Py_ssize_t *ws = NULL
    s0, s1 = doc.sentences[si]
    offsets = doc.offsets
    n0, n1 = _nstart(offsets, place), _nend(offsets, place)
    lo = max(s0, n0 - 120)
    hb = _SPLIT["_head_before"]
    if hb is _head_before_shipped:
        if not head_before_c(_HEADS, text, lo, n0, s1):
            return []
    elif not hb(text, lo, n0, s1):
        return []
    nw = _list_words(text, lo, s1, &ws)
    try:
        # the place's first word: the first whose end is past n0
        k = 0
        while k < nw and ws[2 * k + 1] <= n0:
            k += 1
        if k >= nw:
            return []
        head = -1
        j = k
        while j > max(-1, k - 12):
            a, b = ws[2 * j], ws[2 * j + 1]
            if (not _head_sift or _maybe_head(PyUnicode_KIND(text), PyUnicode_DATA(text), a, b)) and _bare_word(text[a:b]) in _HEADS:
                head = j
                break
            j -= 1
        if head < 0:
            return []
        if head > 0:
            a, b = ws[2 * head - 2], ws[2 * head - 1]
            if text[a:b] in _BETWEEN:
                return []
        a, b = ws[2 * head], ws[2 * head + 1]
        dual = _bare_word(text[a:b]) in _DUAL_HEADS
        busy, names = _list_pairs(doc, ctx, si)
        items = []
        closed = True
        for j in range(head + 1, nw):
            a, b = ws[2 * j], ws[2 * j + 1]
            w = text[a:b]
            if _stop_word(w):
                break
            if _overlaps_any(busy, a, b):
                closed = False
                break
            gap = text[ws[2 * j - 1]:a]
            inside = _begun_any(names, a)
            if not items:
                items.append([a, b])
            elif w[:1] == "و" and len(w) > 2 and _ENDS_ITEM_match(gap) and not inside:
                items.append([a + 1, b])
            elif (gap.isspace() and items[-1][1] == ws[2 * j - 1]
                  and len(text[<Py_ssize_t>items[-1][0]:b].split()) <= 3 and w[:1] not in "بل"):
                items[-1][1] = b
            else:
                closed = False
                break
            if not _ENDS_ITEM_match(text[b:ws[2 * j + 2]] if j + 1 < nw else ""):
                break
    finally:
        free(ws)
    if dual:
        if len(items) > 1 and text[<Py_ssize_t>items[0][1]:<Py_ssize_t>items[1][0] - 1].isspace():
            items = items[:2]
        else:
            items = []
    else:
        out = items[:1]
        for i in range(1, len(items)):
            a, b = items[i]
            if a < n1 and n0 < b:
                out.append((a, b))
                continue
            fe = text.find(" ", a, b)
            if fe < 0:
                fe = b
            if _overlaps_any(names, a, fe) or (closed and i < len(items) - 1):
                out.append((a, b))
        items = out
    if len(items) < 2:
        return []
    for it in items:
        a, b = it
        if a < n1 and n0 < b:
            return items
    return []


cdef tuple _list_pairs(doc, ctx, si):
    """The sentence's busy spans (triggers, actors, dates, tolls) and names (places, the tagger's
    LOC names) as normalised (start, end) pairs (split._list_items_py's busy and names)."""
    cdef dict by_sent = _cx(ctx, _CX_BY_SENT, "by_sent")
    cdef list busy = [], names = []
    offsets = doc.offsets
    for layer in _LAYERS_BUSY:
        for x in (<dict>by_sent[layer]).get(si, []):
            busy.append((_nstart(offsets, x), _nend(offsets, x)))
    for x in (<dict>by_sent["places"]).get(si, []):
        names.append((_nstart(offsets, x), _nend(offsets, x)))
    for x in doc.layer("ner"):
        if _field(x, _SP_LABEL, "label") == "LOC" and _field(x, _SP_SENT, "sent") == si:
            names.append((_nstart(offsets, x), _nend(offsets, x)))
    return busy, names



# -- one incident per town (split.split_places_py) ------------------------------------------------

cdef object _link_at(doc, ctx, list here, dict known, Py_ssize_t k):
    """split._Links' links[k] (the pairs asked lie inside here): made once per sentence."""
    got = known.get(k, known)
    if got is not known:
        return got
    got = known[k] = _SPLIT["_link"](doc, ctx, here[k], here[k + 1])
    return got


cdef inline object _link_of(doc, ctx, list here, dict known, links, Py_ssize_t k):
    return _link_at(doc, ctx, here, known, k) if links is None else links[k]


def split_places(doc, ctx, ev, si, breaks):
    """split._split_places_py, typed: the same chain around the incident's place, the same copies
    in the same order. The links between places are worked out as split._Links does (once per
    sentence, in ctx.place_chains) or asked of the _Links split.py holds when a test replaced it;
    the copies are made by split.py's functions."""
    cdef dict d
    cdef Py_ssize_t i, k, lo, hi, n
    cdef list here, members, out, towns
    cdef dict known, within
    for loc_ev in (<dict>_inc(ev, _IN_FIELDS, "fields"))["evidence"]:
        if (<dict>loc_ev)["field"] == "location":
            break
    else:
        return []
    cdef dict chains = _cx(ctx, _CX_CHAINS, "place_chains")
    got = chains.get(si)
    if got is None:
        got = chains[si] = (_by_start(<list?>(<dict>_cx(ctx, _CX_BY_SENT, "by_sent")["places"]).get(si, [])), {})
    here, known = got
    n = len(here)
    at = (<dict>loc_ev)["start"]
    i = -1
    for k in range(n):
        if here[k].start == at:
            i = k
            break
    if i < 0:
        return []
    place = here[i]
    if _usable_place(place) and _data(place).get("feature") not in _LIST_FEATURES:
        return []
    Links = _SPLIT["_Links"]
    links = None if Links is _Links_shipped else Links(doc, ctx, here, known)
    if i > 0 and _link_of(doc, ctx, here, known, links, i - 1) == "qualifier":
        return []
    lo = i
    while lo > 0 and _link_of(doc, ctx, here, known, links, lo - 1) is not None and (
            _data(here[lo - 1]).get("feature") in _LIST_FEATURES or not _usable_place(here[lo - 1])):
        lo -= 1
    hi = i
    while hi + 1 < n and _link_of(doc, ctx, here, known, links, hi) is not None:
        hi += 1
    members = [here[lo]]
    within = {}
    for k in range(lo, hi):
        link = _link_of(doc, ctx, here, known, links, k)
        if link == "item":
            members.append(here[k + 1])
        elif link == "qualifier" and not _usable_place(here[k]) and _data(here[k + 1]).get("feature") == "admin1":
            within[id(here[k])] = here[k + 1]
    out = []
    cdef set seen = {(<dict>_inc(ev, _IN_FIELDS, "fields"))["location"]}
    towns = []
    for p in members:
        d = _data(p)
        if not _usable_place(p) or d.get("feature") not in _LIST_FEATURES:
            continue
        name = d.get("location") or _field(p, _SP_LABEL, "label")
        if p is place or name not in seen:
            towns.append(p)
            seen.add(name)
    if len(towns) > 1:
        ev.split = True
    if towns:
        copy_at = _SPLIT["_copy_at"]
        for p in towns:
            if p is not place:
                out.append(copy_at(ev, p))
    if within:
        unlisted = _SPLIT["_unlisted"]
        for p in members:
            gov = within.get(id(p))
            if gov is not None:
                ev.split = True
                out.append(unlisted(ev, p, gov))
    cdef set covered = set()
    for p in towns:
        covered.add(id(p))
    for p in members:
        if id(p) in within:
            covered.add(id(p))
    sib = _SPLIT["_listed_siblings"]
    if sib is _listed_siblings_shipped:
        out.extend(listed_siblings_c(doc, ctx, ev, si, place, covered, seen))
    else:
        out.extend(sib(doc, ctx, ev, si, place, covered, seen))
    return out


def listed_siblings(doc, ctx, ev, si, place, set covered, set named):
    """listed_siblings_c (split._listed_siblings where built)."""
    return listed_siblings_c(doc, ctx, ev, si, place, covered, named)


cdef list listed_siblings_c(doc, ctx, ev, si, place, set covered, set named):
    """split._listed_siblings_py, typed: the list's items asked first (most places lie in none,
    and then nothing else is made), of split._list_items as the module holds it (a test replaces
    it); the same copies, by split.py's _copy_at and _unlisted, in the same order."""
    cdef Py_ssize_t a, b, n0, n1, first
    cdef list spans, over, out, items
    cdef dict d
    cdef str text
    li = _SPLIT["_list_items"]
    items = list_items_c(doc, ctx, si, place) if li is _list_items_shipped else li(doc, ctx, si, place)
    if not items:
        return []
    offsets = doc.offsets
    n0, n1 = _nstart(offsets, place), _nend(offsets, place)
    spans = []
    for p in (<dict>_cx(ctx, _CX_BY_SENT, "by_sent")["places"]).get(si, []):
        if p is not place:
            spans.append(p)
    text = doc.norm
    out = []
    for it in items:
        a, b = it
        if a < n1 and n0 < b:
            continue
        first = text.find(" ", a, b)   # split._first_word_end: a town must start in the name's first word
        if first < 0:
            first = b
        over = []
        for p in spans:
            if _nstart(offsets, p) < first and a < _nend(offsets, p):
                over.append(p)
        taken = False
        for p in over:
            if id(p) in covered:
                taken = True
                break
        if taken:
            continue
        town = None
        for p in over:
            d = _data(p)
            if d.get("resolved", True) and d.get("latitude") is not None:
                town = p
                break
        if town is not None:   # a resolved town at its own place (not one already coded, a governorate or context)
            d = _data(town)
            if _usable_place(town) and d.get("feature") in _LIST_FEATURES and d.get("location") not in named:
                named.add(d.get("location"))
                out.append(_SPLIT["_copy_at"](ev, town))
        else:
            out.append(_SPLIT["_unlisted"](ev, doc.span(a, b, "", si)))
    if out:
        ev.split = True
    return out
