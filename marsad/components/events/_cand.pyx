# cython: language_level=3, cdivision=True
"""A built candidate's path in C: ``build_event``, the rules' ``score`` with the triggers'
weights, and the detector's and typing models' sums of its features (``incident_sums``).
Since API 3 also the loops that make the candidates (``doc_events``, ``sentence_events``: candidates.py's
``_doc_events_py`` and ``_sentence_events_py``, with the trigger gates they ask) and the bound's
headroom (bound.py's ``Bound.headroom``). Since API 4 a sentence's clause breaks
(clauses.clause_breaks), its actors' tokens (Ctx.actor_tokens), the toll's options and choice
(tolls.toll_options, tolls.choose) and the role's swap (roles.should_swap). Since API 5
build_event's span (Doc.span), its sentence's layers (Ctx.sl) and actor country read here, and
coded_place called only for a scene that is a country.

Each function is its Python twin's code (build.py, scores.py, gates.py's occurred_before,
features.py), typed: its small helpers (trigger_kind, strength, stretch, _trim, _fatalities,
group_kind, a trigger's weight and cached keys, Ctx.ntok) inlined with no Python frame, its
offsets and scores C integers and doubles (the score's additions in the same order: the same
floats). The calls into other modules (the sides, the place, the regular expressions, the cache
misses) stay Python calls. candidates.py chooses this module where it is built and wanted
(native.candidate_path); MARSAD_PURE=1 runs the twins. The twins must stay in step:
tests/components/test_events_cand.py compares them candidate by candidate, and each round
compares the output byte for byte.
"""

# What the Python side expects of this module (native.py): one built from an older _cand.pyx is
# not used (scripts/setup rebuilds it).
API = 6

from datetime import date as _Date

from cpython.long cimport PyLong_FromVoidPtr
from cpython.dict cimport PyDict_GetItem
from libc.string cimport memcmp
from cpython.object cimport PyObject
from cpython.unicode cimport Py_UNICODE_ISSPACE, Py_UNICODE_ISDECIMAL, PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_DATA, PyUnicode_READ
from marsad.components.events._strength cimport strength_in
from marsad.text._bisect cimport bisect_left, bisect_left_from, bisect_right

from marsad.components.events import build as _b, features as _f, gates as _g, rules as _r, scores as _s
from marsad.components.events.actors import (actor_country, actor_out_in, agent_marked, assign_actors, between_marked,
                                             country_name, is_victim, same_side)
from marsad.components.events.incident import Incident
from marsad.doc import Doc as _Doc, Span as _Span
from marsad.text.tokens import Token as _Token
_new_incident = object.__new__
from marsad.text._slots cimport (marsad_set_slot as marsad_cand_set_slot,
                                  marsad_writable_slot_offset_of as marsad_cand_writable_offset)
from marsad.components.events.places import coded_place, place_of
from marsad.components.events.rules import (CAMPAIGN_WORDS, DEPENDENT, W_WEAK, GENERIC_IED, NUMBER, PRO_GOVERNMENT, PROTEST_KINDS,
                                            SPECIFIC_KINDS, TYPE_OF, W_AGENT, W_BOTH_SIDES, W_EXPLICIT, W_KILLWORD,
                                            W_PLACE, W_SOURCE, W_SPECIFIC, W_STRONG, W_TIME, W_TOLL, W_VERB,
                                            W_VICTIM, W_WEAPON, defused_kind, is_verb, primary_kind,
                                            weapon_kind)
from marsad.components.events.gates import done_before
from marsad.components.events.rules import _DEFUSABLE


# Incident's slots set in place where build_event makes one (a member descriptor's set by name
# costs ~150 instructions, 34 a candidate): _BUILT's fields in the order build_event gives them,
# their offsets found at import; a class of another shape (or a field that is no writable slot) gets
# them set by name
cdef tuple _BUILT = ("fields", "sent", "kind", "kinds", "triggers", "strength", "agent", "victim", "explicit_agent", "first", "region", "place_span", "place_resolved", "place_in_sentence", "clause_place", "has_date_cue", "date_src", "began", "fat_known", "fat_approx", "fat_spans", "killed", "score", "weak", "ongoing", "split", "mentions", "feats", "rule", "p", "is_copy", "place_opts", "role_feats", "toll_opts")
cdef Py_ssize_t _BUILT_AT[64]
cdef bint _BUILT_IN_PLACE = False


cdef void _built_slots():
    global _BUILT_IN_PLACE
    cdef Py_ssize_t k = 0
    if type(Incident) is not type or Incident.__setattr__ is not object.__setattr__ or len(_BUILT) > 64:
        return
    d = Incident.__dict__
    for name in _BUILT:
        descr = d.get(name)
        _BUILT_AT[k] = -1 if descr is None else marsad_cand_writable_offset(<PyObject *>descr)
        if _BUILT_AT[k] < 0:
            return
        k += 1
    _BUILT_IN_PLACE = True


_built_slots()
BUILT, BUILT_IN_PLACE = _BUILT, _BUILT_IN_PLACE   # (for the tests)


cdef int _set_built(inc, tuple vals) except -1:
    """inc's fields _BUILT set to vals, in order."""
    cdef Py_ssize_t k
    if _BUILT_IN_PLACE and type(inc) is Incident:
        for k in range(len(_BUILT)):
            marsad_cand_set_slot(inc, _BUILT_AT[k], vals[k])
    else:
        for k in range(len(_BUILT)):
            setattr(inc, _BUILT[k], vals[k])
    return 0


cdef double _W_VERB = W_VERB, _W_STRONG = W_STRONG, _W_SPECIFIC = W_SPECIFIC, _W_TOLL = W_TOLL
cdef double _W_KILLWORD = W_KILLWORD, _W_TIME = W_TIME, _W_AGENT = W_AGENT, _W_EXPLICIT = W_EXPLICIT
cdef double _W_VICTIM = W_VICTIM, _W_PLACE = W_PLACE, _W_WEAPON = W_WEAPON, _W_SOURCE = W_SOURCE
cdef double _W_BOTH_SIDES = W_BOTH_SIDES
cdef object _fullmatch = NUMBER.fullmatch
cdef object _opens_with_verb = _b._opens_with_verb
cdef object _SAID_DAY = _b._SAID_DAY, _BEGAN = _b._BEGAN
cdef object _protest_score = _s._protest_score
cdef object _TAMMA = _s._TAMMA.search, _QAMA = _s._QAMA.search, _PASSIVE_BEFORE = _g.PASSIVE_BEFORE.search
cdef frozenset _RELATIVE = _g._RELATIVE, _OCCURRED = _g.OCCURRED
cdef tuple _VERB_SUFFIX = _r._VERB_SUFFIX
cdef str _TRIM_LO = ',:;"()-', _TRIM_HI = ',:;"()-.'


# -- small helpers (each its Python twin's code) -----------------------------------------------

cdef object _DocType = _Doc
cdef object _SpanType = _Span
cdef object _obj_new = object.__new__


cdef doc_span(doc, Py_ssize_t nstart, Py_ssize_t nend, si):
    """doc.span(nstart, nend, "", si) (Doc.span's body, with no Python frame; another Doc type's
    own method)."""
    if type(doc) is not _DocType:
        return doc.span(nstart, nend, "", si)
    offsets = doc.offsets
    a = offsets[nstart]
    b = offsets[nend] if nend > nstart else a
    sp = _obj_new(_SpanType)
    sp.start = a
    sp.end = b
    sp.label = ""
    sp.text = doc.text[a:b]
    sp.sent = si
    sp.data = {}
    return sp


cdef _actor_country(agent, victim):
    """actors.actor_country(agent, victim)."""
    for s in (agent, victim):
        if s is not None and sdata(s).get("country"):
            return sdata(s)["country"]
    return None


cdef inline str trigger_kind(t):
    """rules.trigger_kind."""
    cdef dict d = sdata(t)
    kind = d["kind"]
    if kind == "ied" and d.get("strength", 1) >= 1 and d["pattern"] not in GENERIC_IED:
        return "ied_specific"
    return kind


cdef inline double weight(doc, ctx, t) except? -1.0:
    """scores.trigger_weight: the trigger's weight, cached in ctx.weights by id."""
    return weight_in(cx(ctx, _CX_WEIGHTS, "weights"), doc, ctx, t)


cdef inline double weight_in(dict cache, doc, ctx, t) except? -1.0:
    """weight with ctx.weights read once by the caller (a loop's triggers: no attribute read each)."""
    key = PyLong_FromVoidPtr(<void *>t)   # id(t)
    w = cache.get(key)
    if w is None:
        w = cache[key] = weight_of(doc, ctx, t)
    return <double>w


cdef object weight_of(doc, ctx, t):
    """scores._trigger_weight_of."""
    cdef dict d = sdata(t)
    cdef str norm = doc.norm
    cdef Py_ssize_t n0 = d["n0"], i = ntok(ctx, n0)
    cdef bint relative = False
    for w in norms(ctx)[max(0, i - 2):i]:   # gates.after_relative
        if w in _RELATIVE:
            relative = True
            break
    if relative:
        return W_STRONG if strength_in(sdata(t)) >= 2 and d["kind"] not in DEPENDENT else W_WEAK
    if d.get("strength", 1) >= 1 and (masdar_passive(norm, d) or occurred_before(doc, ctx, t)):
        return W_VERB
    if strength_in(sdata(t)) < 2:
        return W_WEAK
    if verb(norm, d):
        return W_VERB
    if _PASSIVE_BEFORE(norm[max(0, n0 - 40):n0]):
        return W_VERB
    return W_STRONG


cdef bint masdar_passive(str norm, dict d) except -1:
    """scores._masdar_passive."""
    cdef Py_ssize_t n0 = d["n0"]
    cdef str before = norm[max(0, n0 - 40):n0]
    cdef str tail = before[-8:]
    if ("تم" in tail or "جري" in tail) and _TAMMA(tail):
        return True
    return d.get("prefix", "").startswith(("ب", "وب")) and _QAMA(before) is not None


cdef bint verb(str norm, dict d) except -1:
    """rules.is_verb (of the trigger's data)."""
    pos = d.get("pos", "n")
    if pos == "v" or (pos == "vi" and d.get("title")):
        return True
    if pos != "vn":
        return False
    prefix = d.get("prefix", "")
    if prefix not in ("", "و", "ف"):
        return False
    cdef str word = norm[d["core_start"]:d["n1"]]
    cdef str pat = d["pattern"]
    if len(word) > len(pat) and word[len(pat):] in _VERB_SUFFIX:
        return True
    cdef Py_ssize_t n0 = d["n0"]
    cdef str before = norm[max(0, n0 - 3):n0].rsplit("\n", 1)[-1]
    return prefix in ("و", "ف") or not before.strip() or before.rstrip()[-1:] in ',:;"('


cdef bint occurred_before(doc, ctx, t) except -1:
    """gates.occurred_before: cached in ctx.occurred by id."""
    cdef dict cache = cx(ctx, _CX_OCCURRED, "occurred")
    key = PyLong_FromVoidPtr(<void *>t)
    hit = cache.get(key)
    if hit is None:
        hit = cache[key] = occurred_near(doc, ctx, t)
    return hit


cdef bint occurred_near(doc, ctx, t) except -1:
    """gates._occurred_near."""
    cdef dict d = sdata(t)
    cdef Py_ssize_t i = ntok(ctx, d["n0"]), j = i - 1, seen = 0, k
    sent = slot(t, _SpanType, _SP_SENT, "sent")
    in_actor = actor_tokens_c(doc, ctx, sent)
    cdef list toks = doc.tokens
    while j >= 0 and seen < 3 and slot(toks[j], _TokenType, _TK_SENT, "sent") == sent:
        tok = toks[j]
        j -= 1
        if j + 1 in in_actor:
            continue
        seen += 1
        w = slot(tok, _TokenType, _TK_NORM, "norm")
        if w in _OCCURRED or (w[:1] in "وف" and w[1:] in _OCCURRED):
            return True
    k = ntok(ctx, d["n1"])
    for tok in toks[k:k + 2]:
        if slot(tok, _TokenType, _TK_SENT, "sent") != sent:
            break
        if slot(tok, _TokenType, _TK_NORM, "norm") in _OCCURRED:
            return True
    return False


from marsad.text._slots cimport class_slot as slot_of, slot_or_attr as slot


# Span's and Token's slots (both have __slots__): read in place, with no attribute look-up
# (~140 instructions each), where the object is of that very class and the slot is set
cdef Py_ssize_t _SP_START = slot_of(_Span, "start"), _SP_END = slot_of(_Span, "end")
cdef Py_ssize_t _SP_TEXT = slot_of(_Span, "text"), _SP_DATA = slot_of(_Span, "data"), _SP_SENT = slot_of(_Span, "sent")
cdef Py_ssize_t _SP_LABEL = slot_of(_Span, "label")
cdef object _TokenType = _Token
cdef Py_ssize_t _TK_SENT = slot_of(_Token, "sent"), _TK_NORM = slot_of(_Token, "norm")

# Incident's fields read in place too, where the object is an Incident (a candidate's fields are
# read some 35 times between build_event and its verdict)
cdef object _IncType = Incident
cdef Py_ssize_t _IN_FIELDS = slot_of(Incident, "fields"), _IN_KIND = slot_of(Incident, "kind")
cdef Py_ssize_t _IN_SENT = slot_of(Incident, "sent"), _IN_STRENGTH = slot_of(Incident, "strength")
cdef Py_ssize_t _IN_FIRST = slot_of(Incident, "first"), _IN_REGION = slot_of(Incident, "region")
cdef Py_ssize_t _IN_EXPLICIT_AGENT = slot_of(Incident, "explicit_agent")
cdef Py_ssize_t _IN_PLACE_IN_SENTENCE = slot_of(Incident, "place_in_sentence")
cdef Py_ssize_t _IN_DATE_SRC = slot_of(Incident, "date_src"), _IN_FAT_KNOWN = slot_of(Incident, "fat_known")
cdef Py_ssize_t _IN_FAT_APPROX = slot_of(Incident, "fat_approx"), _IN_FAT_SPANS = slot_of(Incident, "fat_spans")
cdef Py_ssize_t _IN_KILLED = slot_of(Incident, "killed"), _IN_SCORE = slot_of(Incident, "score")
cdef Py_ssize_t _IN_SPLIT = slot_of(Incident, "split"), _IN_ROLE_FEATS = slot_of(Incident, "role_feats")
cdef Py_ssize_t _IN_TOLL_OPTS = slot_of(Incident, "toll_opts")


