"""One incident per town: places coordinated with an incident's place ("قريتي محمبل وجوزف") each get
a copy of it, sharing out a toll given for them together."""

from __future__ import annotations

import re

from ...doc import Doc, Span
from ...places.names import transliterate
from .context import Ctx
from .incident import Incident
from .places import holds_any, usable_place


_QUOTES = "\"«»“”'()"
_LIST_NOUNS = (r"(?:قريه|قريتي|قري|بلده|بلدتي|بلدات|مدينه|مدينتي|مدن|ناحيه|ناحيتي|قضاء|منطقه|منطقتي|مناطق|حي|حيي|"
               r"احياء|مخيم|مديريه|مديريتي|مديريات|محافظه|محافظتي|محافظات|جبل|وادي)")
# what makes a gap between two places a list link rather than mere adjacency
_LIST_LINKS = ("و", ",", "،", "الي", "فضلا", "منها", "بينها")
_COORD_GAP = re.compile(r"^[\s,،" + _QUOTES + r"]*(?:و|او|ثم|وكذا|وكذلك|كذلك|اضافه الي|بالاضافه الي|فضلا عن|الي جانب|منها|ومنها|من بينها|بينها)?\s*"
                        + r"(?:و?" + _LIST_NOUNS + r")?[\s" + _QUOTES + r"]*$")
# "مديرية «حيس» بمحافظة «الحديدة»، ومديرية «ميدي»": the governorate (or country) after a list
# item says where the item lies; the list goes on after it
_QUALIFIER = re.compile(r"^[\s,،" + _QUOTES + r"]*(?:(?:ب|في|من|التابعه ل|التابع ل)\s*(?:محافظه|ولايه|مقاطعه|اقليم|ريف|"
                        r"لمحافظه|مديريه|قضاء)?|(?:وسط|شمال|جنوب|شرق|غرب)\S*(?:\s+(?:شرق|غرب)\S*)?)[\s" + _QUOTES + r"]*$")
# "ومواقع عسكرية أخرى في «جبل المرحة»"، "وفي مناطق متفرقة من محافظة مأرب": the list goes on with
# other targets in another place
_OTHERS_IN = re.compile(r"^[\s,،" + _QUOTES + r"]*و\s*(?:في\s+)?(?:\S+\s+){0,2}(?:اخري|اخر|اخرين|اخريات|متفرقه)[\s,،]+"
                        r"(?:[\s,،]*(?:منها|من بينها|بينها))?[\s,،]*(?:في|من|ب|علي|قرب)?[\s" + _QUOTES + r"]*" + _LIST_NOUNS + r"?[\s" + _QUOTES + r"]*$")
# "في قعطبة ودمت ومريس": one word the gazetteer does not take (دمت is also a verb) between two
# items still links the list, it does not end it
_ONE_WORD_ITEM = re.compile(r"^[\s,،" + _QUOTES + r"]*و\s*[" + _QUOTES + r"]*[^\s\d,،.:؛]{2,}[" + _QUOTES + r"]*\s*(?:و|[,،])[\s" + _QUOTES + r"]*$")
SPLIT_FEATURES = {"city", "village", "quarter", "town", "area", "admin3", "district", "base"}
# a list may name governorates too ("تظاهرات في البصرة وذي قار والحلة"): each is an incident of its own
LIST_FEATURES = SPLIT_FEATURES | {"admin1", "admin2"}
# "اختطف 18 شابا من ناحية حمام العليل و14 شابا آخر من ناحية القيارة": a list of places that goes
# on with "and N others from"
_PLACE_WORDS = r"(?:قريه|قريتي|بلده|بلدتي|مدينه|مدينتي|ناحيه|ناحيتي|قضاء|منطقه|منطقتي|حي|حيي|مخيم)"
# ("خمس غارات قرب الموصل، وثلاث قرب الرمادي": the count may stand alone)
_MORE_FROM = re.compile(r"^[\s,،]*و\s*(?:\d+|(?:واحد|اثن|ثلاث|اربع|خمس|ست|سبع|ثمان|تسع|عشر)\S*)(?:\s+\S+)??"
                        r"(?:\s+(?:اخر|اخرين|اخرون|اخري|اخريات))?\s+(?:من|في|قرب|علي|عند)\s+"
                        + _PLACE_WORDS + r"?\s*$")


