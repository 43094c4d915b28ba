"""The compiled text core (``_core.pyx``), when it is built and wanted, else None.

``scripts/setup`` builds it in place when a C compiler is there (``python -m
marsad.text.build_core``); without one Marsad runs its pure-Python path, which gives the same
output. ``MARSAD_PURE=1`` selects the pure-Python path even where the core is built (tests
and benchmarks compare the two). Read once, at import.
"""

from __future__ import annotations

import os

PURE = os.environ.get("MARSAD_PURE", "").strip().lower() not in ("", "0", "no", "false")

API = 5   # the _core.pyx this Python code goes with (its API constant)

core = None
if not PURE:
    try:
        from . import _core as core  # type: ignore[no-redef]
    except ImportError:  # not built here (no compiler): the pure-Python path
        core = None
    if core is not None and getattr(core, "API", None) != API:
        core = None       # built from an older _core.pyx: rerun scripts/setup


def status() -> str:
    """How the text core runs, for `marsad --version`-style reports and benchmarks."""
    if core is not None:
        return "compiled"
    return "pure-Python (MARSAD_PURE)" if PURE else "pure-Python (core not built or out of date)"