cdef inline object inc(ev, Py_ssize_t at, str name):
    """ev.<name>, from its slot at ``at`` where ev is an Incident (not a subclass) and it is set."""
    return slot(ev, _IncType, at, name)


def incident_fields(ev):
    """{name: value} of each field inc reads in place (for the tests)."""
    return {
        "fields": inc(ev, _IN_FIELDS, "fields"), "kind": inc(ev, _IN_KIND, "kind"),
        "sent": inc(ev, _IN_SENT, "sent"), "strength": inc(ev, _IN_STRENGTH, "strength"),
        "first": inc(ev, _IN_FIRST, "first"), "region": inc(ev, _IN_REGION, "region"),
        "explicit_agent": inc(ev, _IN_EXPLICIT_AGENT, "explicit_agent"),
        "place_in_sentence": inc(ev, _IN_PLACE_IN_SENTENCE, "place_in_sentence"),
        "date_src": inc(ev, _IN_DATE_SRC, "date_src"), "fat_known": inc(ev, _IN_FAT_KNOWN, "fat_known"),
        "fat_approx": inc(ev, _IN_FAT_APPROX, "fat_approx"), "fat_spans": inc(ev, _IN_FAT_SPANS, "fat_spans"),
        "killed": inc(ev, _IN_KILLED, "killed"), "score": inc(ev, _IN_SCORE, "score"),
        "split": inc(ev, _IN_SPLIT, "split"), "role_feats": inc(ev, _IN_ROLE_FEATS, "role_feats"),
        "toll_opts": inc(ev, _IN_TOLL_OPTS, "toll_opts"),
    }


# the report context's hottest fields (context.Ctx's slots, ctxfields.py) read in place: a few
# instructions, where by name a read was ~190 (an instance dict's look-up)
from marsad.components.events.ctxfields import CtxFields as _CtxFields
from marsad.text._slots cimport base_slot_or_attr
cdef object _CtxBase = _CtxFields
cdef Py_ssize_t _CX_TOKS = slot_of(_CtxFields, "tok_starts"), _CX_NORMS = slot_of(_CtxFields, "token_norms")
cdef Py_ssize_t _CX_BY_SENT = slot_of(_CtxFields, "by_sent"), _CX_COUNTRY = slot_of(_CtxFields, "country")
cdef Py_ssize_t _CX_WEIGHTS = slot_of(_CtxFields, "weights")
cdef Py_ssize_t _CX_OCCURRED = slot_of(_CtxFields, "occurred")
cdef Py_ssize_t _CX_CLAUSE_IDS = slot_of(_CtxFields, "clause_ids")
cdef Py_ssize_t _CX_TRIGGER_IDS = slot_of(_CtxFields, "trigger_ids")
cdef Py_ssize_t _CX_FAST = slot_of(_CtxFields, "fast")
cdef Py_ssize_t _CX_ACTOR_TOKS = slot_of(_CtxFields, "_actor_toks")
cdef Py_ssize_t _CX_OPENERS = slot_of(_CtxFields, "_openers")
cdef Py_ssize_t _CX_USABLE = slot_of(_CtxFields, "_usable")
cdef Py_ssize_t _CX_PREV_AGENT = slot_of(_CtxFields, "prev_agent"), _CX_PUNCTS = slot_of(_CtxFields, "_puncts")
cdef Py_ssize_t _CX_IN_ACTOR = slot_of(_CtxFields, "in_actor")


cdef inline object cx(ctx, Py_ssize_t at, str name):
    """ctx.<name>, from its slot at ``at`` where ctx is a Ctx (not a subclass) and it is set."""
    return base_slot_or_attr(ctx, _CtxBase, at, name)


def ctx_fields(ctx):
    """{name: value} of each field cx reads in place (for the tests)."""
    return {
        "tok_starts": cx(ctx, _CX_TOKS, "tok_starts"),
        "token_norms": cx(ctx, _CX_NORMS, "token_norms"),
        "by_sent": cx(ctx, _CX_BY_SENT, "by_sent"),
        "country": cx(ctx, _CX_COUNTRY, "country"),
        "weights": cx(ctx, _CX_WEIGHTS, "weights"),
        "occurred": cx(ctx, _CX_OCCURRED, "occurred"),
        "clause_ids": cx(ctx, _CX_CLAUSE_IDS, "clause_ids"),
        "trigger_ids": cx(ctx, _CX_TRIGGER_IDS, "trigger_ids"),
        "fast": cx(ctx, _CX_FAST, "fast"),
        "_actor_toks": cx(ctx, _CX_ACTOR_TOKS, "_actor_toks"),
        "_openers": cx(ctx, _CX_OPENERS, "_openers"),
        "_usable": cx(ctx, _CX_USABLE, "_usable"),
        "prev_agent": cx(ctx, _CX_PREV_AGENT, "prev_agent"),
        "_puncts": cx(ctx, _CX_PUNCTS, "_puncts"),
        "in_actor": cx(ctx, _CX_IN_ACTOR, "in_actor"),
    }


cdef extern from "Python.h":
    ctypedef struct PyASCIIObject:
        Py_hash_t hash


cdef inline bint _eq(a, str b) except -1:
    """a == b for a str b (the candidate path's kinds and fields): a str compared as CPython's
    unicode_compare_eq does (length, kind, letters; equal strings have one kind), its hash first
    where both are made; not PyUnicode_Compare's order letter by letter, which Cython asks. Anything
    else by ==."""
    cdef Py_ssize_t n
    cdef Py_hash_t ha, hb
    cdef int kind
    if a is b:
        return True
    if type(a) is not str:
        return a == b
    n = PyUnicode_GET_LENGTH(a)
    if n != PyUnicode_GET_LENGTH(b):
        return False
    ha, hb = (<PyASCIIObject *><PyObject *>a).hash, (<PyASCIIObject *><PyObject *>b).hash
    if ha != -1 and hb != -1 and ha != hb:
        return False
    kind = PyUnicode_KIND(a)
    if kind != PyUnicode_KIND(b):
        return False
    return memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b), n * kind) == 0


def eq_of(a, str b):
    """_eq (for the tests: a == b)."""
    return _eq(a, b)


def in_of(a, tuple strs):
    """_in (for the tests: a in strs)."""
    return _in(a, strs)


cdef inline bint _in(a, tuple strs) except -1:
    """a in strs (a tuple of str) by _eq, in order."""
    for b in strs:
        if _eq(a, <str>b):
            return True
    return False


# "str:%d" % s for the strengths rules.strength gives (0-3), made once: PyUnicode_Format cost ~1,100
# instructions a candidate
cdef tuple _STR_KEYS = tuple(["str:%d" % i for i in range(4)])


cdef inline str str_key(s):
    """"str:%d" % s."""
    if type(s) is int and 0 <= s < 4:
        return <str>_STR_KEYS[<Py_ssize_t>s]
    return "str:%d" % s


def str_key_of(s):
    """str_key (for the tests: "str:%d" % s)."""
    return str_key(s)


cdef inline dict sdata(s):
    """s.data (a Span's from its slot)."""
    return <dict>slot(s, _SpanType, _SP_DATA, "data")


cdef inline dict evidence_of(s, str field):
    """Span.to_evidence."""
    return {"start": slot(s, _SpanType, _SP_START, "start"), "end": slot(s, _SpanType, _SP_END, "end"),
            "field": field, "text": slot(s, _SpanType, _SP_TEXT, "text")}


def evidence(s, str field):
    """evidence_of (for the tests: Span.to_evidence's twin)."""
    return evidence_of(s, field)


cdef inline Py_ssize_t ntok(ctx, Py_ssize_t x) except -1:
    """Ctx.ntok (a partial of bisect_left over ctx.tok_starts), compared as C integers."""
    return bisect_left(<list>cx(ctx, _CX_TOKS, "tok_starts"), x)


cdef inline list norms(ctx):
    """Ctx.norms(): the tokens' words, made once per report."""
    got = cx(ctx, _CX_NORMS, "token_norms")
    return <list>got if got is not None else ctx.norms()


cdef Py_ssize_t last_break(list breaks, Py_ssize_t lo, Py_ssize_t hi):
    """build.last_break."""
    cdef Py_ssize_t i = bisect_right(breaks, hi) - 1
    if i >= 0 and <Py_ssize_t>breaks[i] >= lo:
        return breaks[i]
    return lo


cdef Py_ssize_t group_end(list g, str key, Py_ssize_t sign):
    """The group's largest ``key`` offset times ``sign``, times ``sign``: max(n1) with ("n1", 1),
    min(n0) with ("n0", -1) (one loop for both ends)."""
    cdef Py_ssize_t m = 0, v
    cdef bint first = True
    for t in g:
        v = sign * <Py_ssize_t>sdata(t)[key]
        if first or v > m:
            m, first = v, False
    return sign * m


cdef inline Py_ssize_t cut(list groups, list breaks, Py_ssize_t k):
    return last_break(breaks, group_end(groups[k - 1], "n1", 1), group_end(groups[k], "n0", -1))


# -- the rules' score ---------------------------------------------------------------------------

cdef bint toll_near(doc, ctx, t) except -1:
    """scores._toll_near."""
    cdef Py_ssize_t i = ntok(ctx, sdata(t)["n0"])
    cdef list toks = doc.tokens
    for x in toks[max(0, i - 3): i + 4]:
        if _fullmatch(slot(x, _TokenType, _TK_NORM, "norm")):
            return True
    return False


def score(doc, ctx, ev, list g, has_time, list casualties, cues, str sent_text="", support=None, crowd=None):
    """scores.score."""
    if inc(ev, _IN_KIND, "kind") in PROTEST_KINDS:
        return _protest_score(doc, ctx, ev, g, has_time, sent_text, support, crowd)
    cdef double sc = 0.0, w
    cdef bint first = True, both
    cdef dict x, d, weights = cx(ctx, _CX_WEIGHTS, "weights")
    for t in g:
        w = weight_in(weights, doc, ctx, t)
        if first or w > sc:
            sc, first = w, False
    if first:
        raise ValueError("max() arg is an empty sequence")
    for t in g:
        if trigger_kind(t) in SPECIFIC_KINDS and strength_in(sdata(t)) >= 2:
            sc += _W_SPECIFIC
            break
    cdef list kills = [t for t in g if sdata(t)["kind"] in DEPENDENT]
    cdef bint toll = inc(ev, _IN_FAT_KNOWN, "fat_known")
    if not toll:
        for c in casualties:
            if sdata(c).get("count"):
                toll = True
                break
    if not toll:
        for t in kills:
            if toll_near(doc, ctx, t):
                toll = True
                break
    if toll:
        sc += _W_TOLL
    elif kills:
        sc += _W_KILLWORD
    else:
        for t in g:
            if _in(sdata(t)["kind"], ("abduct", "arrest")) and toll_near(doc, ctx, t):
                sc += _W_TOLL / 2
                break
    if has_time:
        sc += _W_TIME
    x = inc(ev, _IN_FIELDS, "fields")
    cdef bint a1 = False, a2 = False, loc = False
    for e in x["evidence"]:
        f = (<dict>e)["field"]
        if _eq(f, "actor1"):
            a1 = True
        elif _eq(f, "actor2"):
            a2 = True
        elif _eq(f, "location"):
            loc = True
    if a1:
        sc += _W_AGENT
        if inc(ev, _IN_EXPLICIT_AGENT, "explicit_agent"):
            sc += _W_EXPLICIT
    if a2:
        sc += _W_VICTIM
    if loc and inc(ev, _IN_PLACE_IN_SENTENCE, "place_in_sentence"):
        sc += _W_PLACE
    if x["weapons"]:
        sc += _W_WEAPON
    if x["sources"]:
        sc += _W_SOURCE
    else:
        for c in cues:
            if _eq(sdata(c)["cue"], "attribution"):
                sc += _W_SOURCE
                break
    both = False
    if _eq(x["sub_event_type"], "Armed clash") and a1 and a2:
        for t in g:
            if weight_in(weights, doc, ctx, t) >= _W_VERB:
                d = sdata(t)
                if (d["kind"] == "battle" and is_verb(doc, t)) or done_before(doc, ctx, t):
                    both = True
                    break
        if both:
            sc += _W_BOTH_SIDES
    if not both and _eq(inc(ev, _IN_KIND, "kind"), "agree") and a1 and a2:
        sc += _W_BOTH_SIDES
    return sc


# -- the detector's and typing models' sums -----------------------------------------------------

