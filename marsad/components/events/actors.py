"""Actor assignment: who acted and who was acted upon (word order, passive agents, targets,
sides that fight together, sides joined by "و"), the final ACLED names of actors, and after the
document step the sides a report leaves unnamed (civilians in a battle, unclaimed bombs, air
strikes without their attacker)."""

from __future__ import annotations

import re
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ...doc import Doc, Span
from ...incident.tables import side
from ...lexicon import load_tsv
from ..actors import country_name as acled_country_name, fill_country
from .context import Ctx
from .native import _fast, _sides
from .places import cued, holds_any
from .rules import NUMBER, NUMBER_WORDS
from .words import words


# Who the agent is in a passive: "من قبل X", "على يد X", "بنيران X".
_AGENT_WORDS = tuple(words("agent_before"))
AGENT_BEFORE = re.compile(r"(?:%s)\s*$" % "|".join(_AGENT_WORDS))
# (not استهدف: the actor right after it is mostly its subject, "استهدف الثوار مواقع ...")
_VICTIM_WORDS = tuple(words("victim_verb"))
VICTIM_VERB = re.compile(r"(?:%s)\S*\s*$" % "|".join(_VICTIM_WORDS))
BETWEEN = re.compile(r"(?:^|\s)بين\s*$")
# (each match of these patterns holds one of its words whole: text with none of them is not
# searched, which spares most actors the patterns' scans)


def victim_verb_before(norm: str, s: int) -> bool:
    """VICTIM_VERB in the 12 characters before offset s."""
    return cued(norm[max(0, s - 12):s], _VICTIM_WORDS, VICTIM_VERB)
_LOSER_VERBS = ("طرد", "طردت", "طردوا", "دحر", "دحرت", "دحروا")
_LOSER_HOLDERS = ("قبضه", "سيطره", "يد", "ايدي", "عناصر", "مسلحي", "مقاتلي", "قوات", "ميليشيات", "مليشيات", "بقايا")
LOSER_BEFORE = re.compile(r"(?:(?:^|\s)[وف]?(?:%s)|(?:^|\s)من(?:\s+(?:%s))?)\s*$"
                          % ("|".join(_LOSER_VERBS), "|".join(_LOSER_HOLDERS)))
_LOSER_WORDS = ("طرد", "دحر", "من")   # (each match holds one: searched only where one is)
# What the text before an actor ends with (then only spaces) wherever each marker matches: the
# compiled markers (_sides._marked) search only there
_AGENT_ENDS = _AGENT_WORDS
_BETWEEN_ENDS = ("بين",)
_LOSER_ENDS = _LOSER_VERBS + ("من",) + _LOSER_HOLDERS


def country_name(code: str | None) -> str:
    """ACLED's English name of a country code (the code itself if no name is known)."""
    return acled_country_name(code or "") or (code or "").upper()


def _between_pair(doc: Doc, ctx: Ctx, actors: list[Span]):
    """"اشتباكات بين X و Y": the two sides."""
    for i, x in enumerate(actors):
        if between_marked(ctx, ctx.nstart(x)):
            for y in actors[i + 1:]:
                if actor_out_in(ctx, y, None)[0] != actor_out_in(ctx, x, None)[0]:
                    return x, y
    return None


def _is_victim_py(sp: Span) -> bool:
    """Civilians, and protesters outside a protest, are acted upon, not acting."""
    return sp.data.get("inter") in (6, 7) or sp.data.get("kind") in ("civilians", "protesters")


is_victim = _is_victim_py if _fast is None else _fast.is_victim   # (the same, compiled: native.py)


