"""Named pipeline components and the default pipeline.

A component is a function ``fn(doc) -> None`` that adds spans, entities, events or
conditions to the Doc. Components register by name; ``Pipeline`` runs them in order and
records how long each took (``doc.timings``). Building the pipeline loads every lexicon,
gazetteer and model once per process; documents then only pay for matching.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from typing import Callable

from . import errors
from .doc import Doc
from .errors import SetupError

Component = Callable[[Doc], None]


@dataclass(frozen=True)
class Step:
    """A registered component: its factory and, when declared, what it needs and adds.

    ``needs`` and ``adds`` name Doc layers ("actors", "places", ...) or outputs ("events");
    ``adds=None`` means undeclared: such a step is trusted to provide whatever follows it."""
    factory: str                       # "module:function" returning the component
    needs: tuple[str, ...] = ()
    adds: tuple[str, ...] | None = None


# name -> Step (a factory, so heavy data loads lazily).
REGISTRY: dict[str, Step] = {}

# What the Doc holds before any step: the text, its normalised form, sentences and tokens.
DOC_PROVIDES = ("text", "sentences", "tokens")

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


def register(name: str, factory: str, needs: tuple[str, ...] | list[str] = (),
             adds: tuple[str, ...] | list[str] | None = None) -> None:
    """Register a component; a name registered again keeps its declarations unless new ones
    are given."""
    old = REGISTRY.get(name)
    if old is not None and not needs and adds is None:
        needs, adds = old.needs, old.adds
    REGISTRY[name] = Step(factory, tuple(needs), None if adds is None else tuple(adds))


def _resolve(name: str) -> Component:
    """The component named ``name``; a SetupError says what is wrong and what exists."""
    step = REGISTRY.get(name)
    if step is None:
        raise SetupError(errors.unknown_name("pipeline step", name, list(REGISTRY)))
    mod, _, fn = step.factory.partition(":")
    try:
        module = import_module(mod)
    except ImportError as e:
        raise SetupError(f"pipeline step {name!r} cannot be loaded: its module {mod} does not "
                         f"import ({type(e).__name__}: {e})") from e
    factory = getattr(module, fn, None)
    if factory is None:
        raise SetupError(f"pipeline step {name!r}: module {mod} has no {fn}()")
    return factory()


def check_order(names: list[str]) -> None:
    """Each declared need is added by an earlier step (or by the Doc itself)."""
    have: set[str] = set(DOC_PROVIDES)
    trusted = False                    # an undeclared step before: its additions are unknown
    for name in names:
        step = REGISTRY[name]
        missing = [n for n in step.needs if n not in have]
        if missing and not trusted:
            def made_by(need: str) -> str:
                makers = [m for m, s in REGISTRY.items() if s.adds and need in s.adds]
                return f"{need} (from {' or '.join(makers)})" if makers else need
            raise SetupError(f"pipeline step {name!r} needs what no step before it adds: "
                             f"{', '.join(map(made_by, missing))}; the pipeline is: {', '.join(names)}")
        if step.adds is None:
            trusted = True
        else:
            have.update(step.adds)
            have.add(name)


class Pipeline:
    """Named steps run in order. Unknown names, steps that cannot be imported and steps whose
    needs no earlier step adds are a SetupError when the pipeline is built (as spaCy's
    ``nlp.add_pipe`` refuses an unknown factory), never a silently shorter pipeline."""

    def __init__(self, names: list[str] | None = None):
        names = list(DEFAULT_PIPELINE if names is None else names)
        for n in names:
            if n not in REGISTRY:
                raise SetupError(errors.unknown_name("pipeline step", n, list(REGISTRY)))
        check_order(names)
        self.names: list[str] = names
        self.steps: list[tuple[str, Component]] = [(n, _resolve(n)) for n in names]

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


# Built-in components. Each module exposes a factory returning the component function; what
# each needs and adds is declared here, in one place, and checked when a pipeline is built.
register("lexicons", "marsad.components.lexicons:component",
         adds=("actors", "weapons", "sources", "conditions"))
register("numbers", "marsad.components.numbers:component", adds=("casualties",))
register("dates", "marsad.components.dates:component", adds=("dates",))
register("ner", "marsad.ner.component:component", adds=("ner", "ner_o", "entities"))
register("places", "marsad.places.component:component", adds=("places", "entities"))
register("events", "marsad.components.events:component",
         needs=("actors", "weapons", "sources", "casualties", "dates", "places"),
         adds=("triggers", "cues", "events"))
register("document", "marsad.components.document:component", needs=("events",),
         adds=("document",))   # merged events with notes and confidence; conditions; sources
