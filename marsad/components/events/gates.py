"""The rules' gates: the cues that put a trigger out of the real world, words that describe rather
than report, verbs saying an incident happened, and tallies too large for one incident."""

from __future__ import annotations

import re

from ...doc import Doc, Span
from .context import Ctx
from .incident import Incident
from .rules import BLOCKING, NEXT_WORDS, SOFT_BLOCKING
from .words import words


def _blocked(doc: Doc, ctx: Ctx, t: Span, cues: list[Span], clause_of, has_toll: bool,
             has_date_after) -> str | None:
    """The cue that puts trigger t out of the real world, if any. (_cand.pyx's blocked_c, which
    the compiled sentence loop asks, is this code typed: change both; so are describes_c,
    verb_before and after_relative_c of the three below.)"""
    ts = t.data["n0"]
    tclause = clause_of(ts)
    ttok = ctx.ntok(ts)
    for c in cues:
        cue = c.data["cue"]
        if cue not in BLOCKING and cue != "judicial" and cue != "background":
            continue
        scope = c.data.get("scope", "clause")
        cs, ce = c.data["n0"], c.data["n1"]
        if cue == "aggregate" or (cue == "background" and scope == "sentence"):
            continue  # handled with dates and places
        if cue == "judicial":
            # a court's sentence, and the crime it punishes, are not incidents (CODING.md); an
            # attack told in another clause of the sentence is
            if clause_of(cs) == tclause or (ce <= ts and ttok - ctx.ntok(ce) < NEXT_WORDS):
                return cue
            continue
        if cue == "question" or scope == "sentence":
            if cue in SOFT_BLOCKING and (has_toll or has_date_after(cs)):
                continue
            return cue
        if ce > ts:
            continue  # cues act on what follows them
        if scope == "next":
            if ttok - ctx.ntok(ce) < NEXT_WORDS:   # "لم يسفر عن وقوع قتلى": four words on
                return cue
            continue
        if clause_of(cs) == tclause or (cue == "negation" and clause_of(cs) + 1 == tclause
                                        and c.data["pattern"] in ("نفي", "نفت", "ينفي", "تنفي", "نفوا")):
            if cue in SOFT_BLOCKING and (has_toll or has_date_after(cs)):
                continue
            return cue
    return None


MAX_TOLL = 1000   # more dead than this is a tally, unless the text gives it to one incident


def tally(ev: Incident, dates: list[Span]) -> bool:
    """A toll over 1,000 not tied to one incident: no day of its own in the sentence, or no town
    or village of its own (a war's or a month's count, "أكثر من 250 ألف قتيل منذ 2011")."""
    fat = ev.get("fatalities")
    if not isinstance(fat, int) or fat <= MAX_TOLL:
        return False
    one_day = any(d.data.get("precision", 3) == 1 for d in dates)
    return not (one_day and ev.place_in_sentence and ev.get("geo_precision") in (1, 2))


PASSIVE_BEFORE = re.compile(r"(?:تعرض|تعرضت|تعرضوا|يتعرض|تتعرض|يتعرضون|تعرضه|تعرضها|تعرضهم)\S*(?:\s+\S+){0,6}\s*$")


# "اندلعت اشتباكات"، "شهدت المدينة تظاهرة"، "نفذ ... اعتصاما": a verb saying the named incident
# happened, within three words before the noun
OCCURRED = frozenset(words("occurred"))


def occurred_before(doc: Doc, ctx: Ctx, t: Span) -> bool:
    """One of OCCURRED within three words before the noun, not counting the words of a named
    actor between them ("شن طيران التحالف العربي غارات": verb, subject, object)."""
    key = id(t)
    hit = ctx.occurred.get(key)
    if hit is None:
        hit = ctx.occurred[key] = _occurred_near(doc, ctx, t)
    return hit


# OCCURRED forms that tell a finished act ("صد هجوما"، "شنت هجوما"), not fighting going on
# ("تدور اشتباكات") nor a verbal noun
_DONE = OCCURRED - frozenset(words("ongoing"))


def done_before(doc: Doc, ctx: Ctx, t: Span) -> bool:
    """A noun trigger right after a past verb of _DONE."""
    return t.data.get("pos") == "n" and occurred_before(doc, ctx, t) and _verb_before(doc, ctx, t, _DONE)


def _verb_before(doc: Doc, ctx: Ctx, t: Span, verbs: set[str]) -> bool:
    """One of `verbs` (or و/ف + it) within three words before t, a named actor's words apart."""
    i = ctx.ntok(t.data["n0"])
    in_actor = ctx.actor_tokens(t.sent)
    toks = doc.tokens
    seen, j = 0, i - 1
    while j >= 0 and seen < 3 and toks[j].sent == t.sent:
        if j not in in_actor:
            seen += 1
            w = toks[j].norm
            if w in verbs or (w[:1] in "وف" and w[1:] in verbs):
                return True
        j -= 1
    return False


def _occurred_near(doc: Doc, ctx: Ctx, t: Span) -> bool:
    i = ctx.ntok(t.data["n0"])
    in_actor = ctx.actor_tokens(t.sent)
    seen = 0
    j = i - 1
    toks = doc.tokens
    while j >= 0 and seen < 3 and toks[j].sent == t.sent:
        tok = toks[j]
        j -= 1
        if j + 1 in in_actor:
            continue
        seen += 1
        w = tok.norm
        if w in OCCURRED or (w[:1] in "وف" and w[1:] in OCCURRED):
            return True
    # "معارك عنيفة دارت في ...": the verb after the noun and its adjective
    k = ctx.ntok(t.data["n1"])
    for tok in toks[k:k + 2]:
        if tok.sent != t.sent:
            break
        if tok.norm in OCCURRED:
            return True
    return False


_RELATIVE = frozenset(words("relative"))


def after_relative(doc: Doc, ctx: Ctx, t: Span) -> bool:
    """"الذين قاموا بتفجير"، "الذي سيطروا عليه": a relative clause describes, it does not report."""
    i = ctx.ntok(t.data["n0"])
    return not _RELATIVE.isdisjoint(ctx.norms()[max(0, i - 2):i])


# verbs whose object takes لـ: "تصدت القوات لهجوم" (the attack is what they repelled, no purpose)
_TAKES_LI = frozenset(words("takes_li"))


def describes(doc: Doc, ctx: Ctx, t: Span) -> bool:
    """Words that describe a state, a habit or a purpose rather than report an act: a present
    verb outside the headline ("التي يسيطر عليها التنظيم"، "يقصف الطيران المدينة يوميا"), and
    "لتحرير المدينة" (a purpose: لـ + verbal noun, unless it is the passive "تعرض لـ")."""
    if t.data.get("pos") == "vi" and not t.data.get("title"):
        return True
    if t.data.get("prefix", "") in ("ل", "ول", "فل") and t.data.get("pos") == "n" \
            and not PASSIVE_BEFORE.search(doc.norm[max(0, t.data["n0"] - 40):t.data["n0"]]) \
            and not _verb_before(doc, ctx, t, _TAKES_LI):
        return True
    return False


def is_title(doc: Doc, si: int) -> bool:
    """The first sentence, set off by a line break: a headline."""
    if si != 0 or not doc.sentences:
        return False
    end = doc.sentences[0][1]
    return "\n" in doc.norm[end:end + 3]