def _assign_actors_py(doc: Doc, ctx: Ctx, g: list[Span], actors: list[Span], kind: str, clause_of,
                   own_region: tuple[int, int], country: str | None, first: int):
    """(actor1 span, actor2 span) for the incident whose triggers are g (``first``: where the
    first of them starts, as build_event has it)."""
    if not actors:
        return None, None

    lo, hi = own_region
    # only actors in this incident's stretch of the sentence
    act = ctx.within(actors, lo, hi)
    if not act:
        return None, None
    # each side's final name, kept once per (actor, country) of the report (the candidates of a
    # sentence weigh the same actors again), asked only of the actors a side test weighs
    def name(x: Span) -> str | None:
        return actor_out_in(ctx, x, country)[0]

    norm = doc.norm
    if kind in ("battle", "territory"):
        pair = _between_pair(doc, ctx, act)
        if pair:
            return pair
    agent = victim = None
    blamed = next((x for x in act if x.data.get("blamed")), None)
    kt = [t for t in g if t.data["kind"] in ("kill", "wound")]
    died = None
    if kt:
        # "مقتل 7 من ميليشيات الحوثي"، "قتل 13 جنديا": who died, not who killed. Inside another
        # kind of incident ("قتلت قوات النظام 5 مدنيين في قصف") a verb right before the actor has
        # it as its subject: only a noun (مقتل، مصرع) or a count in between makes it the dead.
        for x in act:
            xs0 = ctx.nstart(x)
            s0 = ctx.ntok(xs0)
            for t in kt:
                if not 0 <= s0 - ctx.ntok(t.data["n1"]) <= 4:
                    continue
                between = norm[t.data["n1"]:xs0]
                if kind not in ("kill", "wound") and t.data.get("pos") != "n" and not number_in(between):
                    continue
                if cause_in(between):
                    continue   # "مقتل 5 في غارة للطيران"، "جراء قصف قوات النظام": the cause, not the dead
                if not agent_marked(ctx, xs0):
                    victim = died = x
                    break
            if victim is not None:
                break
    loser = None
    if kind == "territory":
        # "طرد الحوثيين من"، "استعادت المدينة من داعش"، "من قبضة التنظيم": the side that lost it
        for x in act:
            s0 = ctx.nstart(x)
            if loser_marked(ctx, s0):
                victim = loser = x
                break
    if blamed is not None and blamed is not victim:
        agent = blamed
    # passive agent: "من قبل X" / "على يد X"
    for x in (y for y in act if y is not victim and agent is None):
        s = ctx.nstart(x)
        if agent_marked(ctx, s):
            agent = x
            break
    # the attacked: subject of تعرض / object of استهدف
    for x in (act if victim is None else []):
        if _attacked(ctx, x):
            if x is not agent:
                victim = x
                break
    if agent is None:
        before = [x for x in act if ctx.nend(x) <= first and x is not victim and not is_victim(x)]
        after = [x for x in act if ctx.nstart(x) >= first and x is not victim and not is_victim(x)
                 and not targeted_in(ctx, ctx.nstart(x))]
        if after and ctx.ntok(ctx.nstart(after[0])) - ctx.ntok(first) <= 3:
            agent = after[0]          # VSO: قصفت قوات النظام
        elif before:
            agent = before[-1]        # SVO: القوات قصفت
        elif after:
            agent = after[0]
    if victim is not None and agent is not None and same_side(name(victim), name(agent)):
        if died is victim and ctx.nstart(agent) > ctx.nstart(victim):
            agent = None    # "قتل 13 جنديا وشرطيا": both among the dead, neither the attacker
        else:
            victim = None
    if victim is None:
        vics = [x for x in act if is_victim(x) and x is not agent]
        if vics:
            victim = vics[0]
        else:
            # the other side: not the agent, not one of its allies
            rest = [x for x in act if x is not agent
                    and (agent is None or not same_side(name(x), name(agent)))]
            rest.sort(key=lambda x: not targeted_in(ctx, ctx.nstart(x)))   # the one aimed at first
            if rest:
                victim = rest[0]
    if agent is None and victim is not None and not is_victim(victim) and kind in ("battle", "territory") \
            and victim is not loser:
        agent, victim = victim, None
    if agent is not None and is_victim(agent) and victim is not None and not is_victim(victim):
        agent, victim = victim, agent
    if kind == "agree":
        return agent, victim      # "الرئيس التونسي ونظيره الجزائري" agree with each other
    return _first_conjuncts(doc, ctx, act, agent, victim, name)


def _marked(ctx: Ctx, known: dict[int, bool], rx: re.Pattern, s: int, width: int, words: tuple) -> bool:
    """rx found in the ``width`` characters before offset s, prefiltered by its ``words``
    (places.cued); asked once per offset of a report (the rules, the features and the role model
    ask it of the same actors for every candidate)."""
    got = known.get(s)
    if got is None:
        got = known[s] = cued(ctx.doc.norm[max(0, s - width):s], words, rx)
    return got


