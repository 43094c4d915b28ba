"""Country adjectives (nisba: الفرنسي، التشيكية): the one list and test behind the name rules
that read them (an organisation ending before its country's adjective, a person introduced or
left out by a nationality)."""

from __future__ import annotations

from functools import lru_cache

from .features import word_list


@lru_cache(maxsize=1)
def country_adjectives() -> frozenset[str]:
    """Country adjectives without the article, masculine and feminine (تشيكي، إيطاليه): the places
    gazetteer's demonyms and those of data/nationalities.tsv, which the gazetteer lacks."""
    from ..places.gazetteer import load   # the gazetteer is loaded with the tagger's lexicons
    listed = word_list("nationalities.tsv")
    return load().demonyms | listed | {w + "ه" for w in listed}


def country_adjective(word: str) -> bool:
    """The (normalised) word is a country adjective with its article (الفرنسي، الايطاليه)."""
    return word[:2] == "ال" and word[2:] in country_adjectives()