cdef dict own_features(doc, ctx, ev, list g, dict info):
    """features.own_features."""
    cdef dict f = {}, x = inc(ev, _IN_FIELDS, "fields")
    cdef double w, wmax = 0.0
    cdef bint first = True
    kind, et, st = inc(ev, _IN_KIND, "kind"), x["event_type"], x["sub_event_type"]
    f["k:" + kind] = 1.0
    f["t:" + et] = 1.0
    f["st:" + st] = 1.0
    rule = info.get("rule", "drop")
    f["rule:" + rule] = 1.0
    f["rule:%s|t:%s" % (rule, et)] = 1.0
    margin = max(-3.0, min(3.0, info.get("score", 0.0) - info.get("need", 2.7)))
    f["margin"] = margin / 3.0
    for gate in info.get("gates", ()):
        f["gate:" + gate] = 1.0
        f["gate:%s|t:%s" % (gate, et)] = 1.0
    if not info.get("gates"):
        f["gate:none"] = 1.0
    if info.get("alt"):
        f["alt"] = 1.0
        f["alt:t:" + et] = 1.0
    cdef dict weights = cx(ctx, _CX_WEIGHTS, "weights")
    for t in g:
        w = weight_in(weights, doc, ctx, t)
        if first or w > wmax:
            wmax, first = w, False
    if first:
        raise ValueError("max() arg is an empty sequence")
    f["tw:" + ("verb" if wmax >= _W_VERB else "strong" if wmax >= _W_STRONG else "weak")] = 1.0
    f[str_key(inc(ev, _IN_STRENGTH, "strength"))] = 1.0
    if len(g) > 1:
        f["ntrig:2+"] = 1.0
        k0 = sdata(g[0])["kind"]
        for t in g:
            if sdata(t)["kind"] != k0:
                f["nkinds:2+"] = 1.0
                break
    fat = x.get("fatalities")
    if inc(ev, _IN_FAT_KNOWN, "fat_known"):
        f["fat:known"] = 1.0
        if isinstance(fat, int) and fat >= 100:
            f["fat:100+"] = 1.0
        if inc(ev, _IN_FAT_APPROX, "fat_approx"):
            f["fat:approx"] = 1.0
    elif fat is None:
        f["fat:combined"] = 1.0
    if info.get("has_time"):
        f["time"] = 1.0
    f["datesrc:%d" % inc(ev, _IN_DATE_SRC, "date_src")] = 1.0
    cdef bint a1 = False, a2 = False
    for e in x["evidence"]:
        fl = (<dict>e)["field"]
        if _eq(fl, "actor1"):
            a1 = True
        elif _eq(fl, "actor2"):
            a2 = True
    if a1:
        f["a1"] = 1.0
        f["i1:%s" % x.get("inter1")] = 1.0
        if inc(ev, _IN_EXPLICIT_AGENT, "explicit_agent"):
            f["a1:explicit"] = 1.0
    if a2:
        f["a2"] = 1.0
        f["i2:%s" % x.get("inter2")] = 1.0
    if x.get("location") is None:
        f["place:none"] = 1.0
    else:
        f["gp:%s" % x.get("geo_precision")] = 1.0
        if inc(ev, _IN_PLACE_IN_SENTENCE, "place_in_sentence"):
            f["place:sent"] = 1.0
        cc = x.get("country_code")
        if cc and cx(ctx, _CX_COUNTRY, "country") and x["country_code"] != cx(ctx, _CX_COUNTRY, "country"):
            f["place:abroad"] = 1.0
    if x.get("weapons"):
        f["weapon"] = 1.0
    if x.get("sources"):
        f["source"] = 1.0
    if _f.POSITION:
        si = inc(ev, _IN_SENT, "sent")
        f["sent:" + ("0" if si == 0 else "1-3" if si <= 3 else "4-9" if si <= 9 else "10+")] = 1.0
    group_flags(g, info, f)
    return f


cdef group_flags(list g, dict info, dict f):
    """features.group_flags (own_features' and drop_sum's: no Python frame, no generator)."""
    for t in g:
        if sdata(t).get("title"):
            f["title"] = 1.0
            break
    for cue in sorted(info.get("cue_kinds", ())):
        f["cue:" + cue] = 1.0
    if info.get("n_groups", 1) > 1:
        f["groups:2+"] = 1.0
    if info.get("protest_support"):
        f["prot:support"] = 1.0
    if info.get("crowd"):
        f["prot:crowd"] = 1.0


def group_flags_of(list g, dict info, dict f):
    """group_flags (for the tests: features.group_flags' twin)."""
    group_flags(g, info, f)


cdef object cluster(str word):
    """features._cluster (its module's table and cache read at each call: tests replace them)."""
    return cluster_in(word, _f._clusters, _f._CLUSTER_OF)


cdef object cluster_in(str word, clusters, cache):
    """features._cluster with its module's table (``clusters``) and cache (``cache``) as read by
    the caller (once for all the words of a shared_ids call). A word the cache lacks gets
    features._ClusterOf.__missing__'s answer made here, where the cache and the clusters module
    are the shipped ones: clusters.lookup's look-ups (the word, then its stems behind its
    proclitics, longest first, as strip_proclitics reads them) without its Python calls; any
    other cache or module is asked as before."""
    if clusters is None or not word:
        return None
    if type(cache) is not _ClusterOf_shipped or clusters is not _clusters_shipped:
        return cache[word]
    cdef PyObject *got = PyDict_GetItem(cache, word)
    if got != NULL:
        return <object>got
    if len(<dict>cache) > _f._MAX_CLAUSE_KEYS:
        (<dict>cache).clear()
    try:
        table = clusters.read_table(clusters.PATH)
        c = (<dict>table).get(word)
        if c is None:
            for p in _BY_FIRST.get(word[:1], ()):
                if word.startswith(p) and len(word) - len(<str>p) >= 2:
                    c = (<dict>table).get(word[len(<str>p):])
                    if c is not None:
                        break
    except Exception:   # (as __missing__: a missing or broken table gives no feature)
        c = None
    (<dict>cache)[word] = c
    return c


def cluster_of(str word):
    """cluster (for the tests: features._cluster's twin)."""
    return cluster(word)


cdef tuple neighbour_key(list toks, list starts, t, dict d, bint words, clusters, cache):
    """features._neighbour_key, with the report's tokens and their starts (ctx.tok_starts), the
    trigger's data, NEIGHBOUR_WORDS and the cluster module and cache read once by the caller;
    the token after the trigger searched from the one at its start (n1 >= n0), step by step."""
    cdef Py_ssize_t n0 = d["n0"], n1 = d["n1"]
    cdef Py_ssize_t i = bisect_left_from(starts, n0, 0), j = i, n = len(starts)
    # the token after the trigger: a trigger is a few tokens long, so a step at a time from its
    # first (bisect_left_from's answer: the first j >= i whose start is >= n1), bisected past 8
    if n1 >= n0:
        while j < n and j - i < 8 and <Py_ssize_t>starts[j] < n1:
            j += 1
        if j < n and <Py_ssize_t>starts[j] < n1:
            j = bisect_left_from(starts, n1, j)
    else:
        j = bisect_left_from(starts, n1, 0)
    sent = slot(t, _SpanType, _SP_SENT, "sent")
    wb = cb = wa = ca = None
    if i > 0:
        tok = toks[i - 1]
        if slot(tok, _TokenType, _TK_SENT, "sent") == sent:
            w = slot(tok, _TokenType, _TK_NORM, "norm")
            c = cluster_in(w, clusters, cache)
            wb, cb = (w if words else None), (c[1] if c is not None else None)
    if j < len(toks):
        tok = toks[j]
        if slot(tok, _TokenType, _TK_SENT, "sent") == sent:
            w = slot(tok, _TokenType, _TK_NORM, "norm")
            c = cluster_in(w, clusters, cache)
            wa, ca = (w if words else None), (c[1] if c is not None else None)
    return wb, cb, wa, ca


cdef inline str num_key(str prefix, x):
    """prefix + "%d" % x: an int's digits by str (PyUnicode_Format costs ~1,100 instructions)."""
    return prefix + (str(x) if type(x) is int else "%d" % x)


cdef dict own_words(tuple key, clusters, cache):
    """features._own_words' features of a key whose ids the Fast lacks, in its order (not kept in
    its _OWN_WORDS: the Fast keeps their ids); the word's cluster by cluster_in, with the cluster
    module and cache shared_ids read."""
    pat, pre, word, pos = key
    cdef dict f = {}
    f["p:" + pat] = 1.0
    if pre:
        f["pre:" + pre] = 1.0
    suf = word[len(pat):] if word.startswith(pat) else ""
    if suf:
        f["suf:" + suf] = 1.0
    f["pos:" + pos] = 1.0
    c = cluster_in(word, clusters, cache)
    if c is not None:
        f[num_key("c:", c[0])] = 1.0
        f[num_key("cf:", c[1])] = 1.0
    return f


cdef dict neighbour_feats(tuple key):
    """features._neighbour_feats."""
    wb, cb, wa, ca = key
    cdef dict f = {}
    if wb is not None:
        f["w-1:" + wb] = 1.0
    if cb is not None:
        f[num_key("c-1:", cb)] = 1.0
    if wa is not None:
        f["w+1:" + wa] = 1.0
    if ca is not None:
        f[num_key("c+1:", ca)] = 1.0
    return f


def own_words_of(tuple key):
    """own_words with features.py's cluster module and cache (for the tests: _own_words' twin)."""
    return own_words(key, _f._clusters, _f._CLUSTER_OF)


def neighbour_feats_of(tuple key):
    """neighbour_feats (for the tests: features._neighbour_feats' twin)."""
    return neighbour_feats(key)


cdef tuple shared_ids(doc, ctx, tuple region, list g, fast):
    """features.shared_ids. What a trigger met for the first time in the report asks (the tables,
    the tokens and their starts, the report's text, the cluster module and cache) is
    read once per call, at its first such trigger, not once per trigger; the spans' and tokens'
    fields read from their slots."""
    cdef dict own_ids, near_ids, d
    cdef dict cache = cx(ctx, _CX_CLAUSE_IDS, "clause_ids"), lex = cx(ctx, _CX_TRIGGER_IDS, "trigger_ids")
    cdef list toks = None, starts
    cdef str norm
    cdef bint words = False
    ids = cache.get(region)
    if ids is None:
        lo, hi = region
        ids = cache[region] = fa(fast, _FA_TABLE, "table").region_ids(fa(fast, _FA_WORDS, "words"), norms(ctx),
                                                                     ntok(ctx, lo), ntok(ctx, hi))
    cdef list parts = [ids]
    for t in g:
        tkey = PyLong_FromVoidPtr(<void *>t)   # id(t)
        tid = lex.get(tkey)
        if tid is None:
            if toks is None:
                toks, starts, norm = doc.tokens, cx(ctx, _CX_TOKS, "tok_starts"), doc.norm
                most = _f._MAX_CLAUSE_KEYS
                table, own_ids = fa(fast, _FA_TABLE, "table"), fa(fast, _FA_TRIGGER_OWN, "trigger_own")
                near_ids = fa(fast, _FA_NEIGHBOUR_IDS, "neighbour_ids")
                words = _f.NEIGHBOUR_WORDS
                clusters, ccache = _f._clusters, _f._CLUSTER_OF
            d = slot(t, _SpanType, _SP_DATA, "data")
            key = (d.get("pattern", ""), d.get("prefix", ""), norm[d.get("core_start", d["n0"]):d["n1"]],
                   d.get("pos", "n"))   # features._trigger_key
            own = own_ids.get(key)
            if own is None:
                if len(own_ids) > most:
                    own_ids.clear()
                own = own_ids[key] = table.ids_of(own_words(key, clusters, ccache))
            nkey = neighbour_key(toks, starts, t, d, words, clusters, ccache)
            near = near_ids.get(nkey)
            if near is None:
                if len(near_ids) > most:
                    near_ids.clear()
                near = near_ids[nkey] = table.ids_of(neighbour_feats(nkey))
            tid = lex[tkey] = own + near
        parts.append(tid)
    return tuple(parts)


def shared_ids_of(doc, ctx, tuple region, list g, fast):
    """shared_ids (for the tests: features.shared_ids' twin)."""
    return shared_ids(doc, ctx, region, g, fast)


from marsad.text.tokens import _BY_FIRST
# features.py's cluster cache class and clusters module as shipped (cluster() reads the cache itself)
cdef object _ClusterOf_shipped = _f._ClusterOf
cdef object _clusters_shipped = _f._clusters
from marsad.components.events import native as _native

# native.Fast's fields (its slots) read in place where the object is a Fast: a candidate's sums read
# the table and the bias, a new trigger's ids the caches
cdef object _FastType = _native.Fast
cdef Py_ssize_t _FA_TABLE = slot_of(_native.Fast, "table"), _FA_BIAS = slot_of(_native.Fast, "bias")
cdef Py_ssize_t _FA_WORDS = slot_of(_native.Fast, "words"), _FA_TRIGGER_OWN = slot_of(_native.Fast, "trigger_own")
cdef Py_ssize_t _FA_NEIGHBOUR_IDS = slot_of(_native.Fast, "neighbour_ids")


cdef inline object fa(fast, Py_ssize_t at, str name):
    """fast.<name>, from its slot at ``at`` where fast is a native.Fast (not a subclass) and it is set."""
    return slot(fast, _FastType, at, name)


def fast_fields(fast):
    """{name: value} of each field fa reads in place (for the tests)."""
    return {n: fa(fast, at, n) for n, at in (("table", _FA_TABLE), ("bias", _FA_BIAS), ("words", _FA_WORDS),
                                             ("trigger_own", _FA_TRIGGER_OWN), ("neighbour_ids", _FA_NEIGHBOUR_IDS))}


cdef str stem(str word):
    """features._stem."""
    for p in _BY_FIRST.get(word[:1], ()):
        if word.startswith(p) and len(word) - len(<str>p) >= 3:
            return word[len(<str>p):]
    return word


cdef class WordIds(dict):
    """native._WordIds: word -> the id of its clause-word key, made in the look-up itself."""

    cdef object table

    def __init__(self, table):
        self.table = table

    def __missing__(self, str word):
        if len(self) > _native._MAX_WORDS:
            self.clear()
        i = self[word] = self.table.id_of("cw:" + stem(word))
        return i


def incident_sums(doc, ctx, ev, list g, dict info, fast):
    """features.incident_sums."""
    return fa(fast, _FA_TABLE, "table").sums(own_features(doc, ctx, ev, g, info), fa(fast, _FA_BIAS, "bias"),
                                             shared_ids(doc, ctx, inc(ev, _IN_REGION, "region"), g, fast))


def drop_sum(doc, ctx, Py_ssize_t si, Py_ssize_t a, Py_ssize_t b, list g, list groups, Py_ssize_t gi,
             list weapons, breaks, list gates, alt, dict info, fast):
    """bound.drop_sum (the compiled sums' path: ``fast`` is the report's native.Fast)."""
    return drop_sum_c(doc, ctx, si, a, b, g, groups, gi, weapons, breaks, gates, alt, info, fast)


cdef tuple drop_sum_c(doc, ctx, Py_ssize_t si, Py_ssize_t a, Py_ssize_t b, list g, list groups, Py_ssize_t gi,
                      list weapons, breaks, list gates, alt, dict info, fast):
    """drop_sum, called by headroom_c with no Python call where the Bound holds drop_sum itself."""
    cdef list brk = breaks if type(breaks) is list else list(breaks)
    cdef Py_ssize_t ng = len(groups), lo, hi
    cdef dict f = {"rule:drop": 1.0}
    cdef set kinds = set(), tkinds = set()
    # build.stretch
    lo = a if gi == 0 else cut(groups, brk, gi)
    hi = b if gi == ng - 1 else cut(groups, brk, gi + 1)
    my_weapons = ctx.within(weapons, lo, hi) or (weapons if ng == 1 else [])
    top = None
    for t in g:
        kinds.add(trigger_kind(t))
        tkinds.add(sdata(t)["kind"])
        s = strength_in(sdata(t))
        if top is None or s > top:
            top = s
    kind = group_kind(ctx, g, kinds, my_weapons)[1]
    for gate in gates:
        f["gate:" + gate] = 1.0
    if not gates:
        f["gate:none"] = 1.0
    if alt:
        f["alt"] = 1.0
    f[str_key(top)] = 1.0
    if len(g) > 1:
        f["ntrig:2+"] = 1.0
    if len(tkinds) > 1:
        f["nkinds:2+"] = 1.0
    if info.get("has_time"):
        f["time"] = 1.0
    for x in (<dict>cx(ctx, _CX_BY_SENT, "by_sent")["sources"]).get(si, ()):
        if slot(x, _SpanType, _SP_LABEL, "label"):
            f["source"] = 1.0
            break
    group_flags(g, info, f)
    return fa(fast, _FA_TABLE, "table").sums(f, fa(fast, _FA_BIAS, "bias"), shared_ids(doc, ctx, (lo, hi), g, fast))[0], kind


