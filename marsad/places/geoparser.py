"""Find place mentions in a Doc and resolve them with the document's context.

1. Mentions: one Aho-Corasick pass over the normalised text (hashtag underscores read as
   spaces) finds every gazetteer name at word boundaries; the clitics written before it must
   fit the name (بالقاهرة, وبحمص, للكويت); overlapping hits keep the longest. Names that are
   also common words count only as hashtags or after a cue word. A cue word (بلدة، قرية، حي،
   مخيم، ناحية ...) before a word the gazetteer does not know still makes a mention, unresolved.
2. Resolution: each candidate gets a prior (kind of place, population, Arab world), a bonus
   when the cue word fits its kind (محافظة -> governorate, حي -> quarter; a site listed with its
   generic word, قاعدة العند، مطار عدن, takes that word as its cue), and context from the
   other mentions: the countries and governorates the report names (the dateline counts
   triple), the city a quarter belongs to (الخالدية with حمص is the Homs quarter), and
   closeness to the other places. The first round picks without context, two more re-score
   with the context of the previous round's picks. Mentions of one name with the same cue are
   resolved together. A name that is also a common word, found only through its cue, must lie
   in a country the report names, else it is dropped.
3. Checks (``check_nesting``, after resolution): a name followed by the larger place it lies in
   ("خربة X في ريف حماة", "الحويجة قرب الرقة", "دوما بمدينة نابلس") must resolve inside it
   (same country, and same governorate or within NEST_KM), else to a candidate that does, else
   it stays unresolved and the event goes to the larger place; a governorate is placed by its
   main town for this (Giza's centroid lies in the desert). A known name right after a
   compound first word (خربة، تل، عين، كفر ...) is another, unknown place (خربة السودا).
   ``check_governorate``: a small place in a sentence naming a governorate of its country
   (محافظة الضالع ... موقع الجميمة) lies in or near it, else a namesake in it is taken, else
   it stays unresolved (the event goes to the governorate).
4. Context rules in resolution: a quarter whose town is not named needs its country among the
   report's confident places (حي النزهة in a Cairo report is not Homs'); القريتين ("the two
   villages") is the town only after a cue, as a hashtag, or with another place of its
   governorate; إقليم asks for a governorate, else any district or town (إقليم سيلوبي); a
   plural cue heads a list whose items may be names that are also words (محافظات الحديدة
   وحجة); "على الصعيد" is an idiom. A small place that is the report's only town of its
   country, in sentences sure of another country's towns (``_lone_abroad``), is a namesake of
   a place the gazetteer lacks.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter, itemgetter

from .gazetteer import Gazetteer, Place, load, prior
from .names import (ANAPHORIC, COMPOUND_FIRST, CONTEXT_ONLY, GENERIC_FEATURE, IDIOM_AFTER, NEEDS_ADMIN1_CONTEXT,
                    TAA_CUES, UNKNOWN_CUES, article_behind_lam, core_and_article)
from ..geo import distance_km as _km
from ..lexicon import word_lists, words
from ..text import PROCLITICS, strip_proclitics
from ..text.native import compiled
from ..text.native import ends as _ends
from .names import _AL_PROCLITICS, _PLAIN_PROCLITICS  # the compiled scan's proclitic rule

MAX_CANDIDATES = 40
SURE = 7.0  # a resolution score from which a pick is context for the others' countries
# Words before a name that place an event near or in part of it (geo_precision 2).
_FILE = "place_words.tsv"  # the word lists, with their sources (marsad/lang/ar/)
DIRECTIONS = set(words(_FILE, "direction"))
# Kind of place a cue word asks for -> features that fit it.
CUE_FITS = {
    "admin1": {"admin1"}, "province": {"admin1", "admin2", "region", "area", "city"},
    "admin2": {"admin2", "city"}, "area": {"admin2", "city", "area", "quarter", "village", "admin1", "region"},
    "city": {"city", "admin2"}, "village": {"village", "city"}, "quarter": {"quarter", "village", "city"},
    "camp": {"camp", "village", "city"}, "countryside": {"city", "admin1", "admin2", "village", "area"},
    "country": {"country"}, "airport": {"airport", "base", "city"}, "base": {"base", "airport", "city"},
    "crossing": {"crossing", "city", "village"}, "island": {"island", "city"},
    "mountain": {"mountain", "area", "village", "city"}, "valley": {"area", "village", "city"},
}
# a resolved place's geo_precision by its feature (else 2 with a countryside cue or bearing, else 1:
# component.place_template and place_data)
PRECISION = {"country": 3, "admin1": 3, "admin2": 2, "area": 2, "region": 2, "mountain": 2, "valley": 2}
_EPITHETS = tuple(" " + w for w in words(_FILE, "epithet"))
# "وقال مصدر لـ«الرياض» إن": a quoted name a source speaks to is the newspaper (the outlet's
# own name, Al Riyadh, Okaz, Al Quds), not a place
_TOLD_QUOTED = re.compile(r'(?:^|\s)ل\s?"$')
_CUE_WORD = re.compile(r"(?<!\w)(?:[وفبلك]{0,2})(?:%s)(?!\w)" % "|".join(UNKNOWN_CUES))
_CUE_CLITICS = "وفبلك"
# kinds whose generic word may open a gazetteer name (قاعدة العند): that word is the name's cue
_SITE_CUES = {"base", "airport", "camp", "crossing"}


_cue_auto = None  # Aho-Corasick over the cue words (the pure path), built on first use
_cue_trie = None  # the same cue words read backwards (``_ends.EndTrie``), when compiled
# the compiled twins of prev_word_py, metonym_py, best_py, round_picks_py and component's
# dateline_end_py (marsad/places/_scan.pyx), when built; its API number as the .pyx says it (an
# older build is not used)
SCAN_API = 11
_scan = compiled(__package__ + "._scan", SCAN_API)


def _cue_automaton():
    global _cue_auto
    if _cue_auto is None:
        import ahocorasick
        auto = ahocorasick.Automaton()
        for cue in UNKNOWN_CUES:
            auto.add_word(cue, len(cue))
        auto.make_automaton()
        _cue_auto = auto
    return _cue_auto


def _cue_words(text: str) -> list[tuple[int, int]]:
    """(start, end) of the whole words that are a cue with at most two of و/ف/ب/ل/ك before it,
    in text order: what ``_CUE_WORD.finditer`` finds (\\w is str.isalnum() or "_"). Compiled, the
    cues are read back from each word end (``_ends.whole_words``: one Aho-Corasick pass walked
    every letter); else one pass of the automaton, its hits filtered by ``_cue_words_py``."""
    global _cue_trie
    if _ends is not None:
        if _cue_trie is None:
            _cue_trie = _ends.EndTrie((cue, len(cue)) for cue in UNKNOWN_CUES)
        return _ends.whole_words(_cue_trie, text, _CUE_CLITICS, 2)
    return _cue_words_py(text)


def _cue_words_py(text: str) -> list[tuple[int, int]]:
    """``_cue_words`` in Python (the pure path)."""
    out = []
    n = len(text)
    for last, size in _cue_automaton().iter(text):
        e = last + 1
        if e >= n or not (text[e].isalnum() or text[e] == "_"):
            i = e - size
            s = i
            while s > 0 and i - s < 3 and (text[s - 1].isalnum() or text[s - 1] == "_"):
                s -= 1
            if i - s <= 2 and (s == 0 or not (text[s - 1].isalnum() or text[s - 1] == "_")) \
                    and all(ch in _CUE_CLITICS for ch in text[s:i]):
                out.append((s, e))
    return sorted(set(out))  # a word found through two cues is one word


_WORD_AT = re.compile(r"\w+")
_NEXT_WORD_AT = re.compile(r" (\w+)")
_SKIP_AFTER_CUE = set(words(_FILE, "skip_after_cue"))
_TWO_WORD_FIRST = set(words(_FILE, "two_word_first"))  # ابو/ام/عين + word
_NOUN_CUES = set(words(_FILE, "noun_cue"))  # بلدة/قرية + a word ending in ة: still a name


@dataclass(slots=True)  # many per report: a lighter object, quicker fields
class Mention:
    start: int                  # normalised offsets of the name as reported (ال kept, و/ب/ل dropped)
    end: int
    key: str                    # the matched name core
    sent: int
    cands: list[tuple[int, float]] = field(default_factory=list)  # (place index, base score)
    cue: str = ""               # kind asked for by a cue word before it
    direction: str = ""         # شمال / جنوب ... before it
    hashtag: bool = False
    demonym: bool = False       # an adjective of a country (اللبناني): context, not an event place
    weak: bool = False          # found only through a cue or hashtag (a name that is also a word)
    name_start: int = -1        # where the name itself starts (after a cue word such as حي)
    nested: bool = False        # a common-word name kept only if the town it lies in is named
    name_end: int = -1          # where the name itself ends (before an epithet such as المكرمة)
    place: Place | None = None
    score: float = 0.0
    context_only: bool = False  # "المملكة": a place for context, not where an event happens
    tagger: bool = False        # from the statistical tagger's LOC spans (layer "ner")
    ner_score: float = 0.0      # the tagger's mean label probability for it
    cue_word: str = ""          # the cue word of an unknown word found after it (قاعده)


# Plural and dual cue words that head a list of names: "محافظات الحديدة وحجة والمحويت".
_LIST_CUES = {r["word"]: r["value"] for r in word_lists(_FILE)["list_cue"]}
LIST_WORDS = 6  # how far back a list's head is looked for


def _list_cue(text: str, w: int, stop) -> str:
    """The kind of place asked for by a plural cue heading the list that a name at w (written
    with و) continues, or "". The list may hold only names: a common word ends the search."""
    pos = w
    for _ in range(LIST_WORDS):
        word, start = prev_word(text, pos)
        if not word or "\n" in text[start:pos]:
            return ""
        if word in _LIST_CUES:
            return _LIST_CUES[word]
        if word in stop or (word[:1] == "و" and word[1:] in stop) or word.isdigit():
            return ""
        pos = start
    return ""


# Words before a capital that make it a place (في، قرب، العاصمة، زار ...).
LOCATIVE = set(words(_FILE, "locative"))
# "داخل الأراضي السورية": a country adjective after these words names the country as a place
_TERRITORY = set(words(_FILE, "territory"))
# each reading's stem is the word's end (proclitics come off its front): a word ending in none of
# these is no "lands of", known without its readings (``_lands_of``)
_TERRITORY_ENDS = tuple(sorted(_TERRITORY))
_TERRITORY_ADJ = re.compile(r"اراضي\s+(ال\w+)")


def bare_word(word: str) -> str:
    """A word without the و/ف written before it (وفي -> في)."""
    return word[1:] if word[:1] in ("و", "ف") and word[1:] in LOCATIVE else word


@lru_cache(maxsize=65536)  # a pure function of the word, asked for each demonym and metonym
def _territory(word: str) -> bool:
    """The word is "the lands of", with or without clitics (بالاراضي، وللاراضي)."""
    return any(stem in _TERRITORY for _, stem in strip_proclitics(word))


_FROM = re.compile(r"(?:^|\s)من\s+(?:داخل\s+)?$")


def _in_territory(text: str, pos: int) -> bool:
    """The name at pos follows "the lands of" (داخل الأراضي السورية), not said as where
    something came from (قذائف من داخل الأراضي اليمنية: they fell elsewhere)."""
    return _lands_of(text, *prev_word(text, pos))


def _lands_of(text: str, prev: str, pstart: int) -> bool:
    """``_in_territory`` of a name whose previous word (``prev_word``) is prev at pstart."""
    return prev.endswith(_TERRITORY_ENDS) and _territory(prev) and not _FROM.search(
        text, max(0, pstart - 12), pstart)


def skip_after_cue(word: str) -> bool:
    """A word that follows place cues without being a name (المحاصرة، التابعة، النازحين)."""
    return word in _SKIP_AFTER_CUE


def common_behind_clitic(word: str, stop) -> bool:
    """A common word behind a clitic (بجنوب "in the south of", وشمال): no name the gazetteer
    lacks. A name whose first letter only looks like a clitic (بيروت) leaves no common word."""
    return any(stem in stop for p, stem in strip_proclitics(word)[1:] if p in _PLAIN_PROCLITICS)


def _behind(proclitics) -> dict[str, tuple[str, ...]]:
    """Proclitics by first letter, in ``PROCLITICS``' order (longest first): the readings of a word
    that ``strip_proclitics`` gives after the bare one are those of these it starts with, leaving
    a stem of two letters or more."""
    out: dict[str, tuple[str, ...]] = {}
    for p in proclitics:
        out[p[0]] = out.get(p[0], ()) + (p,)
    return out


# the proclitics a compound name's first word may stand behind (not the article's)
_COMPOUND_PROCLITICS = _behind(p for p in PROCLITICS if "ال" not in p)


@lru_cache(maxsize=65536)  # a pure function of the word, asked for most gazetteer hits
def _compound_first(word: str) -> str:
    """The word as a compound name's first word (وخربة -> خربه), or "": the word itself, else its
    first reading behind a proclitic without ال (``strip_proclitics``' order)."""
    if word in COMPOUND_FIRST:
        return word
    n = len(word)
    for p in _COMPOUND_PROCLITICS.get(word[:1], ()):
        if n - len(p) >= 2 and word.startswith(p) and (stem := word[len(p):]) in COMPOUND_FIRST:
            return stem
    return ""


def _first_sentence(_: int) -> int:
    """``find``'s sentence of any offset when it is given no ``sentence_of``."""
    return 0


def _list_joins(text: str, hits: list[tuple], stop, weak_of=None) -> set[tuple[int, int]]:
    """The hits weak for their length alone (names of three letters: عكا، صفد، قم، إب; not the
    common words of the stoplist, ``stop``: الثورة، التحالف) joined by و to a hit with a strong
    candidate right before or after them (حيفا وعكا، عكا وحيفا، حيفا و عكا): one of a list of
    places is a place too. Issue 12 (ner44). ``weak_of``: whether each hit's candidates are all
    weak, in the hits' order, when the caller knows it already (find: per name, ``_KeyFacts``)."""
    if weak_of is None:
        weak_of = [all(wk for _, wk in cands) for _, _, _, _, cands, _ in hits]
    weak = [(w, b, start) for (w, b, start, core, _, _), wk in zip(hits, weak_of)
            if wk and core not in stop and "ال" + core not in stop]
    if not weak:
        return set()
    ends = names = None  # the strong hits' tables (_strong_ends), built when first asked (a few reports)
    out = set()
    for w, b, start in weak:
        j = w if start > w and text[w] == "و" else -1   # وعكا
        if j < 0:
            prev, pj = prev_word(text, w)
            j = pj if prev == "و" else -1               # و عكا
        if j >= 0:
            prev, pj = prev_word(text, j)
            if prev:
                if ends is None:
                    ends, names = _strong_ends(hits, weak_of)
                if pj + len(prev) in ends:
                    out.add((w, b))
                    continue
        k = after_and(text, b)
        if k < 0:
            continue
        if ends is None:
            ends, names = _strong_ends(hits, weak_of)
        if text[k - 1] == "و":                           # عكا وحيفا: the hit's word starts at the و
            if names.get(k - 1, k - 1) > k - 1:
                out.add((w, b))
        elif k in names:                                 # عكا و حيفا
            out.add((w, b))
    return out


def _strong_ends(hits: list[tuple], weak_of: list[bool]) -> tuple[set[int], dict[int, int]]:
    """The strong hits' ends, and their word starts -> name starts (the last hit's of a start)."""
    ends, names = set(), {}
    for (w, b, start, _, _, _), wk in zip(hits, weak_of):
        if not wk:
            ends.add(b)
            names[w] = start
    return ends, names


def _is_letter(ch: str) -> bool:
    return ch.isalnum()


def prev_word_py(text: str, pos: int) -> tuple[str, int]:
    """The word before position pos (skipping spaces and hashtag signs), and its start."""
    j = pos
    while j > 0 and text[j - 1] in " #\"'(«":
        j -= 1
    i = j
    while i > 0 and text[i - 1].isalnum():  # _is_letter, without a call per letter
        i -= 1
    return text[i:j], i


# asked about 80 times per report (every gazetteer hit, the places step's rules): in C when the
# places scan is built, the same pair
prev_word = _scan.prev_word if _scan is not None else prev_word_py


def after_and(text: str, end: int) -> int:
    """Where the word after a و that follows position end begins, spaces skipped on either side
    of the و (حلب وحمص، حلب و حمص); -1 when no و follows."""
    k = end
    while k < len(text) and text[k] == " ":
        k += 1
    if text[k:k + 1] != "و":
        return -1
    k += 1
    while k < len(text) and text[k] == " ":
        k += 1
    return k


# the cue words and bearings, one set for ``_bare`` (both tables are fixed once loaded), and the
# proclitics a cue may stand behind (not ال, not لل: الحي، المدينة point back to a place named)
_CUES_AND_BEARINGS = frozenset(GENERIC_FEATURE) | frozenset(DIRECTIONS)
_CUE_PROCLITICS = _behind(p for p in PROCLITICS if "ال" not in p and p != "لل")


@lru_cache(maxsize=65536)  # a pure function of the word, asked three times per gazetteer hit
def _bare(word: str) -> str:
    """A cue word without و/ف/ب/ل/ك (بمحافظه -> محافظه). With ال it is no cue: الحي، المدينة
    point back to a place already named. The first reading behind a proclitic (longest first, as
    ``strip_proclitics`` gives them) that is a cue or bearing; none: the word itself (the bare
    reading gives back the word whether it is a cue or not)."""
    n = len(word)
    for p in _CUE_PROCLITICS.get(word[:1], ()):
        if n - len(p) >= 2 and word.startswith(p) and (stem := word[len(p):]) in _CUES_AND_BEARINGS:
            return stem
    return word


# What find asks of a hit's name and of the word before it depends on that name (its core and
# candidates) or that word alone: worked out once per name and per word, not per hit (a report has
# about 64 hits, and names recur across reports). Each table is cleared whole at FACTS_LIMIT
# entries, so a long run's memory stays bounded (about 2,000 names over news300).
FACTS_LIMIT = 32768


class _KeyFacts:
    """find's per-name answers for one (core, candidates) of the gazetteer scan."""

    __slots__ = ("cands", "weak", "mixed", "nested", "ranked", "ranked_strong", "ranked_nested", "compound", "idiom", "demonym",
                 "context_only", "spaced", "first", "generic_first", "epithet", "site_cue", "madina_extra",
                 "madina_ranked")

    def __init__(self, gp: "Geoparser", core: str, cands: list):
        places = gp.gaz.places
        self.cands = cands  # (kept alive: find reads these facts by its id)
        strong = [(i, wk) for i, wk in cands if not wk]
        self.weak = not strong  # every candidate a name that is also a word
        # some candidate weak: only then can a list (``listed`` in find) keep the mention or change
        # its candidates (with none weak, all of them are the strong ones)
        self.mixed = len(strong) < len(cands)
        # a common-word name of a quarter or village (القصور، الأشرفية) counts when the town it
        # lies in is named too
        self.nested = [(i, wk) for i, wk in cands
                       if places[i].parent and not places[i].parent.startswith("iso:")] if self.weak else []
        # the mention's candidates for each choice find makes among them
        self.ranked = gp.ranked(cands)
        # (no weak candidate: the strong ones are all of them, ranked already)
        self.ranked_strong = (gp.ranked(strong) if self.mixed else self.ranked) if strong else None
        self.ranked_nested = gp.ranked(self.nested) if self.nested else None
        self.compound = core in COMPOUND_FIRST
        self.idiom = IDIOM_AFTER.get(core)
        self.demonym = core in gp.gaz.demonyms
        self.context_only = core in CONTEXT_ONLY
        self.spaced = " " in core
        self.first = core.split(" ", 1)[0]
        self.generic_first = self.spaced and self.first in GENERIC_FEATURE
        # where the entity ends before an epithet (مكة المكرمة: مكة), as a length; the last epithet
        # that fits (not المدينة المنورة: المدينة is "the city")
        self.epithet = 0
        for epithet in _EPITHETS if self.spaced else ():  # (each epithet starts with " ")
            if core.endswith(epithet) and len(core) > len(epithet) + 2 \
                    and "ال" + core[:-len(epithet)] not in ANAPHORIC:
                self.epithet = len(epithet)
        kind = GENERIC_FEATURE.get(self.first, "")
        self.site_cue = kind if kind in _SITE_CUES else ""
        # "مدينة البيضاء" listed for one town only: the bare name's towns are candidates too
        self.madina_extra = None
        self.madina_ranked: dict[tuple[bool, bool], list] = {}  # (no use, nested) -> ranked with them
        if self.generic_first and self.first == "مدينه":
            rest, art = core_and_article(core[len(self.first) + 1:])
            self.madina_extra = [(i, wk) for i, a2, wk in gp.gaz.index.get(rest, ()) if a2 == art]


_word_facts: dict[str, tuple[str, str, str, bool]] = {}


def word_facts(word: str) -> tuple[str, str, str, bool]:
    """The word before a hit as find reads it: (its compound first word or "", the word as a cue or
    bearing without its clitics (``_bare``), the kind of place that cue asks for or "", whether it
    is a bearing)."""
    got = _word_facts.get(word)
    if got is None:
        if len(_word_facts) >= FACTS_LIMIT:
            _word_facts.clear()
        # (the functions themselves: this table keeps their answers, their caches would again)
        bare = _bare.__wrapped__(word)
        got = _word_facts[word] = (_compound_first.__wrapped__(word), bare, GENERIC_FEATURE.get(bare, ""),
                                   bare in DIRECTIONS)
    return got


# The last scan: (gazetteer, norm, hits). The name tagger scans a report for its gazetteer
# feature just before the places step scans it: the second asks the same, and gets this list.
_last_scan: tuple = (None, None, [])
_tries: dict[int, tuple] = {}  # id of a gazetteer -> (it, its names as an ``_ends.EndTrie``)
_memos: dict[int, tuple] = {}  # id of a gazetteer -> (it, its scan's memo of candidates)


def _end_trie(gaz: Gazetteer):
    """The gazetteer's names (the cores of its index), each its own value, read from word ends
    (built once; from the index, so that a compiled run never builds the automaton: 1.8 MB)."""
    got = _tries.get(id(gaz))
    if got is None or got[0] is not gaz:
        got = _tries[id(gaz)] = (gaz, _ends.EndTrie((core, core) for core in gaz.index))
    return got[1]


def _cands_memo(gaz: Gazetteer) -> dict:
    """The scan's candidates of each name, by the kinds of name its prefix fits (core -> four
    slots: ``gazetteer_hits_py``): made once per name and kind, so that the hits of a name share
    one list, which find reads its per-name facts by (a list a hit holds, not to be changed).
    Cleared whole at FACTS_LIMIT names, as find's tables are."""
    got = _memos.get(id(gaz))
    if got is None or got[0] is not gaz:
        got = _memos[id(gaz)] = (gaz, {})
    if len(got[1]) >= FACTS_LIMIT:
        got[1].clear()
    return got[1]


def gazetteer_hits(gaz: Gazetteer, text: str, norm: str) -> list[tuple]:
    """Gazetteer names in ``text`` (``norm`` with hashtag underscores as spaces) at word ends,
    after at most four letters of proclitics that fit the name: (word start, end, start of the
    name as reported, core, [(place index, weak)], hashtag) per hit, in the automaton's order.
    Compiled, read back from word ends (``text._ends``, which reads ``norm`` with its underscores
    as spaces: the same text); ``gazetteer_hits_py`` over ``gaz.automaton()`` is the same, in
    Python.

    The list is shared with the next caller asking about the same ``norm`` object with the
    same gazetteer (swapped whole, so threads are safe): not to be changed."""
    global _last_scan
    last = _last_scan
    if last[1] is norm and last[0] is gaz:
        return last[2]
    if _ends is not None:
        hits = _ends.gazetteer_hits(_end_trie(gaz), gaz.index, norm, _PLAIN_PROCLITICS, _AL_PROCLITICS,
                                    _cands_memo(gaz))
    else:
        hits = gazetteer_hits_py(gaz.automaton(), gaz.index, text, norm, _cands_memo(gaz))
    _last_scan = (gaz, norm, hits)
    return hits


def gazetteer_hits_py(auto, index, text: str, norm: str, memo: dict | None = None) -> list[tuple]:
    """``gazetteer_hits`` in Python. memo (``_cands_memo``): core -> [None] * 4, the hit's
    (candidates, has article) filled in at index 1 (the prefix fits a name without ال), 2 (one
    with it) or 3 (both) as first asked; a new table when None."""
    n = len(text)
    hits = []
    if memo is None:
        memo = {}
    for last, core in auto.iter(text):
        a = last - len(core) + 1
        b = last + 1
        if b < n and _is_letter(text[b]):
            continue
        w = a
        stop = a - 5  # a longer prefix is refused anyway: no need to find the word start
        while w > stop and w > 0 and _is_letter(text[w - 1]):
            w -= 1
        if a - w > 4:
            continue
        prefix = text[w:a]
        # (``proclitic_ok`` of each kind of name, once)
        fits = (1 if prefix in _PLAIN_PROCLITICS else 0) | (2 if prefix in _AL_PROCLITICS else 0)
        if not fits:
            continue
        row = memo.get(core)
        if row is None:
            row = memo[core] = [None, None, None, None]
        got = row[fits]
        if got is None:
            cands = [(i, weak) for i, art, weak in index[core] if fits & (2 if art else 1)]
            got = row[fits] = (cands, any(art for _, art, _ in index[core] if fits & (2 if art else 1)))
        cands, has_article = got
        if not cands:
            continue
        hashtag = w > 0 and (norm[w - 1] == "#" or (norm[w - 1] == "_" and "#" in norm[max(0, w - 40):w]))
        start = a
        if has_article and prefix.endswith("ال"):
            start = a - 2
        hits.append((w, b, start, core, cands, hashtag))
    return hits


def counted_ids(p: Place) -> tuple[str, ...]:
    """The ids a pick counts for in the context of the others: its own and its parent's, not a
    country's (a country nests everything)."""
    return tuple(x for x in (p.id, p.parent) if x and not (x.startswith("iso:") and len(x) == 6))


_KM_PER_DEGREE = 111.19  # a degree of latitude: no two points further apart in latitude are nearer
_NEAR_DEGREES = 0.9      # over 100 km of latitude


class _Points:
    """The points of the other picks, sorted by latitude; the pick's own point (index ``skip``)
    left out. Built once per round and shared: only points within a degree of latitude of a
    candidate are measured."""

    __slots__ = ("pts", "lats", "skip")

    def __init__(self, pts: list[tuple[float, float]], lats: list[float], skip: int = -1):
        self.pts, self.lats, self.skip = pts, lats, skip

    @classmethod
    def of(cls, pts) -> "_Points":
        pts = sorted(x for x in pts if x[0] is not None)
        return cls(pts, [la for la, _ in pts])

    def __bool__(self) -> bool:
        return len(self.pts) > (self.skip >= 0)

    def closeness(self, lat: float, lon: float) -> float:
        """2.0 when a point lies within 30 km, 1.0 within 100 km, else 0.0."""
        near = 0.0
        for k in range(bisect.bisect_left(self.lats, lat - _NEAR_DEGREES),
                       bisect.bisect_right(self.lats, lat + _NEAR_DEGREES)):
            la, lo = self.pts[k]
            if k == self.skip or abs(la - lat) * _KM_PER_DEGREE >= 100.0:
                continue
            d = _km(lat, lon, la, lo)
            if d < 30:
                return 2.0
            if d < 100:
                near = 1.0
        return near


class TakenPy:
    """Disjoint non-empty spans already claimed, for overlap tests in O(log n) (a scan of
    every claimed span per hit was quadratic on long documents). Kept sorted by start; being
    disjoint, their ends are sorted too. In C when the places scan is built (``_scan.Taken``,
    asked about 100 times a report)."""

    __slots__ = ("starts", "ends")

    def __init__(self):
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, a: int, b: int) -> bool:
        """Whether some span [s, e) has s < b and a < e."""
        k = bisect.bisect_left(self.starts, b)  # the spans starting before b: [0, k)
        return k > 0 and self.ends[k - 1] > a

    def add(self, a: int, b: int) -> None:
        k = bisect.bisect_left(self.starts, a)
        self.starts.insert(k, a)
        self.ends.insert(k, b)