def _agent_marked_py(ctx: Ctx, s: int) -> bool:
    """"من قبل"، "على يد" right before offset s: who comes next is the agent."""
    return _marked(ctx, ctx.agent_before, AGENT_BEFORE, s, 14, _AGENT_WORDS)


def _between_marked_py(ctx: Ctx, s: int) -> bool:
    """"بين" ends the 8 characters before offset s ("بين X و Y"), asked once per offset."""
    return _marked(ctx, ctx.between_before, BETWEEN, s, 8, _BETWEEN_WORDS)


_BETWEEN_WORDS = ("بين",)


def _loser_marked_py(ctx: Ctx, s: int) -> bool:
    """"طرد ... من"، "من قبضة" right before offset s: who comes next lost the ground."""
    return _marked(ctx, ctx.loser_before, LOSER_BEFORE, s, 16, _LOSER_WORDS)


_SUFFERED = re.compile(r"\s*(?:تعرض|يتعرض|تتعرض)")
_SUFFERED_WORD = "تعرض"   # (each match holds it: the compiled test matches only where it is)


def _attacked(ctx: Ctx, x: Span) -> bool:
    """The actor is what was attacked: after a verb of attacking, or the subject of تعرض (once
    per actor span)."""
    got = ctx.attacked.get(id(x))
    if got is None:
        s, e = ctx.nstart(x), ctx.nend(x)
        norm = ctx.doc.norm
        got = ctx.attacked[id(x)] = bool(victim_verb_before(norm, s)
                                         or _SUFFERED.match(norm[e:e + 8]))
    return got


_AND = re.compile(r"\s*و\s*")


def _first_conjuncts(doc: Doc, ctx: Ctx, act: list[Span], agent, victim, name):
    """Sides joined by "و" ("قوات النظام وحزب الله"، "مواقع الحوثيين وقوات صالح") act or suffer
    together: the pair is never split between actor1 and actor2, and each side is named by its
    first conjunct, as ACLED names the lead actor (the others are associated actors)."""
    # (the heads of a stretch's actors, once per report: the candidates of a clause share them)
    key = tuple(map(id, act))
    head = ctx.conjunct_heads.get(key)
    if head is None:
        head = ctx.conjunct_heads[key] = {}
        prev = None
        for x in sorted(act, key=ctx.nstart):
            joined = prev is not None and _AND.fullmatch(doc.norm, ctx.nend(prev), ctx.nstart(x))
            head[id(x)] = head[id(prev)] if joined else x
            prev = x
    if agent is not None and victim is not None and head[id(agent)] is head[id(victim)]:
        rest = [x for x in act if head[id(x)] is not head[id(agent)] and head[id(x)] is x
                and not same_side(name(x), name(agent))]
        victim = rest[0] if rest else None
    return (head[id(agent)] if agent is not None else None), (head[id(victim)] if victim is not None else None)


CAUSE = re.compile(r"(?<!\w)(?:جراء|بسبب|اثر|نتيجه|بفعل|في|خلال|عقب|برصاص|بنيران|بقصف|بغاره|بغارات)(?!\w)")
_CAUSE_WORDS = ("جراء", "بسبب", "اثر", "نتيجه", "بفعل", "في", "خلال", "عقب", "برصاص", "بنيران", "بقصف", "بغار")
_DIGIT = re.compile(r"\d").search   # (NUMBER's \d: any decimal digit, not only 0-9)


def cause_in(text: str) -> bool:
    """CAUSE in text ("جراء قصف"، "في غارة"), searched only where one of its words is: most text
    between a trigger and an actor holds none."""
    return cued(text, _CAUSE_WORDS, CAUSE)


def number_in(text: str) -> bool:
    """rules.NUMBER in text (a count), searched only where a digit or one of its words is."""
    return (holds_any(text, NUMBER_WORDS) or _DIGIT(text) is not None) and NUMBER.search(text) is not None
# What an attack is aimed at: "مواقع للحوثيين"، "على داعش"، "عربات تابعة للحوثي"
_TARGET_PREPS = ("علي", "ضد", "الي", "باتجاه", "نحو")
_TARGET_PLACES = ("مواقع", "موقع", "تجمع", "تجمعات", "عربات", "عربه", "اليات", "اليه", "اهداف", "تمركزات", "تمركز",
                  "معاقل", "مقرات", "مقر", "مخازن", "معسكر", "معسكرات", "ثكنات", "ثكنه", "دوريه", "دوريات", "حاجز",
                  "نقطه", "اطقم", "طقم")