cdef object _drop_sum_shipped = drop_sum   # (headroom_c calls drop_sum_c where the Bound holds it)


# -- the candidate's record ---------------------------------------------------------------------

# rules' kind sets and PRECEDENCE as imported (group_kind's C twins of primary_kind and disrupted read
# them; a kind's rank is its first place in PRECEDENCE)
from marsad.components.events.rules import ASSAULT_KINDS, EXPLOSIVE_KINDS, PRECEDENCE, SEIZE_WORDS
cdef dict _RANK = {k: PRECEDENCE.index(k) for k in PRECEDENCE}
# (the same set objects, typed: a look-up in them is PySet_Contains, not a generic ``in``)
cdef set _DEPENDENT_S = DEPENDENT, _CAMPAIGN_S = CAMPAIGN_WORDS, _EXPLOSIVE_S = EXPLOSIVE_KINDS
cdef set _SEIZE_S = SEIZE_WORDS, _PROTEST_S = PROTEST_KINDS, _ASSAULT_S = ASSAULT_KINDS
# a weapon label -> rules.weapon_kind's answer (an lru_cache hit costs ~860 instructions), bounded
cdef dict _WEAPON_KINDS = {}


cdef object weapon_kind_c(label):
    """rules.weapon_kind, its answers kept by label."""
    cdef PyObject *got = PyDict_GetItem(_WEAPON_KINDS, label)
    if got != NULL:
        return <object>got
    k = weapon_kind(label)
    if len(_WEAPON_KINDS) > 10000:
        _WEAPON_KINDS.clear()
    _WEAPON_KINDS[label] = k
    return k


cdef inline bint meets(set a, set b) except -1:
    """bool(a & b): a kind of the small set ``a`` in ``b``, with no new set."""
    for k in a:
        if k in b:
            return True
    return False


cdef str primary_kind_c(set kinds):
    """rules.primary_kind of two kinds or more (no new set: ``&`` read by ``meets``; the first kind
    of PRECEDENCE in ``kinds`` found as the one of least rank)."""
    cdef Py_ssize_t best = -1, r
    if meets(kinds, _PROTEST_S) and not meets(kinds, _ASSAULT_S):
        if "riot" in kinds:
            return "riot"
        if "protest" in kinds and ("intervention" in kinds or "arrest" in kinds):
            return "intervention"
        if "protest" in kinds:
            return "protest"
        if "intervention" in kinds:
            return "intervention"
    got = None
    for k in kinds:
        at = _RANK.get(k)
        if at is not None:
            r = at
            if best < 0 or r < best:
                best, got = r, k
    if got is not None:
        return got
    return next(iter(kinds))


cdef bint disrupted_c(list g) except -1:
    """rules.disrupted: the triggers' data read in its order (each trigger's kind first, as its set
    of kinds is made), with no set or generator."""
    cdef dict d
    cdef bint explosive = False, dependent = False, disrupt = False
    for t in g:
        k = sdata(t)["kind"]
        if k in _EXPLOSIVE_S:
            explosive = True
        if k in _DEPENDENT_S:
            dependent = True
        if _eq(k, "disrupt"):
            disrupt = True
    if not explosive or dependent:
        return False
    for t in g:
        d = sdata(t)
        if d["kind"] in _EXPLOSIVE_S and _in(d.get("pos"), ("v", "vi")):
            return False
    if disrupt:
        return True
    for t in g:
        d = sdata(t)
        if _eq(d["kind"], "arrest") and d["pattern"] in _SEIZE_S:
            return True
    return False


cdef tuple group_kind(ctx, list g, set kinds, list my_weapons):
    """build.group_kind. ``kinds - DEPENDENT`` made only where a dependent kind is in ``kinds``
    (else ``core`` is ``kinds`` itself: no caller changes either); primary_kind and defused_kind's
    disrupted in C (primary_kind_c, disrupted_c), the weapons' kinds kept by label."""
    cdef set core = kinds, ends
    cdef list camp = None, named, wkinds = None
    cdef dict d
    for k in _DEPENDENT_S:
        if k in kinds:
            core = kinds - _DEPENDENT_S
            break
    for t in g:
        if sdata(t)["pattern"] in _CAMPAIGN_S:
            if camp is None:
                camp = []
            camp.append(t)
    if camp is not None and len(core) > 1:
        ends = {ntok(ctx, sdata(t)["n1"]) for t in camp}
        named = camp + [t for t in g if ntok(ctx, sdata(t)["n0"]) in ends]
        only_named = {trigger_kind(t) for t in named} - {trigger_kind(t) for t in g if t not in named}
        if core - only_named:
            core = core - only_named
    # (primary_kind of one kind is that kind: each of its branches returns the one it holds)
    if not core:
        kind = "kill"
    elif len(core) == 1:
        for k in core:
            kind = k
    else:
        kind = primary_kind_c(core)
    if my_weapons and _in(kind, ("attack", "kill", "wound", "ied", "shell")):
        for w in my_weapons:
            k = weapon_kind_c(slot(w, _SpanType, _SP_LABEL, "label"))
            if k:
                if wkinds is None:
                    wkinds = []
                wkinds.append(k)
        if wkinds is not None:
            for k in ("suicide", "chemical", "grenade", "air", "ied_specific", "shell"):
                if k in wkinds and (kind != "shell" or k == "air"):
                    kind = k
                    break
    # (defused_kind: "disrupt" for a kind in _DEFUSABLE whose group is disrupted, else the kind)
    return core, ("disrupt" if kind in _DEFUSABLE and disrupted_c(g) else kind)


def group_kind_of(ctx, list g, set kinds, list my_weapons):
    """group_kind (for the tests: build.group_kind's twin)."""
    return group_kind(ctx, g, kinds, my_weapons)


cdef object my_dates_prec(within, list dates, Py_ssize_t lo, Py_ssize_t hi):
    """build.my_dates_prec (``within``: the report's ctx.within)."""
    mine = within(dates, lo, hi) or dates
    best = None
    for d in mine:
        p = sdata(d).get("precision") or 1
        if best is None or p < best:
            best = p
    return best


cdef tuple trim(str norm, Py_ssize_t lo, Py_ssize_t hi):
    """build._trim."""
    while lo < hi and (norm[lo].isspace() or norm[lo] in _TRIM_LO):
        lo += 1
    while hi > lo and (norm[hi - 1].isspace() or norm[hi - 1] in _TRIM_HI):
        hi -= 1
    return lo, hi


cdef tuple fatalities(list killed, list casualties):
    """build._fatalities."""
    cdef list counts
    cdef set seen
    if not killed:
        for c in casualties:
            if sdata(c).get("combined"):
                return None, []
        return 0, []
    counts = [k for k in killed if isinstance(sdata(k).get("count"), int)]
    if not counts:
        for k in killed:
            if sdata(k).get("combined"):
                return None, killed
        return 10, killed
    seen = set()
    total = 0
    for k in counts:
        key = (slot(k, _SpanType, _SP_START, "start"), slot(k, _SpanType, _SP_END, "end"))
        if key in seen:
            continue
        seen.add(key)
        total += sdata(k)["count"]
    return total, counts


cdef dict _ISO_DAYS = {}   # day -> its isoformat(): most incidents of a run fall on a few days


cdef str iso_day(day):
    """day.isoformat() of a datetime.date (not a subclass), kept by day (~4,500 instructions
    each time otherwise)."""
    got = _ISO_DAYS.get(day)
    if got is None:
        if len(_ISO_DAYS) > 4096:
            _ISO_DAYS.clear()
        got = _ISO_DAYS[day] = day.isoformat()
    return <str>got


def iso_day_of(day):
    """iso_day (for the tests: date.isoformat's twin)."""
    return iso_day(day)


