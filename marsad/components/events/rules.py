"""The hand-set rules' tables: trigger kinds and their precedence, the score weights and
thresholds, the cue sets that block an incident, and the word patterns several steps share."""

from __future__ import annotations

import re
from functools import lru_cache

from ...doc import Doc, Span
from .kinds import type_of
from .native import _fast
from .words import words


# Kinds in order of precedence when one clause holds several (first wins).
PRECEDENCE = ["territory", "battle", "suicide", "chemical", "grenade", "ied_specific", "air", "shell",
              "ied", "vac", "abduct", "sexual", "attack", "arrest", "loot", "agree", "transfer",
              "change", "disrupt", "kill", "wound"]
PROTEST_KINDS = {"protest", "riot", "intervention"}
DEFAULT_TOLL_KINDS = {"kill", "wound"}
# violence that makes a mixed protest sentence an attack or a clash (a protest that turns deadly)
ASSAULT_KINDS = {"kill", "wound", "battle", "attack", "vac", "shell", "air", "ied", "ied_specific", "suicide",
                 "grenade", "chemical", "territory", "abduct"}
# kinds whose words name one precise way of attacking: surer than "attack" or "killed"
SPECIFIC_KINDS = {"air", "suicide", "ied_specific", "grenade", "chemical"}
# Triggers that only say someone died or was hurt: they join the incident next to them.
DEPENDENT = {"kill", "wound"}
# Generic words whose sub-type comes from the weapon or the other trigger.
GENERIC_IED = set(words("generic_ied"))
# Words naming a campaign rather than a fight (triggers.tsv patterns)
CAMPAIGN_WORDS = set(words("campaign"))
# Explosive devices (their kinds) and the arrest triggers that seize things (ضبط), for disrupted()
EXPLOSIVE_KINDS = {"ied", "ied_specific", "suicide", "grenade", "chemical"}
_DEFUSABLE = EXPLOSIVE_KINDS | {"arrest"}  # kinds a defused or seized explosive is read as
SEIZE_WORDS = set(words("seize"))
BLOCKING = {"negation", "threat", "conditional", "condemnation", "call", "opinion", "question", "generic"}
# What CODING.md defines as no event (denials, threats and plans, conditionals, questions, court
# punishments) stays out even for the learned detector; the other cues are its features.
HARD_CUES = {"negation", "threat", "conditional", "question", "judicial"}
# Condemnations/opinions block unless the sentence gives the incident a toll or a date.
SOFT_BLOCKING = {"condemnation", "opinion"}

# kind -> (event_type, sub_event_type, plover_type): from marsad/lang/ar/event_kinds.tsv
TYPE_OF = type_of()

# Weapon labels (core-arguments' English names) -> the kind they make a generic attack.
WEAPON_KIND = [
    (("suicide", "explosive belt", "explosive vest"), "suicide"),
    (("chemical", "chlorine", "sarin", "gas"), "chemical"),
    (("grenade",), "grenade"),
    (("barrel", "aircraft", "airstrike", "air strike", "warplane", "plane", "jet", "helicopter", "drone",
      "aerial"), "air"),
    (("car bomb", "ied", "improvised", "landmine", "mine", "explosive device", "sticky bomb", "vbied",
      "bomb"), "ied_specific"),
    (("mortar", "artillery", "tank", "rocket", "missile", "shell", "katyusha", "grad", "rpg",
      "howitzer", "cannon"), "shell"),
]


FUTURE_PREFIX = {"وس", "فس", "س"}
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# Light cues used only to weigh an incident (the dates and numbers layers do the real work):
# a time word in the sentence, a number next to a killed/wounded word.
TIME = re.compile(r"(?<!\w)[وفبل]?(?:%s)(?!\w)" % "|".join(words("time_word")))
NUMBER = re.compile(r"(?<!\w)(?:\d+|[وب]?(?:احد|اثن|ثلاث|اربع|خمس|ست|سبع|ثمان|تسع|عشر|ميه|مايه|الف|عشرات|"
                     r"ميات|عدد|بضعه|عده)\w*)(?!\w)")
# (each match of NUMBER holds a digit or one of these whole: actors.number_in searches only there)
NUMBER_WORDS = ("احد", "اثن", "ثلاث", "اربع", "خمس", "ست", "سبع", "ثمان", "تسع", "عشر", "ميه", "مايه", "الف", "ميات",
                "عدد", "بضعه", "عده")
