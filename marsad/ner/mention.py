"""A mention of a name in a document's tokens, and the tests on tokens that the tagger's clean-up
rules (``tagger``, ``persons``) share."""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter

from .native import decoder


@dataclass(slots=True)
class Mention:
    type: str       # LOC / PER / ORG / MISC
    first: int      # index of its first token in doc.tokens
    last: int       # index of its last token (inclusive)
    score: float    # mean probability of its labels given their neighbours' (see Tagger._scores)
    gazetteer: bool = False  # a gazetteer name covers one of its words (the places step finds it)
    in_gazetteer: bool = False  # PER / ORG with a gazetteer place name among its words (كوباني، جامعة الأنبار)


FIRST = attrgetter("first")   # the mentions' sort key: a C call, not a Python frame per mention


def in_order(mentions: list[Mention]) -> list[Mention]:
    """The mentions sorted by their first token (stable: of two with one start, the earlier in
    the list comes first), as each rule returns them (in C where built, ``_decode.in_order``:
    most calls put a few added mentions into a sorted list)."""
    if decoder is not None:
        return decoder.in_order(mentions)
    return sorted(mentions, key=FIRST)


def one_space(doc, i: int, j: int) -> bool:
    """Tokens i and j stand in one sentence with one space between them (the rules below join
    or read words as one name only so)."""
    toks = doc.tokens
    return toks[i].sent == toks[j].sent and doc.norm[toks[i].end:toks[j].start] == " "


# A nisba adjective with the article (العالمية، الآسيوي), normalised (ة is ه); not الذي، التي.
NISBA = re.compile(r"ال..+يه?")