def build_event(doc, ctx, Py_ssize_t si, Py_ssize_t a, Py_ssize_t b, list g, list groups, Py_ssize_t gi,
                list actors, list weapons, list killed, list casualties, list dates, list places, passage_date,
                clause_of, breaks=()):
    """build.build_event."""
    cdef set kinds = {trigger_kind(t) for t in g}
    cdef list brk = breaks if type(breaks) is list else list(breaks)
    cdef Py_ssize_t ng = len(groups), lo, hi, first, last, i, j, c_lo, c_hi, n
    cdef dict d
    cdef bint single = ng == 1, any_actor
    within, nstart = ctx.within, ctx.nstart
    # build.stretch
    lo = a if gi == 0 else cut(groups, brk, gi)
    hi = b if gi == ng - 1 else cut(groups, brk, gi + 1)
    my_weapons = within(weapons, lo, hi) or (weapons if single else [])
    core, kind = group_kind(ctx, g, kinds, my_weapons)
    if not core and "kill" not in kinds:
        if not my_weapons:
            any_actor = False
            for x in actors:
                n = nstart(x)
                if lo <= n < hi and not is_victim(x):
                    any_actor = True
                    break
            if not any_actor:
                return None
    first, last = group_end(g, "n0", -1), group_end(g, "n1", 1)
    i = bisect_right(brk, first) - 1
    c_lo = max(lo, a, <Py_ssize_t>brk[i] if i >= 0 else a)
    j = bisect_left(brk, last)
    c_hi = min(hi, b, <Py_ssize_t>brk[j] if j < len(brk) else b)
    if c_hi <= c_lo:
        c_lo, c_hi = first, last
    norm_text = doc.norm
    c_lo, c_hi = trim(norm_text, c_lo, c_hi)
    ev_span = doc_span(doc, c_lo, c_hi, si)
    scene = place_of(doc, ctx, si, slot(ev_span, _SpanType, _SP_START, "start"), slot(ev_span, _SpanType, _SP_END, "end"), first, (lo, hi) if ng > 1 else None)
    # (coded_place returns a scene that is no country as it is: called only for a country)
    place = scene if scene is None or sdata(scene).get("feature") != "country" else coded_place(ctx, scene)
    cdef dict pdata = place.data if place is not None else None
    guess = (pdata.get("country_code") if pdata is not None else None) or cx(ctx, _CX_COUNTRY, "country")
    agent, victim = assign_actors(doc, ctx, g, actors, kind, clause_of, (lo, hi), guess, first)
    if agent is None and gi == 0 and cx(ctx, _CX_PREV_AGENT, "prev_agent") is not None and _opens_with_verb(doc, ctx, a, g, first):
        agent = cx(ctx, _CX_PREV_AGENT, "prev_agent")
        if victim is not None and same_side(actor_out_in(ctx, victim, guess)[0], actor_out_in(ctx, agent, guess)[0]):
            victim = None
    cdef Py_ssize_t n_armed = 0
    for x in (agent, victim):
        if x is not None and not is_victim(x) and sdata(x).get("inter") not in (6, 7):
            n_armed += 1
    if _in(kind, ("kill", "wound", "attack", "vac")) and my_dates_prec(within, dates, lo, hi) == 3:
        return None
    if _eq(kind, "transfer"):
        any_actor = False
        for x in (agent, victim):
            if x is not None and not is_victim(x) and not slot(x, _SpanType, _SP_LABEL, "label").startswith("Government"):
                any_actor = True
                break
        if not any_actor:
            return None
    if _in(kind, ("attack", "kill", "wound", "vac")) and n_armed == 2:
        kind = "battle"
    elif _in(kind, ("kill", "wound", "attack")) and agent is None and victim is not None \
            and sdata(victim).get("inter") in (1, 2, 3, 8):
        kind = "battle"
    et, st, pt = TYPE_OF[kind]
    ev_span.label = et
    if _eq(kind, "territory") and agent is not None:
        inter = sdata(agent).get("inter")
        st = "Non-state actor overtakes territory"
        if inter == 1:
            st = "Government regains territory"
        else:
            for k in PRO_GOVERNMENT:
                if k in slot(agent, _SpanType, _SP_LABEL, "label"):
                    st = "Government regains territory"
                    break
    elif _eq(kind, "territory") and victim is not None and sdata(victim).get("inter") == 1:
        st = "Non-state actor overtakes territory"
    elif _eq(kind, "territory"):
        for t in g:
            d = sdata(t)
            if d["kind"] == "territory":
                st = d["sub_event_type"]
                break
    if _eq(kind, "protest") and killed and agent is not None and sdata(agent).get("inter") == 1:
        st = "Excessive force against protesters"

    cdef list evidence = [evidence_of(ev_span, "event")]
    date_val, prec, date_span = None, None, None
    my_dates = within(dates, lo, hi) or (dates if single else [])
    if my_dates:
        said = []
        for dd in my_dates:
            n = nstart(dd)
            if n < first and _SAID_DAY.search(norm_text, ctx.nend(dd), first):
                for c in sl(ctx, "cues", si):
                    d = sdata(c)
                    if d["cue"] == "attribution" and d["n1"] <= n:
                        said.append(dd)
                        break
        if said and len(said) < len(my_dates):
            my_dates = [dd for dd in my_dates if dd not in said]
        in_clause = within(my_dates, c_lo, c_hi)
        if in_clause:
            dd = max(in_clause, key=lambda dd: (sdata(dd)["date"], -abs(nstart(dd) - first)))
        else:
            dd = min(my_dates, key=lambda dd: abs(nstart(dd) - first))
        d = sdata(dd)
        date_val, prec, date_span = d["date"], d.get("precision", 1), dd
    elif passage_date is not None:
        date_val, prec, date_span = passage_date
    else:
        night = []
        for dd in sl(ctx, "dates", si):
            d = sdata(dd)
            if d["kind"] == "night" and d.get("date") and (single or lo <= nstart(dd) < hi):
                night.append(dd)
        if night:
            date_val, prec, date_span = sdata(night[0])["date"], 1, night[0]
        elif doc.published:
            date_val, prec = doc.published, 1
    if isinstance(date_val, _Date):
        date_str = iso_day(date_val) if type(date_val) is _Date else date_val.isoformat()
    elif isinstance(date_val, str) and date_val:
        date_str = date_val[:10]
    else:
        date_str, prec = None, None
    if date_span is not None:
        evidence.append(evidence_of(date_span, "date"))
    cdef bint said_day = date_span is not None and slot(date_span, _SpanType, _SP_SENT, "sent") == si and sdata(date_span)["kind"] != "night"

    my_killed = within(killed, lo, hi) or (killed if single else [])
    fat, fat_spans = fatalities(my_killed, casualties)
    for k in fat_spans:
        evidence.append(evidence_of(k, "fatalities"))

    country = (pdata.get("country_code") if pdata is not None else None) or _actor_country(agent, victim) \
        or cx(ctx, _CX_COUNTRY, "country")
    a1, i1 = actor_out_in(ctx, agent, country)
    a2, i2 = actor_out_in(ctx, victim, country)
    if _eq(et, "Protests") or _eq(et, "Riots"):
        crowd = state = None
        for x in (agent, victim):
            if x is not None and sdata(x).get("inter") in (5, 6):
                crowd = x
                break
        for x in (agent, victim):
            if x is not None and sdata(x).get("inter") == 1:
                state = x
                break
        if crowd is not None:
            a1, i1 = actor_out_in(ctx, crowd, country)
        else:
            a1 = ("Protesters (%s)" if et == "Protests" else "Rioters (%s)") % (country_name(country) or "Unknown")
            a1 = a1.replace(" (Unknown)", "")
            i1 = 6 if et == "Protests" else 5
            word = g[0]
            for t in g:
                if sdata(t)["kind"] in PROTEST_KINDS:
                    word = t
                    break
            evidence.append(evidence_of(word, "actor1"))
        if state is not None and st != "Peaceful protest":
            a2, i2 = actor_out_in(ctx, state, country)
        else:
            a2, i2 = None, None
        agent, victim = crowd, (state if a2 else None)
    elif a2 is not None and victim is not None and _eq(sdata(victim).get("kind"), "protesters"):
        a2, i2 = ("Civilians (%s)" % country_name(country)).replace(" ()", ""), 7
    if agent is not None:
        evidence.append(evidence_of(agent, "actor1"))
    if victim is not None:
        evidence.append(evidence_of(victim, "actor2"))
    cdef list wnames = []
    for w in my_weapons:
        lab = slot(w, _SpanType, _SP_LABEL, "label")
        if lab and lab not in wnames:
            wnames.append(lab)
        evidence.append(evidence_of(w, "weapon"))
    cdef list srcs = []
    for s in sl(ctx, "sources", si):
        lab = slot(s, _SpanType, _SP_LABEL, "label")
        if lab and lab not in srcs:
            srcs.append(lab)
        evidence.append(evidence_of(s, "source"))
    if pdata is not None:
        loc_cc, loc_a1 = pdata.get("country_code"), pdata.get("admin1_code")
        loc_name = pdata.get("location") or slot(place, _SpanType, _SP_LABEL, "label")
        loc_ar = pdata.get("location_ar") or place.text
        loc_lat, loc_lon, loc_gp = pdata.get("latitude"), pdata.get("longitude"), pdata.get("geo_precision")
        evidence.append(evidence_of(place, "location"))
    else:
        loc_cc = loc_a1 = loc_name = loc_ar = loc_lat = loc_lon = loc_gp = None
        if country:
            loc_name, loc_gp = country_name(country), 3
    cdef object top = 1
    for t in g:
        sv = strength_in(sdata(t))
        if t is g[0] or sv > top:
            top = sv
    cdef bint clause_place = False
    if ng > 1 and scene is not None and slot(scene, _SpanType, _SP_SENT, "sent") == si:
        n = nstart(scene)
        clause_place = lo <= n < hi
    cdef bint explicit = False
    if agent is not None:
        n = nstart(agent)
        explicit = agent_marked(ctx, n) or (_eq(et, "Battles") and victim is not None and between_marked(ctx, n))
    cdef bint approx = False
    for k in fat_spans:
        d = sdata(k)
        if d.get("approx") or not isinstance(d.get("count"), int):
            approx = True
            break
    began = False
    if _eq(et, "Battles") and said_day:
        n = nstart(date_span)
        began = _BEGAN.search(norm_text, max(a, n - 60), n) is not None
    # the slots set directly (the dataclass' __init__ parses 21 keywords a candidate; _set_built:
    # in place); every field of Incident is set here, those build_event gives no value their
    # defaults (test_events_cand)
    inc = _new_incident(Incident)
    _set_built(inc, (
        {
            "event_type": et, "sub_event_type": st, "plover_type": pt,
            "event_date": date_str, "time_precision": prec,
            "country_code": loc_cc or country or None,
            "admin1_code": loc_a1, "location": loc_name,
            "location_ar": loc_ar, "latitude": loc_lat,
            "longitude": loc_lon, "geo_precision": loc_gp,
            "actor1": a1, "inter1": i1, "actor2": a2, "inter2": i2,
            "fatalities": fat, "weapons": wnames, "sources": srcs, "notes": "",
            "evidence": evidence, "confidence": 0.0},
        si,   # sent
        kind,   # kind
        sorted(kinds),   # kinds
        [t.text for t in g],   # triggers
        top,   # strength
        agent,   # agent
        victim,   # victim
        explicit,   # explicit_agent
        first,   # first
        (lo, hi),   # region
        place,   # place_span
        bool(pdata is not None and pdata.get("resolved", True) and pdata.get("latitude") is not None),   # place_resolved
        scene is not None and slot(scene, _SpanType, _SP_SENT, "sent") == si,   # place_in_sentence
        clause_place,   # clause_place
        said_day,   # has_date_cue
        0 if date_span is None else (2 if said_day else 1),   # date_src
        began,   # began
        bool(fat_spans),   # fat_known
        approx,   # fat_approx
        fat_spans,   # fat_spans
        killed,   # killed
        0.0,   # score
        False,   # weak
        False,   # ongoing
        False,   # split
        1,   # mentions
        None,   # feats
        None,   # rule
        None,   # p
        False,   # is_copy
        None,   # place_opts
        None,   # role_feats
        None,   # toll_opts
    ))
    return inc


# -- a sentence's candidates (candidates._sentence_events_py) ----------------------------------

from bisect import bisect_right as _bisect_right
from functools import partial as _partial
from marsad.components.events._offsets cimport offset_index

# bound by bind_sentence(): candidates.py's patterns, constants and callees (those a test may
# replace in candidates.py, read from its namespace at each call: _CD)
cdef dict _CD = {}
cdef object _COUNTS_OF_match, _AFTER_CLAUSE_search, _PROTEST_ABOUT_search, _YEAR_finditer
cdef object _clause_breaks, _inside_any, _compatible, _elsewhere, _CLAUSE_PUNCT_finditer
cdef object _lin_dot, _lin_sigmoid, _toll_options_py, _choose_py, _should_swap_py
cdef object _time_in, _protest_support_in, _crowd_in, _tally, _sigmoid, _roles, _tolls, _split_places
cdef object _arguments, _retype, _trigger_weight, _first_n0, _placed_among, _defused_kind, _primary_kind
cdef object _BACKGROUND_DAYS, _HARD_CUES, _FUTURE_PREFIX, _DEFAULT_TOLL_KINDS, _NONLETHAL_KINDS, _TYPE_ORDER
cdef object _W_TOLL_o, _W_TIME_o, _W_AGENT_o, _W_VICTIM_o, _W_EXPLICIT_o, _W_PLACE_o, _W_WEAPON_o, _W_SOURCE_o
cdef object _W_SPECIFIC_o, _W_VERB_o, _THRESHOLD, _NONLETHAL_THRESHOLD, _PROTEST_THRESHOLD, _SUPPORT_MARGIN
cdef object _ONGOING_MARGIN, _paragraph_sizes, _carries, _specificity, _usable_place
cdef tuple _SINCE = ("منذ", "منذ عام", "منذ العام")
cdef tuple _RECENT_KINDS = ("relative", "weekday")


# rules.crowd_in as shipped, and its word set: asked in C where candidates.py holds that very
# function and the set is made (_crowd_c); a replaced one is called
from marsad.components.events import rules as _rules_mod
cdef object _CROWD_IN_SHIPPED = _rules_mod.crowd_in if _rules_mod._CROWD_SET is not None else None
cdef object _CROWD_SET = _rules_mod._CROWD_SET


cdef bint _crowd_c(list toks) except -1:
    """rules.crowd_in(text, toks) with its word set made: a token that is a crowd word, or one of
    decimal digits only (str.isdecimal: not empty, each character a decimal digit)."""
    cdef Py_ssize_t i, n
    cdef int kind
    cdef void *data
    cdef str w
    for x in toks:
        if x in _CROWD_SET:
            return True
    for x in toks:
        w = <str?>x
        n = PyUnicode_GET_LENGTH(w)
        if n == 0:
            continue
        kind = PyUnicode_KIND(w)
        data = PyUnicode_DATA(w)
        i = 0
        while i < n and Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, i)):
            i += 1
        if i == n:
            return True
    return False


def crowd_of(list toks):
    """_crowd_c (for the tests: rules.crowd_in's twin)."""
    return _crowd_c(toks)


def bind_sentence(candidates):
    """Read what candidates.py holds (its end, once it is built)."""
    global _CD, _COUNTS_OF_match, _AFTER_CLAUSE_search, _PROTEST_ABOUT_search, _YEAR_finditer
    global _clause_breaks, _inside_any, _compatible, _elsewhere, _CLAUSE_PUNCT_finditer, _dash_scan
    global _lin_dot, _lin_sigmoid, _toll_options_py, _choose_py, _should_swap_py
    global _time_in, _protest_support_in, _crowd_in, _tally, _sigmoid, _roles, _tolls, _split_places
    global _arguments, _retype, _trigger_weight, _first_n0, _placed_among, _defused_kind, _primary_kind
    global _BACKGROUND_DAYS, _HARD_CUES, _FUTURE_PREFIX, _DEFAULT_TOLL_KINDS, _NONLETHAL_KINDS, _TYPE_ORDER
    global _W_TOLL_o, _W_TIME_o, _W_AGENT_o, _W_VICTIM_o, _W_EXPLICIT_o, _W_PLACE_o, _W_WEAPON_o, _W_SOURCE_o
    global _W_SPECIFIC_o, _W_VERB_o, _THRESHOLD, _NONLETHAL_THRESHOLD, _PROTEST_THRESHOLD, _SUPPORT_MARGIN
    global _ONGOING_MARGIN, _paragraph_sizes, _carries, _specificity, _usable_place
    c = candidates
    _CD = c.__dict__
    _COUNTS_OF_match, _AFTER_CLAUSE_search = c._COUNTS_OF.match, c._AFTER_CLAUSE.search
    _PROTEST_ABOUT_search, _YEAR_finditer = c._PROTEST_ABOUT.search, c.YEAR.finditer
    _clause_breaks, _inside_any, _compatible, _elsewhere = c.clause_breaks, c.inside_any, c.compatible, c.elsewhere
    from marsad.components.events import clauses
    _CLAUSE_PUNCT_finditer = clauses._CLAUSE_PUNCT.finditer
    _dash_scan = clauses._CLAUSE_PUNCT.pattern == _SHIPPED_CLAUSE_PUNCT
    from marsad.components.events import linear
    _lin_dot, _lin_sigmoid = linear.dot, linear.sigmoid
    _toll_options_py, _choose_py, _should_swap_py = c.tolls.toll_options, c.tolls.choose, c.roles.should_swap
    _time_in = c.time_in
    _protest_support_in, _crowd_in, _tally, _sigmoid = c.protest_support_in, c.crowd_in, c.tally, c._sigmoid
    _roles, _tolls, _split_places, _arguments, _retype = c.roles, c.tolls, c.split_places, c.arguments, c.retype
    _trigger_weight, _first_n0, _placed_among = c.trigger_weight, c._first_n0, c._placed_among
    _defused_kind, _primary_kind = c.defused_kind, c.primary_kind
    _BACKGROUND_DAYS, _HARD_CUES, _FUTURE_PREFIX = c.BACKGROUND_DAYS, c.HARD_CUES, c.FUTURE_PREFIX
    _DEFAULT_TOLL_KINDS, _NONLETHAL_KINDS, _TYPE_ORDER = c.DEFAULT_TOLL_KINDS, c.NONLETHAL_KINDS, c._TYPE_ORDER
    _W_TOLL_o, _W_TIME_o, _W_AGENT_o, _W_VICTIM_o = c.W_TOLL, c.W_TIME, c.W_AGENT, c.W_VICTIM
    _W_EXPLICIT_o, _W_PLACE_o, _W_WEAPON_o, _W_SOURCE_o = c.W_EXPLICIT, c.W_PLACE, c.W_WEAPON, c.W_SOURCE
    _W_SPECIFIC_o, _W_VERB_o, _THRESHOLD = c.W_SPECIFIC, c.W_VERB, c.THRESHOLD
    _NONLETHAL_THRESHOLD, _PROTEST_THRESHOLD = c.NONLETHAL_THRESHOLD, c.PROTEST_THRESHOLD
    _SUPPORT_MARGIN, _ONGOING_MARGIN = c.SUPPORT_MARGIN, c.ONGOING_MARGIN
    _paragraph_sizes, _carries, _specificity = c.paragraph_sizes, c.carries, c.specificity
    from marsad.components.events.places import usable_place
    _usable_place = usable_place


# -- the bound of a "drop" candidate (bound.py's Bound.headroom and _outcomes) -------------------

cdef object _Bound = None, _cannot_keep = None, _headroom = None, _drop_sum_py = None
cdef double _SLACK = 1e-6
cdef tuple _TERRITORY_SUBS = ()
cdef str _EXCESSIVE = ""
cdef double _INF = float("inf")


def bind_bound(bound):
    """Read what bound.py holds (its end, once it is built)."""
    global _Bound, _cannot_keep, _headroom, _drop_sum_py, _SLACK, _TERRITORY_SUBS, _EXCESSIVE
    _Bound, _cannot_keep, _headroom = bound.Bound, bound.Bound.cannot_keep, bound.Bound.headroom
    _drop_sum_py, _SLACK = bound.drop_sum, bound._SLACK
    _TERRITORY_SUBS, _EXCESSIVE = tuple(bound._TERRITORY_SUBS), bound._EXCESSIVE


