"""Candidate incidents per clause and their arguments (CODING.md "What is an event", "Fields").

With the shipped learned detector (model.py) the steps below produce candidates: what the rules
drop for a soft reason (background, aggregates, condemnations, unsupported words) and the other
event types a clause's words name are candidates too, and the detector, fed the rules' verdict and
score as features (features.py), decides which are events, their type and their place
(arguments.py). Without a model (or with MARSAD_EVENTS=rules) the hand-set scores decide, as
below.

The step matches the trigger and cue lexicons once over the normalised text, then, sentence
by sentence:

1. drops triggers that a cue puts out of the real world: a denial or negation just before it, a
   threat/plan/warning, a conditional, a condemnation or call (unless the sentence gives the
   incident its own toll or date), an opinion, a question, a judicial execution, background
   dated more than 30 days before publication, an aggregate toll with no place and no day
   (gates.py);
2. keeps weak triggers (nouns such as هجوم، اعتقال، مسيرة) only when something in the sentence
   supports them (an actor, a casualty, a date, a weapon, another trigger);
3. groups the remaining triggers by clause into incidents (a clause that only says "killing 5"
   belongs to its neighbour), picks the (sub-)event type by precedence (a battle absorbs its
   shelling, a suicide attack its car bomb, a protest its arrests), and fills the arguments
   from the other layers: actors (agent vs victim, passives such as "تعرض X لقصف من قبل Y"),
   fatalities (killed only), weapons, place, date, sources (clauses.py, build.py, actors.py,
   places.py);
4. weighs how plainly the sentence states the incident (a finite verb or its equivalents
   "تم + verbal noun", "تعرض لـ", "اندلعت اشتباكات" > a bare noun; a toll; a day; named sides;
   a place; a weapon; a source) and keeps incidents whose score reaches the threshold of their
   kind. Mentions a little below it are kept as "weak": the document step folds them into an
   incident stated clearly elsewhere in the report, or drops them (scores.py, rules.py);
5. gives one copy of the incident per town when towns are coordinated ("قريتي محمبل وجوزف",
   split.py).

Actor spans that name no party are set aside first: a word inside a source's name ("مصادر
الحكومة"), the one who blames ("حملت الحكومة داعش المسؤولية": the blamed group is the
perpetrator), and a generic attacker tied to a named group ("انتحاري من تنظيم داعش"), once per
report with its other indexes (context.py). A sentence
with no day of its own takes the day of the passage, which carries over paragraphs (agency copy
puts each sentence in its own) but is never set by background more than 30 days old.

Each event is an `Incident` (incident.py): its coded fields with their evidence spans, and what the
document step needs to merge mentions, which it turns into output records.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections import defaultdict
from datetime import date as Date

from ...doc import Doc, Span, new_span
from ...lexicon import JointMatcher, PhraseMatcher, load_tsv, longest_hits
from . import arguments, gapped, roles, tolls
from .bound import bound_for
from .build import build_event, retype
from .clauses import clause_breaks, compatible, elsewhere
from .context import Ctx, inside_any
from .features import incident_features, incident_sums
from .gates import _blocked, after_relative, describes, is_title, tally
from .kinds import trigger_rows
from .model import _sigmoid, default_model
from .native import _fast, fast_for
from .passage import carries, paragraph_sizes
from .places import most_frequent_place, specificity
from .rules import (BACKGROUND_DAYS, DEFAULT_TOLL_KINDS, DEPENDENT, FUTURE_PREFIX, HARD_CUES, NONLETHAL_KINDS,
                    NONLETHAL_THRESHOLD, ONGOING_MARGIN, PRECEDENCE, PROTEST_KINDS,
                    PROTEST_THRESHOLD, SUPPORT_MARGIN, THRESHOLD, TYPE_OF, W_AGENT, W_EXPLICIT, W_PLACE,
                    W_SOURCE, W_SPECIFIC, W_TIME, W_TOLL, W_VERB, W_VICTIM, W_WEAPON, YEAR, crowd_in, primary_kind,
                    defused_kind, protest_support_in, strength, time_in, trigger_kind)
from .scores import score, trigger_weight
from .split import split_places
from .native import candidate_path

# a built candidate's path compiled where built (_cand.pyx: the same code typed, the same output;
# build.py's, scores.py's and features.py's functions are its pure twins)
_cand = candidate_path()
if _cand is not None:
    build_event, score, incident_sums = _cand.build_event, _cand.score, _cand.incident_sums


_PROTEST_ABOUT = re.compile(r"(?:احتجاجا|تنديدا|رفضا|غضبا)\s+(?:علي\s+|ب|ل|لل)?$|(?:احتجاجا|تنديدا|رفضا|غضبا)\s+ب$")
_COUNTS_OF = re.compile(r"[وب]?(?:ال)?اعداد(?:\s|$)")


_AFTER_CLAUSE = re.compile(r"(?:^|\s)[وف]?(?:بعدما|بعد ان)\s+$")

# the kinds whose other event types a clause's typed alternatives take, in this order
_TYPE_ORDER = tuple(PRECEDENCE + sorted(PROTEST_KINDS))


def _placed_among(merged: list[list[Span]], firsts: list[int], g: list[Span]) -> tuple[list, int]:
    """``sorted(merged + [g], key=first trigger's n0)`` and the index of g in it, from the
    merged groups' first n0s (``firsts``) read once: the same stable order, sorting indices."""
    n = len(merged)
    keys = firsts + [_first_n0(g)]
    order = sorted(range(n + 1), key=keys.__getitem__)
    return [merged[k] if k < n else g for k in order], order.index(n)


def _first_n0(g: list[Span]) -> int:
    """The normalised start of a group's first trigger."""
    m = g[0].data["n0"]
    for t in g:
        if t.data["n0"] < m:
            m = t.data["n0"]
    return m


def component(collect: bool = False, model="default"):
    """The event step. With the shipped learned model (model.py) it decides which candidate
    incidents are events; without one, or with MARSAD_EVENTS=rules, the hand-set scores do.
    ``collect`` (training) keeps every candidate with its features and the rules' verdict."""
    # the triggers, the cues and the gapped triggers' words found by one scan of the text (from
    # matchers of their own, not the per-process ones: their automata are freed once the joint
    # one is built, 1.1 MB of RSS)
    gap_words = gapped.scan_words()
    joint = JointMatcher([PhraseMatcher(trigger_rows()), PhraseMatcher(load_tsv("cues.tsv"))],
                         gap_words or frozenset())
    mdl = default_model() if model == "default" else model

    def run(doc: Doc) -> None:
        (trig_hits, cue_hits), occ = joint.hits(doc.norm)
        _match(doc, trig_hits, "triggers")
        gaps = list(gapped.find(doc, occ if gap_words is not None else None))
        for sp in gaps:
            doc.add("triggers", sp)
        if gaps:
            # "أحرق شبان ... الإطارات": the verb of a gapped protest is no act of destruction too
            doc.layers["triggers"] = [t for t in doc.layer("triggers") if not (
                t.data.get("kind") == "loot" and any(g.start <= t.start < g.end and g.data.get("kind") == "protest"
                                                     for g in gaps))]
        _match(doc, cue_hits, "cues")
        ctx = Ctx(doc)
        ctx.model, ctx.collect = (None if collect else mdl), collect
        # the detector's sums over feature ids, compiled (native.py); None: the feature dicts
        ctx.fast = None if collect else fast_for(ctx.model)
        ctx.doc_place = most_frequent_place(doc, ctx.in_actor) or most_frequent_place(doc, ctx.neighbours)
        if is_title(doc, 0):
            for t in ctx.sl("triggers", 0):
                t.data["title"] = True
        _doc_events(doc, ctx)

    return run


def _doc_events_py(doc: Doc, ctx: Ctx) -> None:
    """The report's events, sentence by sentence, each dated and placed by its passage too."""
    passage_date: tuple | None = None
    para, para_sizes = paragraph_sizes(doc.norm, doc.sentences)
    for si, (a, b) in enumerate(doc.sentences):
        if si and para[si] != para[si - 1]:
            # a new paragraph resets the passage's place and, but between one-sentence
            # paragraphs of agency copy, its day (passage.py)
            ctx.passage_place = None
            if passage_date is not None and not carries(passage_date[2].data.get("kind"), para[si] - para[passage_date[2].sent],
                                                        para_sizes[para[si - 1]], para_sizes[para[si]]):
                passage_date = None
        # (most sentences hold no day, no place: their comprehensions below are not run)
        dates = ctx.sl("dates", si)
        if dates:
            dates = [d for d in dates if d.data.get("date") and d.data["kind"] != "night"]
        trigs = ctx.sl("triggers", si)
        if trigs:
            evs = _sentence_events(doc, ctx, si, a, b, trigs, dates, passage_date)
            doc.events.extend(evs)
            ctx.prev_agent = next((e.agent for e in reversed(evs) if e.agent is not None), None)
        else:
            ctx.prev_agent = None
        # background (a day more than 30 days back) does not date what follows, nor does the
        # start of something still going on (منذ الأحد، منذ ثلاثة أيام): what follows is news of now
        recent = [d for d in dates if not (doc.published and isinstance(d.data["date"], Date)
                                           and (doc.published - d.data["date"]).days > BACKGROUND_DAYS)
                  and not d.data.get("since")] if dates else None
        if recent:
            best = max(recent, key=lambda d: d.data["date"])
            passage_date = (best.data["date"], best.data.get("precision", 1), best)
        usable = ctx.usable_places(si)
        resolved = [p for p in usable if id(p) not in ctx.in_actor
                    and (not ctx.country or p.data.get("country_code") == ctx.country)] if usable else None
        if resolved:
            ctx.passage_place = max(resolved, key=specificity)


_ENTRY_DATA: dict[int, tuple] = {}  # lexicon row -> its public fields (rows live as long as the process)


def _match(doc: Doc, hits: list[tuple], layer: str) -> None:
    """The layer's spans from a matcher's hits over the text."""
    seen = _longest_unique(hits)
    if not seen:
        return
    spans = doc.layers.setdefault(layer, [])    # (doc.add, once)
    text = doc.text
    triggers = layer == "triggers"
    # doc.sentence_of and doc.orig inlined (one bisect, two look-ups per hit)
    doc.sentence_of(0)
    ends, last = doc._sent_ends, max(0, len(doc.sentences) - 1)
    if _fast is not None:   # the loop below, compiled
        _fast.place_hits(seen.values(), spans, ends, last, doc.offsets, text, _ENTRY_DATA, triggers, Span)
        return
    _place_hits_py(seen.values(), spans, ends, last, doc.offsets, text, _ENTRY_DATA, triggers)


def _longest_unique_py(hits: list[tuple]) -> dict[tuple[int, int], tuple]:
    """The longest hits (lexicon.longest_hits), one per (start, end): the same word matched by two
    patterns keeps the longer pattern (the first of equal length)."""
    seen: dict[tuple[int, int], tuple] = {}
    for x in longest_hits(hits):
        k = (x[0], x[1])
        if k not in seen or len(x[4]["_pat"]) > len(seen[k][4]["_pat"]):
            seen[k] = x
    return seen


# (the same dict compiled where built: _fast.longest_unique, no Python step per hit)
_longest_unique = _longest_unique_py if _fast is None else _fast.longest_unique


def _place_hits_py(hits, spans: list, ends: list, last: int, offsets, text: str, entry_data: dict,
                   triggers: bool) -> None:
    bisect_right = bisect.bisect_right
    for start, end, core_start, prefix, e in hits:
        si = bisect_right(ends, start)
        if si > last:
            si = last
        cached = entry_data.get(id(e))
        if cached is None or cached[0] is not e:   # keyed by id: check it is the same row
            fields = {k: v for k, v in e.items() if not k.startswith("_")}
            if triggers:
                cached = (e, fields, e["_pat"], int(e.get("strength") or 1), e.get("event_type", ""))
            else:
                cached = (e, fields, e["_pat"], None, e.get("cue", ""))
            entry_data[id(e)] = cached
        # the row's fields, then these in this order (a key the row has keeps its place)
        data = {**cached[1], "n0": start, "n1": end, "core_start": core_start, "prefix": prefix,
                "pattern": cached[2]}
        if triggers:
            data["strength"] = cached[3]
        o0 = offsets[start]
        o1 = offsets[end] if end > start else o0
        spans.append(new_span(o0, o1, cached[4], text[o0:o1], si, data))


def _sentence_events_py(doc: Doc, ctx: Ctx, si: int, a: int, b: int, trigs: list[Span], dates: list[Span],
                        passage_date):
    norm = doc.norm
    breaks = clause_breaks(doc, ctx, a, b)

    def clause_of(pos: int) -> int:
        return bisect.bisect_right(breaks, pos)

    cues = ctx.sl("cues", si)
    # "لا" inside "لا تزال" (still) is no negation
    # (a sentence's lists are often empty: their comprehensions are not run then)
    cont = [(c.data["n0"], c.data["n1"]) for c in cues if c.data["cue"] == "continuity"] if cues else None
    if cont:
        cues = [c for c in cues if not (c.data["cue"] == "negation"
                                        and any(x <= c.data["n0"] < y for x, y in cont))]
    # "أعداد قتلى الحزب"، "أعداد الجرحى": the numbers of the dead in general, no toll of an incident
    casualties = ctx.sl("casualties", si)
    if casualties:
        casualties = [c for c in casualties if not _COUNTS_OF.match(doc.norm, ctx.nstart(c))]
    killed = [c for c in casualties if c.label == "killed"] if casualties else []
    # a toll of its own: a precise number ("عدد من الشهداء" is only an echo of the incident)
    has_toll = False
    for c in casualties:   # (loops here and below, not generators: this runs per sentence with triggers)
        if isinstance(c.data.get("count"), int) and not c.data.get("approx"):
            has_toll = True
            break
    # (``dates``: the sentence's days but the night with no day named, which only dates an
    # incident that nothing else dates: build.py; the caller's list, not changed here)
    date_pos = [ctx.nstart(d) for d in dates] if dates else []

    def has_date_after(pos: int) -> bool:
        return any(p > pos for p in date_pos)

    actors = ctx.sl("actors", si)
    weapons = ctx.sl("weapons", si)
    places = ctx.sl("places", si)
    question = norm[a:b].rstrip().endswith("?")
    # with no publication date the report's latest day stands in for it, so history stays history
    published = doc.published or ctx.reference_date()

    # background: a date in this sentence > 30 days before publication, and none recent
    stale = False
    if published and dates:
        ages = [(published - d.data["date"]).days for d in dates if isinstance(d.data["date"], Date)]
        if ages and min(ages) > BACKGROUND_DAYS:
            stale = True
    if published and not stale and not any(
            isinstance(d.data["date"], Date) and (published - d.data["date"]).days <= BACKGROUND_DAYS
            and d.data.get("kind") in ("relative", "weekday") for d in dates):
        # "2008- تسعة قتلى ... في 25 تموز": a dated chronology, not news (a day and month without
        # their year are resolved to this year; only "yesterday", "on Sunday" make it recent)
        # (every year YEAR matches starts with "19" or "20" inside the sentence: most sentences
        # hold neither, and two str.find spare them the pattern's scan)
        years = [int(m.group(1)) for m in YEAR.finditer(norm, a, b)
                 if not norm[max(a, m.start() - 9):m.start()].rstrip().endswith(("منذ", "منذ عام", "منذ العام"))
                 ] if norm.find("20", a, b) >= 0 or norm.find("19", a, b) >= 0 else []
        if years and max(years) < published.year:
            stale = True   # ("منذ 2011" is how long a war has lasted, not when this happened)
    cue_kinds = set()
    background = many_places = False   # a background cue of the sentence, an aggregate of places
    for c in cues:
        cue, scope = c.data["cue"], c.data.get("scope")
        cue_kinds.add(cue)
        if cue == "background" and scope == "sentence":
            background = True
        elif cue == "aggregate" and scope == "places":
            many_places = True
    if background and not any(
            published and isinstance(d.data["date"], Date) and (published - d.data["date"]).days <= BACKGROUND_DAYS
            for d in dates):
        stale = True  # "يذكر أن", anniversaries, history: only a recent date keeps it
    aggregate = "aggregate" in cue_kinds and not places and not any(
        d.data.get("precision", 3) == 1 for d in dates)
    if not aggregate and many_places:
        # "المعارك في العديد من المدن السورية": many places at once, none of them named
        aggregate = not any(p.data.get("feature") != "country" for p in places)
    learned = ctx.model is not None or ctx.collect
    sent_gates = [g for g, on in (("stale", stale), ("aggregate", aggregate)) if on]
    if question or (sent_gates and not learned):
        return []

    named = [(p.start, p.end) for p in places]
    valid: list[Span] = []
    # the learned detector sees what the rules would drop, with the reason as a feature
    gated: dict[int, str] = {}
    after_what = []
    if not dates and len(trigs) == 1:
        # "قالت الشرطة إنها تواصل التحقيقات ... بعدما اعتقلت 30 مواطنا": an undated act in a
        # "after it had ..." clause of a sentence that reports nothing else is background to it
        t0 = trigs[0].data["n0"]
        w0 = max(a, t0 - 10)
        if norm.find("بعد", w0, t0) >= 0 and _AFTER_CLAUSE.search(norm, w0, t0):   # (each match holds بعد)
            after_what = trigs
    for t in trigs:
        if t in after_what:
            gated[id(t)] = "after_clause"
            continue
        if named and inside_any(named, t.start, t.end):
            continue  # "ساحة التحرير"، "ساحة الشهداء": part of a place name
        if t.data.get("prefix", "") in FUTURE_PREFIX:
            continue  # وسيقصف: future
        if t.data["kind"] in DEPENDENT and after_relative(doc, ctx, t):
            continue  # "المسلحين الذين قتل أربعة من رفاقهم": the dead described, not an incident told
        blocked = _blocked(doc, ctx, t, cues, clause_of, has_toll, has_date_after)
        if blocked:
            if blocked not in HARD_CUES:
                gated[id(t)] = "cue:" + blocked
            continue
        valid.append(t)
    if not valid and not (learned and gated):
        return []

    # support for weak triggers
    strong_count = 0   # (loops here and below, not generators: this runs per sentence with triggers)
    for k in valid:
        if strength(k) >= 2:
            strong_count += 1

    def supported(t: Span) -> bool:
        s = strength(t)
        if s >= 2:
            return True
        if s <= 0:
            return False
        tc = clause_of(t.data["n0"])
        if casualties or dates or weapons:
            return True
        for x in actors:
            if clause_of(ctx.nstart(x)) == tc:
                return True
        others = [u for u in valid if u is not t and strength(u) >= 1]
        return bool(others) or strong_count > 0

    kept = []
    for t in valid:
        if strength(t) <= 0:
            continue
        if not supported(t):
            gated[id(t)] = "unsupported"
        elif describes(doc, ctx, t):
            gated[id(t)] = "describes"
        else:
            kept.append(t)
    protest = False
    for k in kept:
        if k.data["kind"] in PROTEST_KINDS:
            protest = True
            break
    if protest:
        # "تظاهروا احتجاجا على مقتل العقيد": the killing is what the protest is about, neither
        # violence at the protest nor its toll
        cause = [t for t in kept if t.data["kind"] not in PROTEST_KINDS
                 and _PROTEST_ABOUT.search(norm, max(a, t.data["n0"] - 24), t.data["n0"])]
        if cause:
            kept = [t for t in kept if t not in cause]
            spans = [(t.data["n0"], t.data["n1"]) for t in cause]
            casualties = [c for c in casualties if not any(x <= ctx.nstart(c) < y + 24 for x, y in spans)]
            killed = [c for c in casualties if c.label == "killed"]
    if not kept and not (learned and gated):
        return []

    # group by clause; dependent clauses (killed/wounded only) join a neighbour
    groups: dict[int, list[Span]] = defaultdict(list)
    for t in kept:
        groups[clause_of(t.data["n0"])].append(t)
    order = sorted(groups)
    merged: list[list[Span]] = []
    pending: list[Span] = []
    for ci in order:
        g = groups[ci]
        dependent = True   # (every trigger of the clause a dependent kind: no set made per clause)
        for t in g:
            if trigger_kind(t) not in DEPENDENT:
                dependent = False
                break
        if dependent:
            if merged:
                merged[-1].extend(g)
            else:
                pending.extend(g)
            continue
        if pending:
            g = pending + g
            pending = []
        if merged and compatible(merged[-1], g) and not elsewhere(ctx, merged[-1], g, breaks, si):
            merged[-1].extend(g)
        else:
            merged.append(list(g))
    if pending:
        merged.append(pending)

    events = []
    sent_text = norm[a:b]
    sent_words = ctx.norms()[ctx.ntok(a):ctx.ntok(b)]   # (the sentence's tokens: the patterns' words)
    has_time = bool(dates) or time_in(sent_text, sent_words)
    # an upper bound of the score from what the sentence holds: skip groups that cannot pass
    any_toll = bool(casualties)
    if not any_toll:
        for k in kept:
            if k.data["kind"] in DEFAULT_TOLL_KINDS:
                any_toll = True
                break
    bound = ((W_TOLL if any_toll else W_TOLL / 2) + (W_TIME if has_time else 0)
             + ((W_AGENT + W_VICTIM + W_EXPLICIT) if actors else 0) + W_PLACE + (W_WEAPON if weapons else 0)
             + W_SOURCE)
    # the triggers the rules drop, grouped by clause: candidates for the learned detector only
    rejected: dict[int, list[Span]] = defaultdict(list)
    alt_of: dict[int, str] = {}
    if learned:
        for t in trigs:
            if id(t) in gated and strength(t) > 0:
                rejected[clause_of(t.data["n0"])].append(t)
    cands = [(g, merged, gi) for gi, g in enumerate(merged)]
    if learned:
        # typing as a choice: a clause whose words name incidents of several event types (a battle
        # and its air strikes, an attack and its shelling) also yields one candidate per other
        # type, built from that type's words (and the toll words); the detector keeps one, both
        # or none
        for gi, g in enumerate(merged):
            core = set()
            for t in g:
                core.add(trigger_kind(t))
            core -= DEPENDENT
            if len(core) < 2:
                continue
            # (a defused explosive is typed a disruption: the explosion is then the other type)
            main_type = TYPE_OF[defused_kind(primary_kind(core), g)][0]
            seen_types = {main_type}
            for k in _TYPE_ORDER:
                if k not in core or TYPE_OF[k][0] in seen_types:
                    continue
                seen_types.add(TYPE_OF[k][0])
                alt = [t for t in g if trigger_kind(t) == k or t.data["kind"] in DEPENDENT]
                alt_of[id(alt)] = k
                cands.append((alt, merged, gi))
    if rejected:
        firsts = [_first_n0(x) for x in merged]   # (the kept groups' firsts once per sentence)
        for ci in sorted(rejected):
            g = rejected[ci]
            cands.append((g, *_placed_among(merged, firsts, g)))
    info = {"cue_kinds": cue_kinds, "has_time": has_time, "n_groups": len(merged),
            "protest_support": protest_support_in(sent_text, sent_words), "crowd": crowd_in(sent_text, sent_words)}
    # a candidate the detector cannot keep is not built (bound.py; training builds every one)
    ceiling = bound_for(ctx.model)
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
        if ceiling is not None and (gates or alt is not None) and ceiling.cannot_keep(
                doc, ctx, si, a, b, g, groups_, gi, weapons, breaks, gates, alt, info, events[-1] if events else None):
            continue
        if not learned:   # the rules decide: skip a group whose score cannot reach the threshold
            if any(t.data["kind"] in PROTEST_KINDS for t in g):
                ub, need = 3.1, PROTEST_THRESHOLD
            else:
                ub = max(trigger_weight(doc, ctx, t) for t in g) + W_SPECIFIC + bound
                need = min(THRESHOLD, NONLETHAL_THRESHOLD)
            if ub < need - SUPPORT_MARGIN:
                continue
        ev = build_event(doc, ctx, si, a, b, g, groups_, gi, actors, weapons, killed, casualties,
                          dates, places, passage_date, clause_of, breaks)
        if not ev or tally(ev, dates):
            continue
        # (the sentence's support and crowd tests, made once for it, not scanned again per candidate)
        ev.score = round(score(doc, ctx, ev, g, has_time, casualties, cues, sent_text, info["protest_support"],
                               info["crowd"]), 2)
        need = (PROTEST_THRESHOLD if ev.kind in PROTEST_KINDS
                else NONLETHAL_THRESHOLD if ev.kind in NONLETHAL_KINDS else THRESHOLD)
        prev = events[-1] if events else None
        if (prev is not None and ev.kind == "shell" and prev.kind == "air"
                and not any(x["field"] == "actor1" for x in ev["evidence"])):
            # "شن الطيران غارات على ... وقصف أهدافا أخرى": the same aircraft go on striking
            ev.fields.update(sub_event_type=prev["sub_event_type"], actor1=prev["actor1"], inter1=prev["inter1"])
            ev.kind = "air"
            ev["evidence"] += [x for x in prev["evidence"] if x["field"] == "actor1"]
            ev.score = max(ev.score, prev.score)
        if learned:
            rule = "drop" if gates else "keep" if ev.score >= need else \
                "weak" if ev.score >= need - SUPPORT_MARGIN else "drop"
            if alt is not None:
                rule = "drop"   # the rules keep only the main type
            cinfo = dict(info, gates=gates, rule=rule, score=ev.score, need=need, alt=alt)
            if ctx.fast is not None:   # the same sums as judge(incident_features(...)), no dict built
                feats = None
                z, type_sums = incident_sums(doc, ctx, ev, g, cinfo, ctx.fast)
                p = _sigmoid(z)
            else:
                feats = incident_features(doc, ctx, ev, g, cinfo)
            if ctx.collect:   # training: every candidate with its features, decided later
                ev.role_feats = roles.pair_features(doc, ctx, ev)
                ev.toll_opts = tolls.toll_options(doc, ctx, ev)
                copies = split_places(doc, ctx, ev, si, breaks)
                movable = alt is None and not ev.split   # (towns told apart keep their places)
                ev.place_opts = arguments.place_options(doc, ctx, ev) if movable else []
                for e in [ev] + copies:
                    e.feats, e.rule, e.is_copy = feats, rule, e is not ev
                events.append(ev)
                events.extend(copies)
                continue
            if feats is not None:
                p, type_sums = ctx.model.judge(feats)
            ev.p = p
            verdict = ctx.model.decide(p, ev["event_type"], rule)
            if verdict is None:
                # dropped: the sides and the toll decide nothing more (the verdict reads only the
                # features above, and the roles and tolls change only this incident)
                continue
            ev.role_feats = roles.pair_features(doc, ctx, ev)
            ev.toll_opts = tolls.toll_options(doc, ctx, ev) if ctx.model.tolls else []
            if roles.should_swap(ctx.model.roles, ev.role_feats):
                roles.swap(ev)
            chosen = tolls.choose(ctx.model.tolls, ev.toll_opts)
            if chosen is not None:
                tolls.apply(ev, ev.toll_opts, chosen)
            copies = split_places(doc, ctx, ev, si, breaks) if verdict == "keep" else []
            movable = alt is None and not ev.split
            if verdict is not None and alt is None:
                # the copies at the other places of a list take the type too (as in training,
                # where each mention of the document step is retyped)
                kind = ctx.model.best_type(feats, ev["event_type"], type_sums)
                for e in [ev] + copies:
                    retype(e, kind)
                moved = arguments.chosen_place(doc, ctx, ev, ctx.model.places) if movable else None
                if moved is not None:
                    arguments.move(ev, moved)
            if verdict == "keep":
                events.append(ev)
                for e in copies:
                    e.p = p
                events.extend(copies)
            elif verdict == "weak":
                ev.weak = True
                events.append(ev)
            continue
        if ev.score >= need:
            events.append(ev)
            events.extend(split_places(doc, ctx, ev, si, breaks))
        elif ev.score >= need - SUPPORT_MARGIN:
            # a weakly worded mention: kept only if it adds to an incident the report states
            # clearly elsewhere (the document step merges it or drops it)
            ev.weak = True
            if (ev["sub_event_type"] == "Armed clash" and ev.place_in_sentence
                    and ev.score >= round(need - ONGOING_MARGIN, 2)
                    and any(t.data["kind"] == "battle" and trigger_weight(doc, ctx, t) >= W_VERB for t in g)):
                # "وتدور اشتباكات عنيفة بمجزر": fighting said to go on at a named place, with no
                # toll or day; in a report that states other incidents it is one more of them
                ev.ongoing = True
            events.append(ev)
    return events


# the report's sentence loop and a sentence's gates, groups and candidate loop compiled where built
# (_cand.doc_events and sentence_events: this code typed, the same calls in the same order);
# MARSAD_PURE=1 runs the Python twins above
if _cand is None:
    _sentence_events, _doc_events = _sentence_events_py, _doc_events_py
else:
    _cand.bind_sentence(sys.modules[__name__])
    _sentence_events, _doc_events = _cand.sentence_events, _cand.doc_events
