"""The event detector's compiled sums (``_fast.pyx``) and a candidate's sides and place
(``_sides.pyx``), each when built, current and wanted, else None.

``scripts/setup`` builds them (``marsad/text/build_core.py``); without a compiler, or with
``MARSAD_PURE=1``, features.py builds each candidate's feature dict and model.py sums it, which
gives the same floats.
"""

from __future__ import annotations

from ...text.native import compiled

API = 10  # the _fast.pyx this Python code goes with (its API constant)

_fast = compiled(__package__ + "._fast", API)

# a candidate's sides and place (``_sides.pyx``: actors.assign_actors, places.place_of, roles.pair_features,
# arguments.chosen_place), the same decisions; None: the Python code runs
SIDES_API = 10
_sides = compiled(__package__ + "._sides", SIDES_API)

CAND_API = 6   # the _cand.pyx this Python code goes with


def candidate_path():
    """The built candidate's path compiled (_cand.pyx: build_event, score, incident_sums), or None:
    build.py's, scores.py's and features.py's. Asked by candidates.py once its imports are done
    (_cand imports those modules)."""
    return compiled(__package__ + "._cand", CAND_API)


_MAX_WORDS = 100_000   # words whose clause-word id is kept (as features._MAX_CLAUSE_KEYS)


class _WordIds(dict):
    """word -> the id of its clause-word key ("cw:" + its stem), made in the look-up itself;
    emptied past the bound."""

    def __init__(self, table, stem):
        super().__init__()
        self.table, self.stem = table, stem

    def __missing__(self, word: str) -> int:
        if len(self) > _MAX_WORDS:
            self.clear()
        i = self[word] = self.table.id_of("cw:" + self.stem(word))
        return i


class Fast:
    """One model's id table (_fast.Table), its bias and its clause-word ids."""

    # slots: _cand reads them in place (by name each read of a candidate's sums was ~170 instructions)
    __slots__ = ("table", "bias", "words", "trigger_own", "neighbour_ids")

    def __init__(self, model):
        names, index, terms = model._terms
        self.table = _fast.Table(model.weights, index, model._det, terms)
        self.bias = model.weights.get("bias", 0.0)
        from .features import _stem   # (features imports modules that import this one)
        from marsad.text.tokens import _BY_FIRST
        # a word's id made by the table's region_ids itself (its stem in C, no __missing__ call);
        # else the dicts that make it in the look-up (_WordIds: the twin of both)
        if self.table.set_stems(_BY_FIRST, _MAX_WORDS):
            self.words = {}
        else:
            cand = candidate_path()   # (its compiled twin where built)
            self.words = _WordIds(self.table, _stem) if cand is None else cand.WordIds(self.table)
        # a trigger's own word features (features._trigger_key) -> their ids, bounded as the words
        self.trigger_own: dict[tuple, tuple] = {}
        # a trigger's neighbour features (features._neighbour_key) -> their ids, bounded the same
        self.neighbour_ids: dict[tuple, tuple] = {}


def fast_for(model) -> Fast | None:
    """The compiled sums for ``model`` (made once per model), or None: the pure path."""
    if _fast is None or model is None or not model._terms[0]:
        return None
    f = model.__dict__.get("_fast")
    if f is None:
        f = model._fast = Fast(model)
    return f
