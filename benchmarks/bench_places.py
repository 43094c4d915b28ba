"""Places benchmark: gazetteer build and load time, geoparser throughput.

    .venv/bin/python benchmarks/bench_places.py [--docs N]

Texts: the news articles and IDRISI tweets under ../shared/data when present (read in place),
else synthetic reports. Throughput is reported next to a floor baseline timed in the same run:
normalising the same texts (marsad.text.normalize), which any step pays anyway. The machine is
shared, so compare the ratio, not the absolute figures.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SYNTHETIC = [
    "قصف الطيران الحربي مدينة دوما في الغوطة الشرقية بريف دمشق، وتعرض حي الخالدية في حمص لقصف بالهاون.",
    "عدن - سبأ: قتل ثلاثة أشخاص في اشتباكات بمديرية خور مكسر وفي الشيخ عثمان، فيما قصفت الطائرات مواقع في تعز.",
    "سيطرت القوات العراقية على مناطق في الفلوجة والرمادي بمحافظة الأنبار بعد معارك مع تنظيم داعش قرب هيت.",
]


def texts(n: int) -> list[str]:
    out: list[str] = []
    for rel, key in (("news/conflict_2015.jsonl", "text"), ("idrisi/train.jsonl", "text")):
        p = SHARED / rel
        if p.exists():
            with open(p, encoding="utf-8") as f:
                for line in f:
                    out.append(json.loads(line)[key])
                    if len(out) >= n:
                        return out
    while len(out) < n:
        out.extend(SYNTHETIC)
    return out[:n]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1500)
    a = ap.parse_args()
    from marsad.places import gazetteer as gz

    with tempfile.TemporaryDirectory() as d:
        os.environ["MARSAD_CACHE"] = d
        t = time.perf_counter()
        g = gz.compile_index()
        build = time.perf_counter() - t
        loads = []
        for _ in range(3):
            t = time.perf_counter()
            g2 = gz.read_index(Path(g.path))
            loads.append(time.perf_counter() - t)
        t = time.perf_counter()
        g2.automaton()
        auto = time.perf_counter() - t
    print(f"places: {len(g.places)}  name_keys: {len(g.index)}")
    print(f"gazetteer_build_seconds: {build:.2f}")
    print(f"index_load_seconds: {min(loads):.3f}")
    print(f"automaton_build_seconds: {auto:.3f}")

    from marsad.doc import Doc
    from marsad.places.component import component
    from marsad.text import normalize
    gz._GAZ = g2
    step = component()
    docs = texts(a.docs)
    chars = sum(len(x) for x in docs)
    t = time.perf_counter()
    for x in docs:
        normalize(x)
    base = time.perf_counter() - t
    prepared = [Doc(x) for x in docs]
    t = time.perf_counter()
    for d in prepared:
        step(d)
    geo = time.perf_counter() - t
    mentions = sum(len(d.layer("places")) for d in prepared)
    resolved = sum(1 for d in prepared for s in d.layer("places") if s.data.get("resolved"))
    print(f"docs: {len(docs)}  chars: {chars}  mentions: {mentions}  resolved: {resolved}")
    print(f"normalize_baseline_seconds: {base:.3f}  ({chars / base / 1e6:.2f} M chars/s)")
    print(f"geoparser_seconds: {geo:.3f}  ({chars / geo / 1e6:.2f} M chars/s, {len(docs) / geo:.0f} docs/s)")
    print(f"mentions_resolved_per_second: {resolved / geo:.0f}")
    print(f"geoparser_over_normalize: {geo / base:.2f}x")


if __name__ == "__main__":
    main()
