"""Doc.in_sentence answers from an index that follows the layer, however spans are added."""

from __future__ import annotations

from marsad.doc import Doc


def test_in_sentence_follows_additions_and_replacements():
    doc = Doc("قصف على حلب. اشتباكات في حمص. مظاهرة في درعا.")
    assert doc.in_sentence("places", 0) == []
    a = doc.add("places", doc.span(8, 11, "Aleppo", 0))
    b = doc.add("places", doc.span(25, 28, "Homs", 1))
    assert doc.in_sentence("places", 0) == [a] and doc.in_sentence("places", 1) == [b]
    c = doc.span(9, 11, "Aleppo city", 0)
    doc.layers["places"].append(c)  # components also append to the list directly
    assert doc.in_sentence("places", 0) == [a, c]
    doc.layers["places"] = [b]      # or replace it
    assert doc.in_sentence("places", 0) == [] and doc.in_sentence("places", 1) == [b]
    got = doc.in_sentence("places", 1)
    got.clear()                     # the caller's list is its own
    assert doc.in_sentence("places", 1) == [b]