_TARGET_BEFORE = re.compile(r"(?:(?:^|\s)[وف]?(?:%s)\s+|(?:^|\s)[وب]?(?:ال)?(?:%s)\s+(?:تابعه\s+|تابع\s+)?)$"
                            % ("|".join(_TARGET_PREPS), "|".join(_TARGET_PLACES)))
_TARGET_WORDS = _TARGET_PREPS + _TARGET_PLACES   # (each match holds one: tried only where one is)
_TARGET_ENDS = _TARGET_PREPS + _TARGET_PLACES + ("تابعه", "تابع")   # (the last word of each match)


def targeted(norm: str, s: int) -> bool:
    """An actor named as the target: after "على/ضد", after a position word ("مواقع ..."), or with
    the preposition ل fused to it (للحوثيين)."""
    w0 = norm.rfind(" ", 0, s) + 1
    if norm[w0:s].lstrip("وف") in ("ل", "لل"):
        return True
    lo = max(0, w0 - 24)
    return holds_any(norm[lo:w0], _TARGET_WORDS) and _TARGET_BEFORE.search(norm, lo, w0) is not None


def _targeted_in_py(ctx: Ctx, s: int) -> bool:
    """targeted() over the report's text, asked once per offset (the rules and the role features
    ask it of the same actors for every candidate)."""
    got = ctx.targeted.get(s)
    if got is None:
        got = ctx.targeted[s] = targeted(ctx.doc.norm, s)
    return got


def _same_side_py(a: str | None, b: str | None) -> bool:
    """Sides that fight together (incident/data/actor_sides.tsv, its extractor rows): a pair of them
    is never actor1 vs actor2, and the document step merges their mentions."""
    return bool(a) and bool(b) and side(a, "extractor") == side(b, "extractor")


def actor_country(*spans) -> str | None:
    for s in spans:
        if s is not None and s.data.get("country"):
            return s.data["country"]
    return None


from ..actors import resolve_actor as _resolve_actor  # {country} placeholders, overrides, inter abroad


def actor_out(sp: Span | None, country: str | None):
    """The final (name, inter) of an actors span in an event in `country`."""
    if sp is None:
        return None, None
    return _actor_name(*actor_in(sp), country)


def actor_in(sp: Span) -> tuple:
    """All that actor_out reads of a span: spans equal in it get the same (name, inter) in any
    country (callers tally by it and name each distinct one once)."""
    d = sp.data
    return sp.label, d.get("inter"), d.get("inter_abroad"), d.get("country"), d.get("by_country")


def _actor_out_in_py(ctx: Ctx, sp: Span | None, country: str | None):
    """actor_out, asked once per (actor, country) of a report: the candidates of a sentence weigh
    the same actors again."""
    if sp is None:
        return None, None
    key = (id(sp), country)
    got = ctx.actor_names.get(key)
    if got is None:
        got = ctx.actor_names[key] = actor_out(sp, country)
    return got


@lru_cache(maxsize=4096)
def _actor_name(label, inter, inter_abroad, home, by_country, country):
    # memoised: the same few actors come back in every sentence of every report; the one rule of
    # components.actors names them (no second rule here for when it fails: a bug there is a bug)
    data = {"inter": inter, "inter_abroad": inter_abroad, "country": home, "by_country": by_country or ""}
    return _resolve_actor(label, data, country)


@lru_cache(maxsize=1)
def _unattributed() -> dict[tuple[str, str, str], tuple[str, int]]:
    return {(r["sub_event_type"], r["country"], r["slot"]): (r["actor"], int(r["inter"]))
            for r in load_tsv("unattributed.tsv", Path(__file__).resolve().parent / "data")}


AIR_FORCES = (1, 8)   # only state forces and foreign forces fly (an air strike's actor1 in every annotation)


def _ground_side_struck(e) -> None:
    """An air strike whose actor1 is a side without aircraft (the Houthis, a rebel group): that
    side is what was struck. It becomes actor2 (a state or foreign actor2 is the striker: the two
    swap); the attacker is then left to fill_unnamed."""
    if e["sub_event_type"] != "Air/drone strike" or not e.get("actor1") or e.get("inter1") in AIR_FORCES:
        return
    _struck_as_actor2(e, swap=e.get("inter2") in AIR_FORCES)