_Taken = _scan.Taken if _scan is not None else TakenPy


_PRIOR = itemgetter(1)
_START = attrgetter("start")


def longest_first(hits: list[tuple], n: int) -> list[tuple]:
    """The hits (word start, end, ...) in a new list, longest first, then by word start, equals in
    their order: ``sorted`` by (-(end - start), start), its keys one int each (start < n), compared
    in C without a Python call per hit."""
    keys = [(h[0] - h[1]) * n + h[0] for h in hits]
    return [hits[k] for k in sorted(range(len(hits)), key=keys.__getitem__)]


def metonym_py(text: str, m: Mention, national_ids, locative, lands_of) -> bool:
    """A country or national capital (a place id in ``national_ids``) named as its government
    (سمحت أنقرة، تتهم دمشق، قصفت تركيا، الولايات المتحدة وحلفاؤها شنوا): context, not where anything
    happens. Said with a word of place before it (``locative``: في أنقرة، بأنقرة، العاصمة التركية
    أنقرة، قرب دمشق), with a cue or bearing, or a country opening a line ("سوريا: ..."), it is the
    place (and so is a name joined by و to a place: the places step asks only for the others, "في
    سوريا والعراق"); so is one after "the lands of" (``lands_of``: ``_lands_of``)."""
    p = m.place
    if p is None or m.cue or m.direction or m.hashtag or (
            p.feature != "country" and p.id not in national_ids):
        return False
    w = m.start
    while w > 0 and text[w - 1].isalnum():
        w -= 1
    if text[w:m.start] not in ("", "و", "ف"):
        return False  # بأنقرة، لأنقرة، كأنقرة
    prev, pstart = prev_word(text, w)
    if bare_word(prev) in locative or (not prev and p.feature == "country") or lands_of(text, prev, pstart):
        return False  # في أنقرة; a headline's first word ("سوريا: ...") is its scene
    if prev[:2] == "ال" and prev[-2:] in ("يه", "ية"):  # العاصمة التركية أنقرة
        prev2, _ = prev_word(text, pstart)
        return bare_word(prev2) not in locative
    return True


