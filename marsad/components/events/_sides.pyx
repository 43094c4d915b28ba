# cython: language_level=3
"""A candidate's sides and place in C: actors.assign_actors, places.place_of and what they ask
per candidate (the actor markers, the side names, the conjunct heads, places.attach's place for
the incident's stretch, the landmark test, the fallback's scores).

The same decisions as the Python code they twin, step by step: the same caches of the report's
Ctx filled with the same values (the other code of the step reads them), the same firsts among
equals (``max``/``min`` keep the first best, ``sort`` is stable) and the same floats (built with
-ffp-contract=off: no fused multiply-add in the place scores). ``bind_places`` and ``bind_actors``
hand it the patterns, tables and functions of the Python modules once they are built;
``native.py`` chooses.
"""

# What the Python side expects of this module (native.py): one built from an older _sides.pyx is
# not used (scripts/setup rebuilds it).
API = 3

from marsad.components.events._offsets cimport offset_index

# bound by bind_places() and bind_actors(): the Python modules' patterns, word tuples, tables and
# rare-path functions
cdef object NUMBER, CAUSE, AGENT_BEFORE, BETWEEN, LOSER_BEFORE, VICTIM_VERB, SUFFERED, AND, TARGET_BEFORE
cdef tuple AGENT_WORDS = (), VICTIM_WORDS = (), BETWEEN_WORDS = (), TARGET_WORDS = ()
cdef tuple BEARING_WORDS = (), OFFICE_WORDS = (), ORIGIN_WORDS = (), LOSER_WORDS = ()
cdef tuple CAUSE_WORDS = (), NUMBER_WORDS = ()
cdef object BEARING, OFFICE, ORIGIN
cdef object side, ACTORS, log
cdef dict SPECIFICITY = {}, SPECIFIC = {}
cdef double MIN_PLACE_SCORE = 7.0, MIN_FALLBACK_SCORE = 5.0
cdef object with_parent, inside_of
cdef Py_ssize_t PASSAGE = 3

_KILL_WOUND = ("kill", "wound")
_VICTIMS = ("civilians", "protesters")
_BATTLE = ("battle", "territory")


def bind_places(places, attach):
    """Read what places.py and places/attach.py hold (places.py's end, once both are built)."""
    global BEARING, OFFICE, ORIGIN, BEARING_WORDS, OFFICE_WORDS, ORIGIN_WORDS, log, SPECIFICITY, SPECIFIC
    global MIN_PLACE_SCORE, MIN_FALLBACK_SCORE, with_parent, inside_of, PASSAGE
    BEARING, OFFICE, ORIGIN = places._BEARING, places._OFFICE, places._ORIGIN
    BEARING_WORDS, OFFICE_WORDS = tuple(places._BEARING_WORDS), tuple(places._OFFICE_WORDS)
    ORIGIN_WORDS = tuple(places._ORIGIN_WORDS)
    _need_words(OFFICE_WORDS, ORIGIN_WORDS)
    log, SPECIFICITY, SPECIFIC = places.log, dict(places._SPECIFICITY), dict(attach._SPECIFIC)
    MIN_PLACE_SCORE, MIN_FALLBACK_SCORE = places.MIN_PLACE_SCORE, places.MIN_FALLBACK_SCORE
    with_parent, inside_of, PASSAGE = attach._with_parent, attach._inside, attach.PASSAGE


