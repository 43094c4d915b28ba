"""Document-level coding: one event per incident, notes, confidence, conditions, sources.

The event step gives one event per mention. Here mentions of the same incident are merged
(the title and the body, a sentence repeated further down, a clause that only adds the toll),
following the granularity rule of CODING.md: one event per (event type, sub-event type,
location, date, actor pair). A mention placed only at the country or governorate joins the
same incident told with a town inside it (a strike, of whatever kind), and so does one at a
governorate's town written bare with the governorate's name ("في مأرب"); a strike told at a town
joins one told at its quarter; a mention that only gives a toll joins the incident at its place
and date; a capture told as taken and as lost, a
protest told as peaceful and as dispersed, are one event; explosions with no device named, heard
where a strike is told, are its blasts, and an attack told with no device and no attacker there
("القصف أدى إلى مقتل") is that strike told again; weakly worded mentions (see events.py) only add to an
incident stated clearly elsewhere. Shelling and air strikes at the place and on the day of a battle by its own sides belong to
that battle (ACLED: explosions during an ongoing battle), and their dead add to its fatalities; a
strike on civilians or on a civilian site (quarters, homes, a market, a camp) is an event of its
own (CODING.md: away from the front), and so is an air strike told with its own target, dead or
day. A bombing and its claim as a suicide attack are
one suicide bombing. Allies named differently ("the resistance", "pro-government forces") count
as one side when mentions are compared, and an incident told on two named days takes its last
day. Two figures for one toll keep the lowest (CODING.md). A battle or strike with one side named
gets the side the report opposes to it. Then each event gets an English ``notes`` sentence built
only from its fields and a ``confidence`` in [0, 1]; the humanitarian conditions and the sources
of the report are collected with their evidence.
"""

from __future__ import annotations

import bisect
import re
from collections import OrderedDict
from functools import lru_cache
from operator import itemgetter

from ..doc import Doc, Span
from ..fields import EVENT_FIELDS
from ..incident.merging import rule_decides, same
from ..incident.tables import kindred_subtypes
from ..incident.within import (_actors_compatible, _dates_compatible, _inside, _nested_same, _place_key,
                                _places_compatible, _went_on, ONE_SIDED, same_incident, seat_named, side_shared,
                                side_shared_in_role, told_another_day)
from ..lexicon import words
from ..text import strip_proclitics
from .events.build import _fatalities
from .events.incident import Incident
from .events import (ARMED, PRO_GOVERNMENT, actor_out, armed_groups, dead_side_struck, drop_bystanders, fill_unnamed,
                     most_frequent_place, same_side, specificity, toll_side_struck)

OPPONENT_TYPES = {"Battles", "Explosions/Remote violence"}
_WORD = re.compile(r"\w+")
NAMED_TOLL_GAP = 10   # words at most between a toll and the name of its incident (toll_told_after)
EXPLOSION_IN_BATTLE = {"Shelling/artillery/missile attack", "Air/drone strike"}


def component():
    def run(doc: Doc) -> None:
        events = [e for e in doc.events if isinstance(e, Incident)]
        events = merge_events(events, doc.norm)
        toll_told_after(doc, events)
        drop_bystanders(events)
        fill_opponents(doc, events)
        dead_side_struck(events)
        toll_side_struck(doc, events)
        fill_unnamed(events)
        settle_territory(events)
        out = []
        for e in events:
            f = e.fields   # (two coded fields: written into the dict, no check per key)
            f["notes"] = notes(e)
            f["confidence"] = confidence(e)
            out.append(_record(e))
        doc.events = out
        doc.conditions = conditions(doc)
        doc.sources = sources(doc)

    return run


_CODED = frozenset(EVENT_FIELDS)


def _record(e: Incident) -> dict:
    """``e.record()`` (the coded fields in EVENT_FIELDS' order, None where unset), made by two C
    calls when the fields hold only coded keys (as Incident's item access keeps them): a dict of
    every key set to None, updated in place (an existing key keeps its position)."""
    f = e.fields
    if not _CODED.issuperset(f):
        return e.record()
    out = dict.fromkeys(EVENT_FIELDS)
    out.update(f)
    return out


# ------------------------------------------------------------------ merging

def _actors(e: Incident) -> set:
    f = e.fields
    return {x for x in (f.get("actor1"), f.get("actor2")) if x}


def _absorbs(battle: Incident, e: Incident, norm: str = "") -> bool:
    """A shelling/air strike by the battle's own sides at its place on its day (CODING.md: a fight
    that includes shelling by the fighting sides is one Battles event; one event per date: a
    shelling dated another day, even by the passage or the publication only, is its own event),
    unless it struck civilians or a civilian site named in its own stretch of the normalised text
    `norm` (CODING.md: shells that land away from the front, on a camp or a market, are their own
    events; the annotators coded 37 shellings of civilians apart from a clash there that day, and
    "قصف الأحياء السكنية" beside "المواجهات" apart too)."""
    # the words of e's stretch are read last, for the pairs at one place and day only
    bf, ef = battle.fields, e.fields   # (read directly: asked of many pairs, within.py)
    return (bf["event_type"] == "Battles" and _absorbable(e) and _place_key(battle) == _place_key(e)
            and bf.get("event_date") == ef.get("event_date")
            and (_actors(e) - {None}) <= _actors(battle) | {a for a in _actors(e) if a.startswith("Civilians")}
            and not _names_word(norm[e.region[0]:e.region[1]], _civilian_sites()))


