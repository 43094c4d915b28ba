"""The weighted sum of the argument models (roles.py, tolls.py, arguments.py): logistic models
over a few sparse named features."""

from __future__ import annotations

from itertools import repeat
from operator import mul


def dot(weights: dict[str, float], feats: dict[str, float]) -> float:
    """sum(weights.get(k, 0.0) * v for k, v in feats.items()): the same products summed by the
    same builtin sum in the same order (so the same float), with no Python frame per feature."""
    return sum(map(mul, map(weights.get, feats, repeat(0.0)), feats.values()))
