"""marsad.tune.warm_process builds the pipeline with the cyclic collector off, then turns it back
on, tuned (gc.freeze and the long-run thresholds), whether or not the build succeeded."""

from __future__ import annotations

import gc

import pytest

from marsad import pipeline, tune


@pytest.fixture
def restore_gc():
    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    yield
    gc.set_threshold(*thresholds)
    gc.unfreeze()
    (gc.enable if enabled else gc.disable)()


def test_the_build_runs_without_the_collector_and_the_process_is_tuned_after(monkeypatch, restore_gc):
    seen = []
    built = object()

    def build():
        seen.append(gc.isenabled())
        return built

    monkeypatch.setattr(pipeline, "default_pipeline", build)
    gc.enable()
    assert tune.warm_process() is built
    assert seen == [False]
    assert gc.isenabled()
    assert gc.get_threshold() == tune.THRESHOLDS
    assert gc.get_freeze_count() > 0


def test_a_failed_build_leaves_the_collector_on(monkeypatch, restore_gc):
    def build():
        raise RuntimeError("no pipeline")

    monkeypatch.setattr(pipeline, "default_pipeline", build)
    gc.enable()
    with pytest.raises(RuntimeError, match="no pipeline"):
        tune.warm_process()
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off(monkeypatch, restore_gc):
    monkeypatch.setattr(pipeline, "default_pipeline", lambda: "nlp")
    gc.disable()
    assert tune.warm_process() == "nlp"
    assert not gc.isenabled()