def _absorbable(e: Incident) -> bool:
    """_absorbs' tests of e alone: a mention that fails them is absorbed by no battle."""
    ef = e.fields
    return (ef["event_type"] == "Explosions/Remote violence" and ef["sub_event_type"] in EXPLOSION_IN_BATTLE
            and not (ef.get("actor2") or "").startswith("Civilians") and ef.get("location") is not None)


@lru_cache(maxsize=1)
def _civilian_sites() -> frozenset[str]:
    return frozenset(words("civilian_sites.tsv", "site"))


def _names_word(text: str, bare: frozenset[str]) -> bool:
    """One of the words of `text`, bare or after a proclitic, is in `bare`."""
    return any(stem in bare for w in _WORD.findall(text) for _, stem in strip_proclitics(w))


def merge_events(events: list[Incident], norm: str = "") -> list[Incident]:
    """The mentions merged into incidents (norm: the report's normalised text, where each
    mention's stretch is read)."""
    merged: list[Incident] = []
    strong = [e for e in events if not e.weak]
    weak = [e for e in events if e.weak]
    # With the hand-set rule deciding (no learned decision shipped), `same` is the rule: it is
    # asked directly, and in the first pass only of mentions of one type and sub-type (the only
    # ones it merges; most pairs of a report differ in type). A learned decision weighs them all.
    rule = rule_decides()
    ask = same_incident if rule else same
    # neither the rule nor _one_of_a_kind merges two types (nor does a fold change one): with the
    # rule deciding, a mention meets only the incidents of its type, in the order they were merged
    of_type: dict[str, list[Incident]] = {}
    for e in strong:
        et, st = e.fields["event_type"], e.fields["sub_event_type"]
        for m in (of_type.get(et, ()) if rule else merged):
            mt, ms = m.fields["event_type"], m.fields["sub_event_type"]
            # (_one_of_a_kind's first test inline: most pairs share a sub-type)
            if (not rule or ms == st) and ask(m, e) or mt == et and ms != st and _one_of_a_kind(m, e):
                _fold(m, e, add_fatalities=False)
                break
        else:
            merged.append(e)
            of_type.setdefault(et, []).append(e)
    # "انفجار سيارة ملغومة" in one sentence, "فجر سيارته" in the claim: one suicide bombing
    merged = _fold_bomb_into_suicide(merged)
    # a mention that only gives a toll ("34 killed in Aleppo") belongs to the incident at that
    # place and date (before that incident joins a more specific one below and takes its place)
    rest = []
    for e in merged:
        host = None
        if e.kind in ("kill", "wound"):
            host = next((m for m in merged if m is not e and m.kind not in ("kill", "wound")
                         and m.fields.get("location") is not None and _place_key(m) == _place_key(e)
                         and m.fields.get("event_date") == e.fields.get("event_date") and _actors_compatible(m, e)), None)
        if host is not None:
            _fold(host, e, add_fatalities=False)
        else:
            rest.append(e)
    merged = rest
    # a mention placed only at a larger unit (the country, the governorate: a title, a summary)
    # joins the incident of the same kind told with a more specific place inside that unit
    merged = _fold_general_into_specific(merged)
    # "سماع دوي انفجارات" where a strike is told: the strike's blasts
    merged = _fold_blasts_into_strikes(merged)
    # weakly worded mentions only add to an incident stated clearly elsewhere
    promoted: list[Incident] = []
    for e in weak:
        # (with the rule deciding, `same` merges only one type and sub-type: the others are not asked)
        et, st = e.fields["event_type"], e.fields["sub_event_type"]
        # (_absorbs asked only where e passes its tests of e alone: most weak mentions fail them)
        can = _absorbable(e)
        host = next((m for m in merged if (not rule or m.fields["event_type"] == et and m.fields["sub_event_type"] == st)
                     and ask(m, e) or can and _absorbs(m, e, norm)), None)
        if host is None and e["sub_event_type"] == "Suicide bomb":
            # the claim "فجر سيارته" tells how the bombing stated elsewhere was done
            host = next((m for m in merged if _bomb_pair(e, m)), None)
            if host is not None:
                host["sub_event_type"] = "Suicide bomb"
        if host is not None:
            _fold(host, e, add_fatalities=_absorbs(host, e, norm))
        elif e.place_in_sentence and e.place_resolved \
                and (general := next((m for m in merged if _details(m, e)), None)) is not None:
            # "نفذ التحالف 18 غارة في العراق" then "أربع غارات قرب الموصل": the detail names the
            # town of an incident the report states at country or governorate level; the town
            # is where it happened (CODING.md granularity: one event per town)
            for k in ("actor1", "actor2"):
                if e.get(k) is None and general.get(k) is not None and general[k] not in _actors(e):
                    e[k], e["inter" + k[-1]] = general[k], general.get("inter" + k[-1])
            if e.date_src < general.date_src:
                e["event_date"], e["time_precision"] = general["event_date"], general.get("time_precision")
                e.date_src = general.date_src
            e.weak = False
            promoted.append(e)
    # fighting said to go on at a named place (no toll, no day) counts in a report that states
    # other incidents plainly; alone (a comment, an analysis) it stays out
    if merged:
        for e in weak:
            if e.ongoing and e.weak:
                can = _absorbable(e)
                if not any(ask(m, e) or can and _absorbs(m, e, norm) or _nested_same(m, e) for m in merged + promoted):
                    e.weak = False
                    promoted.append(e)
    if promoted:
        merged = _fold_general_into_specific(merged + promoted)
    # explosions inside a battle belong to it, unless an air strike told as an incident of its own
    battles = [m for m in merged if m.fields["event_type"] == "Battles" and m.fields["sub_event_type"] == "Armed clash"]
    if battles:
        rest = []
        for m in merged:
            # only an explosion that passes _absorbs' tests of itself can be absorbed, only ground
            # taken be won (_won_in's tests of m)
            host = next((b for b in battles if b is not m and _absorbs(b, m, norm) and not _strike_apart(m)), None) \
                if _absorbable(m) else None
            if host is not None:
                _fold(host, m, add_fatalities=True)
            elif m.fields["sub_event_type"] in _TERRITORY \
                    and (host := next((b for b in battles if b is not m and _won_in(b, m)), None)) is not None:
                _fold(host, m, add_fatalities=False)
            else:
                rest.append(m)
        merged = rest
    return merged


