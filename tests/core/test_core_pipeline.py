"""The pipeline is built whole or not at all: unknown steps, steps that cannot be imported and
steps whose inputs no earlier step adds are errors listing what exists."""

from __future__ import annotations

import pytest

from marsad import pipeline
from marsad.errors import MarsadError, SetupError
from marsad.pipeline import DEFAULT_PIPELINE, Pipeline, register


def test_unknown_step_names_the_steps_and_the_closest():
    with pytest.raises(SetupError) as e:
        Pipeline(["dtaes"])
    msg = str(e.value)
    assert "no pipeline step named 'dtaes' (did you mean 'dates'?)" in msg
    assert all(name in msg for name in DEFAULT_PIPELINE)
    assert isinstance(e.value, MarsadError)


def test_a_step_whose_inputs_are_missing_is_refused_with_what_adds_them():
    with pytest.raises(SetupError) as e:
        Pipeline(["lexicons", "events"])
    msg = str(e.value)
    assert "'events' needs" in msg and "casualties (from numbers)" in msg and "places (from places)" in msg
    assert "actors" not in msg.split("needs")[1].split(";")[0]   # lexicons added them
    with pytest.raises(SetupError, match="events"):
        Pipeline(["document"])


def test_partial_pipelines_whose_needs_are_met_build():
    assert Pipeline(["numbers"]).names == ["numbers"]
    assert Pipeline(["ner", "places"]).names == ["ner", "places"]


def test_a_missing_module_is_an_error_not_a_shorter_pipeline(monkeypatch):
    monkeypatch.setitem(pipeline.REGISTRY, "ghost", pipeline.Step("marsad.no_such_module:component"))
    with pytest.raises(SetupError, match=r"'ghost' cannot be loaded: its module marsad.no_such_module"):
        Pipeline(["numbers", "ghost"])


def test_an_undeclared_component_still_works(monkeypatch):
    """A component registered the old way (no needs/adds) runs, and is trusted to provide what
    the steps after it need."""
    monkeypatch.setattr(pipeline, "REGISTRY", dict(pipeline.REGISTRY))
    register("plain", "marsad.components.numbers:component")
    nlp = Pipeline(["plain", "events", "document"])
    assert nlp.names == ["plain", "events", "document"]
    assert nlp("قتل ثلاثة مدنيين في قصف على بلدة كفرنبل أمس.").timings.keys() == {"plain", "events", "document"}
