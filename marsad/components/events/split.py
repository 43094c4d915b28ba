"""One incident per town: places coordinated with an incident's place ("قريتي محمبل وجوزف") each get
a copy of it; a toll given for them together stays with the incident."""

from __future__ import annotations

import re
import sys
from functools import lru_cache, partial

from ...doc import Doc, Span
from ...lexicon import word_lists, words
from ...places.names import transliterate
from .context import Ctx
from .incident import Incident
from .native import _fast, _sides
from .places import holds_any, usable_place


_QUOTES = "\"«»“”'()"
_WORDS_FILE = "place_words.tsv"
_NESTS = frozenset(words(_WORDS_FILE, "nest_word"))
_LIST_NOUNS = (r"(?:قريه|قريتي|قري|بلده|بلدتي|بلدات|مدينه|مدينتي|مدن|ناحيه|ناحيتي|قضاء|منطقه|منطقتي|مناطق|حي|حيي|"
               r"احياء|مخيم|مديريه|مديريتي|مديريات|محافظه|محافظتي|محافظات|جبل|وادي)")
# what makes a gap between two places a list link rather than mere adjacency
_LIST_LINKS = ("و", ",", "،", "الي", "فضلا", "منها", "بينها")
_COORD_GAP = re.compile(r"^[\s,،" + _QUOTES + r"]*(?:و|او|ثم|وكذا|وكذلك|كذلك|اضافه الي|بالاضافه الي|فضلا عن|الي جانب|منها|ومنها|من بينها|بينها)?\s*"
                        + r"(?:و?" + _LIST_NOUNS + r")?[\s" + _QUOTES + r"]*$")
# "في دار سعد وصبر وفي منطقة المعاشيق": "and in (the area of)" goes on the list; with no comma
# before it (after a comma "وفي" opens a new clause: "..., وفي دمشق اعتقلت")
_IN_GAP = re.compile(r"^\s*وفي\s+(?:" + _LIST_NOUNS + r"\s+)?[" + _QUOTES + r"]*$")
# "في اسطنبول وانقرة واضنة (جنوب) وقونية (وسط)": a bearing in brackets after an item
_BEARING_GAP = re.compile(r"^\s*\(\s*(?:وسط|شمال|جنوب|شرق|غرب)\S*(?:\s+(?:شرق|غرب)\S*)?\s*\)\s*[,،]?\s*و?\s*(?:"
                          + _LIST_NOUNS + r"\s+)?[" + _QUOTES + r"]*$")
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


def _split_places_py(doc: Doc, ctx: Ctx, ev: Incident, si: int, breaks) -> list[Incident]:
    """"قصفت قوات النظام قريتي محمبل وجوزف": one incident per town (CODING.md granularity).
    Places coordinated with the event's place in its own stretch each get a copy of the event
    (the toll stays with the first); a governorate after an item only says where it lies."""
    # (plain loops in this function, no comprehensions: it runs per candidate and Python 3.11
    # makes a function object for each comprehension it meets)
    for loc_ev in ev["evidence"]:
        if loc_ev["field"] == "location":
            break
    else:
        return []
    # the chain of places runs over every place of the sentence (a name the gazetteer lacks still
    # links the list: "من ناحية باودش وقضاء البعاج"); only resolved towns get a copy
    # the sentence's places by start and the links between neighbours, shared by its incidents
    got = ctx.place_chains.get(si)
    if got is None:
        got = ctx.place_chains[si] = (sorted(ctx.sl("places", si), key=lambda p: p.start), {})
    here, known = got
    i, at = None, loc_ev["start"]
    for k, p in enumerate(here):
        if p.start == at:
            i = k
            break
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
    # an item the gazetteer lacks, followed by its governorate ("ومنطقة «رحبان» بمحافظة صعدة"),
    # lies in that governorate
    members = [here[lo]]
    within = {}
    for k in range(lo, hi):
        link = links[k]
        if link == "item":
            members.append(here[k + 1])
        elif link == "qualifier" and not usable_place(here[k]) and here[k + 1].data.get("feature") == "admin1":
            within[id(here[k])] = here[k + 1]
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
    # a toll given for all the towns together stays whole with the incident, the copies get none:
    # the annotations give it so far more often than shared out evenly (training fatalities at the
    # ceiling 0.7252 -> 0.7316, scripts/fatality_errors.py; every town the whole toll: 0.7285)
    if len(towns) > 1:
        ev.split = True
    for p in towns:
        if p is not here[i]:
            out.append(_copy_at(ev, p))
    for p in members:
        gov = within.get(id(p))
        if gov is not None:
            ev.split = True
            out.append(_unlisted(ev, p, gov))
    covered = set(map(id, towns))
    for p in members:
        if id(p) in within:
            covered.add(id(p))
    out.extend(_listed_siblings(doc, ctx, ev, si, here[i], covered, seen))
    return out


