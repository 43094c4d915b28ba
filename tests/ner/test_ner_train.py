"""The training script, on a tiny synthetic corpus written here."""

import json

from marsad.doc import Doc
from marsad.ner.tagger import Tagger
from marsad.ner.train import main, project, read_conll, split

PEOPLE = ["سامي الخطيب", "هند العلي", "كريم الزين", "ليلى الحسن", "عادل الشامي"]
PLACES = ["حلب", "الموصل", "تعز", "بنغازي", "صنعاء"]
ORGS = ["حركة الفجر", "جبهة النور", "لواء الصمود", "منظمة الأمل", "اتحاد العمال"]


def corpus() -> str:
    lines = []
    for i in range(60):
        per, loc, org = PEOPLE[i % 5], PLACES[(i * 2) % 5], ORGS[(i * 3) % 5]
        sent = [("قال", "O")]
        sent += [(w, ("B-" if k == 0 else "I-") + "PERS") for k, w in enumerate(per.split())]
        sent += [("إن", "O")]
        sent += [(w, ("B-" if k == 0 else "I-") + "ORG") for k, w in enumerate(org.split())]
        sent += [("دخلت", "O"), (loc, "B-LOC"), ("(أمس)", "O"), (".", "O")]
        lines.append("\n".join(f"{t} {g}" for t, g in sent))
    return "\n\n".join(lines) + "\n"


def test_training_script_writes_a_model_with_its_data_version_and_figures(tmp_path):
    data = tmp_path / "mini.txt"
    data.write_text(corpus(), encoding="utf-8")
    out = tmp_path / "mini.npz"
    held = tmp_path / "held.txt"
    assert main(["--data", str(data), "--out", str(out), "--heldout-out", str(held),
                 "--no-lexicons", "--epochs", "5"]) == 0
    meta = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    import hashlib
    assert meta["data_sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    assert meta["train_sentences"] == 48 and meta["heldout_sentences"] == 12
    assert meta["lexicons"] == []
    assert meta["heldout_token_spans"]["micro_f1"] > 0.9
    # the held-out file holds the last fifth, sentences 48 to 59, in CoNLL
    sents = read_conll(held)
    assert sents == read_conll(data)[48:] == split(read_conll(data))[1]
    tagger = Tagger(out)
    doc = Doc("قال هند العلي إن جبهة النور دخلت تعز (أمس).")
    found = {(m.type, " ".join(t.norm for t in doc.tokens[m.first:m.last + 1])) for m in tagger.tag_doc(doc)}
    assert found == {("PER", "هند العلي"), ("ORG", "جبهه النور"), ("LOC", "تعز")}


def test_gold_labels_are_projected_onto_marsad_tokens():
    doc, labels = project([("(د", "O"), ("بغداد)", "B-LOC"), ("أبو-علي", "B-PERS"), ("قال", "O")])
    assert [t.norm for t in doc.tokens] == ["د", "بغداد", "ابو", "علي", "قال"]
    assert labels == ["O", "B-LOC", "B-PER", "I-PER", "O"]


def test_missing_data_file_is_a_clear_error(tmp_path, capsys):
    assert main(["--data", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "m.npz")]) == 2
    assert "no such data file" in capsys.readouterr().err


def test_heldout_command_writes_the_last_fifth(tmp_path):
    from click.testing import CliRunner

    from marsad.cli import main

    corpus = tmp_path / "c.txt"
    corpus.write_text("".join(f"جملة{k} O\nبغداد B-LOC\n\n" for k in range(10)), encoding="utf-8")
    out = tmp_path / "held.txt"
    res = CliRunner().invoke(main, ["ner", "heldout", str(out), "--data", str(corpus)])
    assert res.exit_code == 0, res.output
    firsts = [blk.split()[0] for blk in out.read_text(encoding="utf-8").strip().split("\n\n")]
    assert firsts == ["جملة8", "جملة9"]


def test_tune_scores_the_last_fifth_of_the_training_part_only(tmp_path):
    """--tune never reads the held-out block: it splits the first four fifths again."""
    data = tmp_path / "mini.txt"
    data.write_text(corpus(), encoding="utf-8")
    out = tmp_path / "tune.npz"
    assert main(["--data", str(data), "--out", str(out), "--no-lexicons", "--epochs", "2", "--tune"]) == 0
    meta = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["train_sentences"] == 39 and meta["heldout_sentences"] == 9   # 48 = 39 + 9; 12 unread
    assert "tuning block" in meta["split"] and meta["name_passes"] == 1
