"""Building the event record (an Incident) of a group of triggers: its type and sub-type, evidence
span, place, actors, day, fatalities and weapons; and retyping it to the learned type."""

from __future__ import annotations

import bisect
import re
from datetime import date as Date

from ...doc import Doc, Span
from .actors import (actor_country, actor_out_in, agent_marked, assign_actors, between_marked, country_name,
                     is_victim, same_side)
from .context import Ctx
from .gates import OCCURRED
from .incident import Incident
from .places import coded_place, place_of
from .rules import (CAMPAIGN_WORDS, DEPENDENT, PRECEDENCE, PROTEST_KINDS, PRO_GOVERNMENT, TYPE_OF, defused_kind,
                    is_verb, primary_kind, strength, trigger_kind, weapon_kind)
from .words import words


_BEGAN = re.compile(r"(?<!\w)[وف]?(?:%s)(?!\w)" % "|".join(words("began")))


_SAID_DAY = re.compile(r"(?:^|\s)ان(?:\s|$)")


def build_event(doc: Doc, ctx: Ctx, si: int, a: int, b: int, g: list[Span], groups, gi,
                 actors, weapons, killed, casualties, dates, places, passage_date, clause_of,
                 breaks: list[int] = ()) -> Incident | None:
    # (_cand.pyx's build_event is this code typed, chosen by candidates.py where built: change both)
    kinds = {trigger_kind(t) for t in g}
    lo, hi = stretch(groups, gi, a, b, breaks)
    my_weapons = ctx.within(weapons, lo, hi) or (weapons if len(groups) == 1 else [])
    core, kind = group_kind(ctx, g, kinds, my_weapons)
    if not core and "kill" not in kinds:
        # wounded only: an incident only if someone did it or something was used
        if not my_weapons and not any(lo <= ctx.nstart(x) < hi and not is_victim(x) for x in actors):
            return None
    first = min(t.data["n0"] for t in g)
    last = max(t.data["n1"] for t in g)
    # evidence for the event: the clause(s) of its triggers
    i = bisect.bisect_right(breaks, first) - 1      # the break opening the first trigger's clause
    c_lo = max(lo, a, breaks[i] if i >= 0 else a)
    j = bisect.bisect_left(breaks, last)             # the break closing the last trigger's clause
    c_hi = min(hi, b, breaks[j] if j < len(breaks) else b)
    if c_hi <= c_lo:
        c_lo, c_hi = first, last
    c_lo, c_hi = _trim(doc.norm, c_lo, c_hi)
    ev_span = doc.span(c_lo, c_hi, "", si)
    scene = place_of(doc, ctx, si, ev_span.start, ev_span.end, first, (lo, hi) if len(groups) > 1 else None)
    place = coded_place(ctx, scene)
    guess = (place.data.get("country_code") if place is not None else None) or ctx.country
    agent, victim = assign_actors(doc, ctx, g, actors, kind, clause_of, (lo, hi), guess, first)
    if agent is None and gi == 0 and ctx.prev_agent is not None and _opens_with_verb(doc, ctx, a, g, first):
        # "وشنت غارة على مواقع للحوثيين": a verb with no subject goes on with the previous
        # sentence's actor
        agent = ctx.prev_agent
        if victim is not None and same_side(actor_out_in(ctx, victim, guess)[0], actor_out_in(ctx, agent, guess)[0]):
            victim = None
    armed = [x for x in (agent, victim) if x is not None and not is_victim(x)
             and x.data.get("inter") not in (6, 7)]
    if kind in ("kill", "wound", "attack", "vac") and my_dates_prec(dates, lo, hi, ctx) == 3:
        return None  # "killed during July", "attacks in July": a monthly toll, not an incident
    if kind == "transfer" and not any(x is not None and not is_victim(x) and not x.label.startswith("Government")
                                      for x in (agent, victim)):
        return None  # ground changes hands between armed sides: "دخلت قوافل المساعدات" is no transfer
    if kind in ("attack", "kill", "wound", "vac") and len(armed) == 2:
        kind = "battle"
    elif kind in ("kill", "wound", "attack") and agent is None and victim is not None \
            and victim.data.get("inter") in (1, 2, 3, 8):
        kind = "battle"  # fighters killed or attacked with no attacker named: they fell fighting
    et, st, pt = TYPE_OF[kind]
    ev_span.label = et
    if kind == "territory" and agent is not None:
        inter = agent.data.get("inter")
        st = ("Government regains territory" if inter == 1 or any(k in agent.label for k in PRO_GOVERNMENT)
              else "Non-state actor overtakes territory")
    elif kind == "territory" and victim is not None and victim.data.get("inter") == 1:
        st = "Non-state actor overtakes territory"   # the state lost it
    elif kind == "territory":
        st = next((t.data["sub_event_type"] for t in g if t.data["kind"] == "territory"), st)
    if kind == "protest" and killed and agent is not None and agent.data.get("inter") == 1:
        st = "Excessive force against protesters"

    evidence = [ev_span.to_evidence("event")]
    # date
    date_val, prec, date_span = None, None, None
    # a day in the stretch of another incident of the sentence dates that one, not this one
    my_dates = ctx.within(dates, lo, hi) or (dates if len(groups) == 1 else [])
    norm_text = doc.norm
    if my_dates:
        # the days said in the incident's own clauses; an incident spread over several named days
        # is coded on its last day (CODING.md). A day in another clause of the sentence ("... ونقل
        # إلى الرياض مساء اليوم") dates something else: only the nearest one stands in for none.
        # "قال الجيش أمس الاثنين إن التحالف نفذ يوم السبت 18 غارة": the day of the saying, before
        # "إن", dates the statement; the day told with the incident dates the incident
        said = [d for d in my_dates if ctx.nstart(d) < first and _SAID_DAY.search(norm_text, ctx.nend(d), first)
                and any(c.data["cue"] == "attribution" and c.data["n1"] <= ctx.nstart(d)
                        for c in ctx.sl("cues", si))]
        if said and len(said) < len(my_dates):
            my_dates = [d for d in my_dates if d not in said]
        in_clause = ctx.within(my_dates, c_lo, c_hi)
        if in_clause:
            d = max(in_clause, key=lambda d: (d.data["date"], -abs(ctx.nstart(d) - first)))
        else:
            d = min(my_dates, key=lambda d: abs(ctx.nstart(d) - first))
        date_val, prec, date_span = d.data["date"], d.data.get("precision", 1), d
    elif passage_date is not None:
        date_val, prec, date_span = passage_date
    elif night := [d for d in ctx.sl("dates", si) if d.data["kind"] == "night" and d.data.get("date")
                   and (lo <= ctx.nstart(d) < hi or len(groups) == 1)]:
        # "شنت الطائرات خلال الليل غارات", no day named: the night before the report (CODING.md
        # Overnight: last night is the day before publication)
        date_val, prec, date_span = night[0].data["date"], 1, night[0]
    elif doc.published:
        date_val, prec = doc.published, 1
    if isinstance(date_val, Date):
        date_str = date_val.isoformat()
    elif isinstance(date_val, str) and date_val:
        date_str = date_val[:10]
    else:
        date_str, prec = None, None
    if date_span is not None:
        evidence.append(date_span.to_evidence("date"))
    said_day = date_span is not None and date_span.sent == si and date_span.data["kind"] != "night"

    # fatalities: killed only, from this incident's stretch
    my_killed = ctx.within(killed, lo, hi) or (killed if len(groups) == 1 else [])
    fat, fat_spans = _fatalities(my_killed, casualties, kinds)
    for k in fat_spans:
        evidence.append(k.to_evidence("fatalities"))

    country = (place.data.get("country_code") if place is not None else None) or actor_country(agent, victim) \
        or ctx.country
    a1, i1 = actor_out_in(ctx, agent, country)
    a2, i2 = actor_out_in(ctx, victim, country)
    if et in ("Protests", "Riots"):
        # the protesters (named by the protest word itself when no actor says who they are);
        # the state is the other side only when it intervened
        crowd = next((x for x in (agent, victim) if x is not None and x.data.get("inter") in (5, 6)), None)
        state = next((x for x in (agent, victim) if x is not None and x.data.get("inter") == 1), None)
        if crowd is not None:
            a1, i1 = actor_out_in(ctx, crowd, country)
        else:
            a1 = ("Protesters (%s)" if et == "Protests" else "Rioters (%s)") % (country_name(country) or "Unknown")
            a1 = a1.replace(" (Unknown)", "")
            i1 = 6 if et == "Protests" else 5
            word = next((t for t in g if t.data["kind"] in PROTEST_KINDS), g[0])
            evidence.append(word.to_evidence("actor1"))   # "تظاهر": the protest word names them
        if state is not None and st != "Peaceful protest":
            a2, i2 = actor_out_in(ctx, state, country)
        else:
            a2, i2 = None, None
        agent, victim = crowd, (state if a2 else None)
    if a2 is not None and et not in ("Protests", "Riots") and victim is not None \
            and victim.data.get("kind") == "protesters":
        # students, demonstrators attacked or abducted outside a protest are civilians (inter 7)
        a2, i2 = ("Civilians (%s)" % country_name(country)).replace(" ()", ""), 7
    if agent is not None:
        evidence.append(agent.to_evidence("actor1"))
    if victim is not None:
        evidence.append(victim.to_evidence("actor2"))
    wnames: list[str] = []
    for w in my_weapons:
        if w.label and w.label not in wnames:
            wnames.append(w.label)
        evidence.append(w.to_evidence("weapon"))
    srcs = []
    for s in ctx.sl("sources", si):
        if s.label and s.label not in srcs:
            srcs.append(s.label)
        evidence.append(s.to_evidence("source"))
    loc = {}
    if place is not None:
        pd = place.data
        loc = {"country_code": pd.get("country_code"), "admin1_code": pd.get("admin1_code"),
               "location": pd.get("location") or place.label, "location_ar": pd.get("location_ar") or place.text,
               "latitude": pd.get("latitude"), "longitude": pd.get("longitude"),
               "geo_precision": pd.get("geo_precision")}
        evidence.append(place.to_evidence("location"))
    elif country:
        # no place resolved: the event stays, placed at its country (CODING.md: geo_precision 3)
        loc = {"location": country_name(country), "geo_precision": 3}
    ev = Incident({
        "event_type": et, "sub_event_type": st, "plover_type": pt,
        "event_date": date_str, "time_precision": prec,
        "country_code": loc.get("country_code") or country or None,
        "admin1_code": loc.get("admin1_code"), "location": loc.get("location"),
        "location_ar": loc.get("location_ar"), "latitude": loc.get("latitude"),
        "longitude": loc.get("longitude"), "geo_precision": loc.get("geo_precision"),
        "actor1": a1, "inter1": i1, "actor2": a2, "inter2": i2,
        "fatalities": fat, "weapons": wnames, "sources": srcs, "notes": "",
        "evidence": evidence, "confidence": 0.0},
        # for the document step
        sent=si, kind=kind, agent=agent, victim=victim, strength=max(strength(t) for t in g),
        kinds=sorted(kinds),
        triggers=[t.text for t in g], place_resolved=bool(place is not None and place.data.get("resolved", True)
                                                          and place.data.get("latitude") is not None),
        # a day said in this sentence (a date inherited from the passage, or the night with no day
        # named, does not keep mentions apart)
        has_date_cue=said_day,
        # where the date comes from: 2 a day said in the sentence, 1 the passage (or the night),
        # 0 publication
        date_src=0 if date_span is None else (2 if said_day else 1),
        # "الاشتباكات التي اندلعت ... أول من أمس": the day the fighting began, not its last day
        began=et == "Battles" and said_day
        and bool(_BEGAN.search(doc.norm, max(a, ctx.nstart(date_span) - 60), ctx.nstart(date_span))),
        fat_known=bool(fat_spans), fat_spans=fat_spans, killed=killed,
        fat_approx=any(k.data.get("approx") or not isinstance(k.data.get("count"), int) for k in fat_spans),
        place_in_sentence=scene is not None and scene.sent == si,
        place_span=place, first=first, region=(lo, hi),
        # one of several incidents of the sentence, placed in its own stretch of it
        clause_place=len(groups) > 1 and scene is not None and scene.sent == si
        and lo <= ctx.nstart(scene) < hi,
        explicit_agent=agent is not None and (agent_marked(ctx, ctx.nstart(agent))
            # "اشتباكات بين المقاومة والحوثيين": the two sides of the fight are named
            or (et == "Battles" and victim is not None
                and between_marked(ctx, ctx.nstart(agent)))))
    return ev