def bind_actors(actors, rules, tables):
    """Read what actors.py holds (its end, once it is built), and what it reads of rules.py and
    incident/tables.py."""
    global NUMBER, CAUSE, AGENT_BEFORE, BETWEEN, LOSER_BEFORE, VICTIM_VERB, SUFFERED, AND, TARGET_BEFORE
    global AGENT_WORDS, VICTIM_WORDS, BETWEEN_WORDS, TARGET_WORDS, LOSER_WORDS, CAUSE_WORDS, NUMBER_WORDS, side, ACTORS
    NUMBER, CAUSE = rules.NUMBER, actors.CAUSE
    AGENT_BEFORE, BETWEEN, LOSER_BEFORE = actors.AGENT_BEFORE, actors.BETWEEN, actors.LOSER_BEFORE
    VICTIM_VERB, SUFFERED, AND, TARGET_BEFORE = actors.VICTIM_VERB, actors._SUFFERED, actors._AND, actors._TARGET_BEFORE
    AGENT_WORDS, VICTIM_WORDS = tuple(actors._AGENT_WORDS), tuple(actors._VICTIM_WORDS)
    BETWEEN_WORDS, TARGET_WORDS = tuple(actors._BETWEEN_WORDS), tuple(actors._TARGET_WORDS)
    LOSER_WORDS = tuple(actors._LOSER_WORDS)
    CAUSE_WORDS, NUMBER_WORDS = tuple(actors._CAUSE_WORDS), tuple(rules.NUMBER_WORDS)
    _need_words(VICTIM_WORDS, CAUSE_WORDS, NUMBER_WORDS)
    side, ACTORS = tables.side, actors


def _need_words(*tuples):
    """_cued searches everywhere when given no words, where the Python twins' holds_any finds
    none: the word lists it is given in their place must not be empty."""
    for words in tuples:
        if not words:
            raise ValueError("_sides: an empty word list for a prefiltered pattern")


# -- offsets -----------------------------------------------------------------------------------

cdef inline Py_ssize_t _nstart(offsets, s):
    """Ctx.nstart."""
    n = (<dict>s.data).get("n0")
    return offset_index(offsets, s.start) if n is None else n


cdef inline Py_ssize_t _nend(offsets, s):
    """Ctx.nend."""
    n = (<dict>s.data).get("n1")
    return offset_index(offsets, s.end) if n is None else n


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
    for w in words:
        if w in text:
            return True
    return False


cdef inline bint _cued(str text, tuple need, rx) except -1:
    """rx found in text, searched only where text holds one of ``need`` (each match holds one;
    no words: always searched). The actor markers' scan, the attacked one's and the landmarks'."""
    return (not need or _holds_any(text, need)) and rx.search(text) is not None


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
    """actors._is_victim_py."""
    cdef dict d = sp.data
    return d.get("inter") in (6, 7) or d.get("kind") in _VICTIMS


cdef object _name(dict names, sp, country):
    """actor_out_in(ctx, sp, country)[0], kept in the same cache (ctx.actor_names)."""
    key = (id(sp), country)
    got = names.get(key)
    if got is None:
        got = names[key] = ACTORS.actor_out(sp, country)   # (read from actors.py at the call, as its twin)
    return got[0]


cdef bint _same_side(a, b):
    """actors.same_side."""
    if not a or not b:
        return False
    return side(a, "extractor") == side(b, "extractor")   # (side keeps its own cache)


cdef bint _marked(dict known, str norm, rx, Py_ssize_t s, Py_ssize_t width, tuple need):
    """actors._marked (the same cache of the report, per offset)."""
    got = known.get(s)
    if got is None:
        text = norm[max(0, s - width):s]
        got = known[s] = _cued(text, need, rx)
    return got


cdef bint _targeted_in(dict known, str norm, Py_ssize_t s):
    """actors.targeted_in."""
    got = known.get(s)
    if got is None:
        got = known[s] = _targeted(norm, s)
    return got


cdef bint _targeted(str norm, Py_ssize_t s):
    """actors.targeted."""
    cdef Py_ssize_t w0 = norm.rfind(" ", 0, s) + 1, lo
    if norm[w0:s].lstrip("وف") in ("ل", "لل"):
        return True
    lo = max(0, w0 - 24)
    return _holds_any(norm[lo:w0], TARGET_WORDS) and TARGET_BEFORE.search(norm, lo, w0) is not None


cdef bint _attacked(ctx, str norm, offsets, x):
    """actors._attacked."""
    cdef dict known = ctx.attacked
    cdef Py_ssize_t s, e
    key = id(x)
    got = known.get(key)
    if got is None:
        s, e = _nstart(offsets, x), _nend(offsets, x)
        text = norm[max(0, s - 12):s]
        got = known[key] = bool(_cued(text, VICTIM_WORDS, VICTIM_VERB) or SUFFERED.match(norm[e:e + 8]))
    return got