cdef list outcomes_c(str kind, list g, prev):
    """bound._outcomes."""
    cdef list kinds = [kind], out = []
    if kind in ("attack", "kill", "wound", "vac"):
        kinds.append("battle")
    for k in kinds:
        et, st, _ = TYPE_OF[k]
        out.append((k, et, st))
        if k == "territory":
            for s in _TERRITORY_SUBS:
                out.append((k, et, s))
            for t in g:
                if sdata(t)["kind"] == "territory":
                    out.append((k, et, sdata(t)["sub_event_type"]))
        elif k == "protest":
            out.append((k, et, _EXCESSIVE))
    if kind == "shell" and prev is not None and inc(prev, _IN_KIND, "kind") == "air":
        out.append(("air", TYPE_OF["shell"][0], inc(prev, _IN_FIELDS, "fields")["sub_event_type"]))
    return out


cdef double headroom_c(bnd, doc, ctx, Py_ssize_t si, Py_ssize_t a, Py_ssize_t b, list g, groups, Py_ssize_t gi,
                       list weapons, breaks, list gates, alt, dict info, prev) except? -1.0:
    """bound.Bound.headroom: the same floats (added in its order), the same cache of typed sums."""
    cdef double z, most = -_INF, v
    fast = cx(ctx, _CX_FAST, "fast")
    dsum = bnd._drop_sum
    if fast is not None and dsum is _drop_sum_shipped and type(groups) is list:
        zz, kind = drop_sum_c(doc, ctx, si, a, b, g, <list>groups, gi, weapons, breaks, gates, alt, info, fast)
    elif fast is not None and dsum is not None:
        zz, kind = dsum(doc, ctx, si, a, b, g, groups, gi, weapons, breaks, gates, alt, info, fast)
    else:
        zz, kind = _drop_sum_py(bnd.model, doc, ctx, si, a, b, g, groups, gi, weapons, breaks, gates, alt, info)
    z = zz
    z += <double>bnd.fields
    outcomes, gs = tuple(outcomes_c(kind, g, prev)), tuple(gates)
    got = (<dict>bnd._typed_of).get((outcomes, gs, alt))
    if got is None:
        got = bnd._typed(outcomes, gs, alt)
    for typed, limit in got:
        v = z + <double>typed - <double>limit
        if v > most:
            most = v
    return most


def headroom(bnd, doc, ctx, si, a, b, g, groups, gi, weapons, breaks, gates, alt, info, prev):
    """headroom_c (for the tests: bound.Bound.headroom's twin)."""
    return headroom_c(bnd, doc, ctx, si, a, b, g, groups, gi, weapons, breaks, gates, alt, info, prev)


cdef inline list sl(ctx, str layer, si):
    """Ctx.sl."""
    return sl_of(<dict>cx(ctx, _CX_BY_SENT, "by_sent"), layer, si)


cdef inline list sl_of(dict by_sent, str layer, si):
    """Ctx.sl with ctx.by_sent read by the caller (once a sentence); a new empty list where the
    sentence has none, made only then."""
    got = (<dict>by_sent[layer]).get(si)
    return [] if got is None else <list>got


cdef inline Py_ssize_t span_n0(offsets, s) except -1:
    """Ctx.nstart."""
    n = sdata(s).get("n0")
    return offset_index(offsets, s.start) if n is None else n


cdef inline Py_ssize_t span_n1(offsets, s) except -1:
    """Ctx.nend."""
    n = sdata(s).get("n1")
    return offset_index(offsets, s.end) if n is None else n


cdef set actor_tokens_c(doc, ctx, sent):
    """Ctx.actor_tokens: the indexes of the tokens inside the sentence's actor spans, cached in
    ctx._actor_toks (each span's tokens added by a C loop)."""
    cdef dict cache = cx(ctx, _CX_ACTOR_TOKS, "_actor_toks")
    got = cache.get(sent)
    if got is not None:
        return <set>got
    cdef set out = set()
    cache[sent] = out
    cdef list tok_starts = cx(ctx, _CX_TOKS, "tok_starts")
    offsets = doc.offsets
    cdef Py_ssize_t i, hi
    for x in sl(ctx, "actors", sent):
        i = bisect_left(tok_starts, span_n0(offsets, x))
        hi = bisect_left(tok_starts, span_n1(offsets, x))
        while i < hi:
            out.add(i)
            i += 1
    return out


def actor_tokens(doc, ctx, sent):
    """actor_tokens_c (for the tests: Ctx.actor_tokens' twin)."""
    return actor_tokens_c(doc, ctx, sent)



from marsad.components.events import clauses as _clauses_mod
# clauses.punct_marks as shipped, and its characters: the report's marks found in one C pass
# where clauses.py holds that very function and those characters
cdef object _PUNCT_MARKS_SHIPPED = _clauses_mod.punct_marks if _clauses_mod._PUNCT_CHARS == ",:;()[]" else None


# ",:;()[]" as bits over their span "(" (0x28) .. "]" (0x5D): one subtraction and compare per
# character (most are Arabic letters or spaces, outside the span), a bit test for the few inside
cdef unsigned long long _PUNCT_BITS = ((1ULL << 0) | (1ULL << 1) | (1ULL << 4) | (1ULL << 0x12)
                                       | (1ULL << 0x13) | (1ULL << 0x33) | (1ULL << 0x35))


cdef extern from "Python.h":
    ctypedef unsigned char Py_UCS1
    ctypedef unsigned short Py_UCS2


cdef inline bint _is_punct(Py_UCS4 c) noexcept nogil:
    cdef unsigned int d = <unsigned int>c - 0x28u   # (unsigned: below "(" wraps past the span)
    return d <= 0x35u and <bint>((_PUNCT_BITS >> d) & 1u)


cdef list punct_marks_c(str norm):
    """clauses.punct_marks: where one of ",:;()[]" is in the text, in order (one pass, no find
    per character and no sort; a loop per width of the text's characters)."""
    cdef list out = []
    cdef Py_ssize_t i, n = PyUnicode_GET_LENGTH(norm)
    cdef int kind = PyUnicode_KIND(norm)
    cdef void *data = PyUnicode_DATA(norm)
    cdef const Py_UCS2 *d2
    cdef const Py_UCS1 *d1
    cdef const Py_UCS4 *d4
    if kind == 2:
        d2 = <const Py_UCS2 *>data
        for i in range(n):
            if _is_punct(<Py_UCS4>d2[i]):
                out.append(i)
    elif kind == 1:
        d1 = <const Py_UCS1 *>data
        for i in range(n):
            if _is_punct(<Py_UCS4>d1[i]):
                out.append(i)
    else:
        d4 = <const Py_UCS4 *>data
        for i in range(n):
            if _is_punct(d4[i]):
                out.append(i)
    return out


def punct_marks(str norm not None):
    """punct_marks_c (for the tests: clauses.punct_marks' twin)."""
    return punct_marks_c(norm)


cdef list clause_breaks_c(doc, ctx, Py_ssize_t a, Py_ssize_t b):
    """clauses.clause_breaks: the sentence's punctuation marks and clause openers, in order (the
    report's one-character marks and openers read from ctx's lists, bisected in C)."""
    cdef str norm = doc.norm
    cdef list out, marks, openers
    if norm.find("-", a, b) >= 0:
        out = clause_marks_c(norm, a, b) if _dash_scan else [m.start() for m in _CLAUSE_PUNCT_finditer(norm, a, b)]
    else:
        marks = cx(ctx, _CX_PUNCTS, "_puncts")
        if marks is None:
            if _clauses_mod.punct_marks is _PUNCT_MARKS_SHIPPED:   # (once a report)
                marks = ctx._puncts = punct_marks_c(norm)
            else:
                marks = ctx.puncts()
        out = marks[bisect_left(marks, a):bisect_left(marks, b)]
    openers = cx(ctx, _CX_OPENERS, "_openers")
    if openers is None:
        openers = ctx.clause_openers()
    out.extend(openers[bisect_left(openers, a):bisect_left(openers, b)])
    out.sort()
    return out


# clauses._CLAUSE_PUNCT as shipped: clause_marks_c scans for it in C (a pattern a test puts in its
# place is asked by finditer)
cdef str _SHIPPED_CLAUSE_PUNCT = r'[,:;()\[\]]|\s-\s'
cdef bint _dash_scan = False


cdef list clause_marks_c(str norm, Py_ssize_t a, Py_ssize_t b):
    """The starts of clauses._CLAUSE_PUNCT's matches in norm[a:b] (finditer's: a mark of
    ",:;()[]", or a space, "-" and a space, the next search after the match's end), read
    letter by letter with no match object."""
    cdef list out = []
    cdef Py_ssize_t p = max(a, 0), end = min(b, PyUnicode_GET_LENGTH(norm))
    cdef int kind = PyUnicode_KIND(norm)
    cdef void *data = PyUnicode_DATA(norm)
    cdef Py_UCS4 c
    while p < end:
        c = PyUnicode_READ(kind, data, p)
        if c == u',' or c == u':' or c == u';' or c == u'(' or c == u')' or c == u'[' or c == u']':
            out.append(p)
        elif (Py_UNICODE_ISSPACE(c) and p + 2 < end and PyUnicode_READ(kind, data, p + 1) == u'-'
              and Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, p + 2))):
            out.append(p)
            p += 3
            continue
        p += 1
    return out


def clause_marks(str norm, Py_ssize_t a, Py_ssize_t b):
    """clause_marks_c (for the tests: [m.start() for m in clauses._CLAUSE_PUNCT.finditer(norm, a, b)])."""
    return clause_marks_c(norm, a, b)


def clause_breaks(doc, ctx, Py_ssize_t a, Py_ssize_t b):
    """clause_breaks_c (for the tests: clauses.clause_breaks' twin)."""
    return clause_breaks_c(doc, ctx, a, b)


cdef object _BLOCKING = _r.BLOCKING, _SOFT_BLOCKING = _r.SOFT_BLOCKING
cdef Py_ssize_t _NEXT_WORDS = _r.NEXT_WORDS
cdef frozenset _TAKES_LI = _g._TAKES_LI
cdef tuple _DENIALS = ("نفي", "نفت", "ينفي", "تنفي", "نفوا")


cdef object blocked_c(ctx, t, list cues, list breaks, bint has_toll, list date_pos):
    """gates._blocked, the clause of an offset a bisection of ``breaks``, has_date_after one of
    ``date_pos``."""
    cdef dict d
    cdef Py_ssize_t ts = sdata(t)["n0"], cs, ce
    cdef Py_ssize_t tclause = bisect_right(breaks, ts), ttok = ntok(ctx, ts)
    for c in cues:
        d = sdata(c)
        cue = d["cue"]
        if cue not in _BLOCKING and cue != "judicial" and cue != "background":
            continue
        scope = d.get("scope", "clause")
        cs, ce = d["n0"], d["n1"]
        if cue == "aggregate" or (cue == "background" and scope == "sentence"):
            continue
        if cue == "judicial":
            if bisect_right(breaks, cs) == tclause or (ce <= ts and ttok - ntok(ctx, ce) < _NEXT_WORDS):
                return cue
            continue
        if cue == "question" or scope == "sentence":
            if cue in _SOFT_BLOCKING and (has_toll or has_date_after_c(date_pos, cs)):
                continue
            return cue
        if ce > ts:
            continue
        if scope == "next":
            if ttok - ntok(ctx, ce) < _NEXT_WORDS:
                return cue
            continue
        if bisect_right(breaks, cs) == tclause or (cue == "negation" and bisect_right(breaks, cs) + 1 == tclause
                                                   and d["pattern"] in _DENIALS):
            if cue in _SOFT_BLOCKING and (has_toll or has_date_after_c(date_pos, cs)):
                continue
            return cue
    return None


cdef bint verb_before(doc, ctx, t, frozenset verbs) except -1:
    """gates._verb_before."""
    cdef Py_ssize_t i = ntok(ctx, sdata(t)["n0"]), j, seen = 0
    in_actor = actor_tokens_c(doc, ctx, slot(t, _SpanType, _SP_SENT, "sent"))
    toks = doc.tokens
    sent = slot(t, _SpanType, _SP_SENT, "sent")
    j = i - 1
    while j >= 0 and seen < 3 and slot(toks[j], _TokenType, _TK_SENT, "sent") == sent:
        if j not in in_actor:
            seen += 1
            w = toks[j].norm
            if w in verbs or (w[:1] in "وف" and w[1:] in verbs):
                return True
        j -= 1
    return False


cdef bint describes_c(doc, ctx, t) except -1:
    """gates.describes."""
    cdef dict d = sdata(t)
    cdef Py_ssize_t n0
    if d.get("pos") == "vi" and not d.get("title"):
        return True
    if d.get("prefix", "") in ("ل", "ول", "فل") and d.get("pos") == "n":
        n0 = d["n0"]
        if not _PASSIVE_BEFORE((<str>doc.norm)[max(0, n0 - 40):n0]) and not verb_before(doc, ctx, t, _TAKES_LI):
            return True
    return False


cdef bint after_relative_c(ctx, t) except -1:
    """gates.after_relative."""
    cdef Py_ssize_t i = ntok(ctx, sdata(t)["n0"])
    return not _RELATIVE.isdisjoint(norms(ctx)[max(0, i - 2):i])


cdef bint has_date_after_c(list date_pos, Py_ssize_t pos):
    for p in date_pos:
        if <Py_ssize_t>p > pos:
            return True
    return False


cdef bint supported_c(Py_ssize_t k, list breaks, list casualties, list dates, list weapons, list actors, list valid,
                      list strengths, Py_ssize_t strong_count, offsets) except -1:
    """candidates._sentence_events_py's supported() of valid[k], ``strengths`` the valid triggers'
    strengths (made once by the caller: the twin asks each trigger's again for every other)."""
    cdef Py_ssize_t j
    t = valid[k]
    s = strengths[k]
    if s >= 2:
        return True
    if s <= 0:
        return False
    cdef Py_ssize_t tc = bisect_right(breaks, sdata(t)["n0"])
    if casualties or dates or weapons:
        return True
    for x in actors:
        if bisect_right(breaks, span_n0(offsets, x)) == tc:
            return True
    for j in range(len(valid)):
        if valid[j] is not t and strengths[j] >= 1:
            return True
    return strong_count > 0