def new_mention_py(cls, values: tuple):
    """``cls(*values)``: a mention with its first fields given in order (the others their defaults)."""
    return cls(*values)


# find's mentions (about 40 a report): in C when the places scan is built (``_scan.new_mention``:
# the Mention's slots set in place, without its __init__'s frame)
new_mention = _scan.new_mention if _scan is not None else new_mention_py


# in C when the places scan is built (``_scan.metonym``: the mention's fields read without the
# interpreter's frame; asked of about 10 countries and capitals a report), both asked with
# (LOCATIVE, _lands_of) by the places step
metonym = _scan.metonym if _scan is not None else metonym_py


class Geoparser:
    def __init__(self, gaz: Gazetteer | None = None):
        from .gazetteer import _stopwords, clitic_words
        self.gaz = gaz or load()
        self.priors = [prior(p) for p in self.gaz.places]
        self.stop = _stopwords()
        self.clitic_words = clitic_words()
        self._facts: dict[int, _KeyFacts] = {}  # id of a scan's candidates -> find's answers (FACTS_LIMIT)
        self._counted: dict[str, tuple[str, ...]] = {}  # place id -> counted_ids(place), as asked
        self._firsts: dict[tuple, tuple] = {}  # (cue, surface, candidates) -> _first_round (FACTS_LIMIT)
        # (cue, surface, id(candidates)) -> (candidates, _first_round): find's candidate lists are
        # shared (``_KeyFacts.ranked``...), so most groups are found here without hashing theirs
        self._firsts_at: dict[tuple, tuple] = {}
        self._no_names: dict[str, bool] = {}  # a word after a cue -> it is no name (_unknown; FACTS_LIMIT)
        # the ids of the national capitals' places (``metonym``; the places step asks it first)
        self.national_ids = frozenset(pid for pid, i in self.gaz.by_id.items() if i in self.gaz.national)

    @property
    def auto(self):
        """The gazetteer's automaton (built at the first use: the compiled scan does without it)."""
        return self.gaz.automaton()

    def ranked(self, use: list[tuple[int, bool]]) -> list[tuple[int, float]]:
        """A mention's candidates: (place index, prior), best prior first, at most MAX_CANDIDATES.
        Shared by the mentions of one name: not to be changed."""
        if len(use) == 1:  # most names: one place, nothing to sort
            return [(use[0][0], self.priors[use[0][0]])]
        # best first, equals in the set's order (a stable sort reversed keeps it): as key -prior
        return sorted({(i, self.priors[i]) for i, _ in use}, key=_PRIOR, reverse=True)[:MAX_CANDIDATES]

    # ------------------------------------------------------------------ mentions
    def find(self, norm: str, sentence_of=None, written=None) -> list[Mention]:
        """The place mentions of normalised text; ``written(i)``, when given, is the original
        letter at normalised offset i (normalisation merges ة into ه)."""
        text = norm.replace("_", " ")
        if sentence_of is None:
            sentence_of = _first_sentence
        # longest first (a new list: the scan's is shared); drop hits overlapping a longer one
        hits = longest_first(gazetteer_hits(self.gaz, text, norm), len(text))
        facts = self._facts
        if len(facts) >= FACTS_LIMIT:
            facts.clear()
        # by the candidates' list, shared by the hits of a name (``_cands_memo``): its facts hold
        # it (``_KeyFacts.cands``), so no other list alive has its id
        known = [facts.get(id(cands)) for _, _, _, _, cands, _ in hits]
        for k, f in enumerate(known):
            if f is None:
                core, cands = hits[k][3], hits[k][4]
                f = known[k] = facts[id(cands)] = _KeyFacts(self, core, cands)
        taken = _Taken()
        mentions: list[Mention] = []
        compound: list[tuple[int, int]] = []
        joins = _list_joins(text, hits, self.stop, [f.weak for f in known])
        for (w, b, start, core, cands, hashtag), f in zip(hits, known):
            if taken.overlaps(w, b):
                continue
            if w < start and text[w:b] in self.clitic_words:
                continue  # فرقة is no ف + رقة (Raqqa): a common word read through a proclitic
            if f.compound and _NEXT_WORD_AT.match(text, b):
                continue  # "تل شعيب": the name goes on (found by the cue rules if unknown)
            if text.startswith('"', b) and _TOLD_QUOTED.search(text, max(0, start - 4), start):
                continue
            prev, pstart = prev_word(text, w)
            if f.idiom is not None and prev in f.idiom:
                continue
            first_word, bare, cue, bearing = _word_facts.get(prev) or word_facts(prev)
            if first_word and w - pstart - len(prev) <= 1 and not taken.overlaps(pstart, w):
                # خربة السودا is not السودا: an unknown village, found by the cue rules below
                compound.append((pstart + len(prev) - len(first_word), b))
                continue
            cue_start = pstart + len(prev) - len(bare) if cue else -1
            direction = ""
            if bearing:
                direction = bare
                prev2, _ = prev_word(text, pstart)
                cue = word_facts(prev2)[2]
            # an item of a list headed by a plural cue ("محافظات الحديدة وحجة") may be a name
            # that is also a word; the cue only admits it (the list may name cities too)
            listed = bool(not cue and f.mixed and (prev in _LIST_CUES or (text[w] == "و" and b - len(core) > w))
                          and _list_cue(text, w, self.stop))
            weak = f.weak
            if weak and joins and (w, b) in joins:
                listed = True  # "حيفا وعكا": a weak name in a list with a place
            nested = False
            if weak and not (hashtag or cue or listed):
                # a common-word name of a quarter or village (القصور، الأشرفية) counts when the
                # town it lies in is named too; kept on trial until resolution checks that
                if not f.nested:
                    continue
                nested = True
            taken.add(w, b)
            sent = sentence_of(start)
            name_start = start
            first = f.first
            if f.generic_first and text.startswith(first + " ", start) and not article_behind_lam(text, start):
                name_start = start + len(first) + 1  # the key itself is "محافظه ادلب"
            # مكة المكرمة: the entity is مكة, as NER corpora mark it
            name_end = b - f.epithet if f.epithet else -1
            m_start = start
            if cue_start >= 0 and cue != "countryside" and not text[cue_start + len(bare):start].strip():
                m_start = cue_start  # "حي الخالدية", "محافظة حمص": the place as the report names it
            # the candidates: all of them after a cue, as a hashtag or in a list, else the strong
            # ones (or, on trial, the nested ones), ranked by prior (``ranked``, once per name)
            if hashtag or cue or listed:
                ranked, use = f.ranked, cands
            elif nested:
                ranked, use = f.ranked_nested, f.nested
            else:
                ranked, use = f.ranked_strong, None
            m_cue = cue
            if name_start > start and f.madina_extra is not None:
                # "مدينة البيضاء" is a listed name of one town only (Libya's): the bare name's
                # towns (Yemen's البيضاء) are candidates too, the cue word fitting them
                # (ranked once per name and choice of candidates: ``use`` is the name's own)
                ranked = f.madina_ranked.get((use is None, nested))
                if ranked is None:
                    ranked = f.madina_ranked[(use is None, nested)] = self.ranked(
                        (use if use is not None else [(i, wk) for i, wk in cands if not wk]) + f.madina_extra)
                if not cue:
                    m_cue = GENERIC_FEATURE[first]
            elif name_start > start and not cue and f.site_cue:
                # "قاعدة العند", "مطار عدن" listed whole: the generic word is the name's own cue
                m_cue = f.site_cue
            # by position, in the fields' order (start, end, key, sent, cands, cue, direction,
            # hashtag, demonym, weak, name_start, nested, name_end, place, score, context_only),
            # the rest their defaults
            mentions.append(new_mention(Mention, (m_start, b, core, sent, ranked, m_cue, direction, hashtag,
                                                  f.demonym and not _in_territory(text, w), nested or weak,
                                                  name_start, nested, name_end, None, 0.0,
                                                  f.context_only and start < b - len(core))))  # with ال
        # "داخل الأراضي السورية": an adjective that is the country's own name with ال (سورية،
        # تركية) is no name key; after "the lands of" it is the country
        for mt in _TERRITORY_ADJ.finditer(text) if "اراضي" in text else ():
            a, b = mt.span(1)
            if taken.overlaps(a, b) or not _in_territory(text, a):
                continue
            cands = [(i, self.priors[i]) for i, _, _ in self.gaz.index.get(text[a + 2:b], ())
                     if self.gaz.places[i].feature == "country"]
            if cands:
                taken.add(a, b)
                m = Mention(a, b, text[a + 2:b], sentence_of(a), name_start=a)
                m.cands = cands[:1]
                mentions.append(m)
        for a, b in compound:
            if not taken.overlaps(a, b):
                taken.add(a, b)
                prev, _ = prev_word(text, a)
                cue = GENERIC_FEATURE.get(_bare(prev), "")
                mentions.append(Mention(a, b, text[a:b], sentence_of(a),
                                        cue=cue if cue in ("village", "quarter", "camp", "area") else "village",
                                        name_start=a))
        mentions += self._unknown(text, mentions, taken, sentence_of, written)
        mentions.sort(key=_START)
        return mentions

    def _unknown(self, text, mentions, taken, sentence_of, written=None) -> list[Mention]:
        """Words after a cue (بلدة، قرية، حي ...) that the gazetteer does not know."""
        out = []
        if sentence_of is None:
            sentence_of = _first_sentence
        stop = self.stop
        no_names = self._no_names
        for s, j in _cue_words(text):
            cue = _bare(text[s:j])
            if cue not in UNKNOWN_CUES:
                continue
            if cue in TAA_CUES and written is not None and written(j - 1) == "ه":
                continue  # في بلده الأصلي: "his country", not بلدة "town"
            while j < len(text) and text[j] in " \"'«#":
                j += 1
            if taken.overlaps(j, j + 1):
                continue  # the word after it is a name found (most): every test below would drop it
            nm = _WORD_AT.match(text, j)  # at j, without copying the rest of the text
            if not nm or nm.group().isdigit():
                continue
            a, b = j, nm.end()
            first = nm.group()
            no_name = no_names.get(first)
            if no_name is None:
                if len(no_names) >= FACTS_LIMIT:
                    no_names.clear()
                no_name = no_names[first] = first in _SKIP_AFTER_CUE or first in UNKNOWN_CUES or (
                    (first in stop or len(first) < 3) and first not in COMPOUND_FIRST) or (
                    # قاعدة بجنوب تركيا: a base in the south of Turkey, not a base "Bjnub"
                    first not in COMPOUND_FIRST and common_behind_clitic(first, stop))
            if no_name:
                continue
            # after مدينة/منطقة... a word without ال ending in ة is mostly an adjective (مدينة ساحلية)
            if cue not in _NOUN_CUES and not first.startswith("ال") and first.endswith("ه"):
                continue
            if taken.overlaps(a, b):
                continue
            # a two-word name: ابو/ام/عين/دير/تل/كفر/خربه + word, or word + ال-word
            nm2 = _NEXT_WORD_AT.match(text, b)
            if first in COMPOUND_FIRST and len(first) < 3 and not nm2:
                continue  # a bare تل is no name
            if nm2 and (first in _TWO_WORD_FIRST
                        or (nm2.group(1).startswith("ال") and nm2.group(1) not in _SKIP_AFTER_CUE
                            and nm2.group(1) not in stop and len(nm2.group(1)) > 4 and not first.startswith("ال"))):
                if not taken.overlaps(b, nm2.end()):
                    b = nm2.end()
            feat = GENERIC_FEATURE.get(cue, "village")
            taken.add(a, b)
            # by position (keywords cost a dict per call): cands, cue, direction, hashtag, demonym,
            # weak, name_start, nested, name_end, place, score, context_only, tagger, ner_score,
            # cue_word
            out.append(Mention(a, b, text[a:b], sentence_of(a), [], feat, "", False, False,
                               False, a, False, -1, None, 0.0, False, False, 0.0, cue))
        return out

    def _first_round(self, cands: list, cue: str, surface: str) -> tuple:
        """Round 1 of a group's resolution (no context), which depends only on its candidates, its
        cue and its written form, so worked out once per process for each (``_firsts``): the
        candidates scored (shared by the groups that ask: not to be changed), what best gives
        without votes, ids or points (its pick and score), and whether they lie in one country
        (``first_round_py``)."""
        return first_round(self.gaz.places, cands, cue, surface, CUE_FITS)

    # ------------------------------------------------------------------ resolution
    def resolve(self, mentions: list[Mention], orig_text: str = "", orig=None, dateline_end: int = 0) -> None:
        places = self.gaz.places
        firsts, firsts_at = self._firsts, self._firsts_at
        if len(firsts) >= FACTS_LIMIT or len(firsts_at) >= FACTS_LIMIT:
            firsts.clear()
            firsts_at.clear()
        # the groups (one name with the same cue, round 1 done) and a name -> its groups
        reps, same = group_reps(mentions, orig_text, orig, dateline_end, firsts, firsts_at, self._first_round)
        counted = self._counted
        for _ in range(2):  # rounds 2-3: the context of the other names' picks
            new = round_picks(places, reps, same, counted, counted_ids)
            moved = False
            for r, (p, sc) in zip(reps, new):
                moved = moved or r[3] is not p
                r[3], r[4] = p, sc
            if not moved:
                # a round reads the picks alone (not their scores): with every pick as before it,
                # round 3 would give round 2's picks and scores again
                break
        named: set[str] = set()  # the ids of the strong picks
        cc_count: dict[str, int] = {}  # confident picks per country
        for r in reps:
            p = r[3]
            if p is not None and not r[0][0].weak:
                named.add(p.id)
                if r[4] >= SURE:
                    cc_count[p.cc] = cc_count.get(p.cc, 0) + 1
        _set_picks(reps, named, cc_count, _lone_abroad(reps, places))
        # a common word after a cue that found no fitting place is no mention (منطقة الشعب)
        mentions[:] = [m for m in mentions if not (m.weak and m.place is None)]