# Weights of what makes a sentence state an incident (tuned on the GSR dev sentences against
# CODING.md's definition; see tests/core for the cases they must keep apart).
W_VERB, W_STRONG, W_WEAK, W_SPECIFIC, W_EXPLICIT = 1.4, 1.0, 0.3, 0.3, 0.2
W_TOLL, W_KILLWORD, W_TIME, W_AGENT, W_VICTIM, W_PLACE, W_WEAPON, W_SOURCE = 1.0, 0.3, 0.5, 0.4, 0.2, 0.3, 0.2, 0.2
W_BOTH_SIDES = 0.4       # a battle stated with a verb between two named sides
THRESHOLD = 2.7          # incidents (ASSAULT and others)
PROTEST_THRESHOLD = 2.1  # protests are scored on their own features
# taking ground, arrests, agreements come without a toll: a lower bar
NONLETHAL_KINDS = {"territory", "arrest", "agree", "transfer", "loot", "abduct"}
NONLETHAL_THRESHOLD = 2.1
SUPPORT_MARGIN = 1.0     # below the threshold by less than this: a supporting mention
ONGOING_MARGIN = 0.8     # fighting stated with a verb at a named place: kept in a news report
PROTEST_SUPPORT = re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(words("protest_support")))
_CROWD_WORDS = ("الاف", "الالاف", "ميات", "الميات", "عشرات", "العشرات", "حشد", "حشود", "الجماهير", "جماهير")
CROWD = re.compile(r"(?<!\w)(?:%s|\d+)(?!\w)" % "|".join(_CROWD_WORDS))


# TIME, PROTEST_SUPPORT and CROWD asked of a sentence by its words instead (its tokens: the runs of
# \w that their (?<!\w) ... (?!\w) delimit), by set look-ups: a pattern matches where a whole
# token is one of its words (TIME: after at most one of its proclitic letters; CROWD: or digits)
def _token_set(ws: list[str], prefixes: str = "") -> frozenset[str] | None:
    if not all(re.fullmatch(r"\w+", w) for w in ws):
        return None    # a word of several tokens: only the pattern can tell
    return frozenset(ws) | {p + w for p in prefixes for w in ws}


_TIME_SET = _token_set(words("time_word"), "وفبل")
_SUPPORT_SET = _token_set(words("protest_support"))
_CROWD_SET = _token_set(list(_CROWD_WORDS))


def time_in(text: str, toks: list[str]) -> bool:
    """TIME.search(text), ``toks`` being the words of ``text`` (a sentence's tokens)."""
    return bool(TIME.search(text)) if _TIME_SET is None else not _TIME_SET.isdisjoint(toks)


def protest_support_in(text: str, toks: list[str]) -> bool:
    """PROTEST_SUPPORT.search(text), from the words of ``text``."""
    return bool(PROTEST_SUPPORT.search(text)) if _SUPPORT_SET is None else not _SUPPORT_SET.isdisjoint(toks)


def crowd_in(text: str, toks: list[str]) -> bool:
    """CROWD.search(text), from the words of ``text``."""
    if _CROWD_SET is None:
        return bool(CROWD.search(text))
    return not _CROWD_SET.isdisjoint(toks) or any(map(str.isdecimal, toks))
PRO_GOVERNMENT = ("Popular Resistance", "Popular Mobilization", "Saudi-led Coalition", "Peshmerga",
                  "Coalition", "Military Forces", "Police Forces", "Government")
NEIGHBOUR_BEFORE = re.compile(r"(?:الحدود|الحدوديه|الحدودي|حدود|حدوده|حدودها)\s+(?:البريه\s+|الشماليه\s+|الجنوبيه\s+|"
                               r"الشرقيه\s+|الغربيه\s+)?مع\s+$|(?:المحاذيه|المحاذي|المتاخمه|المتاخم)\s+(?:ل|لل)$")
# a word each NEIGHBOUR_BEFORE match holds (الحدود، حدودها ... hold حدود): where none is, the
# pattern is not tried (context.py)
NEIGHBOUR_WORDS = ("حدود", "المحاذي", "المتاخم")
AND_ONLY = re.compile(r"^\s*,?\s*و\s*$")
BACKGROUND_DAYS = 30
# cues whose subject speaks about an incident (a country named next to them is the speaker)
SPEAKS = {"condemnation", "attribution", "call", "opinion"}
NEXT_WORDS = 4  # reach of a "next" cue (negation particles, "the case of", "in the aftermath of")