def _blasts(e: Incident) -> bool:
    """Explosions with no device named ("سماع دوي انفجارات عنيفة", "هزت انفجارات المدينة": the event
    step types them Remote explosive by default)."""
    f = e.fields   # (read directly: asked of every mention and pair in _fold_blasts_into_strikes)
    return f["sub_event_type"] == "Remote explosive/landmine/IED" and set(f.get("weapons") or ()) <= {"bomb"}


def _unnamed_attack(e: Incident) -> bool:
    """An explosion told with neither its device nor its attacker ("حصيلة الهجوم"، "القصف أدى إلى
    مقتل"، "المواقع التي استهدفت": the event step types it Shelling by default)."""
    f = e.fields   # (read directly: asked of every mention and pair in _fold_blasts_into_strikes)
    return not f.get("weapons") and not f.get("actor1")


def _blast_of(host: Incident, e: Incident) -> bool:
    """e tells blasts at the place and date of an explosion of another kind (an air strike, a
    shelling, a suicide bombing), or an attack with no device and no attacker where an explosion of
    another kind is told with its device or attacker: that one's blasts or that one told again, not
    an explosion of its own (the annotators coded the strike once)."""
    return ((_blasts(e) or (_unnamed_attack(e) and not _unnamed_attack(host) and not _blasts(host)))
            and host.fields["event_type"] == e.fields["event_type"]
            and host.fields["sub_event_type"] != e.fields["sub_event_type"]
            and e.fields.get("location") is not None and _place_key(host) == _place_key(e)
            and _dates_compatible(host, e))


def _fold_blasts_into_strikes(events: list[Incident]) -> list[Incident]:
    out = []
    for e in events:
        # only blasts or an unnamed attack, placed, can be another's (_blast_of's tests of e alone)
        host = next((m for m in events if m is not e and _blast_of(m, e)), None) \
            if e.fields.get("location") is not None and (_blasts(e) or _unnamed_attack(e)) else None
        if host is not None:
            _fold(host, e, add_fatalities=False)
        else:
            out.append(e)
    return out


def _one_of_a_kind(m: Incident, e: Incident) -> bool:
    """Two mentions at one place and day, of sub-types of one group (incident/data/kindred_subtypes.tsv),
    by the same sides: one capture told as taken by one side and lost by the other ("سيطر الحوثيون" /
    "استعادت المقاومة": settle_territory decides who took it from the merged sides), one protest told
    as peaceful and as dispersed (the most forceful sub-type wins). CODING.md codes one event per
    place, day and actor pair."""
    mf, ef = m.fields, e.fields   # (read directly: asked of many pairs, within.py)
    if mf["event_type"] != ef["event_type"] or mf["sub_event_type"] == ef["sub_event_type"]:
        return False
    kin = kindred_subtypes()
    (gm, rm), (ge, re_) = kin.get(mf["sub_event_type"], (None, 0)), kin.get(ef["sub_event_type"], (None, 0))
    if gm is None or gm != ge:
        return False
    if not (mf.get("location") is not None and _place_key(m) == _place_key(e)
            and _dates_compatible(m, e) and _actors_compatible(m, e)):
        return False
    if re_ > rm:
        m["sub_event_type"] = e["sub_event_type"]
    return True


def _strike_apart(e: Incident) -> bool:
    """An air strike the detector kept (not a weak mention) that names the side it struck, its dead
    or its day is reported as an incident of its own, not as the air cover of a fight ("شن طيران
    التحالف سبع غارات على مواقع للمتمردين"): the annotators coded such strikes by a clash's sides at
    its place and day apart from it about twice as often as inside it. Barrels dropped during a
    storming with none of these ("وتتساقط البراميل في الحي", shared/examples/khalidiya_homs) stay in
    the battle, as CODING.md's shelling by the fighting sides does."""
    return (e["sub_event_type"] == "Air/drone strike" and not e.weak
            and bool(e.get("actor2") or (e.fat_known and e.get("fatalities")) or e.has_date_cue))


