"""What the compiled place of an incident (events/_sides.pyx) reads of PlaceIndex in C: the
report's main place (_sides.main_place) is attach.main_place's, the same span on real reports
and on random places layers (ties of count and start, no place_id, demonyms, context places,
every rank, a country asked that the report does not name, None and ""); a sentence's places
(_sides.index_here) are PlaceIndex.here's where the report's sentence index is stale or missing."""

from __future__ import annotations

import random

import pytest

from marsad.components.events import native
from marsad.doc import Doc, new_span
from marsad.places import attach

from twin_reports import reports

needs_sides = pytest.mark.skipif(native._sides is None, reason="events/_sides.pyx is not built (or MARSAD_PURE)")

FEATURES = ("quarter", "village", "city", "area", "admin2", "region", "admin1", "country", "other", None)


def _random_places(rng: random.Random) -> list:
    spans = []
    for i in range(rng.randrange(0, 14)):
        start = rng.randrange(0, 60) * 3   # (repeated starts: the tie after the count)
        d = {"place_id": rng.choice(("p1", "p2", "p3", None, 7)), "country_code": rng.choice(("YE", "SY", None, ""))}
        for k, vals in (("resolved", (True, False, None, 1)), ("demonym", (None, True)), ("context", (None, True)),
                        ("feature", FEATURES), ("geo_precision", (None, 1, 2, 3))):
            v = rng.choice(vals)
            if v is not None:
                d[k] = v
        spans.append(new_span(start, start + 4, "x", "x", i, d))
    return spans


def _countries(doc) -> set:
    return {s.data.get("country_code") for s in doc.layer("places")} | {None, "", "ZZ", "YE", "SY"}


@needs_sides
def test_compiled_main_place_equals_attach_main_place_on_random_layers():
    from marsad.components.events import _sides
    rng = random.Random(151)
    asked = 0
    for _ in range(3000):
        doc = Doc("x", None, {})
        places = _random_places(rng)
        if places or rng.random() < 0.5:   # (a report without the layer, and one with it empty)
            doc.layers["places"] = places
        for country in _countries(doc):
            assert _sides.main_place(doc, country) is attach.main_place(doc, country), country
            asked += 1
        assert _sides.main_place(doc) is attach.main_place(doc)
    assert asked > 10000


@needs_sides
def test_compiled_main_place_equals_attach_main_place_on_reports():
    from marsad.components.events import _sides
    from marsad.pipeline import default_pipeline

    nlp = default_pipeline()
    steps = [step for name, step in nlp.steps[:[n for n, _ in nlp.steps].index("events")]]
    named = 0
    for text, published in reports(seed=True):
        doc = Doc(text, published, {})
        for step in steps:
            step(doc)
        for country in _countries(doc):
            want = attach.main_place(doc, country)
            assert _sides.main_place(doc, country) is want
            named += want is not None
    assert named > 10


@needs_sides
def test_compiled_place_index_reads_as_placeindex_with_a_stale_index():
    # the sentence index made before a place was added (stale) or never made: made again
    from marsad.components.events import _sides
    rng = random.Random(153)
    for _ in range(500):
        doc = Doc("x", None, {})
        doc.layers["places"] = _random_places(rng)
        if rng.random() < 0.5:
            doc.in_sentence("places", 0)
            doc.layers["places"].append(new_span(0, 4, "x", "x", rng.randrange(0, 3), {"resolved": True}))
        c, py = attach.PlaceIndex(doc), attach.PlaceIndex(doc)
        for si in range(-1, 15):
            got, want = _sides.index_here(c, si), py.here(si)
            assert len(got) == len(want) and all(a is b for a, b in zip(got, want))