def _set_picks(reps: list, named: set[str], cc_count: dict[str, int], abroad: dict) -> None:
    """Resolve's checks after the rounds: each group's pick kept or dropped by the others (the ids
    of the strong picks ``named``, the confident picks per country ``cc_count``, the namesakes
    abroad ``abroad``), set on its mentions."""
    sure_all = sum(cc_count.values())
    # the picks set at once; a weak group's pick waits (``late``) for the countries of the strong
    # ones kept, known only after every group's checks
    countries: set[str] = set()
    late = []
    for k, (ms, _, _, p, sc) in enumerate(reps):
        m0 = ms[0]
        # each check below asks a pick (p is not None) and most groups have one: asked once,
        # and a check that drops the pick ends them (elif)
        if p is None:
            pass
        elif m0.key in NEEDS_ADMIN1_CONTEXT and not (m0.cue or m0.hashtag) \
                and not any(r[3] is not None and r[3].admin1 == p.admin1 and r[0][0].key != m0.key
                            for r in reps):
            # "القريتين" after two villages were named is "the two villages"
            for m in ms:
                m.weak = True
            p, sc = None, 0.0
        elif p.feature == "quarter" and p.parent not in named and not m0.hashtag \
                and cc_count.get(p.cc, 0) == (0 if m0.weak or sc < SURE else 1) \
                and sure_all > (0 if m0.weak or sc < SURE else 1):
            # "حي النزهة" in a report that names only Cairo's places is no quarter of Homs:
            # a quarter whose town is not named needs its country in the report
            p, sc = None, 0.0
        # "سيطرت المقاومة في محافظة مأرب على منطقة «الفاو»": a name said as a small place
        # (منطقة، قرية، حي ...) whose only reading lies in a country the report names nowhere
        # else, in a report sure of places elsewhere, is a place the gazetteer lacks
        # (the counts asked before the scan of every group: most such names have another
        # confident pick in their country)
        elif m0.cue in _SMALL_CUES and not m0.hashtag \
                and cc_count.get(p.cc, 0) == (0 if m0.weak or sc < SURE else 1) \
                and sure_all - (0 if m0.weak or sc < SURE else 1) >= 2 \
                and not any(r[3] is not None and r[3].cc == p.cc and r[0][0].key != m0.key
                            and not r[0][0].weak for r in reps):
            p, sc = None, 0.0
        # a word that is only a place after a cue (منطقة الساحل) must lie in a country the
        # report names, one kept on trial in a town it names; otherwise it is dropped
        elif m0.nested and p.parent not in named:
            p, sc = None, 0.0
        elif k in abroad:
            p, sc = abroad[k]
        if p is not None:
            if not m0.weak:
                # the countries of the names kept: a pick dropped above (دمر "destroyed" read
                # as Dummar, Damascus) names no country for the words below
                countries.add(p.cc)
            elif not m0.hashtag:
                late.append((ms, p))
        for m in ms:
            m.place = p
            m.score = sc
    for ms, p in late:  # a weak pick in no country the others name is dropped
        if p.cc not in countries:
            for m in ms:
                m.place = None
                m.score = 0.0