def _won_in(battle: Incident, e: Incident) -> bool:
    """Ground taken at the battle's place and date (or told with no day of its own, which joins an
    incident as in within.same_incident) by its sides is that fight's outcome, not a second event
    (ACLED codes one engagement once; our annotators coded such pairs as one Battles event, the
    armed clash twice as often as the territory change)."""
    f = e.fields   # (read directly: asked of each ground taken and battle)
    return (f["event_type"] == "Battles" and f["sub_event_type"] in _TERRITORY
            and f.get("location") is not None and _place_key(battle) == _place_key(e)
            and _dates_compatible(battle, e) and _actors_compatible(battle, e))


def _details(general: Incident, e: Incident) -> bool:
    """The weak mention e names a town inside the country or governorate where the strong
    mention `general` of the same incident is placed."""
    g, f = general.fields, e.fields   # (read directly: asked of each weak mention and incident)
    return (not general.weak and g["event_type"] == f["event_type"]
            and g["sub_event_type"] == f["sub_event_type"]
            and ((g.get("geo_precision") or 3) >= 3 or not g.get("admin1_code"))
            and _inside(general, e) and _dates_compatible(general, e) and _actors_compatible(general, e))


def _bomb_pair(suicide: Incident, bomb: Incident) -> bool:
    return (suicide.fields["sub_event_type"] == "Suicide bomb"
            and bomb.fields["sub_event_type"] == "Remote explosive/landmine/IED"
            and _places_compatible(suicide, bomb) and _dates_compatible(suicide, bomb)
            and _actors_compatible(suicide, bomb))


def _fold_bomb_into_suicide(events: list[Incident]) -> list[Incident]:
    """A bomb and a suicide bombing at one place and date, by compatible sides, are one suicide
    bombing (the sentence step does the same inside a clause: a suicide attack absorbs its car bomb)."""
    suicides = [e for e in events if e.fields["sub_event_type"] == "Suicide bomb"]
    if not suicides:
        return events
    out = []
    for e in events:
        host = next((s for s in suicides if _bomb_pair(s, e)), None)
        if host is not None:
            _fold(host, e, add_fatalities=False)
        else:
            out.append(e)
    return out


def _fold_general_into_specific(events: list[Incident]) -> list[Incident]:
    # hosts are of the mention's event type (folding changes no event type): each looks only there
    of_type: dict[str, list[Incident]] = {}
    for e in events:
        of_type.setdefault(e.fields["event_type"], []).append(e)
    # a mention alone of its type neither joins nor hosts another: only the others are read
    paired = [e for e in events if len(of_type[e.fields["event_type"]]) > 1]
    if not paired:
        return list(events)
    folded: set[int] = set()
    # (arrests or an agreement told in "عدن" took place in the town: the figures fell for them; a
    # copy placed at another listed place, whose span is not its place, is never read as a seat)
    seats = {id(e) for e in paired if e.fields["event_type"] != "Strategic developments"
             and _place_data(e) is not None and seat_named(e.fields, wide_cues=False)}

    def precision(x: Incident) -> int:   # a seat named as its governorate counts as the governorate
        f = x.fields
        return 3 if id(x) in seats else (f.get("geo_precision") or 4) if f.get("location") else 5

    # the most general mentions first, each into the most specific matching incident
    for e in sorted(paired, key=lambda x: -precision(x)):
        ef = e.fields
        seat = id(e) in seats
        # a town holds only its own quarters (a village near it is a place of its own)
        precise = (ef.get("geo_precision") or 3) < 2 and ef.get("location") is not None and not seat
        town = _town_id(e) if precise else None
        if precise and not town:
            continue  # (_quarter_of(e, m) is false for every m: no host)
        if not precise and not seat and not ef.get("country_code"):
            continue  # (_inside(e, m) is false for every m: no host)
        # e's side of the pair tests, read once: a clause placed apart, a listed town
        clause, split = e.place_in_sentence and e.clause_place, e.split
        hosts = [m for m in of_type[ef["event_type"]] if m is not e and id(m) not in folded
                 and _same_sub_type(m, e)
                 and (_quarter_in(m, town) if precise else _inside(e, m) or (
                      seat and id(m) not in seats and _in_governorate(e, m)))
                 # two clauses of one sentence, each with a place of its own, are two incidents;
                 # places listed apart after one trigger ("قريتي كفرنبل وحاس") are apart
                 and not (m.sent == e.sent and (clause and m.place_in_sentence and m.clause_place
                                                or split and m.split))
                 and _dates_compatible(m, e) and (_actors_compatible(m, e) or _summed_up_sides(m, e))
                 and not _battle_of_another_day(m, e)]
        if hosts:
            host = min(hosts, key=lambda m: m.fields.get("geo_precision") or 3)
            _fold(host, e, add_fatalities=False, keep_place=id(e) in seats)
            folded.add(id(e))
    return [e for e in events if id(e) not in folded]


def _battle_of_another_day(m: Incident, e: Incident) -> bool:
    """Fighting told at a larger unit on a day of its own ("قتل ... أمس في معارك بمحافظة تعز") and a
    battle at a place inside it dated by its passage, another day: two days told, two days'
    fighting, which the annotators coded apart more often than once (docs/events.md, 2026-12-06,
    branch coder48: out of fold F1 rose at both fixed thresholds; the other way round, for other
    types, or with the battle dated by the publication only, a figure fell)."""
    return m.fields["event_type"] == "Battles" and told_another_day(e, m)