def split_places(doc: Doc, ctx: Ctx, ev: Incident, si: int, breaks) -> list[Incident]:
    """"قصفت قوات النظام قريتي محمبل وجوزف": one incident per town (CODING.md granularity).
    Places coordinated with the event's place in its own stretch each get a copy of the event
    (the toll stays with the first); a governorate after an item only says where it lies."""
    loc_ev = next((x for x in ev["evidence"] if x["field"] == "location"), None)
    if loc_ev is None:
        return []
    # the chain of places runs over every place of the sentence (a name the gazetteer lacks still
    # links the list: "من ناحية باودش وقضاء البعاج"); only resolved towns get a copy
    # the sentence's places by start and the links between neighbours, shared by its incidents
    got = ctx.place_chains.get(si)
    if got is None:
        got = ctx.place_chains[si] = (sorted(ctx.sl("places", si), key=lambda p: p.start), {})
    here, known = got
    i = next((k for k, p in enumerate(here) if p.start == loc_ev["start"]), None)
    if i is None or (usable_place(here[i]) and here[i].data.get("feature") not in LIST_FEATURES):
        return []
    # how here[k + 1] follows here[k]: worked out only for the pairs the chain around the
    # incident's place reaches (the walks below stop at the first None), once per sentence
    links = _Links(doc, ctx, here, known)
    if i > 0 and links[i - 1] == "qualifier":
        return []   # the event sits at a governorate that qualifies another place
    lo = i
    while lo > 0 and links[lo - 1] is not None and (
            here[lo - 1].data.get("feature") in LIST_FEATURES or not usable_place(here[lo - 1])):
        lo -= 1
    hi = i
    while hi + 1 < len(here) and links[hi] is not None:
        hi += 1
    # the chain's first place is an item; after it, those a qualifier link reaches are not
    members = [here[lo]] + [here[k + 1] for k in range(lo, hi) if links[k] == "item"]
    # an item the gazetteer lacks, followed by its governorate ("ومنطقة «رحبان» بمحافظة صعدة"),
    # lies in that governorate
    within = {id(here[k]): here[k + 1] for k in range(lo, hi) if links[k] == "qualifier"
              and not usable_place(here[k]) and here[k + 1].data.get("feature") == "admin1"}
    out = []
    seen = {ev["location"]}
    towns = []   # the coordinated places, in the order of the text (the event's own among them)
    for p in members:
        if not usable_place(p) or p.data.get("feature") not in LIST_FEATURES:
            continue
        name = p.data.get("location") or p.label
        if p is here[i] or name not in seen:
            towns.append(p)
            seen.add(name)
    # a toll given for all the towns together is shared out evenly among them (the first named
    # take the remainder): "غارات على الحصيبة والملاحمة والبوعلوان أسفرت عن مقتل 52" -> 18/17/17
    total = ev.get("fatalities")
    shares = {}
    if isinstance(total, int) and total > 0 and len(towns) > 1 and not ev.fat_approx and here[i] in towns:
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
    for p in members:
        gov = within.get(id(p))
        if gov is not None:
            ev.split = True
            out.append(_unlisted(ev, p, gov))
    if len(towns) == 1 and not within:
        out.extend(_dual_sibling(doc, ctx, ev, here[i]))
    return out


def _link(doc: Doc, ctx: Ctx, x: Span, y: Span) -> str | None:
    """How y follows x in a list: another item, the item's governorate, or neither."""
    gap = doc.norm[ctx.nend(x):ctx.nstart(y)]
    feature = y.data.get("feature")
    if usable_place(y) and feature in ("admin1", "admin2", "country") and _QUALIFIER.match(gap):
        return "qualifier"
    if feature not in LIST_FEATURES and usable_place(y):
        return None
    if _MORE_FROM.match(gap) or _OTHERS_IN.match(gap):
        return "item"
    if (_COORD_GAP.match(gap) and any(w in gap for w in _LIST_LINKS)) or _ONE_WORD_ITEM.match(gap):
        return "item"
    return None


class _Links:
    """links[k]: _link(here[k], here[k + 1]), made when first asked (``known`` keeps them)."""

    __slots__ = ("doc", "ctx", "here", "known")

    def __init__(self, doc: Doc, ctx: Ctx, here: list[Span], known: dict[int, str | None]):
        self.doc, self.ctx, self.here, self.known = doc, ctx, here, known

    def __getitem__(self, k: int) -> str | None:
        known = self.known
        if k in known:
            return known[k]
        if not 0 <= k < len(self.here) - 1:
            raise IndexError(k)
        got = known[k] = _link(self.doc, self.ctx, self.here[k], self.here[k + 1])
        return got


def _unlisted(ev: Incident, p: Span, gov: Span) -> Incident:
    """A copy of the incident at a place the gazetteer lacks, in the governorate the text gives
    it (geo_precision 2: the governorate is known, the place is not)."""
    d = gov.data
    e2 = ev.copy(fatalities=0, weapons=list(ev["weapons"]), sources=list(ev["sources"]),
                 location=transliterate(p.text) or p.text, location_ar=p.text, geo_precision=2)
    e2.fat_known = False
    e2.fields.update(country_code=d.get("country_code") or ev["country_code"], admin1_code=d.get("admin1_code"),
                     latitude=d.get("latitude"), longitude=d.get("longitude"))
    e2["evidence"] = [x for x in ev["evidence"] if x["field"] not in ("location", "fatalities")] + [
        p.to_evidence("location")]
    e2.split = True
    return e2


# a dual place noun says two places follow: "قريتي كفرنبل وحاس"
_DUALS = ("قريتي", "بلدتي", "مدينتي", "ناحيتي", "منطقتي", "حيي", "مخيمي")   # (each match holds one)
_DUAL_PLACE = re.compile(r"(?:^|\s)[وفب]?(?:%s)\s+\S+\s*$" % "|".join(_DUALS))
_AND_WORD = re.compile(r"\s+و(?P<w>[^\s,.:;()«»\"]{2,})")


def _dual_sibling(doc: Doc, ctx: Ctx, ev: Incident, place: Span) -> list[Incident]:
    """"قصفت قوات النظام قريتي كفرنبل وحاس": the second village of a dual the gazetteer lacks is a
    second incident, in the first one's governorate (geo_precision 2)."""
    n0, n1 = ctx.nstart(place), ctx.nend(place)
    head = doc.norm[max(0, n0 - 8):n1]
    if not (holds_any(head, _DUALS) and _DUAL_PLACE.search(head)):
        return []
    m = _AND_WORD.match(doc.norm, n1)
    if not m:
        return []
    sib = doc.span(m.start("w"), m.end("w"), "", place.sent)
    name = transliterate(sib.text) or sib.text
    e2 = ev.copy(fatalities=0, weapons=list(ev["weapons"]), sources=list(ev["sources"]),
                 location=name, location_ar=sib.text, geo_precision=2)
    e2.fat_known = False
    e2["evidence"] = [x for x in ev["evidence"] if x["field"] not in ("location", "fatalities")] + [
        sib.to_evidence("location")]
    ev.split = e2.split = True
    return [e2]