# compiled where built (_sides.split_places: the same chain, links and copies; it asks this
# module's _Links, _link, _copy_at, _unlisted and _listed_siblings as the module holds them)
split_places = _split_places_py if _sides is None else _sides.split_places


def _copy_at(ev: Incident, p: Span) -> Incident:
    """A copy of the incident at another resolved town of its list, with no toll (the incident keeps it)."""
    d = p.data
    e2 = ev.copy(fatalities=0, weapons=list(ev["weapons"]), sources=list(ev["sources"]))
    e2.fat_known = False
    e2.fields.update(country_code=d.get("country_code") or ev["country_code"], admin1_code=d.get("admin1_code"),
                     location=d.get("location") or p.label, location_ar=d.get("location_ar") or p.text,
                     latitude=d.get("latitude"), longitude=d.get("longitude"), geo_precision=d.get("geo_precision"))
    e2["evidence"] = [x for x in ev["evidence"] if x["field"] not in ("location", "fatalities")] + [
        p.to_evidence("location")]
    return e2


def _link_py(doc: Doc, ctx: Ctx, x: Span, y: Span) -> str | None:
    """How y follows x in a list: another item, the item's governorate, or neither."""
    gap = doc.norm[ctx.nend(x):ctx.nstart(y)]
    feature = y.data.get("feature")
    if usable_place(y) and feature in ("admin1", "admin2", "country") and _qualifier_gap(gap):
        return "qualifier"
    if feature not in LIST_FEATURES and usable_place(y):
        return None
    return "item" if _item_gap(gap) else None


# compiled where built (_fast.link: the same tests with no Python frame, the spans' fields read
# from their slots; it asks this module's usable_place, LIST_FEATURES, _qualifier_gap and _item_gap
# as the module holds them)
_link = _link_py if _fast is None else _fast.link


def _qualifier_gap_py(gap: str) -> bool:
    """Whether the gap says the next place is where the item lies."""
    return _QUALIFIER.match(gap) is not None


# the item patterns but _COORD_GAP as one: each is anchored at both ends, so the alternation
# matches where one of them does (one match call where there were five)
_ITEM_GAP = re.compile("|".join("(?:" + r.pattern + ")" for r in (_MORE_FROM, _OTHERS_IN, _ONE_WORD_ITEM, _IN_GAP,
                                                                  _BEARING_GAP)))


def _item_gap_py(gap: str) -> bool:
    """Whether the gap goes on with another item of the list."""
    return _ITEM_GAP.match(gap) is not None or (
        _COORD_GAP.match(gap) is not None and any(w in gap for w in _LIST_LINKS))


# a gap's answers kept by its text across reports: the short gaps (" و", " ب", " في ") recur
# (news300: 1,840 gaps, 1,110 texts), and an answer costs up to six regex matches
_qualifier_gap = lru_cache(maxsize=4096)(_qualifier_gap_py)
# (compiled where built: _fast.item_gap, the same answer, the patterns asked only where the gap's
# letters let them match)
_item_gap = lru_cache(maxsize=4096)(_item_gap_py if _fast is None else _fast.item_gap)


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


def _unlisted(ev: Incident, p: Span, gov: Span | None = None) -> Incident:
    """A copy of the incident at a place the gazetteer lacks, in the governorate the text gives
    it, else the incident's own (geo_precision 2: the governorate is known, the place is not)."""
    e2 = ev.copy(fatalities=0, weapons=list(ev["weapons"]), sources=list(ev["sources"]),
                 location=transliterate(p.text) or p.text, location_ar=p.text, geo_precision=2)
    e2.fat_known = False
    if gov is not None:
        d = gov.data
        e2.fields.update(country_code=d.get("country_code") or ev["country_code"], admin1_code=d.get("admin1_code"),
                         latitude=d.get("latitude"), longitude=d.get("longitude"))
    e2["evidence"] = [x for x in ev["evidence"] if x["field"] not in ("location", "fatalities")] + [
        p.to_evidence("location")]
    e2.split = True
    return e2


# words that head a list of places ("قرى الحويز والحواش"، "بلدتي كفريا والفوعة"، "جبهتي زنجبار
# والمنطقة الوسطى"): the geoparser's list cues and place_words.tsv's list_head, but not the
# quarters of a city ("أحياء حوض الأشراف والبريد"), which the annotators code as one incident
# (two quarters of a dual, "حيي", they code apart)
_DUAL_HEADS = frozenset(words(_WORDS_FILE, "dual"))
_HEADS = frozenset([r["word"] for r in word_lists(_WORDS_FILE)["list_cue"] if r["value"] != "quarter"]
                   + words(_WORDS_FILE, "list_head")) | _DUAL_HEADS
