"""The attribute file shipped beside the model lists exactly the model's attributes, and a
stale file (another model) is not used."""

from __future__ import annotations

import json
import shutil

import pycrfsuite

from marsad.ner.tagger import MODEL_PATH, Tagger, attributes_path, file_sha256, meta_path


def test_shipped_attribute_file_matches_the_model():
    crf = pycrfsuite.Tagger()
    crf.open(str(MODEL_PATH))
    meta = json.loads(meta_path(MODEL_PATH).read_text(encoding="utf-8"))
    assert meta["attributes"]["model_sha256"] == file_sha256(MODEL_PATH)
    lines = attributes_path(MODEL_PATH).read_text(encoding="utf-8").split("\n")
    assert lines[0] == "attribute" and lines[-1] == ""
    assert set(lines[1:-1]) == {a for a, _ in crf.info().state_features}
    assert Tagger()._known_attributes() == set(lines[1:-1])


def test_attribute_file_of_another_model_is_ignored(tmp_path):
    model = tmp_path / "m.crfsuite"
    shutil.copy(MODEL_PATH, model)
    meta = json.loads(meta_path(MODEL_PATH).read_text(encoding="utf-8"))
    meta["attributes"]["model_sha256"] = "0" * 64  # recorded for a different model
    meta_path(model).write_text(json.dumps(meta), encoding="utf-8")
    attributes_path(model).write_text("attribute\nw=x\n", encoding="utf-8")
    known = Tagger(model)._known_attributes()
    assert "w=x" not in known and len(known) == meta["attributes"]["count"]