def assign_actors(doc, ctx, g, actors, kind, clause_of, own_region, country, Py_ssize_t first):
    """actors.assign_actors."""
    cdef Py_ssize_t lo, hi, i, xs0, s0, n1, ft
    cdef list act, kt, before, after, vics, rest
    cdef dict names, between_before, agent_before, targeted
    if not actors:
        return None, None
    lo, hi = own_region
    offsets = ctx._orig_starts
    act = _within(offsets, actors, lo, hi)
    if not act:
        return None, None
    cdef str norm = doc.norm
    cdef list starts = ctx.tok_starts
    names, agent_before, targeted = ctx.actor_names, ctx.agent_before, ctx.targeted
    if kind in _BATTLE:
        # "اشتباكات بين X و Y": the two sides
        between_before = ctx.between_before
        for i, x in enumerate(act):
            if _marked(between_before, norm, BETWEEN, _nstart(offsets, x), 8, BETWEEN_WORDS):
                for y in act[i + 1:]:
                    if _name(names, y, None) != _name(names, x, None):
                        return x, y
    agent = victim = None
    blamed = None
    for x in act:
        if (<dict>x.data).get("blamed"):
            blamed = x
            break
    kt = [t for t in g if (<dict>t.data)["kind"] in _KILL_WOUND]
    died = None
    if kt:
        for x in act:
            xs0 = _nstart(offsets, x)
            s0 = _ntok(starts, xs0)
            for t in kt:
                n1 = (<dict>t.data)["n1"]
                if not 0 <= s0 - _ntok(starts, n1) <= 4:
                    continue
                between = norm[n1:xs0]
                if kind not in _KILL_WOUND and (<dict>t.data).get("pos") != "n" and not _number_in(between):
                    continue
                if _cued(between, CAUSE_WORDS, CAUSE):
                    continue
                if not _marked(agent_before, norm, AGENT_BEFORE, xs0, 14, AGENT_WORDS):
                    victim = died = x
                    break
            if victim is not None:
                break
    loser = None
    if kind == "territory":
        for x in act:
            if _marked(ctx.loser_before, norm, LOSER_BEFORE, _nstart(offsets, x), 16, LOSER_WORDS):
                victim = loser = x
                break
    if blamed is not None and blamed is not victim:
        agent = blamed
    if agent is None:   # passive agent: "من قبل X" / "على يد X"
        for x in act:
            if x is not victim and _marked(agent_before, norm, AGENT_BEFORE, _nstart(offsets, x), 14, AGENT_WORDS):
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


cdef tuple _first_conjuncts(ctx, str norm, offsets, dict names, list act, agent, victim, country):
    """actors._first_conjuncts."""
    cdef dict head
    cdef list order, rest
    key = tuple(map(id, act))
    head = ctx.conjunct_heads.get(key)
    if head is None:
        head = ctx.conjunct_heads[key] = {}
        prev = None
        order = sorted(act, key=lambda x: _nstart(offsets, x))
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
    _name(ctx.actor_names, sp, country)
    return (<dict>ctx.actor_names)[(id(sp), country)]


def agent_marked(ctx, Py_ssize_t s):
    """actors.agent_marked."""
    return _marked(ctx.agent_before, ctx.doc.norm, AGENT_BEFORE, s, 14, AGENT_WORDS)


def between_marked(ctx, Py_ssize_t s):
    """actors.between_marked."""
    return _marked(ctx.between_before, ctx.doc.norm, BETWEEN, s, 8, BETWEEN_WORDS)


def loser_marked(ctx, Py_ssize_t s):
    """actors.loser_marked."""
    return _marked(ctx.loser_before, ctx.doc.norm, LOSER_BEFORE, s, 16, LOSER_WORDS)


def targeted_in(ctx, Py_ssize_t s):
    """actors.targeted_in."""
    return _targeted_in(ctx.targeted, ctx.doc.norm, s)


def same_side(a, b):
    """actors.same_side."""
    return _same_side(a, b)


def usable_place(p):
    """places.usable_place."""
    return _usable_place(p)


def landmark(doc, ctx, p):
    """places.landmark."""
    return _landmark(ctx, doc.norm, ctx._orig_starts, p)


# -- the place ---------------------------------------------------------------------------------

