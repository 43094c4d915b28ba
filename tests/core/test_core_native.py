"""The compiled text core and the pure-Python path give the same answers on the same inputs.

``marsad/text/native.py`` picks the core (built by scripts/setup) unless MARSAD_PURE is set; the
pure-Python functions stay importable beside it. Unit checks compare the two function by
function; the end-to-end check codes the bundled demo reports (and the seed report, when
../shared is there) in a process with MARSAD_PURE=1 and in one without, and compares the lines.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from marsad.lexicon import matcher
from marsad.text import native, normalize
from marsad.text import tokens as pytok

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "marsad" / "demo" / "reports.jsonl"
SEED = ROOT.parent / "shared" / "examples" / "khalidiya_homs.txt"

try:
    from marsad.text import _core
except ImportError:  # no compiler where the suite runs: only the pure path can be tested
    _core = None

needs_core = pytest.mark.skipif(_core is None, reason="the compiled text core is not built")

TEXTS = [
    "قصفت الطائرات حي الخالدية في حمص. وقتل 5 أشخاص!وأصيب آخرون؟",
    "قال المدعوة ف.أ. إن 3.5 مليون نزحوا; و\"انتهى\".\n\nعاجل - دمشق - (رويترز): قتل 12",
    "#حفر_الباطن: انفجار... في 2015.08.10 وم. ج قال «لا»)] ثم سقط صاروخ",
    "", " ", "\n\n", ".", "5.", "a.b", "ي.", "ا. ب", "x_y z__", "٣٫٥ قتلى.", "\u200fتل\u0640\u064eعفر",
]


def _random_texts(n: int, seed: int = 7) -> list[str]:
    pieces = list(".!?;\"')] \n\t5٣a_,#«»") + ["بال", "وال", "حمص", "القوات", "قصف", "الجيش الحر",
                                                   "\u0621", "\u064a", "\u064b", "¹", "Ⅻ", "\u2028"]
    rnd = random.Random(seed)
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40))) for _ in range(n)]


def test_the_selected_path_follows_the_flag():
    # the in-process choice: the core when it is built and MARSAD_PURE is unset
    assert (native.core is not None) == (_core is not None and not native.PURE)
    code = "from marsad.text import native, tokens; print(native.core is None, tokens.split_sentences.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "MARSAD_PURE": "1"}).stdout.split()
    assert out == ["True", "split_sentences_py"]


@needs_core
def test_sentences_equal_the_pure_path():
    for text in TEXTS + _random_texts(3000):
        for s in (text, normalize(text)[0]):
            sents = pytok.split_sentences_py(s)
            assert _core.split_sentences(s) == sents, s


@needs_core
@pytest.mark.parametrize("name", ["actors.tsv", "weapons.tsv", "sources.tsv", "conditions.tsv",
                                  "triggers.tsv", "cues.tsv"])
def test_lexicon_hits_equal_the_pure_path(name):
    m = matcher(name)
    for text in TEXTS + _random_texts(500, seed=3):
        norm = normalize(text)[0]
        assert m._hits(norm, 0, len(norm)) == list(m._hits_py(norm, 0, len(norm))), text


@needs_core
def test_gazetteer_hits_equal_the_pure_path():
    from marsad.places.geoparser import Geoparser, gazetteer_hits, gazetteer_hits_py
    gp = Geoparser()
    for text in TEXTS + _random_texts(500, seed=5) + ["#بلدة_الزبداني في ريف دمشق ولبنان والقاهرة وبحمص"]:
        norm = normalize(text)[0]
        spaced = norm.replace("_", " ")
        assert gazetteer_hits(gp.gaz, spaced, norm) == \
            gazetteer_hits_py(gp.auto, gp.gaz.index, spaced, norm), text


def _extract(records: Path, pure: bool, tmp: Path) -> str:
    out = tmp / ("pure.jsonl" if pure else "compiled.jsonl")
    env = {k: v for k, v in os.environ.items() if k != "MARSAD_PURE"}
    if pure:
        env["MARSAD_PURE"] = "1"
    code = "from marsad.cli import main; main()"
    subprocess.run([sys.executable, "-c", code, "extract", "--input", str(records), "--output", str(out)],
                   env=env, capture_output=True, text=True, timeout=600)
    return out.read_text(encoding="utf-8")


@needs_core
def test_extract_output_is_identical_on_both_paths(tmp_path):
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    if SEED.exists():
        lines.append(json.dumps({"id": "seed", "text": SEED.read_text(encoding="utf-8"),
                                 "published": "2015-08-10"}, ensure_ascii=False))
    lines.append(json.dumps({"id": "edge", "text": " ".join(TEXTS)}, ensure_ascii=False))
    records = tmp_path / "in.jsonl"
    records.write_text("\n".join(lines) + "\n", encoding="utf-8")
    compiled = _extract(records, False, tmp_path)
    assert compiled.count("\n") == len(lines) and '"events": [{' in compiled
    assert compiled == _extract(records, True, tmp_path)


@needs_core
def test_search_readings_equal_the_pure_path():
    from marsad.store import search
    words = ["وبالقصف", "قصفتها", "القوات", "ال", "a", "", "x١", "للمدنيين", "فسيقصفونهم", "حمص"]
    # each proclitic and suffix on stems of 0-4 letters: the compiled path looks a suffix up once
    # per word, for all its stems (which end where the word does)
    words += [p + stem + suf for p in ("",) + search.PROCLITICS for stem in ("", "ق", "قص", "قصف", "هها")
              for suf in ("",) + search._SUFFIXES]
    for text in TEXTS + _random_texts(300, seed=9):
        words += search._WORD.findall(normalize(text)[0])
    for w in words:
        assert search.readings(w) == search.readings_py(w), w


@needs_core
def test_detector_sums_equal_the_pure_path():
    # the event detector's probability and type sums in C are the same floats as its Python
    # loops (same products, same order of additions), on the features of real candidates
    from datetime import date
    from itertools import repeat

    import numpy as np

    from marsad.components.events import candidates
    from marsad.components.events import model as model_mod
    from marsad.components.events.model import _sigmoid, default_model
    from marsad.pipeline import default_pipeline

    mdl = default_model()
    if mdl is None:
        pytest.skip("no shipped event detector")
    seen = []
    real = candidates.incident_features

    def keep(*a, **k):
        f = real(*a, **k)
        seen.append(dict(f))
        return f
    candidates.incident_features = keep
    # (the feature dicts: the id-based sums of events/_fast.pyx, which build none, are compared
    # with these in tests/components/test_events_native.py)
    real_fast = candidates.fast_for
    candidates.fast_for = lambda model: None
    try:
        nlp = default_pipeline()
        for line in DEMO.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            nlp(rec["text"], date.fromisoformat(rec["published"]) if rec.get("published") else None, {})
    finally:
        candidates.incident_features = real
        candidates.fast_for = real_fast
    assert seen
    seen.append({"margin": -0.3, "no such feature": 1.0, "t:Battles": 1.0})
    names, index, terms = mdl._terms
    for f in seen:
        z = mdl.weights.get("bias", 0.0)
        for x, v in zip(map(mdl.weights.get, f), f.values()):
            if x is not None:
                z += x * v
        assert _core.weighted_sum(mdl.weights, f, mdl.weights.get("bias", 0.0)) == z
        rows = terms[[0] + list(map(index.get, f, repeat(1)))]
        rows[1:] *= np.fromiter(f.values(), float, len(f))[:, None]
        assert _core.type_sums(index, terms, f) == np.cumsum(rows, axis=0)[-1].tolist()
        # both in one pass (judge), the sigmoid of the same float
        z1, sums = _core.detector_sums(mdl.weights, index, mdl._det, terms, f, mdl.weights.get("bias", 0.0))
        assert sums == np.cumsum(rows, axis=0)[-1].tolist()
        assert _sigmoid(z1) == _sigmoid(z)
        # judge gives the sums only when the model runs compiled (MARSAD_PURE=1: best_type makes them)
        assert mdl.judge(f) == (_sigmoid(z), sums if model_mod.core is not None else None)
