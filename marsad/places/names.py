"""Arabic place-name keys and their variants.

Every name in the gazetteer and every mention in a text is compared through ``name_key``:
the project's normalisation (hamza forms, ة/ه, ى/ي, diacritics, tatweel), hashtag underscores
and dashes read as spaces. The definite article is split off (``core_and_article``) so that
one key serves القاهرة، بالقاهرة، للقاهرة and والقاهرة; the matcher then checks the clitics
actually written before the name against whether the name carries ال.
"""

from __future__ import annotations

import re

from ..text import normalize_key

# Generic words written before a place name ("محافظة حمص", "حي الخالدية"). They are cues for
# the kind of place, and gazetteer names that start with them also get a bare variant.
GENERIC_FEATURE = {
    "محافظه": "admin1", "ولايه": "admin1", "اقليم": "province", "امارة": "admin1", "اماره": "admin1",
    "مديريه": "admin2", "قضاء": "admin2", "ناحيه": "admin2", "مركز": "admin2", "منطقه": "area",
    "مدينه": "city", "بلده": "village", "قريه": "village", "بلدات": "village", "قري": "village",
    "حي": "quarter", "مخيم": "camp", "ريف": "countryside",
    "دوله": "country", "جمهوريه": "country", "مملكه": "country", "سلطنه": "country",
    "مطار": "airport", "قاعده": "base", "معبر": "crossing", "جزيره": "island",
    "قطاع": "area", "جبل": "mountain", "وادي": "valley", "سهل": "area", "بادية": "area", "باديه": "area",
    # duals: "محافظتي درعا والقنيطرة", "قريتي تل أعور والفريكة"
    "محافظتي": "admin1", "مدينتي": "city", "بلدتي": "village", "قريتي": "village",
}
# إقليم is a governorate in Iraq (إقليم كردستان) but in Turkish news also a district or town
# (إقليم سيلوبي): the cue kind "province" fits all of these.

# Names that are also a common dual word ("القريتين" = "the two villages" just named): a place
# only after a cue word, as a hashtag, or when the report names another place of its
# governorate.
NEEDS_ADMIN1_CONTEXT = {"قريتين"}
# Cue words after which an unknown word is still kept as a place mention (unresolved).
UNKNOWN_CUES = ("بلده", "قريه", "حي", "مخيم", "ناحيه", "مدينه", "منطقه", "مديريه",
                "قضاء", "ريف", "جبل", "معبر", "مطار", "قاعده")

# Words that refer back to a place already named ("the city", "the capital"): never a name,
# whatever a gazetteer lists (GeoNames has المدينة for Medina).
ANAPHORIC = {"المدينه", "العاصمه", "الدوله", "المنطقه", "المحافظه", "البلده", "القريه", "الحي",
             "المخيم", "الريف", "الشمال", "الجنوب", "الشرق", "الغرب", "البلاد", "الاقليم", "الولايه",
             "المديريه", "الناحيه", "القضاء", "المركز", "المملكه المتحده للدوله"}

# Names that refer to the outlet's own country rather than to where something happens: "the
# Kingdom" in Saudi and Jordanian outlets is mostly an actor (أدانت المملكة). Such a mention is a
# place and context for the others, but no event is placed at it.
CONTEXT_ONLY = {"مملكه"}

# Name cores that are part of an idiom after the given words: "على الصعيد الميداني" (on the
# field level) names neither Upper Egypt nor Yemen's As Said.
IDIOM_AFTER = {"صعيد": {"علي", "وعلي"}}

# First words that make a longer village name with the word after them (خربة السودا، تل شعيب):
# a known name right after one of them is another place, which the gazetteer lacks.
COMPOUND_FIRST = {"خربه", "تل", "تله", "عين", "دير", "كفر", "بئر", "راس", "مزرعه", "حوش"}

# Proclitic sequences allowed before a name (normalised). "ال" is checked separately.
_PLAIN_PROCLITICS = {"", "و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك", "فك", "لب", "ولب"}
_AL_PROCLITICS = {"ال", "وال", "فال", "بال", "كال", "وبال", "فبال", "وكال", "لل", "ولل", "فلل"}

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


# Generic words that gazetteer names may carry and that are dropped for a bare variant; جبل،
# وادي، سهل، جزيرة are part of names (جبل لبنان is not لبنان).
_STRIPPABLE = set(GENERIC_FEATURE) - {"جبل", "وادي", "سهل", "جزيره", "باديه", "بادية", "مطار", "قاعده", "معبر"}


def strip_generic(key: str) -> str | None:
    """The name without a leading generic word ("محافظه حمص" -> "حمص"), or None."""
    first, _, rest = key.partition(" ")
    if rest and first in _STRIPPABLE and len(rest) >= 3:
        return rest
    if rest and first.startswith("ال") and first[2:] in GENERIC_FEATURE and len(rest) >= 3 \
            and first[2:] not in ("مدينه",):  # "المدينة المنورة" is a name, not "city of"
        return None  # "المنطقة الشرقية": the article makes it part of the name
    return None


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
        # "ابو"/"ام"/"بني"/"عين"/"دير"/"تل"/"كفر"/"بيت" names written with or without a space
        if len(parts) == 2 and parts[0] in ("ابو", "ام", "بني", "عين", "دير", "تل", "كفر", "بيت", "بئر", "راس", "ذي", "جسر"):
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


# A small Arabic -> Latin transliteration for names the gazetteer has no English form for.
_TRANSLIT = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h",
    "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d",
    "ط": "t", "ظ": "z", "ع": "'", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m",
    "ن": "n", "ه": "h", "ة": "a", "و": "w", "ي": "y", "ى": "a", "ء": "'", "ؤ": "'", "ئ": "'",
}


def transliterate(ar: str) -> str:
    """Rough Latin spelling of an Arabic name (used only when no English name is known)."""
    words = []
    for w in name_key(ar).split():
        if w.startswith("ال") and len(w) > 3:
            w = w[2:]
            pre = "Al "
        else:
            pre = ""
        lat = "".join(_TRANSLIT.get(c, c) for c in w).replace("'", "")
        lat = re.sub(r"(?<=[bcdfghjklmnpqrstvwxz])w(?=[bcdfghjklmnpqrstvwxz])", "u", lat)
        lat = re.sub(r"(?<=[bcdfghjklmnpqrstvwxz])y(?=[bcdfghjklmnpqrstvwxz])", "i", lat)
        words.append(pre + lat.capitalize())
    return " ".join(words)


_NO_DEMONYM = {"الشام", "المملكه", "المحروسه", "امارات", "هند", "صين", "يمن", "عراق", "كويت", "بحرين"}


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
