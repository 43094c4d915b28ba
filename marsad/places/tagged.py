"""Places the statistical tagger found: LOC spans of layer "ner" turned into place mentions.

The ner step runs before the places step and leaves its LOC spans in layer "ner". A span that
no gazetteer mention covers is looked up in the gazetteer under name variants the exact match
misses (clitics the matcher refused, ال written or not, a final ة/ه written ا, a leading
generic word such as مدينة), then resolved with the report's context together with the
gazetteer's own mentions. What stays unknown becomes an unresolved place (an event can still
take it, at the larger place the report names): "an unknown LOC becomes an unresolved place,
not nothing".

Names that are only references back (المدينة، الريف) or common words of the gazetteer's
stopword list are not places, whatever the tagger says.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from operator import itemgetter

from ..ner.nationalities import country_adjective
from ..text import strip_proclitics
from .geoparser import DIRECTIONS, MAX_CANDIDATES, Geoparser, Mention, _scan, common_behind_clitic, skip_after_cue
from .names import ANAPHORIC, GENERIC_FEATURE, core_and_article, is_arabic
from .names import _AL_PROCLITICS, _PLAIN_PROCLITICS

_CLITICS = _PLAIN_PROCLITICS | _AL_PROCLITICS
# Tagger LOC spans below this score are too often verbs or adverbs to stand as places on their
# own (they still count when the gazetteer knows the name). The perceptron tagger's score is a
# calibrated chance that the mention is right (issue 12), lower than the CRF's marginals were.
MIN_UNKNOWN_SCORE = 0.35
# A name the gazetteer lists only as a common word (جاوا، خراسان) or under a variant spelling
# is taken from it only when the tagger is this sure (لجأوا is no Jawa, المدينة no Medina).
WEAK_SCORE = 0.9
# Words the steps before this one already read as something else (an actor such as داعش، a date
# such as 26سبتمبر) are no places, whatever the tagger says. Triggers and cues are matched later,
# by the events step; on the dev set only one tagger LOC overlapped one, and it was a real place
# (ساحة التحرير).
OTHER_LAYERS = ("actors", "weapons", "sources", "dates", "casualties", "conditions")


@dataclass(slots=True)
class TaggedLoc:
    start: int      # normalised offsets, proclitics (و ب ل ...) left out, ال kept
    end: int
    sent: int
    words: list[str]  # the name's words as the span covers them
    raw: list[str]    # the tokens as written (with their proclitics), for the gazetteer look-up
    score: float      # the tagger's mean label probability
    lam: bool = False  # written with لل (للنيران): "to the ...", mostly before a common noun


def _country_adjective(gaz, word: str) -> bool:
    """التركية، اللبناني: an adjective of a country (``ner.nationalities``' list, the one the name
    rules read), or a country's name with ال, as some adjectives are spelt (السورية)."""
    if not word.startswith("ال"):
        return False
    return country_adjective(word) or any(gaz.places[i].feature == "country"
                                          for i, _, _ in gaz.index.get(core_and_article(word)[0], ()))


_cuts: dict[str, int] = {}  # word -> _cut(word), for the first words of the tagger's LOC spans
CUTS_LIMIT = 32768  # the table is cleared whole at this size, before a report's spans (a long
                    # run's memory stays bounded)


# first letter -> (proclitic, its length, letters it cuts) for _cut: the و/ب/ل/ف/ك proclitics
# ending in ال cut all but ال (kept with the name), the others (لل، فلل، ولل) whole
_AL_CUTS: dict[str, tuple[tuple[str, int, int], ...]] = {}
for _p in sorted(_AL_PROCLITICS - {"ال"}):
    _AL_CUTS[_p[0]] = _AL_CUTS.get(_p[0], ()) + ((_p, len(_p), len(_p) - 2 if _p.endswith("ال") else len(_p)),)
del _p