def first_round_py(places: list[Place], cands: list, cue: str, surface: str, cue_fits: dict) -> tuple:
    """Resolve's round 1 for a group (``Geoparser._first_round``): its candidates scored by the
    cue (``cue_fits``: CUE_FITS) and the written form, the best of them without context and its
    score, and whether they lie in one country. In C when the places scan is built
    (``_scan.first_round``: the same floats, a score no rule moves kept as it was)."""
    scored = []
    first, first_s = None, -1e9
    # إقليم عدن is the governorate (or region), إقليم سيلوبي a town with no governorate
    gov_named = cue == "province" and any(places[j].feature in ("admin1", "region") for j, _ in cands)
    for i, base in cands:
        p = places[i]
        s = base
        if cue == "province" and p.feature not in ("admin1", "region"):
            s += 3.0 if p.feature in cue_fits[cue] and not gov_named else -4.0
        elif cue:
            s += 4.0 if p.feature in cue_fits.get(cue, ()) else -4.0
        elif p.feature in ("quarter", "camp", "base", "airport", "crossing"):
            s -= 1.0
        if surface:  # عُمان (Oman) vs عمّان (Amman)
            if "\u064f" in surface and p.cc == "OM":
                s += 6.0
            elif "\u0651" in surface and p.cc == "JO":
                s += 6.0
        # a city shares its name with its governorate: the city, unless the cue says otherwise
        if p.feature == "admin1" and cue not in ("admin1", "province") and any(
                places[j].feature == "city" and places[j].cc == p.cc and places[j].population > 50000
                for j, _ in cands):
            s -= 5.0
        scored.append((i, s))
        s1 = s - 2.0 if p.feature == "quarter" else s
        if s1 > first_s:
            first, first_s = p, s1
    one_country = len(scored) == 1 or len({places[i].cc for i, _ in scored}) == 1
    return scored, first, first_s, one_country


