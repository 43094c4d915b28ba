"""The name tagger's compiled loops (``_decode.pyx``), when built, current and wanted, else None.

``scripts/setup`` builds them (``marsad/text/build_core.py``); without a compiler, or with
``MARSAD_PURE=1``, the numpy / Python path runs and gives the same labels.
"""

from __future__ import annotations

from ..text.native import compiled

API = 22  # the _decode.pyx this Python code goes with (its API constant)

decoder = compiled(__package__ + "._decode", API)
