"""Issue 16, start-up: tables compiled once into $MARSAD_CACHE (marsad/tablecache.py), the
tagger's (marsad/ner/tables.py) and the event detector's. Built once, read back as the same
objects, rebuilt when a source changes or the file is torn, built once by processes that start
together, kept in memory where the folder cannot be written; a tagger and a detector read from
the cache code as those built from the files."""

import json
import multiprocessing as mp
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from marsad import tablecache


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("MARSAD_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _counting_build(log: Path, value, pause: float = 0.0):
    def build():
        with open(log, "a") as f:
            f.write("built\n")
        time.sleep(pause)
        return value
    return build


def _builds(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_a_table_is_built_once_then_read_with_its_shared_objects(folder, tmp_path):
    src, log = tmp_path / "src.tsv", tmp_path / "log"
    src.write_text("حلب\t1\n", encoding="utf-8")
    word = "".join(["حل", "ب"])
    value = {"words": {word: (1, 2)}, "again": [word], "rows": np.arange(6, dtype=np.float32)}
    assert tablecache.cached("t", [src], _counting_build(log, value)) is value
    got = tablecache.cached("t", [src], _counting_build(log, None))
    assert _builds(log) == 1 and got["words"] == value["words"]
    assert next(iter(got["words"])) is got["again"][0]   # one string, as built
    assert got["rows"].dtype == np.float32 and got["rows"].flags.writeable and got["rows"].tolist() == list(range(6))
    assert [p.name for p in folder.glob("t-*.pkl")] == [f"t-{tablecache.digest([src])}.pkl"]


def test_a_changed_source_is_another_table_and_the_old_one_goes(folder, tmp_path):
    src, log = tmp_path / "src.tsv", tmp_path / "log"
    src.write_text("حلب\t1\n", encoding="utf-8")
    tablecache.cached("t", [src], _counting_build(log, 1))
    old = tablecache.digest([src])
    src.write_text("حلب\t2\n", encoding="utf-8")   # one byte
    assert tablecache.digest([src]) != old
    assert tablecache.cached("t", [src], _counting_build(log, 2)) == 2 and _builds(log) == 2
    assert [p.name for p in folder.glob("t-*.pkl")] == [f"t-{tablecache.digest([src])}.pkl"]
    # an absent source is a key of its own, not an error
    assert tablecache.digest([tmp_path / "absent"]) != tablecache.digest([src])


def test_a_torn_table_is_rebuilt(folder, tmp_path):
    src, log = tmp_path / "src.tsv", tmp_path / "log"
    src.write_text("x", encoding="utf-8")
    folder.mkdir()
    (folder / f"t-{tablecache.digest([src])}.pkl").write_bytes(b"\x80\x05\x95 not a whole pickle")
    assert tablecache.cached("t", [src], _counting_build(log, {"a": 1})) == {"a": 1} and _builds(log) == 1
    assert tablecache.cached("t", [src], _counting_build(log, None)) == {"a": 1} and _builds(log) == 1


def test_a_folder_that_cannot_be_written_keeps_the_table_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("MARSAD_CACHE", str(blocker / "cache"))   # under a file: no folder can be made
    log = tmp_path / "log"
    assert tablecache.cached("t", [blocker], _counting_build(log, [1, 2])) == [1, 2]
    assert tablecache.cached("t", [blocker], _counting_build(log, [1, 2])) == [1, 2] and _builds(log) == 2


def _cached_in_child(src, log, out):
    out.put(tablecache.cached("t", [Path(src)], _counting_build(Path(log), "table", pause=0.3)))


def test_processes_starting_on_an_empty_cache_build_it_once(folder, tmp_path):
    src, log = tmp_path / "src.tsv", tmp_path / "log"
    src.write_text("x", encoding="utf-8")
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    procs = [ctx.Process(target=_cached_in_child, args=(str(src), str(log), out)) for _ in range(3)]
    for p in procs:
        p.start()
    got = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(60)
    assert got == ["table"] * 3 and all(p.exitcode == 0 for p in procs)
    assert _builds(log) == 1   # the others waited for the first, then read its table
    assert [f.name for f in folder.iterdir() if f.suffix == ".tmp"] == []


# ----------------------------------------------------------------------------- the tagger's

TEXT = ("قال الرئيس السوري بشار الأسد إن الجيش استعاد بلدة مورك في ريف حماة. "
        "وأعلنت جبهة النصرة أن عناصرها قتلوا خمسة جنود قرب مدينة حلب. "
        "وقال المرصد السوري لحقوق الإنسان إن سامي الخطيب قتل في غارة على دوما بريف دمشق.")


def test_the_tagger_tables_read_back_equal_those_built(folder):
    from marsad.ner import tables
    from marsad.ner.tagger import MODEL_PATH, meta_path

    groups = json.loads(meta_path(MODEL_PATH).read_text(encoding="utf-8")).get("groups", ())
    built = tables.load(MODEL_PATH, groups)   # an empty cache: built, written
    read = tables.load(MODEL_PATH, groups)    # read back
    assert read is not built and len(list(folder.glob("tagger-*.pkl"))) == 1
    for k in ("tagged", "news", "clusters", "names", "vocab"):
        assert read[k] == built[k], k
    assert np.array_equal(read["slots"], built["slots"])
    assert np.array_equal(read["model"].weights, built["model"].weights)
    assert read["kinds"].kinds == built["kinds"].kinds and read["kinds"].length == built["kinds"].length
    # the names read from the news tables share the cluster table's strings, as built
    if read["tagged"] and read["clusters"]:
        w = next(w for w in read["tagged"] if w in read["clusters"])
        assert next(k for k in read["clusters"] if k == w) is next(k for k in read["tagged"] if k == w)
    # and the cluster table is the one the other steps read
    from marsad.lang import clusters
    assert clusters.read_table(clusters.PATH) is read["clusters"]
    # the model's feature names are still there to read from its file (marsad ner info, training)
    assert dict(read["model"].items()).get("bias") is not None


@pytest.mark.parametrize("native", [True, False])
def test_a_tagger_from_the_cache_tags_as_one_built_from_the_files(folder, tmp_path, native):
    from marsad.doc import Doc
    from marsad.ner import tagger as tagger_mod
    from marsad.ner.selftrain import table_path
    from marsad.ner.tagger import MODEL_PATH, Tagger, meta_path

    if native and tagger_mod._native is None:
        pytest.skip("compiled decoder not built")
    # a copy of the shipped model elsewhere is read from its files (only the shipped one is compiled)
    copy = tmp_path / "model" / MODEL_PATH.name
    copy.parent.mkdir()
    for p in (MODEL_PATH, meta_path(MODEL_PATH), table_path(MODEL_PATH)):
        if p.exists():
            shutil.copy(p, copy.parent / p.name)
    Tagger(MODEL_PATH, native=native)   # builds the cache
    cached, direct = Tagger(MODEL_PATH, native=native), Tagger(copy, native=native)
    assert list(folder.glob("tagger-*.pkl"))
    doc = Doc(TEXT)
    got = [(m.type, m.first, m.last, m.score) for m in cached.tag_doc(doc)]
    assert got and got == [(m.type, m.first, m.last, m.score) for m in direct.tag_doc(Doc(TEXT))]
    assert np.array_equal(cached.emissions(doc, None), direct.emissions(Doc(TEXT), None))


def test_the_detector_from_the_cache_judges_as_the_one_from_its_json(folder):
    from marsad.components.events import model as ev

    if not ev.MODEL_PATH.exists():
        pytest.skip("no shipped detector")
    ev.default_model.cache_clear()
    try:
        ev.default_model()            # an empty cache: built, written
        ev.default_model.cache_clear()
        cached = ev.default_model()   # read back
    finally:
        ev.default_model.cache_clear()
    direct = ev.load(ev.MODEL_PATH)
    assert list(folder.glob("detector-*.pkl"))
    assert cached.weights == direct.weights and cached.places == direct.places and cached.types == direct.types
    assert (cached.keep, cached.weak, cached.veto, cached.keep_by_type, cached.rule_types) == \
        (direct.keep, direct.weak, direct.veto, direct.keep_by_type, direct.rule_types)
    feats = dict(list(direct.weights.items())[:40])
    assert cached.judge(feats) == direct.judge(feats)
    assert cached.best_type(feats, "Battles") == direct.best_type(feats, "Battles")


def test_a_given_table_answers_for_its_path_until_cleared(tmp_path):
    """``givable``: the tagger's compiled copy of a table stands in for the file's, for that
    path only, and a cleared reader reads the file again (a retrained table is seen)."""
    from functools import lru_cache

    reads = []

    @lru_cache(maxsize=2)
    def read(path):
        reads.append(path)
        return {"from": Path(path).read_text(encoding="utf-8")}

    a, b = tmp_path / "a.tsv", tmp_path / "b.tsv"
    a.write_text("file a", encoding="utf-8")
    b.write_text("file b", encoding="utf-8")
    read_table = tablecache.givable(read, a)
    given = {"from": "memory"}
    read_table.give(a, given)
    assert read_table() is given and read_table(a) is given
    assert read_table(b) == {"from": "file b"} and reads == [b]
    read_table.cache_clear()
    a.write_text("file a, retrained", encoding="utf-8")
    assert read_table() == {"from": "file a, retrained"} and reads == [b, a]
