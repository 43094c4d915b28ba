"""The compiled text core (``_core.pyx``), when it is built and wanted, else None.

``scripts/setup`` builds it in place when a C compiler is there (``python -m
marsad.text.build_core``); without one Marsad runs its pure-Python path, which gives the same
output. ``MARSAD_PURE=1`` selects the pure-Python path even where the core is built (tests
and benchmarks compare the two). Read once, at import.
"""

from __future__ import annotations

import importlib
import os

PURE = os.environ.get("MARSAD_PURE", "").strip().lower() not in ("", "0", "no", "false")

API = 8   # the _core.pyx this Python code goes with (its API constant)


def compiled(name: str, api: int):
    """The compiled module ``name`` (dotted) when it is built, goes with this Python code (its API
    constant) and is wanted (not MARSAD_PURE), else None: the caller's pure-Python path runs."""
    if PURE:
        return None
    try:
        mod = importlib.import_module(name)
    except ImportError:  # not built here (no compiler)
        return None
    return mod if getattr(mod, "API", None) == api else None  # else built from an older .pyx: rerun scripts/setup


core = compiled(__package__ + "._core", API)
ENDS_API = 7   # the _ends.pyx this Python code goes with
ends = compiled(__package__ + "._ends", ENDS_API)   # lexicon hits read from word ends


def status() -> str:
    """How the text core runs, for `marsad --version`-style reports and benchmarks."""
    if core is not None:
        return "compiled"
    return "pure-Python (MARSAD_PURE)" if PURE else "pure-Python (core not built or out of date)"
