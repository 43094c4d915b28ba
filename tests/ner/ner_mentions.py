"""Persons as the tagger would give them, for the tests of the tagger's person rules."""

from marsad.doc import Doc
from marsad.ner.tagger import Mention


def person_mentions(doc: Doc, *names: str) -> list[Mention]:
    """Each name (its words in the doc's text) as a PER mention where it first stands."""
    words = [t.norm for t in doc.tokens]
    out = []
    for name in names:
        first = words.index(Doc(name).tokens[0].norm)
        out.append(Mention("PER", first, first + len(name.split()) - 1, 0.8))
    return out