def _struck_as_actor2(e: dict, swap: bool) -> None:
    """actor1 is the side that was struck: it becomes actor2. With `swap` actor2 is the other side
    and becomes actor1; else actor2 is dropped and actor1 left to fill_unnamed. The evidence
    follows its fields."""
    if swap:
        e["actor1"], e["inter1"], e["actor2"], e["inter2"] = e["actor2"], e["inter2"], e["actor1"], e["inter1"]
        flip = {"actor1": "actor2", "actor2": "actor1"}
    else:
        e["actor2"], e["inter2"], e["actor1"], e["inter1"] = e["actor1"], e["inter1"], None, None
        flip = {"actor1": "actor2", "actor2": None}
    e["evidence"] = [dict(x, field=flip[x["field"]]) if x["field"] in flip else x for x in e["evidence"]
                     if flip.get(x["field"], x["field"]) is not None]


def drop_bystanders(events: list) -> None:
    """A battle is fought between armed sides: civilians told with it (its dead, the people of the
    town) are no side of it (CODING.md: civilians killed in the fighting add to the battle). An
    armed actor2 left alone by them becomes actor1; the document step may then name its opponent
    (a side told only by its dead or its loss stays actor2)."""
    for e in events:
        if e["event_type"] != "Battles":
            continue
        dropped = set()
        for slot in ("actor1", "actor2"):
            if e.get("inter" + slot[-1]) == 7:
                e[slot], e["inter" + slot[-1]] = None, None
                e["evidence"] = [x for x in e["evidence"] if x["field"] != slot]
                dropped.add(slot)
        if "actor1" in dropped and e.get("actor2"):
            e["actor1"], e["inter1"], e["actor2"], e["inter2"] = e["actor2"], e["inter2"], None, None
            e["evidence"] = [dict(x, field="actor1") if x["field"] == "actor2" else x for x in e["evidence"]]


DEAD_GAP = 12   # characters at most between a toll's words and a side named as its dead


def dead_side_struck(events: list) -> None:
    """A landmine's or roadside bomb's dead are whom it struck: a side named only inside the toll
    ("16 مسلحا من المقاومة لقوا مصرعهم"، "لقي ضابط شرطة ... مصرعهما") is actor2, not the one that
    acted (CODING.md: actor1 the side that acted; an unclaimed bomb's is then filled by
    fill_unnamed). A named actor2 that is no civilian becomes actor1 (the report's opponent the
    document step gave it); civilians give way (one side struck)."""
    for e in events:
        if e["sub_event_type"] != "Remote explosive/landmine/IED" or not e.get("actor1"):
            continue
        tolls = [(x["start"], x["end"]) for x in e["evidence"] if x["field"] == "fatalities"]
        named = [x["start"] for x in e["evidence"] if x["field"] == "actor1"]
        if not tolls or not named or not all(any(t0 <= s <= t1 + DEAD_GAP for t0, t1 in tolls) for s in named):
            continue
        _struck_as_actor2(e, swap=bool(e.get("actor2")) and e.get("inter2") != 7)


ARMED = (1, 2, 3, 4, 8)   # the inter codes of armed sides (state, rebels, political and identity militias, external forces)


def _armed_groups_py(spans: list[Span], armed: tuple = ARMED) -> dict[tuple, list]:
    """The armed spans (not victims, not out of the fight: not_party) grouped by all that actor_out
    reads of them (actor_in), in the order the report first names them: key -> [count, first span]
    (fill_opponents names each group once per country, not each mention)."""
    groups: dict[tuple, list] = {}
    for x in spans:
        if not is_victim(x) and x.data.get("inter") in armed and not x.data.get("not_party"):
            key = actor_in(x)
            got = groups.get(key)
            if got is None:
                groups[key] = [1, x]
            else:
                got[0] += 1
    return groups


armed_groups = _armed_groups_py if _fast is None else _fast.armed_groups   # (the same, compiled: native.py)


