"""The weighted sum and the logistic of the event models (model.py's detector, roles.py,
tolls.py, arguments.py): logistic models over a few sparse named features."""

from __future__ import annotations

import math
from itertools import repeat
from operator import mul

from .native import _fast


def _dot_py(weights: dict[str, float], feats: dict[str, float]) -> float:
    """sum(weights.get(k, 0.0) * v for k, v in feats.items()): the same products summed by the
    same builtin sum in the same order (so the same float), with no Python frame per feature."""
    return sum(map(mul, map(weights.get, feats, repeat(0.0)), feats.values()))


def _sigmoid_py(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


# the same floats compiled (_fast.pyx; asked for each candidate, side pair, toll and place option)
dot = _dot_py if _fast is None else _fast.dot
sigmoid = _sigmoid_py if _fast is None else _fast.sigmoid
