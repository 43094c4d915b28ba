"""Named pipeline components and the default pipeline.

A component is a function ``fn(doc) -> None`` that adds spans, entities, events or
conditions to the Doc. Components register by name; ``Pipeline`` runs them in order and
records how long each took (``doc.timings``). Building the pipeline loads every lexicon,
gazetteer and model once per process; documents then only pay for matching.
"""

from __future__ import annotations

import time
from datetime import date
from importlib import import_module
from typing import Callable

from .doc import Doc

Component = Callable[[Doc], None]

# name -> "module:function" returning a component (a factory, so heavy data loads lazily).
REGISTRY: dict[str, str] = {}

# The default order. Each step reads the layers of the steps before it.
DEFAULT_PIPELINE = [
    "lexicons",     # actors, weapons, sources, conditions
    "numbers",      # numbers and casualty counts
    "dates",        # date expressions resolved against published
    "ner",          # statistical tagger: LOC / PER / ORG
    "places",       # gazetteer + geoparser: LOC entities with coordinates
    "events",       # triggers and cues, then sentence-level event detection and arguments
    "document",     # merge mentions, granularity, notes, confidence, conditions, sources
]


def register(name: str, factory: str) -> None:
    REGISTRY[name] = factory


def _resolve(name: str) -> Component | None:
    target = REGISTRY.get(name)
    if target is None:
        return None
    mod, fn = target.split(":")
    try:
        module = import_module(mod)
    except ModuleNotFoundError as e:  # a step not built yet is skipped; a broken one is not
        if e.name and mod.startswith(e.name):
            return None
        raise
    return getattr(module, fn)()


class Pipeline:
    def __init__(self, names: list[str] | None = None):
        self.names: list[str] = []
        self.steps: list[tuple[str, Component]] = []
        for n in names or DEFAULT_PIPELINE:
            comp = _resolve(n)
            if comp is not None:       # a step whose module is not installed is skipped
                self.names.append(n)
                self.steps.append((n, comp))

    def __call__(self, text: str, published: date | None = None, meta: dict | None = None) -> Doc:
        doc = Doc(text, published, meta)
        for name, comp in self.steps:
            t = time.perf_counter()
            comp(doc)
            doc.timings[name] = time.perf_counter() - t
        return doc


_DEFAULT: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT


# Built-in components. Each module exposes a factory returning the component function.
register("lexicons", "marsad.components.lexicons:component")
register("numbers", "marsad.components.numbers:component")
register("dates", "marsad.components.dates:component")
register("ner", "marsad.ner.component:component")
register("places", "marsad.places.component:component")
register("events", "marsad.components.events:component")
register("document", "marsad.components.document:component")
