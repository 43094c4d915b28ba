"""The ``tagged`` feature group: name words of unlabeled news as a model without the group tags
them, in a table beside the model (tiny corpora written here)."""

import json

from marsad.ner import selftrain
from marsad.ner.features import WordFeatures
from marsad.ner.tagger import Tagger
from marsad.ner.train import main


def corpus() -> str:
    """60 sentences naming one of five persons, organisations and places each."""
    people = ["سامي الخطيب", "هند العلي", "كريم الزين", "ليلى الحسن", "عادل الشامي"]
    places = ["حلب", "الموصل", "تعز", "بنغازي", "صنعاء"]
    orgs = ["حركة الفجر", "جبهة النور", "لواء الصمود", "منظمة الأمل", "اتحاد العمال"]
    lines = []
    for i in range(60):
        sent = [("قال", "O")]
        sent += [(w, ("B-" if k == 0 else "I-") + "PERS") for k, w in enumerate(people[i % 5].split())]
        sent += [("إن", "O")]
        sent += [(w, ("B-" if k == 0 else "I-") + "ORG") for k, w in enumerate(orgs[(i * 3) % 5].split())]
        sent += [("دخلت", "O"), (places[(i * 2) % 5], "B-LOC"), ("(أمس)", "O"), (".", "O")]
        lines.append("\n".join(f"{t} {g}" for t, g in sent))
    return "\n\n".join(lines) + "\n"

NEWS = ["قال هند العلي إن جبهة النور دخلت حلب (أمس).",
        "قال سامي الخطيب إن حركة الفجر دخلت الموصل.",
        "قال كريم الزين إن منظمة الأمل دخلت تعز."]


def _news(path):
    with open(path, "w", encoding="utf-8") as f:
        for k in range(4):
            for text in NEWS:
                f.write(json.dumps({"id": str(k), "text": text}, ensure_ascii=False) + "\n")
    return path


def test_table_lives_beside_its_model(tmp_path):
    assert selftrain.table_path(tmp_path / "anercorp.npz") == tmp_path / "anercorp.tagged.tsv"


def test_training_with_the_group_writes_the_table_its_model_reads(tmp_path):
    data = tmp_path / "mini.txt"
    data.write_text(corpus(), encoding="utf-8")
    news = _news(tmp_path / "news.jsonl")
    out = tmp_path / "m.npz"
    assert main(["--data", str(data), "--out", str(out), "--no-lexicons", "--epochs", "3",
                 "--with", "tagged", "--news", str(news)]) == 0
    table = tmp_path / "m.tagged.tsv"
    head = [line for line in table.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert any(line.startswith("# model_sha256: ") for line in head)
    assert any("news.jsonl" in line for line in head)
    meta = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert "tagged" in meta["groups"] and meta["tagged_version"].startswith("m.tagged.tsv sha256 ")
    rows = selftrain.load(table)
    assert rows["هند"] == ("per0",) and rows["العلي"] == ("per0",)  # a name each of its 4 times
    tagger = Tagger(out)
    assert [k for k, _ in tagger.words.lookups][-1] == "tg"
    assert "tg=per0" in tagger.words.own("هند") and "tg=per0" in tagger.words.own("وهند")  # through its stem
    assert not [f for f in tagger.words.own("دخلت") if f.startswith("tg=")]


def test_a_model_without_the_group_reads_no_table(tmp_path):
    assert not [k for k, _ in WordFeatures(("base", "names")).lookups if k == "tg"]
    assert not [k for k, _ in WordFeatures(("base", "tagged")).lookups if k == "tg"]  # no table given


def test_table_keeps_words_seen_as_names_often_enough(tmp_path):
    """Floors: min_count occurrences inside a mention, and min_share of the word's occurrences."""
    class Fixed:  # a stand-in tagger: every token of "X Y" after قال is a person
        def __init__(self):
            from marsad.ner.perceptron import LABELS
            self.labels = LABELS

        def decode(self, doc):
            import numpy as np
            lab = [3 if k in (1, 2) else 0 for k in range(len(doc.tokens))]   # B-PER on tokens 1-2
            return None, np.array(lab), None

        def label_names(self, labels):
            return [self.labels[x] for x in labels.tolist()]

    news = _news(tmp_path / "news.jsonl")
    total, named = selftrain.count(Fixed(), news)
    assert named["هند", "per"] == 4 and total["هند"] == 4
    assert named["جبهه", "per"] == 0


def test_the_shipped_model_reads_the_table_it_was_trained_with():
    from marsad.ner.tagger import MODEL_PATH, default_tagger

    tagger = default_tagger()
    if "tagged" not in tagger.meta["groups"]:
        return
    table = selftrain.table_path(MODEL_PATH)
    assert table.is_file()
    assert tagger.meta["tagged_version"] == selftrain.version(table)
    assert [k for k, _ in tagger.words.lookups][-1] == "tg"
    head = [line for line in table.read_text(encoding="utf-8").splitlines() if line.startswith("# ")]
    assert any(line.startswith("# corpus: saudinewsnet_2015") for line in head)


def test_word_dropout_hides_a_words_table_row_with_the_word():
    """A new name is as absent from the news table as from training: dropout hides its own `tg`
    row with its word and stem, not the rows its neighbours lend it."""
    from marsad.ner.perceptron import IDENTITY

    assert "tg=per0".startswith(IDENTITY) and "w=هند".startswith(IDENTITY)
    assert not "-1tg=per0".startswith(IDENTITY) and not "nm=per0".startswith(IDENTITY)