def toll_side_struck(doc: Doc, events: list) -> None:
    """The dead a strike's or bomb's toll names in its own words ("أن تسعة متمردين قتلوا في غارة"،
    "استشهاد عشرة من منسوبي القوات") are the side it struck (CODING.md: actor2 the side acted
    upon). Civilians taken as a side from words outside the toll (a source's "سكان", the next
    clause's "المواطنين") are no side of it: they give way, the dead side is actor2, and the other
    armed side left is actor1 (none: fill_unnamed names the attacker). Only where the toll names no
    civilians, not in a battle (either side's dead), and not where actor1 is of the dead's own side
    (a landmine's is dead_side_struck's; an air strike so read is miscoded beyond this rule)."""
    spans = None
    for e in events:
        if e["event_type"] != "Explosions/Remote violence" or 7 not in (e.get("inter1"), e.get("inter2")):
            continue
        tolls = [(x["start"], x["end"]) for x in e["evidence"] if x["field"] == "fatalities"]
        if not tolls:
            continue

        def in_toll(s: int) -> bool:
            return any(t0 <= s <= t1 + DEAD_GAP for t0, t1 in tolls)

        civ = [slot for slot in ("actor1", "actor2") if e.get("inter" + slot[-1]) == 7
               and not any(in_toll(x["start"]) for x in e["evidence"] if x["field"] == slot)]
        if not civ:
            continue
        if spans is None:
            spans = [x for x in doc.layer("actors") if not x.data.get("not_party")]
        named = [x for x in spans if in_toll(x.start)]
        if not named or any(is_victim(x) for x in named):
            continue
        dead = next((x for x in named if x.data.get("inter") in ARMED), None)
        if dead is None:
            continue
        name, inter = actor_out(dead, e.get("country_code"))
        if not name:
            continue
        if "actor1" not in civ and e.get("actor1") and same_side(e["actor1"], name):
            continue   # the attacker's own side died (a state's strike told with its police's dead): no reading
        for slot in civ:
            e[slot], e["inter" + slot[-1]] = None, None
        e["evidence"] = [x for x in e["evidence"] if x["field"] not in civ]
        if e.get("actor2") and same_side(e["actor2"], name):
            continue
        if e.get("actor2"):
            # the armed side left is the attacker
            e["actor1"], e["inter1"] = e["actor2"], e["inter2"]
            e["evidence"] = [dict(x, field="actor1") if x["field"] == "actor2" else x for x in e["evidence"]
                             if x["field"] != "actor1"]
        e["actor2"], e["inter2"] = name, inter
        e["evidence"].append(dead.to_evidence("actor2"))


def fill_unnamed(events: list) -> None:
    """The sides a report leaves unnamed, as ACLED codes them (data/unattributed.tsv): an unclaimed
    bomb's Unidentified Armed Group and the civilians it hit, the air force of an unattributed air
    strike. An air strike first takes the attacker the report names for its other air strikes (the
    same aircraft). The event's own words are the evidence of a side filled so."""
    table = _unattributed()
    for e in events:
        _ground_side_struck(e)
    air = Counter((e["actor1"], e["inter1"]) for e in events
                  if e["sub_event_type"] == "Air/drone strike" and e.get("actor1"))
    for e in events:
        st, cc = e["sub_event_type"], (e.get("country_code") or "").upper()
        for slot, other in (("actor1", "actor2"), ("actor2", "actor1")):
            if e.get(slot):
                continue
            if slot == "actor1" and st == "Air/drone strike" and air:
                name, inter = air.most_common(1)[0][0]
            else:
                row = table.get((st, cc, slot)) or table.get((st, "*", slot))
                if row is None:
                    continue
                name, inter = fill_country(row[0], cc), row[1]
            if name == e.get(other):
                continue
            said = next((x for x in e["evidence"] if x["field"] == "event"), None)
            if said is None:
                continue   # no words of the event to stand as the side's evidence
            e[slot], e["inter" + slot[-1]] = name, inter
            e["evidence"].append(dict(said, field=slot))


# the sides and the helpers the step asks of each candidate, compiled where built (native.py)
if _sides is None:
    assign_actors, actor_out_in, same_side = _assign_actors_py, _actor_out_in_py, _same_side_py
    agent_marked, between_marked, loser_marked = _agent_marked_py, _between_marked_py, _loser_marked_py
    targeted_in = _targeted_in_py
else:
    from ...incident import tables as _tables
    from . import rules as _rules
    _sides.bind_actors(sys.modules[__name__], _rules, _tables)
    assign_actors, actor_out_in, same_side = _sides.assign_actors, _sides.actor_out_in, _sides.same_side
    agent_marked, between_marked, loser_marked = _sides.agent_marked, _sides.between_marked, _sides.loser_marked
    targeted_in = _sides.targeted_in