cdef bint _usable_place(p):
    """places.usable_place."""
    cdef dict d = p.data
    if not d.get("resolved", True) or d.get("latitude") is None or d.get("context"):
        return False
    return d.get("score") is None or float(d["score"]) >= MIN_PLACE_SCORE


cdef list _usable_places(ctx, si):
    """Ctx.usable_places (the same cache)."""
    cdef dict cache = ctx._usable
    got = cache.get(si)
    if got is None:
        ps = (<dict>ctx.by_sent["places"]).get(si, [])
        got = cache[si] = [p for p in ps if _usable_place(p)] if ps else []
    return got


cdef bint _landmark(ctx, str norm, offsets, p):
    """places.landmark (the same cache)."""
    cdef dict known = ctx.landmarks
    cdef Py_ssize_t n0, lo
    key = id(p)
    got = known.get(key)
    if got is None:
        n0 = _nstart(offsets, p)
        lo = max(0, n0 - 40)
        before = norm[lo:n0]
        got = known[key] = bool(
            (_holds_any(before, BEARING_WORDS) and BEARING.search(norm, lo, n0))
            or _cued(before, OFFICE_WORDS, OFFICE) or _cued(before, ORIGIN_WORDS, ORIGIN))
    return got


cdef _scene_not_landmark(ctx, str norm, offsets, list starts, si, p, Py_ssize_t nfirst):
    """places._scene_not_landmark."""
    cdef dict d, qd
    cdef set in_actor
    cdef Py_ssize_t tf, dist, bestd = 0
    if not _landmark(ctx, norm, offsets, p):
        return p
    d = p.data
    in_actor = ctx.in_actor
    cc, a1 = d.get("country_code"), d.get("admin1_code")
    tf = _ntok(starts, nfirst)
    best = None
    for q in _usable_places(ctx, si):
        qd = q.data
        if q is not p and id(q) not in in_actor and qd.get("country_code") == cc and qd.get("admin1_code") \
                and qd.get("admin1_code") != a1 and not _landmark(ctx, norm, offsets, q):
            dist = abs(_ntok(starts, _nstart(offsets, q)) - tf)
            if best is None or dist < bestd:
                best, bestd = q, dist
    return p if best is None else best


cdef inline Py_ssize_t _specificity(p):
    return SPECIFICITY.get((<dict>p.data).get("feature", ""), 2)


def place_of(doc, ctx, si, start, end, Py_ssize_t nfirst, region=None):
    """places.place_of."""
    cdef list own, usable, cands, weak, mine
    cdef set in_actor = ctx.in_actor
    cdef Py_ssize_t rlo = 0, rhi = 0, n, tf
    cdef double sc, bestsc = 0.0
    cdef dict d, admins
    cdef str norm = doc.norm
    cdef list starts = ctx.tok_starts
    offsets = ctx._orig_starts
    usable = _usable_places(ctx, si)
    own = []
    if region is not None:
        rlo, rhi = region
        for p in usable:
            if (<dict>p.data).get("feature") != "country":
                n = _nstart(offsets, p)
                if rlo <= n < rhi:
                    own.append(p)
    if not own:
        try:
            p = _event_place(ctx, si, start, end)
            if p is not None and id(p) in in_actor:
                p = None
            if p is not None:
                d = p.data
                if not (d.get("resolved") and d.get("score") is not None and float(d["score"]) < MIN_PLACE_SCORE):
                    mine = []
                    if region is not None:
                        for c in usable:
                            if (<dict>c.data).get("feature") == "country":
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
    country = ctx.country
    if cands:
        admins = {}
        for p in cands:
            a1 = (<dict>p.data).get("admin1_code")
            if a1:
                admins[a1] = admins.get(a1, 0) + 1
        tf = _ntok(starts, nfirst)
        best = None
        for p in cands:
            d = p.data
            sc = float(d.get("score") or 0) / 10 + _specificity(p) * 0.4
            if country and d.get("country_code") != country:
                sc -= 3.0
            a1 = d.get("admin1_code")
            if a1 and admins[a1] > 1:
                sc += 1.0
            sc -= abs(_ntok(starts, _nstart(offsets, p)) - tf) * 0.05
            if best is None or sc > bestsc:
                best, bestsc = p, sc
        if not (country and (<dict>best.data).get("country_code") != country and ctx.passage_place is not None):
            return best
    if ctx.passage_place or ctx.doc_place:
        return ctx.passage_place or ctx.doc_place
    weak = [p for p in (<dict>ctx.by_sent["places"]).get(si, []) if id(p) not in in_actor
            and (<dict>p.data).get("resolved", True) and not (<dict>p.data).get("context")
            and (<dict>p.data).get("latitude") is not None
            and float((<dict>p.data).get("score") or 0) >= MIN_FALLBACK_SCORE]
    best = None
    for p in weak:
        sc = float((<dict>p.data).get("score") or 0)
        if best is None or sc > bestsc:
            best, bestsc = p, sc
    return best


