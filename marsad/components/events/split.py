"""One incident per town: places coordinated with an incident's place ("قريتي محمبل وجوزف") each get
a copy of it, sharing out a toll given for them together."""

from __future__ import annotations

import re

from ...doc import Doc, Span
from .context import Ctx
from .incident import Incident
from .places import usable_place


_COORD_GAP = re.compile(r"^[\s,]*(?:و|او|ثم|وكذا|وكذلك|كذلك|اضافه الي|بالاضافه الي|فضلا عن|الي جانب)?\s*(?:قريه|قريتي|بلده|بلدتي|مدينه|مدينتي|ناحيه|قضاء|منطقه|منطقتي|حي|حيي|مخيم)?\s*$")
SPLIT_FEATURES = {"city", "village", "quarter", "town", "area", "admin3", "district", "base"}
# "اختطف 18 شابا من ناحية حمام العليل و14 شابا آخر من ناحية القيارة": a list of places that goes
# on with "and N others from"
_PLACE_WORDS = r"(?:قريه|قريتي|بلده|بلدتي|مدينه|مدينتي|ناحيه|ناحيتي|قضاء|منطقه|منطقتي|حي|حيي|مخيم)"
_MORE_FROM = re.compile(r"^[\s,]*و\s*\d+\s+\S+(?:\s+(?:اخر|اخرين|اخرون|اخري|اخريات))?\s+(?:من|في)\s+"
                        + _PLACE_WORDS + r"?\s*$")


def split_places(doc: Doc, ctx: Ctx, ev: Incident, si: int, breaks) -> list[Incident]:
    """"قصفت قوات النظام قريتي محمبل وجوزف": one incident per town (CODING.md granularity).
    Places coordinated with the event's place in its own stretch each get a copy of the event
    (the toll stays with the first)."""
    loc_ev = next((x for x in ev["evidence"] if x["field"] == "location"), None)
    if loc_ev is None:
        return []
    # the chain of places runs over every place of the sentence (a name the gazetteer lacks still
    # links the list: "من ناحية باودش وقضاء البعاج"); only resolved towns get a copy
    here = sorted(ctx.sl("places", si), key=lambda p: p.start)
    i = next((k for k, p in enumerate(here) if p.start == loc_ev["start"] and usable_place(p)), None)
    if i is None or here[i].data.get("feature") not in SPLIT_FEATURES:
        return []

    def coordinated(x: Span, y: Span) -> bool:
        if y.data.get("feature") not in SPLIT_FEATURES and usable_place(y):
            return False
        gap = doc.norm[ctx.nend(x):ctx.nstart(y)]
        if _MORE_FROM.match(gap):
            return True
        return bool(_COORD_GAP.match(gap)) and ("و" in gap or "," in gap or "الي" in gap or "فضلا" in gap)

    lo = i
    while lo > 0 and coordinated(here[lo - 1], here[lo]) and (
            here[lo - 1].data.get("feature") in SPLIT_FEATURES or not usable_place(here[lo - 1])):
        lo -= 1
    hi = i
    while hi + 1 < len(here) and coordinated(here[hi], here[hi + 1]):
        hi += 1
    out = []
    seen = {ev["location"]}
    towns = []   # the coordinated places, in the order of the text (the event's own among them)
    for p in here[lo:hi + 1]:
        if not usable_place(p) or p.data.get("feature") not in SPLIT_FEATURES:
            continue
        name = p.data.get("location") or p.label
        if p is here[i] or name not in seen:
            towns.append(p)
            seen.add(name)
    # a toll given for all the towns together is shared out evenly among them (the first named
    # take the remainder): "غارات على الحصيبة والملاحمة والبوعلوان أسفرت عن مقتل 52" -> 18/17/17
    total = ev.get("fatalities")
    shares = {}
    if isinstance(total, int) and total > 0 and len(towns) > 1 and not ev.fat_approx:
        q, r = divmod(total, len(towns))
        shares = {id(p): q + (1 if k < r else 0) for k, p in enumerate(towns)}
        ev["fatalities"] = shares[id(here[i])]
    if len(towns) > 1:
        ev.split = True
    for p in towns:
        if p is here[i]:
            continue
        d = p.data
        share = shares.get(id(p), 0)
        e2 = ev.copy(fatalities=share, weapons=list(ev["weapons"]), sources=list(ev["sources"]))
        e2.fat_known = bool(share)
        e2.fields.update(country_code=d.get("country_code") or ev["country_code"], admin1_code=d.get("admin1_code"),
                  location=d.get("location") or p.label, location_ar=d.get("location_ar") or p.text,
                  latitude=d.get("latitude"), longitude=d.get("longitude"), geo_precision=d.get("geo_precision"))
        e2["evidence"] = [x for x in ev["evidence"] if x["field"] not in ("location", "fatalities")
                          or (x["field"] == "fatalities" and share)] + [p.to_evidence("location")]
        out.append(e2)
    if len(towns) == 1:
        out.extend(_dual_sibling(doc, ctx, ev, here[i]))
    return out


# a dual place noun says two places follow: "قريتي كفرنبل وحاس"
_DUAL_PLACE = re.compile(r"(?:^|\s)[وفب]?(?:قريتي|بلدتي|مدينتي|ناحيتي|منطقتي|حيي|مخيمي)\s+\S+\s*$")
_AND_WORD = re.compile(r"\s+و(?P<w>[^\s,.:;()«»\"]{2,})")


def _dual_sibling(doc: Doc, ctx: Ctx, ev: Incident, place: Span) -> list[Incident]:
    """"قصفت قوات النظام قريتي كفرنبل وحاس": the second village of a dual the gazetteer lacks is a
    second incident, in the first one's governorate (geo_precision 2)."""
    n0, n1 = ctx.nstart(place), ctx.nend(place)
    head = doc.norm[max(0, n0 - 8):n1]
    if not _DUAL_PLACE.search(head):
        return []
    m = _AND_WORD.match(doc.norm, n1)
    if not m:
        return []
    sib = doc.span(m.start("w"), m.end("w"), "", place.sent)
    try:
        from ...places.names import transliterate
        name = transliterate(sib.text) or sib.text
    except Exception:  # noqa: BLE001 - the English name is a convenience; the Arabic one is the evidence
        name = sib.text
    e2 = ev.copy(fatalities=0, weapons=list(ev["weapons"]), sources=list(ev["sources"]),
                 location=name, location_ar=sib.text, geo_precision=2)
    e2.fat_known = False
    e2["evidence"] = [x for x in ev["evidence"] if x["field"] not in ("location", "fatalities")] + [
        sib.to_evidence("location")]
    ev.split = e2.split = True
    return [e2]
