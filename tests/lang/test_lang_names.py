"""Name words mined from unlabeled text: words where names stand, kept in proportion to their use."""

import gzip
import json
import random

from marsad.lang import names
from marsad.ner.features import WordFeatures


def _corpus(path):
    rng = random.Random(5)
    people = ["زهران", "قطامش", "بوريفيتش"]
    firms = ["نوفاتيك", "الزمرديه"]
    filler = ["في", "المدينه", "اليوم", "قال", "ان", "الاجتماع"]
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(300):
            text = " ".join([
                "قال الوزير السعودي", rng.choice(people), "في المدينه",       # title, nisba, name
                "وزار الرئيس باسم", rng.choice(filler),                       # a common word after a title
                "واعلنت شركة", rng.choice(firms), "ان",                      # organisation head
                "سافر هلال بن مسعود",                                         # the words around بن
                *rng.choices(filler, k=400),                                 # common words are common
            ])
            f.write(json.dumps({"id": f"t{i}", "text": text}, ensure_ascii=False) + "\n")


def test_build_finds_name_words_and_records_its_data(tmp_path):
    corpus = tmp_path / "c.jsonl.gz"
    _corpus(corpus)
    out = tmp_path / "names.tsv"
    meta = names.build(corpus, out)
    table = names.read_table(out)
    assert table["زهران"] == ("per0",) and table["هلال"] == ("per0",) and table["مسعود"] == ("per0",)
    assert table["نوفاتيك"] == ("org0",)
    assert "في" not in table and "المدينه" not in table   # after names, but mostly elsewhere
    assert "السعودي" not in table                          # a nisba after a title is skipped
    head = out.read_text(encoding="utf-8").splitlines()[:4]
    assert any(line.startswith("# corpus_sha256: ") for line in head) and meta["rows"] == len(
        [line for line in out.read_text(encoding="utf-8").splitlines()[5:]])
    info = names.info(out)
    assert info["corpus_sha256"] == meta["corpus_sha256"] and info["params"] == meta["params"]
    assert info["per"] + info.get("fam", 0) + info["org"] == meta["rows"]
    again = tmp_path / "again.tsv"
    names.build(corpus, again)
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_share_bins_order_words_by_how_often_they_are_names():
    assert names.share_bin(90, 100) == 0
    assert names.share_bin(30, 100) == 1
    assert names.share_bin(6, 100) == 2


def test_tagger_feature_reads_the_word_or_its_stem(monkeypatch, tmp_path):
    path = tmp_path / "n.tsv"
    path.write_text("word\tclass\tcount\ttotal\nقطامش\tper\t40\t50\n", encoding="utf-8")
    monkeypatch.setattr(names, "PATH", path)
    names.read_table.cache_clear()
    try:
        wf = WordFeatures(("base", "names"))
        assert "nm=per0" in wf.own("قطامش") and "nm=per0" in wf.own("وقطامش")
        assert not any(f.startswith("nm=") for f in wf.own("المدينه"))
        assert not any(f.startswith("nm=") for f in WordFeatures(("base",)).own("قطامش"))
    finally:
        names.read_table.cache_clear()


def test_without_the_names_file_the_group_adds_nothing(monkeypatch, tmp_path):
    """A checkout without names.tsv still tags: the group simply contributes no feature."""
    monkeypatch.setattr(names, "PATH", tmp_path / "absent.tsv")
    names.read_table.cache_clear()
    try:
        wf = WordFeatures(("base", "names"))
        assert wf.lookups == [] and wf.own("قطامش") == WordFeatures(("base",)).own("قطامش")
        assert names.info(tmp_path / "absent.tsv")["exists"] is False
    finally:
        names.read_table.cache_clear()


def test_a_name_word_of_the_cluster_table_is_that_tables_string(tmp_path):
    """A table read by ``read_table`` keys a word the cluster table has by that table's own string
    object (one copy in memory), and other words by their own."""
    from marsad.lang import clusters

    known = next(iter(clusters.read_table(clusters.PATH)), None)
    words = [w for w in (known, "كلمهغريبهجدا") if w]
    path = tmp_path / "n.tsv"
    path.write_text("word\tclass\tcount\ttotal\n" + "".join(f"{w}\tper\t9\t10\n" for w in words), encoding="utf-8")
    table = names.read_table(path)
    assert set(table) == set(words) and table["كلمهغريبهجدا"] == ("per0",)
    if known:   # a checkout without the built cluster table: nothing to share
        assert next(k for k in table if k == known) is known
