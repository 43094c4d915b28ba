"""Build the compiled text core in place: ``python -m marsad.text.build_core``.

Run by ``scripts/setup`` after the package is installed; Cython turns ``_core.pyx`` into C and
the system's C compiler builds the extension next to it, so the editable install imports it.
Exits non-zero when Cython or a compiler is missing; Marsad then runs its pure-Python path.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build() -> Path:
    from Cython.Build import cythonize
    from setuptools import Extension
    from setuptools.dist import Distribution

    # the text core, the name tagger's decoder (marsad/ner/_decode.pyx), the event detector's
    # sums (marsad/components/events/_fast.pyx) and a candidate's sides and place (_sides.pyx),
    # the linking's shingle similarities
    # (marsad/incident/_fast.pyx)
    # (-ffp-contract=off: the event detector's sums round as Python's do, no fused multiply-add)
    exts = [Extension("marsad.text._core", [str(HERE / "_core.pyx")],
                      extra_compile_args=["-O2", "-ffp-contract=off"]),
            Extension("marsad.ner._decode", [str(HERE.parent / "ner" / "_decode.pyx")],
                      extra_compile_args=["-O2"]),
            # the event detector's sums over feature ids (the same floats as the Python path)
            Extension("marsad.components.events._fast",
                      [str(HERE.parent / "components" / "events" / "_fast.pyx")],
                      extra_compile_args=["-O2", "-ffp-contract=off"]),
            # a candidate's sides and place (events/actors.py's assign_actors, events/places.py's
            # place_of; the place scores' floats as Python's: no fused multiply-add)
            Extension("marsad.components.events._sides",
                      [str(HERE.parent / "components" / "events" / "_sides.pyx")],
                      extra_compile_args=["-O2", "-ffp-contract=off"]),
            # a built candidate's path: build_event, the rules' score and the detector's sums
            # (build.py, scores.py, features.py typed; -ffp-contract=off: the score adds as Python)
            Extension("marsad.components.events._cand",
                      [str(HERE.parent / "components" / "events" / "_cand.pyx")],
                      extra_compile_args=["-O2", "-ffp-contract=off"]),
            # the linking's shingle similarities, pair features and blocking test
            # (marsad/incident/features.py's _jaccards, values_all and unblocked)
            Extension("marsad.incident._fast", [str(HERE.parent / "incident" / "_fast.pyx")],
                      extra_compile_args=["-O2"]),
            # the Doc's normalised text, offsets and tokens (normalize.normalize, tokens.tokenize)
            Extension("marsad.text._doc", [str(HERE / "_doc.pyx")], extra_compile_args=["-O2"]),
            # lexicon and gazetteer hits read back from word ends (lexicon.PhraseMatcher,
            # places.geoparser.gazetteer_hits)
            Extension("marsad.text._ends", [str(HERE / "_ends.pyx")], extra_compile_args=["-O2"]),
            # the numbers step's rules (marsad/components/numbers.py's _sentence and run, typed)
            Extension("marsad.components._numbers", [str(HERE.parent / "components" / "_numbers.pyx")],
                      extra_compile_args=["-O2"]),
            # the dates step's windows (marsad/components/dates.py's _merge_py)
            Extension("marsad.components._dates", [str(HERE.parent / "components" / "_dates.pyx")],
                      extra_compile_args=["-O2"]),
            # the geoparser's per-letter loops (places.geoparser's prev_word and _cue_words)
            Extension("marsad.places._scan", [str(HERE.parent / "places" / "_scan.pyx")],
                      extra_compile_args=["-O2"]),
            # an output line's JSON text (marsad/jsonline.py: json.dumps(obj, ensure_ascii=False))
            Extension("marsad._lines", [str(HERE.parent / "_lines.pyx")],
                      extra_compile_args=["-O2"])]
    # (include_path: the repository, where the event modules cimport marsad/text/_sums.pxd and
    # events/_strength.pxd)
    dist = Distribution({"name": "marsad-core", "ext_modules": cythonize(exts, quiet=True,
                                                                         include_path=[str(HERE.parent.parent)],
                                                                         build_dir=str(HERE.parent.parent / "build"))})
    cmd = dist.get_command_obj("build_ext")
    cmd.inplace = True
    cmd.build_temp = str(HERE.parent.parent / "build" / "temp")
    cmd.ensure_finalized()
    cmd.run()
    return Path(cmd.get_ext_fullpath("marsad.text._core"))


def main() -> int:
    os.chdir(HERE.parent.parent)  # in place: the .so lands beside _core.pyx
    try:
        path = build()
    except Exception as e:  # noqa: BLE001 - no Cython, no compiler: the pure path stays
        print(f"build_core: the compiled text core was not built ({type(e).__name__}: {e}); "
              "Marsad runs its pure-Python path", file=sys.stderr)
        return 1
    print(f"build_core: built {path.relative_to(HERE.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