# the compiled twin of first_round_py, when built
first_round = _scan.first_round if _scan is not None else first_round_py


def group_reps_py(mentions: list[Mention], orig_text: str, orig, dateline_end: int, firsts: dict,
                  firsts_at: dict, first_round) -> tuple[list, dict[str, list[int]]]:
    """Resolve's groups and their first round: mentions of one name with the same cue, direction,
    demonym and written form (عُمان، عمّان) share one resolution (حمص named 15 times), each a
    list [mentions, scored, weight, pick, score] in the order of its first mention, and a name ->
    the indices of its groups (a name is no context for itself: see ``round_picks_py``). Round 1
    (``first_round``, no context) is asked once per process for each cue, written form and
    candidates (``firsts``); ``firsts_at`` finds it by the candidate list's identity first (the
    entry holds the list, so its id is not reused while the entry lives). In C when the places
    scan is built (``_scan.group_reps``: the groups found through the name, no key tuple per
    mention)."""
    reps: list[list] = []
    same: dict[str, list[int]] = {}
    keys: list[tuple] = []  # per group: its cue, direction, demonym and written form
    for m in mentions:
        if not m.cands:
            continue
        surface = ""
        if m.key == "عمان" and orig is not None:
            a, b = orig(m.start, m.end)
            surface = orig_text[a:b]
        kw = (m.cue, m.direction, m.demonym, surface)
        ks = same.setdefault(m.key, [])
        for k in ks:
            if keys[k] == kw:
                reps[k][0].append(m)
                break
        else:
            ks.append(len(reps))
            keys.append(kw)
            reps.append([[m], None, 0.0, None, None])  # round 1's answers set below
    for r, (cue, _, _, surface) in zip(reps, keys):
        ms = r[0]
        cands = ms[0].cands
        fk = (cue, surface, id(cands))
        at = firsts_at.get(fk)
        if at is not None:
            got = at[1]
        else:
            ck = (cue, surface, tuple(cands))
            got = firsts.get(ck)
            if got is None:
                got = firsts[ck] = first_round(cands, cue, surface)
            firsts_at[fk] = (cands, got)
        scored, first, first_s, one_country = got
        w = 0.0  # (whole numbers: the same float in any order)
        for m in ms:
            w += 3.0 if m.start < dateline_end else 1.0
        if one_country:
            w *= 1.5
        r[1], r[2], r[3], r[4] = scored, w, first, first_s
    return reps, same