def _summed_up_sides(m: Incident, e: Incident) -> bool:
    """The mention e, placed at a larger unit than m, shares one side with m: it sums up m's
    incident with the other side named otherwise ("اشتباكات بين المقاومة والجيش من جهة والحوثيين"
    read as the resistance against the army at the governorate, beside the resistance against the
    Houthis at a district of it), as two mentions at one place sharing a side are one incident
    (within._one_side_shared). Arrests and agreements told at the larger unit stay apart (out of
    fold their F1 fell with them: docs/rounds/events.md, branch coder8). In a strike or an attack on
    civilians the shared side plays one role in both: a side that struck in one and was struck in
    the other ("غارات التحالف على الحوثيين" at the governorate, a Houthi shelling at a town of it) gives
    two actor pairs, two events (CODING.md: actor1 the side that acted, actor2 the side acted upon;
    docs/events.md, dc91)."""
    return (e["event_type"] != "Strategic developments" and side_shared(m, e)
            and (e["event_type"] not in ONE_SIDED or side_shared_in_role(m, e)))


def _in_governorate(seat: Incident, e: Incident) -> bool:
    """e is placed elsewhere in the governorate of the seat-named mention."""
    f, g = e.fields, seat.fields   # (read directly: asked of thousands of pairs, within.py)
    return (f.get("location") is not None and f.get("location") != g.get("location")
            and f.get("country_code") == g.get("country_code") and f.get("admin1_code") == g.get("admin1_code"))


def _place_data(e: Incident) -> dict | None:
    """The gazetteer entry of e's place (None for a copy whose span is another place's)."""
    p, loc = e.place_span, e.fields.get("location")
    return p.data if p is not None and loc and p.data.get("location") == loc else None


def _town_id(town: Incident):
    """What ``_quarter_of`` asks of the town's mention alone, once for all the others: the place
    id of an explosion at a gazetteer place, else None (it holds no quarter)."""
    if town.fields["event_type"] != "Explosions/Remote violence":
        return None
    t = _place_data(town)
    return (t.get("place_id") or None) if t else None


def _quarter_in(e: Incident, town_id) -> bool:
    """``_quarter_of(town, e)`` for the town's ``_town_id`` (not None)."""
    q = _place_data(e)
    return bool(q and q.get("parent") == town_id and q.get("feature") == "quarter")


def _quarter_of(town: Incident, e: Incident) -> bool:
    """e is placed in a quarter of the town where `town` is placed: the gazetteer names the town
    as the quarter's parent ("Taizz - Jabal Sabir" in Taizz). CODING.md's precision 1 is "the town
    itself or its neighbourhood": the fighting told in the town and in its quarter is one event."""
    if town["event_type"] != "Explosions/Remote violence":
        return False
    t, q = _place_data(town), _place_data(e)
    return bool(t and q and t.get("place_id") and q.get("parent") == t.get("place_id") and q.get("feature") == "quarter")


_TERRITORY = ("Government regains territory", "Non-state actor overtakes territory")


def _same_sub_type(m: Incident, e: Incident) -> bool:
    """Same sub-type; a capture told with no side named ("بعد أن سيطروا على مدينة في حمص") has
    no sub-type of its own: who took the ground decides it (the mention that names them). A strike
    told only at a larger unit ("قصف على محافظة صعدة", "غارات في سوريا") sums up the strikes told
    at its towns, whatever their kind (reports call rockets and raids alike قصف: type_compat.tsv):
    it joins the strike at a town inside it, which is where it happened (CODING.md: the most
    specific place)."""
    mf, ef = m.fields, e.fields   # (read directly: asked of many pairs, within.py)
    if mf["sub_event_type"] == ef["sub_event_type"] or mf["event_type"] == "Explosions/Remote violence":
        return True
    return (mf["sub_event_type"] in _TERRITORY and ef["sub_event_type"] in _TERRITORY
            and not ef.get("actor1") and not ef.get("actor2"))


def toll_told_after(doc: Doc, events: list[Incident]) -> None:
    """An incident told with no toll takes the toll of the next sentence of its paragraph when
    that sentence names it back (toll_refs.tsv: "الهجوم أسفر عن مقتل اثنين"، "قتلوا خلال
    المواجهات"): the report's toll of that incident, told apart (CODING.md: the dead of a battle
    are its fatalities)."""
    tollless = [e for e in events if e.fields.get("fatalities") == 0 and not e.fat_known]
    if not tollless:
        return
    # only a sentence with a killed count can give a toll (_toll_naming's first test): the report's
    # such sentences, once; most reports have none after a tollless incident
    killed_in = {c.sent for c in doc.layer("casualties") if c.label == "killed"}
    if not killed_in:
        return
    # the tolls of incidents placed in their own sentence are theirs
    told = {(x["start"], x["end"]) for e in events if e.place_in_sentence
            for x in e.fields["evidence"] if x["field"] == "fatalities"}
    off = doc.offsets   # (doc.orig(a, b)[1] for each sentence, inline)
    ends = [off[b] if b > a else off[a] for a, b in doc.sentences]
    for e in tollless:
        said = {e.sent} | {bisect.bisect_right(ends, x["start"]) for x in e["evidence"] if x["field"] == "event"}
        for t in sorted({s + 1 for s in said} - said):
            if t not in killed_in:
                continue
            spans = _toll_naming(doc, t, _toll_refs(e["event_type"]), told)
            if spans:
                fat, spans = _fatalities(spans, spans, set())
                e["fatalities"], e.fat_known, e.fat_spans = fat, True, spans
                e.fat_approx = any(k.data.get("approx") or not isinstance(k.data.get("count"), int) for k in spans)
                e["evidence"] = e["evidence"] + [k.to_evidence("fatalities") for k in spans]
                break