def stretch(groups, gi: int, a: int, b: int, breaks) -> tuple[int, int]:
    """Group gi's stretch of the sentence [a, b): up to the next group's first trigger, cut at
    the last clause break between two groups (only groups k - 1 and k are read for a cut)."""

    def cut(k: int) -> int:
        return last_break(breaks, max(t.data["n1"] for t in groups[k - 1]), min(t.data["n0"] for t in groups[k]))

    return (a if gi == 0 else cut(gi)), (b if gi == len(groups) - 1 else cut(gi + 1))


def group_kind(ctx: Ctx, g: list[Span], kinds: set[str], my_weapons: list[Span]) -> tuple[set[str], str]:
    """The group's core kinds (its killed/wounded words and a campaign's name left out) and its
    kind from its words and weapons, before its sides are known (build_event makes some a
    battle then). (_cand.pyx's group_kind is this code typed, with primary_kind and disrupted:
    change both.)"""
    core = kinds - DEPENDENT
    camp = [t for t in g if t.data["pattern"] in CAMPAIGN_WORDS]
    if camp and len(core) > 1:
        # "ضمن معركة تحرير سهل الغاب"، "عملية عسكرية": a campaign and its name yield to the act the
        # clause states
        ends = {ctx.ntok(t.data["n1"]) for t in camp}
        named = camp + [t for t in g if ctx.ntok(t.data["n0"]) in ends]
        only_named = {trigger_kind(t) for t in named} - {trigger_kind(t) for t in g if t not in named}
        if core - only_named:
            core = core - only_named
    kind = primary_kind(core) if core else "kill"
    # generic attack words take their sub-type from weapons
    wkinds = [k for k in (weapon_kind(w.label) for w in my_weapons) if k]
    if kind in ("attack", "kill", "wound", "ied", "shell") and wkinds:
        for k in ("suicide", "chemical", "grenade", "air", "ied_specific", "shell"):
            if k in wkinds and (kind != "shell" or k == "air"):
                kind = k
                break
    return core, defused_kind(kind, g)   # "تفكيك 15 عبوة ناسفة": the explosive was defused, not set off