def _cut(first: str) -> int:
    """How many letters of proclitics a LOC span's first word starts with: و/ب/ل before ال are
    clitics for sure (والقصير، بالقصير، للقصير); before other letters they may be the name's own
    (بيروت، وادي), kept in the span. Kept per word in ``_cuts``. (The proclitics of its first
    letter tried directly, not through ``strip_proclitics``' readings: those cost about 13,900
    instructions a new word, 1,066 words over news300.)"""
    cut = 0
    room = len(first) - 3  # a stem of three letters at least
    for p, n, c in _AL_CUTS.get(first[:1], ()):
        if c > cut and n <= room and first.startswith(p):
            cut = c
    _cuts[first] = cut
    return cut


_FIRST = itemgetter(0)


def starts_and_reach(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The (start, end) pairs sorted by start (in place), their starts, and the furthest end so
    far at each: the tables of an overlap test by binary search. Pairs of equal starts may come
    in any order: a bisect of the starts never splits them, so the furthest end at its boundary
    is the same (sorted by the start alone, ints compared, not tuples: loc_spans over news100
    35.0 -> 31.8 M). (A plain loop: ``accumulate(ends, max)`` calls ``max`` once per span.)"""
    spans.sort(key=_FIRST)
    starts = [a for a, _ in spans]
    reach = []
    far = -1
    for _, b in spans:
        if b > far:
            far = b
        reach.append(far)
    return starts, reach


def span_table_py(groups) -> tuple[list[int], list[int]]:
    """``starts_and_reach`` of the spans (objects with ``start`` and ``end``) of the lists in
    ``groups``."""
    return starts_and_reach([(x.start, x.end) for g in groups for x in g])


# in C when the places scan is built (``_scan.span_table``: the pairs read into a C array and
# sorted there, no tuple a span; loc_spans' other layers are 9,985 spans over news100)
span_table = _scan.span_table if _scan is not None else span_table_py


def loc_spans(doc) -> list[tuple]:
    """The layer "ner" LOC spans that may be places, in layer order: (span, first token, end
    token, letters of proclitics cut from the first token, normalised start, end). Spans over
    another layer's words (``OTHER_LAYERS``) are left out."""
    locs = [s for s in doc.layer("ner") if s.label == "LOC"]
    if not locs:
        return []  # (no table of the other layers for no span)
    # spans of the other layers by start, with the furthest end so far: a span overlaps one of
    # them when, among those starting before its end, the furthest end passes its start
    other_starts, reach = span_table([doc.layer(name) for name in OTHER_LAYERS])
    if len(_cuts) >= CUTS_LIMIT:
        _cuts.clear()
    return loc_rows(locs, doc.tokens, other_starts, reach, _cuts, _cut)


def loc_rows_py(locs: list, toks: list, other_starts: list[int], reach: list[int], cuts: dict, cut) -> list[tuple]:
    """``loc_spans``' rows of the LOC spans ``locs`` with a token pair in range and over none of
    the other layers' spans (``span_table``'s tables); ``cuts``: a first word's proclitic
    letters, ``cut(word)`` for a word it lacks."""
    out = []
    n = len(toks)
    after = bisect.bisect_left
    for s in locs:
        ij = s.data.get("tokens")
        if not ij:
            continue
        k = after(other_starts, s.end)
        if k and reach[k - 1] > s.start:
            continue
        i, j = ij
        if not (0 <= i < j <= n):
            continue
        first = toks[i]
        c = cuts.get(first.norm)
        if c is None:
            c = cut(first.norm)
        out.append((s, i, j, c, first.start + c, toks[j - 1].end))
    return out


# in C when the places scan is built (``_scan.loc_rows``: the spans' and tokens' fields read
# from their slots; 3,972 LOC spans over news100)
loc_rows = _scan.loc_rows if _scan is not None else loc_rows_py


def tagged_locs(doc, gaz=None, spans=None) -> list[TaggedLoc]:
    """The layer "ner" LOC spans in normalised offsets, without the proclitics written before them.
    A country adjective right after a name (كابادوكيا التركية) says it is a place whatever its shape.
    ``spans``: ``loc_spans(doc)`` or some of them (the places step passes those on no mention,
    ``apart``: 98% of the tagger's LOC spans lie on a gazetteer mention)."""
    out = []
    toks = doc.tokens
    for s, i, j, cut, start, end in (loc_spans(doc) if spans is None else spans):
        raw = [t.norm for t in toks[i:j]]
        first = raw[0]
        words = [first[cut:]] + raw[1:]
        nxt = toks[j].norm if j < len(toks) and toks[j].sent == toks[i].sent else ""
        placed = gaz is not None and bool(nxt) and _country_adjective(gaz, nxt)
        if not placed and not _name_shaped(words, float(s.data.get("score") or 0.0)):
            continue
        out.append(TaggedLoc(start, end, toks[i].sent, words, raw,
                             float(s.data.get("score") or 0.0), first[:cut].endswith("لل")))
    return out


def _name_shaped(words: list[str], score: float) -> bool:
    """Not a word that only looks like a name to the tagger: an anaphoric noun (المدينة), a
    plural verb (لجأوا، بدأوا), an adverb in -يا without its tanween written (سياسيا، بريا)."""
    name = " ".join(words)
    if name in ANAPHORIC or words[0] in ANAPHORIC:
        return False
    if len(words) == 1:
        w = words[0]
        if w.endswith("وا") and len(w) > 3:
            return False
        if w.endswith("يا") and not w.startswith("ال") and score < WEAK_SCORE:
            return False
    return True


def _variants(core: str) -> list[str]:
    """Spellings of a name core the exact match misses: final ه/ا (ة is ه after normalising)."""
    out = []
    if core.endswith("ه") and len(core) >= 3:
        out.append(core[:-1] + "ا")
    if core.endswith("ا") and len(core) >= 3:
        out.append(core[:-1] + "ه")
    return out


def lookup(gp: Geoparser, words: list[str]) -> tuple[str, list[tuple[int, float]], bool]:
    """(key, candidates, weak) for a tagged name. Weak: found only through a variant or as a
    name that is also a common word, so the report must name the place's country."""
    name = " ".join(words)
    if len(words) > 1 and any(stem in GENERIC_FEATURE for p, stem in strip_proclitics(words[0])
                              if p in _PLAIN_PROCLITICS):
        name = " ".join(words[1:])   # (ب)مدينة جاكرتا: the cue word is no part of the key
    index = gp.gaz.index
    exact: dict[int, bool] = {}
    loose: set[int] = set()
    key = ""
    readings = [("", name)]
    if name not in gp.clitic_words:  # فاطمة is no ف + أطمة
        readings += [(p, s) for p, s in strip_proclitics(name)[1:] if p in _CLITICS]
    for p, stem in readings:
        if p.endswith("ال") or p in ("لل", "ولل", "فلل"):
            core, art = stem, True
        else:
            core, art = core_and_article(stem)
        if core in gp.gaz.demonyms:
            return core, [], False   # an adjective of a country (البولندية): no place
        for c, variant in [(core, False)] + [(v, True) for v in _variants(core) if v not in gp.gaz.demonyms]:
            for i, e_art, weak in index.get(c, ()):
                if e_art != art:
                    continue  # الحسكة is no حسكة: the article is part of the name
                key = key or c
                if variant:
                    loose.add(i)
                else:
                    exact[i] = exact.get(i, True) and weak
    if exact:
        cands = list(exact)
        weak = all(exact.values())
    else:
        cands = list(loose)
        weak = True
    scored = sorted(((i, gp.priors[i]) for i in cands), key=lambda c: -c[1])[:MAX_CANDIDATES]
    return key or name, scored, weak


def is_place_name(gp: Geoparser, words: list[str]) -> bool:
    """Whether a tagged name may stand as a place the gazetteer does not know."""
    name = " ".join(words)
    core = core_and_article(words[0])[0] if len(words) == 1 else name
    if len(core.replace(" ", "")) < 3 or not any(is_arabic(w) or w.isalpha() for w in words):
        return False
    if len(words) == 1 and (name in gp.stop or skip_after_cue(name) or name in GENERIC_FEATURE
                            or core in GENERIC_FEATURE or common_behind_clitic(name, gp.stop)):
        return False
    # بوسط البلاد، جنوب المدينة: a bearing of a common word, no name
    return len(words) == 1 or not all(_common(w, gp.stop) for w in words)


def _common(word: str, stop) -> bool:
    """A common word or a bearing, with or without a clitic (البلاد، بوسط، وجنوب)."""
    return any(stem in stop or stem in DIRECTIONS for _, stem in strip_proclitics(word))


def overlap_test(mentions: list[Mention], tables=None):
    """A test whether [a, b) overlaps one of the mentions (some start < b with its end > a): by
    start, with the furthest end so far, in O(log n) rather than a scan of them all.
    ``tables``: ``span_table((mentions,))``, when already made."""
    starts, reach = tables or span_table((mentions,))

    def overlaps(a: int, b: int) -> bool:
        k = bisect.bisect_left(starts, b)
        return k > 0 and reach[k - 1] > a
    return overlaps


def apart_py(spans: list[tuple], starts: list[int], reach: list[int]) -> list[tuple]:
    """The ``loc_spans`` entries whose normalised [start, end) (items 4 and 5) overlaps none of
    the spans of the tables (``span_table``): the test ``overlap_test`` makes, over a list."""
    out = []
    for sp in spans:
        k = bisect.bisect_left(starts, sp[5])
        if not (k > 0 and reach[k - 1] > sp[4]):
            out.append(sp)
    return out


# in C when the places scan is built (``_scan.apart``): 98% of the tagger's LOC spans lie on a
# mention, each a call of the overlap test in Python (7,944 over news100)
apart = _scan.apart if _scan is not None else apart_py


def tagger_mentions(gp: Geoparser, locs: list[TaggedLoc], found: list[Mention], overlaps=None) -> list[Mention]:
    """Mentions for the tagger's LOC spans no gazetteer mention covers, with gazetteer
    candidates when a variant of the name is known (resolved later with the others).
    ``overlaps``: ``overlap_test(found)``, when already made."""
    overlaps = overlaps or overlap_test(found)
    out = []
    for t in locs:
        if overlaps(t.start, t.end):
            continue
        key, cands, weak = lookup(gp, t.raw)
        if not cands or (weak and t.score < WEAK_SCORE):
            continue
        if len(t.words) == 1 and (t.words[0] in gp.stop or key in gp.stop or "ال" + key in gp.stop):
            continue  # a common word (التحالف، المصدر، بيان) is a place only after a cue, as in find()
        m = Mention(t.start, t.end, key, t.sent, cands=cands, weak=weak, name_start=t.start)
        m.tagger, m.ner_score = True, t.score
        out.append(m)
    return out


def unresolved_mentions(gp: Geoparser, locs: list[TaggedLoc], kept: list[Mention], overlaps=None) -> list[Mention]:
    """The tagger's LOC spans that no resolved or kept mention covers: unresolved places.
    ``overlaps``: ``overlap_test(kept)``, when already made."""
    overlaps = overlaps or overlap_test(kept)
    out = []
    for t in locs:
        if t.score < MIN_UNKNOWN_SCORE or overlaps(t.start, t.end):
            continue
        if t.lam and t.score < WEAK_SCORE:
            continue  # للنيران: a place the gazetteer does not know is rarely written with لل
        if not is_place_name(gp, t.words):
            continue
        m = Mention(t.start, t.end, " ".join(t.words), t.sent, name_start=t.start)
        m.tagger, m.ner_score = True, t.score
        out.append(m)
    return out
