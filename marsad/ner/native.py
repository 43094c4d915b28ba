"""The name tagger's compiled loops (``_decode.pyx``), when built, current and wanted, else None.

``scripts/setup`` builds them (``marsad/text/build_core.py``); without a compiler, or with
``MARSAD_PURE=1``, the numpy / Python path runs and gives the same labels.
"""

from __future__ import annotations

from ..text.native import PURE

API = 3  # the _decode.pyx this Python code goes with (its API constant)

try:
    from . import _decode as decoder
except ImportError:  # not built here
    decoder = None
if decoder is not None and (PURE or getattr(decoder, "API", None) != API):
    decoder = None  # MARSAD_PURE, or built from an older _decode.pyx: rerun scripts/setup