# the sub-type an incident takes when the learned typing moves it to another event type: from its
# words when one names that type, else the type's plainest sub-type
_DEFAULT_SUB = {"Battles": "Armed clash", "Explosions/Remote violence": "Shelling/artillery/missile attack",
                "Violence against civilians": "Attack", "Protests": "Peaceful protest", "Riots": "Violent demonstration"}


def last_break(breaks, lo: int, hi: int) -> int:
    """The last of the (sorted) breaks from lo to hi, else lo: ``[x for x in breaks if lo <= x <=
    hi][-1]`` by bisection."""
    i = bisect.bisect_right(breaks, hi) - 1
    return breaks[i] if i >= 0 and breaks[i] >= lo else lo


def retype(ev: Incident, event_type: str | None) -> None:
    """Give the incident event type `event_type` (the learned typing's choice), with a sub-type
    from its trigger kinds or weapons. Strategic developments has no default sub-type: the
    incident takes it only when its clause names one (an arrest, a looting: "اعتقل" beside a
    killing)."""
    if not event_type or event_type == ev["event_type"]:
        return
    kinds = list(ev.kinds or ()) + [k for k in (weapon_kind(w) for w in ev.get("weapons") or ()) if k]
    kind = next((k for k in PRECEDENCE + sorted(PROTEST_KINDS) if k in kinds and TYPE_OF[k][0] == event_type
                 and k not in DEPENDENT), None)
    if kind is None and event_type not in _DEFAULT_SUB:
        return
    if kind is not None:
        et, st, pt = TYPE_OF[kind]
    else:
        et, st = event_type, _DEFAULT_SUB[event_type]
        pt = "PROTEST" if et in ("Protests", "Riots") else "ASSAULT"
    ev.fields.update(event_type=et, sub_event_type=st, plover_type=pt)