# -- the toll's and the sides' decisions (tolls.py, roles.py) ---------------------------------

cdef tuple _DIST_EDGES = (3, 8, 16), _DIST_NAMES = ("0-2", "3-7", "8-15", "16+")
cdef tuple _COUNT_EDGES = (2, 6, 21, 101), _COUNT_NAMES = ("1", "2-5", "6-20", "21-100", "101+")
cdef tuple _GAP_EDGES = (4, 10), _GAP_NAMES = ("0-3", "4-9", "10+")
cdef tuple _N_EDGES = (2, 3, 4), _N_NAMES = ("1", "2", "3", "4+")
from operator import attrgetter as _attrgetter
_START = _attrgetter("start")


cdef str bucket_of(x, tuple edges, tuple names):
    """tolls._bucket: the name of the first edge above x, else the last name."""
    cdef Py_ssize_t i
    for i in range(len(edges)):
        if x < edges[i]:
            return names[i]
    return names[len(names) - 1]


cdef list toll_counts(ev):
    """tolls.options: the sentence's killed counts with a number, in text order, each (start, end) once."""
    if (<dict>inc(ev, _IN_FIELDS, "fields")).get("fatalities") is None:
        return []
    cdef list out = []
    cdef set seen = set()
    for k in sorted(inc(ev, _IN_KILLED, "killed"), key=_START):
        if isinstance(sdata(k).get("count"), int):
            key = (slot(k, _SpanType, _SP_START, "start"), slot(k, _SpanType, _SP_END, "end"))
            if key not in seen:
                seen.add(key)
                out.append(k)
    return out


cdef dict toll_features(doc, ctx, ev, k, list opts, Py_ssize_t i):
    """tolls.option_features of opts[i] (``k``: the position is its index in opts, whose spans
    differ in (start, end), as opts.index(k) finds it): the same keys in the same order."""
    cdef dict f = {"tl:bias": 1.0}
    cdef dict d = sdata(k)
    for x in inc(ev, _IN_FAT_SPANS, "fat_spans"):
        if slot(x, _SpanType, _SP_START, "start") == slot(k, _SpanType, _SP_START, "start") and slot(x, _SpanType, _SP_END, "end") == slot(k, _SpanType, _SP_END, "end"):
            f["tl:rule"] = 1.0
            break
    offsets = doc.offsets
    cdef Py_ssize_t n0 = span_n0(offsets, k), lo, hi, dist, t, gap
    cdef list tok_starts = cx(ctx, _CX_TOKS, "tok_starts")
    lo, hi = inc(ev, _IN_REGION, "region")
    cdef str kind = inc(ev, _IN_KIND, "kind")
    if lo <= n0 < hi:
        f["tl:stretch"] = 1.0
        f["tl:kind:" + kind] = 1.0
    else:
        f["tl:kind:" + kind + "|out"] = 1.0
    cdef dict e0 = (<list>(<dict>inc(ev, _IN_FIELDS, "fields"))["evidence"])[0]
    if e0["start"] <= slot(k, _SpanType, _SP_START, "start") < e0["end"]:
        f["tl:clause"] = 1.0
    t = bisect_left(tok_starts, n0)
    dist = t - bisect_left(tok_starts, inc(ev, _IN_FIRST, "first"))
    f["tl:" + ("after" if dist >= 0 else "before") + bucket_of(abs(dist), _DIST_EDGES, _DIST_NAMES)] = 1.0
    c = d["count"]
    f["tl:count:" + bucket_of(c, _COUNT_EDGES, _COUNT_NAMES)] = 1.0
    if d.get("approx"):
        f["tl:approx"] = 1.0
    cdef list toks = doc.tokens
    sent = slot(k, _SpanType, _SP_SENT, "sent")
    if t > 0 and slot(toks[t - 1], _TokenType, _TK_SENT, "sent") == sent:
        w1 = toks[t - 1].norm
        f["tl:word_before:" + w1] = 1.0
        if t > 1 and slot(toks[t - 2], _TokenType, _TK_SENT, "sent") == sent:
            f["tl:words_before:" + toks[t - 2].norm + "_" + w1] = 1.0
    if i > 0:
        prev = opts[i - 1]
        gap = t - bisect_left(tok_starts, span_n1(offsets, prev))
        f["tl:count_before:" + bucket_of(gap, _GAP_EDGES, _GAP_NAMES)] = 1.0
        pc = sdata(prev).get("count")
        if isinstance(pc, int) and pc >= c:
            f["tl:not_more_than_before"] = 1.0
    f["tl:n_counts:" + bucket_of(len(opts), _N_EDGES, _N_NAMES)] = 1.0
    return f


def toll_options(doc, ctx, ev):
    """toll_options_c (for the tests: tolls.toll_options' twin)."""
    return toll_options_c(doc, ctx, ev)


cdef list toll_options_c(doc, ctx, ev):
    """tolls.toll_options: each killed count with a number and its features."""
    cdef list opts = toll_counts(ev)
    cdef list out = []
    cdef Py_ssize_t i
    for i in range(len(opts)):
        out.append((opts[i], toll_features(doc, ctx, ev, opts[i], opts, i)))
    return out


def choose_tolls(weights, opts):
    """choose_tolls_c (for the tests: tolls.choose's twin)."""
    return choose_tolls_c(weights, opts)


cdef object choose_tolls_c(dict weights, list opts):
    """tolls.choose: the indices of the counts the model gives the incident, or None."""
    if not weights or not opts:
        return None
    m = weights.get("margin", 0.5)
    bias = weights.get("bias", 0.0)
    cdef list out = []
    cdef Py_ssize_t i
    for i in range(len(opts)):
        f = (<tuple>opts[i])[1]
        if _lin_sigmoid(bias + _lin_dot(weights, f)) > (1.0 - m if "tl:rule" in f else m):
            out.append(i)
    return out


def should_swap(weights, feats):
    """should_swap_c (for the tests: roles.should_swap's twin)."""
    return should_swap_c(weights, feats)


cdef bint should_swap_c(dict weights, feats) except -1:
    """roles.should_swap."""
    return bool(weights and feats) and _lin_sigmoid(weights.get("bias", 0.0) + _lin_dot(weights, feats)) > 0.5


cdef dict _ROUND2 = {}   # score -> round(score, 2): the scores are sums of a few weights, few values


cdef object round2(x):
    """round(x, 2), a float's kept by value (float.__round__ formats the number: ~4,000
    instructions); 0.0 and -0.0 (equal, of another sign) and NaN are rounded each time."""
    if type(x) is not float or x == 0.0 or x != x:
        return round(x, 2)
    got = _ROUND2.get(x)
    if got is None:
        if len(_ROUND2) > 4096:
            _ROUND2.clear()
        got = _ROUND2[x] = round(x, 2)
    return got


def round2_of(x):
    """round2 (for the tests: round(x, 2)'s twin)."""
    return round2(x)


from marsad.components.events import model as _model_mod, linear as _linear_mod
from libc.math cimport exp as _exp
# model.Model.best_type as shipped, with _fast's logistic: its loop over the types run here
cdef object _BEST_TYPE_SHIPPED = _model_mod.Model.best_type
cdef object _FAST_SIGMOID = getattr(_native._fast, "sigmoid", None)


cdef inline double _logistic(double z):
    """_fast.sigmoid (linear.sigmoid where built): the same clamps (a NaN gives 30.0), libm's exp."""
    cdef double m = z if z < 30.0 else 30.0
    m = m if m > -30.0 else -30.0
    return 1.0 / (1.0 + _exp(-m))


cdef object best_type_c(model, feats, current, sums):
    """model.best_type(feats, current, sums): with the judge's sums given, the shipped method and
    _fast's logistic, its pass over the types in C (the same floats compared in the same order: the
    most probable, on a tie the first by name, kept only above the incident's own type); else the
    method itself."""
    if (sums is None or type(sums) is not list or type(model).best_type is not _BEST_TYPE_SHIPPED
            or _model_mod._sigmoid is not _FAST_SIGMOID or _FAST_SIGMOID is None):
        return model.best_type(feats, current, sums)
    tables = model._terms
    if not tables[0] or current in model.rule_types:
        return None
    names = tables[0]
    rule_types = model.rule_types
    cdef list z = sums
    cdef double p, top = 0.0, mine = 0.0
    cdef Py_ssize_t i = 0
    best = None
    for t in names:
        if t in rule_types:
            i += 1
            continue
        p = _logistic(<double>z[i])
        if best is None or p > top or (p == top and t < best):
            best, top = t, p
        if t == current:
            mine = p
        i += 1
    return best if best is not None and top > mine else None


def best_type_of(model, feats, current, sums):
    """best_type_c (for the tests: Model.best_type's twin)."""
    return best_type_c(model, feats, current, sums)