_HEAD_WORDS = tuple(sorted(_HEADS))   # (holds_any's words: a tuple)
# words that end a list: a bearing (place_words.tsv's directions), a preposition, a place said to
# lie somewhere ("قرب الموصل"، "التابعة لناحية"), "others" ("ومناطق أخرى"), a new clause (فيما)
_STOPS = frozenset(words(_WORDS_FILE, "direction") + words(_WORDS_FILE, "list_end"))
_LIST_WORD = re.compile(r"[^\s,،.:;؛!?()\[\]" + _QUOTES + r"]+")
_ENDS_ITEM = re.compile(r"^[" + _QUOTES + r"\s]*[,،]?[" + _QUOTES + r"\s]*$")


def _bare(word: str) -> str:
    return word[1:] if word[:1] in "وفب" and word not in _HEADS else word


def _head_among(words: list[str]) -> bool:
    """Whether one of the last 12 words, those the head is looked for in below, is a head (or
    its bare form): the substring test above also passes on words that merely hold one ("تقرير"
    holds "قري"), and most places follow no head."""
    for w in words[-12:]:
        if w in _HEADS or (w[:1] in "وفب" and w[1:] in _HEADS):   # (_bare(w) in _HEADS)
            return True
    return False


def _head_before_py(text: str, lo: int, n0: int, s1: int) -> bool:
    """Whether a list head can precede the place at n0: one of the last 12 words from lo up to the
    end of the place's first word (the words _list_items' head loop reads) is a head or a head
    after و/ف/ب (_HEADS). Its substring prefilter passes on words that merely hold a
    head ("تقرير" holds "قري"); _head_among then asks what the head loop asks."""
    last = _LIST_WORD.search(text, max(lo, n0), s1)
    return last is not None and holds_any(text[lo:last.end()], _HEAD_WORDS) \
        and _head_among(_LIST_WORD.findall(text, lo, last.end()))


# the same test compiled where built (_sides.head_before: the words read back from the place's, no
# match objects; tests/core/test_core_events_shortcuts.py compares the two)
_head_before = _head_before_py if _sides is None else partial(_sides.head_before, _HEADS)


def _first_word_end(text: str, a: int, b: int) -> int:
    sp = text.find(" ", a, b)
    return b if sp < 0 else sp


def _stop(word: str) -> bool:
    w = word[1:] if word[:1] == "و" else word
    return (w in _STOPS or w in _HEADS or any(c.isdigit() for c in w)
            or (w[:1] in "بل" and (w[1:3] == "ال" or w[1:] in _HEADS or w[1:] in _NESTS)))