@lru_cache(maxsize=None)
def _toll_refs(event_type: str) -> frozenset[str]:
    """The words that name an incident of this type back (toll_refs.tsv), read once."""
    return frozenset(words("toll_refs.tsv", event_type))


def _toll_naming(doc: Doc, t: int, refs: set[str], told: set) -> list[Span]:
    """The killed counts of sentence t said a few words from a name of the incident (refs), when t
    goes on the paragraph of the sentence before it."""
    if not 0 < t < len(doc.sentences) or "\n" in doc.text[doc.orig(*doc.sentences[t - 1])[1]:doc.orig(*doc.sentences[t])[0]]:
        return []
    # the killed counts first: a sentence with none gives none, whatever its words (most do)
    killed = [c for c in doc.in_sentence("casualties", t) if c.label == "killed" and (c.start, c.end) not in told]
    killed = [c for c in killed if c.data.get("count") is not None or not c.data.get("combined")]
    if not killed:
        return []
    a, b = doc.sentences[t]
    found = _WORD.findall(doc.norm, a, b)
    # a count since a day ("منذ نحو 4 أشهر") is a tally, no incident's toll (CODING.md: aggregates)
    if "منذ" in found or any(c.data["cue"] == "aggregate" for c in doc.in_sentence("cues", t)):
        return []
    named = [(m.start(), m.end()) for m in _WORD.finditer(doc.norm, a, b)
             if m[0] in refs or m[0][:1] in "وفبل" and m[0][1:] in refs]
    return [c for c in killed if any(len(_WORD.findall(doc.norm, min(y, c.data["n1"]), max(x, c.data["n0"])))
                                     <= NAMED_TOLL_GAP for x, y in named)]


def _toll_words_shared(a: Incident, b: Incident) -> bool:
    """Both tolls read from the same words (a clash and its shelling told in one clause): the dead
    are counted once, not added."""
    mine = {(x["start"], x["end"]) for x in a.fields["evidence"] if x["field"] == "fatalities"}
    return any((x["start"], x["end"]) in mine for x in b.fields["evidence"] if x["field"] == "fatalities")


_PLACE_FIELDS = ("country_code", "admin1_code", "location", "location_ar", "latitude", "longitude", "geo_precision")
_EVIDENCE_KEY = itemgetter("start", "end", "field")   # an evidence span's identity in a fold


def _fold(into: Incident, e: Incident, add_fatalities: bool, keep_place: bool = False) -> None:
    """Fold the mention e into the event `into` (keep_place: e's place only sums up into's)."""
    into.mentions = into.mentions + e.mentions
    ef, inf = e.fields, into.fields   # read and written directly (within.py; coded keys all)
    # place: the more specific resolved place wins
    if not keep_place and ef.get("location") is not None and (inf.get("location") is None or
                                          (inf.get("geo_precision") or 9) > (ef.get("geo_precision") or 9)):
        for k in _PLACE_FIELDS:   # (coded fields all: written into the dict, no check per key)
            inf[k] = ef.get(k)
        into.place_resolved = e.place_resolved
        into.place_span = e.place_span
    elif not inf.get("country_code"):
        inf["country_code"] = ef.get("country_code")
    for k in ("actor1", "actor2"):
        if inf.get(k) is None and ef.get(k) is not None and ef[k] not in _actors(into):
            inf[k] = ef[k]
            inf["inter" + k[-1]] = ef.get("inter" + k[-1])
    if (e.date_src == into.date_src == 2 and ef.get("event_date") and inf.get("event_date")
            and ef["event_date"] > inf["event_date"]) or _went_on(into, e):
        # one incident told on two named days (began late on one, went on the next): its last day
        inf["event_date"], inf["time_precision"] = ef["event_date"], ef.get("time_precision")
    elif e.date_src > into.date_src:
        # a day said with the incident beats the passage's day, which beats the publication date
        # (a headline carries none: the body's mention dates it)
        inf["event_date"], inf["time_precision"] = ef.get("event_date"), ef.get("time_precision")
        into.has_date_cue = into.has_date_cue or e.has_date_cue
        into.date_src = e.date_src
    f1, f2 = inf.get("fatalities"), ef.get("fatalities")
    if add_fatalities and not _toll_words_shared(into, e):
        inf["fatalities"] = (f1 or 0) + (f2 or 0) if (f1 is not None or f2 is not None) else None
    elif e.fat_known and f2 is not None:
        if not into.fat_known or f1 is None:
            inf["fatalities"], into.fat_approx = f2, e.fat_approx
        elif into.fat_approx and not e.fat_approx:
            inf["fatalities"], into.fat_approx = f2, False      # a number beats "dozens"
        elif into.fat_approx == e.fat_approx:
            # two reports of one toll (close figures, 27 vs 31): the lowest (CODING.md); figures far
            # apart count different groups of dead: the highest; vague ones: the highest
            close = min(f1, f2) > 0 and max(f1, f2) <= 1.5 * min(f1, f2)
            inf["fatalities"] = min(f1, f2) if close and not e.fat_approx else max(f1, f2)
    elif f1 is None and f2 is not None:
        inf["fatalities"] = f2
    into.fat_known = into.fat_known or e.fat_known
    for k in ("weapons", "sources"):
        for x in ef.get(k) or []:
            if x not in inf[k]:
                inf[k].append(x)
    # the host's evidence keys by one C call (itemgetter), not a comprehension per fold
    ev = inf["evidence"]
    seen = set(map(_EVIDENCE_KEY, ev))
    for x in ef["evidence"]:
        if _EVIDENCE_KEY(x) not in seen:
            ev.append(x)
            seen.add((x["start"], x["end"], x["field"]))
    into.strength = max(into.strength, e.strength)
    into.score = max(into.score, e.score)


