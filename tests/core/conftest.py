"""Fixtures shared by the core tests."""

import pytest


@pytest.fixture(scope="module")
def rules_nlp():
    """The pipeline with the hand-set rules deciding (no learned detector): for what the candidate
    builder gives an incident (its sides, type, place), whatever the detector makes of it."""
    from marsad.components.events import component
    from marsad.pipeline import Pipeline

    p = Pipeline()
    p.steps = [(n, component(model=None) if n == "events" else f) for n, f in p.steps]
    return p