# -- places.attach's place for an incident's stretch ------------------------------------------

cdef _event_place(ctx, sent, start, end):
    """Ctx.event_place (the same cache), with attach.place_for_event below."""
    cdef dict cache = ctx._event_places
    key = (sent, start, end)
    if key not in cache:
        cache[key] = _place_for_event(ctx.doc, sent, start, end, ctx.place_index)
    return cache[key]


cdef inline Py_ssize_t _rank(s):
    """attach._rank."""
    cdef dict d = s.data
    return <Py_ssize_t>SPECIFIC.get(d.get("feature", ""), 3) + (1 if d.get("geo_precision") == 2 else 0)


cdef inline Py_ssize_t _distance(s, Py_ssize_t start, Py_ssize_t end):
    """attach._distance."""
    cdef Py_ssize_t s0 = s.start, s1 = s.end
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


cdef list _index_usable(index, sent):
    """PlaceIndex.usable (its cache)."""
    got = (<dict>index._usable).get(sent)
    return index.usable(sent) if got is None else got


def place_for_event(doc, sent, Py_ssize_t start, Py_ssize_t end, index):
    """attach.place_for_event with the report's PlaceIndex (for the tests)."""
    return _place_for_event(doc, sent, start, end, index)


cdef _place_for_event(doc, sent, Py_ssize_t start, Py_ssize_t end, index):
    """attach.place_for_event with the report's PlaceIndex."""
    cdef list here, usable, unknown, inside
    cdef Py_ssize_t rb = 99, dist, bd = 0
    cdef bint cued
    here = (<dict>index._here).get(sent)
    if here is None:
        here = index.here(sent)
    usable = _index_usable(index, sent)
    best = _best(usable, start, end)
    if best is not None:
        rb = _rank(best)
    unknown = [s for s in here if not (<dict>s.data).get("resolved")
               and ((<dict>s.data).get("source") != "ner" or best is None or rb > 1)]
    if unknown:
        u = None
        for s in unknown:
            dist = _distance(s, start, end)
            if u is None or dist < bd:
                u, bd = s, dist
        if best is None or rb > 1 or bd < _distance(best, start, end):
            ud = <dict>u.data
            cued = ud.get("feature", "place") != "place"
            near = None
            for r, x in usable:
                if r <= 4 or cued:
                    dist = _distance(x, u.start, u.end)
                    if near is None or dist < bd:
                        near, bd = x, dist
            if near is not None and (<dict>near.data).get("feature") == "country":
                cc = (<dict>near.data).get("country_code")
                inside = [x for r, x in usable if r <= 4 and (<dict>x.data).get("country_code") == cc]
                if inside:
                    near = None
                    for x in inside:
                        dist = _distance(x, u.start, u.end)
                        if near is None or dist < bd:
                            near, bd = x, dist
                else:
                    near = index.main_in(cc) or near
            parent = near or _passage_place(index, sent, start)
            if parent is None and ud.get("source") != "ner":
                parent = index.main() or best
            if parent is not None:
                return with_parent(u, parent)
    if best is not None and rb <= 2:
        return best
    earlier = _passage_place(index, sent, start)
    if earlier is not None and (best is None or inside_of(earlier, best)) and _rank(earlier) < (rb if best is not None else 9):
        return earlier
    if best is not None:
        return best
    return index.main()


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
    if bound is not None and (<dict>bound.data).get("feature") != "country":
        return bound
    return None
