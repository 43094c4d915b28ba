"""Issue 16: what an extracting process loads. OpenSSL (through hashlib) and the store's linking
features (rapidfuzz) cost every process a few MB of RSS and the extractor uses neither."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _python(code: str, **env: str) -> str:
    """What a fresh interpreter prints running ``code`` in the project (its modules as a user's)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=ROOT, env={**os.environ, **env}).stdout.strip()


def test_extractor_modules_load_neither_openssl_nor_the_linking_features():
    code = ("import sys, marsad.extract, marsad.pipeline, marsad.components.events, "
            "marsad.incident.merging, marsad.incident.within, marsad.ner.tagger, marsad.ner.selftrain, "
            "marsad.lang.names, marsad.lang.clusters, marsad.places.gazetteer; "
            "print(sorted(m for m in ('_hashlib', 'rapidfuzz', 'marsad.incident.link') if m in sys.modules))")
    assert _python(code) == "[]"


def test_the_linking_names_still_come_from_the_package():
    from marsad.incident import Link, same_incident, score, weights
    from marsad.incident import link, within
    assert (Link, score, weights) == (link.Link, link.score, link.weights)
    assert same_incident is within.same_incident


def test_the_gazetteer_digest_is_every_processes_and_tells_a_changed_byte():
    # the cache file's name: the same in any process (no hash seed), another for other bytes
    from marsad.places import gazetteer
    code = "from marsad.places.gazetteer import source_digest; print(source_digest())"
    names = {_python(code, PYTHONHASHSEED=seed) for seed in ("1", "2")}
    assert names == {gazetteer.source_digest()} and len(names.pop()) == 16
    data = "حلب;pycountry=24.6.1;".encode() * 50
    whole, parts = gazetteer._Digest(data), gazetteer._Digest(data[:7])
    parts.update(data[7:])
    assert whole.hexdigest() == parts.hexdigest()
    for i in (0, 500, len(data) - 1):
        changed = data[:i] + bytes([data[i] ^ 1]) + data[i + 1:]
        assert gazetteer._Digest(changed).hexdigest() != whole.hexdigest()


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux's /proc")
def test_extracting_a_record_maps_no_openssl():
    from marsad.places import gazetteer
    gazetteer.load()   # the index cached first: building it is another process's work
    code = ("import json, sys, marsad.extract; out = marsad.extract.extract_record({'id': 'x', "
            "'published': '2015-08-03', 'text': 'قتل خمسة مدنيين في غارة جوية على بلدة أريحا في "
            "ريف إدلب.'}); print(json.dumps([len(out['events']), 'libcrypto' in "
            "open('/proc/self/maps').read(), '_hashlib' in sys.modules]))")
    assert json.loads(_python(code).splitlines()[-1]) == [1, False, False]


def test_marsad_extract_loads_no_other_command_and_no_progress_bar(tmp_path):
    # the areas' command modules and tqdm were 4 MB of `marsad extract`'s peak RSS
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text('{"id": "r1", "text": "قصفت قوات النظام بلدة كفرنبل في ريف إدلب أمس."}\n',
                   encoding="utf-8")
    code = ("import sys\nfrom marsad.cli import main, COMMAND_MODULES\n"
            f"try:\n    main(['extract', '--input', {str(inp)!r}, '--output', {str(out)!r}, '--no-progress'])\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n"
            "print(sorted(m for m in COMMAND_MODULES + ['tqdm'] if m in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.strip().splitlines()[-1] == "[]"
    assert '"id": "r1"' in out.read_text(encoding="utf-8")


def test_the_other_commands_are_still_there_when_asked_for():
    res = subprocess.run([sys.executable, "-m", "marsad", "status", "--help"], capture_output=True,
                         text=True, cwd=ROOT)
    assert res.returncode == 0 and "marsad status [OPTIONS]" in res.stdout, res.stderr[-2000:]
    from marsad.cli import main
    assert {"extract", "ingest", "serve", "ner", "gazetteer"} <= set(main.commands)


def test_a_language_file_keeps_one_string_per_repeated_value(tmp_path):
    from marsad.lexicon import load_tsv
    (tmp_path / "t.tsv").write_text("pattern\tkind\tsource\n" + "".join(
        f"كلمة{i}\tstate \tCODING.md; brief\n" for i in range(3)), encoding="utf-8")
    rows = load_tsv("t.tsv", tmp_path)
    assert [r["kind"] for r in rows] == ["state"] * 3          # stripped, as before
    assert rows[0]["source"] is rows[1]["source"] is rows[2]["source"]
    assert rows[0]["kind"] is rows[2]["kind"]


def test_a_compiled_extraction_builds_no_lexicon_or_gazetteer_automaton():
    # the scans read the patterns from word ends (text/_ends.pyx): the Aho-Corasick automata,
    # about 2 MB of peak RSS, are built only for the pure path or a caller asking for them
    from marsad.text import native
    if native.ends is None:
        pytest.skip("the compiled scans are not built")
    from marsad.places import gazetteer
    gazetteer.load()
    code = ("import json, marsad.extract, marsad.lexicon as L, marsad.places.gazetteer as G; "
            "marsad.extract.extract_record({'id': 'x', 'published': '2015-08-03', 'text': 'قصفت قوات "
            "النظام بالبراميل المتفجرة بلدة أريحا في ريف إدلب وقتل خمسة مدنيين.'}); "
            "print(json.dumps([L.matcher.cache_info().currsize, "
            "sorted(n for n in ('actors.tsv', 'weapons.tsv', 'sources.tsv', 'conditions.tsv') "
            "if L.matcher(n)._auto is not None), G.load()._auto is not None]))")
    made, built, gaz = json.loads(_python(code).splitlines()[-1])
    assert made >= 4 and built == [] and gaz is False


def test_a_lexicons_automaton_built_on_demand_holds_its_patterns():
    from marsad.lexicon import matcher
    m = matcher("weapons.tsv")
    assert sorted(m.auto.items()) == sorted((pat, v) for pat, v in ((v[0], v) for v in m.values()))
    assert m.auto is m.auto