def _list_items_py(doc: Doc, ctx: Ctx, si: int, place: Span) -> list[tuple[int, int]]:
    """The names of the list that holds the incident's place, as normalised (start, end): after a
    head word the list runs over names joined by و (one to three words each; a و inside a name
    the tagger or the gazetteer found, "تل واسط", joins no new one), to the first word that is
    no name (a trigger, side, date or toll, a preposition or bearing, a head of another list).
    A dual head ("قريتي") takes two names; after a plural one ("قرى") the first is a name by the
    head before it, the others only if the gazetteer or the name tagger found one in their first
    word, they hold the incident's place, or another item follows them in a list that ends at a
    stop word, a punctuation mark or the sentence's end ("وأصابت"، "وهناك" are no names). [] when the place is
    in no such list, or the list follows "between"."""
    s0, s1 = doc.sentences[si]
    n0, n1 = ctx.nstart(place), ctx.nend(place)
    text = doc.norm
    # the words up to the place's first one; the rest of the sentence only once a head is found
    # (most places follow none, and this runs for every candidate's place)
    lo = max(s0, n0 - 120)
    # a head word is one of those words (or its bare form): where none is, the place follows no
    # head (the text runs to the end of the place's first word, as the loop below reads it)
    if not _head_before(text, lo, n0, s1):
        return []
    found = _LIST_WORD.finditer(text, lo, s1)
    ws = []
    for m in found:
        ws.append((m.start(), m.end()))
        if m.end() > n0:
            break
    else:
        return []
    k = len(ws) - 1   # the place's first word
    head = next((j for j in range(k, max(-1, k - 12), -1) if _bare(text[ws[j][0]:ws[j][1]]) in _HEADS), None)
    if head is None or (head > 0 and text[ws[head - 1][0]:ws[head - 1][1]] in ("بين", "وبين")):
        return []   # ("الطريق الرابط بين مدينتي بيتليس وديار بكر": the two ends of one place)
    ws.extend((m.start(), m.end()) for m in found)
    dual = _bare(text[ws[head][0]:ws[head][1]]) in _DUAL_HEADS
    busy = [(ctx.nstart(x), ctx.nend(x)) for layer in ("triggers", "actors", "dates", "casualties")
            for x in ctx.sl(layer, si)]
    names = [(ctx.nstart(x), ctx.nend(x)) for x in ctx.sl("places", si)] + [
        (ctx.nstart(x), ctx.nend(x)) for x in doc.layer("ner") if x.label == "LOC" and x.sent == si]
    items: list[list[int]] = []
    closed = True   # the list ends at a stop word, a punctuation mark or the sentence's end
    for j in range(head + 1, len(ws)):
        a, b = ws[j]
        w = text[a:b]
        if _stop(w):
            break
        if any(x < b and a < y for x, y in busy):
            closed = False
            break
        gap = text[ws[j - 1][1]:a]
        inside = any(x < a < y for x, y in names)   # (a word of a name already begun)
        if not items:
            items.append([a, b])
        elif w[:1] == "و" and len(w) > 2 and _ENDS_ITEM.match(gap) and not inside:
            items.append([a + 1, b])
        elif gap.isspace() and items[-1][1] == ws[j - 1][1] and len(text[items[-1][0]:b].split()) <= 3 \
                and w[:1] not in "بل":   # (not "بسهل الغاب": where the list lies)
            items[-1][1] = b
        else:
            closed = False
            break
        if not _ENDS_ITEM.match(text[b:ws[j + 1][0]] if j + 1 < len(ws) else ""):
            break
    if dual:   # "قريتي نبل والزهراء": the second name right after the first, no comma between
        items = items[:2] if len(items) > 1 and text[items[0][1]:items[1][0] - 1].isspace() else []
    else:
        # after a plural head, a name the gazetteer and the tagger lack still counts when another
        # item follows it in a list that ends cleanly ("مناطق الجفينة والسائلة والتباب السود"): a
        # word that goes on the sentence ("وتمكنت من") ends a list, it does not stand inside one
        items = items[:1] + [(a, b) for k, (a, b) in enumerate(items[1:], 1) if (a < n1 and n0 < b) or any(
            x < _first_word_end(text, a, b) and a < y for x, y in names) or (closed and k < len(items) - 1)]
    if len(items) < 2 or not any(a < n1 and n0 < b for a, b in items):
        return []
    return items


# the same list compiled where built (_sides.list_items: the same patterns and items, the loops
# typed; it asks the head test of this module's _head_before, which a test may replace)
_list_items = _list_items_py if _sides is None else _sides.list_items


def _listed_siblings_py(doc: Doc, ctx: Ctx, ev: Incident, si: int, place: Span, covered: set[int],
                        named: set[str]) -> list[Incident]:
    """"قصفت قوات النظام قرى الحويز والحواش والعنكاوي": each other name of the list that holds the
    incident's place and that no copy covers yet is an incident of its own; a resolved town at
    its own place, a name the gazetteer lacks in the incident's governorate (geo_precision 2)."""
    n0, n1 = ctx.nstart(place), ctx.nend(place)
    spans = [p for p in ctx.sl("places", si) if p is not place]
    out = []
    for a, b in _list_items(doc, ctx, si, place):
        if a < n1 and n0 < b:
            continue
        first = _first_word_end(doc.norm, a, b)   # a town must start in the name's first word
        over = [p for p in spans if ctx.nstart(p) < first and a < ctx.nend(p)]
        if any(id(p) in covered for p in over):
            continue
        sure = [p for p in over if p.data.get("resolved", True) and p.data.get("latitude") is not None]
        if sure:   # a resolved town at its own place (not one already coded, a governorate or context)
            town = sure[0]
            if usable_place(town) and town.data.get("feature") in LIST_FEATURES \
                    and town.data.get("location") not in named:
                named.add(town.data.get("location"))
                out.append(_copy_at(ev, town))
        else:
            out.append(_unlisted(ev, doc.span(a, b, "", si)))
    if out:
        ev.split = True
    return out


# the same compiled where built (_sides.listed_siblings: the list's items asked first, the loops
# typed; it asks this module's _list_items, _copy_at and _unlisted as the module holds them)
_listed_siblings = _listed_siblings_py if _sides is None else _sides.listed_siblings


if _sides is not None:
    _sides.bind_split(sys.modules[__name__])
if _fast is not None:
    _fast.bind_split(sys.modules[__name__])
