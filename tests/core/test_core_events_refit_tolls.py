"""`marsad train events --tolls-only` (train.refit_tolls): the model's toll weights are replaced
only by weights that beat the rules (nested CV) and the model's own weights on the same candidates.

The collection of the annotated articles and the fits are stubbed: the test reads only the gate.
"""

import json
import shutil

import pytest

from marsad.components.events import tolls_train, train
from marsad.components.events.model import MODEL_PATH

OLD = {"exact": 0.65, "zero_right": 0.72}


@pytest.mark.parametrize("new, cv_beats_rules, replaced", [
    ({"exact": 0.66, "zero_right": 0.72}, True, True),
    ({"exact": 0.66, "zero_right": 0.71}, True, False),   # more wrong zeros
    ({"exact": 0.65, "zero_right": 0.73}, True, False),   # no more exact tolls
    ({"exact": 0.64, "zero_right": 0.71}, False, False),  # the rules (empty weights) beat the refit out of
                                                           # fold, but not the model's weights
])
def test_the_toll_weights_are_replaced_only_when_they_beat_the_models(tmp_path, monkeypatch, new,
                                                                       cv_beats_rules, replaced):
    path = tmp_path / "detector.json"
    shutil.copy(MODEL_PATH, path)
    refit = {"tl:bias": 1.0, "margin": 0.5} if cv_beats_rules else {}
    monkeypatch.setattr(train, "_articles", lambda *a: ([], {}))
    monkeypatch.setattr(train, "_toll_decision", lambda arts, log: ({"shipped": cv_beats_rules}, refit))
    monkeypatch.setattr(tolls_train, "figures", lambda arts, gm, w: new if w is refit else OLD)
    got = train.refit_tolls("annotations/events", "../shared", path, log=lambda s: None)
    assert got["replaced"] is replaced
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert (saved["tolls"] == refit) is replaced
    assert saved["weights"] == json.loads(MODEL_PATH.read_text(encoding="utf-8"))["weights"]
