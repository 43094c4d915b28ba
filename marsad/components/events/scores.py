"""The rules' hand-set score of a candidate incident: how plainly its trigger states it, and what
the sentence gives it (toll, day, actors, place, weapons, sources)."""

from __future__ import annotations

import re

from ...doc import Doc, Span
from .context import Ctx
from .gates import PASSIVE_BEFORE, after_relative, done_before, occurred_before
from .incident import Incident
from .rules import (CROWD, DEPENDENT, NUMBER, PROTEST_KINDS, PROTEST_SUPPORT, SPECIFIC_KINDS, W_AGENT, W_BOTH_SIDES,
                    W_EXPLICIT, W_KILLWORD, W_PLACE, W_SOURCE, W_SPECIFIC, W_STRONG, W_TIME, W_TOLL, W_VERB, W_VICTIM,
                    W_WEAK, W_WEAPON, is_verb, strength, trigger_kind)


_TAMMA = re.compile(r"(?<!\w)[وف]?(?:تم|جري|يتم)\s+$")
_QAMA = re.compile(r"(?<!\w)[وف]?(?:قام|قامت|قاموا|يقوم|تقوم|يقومون)(?:\s+\S+){0,3}\s+$")


def trigger_weight(doc: Doc, ctx: Ctx, t: Span) -> float:
    """How plainly trigger t states its incident (asked several times per trigger: cached)."""
    w = ctx.weights.get(id(t))
    if w is None:
        w = ctx.weights[id(t)] = _trigger_weight_of(doc, ctx, t)
    return w


def _trigger_weight_of(doc: Doc, ctx: Ctx, t: Span) -> float:
    # (_cand.pyx's weight_of is this code typed, with after_relative, occurred_before,
    # _masdar_passive and is_verb inlined: change both)
    if after_relative(doc, ctx, t):
        # "والدة أحد الذين قتلوا في المعارك": the dead described; the incident, if any, is
        # stated by another word
        return W_STRONG if strength(t) >= 2 and t.data["kind"] not in DEPENDENT else W_WEAK
    if t.data.get("strength", 1) >= 1 and (_masdar_passive(doc, t) or occurred_before(doc, ctx, t)):
        return W_VERB
    if strength(t) < 2:
        return W_WEAK
    if is_verb(doc, t):
        return W_VERB
    # "تعرضت البلدة لقصف": the passive construction states the incident like a verb
    if PASSIVE_BEFORE.search(doc.norm[max(0, t.data["n0"] - 40):t.data["n0"]]):
        return W_VERB
    return W_STRONG


def _masdar_passive(doc: Doc, t: Span) -> bool:
    """"تم اعتقال"، "جرى تفجير": a verbal noun after تم/جرى is a passive verb; "قام مسلحون بخطف"
    (قام + بـ + verbal noun) an active one."""
    before = doc.norm[max(0, t.data["n0"] - 40):t.data["n0"]]
    tail = before[-8:]
    if ("تم" in tail or "جري" in tail) and _TAMMA.search(tail):   # (each match holds تم or جري)
        return True
    return t.data.get("prefix", "").startswith(("ب", "وب")) and bool(_QAMA.search(before))


def _toll_near(doc: Doc, ctx: Ctx, t: Span) -> bool:
    """A number within three words of a killed/wounded word (when the numbers layer is silent)."""
    i = ctx.ntok(t.data["n0"])
    toks = doc.tokens[max(0, i - 3): i + 4]
    return any(NUMBER.fullmatch(x.norm) for x in toks)


def _protest_score(doc: Doc, ctx: Ctx, ev: Incident, g: list[Span], has_time: bool, sent_text: str,
                   support: bool | None = None, crowd: bool | None = None) -> float:
    """Protests seldom come with a toll or a day; what they come with is a crowd, a demand, a
    slogan (``support``, ``crowd``: the sentence's PROTEST_SUPPORT and CROWD tests when the caller
    has them, rules.protest_support_in and crowd_in, else the patterns' scans of the sentence)."""
    ps = [t for t in g if t.data["kind"] in PROTEST_KINDS]
    sc = 0.0
    for t in ps:
        verb, strong = is_verb(doc, t) or occurred_before(doc, ctx, t), t.data["strength"] >= 2
        w = 1.2 if verb and strong else 0.9 if verb or strong else 0.6
        sc = max(sc, w)
    if len(ps) > 1:
        sc += 0.5
    if PROTEST_SUPPORT.search(sent_text) if support is None else support:
        sc += 0.5
    if CROWD.search(sent_text) if crowd is None else crowd:
        sc += 0.3
    if ev.place_in_sentence:
        sc += 0.3
    if has_time:
        sc += 0.3
    return sc


def score(doc: Doc, ctx: Ctx, ev: Incident, g: list[Span], has_time: bool, casualties: list[Span], cues,
           sent_text: str = "", support: bool | None = None, crowd: bool | None = None) -> float:
    # (_cand.pyx's score is this code typed, chosen by candidates.py where built: change both)
    if ev.kind in PROTEST_KINDS:
        return _protest_score(doc, ctx, ev, g, has_time, sent_text, support, crowd)
    sc = max(trigger_weight(doc, ctx, t) for t in g)
    if any(trigger_kind(t) in SPECIFIC_KINDS and strength(t) >= 2 for t in g):
        sc += W_SPECIFIC
    kills = [t for t in g if t.data["kind"] in DEPENDENT]
    if ev.fat_known or any(c.data.get("count") for c in casualties) or any(_toll_near(doc, ctx, t) for t in kills):
        sc += W_TOLL
    elif kills:
        sc += W_KILLWORD
    elif any(t.data["kind"] in ("abduct", "arrest") and _toll_near(doc, ctx, t) for t in g):
        sc += W_TOLL / 2  # "اختطف مسلحون 15 شخصا": how many were taken
    if has_time:
        sc += W_TIME
    x = ev.fields   # (read directly: Incident's [] is a Python call per field)
    fields = {e["field"] for e in x["evidence"]}
    if "actor1" in fields:
        sc += W_AGENT
        if ev.explicit_agent:
            sc += W_EXPLICIT  # "من قبل قوات النظام"، "على يد مسلحين": the act is pinned on someone
    if "actor2" in fields:
        sc += W_VICTIM
    if "location" in fields and ev.place_in_sentence:
        sc += W_PLACE
    if x["weapons"]:
        sc += W_WEAPON
    if x["sources"] or any(c.data["cue"] == "attribution" for c in cues):
        sc += W_SOURCE
    if x["sub_event_type"] == "Armed clash" and "actor1" in fields and "actor2" in fields \
            and any(trigger_weight(doc, ctx, t) >= W_VERB and (
                (t.data["kind"] == "battle" and is_verb(doc, t)) or done_before(doc, ctx, t)) for t in g):
        # "صد الجيش والمقاومة هجوما للحوثيين": a verb says the fight took place and both armed
        # sides are named: a concrete battle even without a toll or a day
        sc += W_BOTH_SIDES
    elif ev.kind == "agree" and "actor1" in fields and "actor2" in fields:
        # "اتفق الرئيس المصري ونظيره اليمني على ...": an agreement with both parties named is a
        # concrete one, not talk about agreements in general
        sc += W_BOTH_SIDES
    return sc