# the compiled twin of group_reps_py, when built
group_reps = _scan.group_reps if _scan is not None else group_reps_py


def best_py(places: list[Place], cands, cc_votes, a1_votes, ids_t, pts, own) -> tuple[Place | None, float]:
    """The best candidate with the context of the other picks: their countries and
    governorates (votes), the places they are or lie in (``ids_t`` counts them over every
    pick, ``own`` the pick being re-scored, whose own ids do not count) and their points. In C when
    the places scan is built (``_scan.best``: the same floats, its haversine doing what
    ``marsad.geo.distance_km`` does, operation for operation)."""
    best, best_s = None, -1e9
    # what does not change from one candidate to the next, asked once (min(v, 2.0) is v
    # unless v > 2.0: the same float without a call)
    cc_get = cc_votes.get if cc_votes else None
    a1_get = a1_votes.get if a1_votes else None
    ids_get = ids_t.get
    own_id, own_parent = (own.id, own.parent) if own is not None else (None, None)
    near = pts.closeness if len(cands) > 1 and pts else None
    for i, s in cands:
        p = places[i]
        if cc_get is not None:
            v = cc_get(p.cc, 0.0)
            s += 3.0 * (v if v <= 2.0 else 2.0)
        if a1_get is not None and p.admin1:
            v = a1_get(p.admin1, 0.0)
            s += 2.0 * (v if v <= 2.0 else 2.0)
        par = p.parent
        if par and ids_get(par, 0) > (par == own_id) + (par == own_parent):
            s += 6.0
        elif p.feature == "quarter":
            s -= 2.0
        if near is not None and p.feature not in ("country", "admin1") and p.lat is not None:
            s += near(p.lat, p.lon)
        if s > best_s:
            best, best_s = p, s
    return best, best_s


# the compiled twin of best_py, when built
best = _scan.best if _scan is not None else best_py


def round_picks_py(places: list[Place], reps: list, same: dict[str, list[int]], counted: dict,
                   counted_ids) -> list[tuple[Place | None, float]]:
    """One round of resolve's context (rounds 2-3): each group's best candidate and score given
    the other groups' picks (``reps``: [mentions, scored, weight, pick, score] per group,
    ``same``: a key -> its groups, ``counted``: a pick's id -> its ``counted_ids``). In C
    when the places scan is built (``_scan.round_picks``: the same floats, the votes of the
    left-out picks taken off as they are read instead of from copies of the totals)."""
    cc_t: dict[str, float] = {}
    a1_t: dict[str, float] = {}
    ids_t: dict[str, int] = {}
    for ms, _, w, p, _ in reps:
        if p is None:
            continue
        cc_t[p.cc] = cc_t.get(p.cc, 0.0) + w
        if p.admin1:
            a1_t[p.admin1] = a1_t.get(p.admin1, 0.0) + w
        ids = counted.get(p.id)
        if ids is None:
            ids = counted[p.id] = counted_ids(p)
        for x in ids:
            ids_t[x] = ids_t.get(x, 0) + 1
    # the other picks' points: counted once, then each pick's own point left out (a
    # set per pick was quadratic); with more than 60 points the first 60 of each set
    n_pts: dict[tuple, int] = {}
    pick_pts = []  # (group, its pick's point), in group order, for the sets per pick
    for j, r in enumerate(reps):
        q = r[3]
        if q is not None and q.feature not in ("country", "admin1"):
            pt = (q.lat, q.lon)
            n_pts[pt] = n_pts.get(pt, 0) + 1
            pick_pts.append((j, pt))
    few = len(n_pts) <= 60
    every = _Points.of(n_pts)
    where = {x: k for k, x in enumerate(every.pts)}
    pt_of = dict(pick_pts)
    new = []
    # the groups of one name leave out the same picks' votes: worked out once per name
    votes_of: dict[str, tuple] = {}
    for k, (ms, scored, w, p, _) in enumerate(reps):
        key = ms[0].key
        got = votes_of.get(key)
        if got is None:
            cc_v, a1_v = cc_t, a1_t
            mine = [j for j in same[key] if reps[j][3] is not None]
            if mine:
                cc_v, a1_v = dict(cc_t), dict(a1_t)
                for j in mine:
                    q, wq = reps[j][3], reps[j][2]
                    cc_v[q.cc] -= wq
                    if q.admin1:
                        a1_v[q.admin1] -= wq
            got = votes_of[key] = (mine, cc_v, a1_v)
        mine, cc_v, a1_v = got
        ids_v = ids_t
        if len(mine) > (p is not None):  # the own pick's ids are left out by best
            ids_v = dict(ids_t)
            for j in mine:
                if j != k:
                    for x in (reps[j][3].id, reps[j][3].parent):
                        if x in ids_v:
                            ids_v[x] -= 1
        if len(scored) < 2:
            pts = None  # one candidate: no closeness to weigh (best asks for none)
        elif not few:
            pts = _Points.of(list({pt for j, pt in pick_pts if j not in mine and j != k})[:60])
        elif len(mine) > (p is not None):
            # at most 60 points, so that set would be sorted whole: every point but those
            # that only the left-out groups picked, in every's order
            gone: dict[tuple, int] = {}
            for j in {*mine, k}:
                pt = pt_of.get(j)
                if pt is not None:
                    gone[pt] = gone.get(pt, 0) + 1
            # mostly none or one of every's points is gone: every itself, or every with
            # that one skipped (closeness reads a set: skipping is leaving out)
            at = [where[x] for x, c in gone.items() if c >= n_pts[x] and x in where]
            if not at:
                pts = every
            elif len(at) == 1:
                pts = _Points(every.pts, every.lats, at[0])
            else:
                left = [x for x in every.pts if n_pts[x] > gone.get(x, 0)]
                pts = _Points(left, [la for la, _ in left])
        elif p is not None and p.feature not in ("country", "admin1") and n_pts[(p.lat, p.lon)] == 1:
            pts = _Points(every.pts, every.lats, where.get((p.lat, p.lon), -1))
        else:
            pts = every
        new.append(best(places, scored, cc_v, a1_v, ids_v, pts, p))
    return new


# the compiled twin of round_picks_py, when built
round_picks = _scan.round_picks if _scan is not None else round_picks_py


# Words between a name and the larger place it lies in: "X في ريف حماة", "X قرب الرقة",
# "X بمدينة نابلس", "X التابعة لمحافظة ..." (each may carry ب/ل). Directions are left out: "X
# شمال Y" may lie far from Y (تبوك شمال غرب المدينة المنورة).
_NEST_WORDS = set(words(_FILE, "nest_word")) | {""}  # "" : nothing between the two names
_NEST_FEATURES = {"country", "admin1", "admin2", "city"}
NEST_KM = 100.0  # a place further than this from the town it is said to lie in is a namesake


_SMALL_CUES = {"village", "quarter", "area", "camp", "mountain", "valley"}
_SMALL_FEATURES = {"village", "quarter", "camp", "admin2"}