def settle_territory(events: list[Incident]) -> None:
    """Who took the ground decides the sub-type (CODING.md): the state or its allies regain it, a
    non-state side overtakes it. Mentions merged or sides filled in after the sentence step (the
    sentence gave only the loser) are settled here."""
    for e in events:
        if e["sub_event_type"] not in ("Government regains territory", "Non-state actor overtakes territory"):
            continue
        a1 = e.get("actor1")
        if not a1:
            continue
        pro = e.get("inter1") == 1 or any(k in a1 for k in PRO_GOVERNMENT)
        e["sub_event_type"] = "Government regains territory" if pro else "Non-state actor overtakes territory"


def fill_opponents(doc: Doc, events: list[Incident]) -> None:
    """A battle or strike told with one side named ("المقاومة سيطرت على ..."، "شن طيران التحالف
    غارات") was aimed at the side the report opposes to it elsewhere: the armed actor the report
    mentions most (at least twice) that is not on the same side. Its first mention is the
    evidence."""
    # (the fields read directly: asked of every event of every report)
    battles = [e for e in events if (f := e.fields)["event_type"] in OPPONENT_TYPES and f.get("actor1")
               and not f.get("actor2")]
    # a battle has two sides: one told only with its dead or its loss ("مقتل 25 من المعارضة"، "طرد
    # الحوثيين") was fought by the side the report opposes to it
    lone = [e for e in events if (f := e.fields)["event_type"] == "Battles" and f.get("actor2") and not f.get("actor1")]
    if not battles and not lone:
        return
    # the armed spans grouped by all that actor_out reads, in the order the report first names
    # them: each group's count and first span (a group is named once per country, not per mention)
    groups = armed_groups(doc.layer("actors"), ARMED)
    # the names, once per country: each name's count and first span, in the order the report first
    # names them (groups in that order: a name's first group holds its first span)
    named_in: dict[str | None, list[tuple[str, int, Span]]] = {}
    for e in battles + lone:
        f = e.fields
        known, missing = ("actor1", "actor2") if f.get("actor1") else ("actor2", "actor1")
        cc = f.get("country_code")
        named = named_in.get(cc)
        if named is None:
            tally: dict[str, list] = {}
            for k, x in groups.values():
                name = actor_out(x, cc)[0]
                if name and not name.startswith("Unidentified"):
                    got = tally.get(name)
                    if got is None:
                        tally[name] = [k, x]
                    else:
                        got[0] += k
            named = named_in[cc] = [(name, n, x) for name, (n, x) in tally.items()]
        # the side named most often that is not the known one's, the first named of equals (as
        # Counter.most_common(1) picks among names counted in that order)
        side = f[known]
        name, n, x = None, 0, None
        for nm, k, sp in named:
            if k > n and not same_side(nm, side):
                name, n, x = nm, k, sp
        if n < 2:
            continue  # a side named once is no settled opponent
        f[missing], f["inter" + missing[-1]] = actor_out(x, cc)
        f["evidence"].append(x.to_evidence(missing))


# ------------------------------------------------------------------ notes and confidence

_VERB = {
    "Armed clash": "{a1} clashed with {a2}",
    "Government regains territory": "{a1} regained territory from {a2}",
    "Non-state actor overtakes territory": "{a1} took territory from {a2}",
    "Air/drone strike": "{a1} carried out air strikes against {a2}",
    "Shelling/artillery/missile attack": "{a1} shelled {a2}",
    "Remote explosive/landmine/IED": "{a1} detonated an explosive device against {a2}",
    "Suicide bomb": "{a1} carried out a suicide bombing against {a2}",
    "Grenade": "{a1} threw a grenade at {a2}",
    "Chemical weapon": "{a1} used chemical weapons against {a2}",
    "Attack": "{a1} attacked {a2}",
    "Abduction/forced disappearance": "{a1} abducted {a2}",
    "Sexual violence": "{a1} committed sexual violence against {a2}",
    "Peaceful protest": "{a1} demonstrated",
    "Protest with intervention": "{a1} demonstrated and were dispersed by {a2}",
    "Excessive force against protesters": "{a2} used force against demonstrating {a1}",
    "Violent demonstration": "{a1} rioted",
    "Mob violence": "{a1} attacked {a2}",
    "Arrests": "{a1} arrested {a2}",
    "Agreement": "{a1} reached an agreement with {a2}",
    "Looting/property destruction": "{a1} looted or destroyed property of {a2}",
    "Non-violent transfer of territory": "{a1} took over territory from {a2}",
    "Change to group/activity": "{a1} changed its activity",
    "Disrupted weapons use": "{a1} foiled an attack by {a2}",
}