def sentence_events(doc, ctx, Py_ssize_t si, Py_ssize_t a, Py_ssize_t b, list trigs, list dates, passage_date):
    """candidates._sentence_events_py, typed: the same gates, groups and candidates in the same order."""
    cdef str norm = doc.norm
    cdef list breaks = clause_breaks_c(doc, ctx, a, b)
    clause_of = _partial(_bisect_right, breaks)
    offsets = doc.offsets
    cdef dict d
    cdef Py_ssize_t i, n, t0, w0, strong_count, ci, gi
    cdef bint has_toll, stale, background, many_places, aggregate, learned, protest, dependent, any_toll
    cdef dict by_sent = cx(ctx, _CX_BY_SENT, "by_sent")
    cdef list cues = sl_of(by_sent, "cues", si)
    cdef list cont, casualties, killed, date_pos, actors, weapons, places, ages, years, sent_gates, named, valid
    cdef list after_what, kept, cause, spans, order, merged, pending, g, events, sent_words, cands, firsts
    cdef dict gated, groups, rejected, alt_of, info
    cdef set cue_kinds, core, seen_types
    if cues:
        cont = []
        for c in cues:
            d = sdata(c)
            if d["cue"] == "continuity":
                cont.append((d["n0"], d["n1"]))
        if cont:
            cues = [c for c in cues if not (sdata(c)["cue"] == "negation"
                                            and any(x <= sdata(c)["n0"] < y for x, y in cont))]
    casualties = sl_of(by_sent, "casualties", si)
    if casualties:
        casualties = [c for c in casualties if not _COUNTS_OF_match(norm, span_n0(offsets, c))]
    killed = [c for c in casualties if slot(c, _SpanType, _SP_LABEL, "label") == "killed"] if casualties else []
    has_toll = False
    for c in casualties:
        d = sdata(c)
        if isinstance(d.get("count"), int) and not d.get("approx"):
            has_toll = True
            break
    date_pos = [span_n0(offsets, dd) for dd in dates] if dates else []
    actors = sl_of(by_sent, "actors", si)
    weapons = sl_of(by_sent, "weapons", si)
    places = sl_of(by_sent, "places", si)
    cdef bint question = norm[a:b].rstrip().endswith("?")
    published = doc.published or ctx.reference_date()

    stale = False
    if published and dates:
        ages = [(published - sdata(dd)["date"]).days for dd in dates if isinstance(sdata(dd)["date"], _Date)]
        if ages and min(ages) > _BACKGROUND_DAYS:
            stale = True
    if published and not stale:
        recent = False
        for dd in dates:
            d = sdata(dd)
            if isinstance(d["date"], _Date) and (published - d["date"]).days <= _BACKGROUND_DAYS \
                    and d.get("kind") in _RECENT_KINDS:
                recent = True
                break
        if not recent:
            years = [int(m.group(1)) for m in _YEAR_finditer(norm, a, b)
                     if not norm[max(a, m.start() - 9):m.start()].rstrip().endswith(_SINCE)
                     ] if norm.find("20", a, b) >= 0 or norm.find("19", a, b) >= 0 else []
            if years and max(years) < published.year:
                stale = True
    cue_kinds = set()
    background = many_places = False
    for c in cues:
        d = sdata(c)
        cue, scope = d["cue"], d.get("scope")
        cue_kinds.add(cue)
        if _eq(cue, "background") and _eq(scope, "sentence"):
            background = True
        elif _eq(cue, "aggregate") and _eq(scope, "places"):
            many_places = True
    if background:
        recent = False
        for dd in dates:
            d = sdata(dd)
            if published and isinstance(d["date"], _Date) and (published - d["date"]).days <= _BACKGROUND_DAYS:
                recent = True
                break
        if not recent:
            stale = True
    aggregate = False
    if "aggregate" in cue_kinds and not places:
        aggregate = True
        for dd in dates:
            if sdata(dd).get("precision", 3) == 1:
                aggregate = False
                break
    if not aggregate and many_places:
        aggregate = True
        for p in places:
            if sdata(p).get("feature") != "country":
                aggregate = False
                break
    model = ctx.model
    learned = model is not None or ctx.collect
    sent_gates = []
    if stale:
        sent_gates.append("stale")
    if aggregate:
        sent_gates.append("aggregate")
    if question or (sent_gates and not learned):
        return []

    named = [(slot(p, _SpanType, _SP_START, "start"), slot(p, _SpanType, _SP_END, "end")) for p in places]
    valid = []
    gated = {}
    after_what = []
    if not dates and len(trigs) == 1:
        t0 = sdata(trigs[0])["n0"]
        w0 = max(a, t0 - 10)
        if norm.find("بعد", w0, t0) >= 0 and _AFTER_CLAUSE_search(norm, w0, t0):
            after_what = trigs
    for t in trigs:
        if t in after_what:
            gated[id(t)] = "after_clause"
            continue
        if named and _inside_any(named, slot(t, _SpanType, _SP_START, "start"), slot(t, _SpanType, _SP_END, "end")):
            continue
        d = sdata(t)
        if d.get("prefix", "") in _FUTURE_PREFIX:
            continue
        if d["kind"] in DEPENDENT and after_relative_c(ctx, t):
            continue
        blocked = blocked_c(ctx, t, cues, breaks, has_toll, date_pos)
        if blocked:
            if blocked not in _HARD_CUES:
                gated[id(t)] = "cue:" + blocked
            continue
        valid.append(t)
    if not valid and not (learned and gated):
        return []

    # (each valid trigger's strength once, in the twin's order: its loops and supported() ask them again)
    cdef list strengths = [strength_in(sdata(k)) for k in valid]
    cdef Py_ssize_t vi
    strong_count = 0
    for sv in strengths:
        if sv >= 2:
            strong_count += 1
    kept = []
    for vi in range(len(valid)):
        t = valid[vi]
        if strengths[vi] <= 0:
            continue
        if not supported_c(vi, breaks, casualties, dates, weapons, actors, valid, strengths, strong_count, offsets):
            gated[id(t)] = "unsupported"
        elif describes_c(doc, ctx, t):
            gated[id(t)] = "describes"
        else:
            kept.append(t)
    protest = False
    for k in kept:
        if sdata(k)["kind"] in PROTEST_KINDS:
            protest = True
            break
    if protest:
        cause = [t for t in kept if sdata(t)["kind"] not in PROTEST_KINDS
                 and _PROTEST_ABOUT_search(norm, max(a, <Py_ssize_t>sdata(t)["n0"] - 24), sdata(t)["n0"])]
        if cause:
            kept = [t for t in kept if t not in cause]
            spans = [(sdata(t)["n0"], sdata(t)["n1"]) for t in cause]
            casualties = [c for c in casualties if not any(x <= span_n0(offsets, c) < y + 24 for x, y in spans)]
            killed = [c for c in casualties if slot(c, _SpanType, _SP_LABEL, "label") == "killed"]
    if not kept and not (learned and gated):
        return []

    groups = {}
    for t in kept:
        ci = bisect_right(breaks, sdata(t)["n0"])
        got = groups.get(ci)
        if got is None:
            groups[ci] = [t]
        else:
            (<list>got).append(t)
    order = sorted(groups)
    merged = []
    pending = []
    for ci in order:
        g = groups[ci]
        dependent = True
        for t in g:
            if trigger_kind(t) not in DEPENDENT:
                dependent = False
                break
        if dependent:
            if merged:
                (<list>merged[-1]).extend(g)
            else:
                pending.extend(g)
            continue
        if pending:
            g = pending + g
            pending = []
        if merged and _compatible(merged[-1], g) and not _elsewhere(ctx, merged[-1], g, breaks, si):
            (<list>merged[-1]).extend(g)
        else:
            merged.append(list(g))
    if pending:
        merged.append(pending)

    events = []
    cdef str sent_text = norm[a:b]
    cdef list tok_starts = cx(ctx, _CX_TOKS, "tok_starts")
    sent_words = norms(ctx)[bisect_left(tok_starts, a):bisect_left(tok_starts, b)]
    has_time = bool(dates) or _time_in(sent_text, sent_words)
    any_toll = bool(casualties)
    if not any_toll:
        for k in kept:
            if sdata(k)["kind"] in _DEFAULT_TOLL_KINDS:
                any_toll = True
                break
    bound = ((_W_TOLL_o if any_toll else _W_TOLL_o / 2) + (_W_TIME_o if has_time else 0)
             + ((_W_AGENT_o + _W_VICTIM_o + _W_EXPLICIT_o) if actors else 0) + _W_PLACE_o
             + (_W_WEAPON_o if weapons else 0) + _W_SOURCE_o)
    rejected = {}
    alt_of = {}
    if learned:
        for t in trigs:
            if id(t) in gated and strength_in(sdata(t)) > 0:
                ci = bisect_right(breaks, sdata(t)["n0"])
                got = rejected.get(ci)
                if got is None:
                    rejected[ci] = [t]
                else:
                    (<list>got).append(t)
    cands = [(g, merged, gi) for gi, g in enumerate(merged)]
    if learned:
        for gi, g in enumerate(merged):
            core = set()
            for t in g:
                core.add(trigger_kind(t))
            core -= DEPENDENT
            if len(core) < 2:
                continue
            main_type = TYPE_OF[_defused_kind(_primary_kind(core), g)][0]
            seen_types = {main_type}
            for k in _TYPE_ORDER:
                if k not in core or TYPE_OF[k][0] in seen_types:
                    continue
                seen_types.add(TYPE_OF[k][0])
                alt = [t for t in g if trigger_kind(t) == k or sdata(t)["kind"] in DEPENDENT]
                alt_of[id(alt)] = k
                cands.append((alt, merged, gi))
    if rejected:
        firsts = [_first_n0(x) for x in merged]
        for ci in sorted(rejected):
            g = rejected[ci]
            cands.append((g, *_placed_among(merged, firsts, g)))
    support = _protest_support_in(sent_text, sent_words)
    crowd = _crowd_c(sent_words) if _crowd_in is _CROWD_IN_SHIPPED else _crowd_in(sent_text, sent_words)
    info = {"cue_kinds": cue_kinds, "has_time": has_time, "n_groups": len(merged),
            "protest_support": support, "crowd": crowd}
    # (the callees a test may replace in candidates.py: read there)
    cdef dict cd = _CD
    build_event_ = cd["build_event"]
    score_ = cd["score"]
    sums_ = cd["incident_sums"]
    features_ = cd["incident_features"]
    ceiling = cd["bound_for"](model)
    collect = ctx.collect
    fast = cx(ctx, _CX_FAST, "fast")
    for g, groups_, gi in cands:
        if gated:
            gs = set(sent_gates)
            for t in g:
                why = gated.get(id(t))
                if why is not None:
                    gs.add(why)
            gates = sorted(gs)
        else:
            gates = sorted(sent_gates)
        alt = alt_of.get(id(g))
        if ceiling is not None and (gates or alt is not None):
            prev = events[-1] if events else None
            if type(ceiling) is _Bound and _Bound.cannot_keep is _cannot_keep and _Bound.headroom is _headroom:
                # (Bound.cannot_keep, compiled: a subclass or a replaced method is asked instead)
                if headroom_c(ceiling, doc, ctx, si, a, b, g, groups_, gi, weapons, breaks, gates, alt, info,
                              prev) < -_SLACK:
                    continue
            elif ceiling.cannot_keep(doc, ctx, si, a, b, g, groups_, gi, weapons, breaks, gates, alt, info, prev):
                continue
        if not learned:
            if any(sdata(t)["kind"] in PROTEST_KINDS for t in g):
                ub, need = 3.1, _PROTEST_THRESHOLD
            else:
                ub = max(_trigger_weight(doc, ctx, t) for t in g) + _W_SPECIFIC_o + bound
                need = min(_THRESHOLD, _NONLETHAL_THRESHOLD)
            if ub < need - _SUPPORT_MARGIN:
                continue
        ev = build_event_(doc, ctx, si, a, b, g, groups_, gi, actors, weapons, killed, casualties,
                          dates, places, passage_date, clause_of, breaks)
        if not ev or _tally(ev, dates):
            continue
        ev.score = round2(score_(doc, ctx, ev, g, has_time, casualties, cues, sent_text, support, crowd))
        kind = inc(ev, _IN_KIND, "kind")
        need = (_PROTEST_THRESHOLD if kind in PROTEST_KINDS
                else _NONLETHAL_THRESHOLD if kind in _NONLETHAL_KINDS else _THRESHOLD)
        prev = events[-1] if events else None
        if prev is not None and kind == "shell" and inc(prev, _IN_KIND, "kind") == "air":
            fields = inc(ev, _IN_FIELDS, "fields")
            for x in fields["evidence"]:
                if x["field"] == "actor1":
                    break
            else:
                pf = inc(prev, _IN_FIELDS, "fields")
                fields.update(sub_event_type=pf["sub_event_type"], actor1=pf["actor1"], inter1=pf["inter1"])
                ev.kind = "air"
                fields["evidence"] += [x for x in pf["evidence"] if x["field"] == "actor1"]
                ev.score = max(inc(ev, _IN_SCORE, "score"), inc(prev, _IN_SCORE, "score"))
        if learned:
            sc = inc(ev, _IN_SCORE, "score")
            rule = "drop" if gates else "keep" if sc >= need else \
                "weak" if sc >= need - _SUPPORT_MARGIN else "drop"
            if alt is not None:
                rule = "drop"
            cinfo = dict(info, gates=gates, rule=rule, score=sc, need=need, alt=alt)
            if fast is not None:
                feats = None
                z, type_sums = sums_(doc, ctx, ev, g, cinfo, fast)
                p = _sigmoid(z)
            else:
                feats = features_(doc, ctx, ev, g, cinfo)
            if collect:
                ev.role_feats = _roles.pair_features(doc, ctx, ev)
                tolls_ = _tolls.toll_options
                ev.toll_opts = toll_options_c(doc, ctx, ev) if tolls_ is _toll_options_py else tolls_(doc, ctx, ev)
                copies = _split_places(doc, ctx, ev, si, breaks)
                movable = alt is None and not inc(ev, _IN_SPLIT, "split")
                ev.place_opts = _arguments.place_options(doc, ctx, ev) if movable else []
                for e in [ev] + copies:
                    e.feats, e.rule, e.is_copy = feats, rule, e is not ev
                events.append(ev)
                events.extend(copies)
                continue
            if feats is not None:
                p, type_sums = model.judge(feats)
            ev.p = p
            verdict = model.decide(p, inc(ev, _IN_FIELDS, "fields")["event_type"], rule)
            if verdict is None:
                continue
            ev.role_feats = _roles.pair_features(doc, ctx, ev)
            # (the toll's options and choice and the role's swap compiled: tolls.py's and roles.py's
            # functions as shipped, else the ones a test put there)
            tolls_ = _tolls.toll_options
            ev.toll_opts = ((toll_options_c(doc, ctx, ev) if tolls_ is _toll_options_py else tolls_(doc, ctx, ev))
                            if model.tolls else [])
            swap_ = _roles.should_swap
            if should_swap_c(model.roles, inc(ev, _IN_ROLE_FEATS, "role_feats")) if swap_ is _should_swap_py else swap_(model.roles, inc(ev, _IN_ROLE_FEATS, "role_feats")):
                _roles.swap(ev)
            choose_ = _tolls.choose
            chosen = choose_tolls_c(model.tolls, inc(ev, _IN_TOLL_OPTS, "toll_opts")) if choose_ is _choose_py else choose_(model.tolls, inc(ev, _IN_TOLL_OPTS, "toll_opts"))
            if chosen is not None:
                _tolls.apply(ev, inc(ev, _IN_TOLL_OPTS, "toll_opts"), chosen)
            copies = _split_places(doc, ctx, ev, si, breaks) if verdict == "keep" else []
            movable = alt is None and not inc(ev, _IN_SPLIT, "split")
            if alt is None:
                kind = best_type_c(model, feats, inc(ev, _IN_FIELDS, "fields")["event_type"], type_sums)
                _retype(ev, kind)
                for e in copies:
                    _retype(e, kind)
                moved = _arguments.chosen_place(doc, ctx, ev, model.places) if movable else None
                if moved is not None:
                    _arguments.move(ev, moved)
            if verdict == "keep":
                events.append(ev)
                for e in copies:
                    e.p = p
                events.extend(copies)
            elif verdict == "weak":
                ev.weak = True
                events.append(ev)
            continue
        if inc(ev, _IN_SCORE, "score") >= need:
            events.append(ev)
            events.extend(_split_places(doc, ctx, ev, si, breaks))
        elif inc(ev, _IN_SCORE, "score") >= need - _SUPPORT_MARGIN:
            ev.weak = True
            if (inc(ev, _IN_FIELDS, "fields")["sub_event_type"] == "Armed clash" and inc(ev, _IN_PLACE_IN_SENTENCE, "place_in_sentence")
                    and inc(ev, _IN_SCORE, "score") >= round(need - _ONGOING_MARGIN, 2)
                    and any(sdata(t)["kind"] == "battle" and _trigger_weight(doc, ctx, t) >= _W_VERB_o for t in g)):
                ev.ongoing = True
            events.append(ev)
    return events



def doc_events(doc, ctx):
    """candidates._doc_events_py: the report's sentences in order, each sentence's events (the
    sentence loop read from candidates.py at each sentence: a test may replace it there), the
    passage's day and place carried from one to the next."""
    cdef Py_ssize_t si, n
    cdef list sents = doc.sentences, para, para_sizes, dates, trigs, evs, usable, resolved
    cdef dict d
    cdef dict cd = _CD
    cdef set in_actor
    passage_date = None
    para, para_sizes = _paragraph_sizes(doc.norm, sents)
    published = doc.published
    events = doc.events
    usable_of = cx(ctx, _CX_USABLE, "_usable")
    cdef dict by_sent = cx(ctx, _CX_BY_SENT, "by_sent")
    for si in range(len(sents)):
        a, b = sents[si]
        if si and para[si] != para[si - 1]:
            ctx.passage_place = None
            if passage_date is not None:
                last = passage_date[2]
                if not _carries(sdata(last).get("kind"), para[si] - para[slot(last, _SpanType, _SP_SENT, "sent")],
                                para_sizes[para[si - 1]], para_sizes[para[si]]):
                    passage_date = None
        dates = sl_of(by_sent, "dates", si)
        if dates:
            dates = [dd for dd in dates if sdata(dd).get("date") and sdata(dd)["kind"] != "night"]
        trigs = sl_of(by_sent, "triggers", si)
        if trigs:
            evs = cd["_sentence_events"](doc, ctx, si, a, b, trigs, dates, passage_date)
            events.extend(evs)
            agent = None
            for n in range(len(evs) - 1, -1, -1):
                x = evs[n].agent
                if x is not None:
                    agent = x
                    break
            ctx.prev_agent = agent
        else:
            ctx.prev_agent = None
        if dates:
            best = None
            for dd in dates:
                d = sdata(dd)
                if not (published and isinstance(d["date"], _Date) and (published - d["date"]).days > _BACKGROUND_DAYS) \
                        and not d.get("since"):
                    # (max with a key: the first of the latest days)
                    if best is None or d["date"] > sdata(best)["date"]:
                        best = dd
            if best is not None:
                d = sdata(best)
                passage_date = (d["date"], d.get("precision", 1), best)
        # Ctx.usable_places (its cache, the same lists)
        got = usable_of.get(si)
        if got is None:
            ps = sl_of(by_sent, "places", si)
            got = usable_of[si] = [p for p in ps if _usable_place(p)] if ps else []
        usable = got
        if usable:
            in_actor = cx(ctx, _CX_IN_ACTOR, "in_actor")
            country = cx(ctx, _CX_COUNTRY, "country")
            best = None
            bs = 0
            for p in usable:
                if id(p) not in in_actor and (not country or sdata(p).get("country_code") == country):
                    # (max with a key: the first of the most specific)
                    sp = _specificity(p)
                    if best is None or sp > bs:
                        best, bs = p, sp
            if best is not None:
                ctx.passage_place = best
