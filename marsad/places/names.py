"""Arabic place-name keys and their variants.

Every name in the gazetteer and every mention in a text is compared through ``name_key``:
the project's normalisation (hamza forms, ة/ه, ى/ي, diacritics, tatweel), hashtag underscores
and dashes read as spaces. The definite article is split off (``core_and_article``) so that
one key serves القاهرة، بالقاهرة، للقاهرة and والقاهرة; the matcher then checks the clitics
actually written before the name against whether the name carries ال.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..lexicon import load_tsv, word_lists, words
from ..text import normalize_key

_FILE = "place_name_words.tsv"  # the word lists, with their sources (marsad/lang/ar/)

# Generic words written before a place name ("محافظة حمص", "حي الخالدية"), with the kind of place
# each is a cue for; gazetteer names that start with one also get a bare variant. إقليم is a
# governorate in Iraq (إقليم كردستان) but in Turkish news also a district or town (إقليم سيلوبي):
# the cue kind "province" fits all of these.
GENERIC_FEATURE = {r["word"]: r["value"] for r in word_lists(_FILE)["generic"]}
# Names that are also a common dual word (القريتين): a place only after a cue word, as a hashtag,
# or when the report names another place of its governorate.
NEEDS_ADMIN1_CONTEXT = set(words(_FILE, "needs_admin1_context"))
# Cue words after which an unknown word is still kept as a place mention (unresolved); in file
# order, the order the cue regex tries them in.
UNKNOWN_CUES = tuple(words(_FILE, "unknown_cue"))
# Those of them that are also common nouns in another sense (قاعدة "basis", قضاء "spending",
# ناحية "side"): what follows them is often no name (places/component.py, ``_common_after_cue``).
TWO_SENSE_CUES = set(words(_FILE, "two_sense_cue"))
# Those whose normalised final ه is also the pronoun "his" (بلده "his country"): a cue only where
# the text writes ة.
TAA_CUES = set(words(_FILE, "taa_cue"))
# Words that refer back to a place already named ("the city", "the capital"): never a name.
ANAPHORIC = set(words(_FILE, "anaphoric"))
# Names of the outlet's own country ("the Kingdom"): a place and context, but no event is placed at it.
CONTEXT_ONLY = set(words(_FILE, "context_only"))
# Name cores that are part of an idiom after the given words (على الصعيد الميداني).
IDIOM_AFTER: dict[str, set[str]] = {}
for _r in word_lists(_FILE)["idiom_after"]:
    IDIOM_AFTER.setdefault(_r["word"], set()).add(normalize_key(_r["value"]))
# First words that make a longer village name with the word after them (خربة السودا، تل شعيب).
COMPOUND_FIRST = set(words(_FILE, "compound_first"))

# Proclitic sequences allowed before a name (normalised); a bare name needs none. "ال" is
# checked separately.
_PLAIN_PROCLITICS = {""} | set(words(_FILE, "plain_proclitic"))
_AL_PROCLITICS = set(words(_FILE, "al_proclitic"))

_SPACES = re.compile(r"\s+")
_STRIP = str.maketrans({c: " " for c in "_-#«»\"'()[]{}.,:;!?/\\|"})
_ARABIC = re.compile(r"[\u0621-\u064a]")


def is_arabic(s: str) -> bool:
    return bool(_ARABIC.search(s))


def name_key(name: str) -> str:
    """The normalised form of a name: spaces for underscores, dashes and punctuation."""
    return _SPACES.sub(" ", normalize_key(name).translate(_STRIP)).strip()


def core_and_article(key: str) -> tuple[str, bool]:
    """Split a leading ال off a normalised name: ("قاهره", True) for "القاهره"."""
    if key.startswith("ال") and len(key) > 4 and key[2] != " ":
        return key[2:], True
    return key, False


# Generic words that gazetteer names may carry and that are dropped for a bare variant; those
# that are part of names (جبل لبنان is not لبنان) are kept.
_STRIPPABLE = set(GENERIC_FEATURE) - set(words(_FILE, "part_of_name"))
# First words of two-word names also written joined (ابو كمال / ابوكمال).
_JOINED_FIRST = set(words(_FILE, "joined_first"))


def strip_generic(key: str) -> str | None:
    """The name without a leading generic word ("محافظه حمص" -> "حمص"), or None."""
    first, _, rest = key.partition(" ")
    if rest and first in _STRIPPABLE and len(rest) >= 3:
        return rest
    return None  # "المنطقة الشرقية", "المدينة المنورة": the article makes it part of the name


def key_variants(name: str, generic: bool = True) -> set[str]:
    """Normalised keys under which a gazetteer name is found in text.

    generic=False keeps a leading generic word (حي القاهرة stays a whole name: the bare
    القاهرة must not find the Taizz district)."""
    k = name_key(name)
    if not k or not is_arabic(k):
        return set()
    out = {k}
    bare = strip_generic(k) if generic else None
    if bare:
        out.add(bare)
    for v in list(out):
        # final hamza often dropped: البتراء / البترا
        if v.endswith("اء") and len(v) > 4:
            out.add(v[:-1])
        # a second word with ال is often written joined: حفر الباطن / حفرالباطن
        parts = v.split(" ")
        if len(parts) == 2 and parts[1].startswith("ال"):
            out.add(parts[0] + parts[1])
        # two-word names whose first word is ابو، ام، عين، دير ... written with or without a space
        if len(parts) == 2 and parts[0] in _JOINED_FIRST:
            out.add(parts[0] + parts[1])
    return {v for v in out if len(v.replace(" ", "")) >= 2 and v not in ANAPHORIC}


def proclitic_ok(prefix: str, has_article: bool) -> bool:
    """Whether the letters written before a name's core fit the name.

    A name with ال (القاهرة) takes ال or لل after optional و/ف/ب/ك (بالقاهرة, للقاهرة);
    a name without it (حمص) takes only و ف ب ل ك and their pairs (وبحمص, لحمص).
    """
    if has_article:
        return prefix in _AL_PROCLITICS
    return prefix in _PLAIN_PROCLITICS


def article_behind_lam(text: str, start: int) -> bool:
    """Whether the name at ``start`` (a gazetteer hit's start, its core) has its ال absorbed by a
    proclitic ل (للشرق الأوسط = ل + الشرق الأوسط): its text then reads like the bare core (شرق
    الأوسط), and the checks that tell a bare core by its first word (a generic word, a bearing)
    must not be asked. A plain name takes no لل before it (``plain_proclitic``)."""
    return text[start - 2:start] == "لل"


# A small Arabic -> Latin transliteration for names the gazetteer has no English form for, over
# normalised letters (translit.tsv, read as written).
_TRANSLIT = {r["letter"]: r["latin"] for r in load_tsv("translit.tsv")}
# the letters' table for str.translate (one C pass, not a join over a generator of look-ups)
_TRANSLIT_TABLE = str.maketrans(_TRANSLIT)
# w and y between consonants are the vowels u and i (compiled once: re.sub looks a pattern up
# in re's cache on every call)
_W_VOWEL = re.compile(r"(?<=[bcdfghjklmnpqrstvwxz])w(?=[bcdfghjklmnpqrstvwxz])")
_Y_VOWEL = re.compile(r"(?<=[bcdfghjklmnpqrstvwxz])y(?=[bcdfghjklmnpqrstvwxz])")


# a pure function of the name, kept: reports name an unknown place again and again (a call
# about 27,000 instructions: three translates, two substitutions)
@lru_cache(maxsize=4096)
def transliterate(ar: str) -> str:
    """Rough Latin spelling of an Arabic name (used only when no English name is known)."""
    words = []
    for w in name_key(ar).split():
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
            pre = "Al "
        else:
            pre = ""
        lat = w.translate(_TRANSLIT_TABLE).replace("'", "")
        if "w" in lat:
            lat = _W_VOWEL.sub("u", lat)
        if "y" in lat:
            lat = _Y_VOWEL.sub("i", lat)
        words.append(pre + lat.capitalize())
    return " ".join(words)


_NO_DEMONYM = set(words(_FILE, "no_demonym"))


def demonym_keys(key: str) -> set[str]:
    """Adjectives of a one-word country name (لبنان -> لبناني، اللبنانية، اللبنانيين ...)."""
    if " " in key or key in _NO_DEMONYM or len(key) < 3:
        return set()
    if key.endswith("ا") or key.endswith("ه"):
        stem = key[:-1] + "ي"
    else:
        stem = key + "ي"
    bare = stem[2:] if stem.startswith("ال") else stem
    out = set()
    for s in (bare, "ال" + bare):
        out.update({s, s + "ه", s + "ين", s + "ون", s + "ات"})
    return out