def _opens_with_verb(doc: Doc, ctx: Ctx, a: int, g: list[Span], first: int) -> bool:
    """The sentence opens with "و"/"كما" and a verb that is (or comes right before) the trigger
    (``first``: where g's first trigger starts)."""
    i = ctx.ntok(a)
    toks = doc.tokens
    if i >= len(toks):
        return False
    j = i + 1 if toks[i].norm in ("كما", "ثم") else i
    if j >= len(toks):
        return False
    w = toks[j].norm
    verb_trigger = any(t.data["n0"] <= toks[j].start < t.data["n1"] and is_verb(doc, t) for t in g)
    occurred = (w in OCCURRED or (w[:1] in "وف" and w[1:] in OCCURRED)) and ctx.ntok(first) - j <= 2
    return (w[:1] == "و" or j > i) and (verb_trigger or occurred)


def my_dates_prec(dates: list[Span], lo: int, hi: int, ctx: Ctx) -> int | None:
    mine = ctx.within(dates, lo, hi) or dates
    return min((d.data.get("precision") or 1 for d in mine), default=None)


def _trim(norm: str, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and (norm[lo].isspace() or norm[lo] in ',:;"()-'):
        lo += 1
    while hi > lo and (norm[hi - 1].isspace() or norm[hi - 1] in ',:;"()-.'):
        hi -= 1
    return lo, hi


def _fatalities(killed: list[Span], casualties: list[Span], kinds: set[str]):
    """Killed in this incident: the sum of distinct killed counts (lowest of a range is the numbers
    layer's job); 10 for "several" with no number; 0 when nobody is reported killed; None when
    killed and wounded are only given together."""
    if not killed:
        if any(c.data.get("combined") for c in casualties):
            return None, []
        return 0, []
    counts = [k for k in killed if isinstance(k.data.get("count"), int)]
    if any(k.data.get("combined") for k in killed) and not counts:
        return None, killed
    if counts:
        seen = set()
        total = 0
        for k in counts:
            key = (k.start, k.end)
            if key in seen:
                continue
            seen.add(key)
            total += k.data["count"]
        return total, counts
    return 10, killed
