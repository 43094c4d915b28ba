#!/usr/bin/env python3
"""Inter-annotator agreement on the double-coded articles (annotations/README.md).

Each double-coded article is scored with the evaluator's own event matching
(../shared/eval/score.py events: type + country + admin1, closest first), the primary coding
as the reference and the blind second coding as the prediction. Event F1 is symmetric, so
which one is the reference does not change it; field agreements are over matched events.

    scripts/agreement.py [--annotators k,l,m,n]   # only the articles these annotators coded first
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORE = ROOT.parent / "shared" / "eval" / "score.py"


def main(argv: list[str]) -> int:
    first = set(argv[argv.index("--annotators") + 1].split(",")) if "--annotators" in argv else None
    recs = []
    for path in sorted((ROOT / "annotations" / "events").glob("*.jsonl")):
        recs += [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    primary = {r["id"]: r for r in recs if r["role"] == "primary"}
    double = {r["id"]: r for r in recs if r["role"] == "double"}
    both = sorted(i for i in set(primary) & set(double) if first is None or primary[i]["annotator"] in first)
    if not both:
        print("no article coded twice yet", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        gold, pred = Path(tmp, "gold.jsonl"), Path(tmp, "pred.jsonl")
        gold.write_text("".join(json.dumps(primary[i], ensure_ascii=False) + "\n" for i in both), encoding="utf-8")
        pred.write_text("".join(json.dumps(double[i], ensure_ascii=False) + "\n" for i in both), encoding="utf-8")
        out = subprocess.run([sys.executable, str(SCORE), "events", str(gold), str(pred)],
                             capture_output=True, text=True, check=True).stdout
    agree_any = sum(bool(primary[i]["events"]) == bool(double[i]["events"]) for i in both)
    print(f"double_coded_articles: {len(both)}")
    print(f"articles_with_events_agreement: {agree_any / len(both):.4f}")
    print(out.strip())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