@lru_cache(maxsize=None)   # asked per candidate for the same few weapon labels
def weapon_kind(label: str) -> str | None:
    low = label.lower()
    for keys, kind in WEAPON_KIND:
        if any(k in low for k in keys):
            return kind
    return None


def trigger_kind(sp: Span) -> str:
    kind = sp.data["kind"]
    if kind == "ied" and sp.data.get("strength", 1) >= 1 and sp.data["pattern"] not in GENERIC_IED:
        return "ied_specific"
    return kind


_VERB_SUFFIX = ("ت", "وا", "تا", "ه", "ها", "هم", "وه", "وها", "تها", "ته", "تهم", "نا")


def is_verb(doc: Doc, t: Span) -> bool:
    """A verb form: listed as one, or a form shared with the verbal noun (قصف، قتل) read as a
    verb when it carries a verb suffix or opens its clause without the article or a preposition."""
    pos = t.data.get("pos", "n")
    if pos == "v" or (pos == "vi" and t.data.get("title")):
        return True
    if pos != "vn":
        return False
    prefix = t.data.get("prefix", "")
    if prefix not in ("", "و", "ف"):
        return False
    word = doc.norm[t.data["core_start"]:t.data["n1"]]
    pat = t.data["pattern"]
    if len(word) > len(pat) and word[len(pat):] in _VERB_SUFFIX:
        return True
    # (only this paragraph's text: the first word after a headline opens its sentence)
    before = doc.norm[max(0, t.data["n0"] - 3):t.data["n0"]].rsplit("\n", 1)[-1]
    return prefix in ("و", "ف") or not before.strip() or before.rstrip()[-1:] in ',:;"('


def _strength_py(t: Span) -> int:
    s = t.data.get("strength", 1)
    if t.data.get("pos") == "vi" and not t.data.get("title"):
        return 1   # an imperfect verb in the body: ongoing, habitual or planned
    # a definite generic noun (القتل، القصف) with nothing else is talk about violence, not an event
    if s >= 2 and t.data.get("prefix", "").endswith("ال") and t.data["kind"] in ("kill", "shell", "attack", "vac"):
        return 1
    return s


strength = _strength_py if _fast is None else _fast.strength   # (the same, compiled: native.py)


def disrupted(g: list[Span]) -> bool:
    """CODING.md: an explosive defused, dismantled or seized ("تفكيك 15 عبوة ناسفة"، "ضبط عبوات")
    is Strategic developments / Disrupted weapons use, not an explosion: a clause naming explosives
    with a disruption (or a seizure), none of them going off (a verb: انفجرت، فجروا) and no one
    killed or hurt. The explosive words outrank the disruption in PRECEDENCE, so this is asked
    apart. (_cand.pyx's disrupted_c is this code typed: change both.)"""
    kinds = {t.data["kind"] for t in g}
    if not kinds & EXPLOSIVE_KINDS or kinds & DEPENDENT:
        return False
    if any(t.data["kind"] in EXPLOSIVE_KINDS and t.data.get("pos") in ("v", "vi") for t in g):
        return False
    return "disrupt" in kinds or any(t.data["kind"] == "arrest" and t.data["pattern"] in SEIZE_WORDS for t in g)


def defused_kind(kind: str, g: list[Span]) -> str:
    """The group's kind, or "disrupt" where its explosive was defused or seized (disrupted())."""
    return "disrupt" if kind in _DEFUSABLE and disrupted(g) else kind


def primary_kind(kinds: set[str]) -> str:
    """The group's kind of its kinds (_cand.pyx's primary_kind_c is this code typed: change both)."""
    if kinds & PROTEST_KINDS and not kinds & ASSAULT_KINDS:
        if "riot" in kinds:
            return "riot"
        if "protest" in kinds and ("intervention" in kinds or "arrest" in kinds):
            return "intervention"
        if "protest" in kinds:
            return "protest"
        if "intervention" in kinds:
            return "intervention"
    for k in PRECEDENCE:
        if k in kinds:
            return k
    return next(iter(kinds))