def notes(e: Incident) -> str:
    e = e.fields   # (the coded fields read directly: within.py)
    st = e.get("sub_event_type") or "Attack"
    a1 = e.get("actor1") or "an unidentified actor"
    a2 = e.get("actor2") or "unidentified targets"
    phrase = _VERB.get(st, "{a1} acted against {a2}").format(a1=a1, a2=a2)
    where = ""
    if e.get("location"):
        where = f" in {e['location']}"
        if e.get("country_code"):
            where += f" ({e['country_code']}{', ' + e['admin1_code'] if e.get('admin1_code') else ''})"
    elif e.get("country_code"):
        where = f" in {e['country_code']}"
    when = f"On {e['event_date']}, " if e.get("event_date") else ""
    if not when:
        phrase = phrase[0].upper() + phrase[1:]
    s = f"{when}{phrase}{where}."
    f = e.get("fatalities")
    if f is None:
        s += " Killed and wounded were reported only together."
    else:
        s += f" {f} fatalit{'y' if f == 1 else 'ies'} reported."
    if e.get("weapons"):
        s += " Weapons: " + ", ".join(e["weapons"]) + "."
    if e.get("sources"):
        s += " Sources: " + ", ".join(e["sources"]) + "."
    return s


def confidence(e: Incident) -> float:
    """How sure the coding is, in [0, 1]: mostly how plainly the report states the incident (the
    event step's score: verb, toll, day, named sides), then how complete its arguments are and
    how many mentions agree."""
    f = e.fields   # (read directly, not through Incident.get: within.py)
    det = min(1.0, max(0.0, (e.score - 1.5) / 2.5))
    c = 0.25 + 0.35 * det
    c += 0.1 if e.place_resolved else (0.03 if f.get("country_code") else 0.0)
    c += 0.08 if f.get("actor1") else 0.0
    c += 0.04 if f.get("actor2") else 0.0
    c += 0.03 if e.has_date_cue else 0.0
    c += 0.03 if f.get("sources") else 0.0
    c += min(0.1, 0.05 * (e.mentions - 1))
    return _two_places(min(c, 0.97))


@lru_cache(maxsize=4096)
def _two_places(c: float) -> float:
    """round(c, 2), remembered: round's decimal conversion costs some 3,000 instructions and the
    sums repeat (news100: 909 calls, 202 values); the same float in gives the same float out."""
    return round(c, 2)


# ------------------------------------------------------------------ conditions and sources

def _place_in_sentence(doc: Doc, sent: int, by_sent: dict | None = None) -> list[Span]:
    """The most specific resolved places of the sentence (none: the caller's fallback)."""
    here = by_sent.get(sent, []) if by_sent is not None else doc.in_sentence("places", sent)
    ps = [p for p in here if p.data.get("resolved", True)]
    if not ps:
        return ps
    best = max(specificity(p) for p in ps)
    return [p for p in ps if specificity(p) == best]


_UNREAD = object()   # conditions' fallback place, not yet asked for


def conditions(doc: Doc) -> list[dict]:
    spans = doc.layer("conditions")
    if not spans:
        return []
    fallback = _UNREAD
    by_sent: dict[int, list[Span]] = {}
    for p in doc.layer("places"):      # one index, not a scan of the layer per condition
        by_sent.setdefault(p.sent, []).append(p)
    grouped: "OrderedDict[str, dict]" = OrderedDict()
    for s in spans:
        g = grouped.setdefault(s.label, {"condition": s.label, "_places": [], "evidence": []})
        g["evidence"].append({"start": s.start, "end": s.end, "field": "condition", "text": s.text})
        ps = _place_in_sentence(doc, s.sent, by_sent)
        if not ps:
            # the report's most frequent place, read at the first condition told without one
            if fallback is _UNREAD:
                fallback = most_frequent_place(doc)
            ps = [fallback] if fallback is not None else []
        for p in ps:
            if p not in g["_places"]:
                g["_places"].append(p)
                g["evidence"].append(p.to_evidence("location"))
    out = []
    for g in grouped.values():
        ps = g.pop("_places")
        names, names_ar = [], []
        for p in ps:
            n = p.data.get("location") or p.label
            if n not in names:
                names.append(n)
                names_ar.append(p.data.get("location_ar") or p.text)
        g["location"] = "; ".join(names) or None
        g["location_ar"] = "؛ ".join(names_ar) or None
        out.append({"condition": g["condition"], "location": g["location"], "location_ar": g["location_ar"],
                    "evidence": g["evidence"]})
    return out


def sources(doc: Doc) -> list[dict]:
    grouped: "OrderedDict[str, dict]" = OrderedDict()
    for s in doc.layer("sources"):
        if not s.label:
            continue
        g = grouped.setdefault(s.label, {"name": s.label, "evidence": []})
        g["evidence"].append({"start": s.start, "end": s.end, "field": "source", "text": s.text})
    return list(grouped.values())
