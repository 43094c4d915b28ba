"""Word clusters: built from a corpus by our own code, looked up by normalised word or stem."""

import gzip
import json
import random

import pytest

from marsad.lang import clusters

pytest.importorskip("gensim")


def _corpus(path):
    # two kinds of words used in two kinds of contexts: they must fall into different clusters
    rng = random.Random(3)
    war = ["قصف", "غارة", "اشتباك", "هجوم", "انفجار"]
    sport = ["مباراة", "هدف", "ملعب", "لاعب", "بطولة"]
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for i in range(400):
            kind = war if i % 2 else sport
            ctx = ["الجيش", "القوات", "المدينة"] if i % 2 else ["النادي", "الفريق", "الدوري"]
            text = " ".join(rng.choice(kind) + " " + rng.choice(ctx) for _ in range(30))
            f.write(json.dumps({"id": f"t{i}", "text": text}, ensure_ascii=False) + "\n")


def test_build_separates_contexts_and_records_its_data(tmp_path):
    corpus = tmp_path / "c.jsonl.gz"
    _corpus(corpus)
    out = tmp_path / "clusters.tsv"
    meta = clusters.build(corpus, out, {"words": 100, "fine": 4, "coarse": 2, "min_count": 2, "epochs": 20})
    assert meta["words"] == 16
    table = clusters.read_table(out)
    assert set(table) >= {"قصف", "مباراه", "الجيش", "النادي"}   # normalised keys (ة -> ه)
    assert table["قصف"][0] == table["الجيش"][0] != table["النادي"][0] == table["مباراه"][0]
    head = out.read_text(encoding="utf-8").splitlines()[:4]
    assert any(line.startswith("# corpus_sha256: ") for line in head)
    # deterministic: the same corpus and parameters give the same file
    out2 = tmp_path / "again.tsv"
    clusters.build(corpus, out2, {"words": 100, "fine": 4, "coarse": 2, "min_count": 2, "epochs": 20})
    assert out2.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_lookup_falls_back_to_the_stem(monkeypatch, tmp_path):
    path = tmp_path / "c.tsv"
    path.write_text("word\tcoarse\tfine\tcount\nالمتظاهرين\t3\t40\t99\n", encoding="utf-8")
    monkeypatch.setattr(clusters, "PATH", path)
    assert clusters.lookup("المتظاهرين") == (3, 40)
    assert clusters.lookup("والمتظاهرين") == (3, 40)     # و + the known word
    assert clusters.lookup("كلمهغريبه") is None


def test_levels_build_and_feed_the_tagger(monkeypatch, tmp_path):
    from marsad.ner.features import WordFeatures

    corpus = tmp_path / "c.jsonl.gz"
    _corpus(corpus)
    out = tmp_path / "levels.tsv"
    meta = clusters.build_levels(corpus, out, {"min_count": 2, "epochs": 20, "levels": [2, 4]})
    assert meta["words"] == 16
    table = clusters.read_levels(out)
    assert len(table) == 16 and "قصف" in table and "كلمهغريبه" not in table
    a, b = table.get("قصف"), table.get("النادي")
    assert a[0][0] == "a" and a[1][0] == "b" and a[0] != b[0]   # the two contexts, apart at the top level
    # the tagger's "lv" features: the word's, or its stem's when it has none of its own
    monkeypatch.setattr(clusters, "LEVELS_PATH", out)
    wf = WordFeatures(("base", "levels"))
    assert [f for f in wf.own("قصف") if f.startswith("lv=")] == ["lv=" + v for v in a]
    assert [f for f in wf.own("وقصف") if f.startswith("lv=")] == ["lv=" + v for v in a]
    # absent: the group adds nothing
    monkeypatch.setattr(clusters, "LEVELS_PATH", tmp_path / "absent.tsv")
    assert WordFeatures(("base", "levels")).lookups == []