def _lone_abroad(reps: list, places: list[Place]) -> dict[int, tuple[Place | None, float]]:
    """The groups whose pick is a small place (a village, a quarter, a district, a town under
    SMALL_POP) in a country of which the report names no other town or governorate (or a
    governorate of a country it names nowhere else), said in sentences that each name a sure
    town or governorate of another country and nothing of the pick's ("منطقتي الزوية والصكرة
    شمال شرق قضاء حديثة" in a report on Anbar: Fiq District, Syria; "بمديرية حرض وحيران
    وحيدان" in Yemen: Hiiraan, Somalia): a namesake of a place the gazetteer lacks. Group
    index -> its candidate in such another country, else (None, 0.0)."""
    inner: dict[str, set[str]] = {}  # country -> the names of its towns and governorates picked
    whole: set[str] = set()  # the countries named as such
    for ms, _, _, p, sc in reps:
        if p is None:
            continue
        if p.feature == "country":
            whole.add(p.cc)
        else:
            keys = inner.get(p.cc)
            if keys is None:  # (setdefault would build a set for every pick)
                inner[p.cc] = {ms[0].key}
            else:
                keys.add(ms[0].key)
    # (a pick below SURE places no event anyway: dropped, it would become an unknown place)
    asked = [k for k, (ms, _, _, p, sc) in enumerate(reps)
             if not (p is None or sc < SURE or ms[0].hashtag or ms[0].demonym or not (
                 p.feature in _SMALL_FEATURES or (p.feature == "city" and p.population < SMALL_POP)
                 or (p.feature == "admin1" and p.cc not in whole)) or len(inner[p.cc]) > 1)]
    if not asked:  # most reports: no group to test, so no table of sentences to build
        return {}
    by_sent: dict[int, list[tuple[str, bool]]] = {}  # sentence -> (country, a sure town or more)
    for ms, _, _, p, sc in reps:
        if p is None:
            continue
        for m in ms:
            by_sent.setdefault(m.sent, []).append(
                (p.cc, p.feature != "country" and sc >= SURE and not m.weak and not m.demonym))
    out = {}
    for k in asked:
        ms, cands, _, p, sc = reps[k]
        others: set[str] = set()
        for m in ms:
            here = by_sent[m.sent]
            sure = {cc for cc, s in here if s and cc != p.cc}
            if not sure or sum(cc == p.cc for cc, _ in here) > sum(n.sent == m.sent for n in ms):
                break
            others |= sure
        else:
            alt = [(i, s) for i, s in cands if places[i].cc in others]
            out[k] = (places[max(alt, key=lambda c: c[1])[0]], sc) if alt else (None, 0.0)
    return out


_GAP_MARKS = re.compile(r"[()«»\"']")  # (compiled once: re.sub by a pattern's text asks re's cache each call)


def _nest_gap(gap: str) -> bool:
    """Whether the words between two names say the second contains the first."""
    if "," in gap or "\n" in gap:
        return False  # "حلب، في حمص" lists two places
    words = _GAP_MARKS.sub(" ", gap).split()
    if not words or len(words) > 3:
        return False
    if words[:2] == ["بالقرب", "من"]:
        words = words[2:]
    for k, w in enumerate(words):
        if w == "ل" and (k == 0 or words[k - 1] not in ("التابعه", "التابع")):
            return False  # "تعز لـ«الرياض»": to, not in
        if not (w in _NEST_WORDS or (w[:1] in "بل" and w[1:] in _NEST_WORDS)
                or (w[:2] in ("وب", "فب", "في") and w[2:] in _NEST_WORDS)):
            return False
    return True


def _fits(p: Place, outer: Place, country_like: bool, main: Place | None = None) -> bool:
    """Whether p may lie in (or near) the larger place outer (or near main, the main town of
    a governorate outer, whose centroid may lie far out in a desert)."""
    if p.cc != outer.cc:
        return False
    if country_like or (p.admin1 and p.admin1 == outer.admin1):
        return True
    return p.lat is not None and any(q is not None and q.lat is not None
                                     and _km(p.lat, p.lon, q.lat, q.lon) <= NEST_KM for q in (outer, main))


def nest_next_py(ms: list[Mention], k: int, nest_features=_NEST_FEATURES) -> int:
    """The largest j <= k (j >= 1) whose pair ms[j - 1], ms[j] may be a name and the larger
    place it lies in, by their own fields and features (same sentence, within 30 letters, both
    resolved, the first no country or governorate or region, the second a country, governorate,
    district or town); else 0. The mentions' own fields first: most pairs stand apart, and a
    place's field is a slower read."""
    if k >= len(ms):
        raise IndexError("list index out of range")
    while k > 0:
        m, n = ms[k - 1], ms[k]
        if not (m.sent != n.sent or n.start - m.end > 30 or m.place is None or n.place is None
                or m.place.feature in ("country", "admin1", "region")
                or n.place.feature not in nest_features):
            return k
        k -= 1
    return 0


# in C when the places scan is built (``_scan.nest_next``: about 10,000 pairs over news300's
# reports, three in four in different sentences or apart)
nest_next = _scan.nest_next if _scan is not None else nest_next_py


def check_nesting(mentions: list[Mention], text: str, places: list[Place], capital: dict | None = None) -> None:
    """A name followed by the larger place it lies in (خربة X في ريف حماة، الحويجة قرب الرقة)
    must be resolved inside it: else the best candidate that is, else it stays unresolved
    (the event then goes to the larger place). Stops wrong namesakes far away."""
    ms = [m for m in mentions if not m.demonym]
    ms.sort(key=_START)
    # the outer place first: "مكيراس بمدينة البيضاء وسط اليمن" needs البيضاء in Yemen (by index:
    # no list of pairs made and reversed); each next pair asked after the last one's change
    k = len(ms) - 1
    while k > 0:
        k = nest_next(ms, k, _NEST_FEATURES)
        if k == 0:
            break
        m, n = ms[k - 1], ms[k]
        k -= 1
        if not _nest_gap(text[m.end:n.start]):
            continue
        if m.place.feature == "city" and n.place.feature == "city" and m.place.population > n.place.population:
            continue  # a town does not lie in a smaller one: "في" belongs to the event
        # تونس، الكويت: a capital named like its country stands for the country here
        country_like = n.place.feature == "country" or any(
            places[i].feature == "country" and places[i].cc == n.place.cc for i, _ in n.cands)
        main = places[capital[n.place.admin1]] if (
            capital and n.place.feature == "admin1" and n.place.admin1 in capital) else None
        if _fits(m.place, n.place, country_like, main):
            continue
        alt = [(i, s) for i, s in m.cands if _fits(places[i], n.place, country_like, main)]
        if alt:
            m.place = places[max(alt, key=lambda c: c[1])[0]]
        else:
            m.place, m.score = None, 0.0


SMALL_POP = 20_000  # a town this small is as likely a namesake as the place meant
_MINOR = {"village", "city", "quarter", "camp"}  # not regions (الصعيد) that span governorates


def _admin1_keys(mentions: list[Mention]) -> dict[str, set[str]]:
    """Governorate (ISO 3166-2) -> the names (keys) of the mentions resolved in it."""
    out: dict[str, set[str]] = {}
    for m in mentions:
        if m.place is not None and m.place.admin1:
            out.setdefault(m.place.admin1, set()).add(m.key)
    return out


def check_governorate(mentions: list[Mention], places: list[Place], capital: dict | None = None) -> None:
    """A small place in a sentence that names a governorate (محافظة الضالع ... موقع الجميمة)
    lies in that governorate unless the report names another place of its own: a namesake
    elsewhere in the country (a Hajjah village) gives way to a candidate in the governorate,
    else the mention stays unresolved and the event goes to the governorate."""
    gov: dict[int, list[Place]] = {}
    small = []  # the small places that may lie in a governorate named (one pass reads each place)
    for m in mentions:
        p = m.place
        if p is None:
            continue
        feature = p.feature
        if feature == "admin1":
            if not m.demonym:
                gov.setdefault(m.sent, []).append(p)
        elif feature in _MINOR and not m.hashtag and p.population < SMALL_POP:
            small.append(m)
    if not gov or not small:
        return
    # a governorate's main town stands for it in the distance test: a large governorate's
    # centroid may lie far out in the desert (Giza's)
    where = {g.admin1: [(g.lat, g.lon)] for gs in gov.values() for g in gs}
    for a1 in where:
        if capital and a1 in capital:
            c = places[capital[a1]]
            where[a1].append((c.lat, c.lon))
    admin1_keys: dict[str, set[str]] | None = None  # governorate -> names resolved in it (when asked)
    for m in small:
        if m.sent not in gov:
            continue
        p = m.place
        same_cc = [g for g in gov[m.sent] if g.cc == p.cc]
        if not same_cc or any(g.admin1 == p.admin1 for g in same_cc):
            continue
        if admin1_keys is None:  # (before any mention's place changes below)
            admin1_keys = _admin1_keys(mentions)
        if len(admin1_keys[p.admin1]) > 1:
            continue
        if p.lat is not None and any(la is not None and _km(p.lat, p.lon, la, lo) <= NEST_KM
                                     for g in same_cc for la, lo in where[g.admin1]):
            continue  # near the governorate named: a neighbour's town, not a namesake
        alt = [(i, s) for i, s in m.cands if any(places[i].admin1 == g.admin1 for g in same_cc)]
        if alt:
            m.place = places[max(alt, key=lambda c: c[1])[0]]
        else:
            m.place, m.score = None, 0.0


