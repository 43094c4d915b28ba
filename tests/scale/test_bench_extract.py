"""benchmarks/bench_extract.py's own bookkeeping: the input read as it is coded and the outputs
compared line by line (issue 16: the benchmark measures the extractor, not itself)."""

import importlib.util
from argparse import Namespace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_extract", ROOT / "benchmarks" / "bench_extract.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_outputs_compared_line_by_line(tmp_path):
    b = _bench()
    a, same, other, longer = (tmp_path / n for n in ("a", "b", "c", "d"))
    a.write_text("x\ny\nz\n")
    same.write_text("x\ny\nz\n")
    other.write_text("x\nY\nz\n")
    longer.write_text("x\ny\nz\nw\n")
    assert b.first_difference(str(a), str(same)) is None
    assert b.first_difference(str(a), str(other)) == 2
    assert b.first_difference(str(a), str(longer)) == 4
    assert b.first_difference(str(longer), str(a)) == 4


def test_input_streamed_with_limit_and_repeat(tmp_path):
    b = _bench()
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(f'{{"id": "{i}", "text": "t"}}\n' for i in range(5)))
    args = Namespace(input=str(inp), limit=3, repeat=2)
    stream = b._stream(args)
    assert next(stream) == '{"id": "0", "text": "t"}\n'        # a generator: nothing read ahead
    assert [r["id"] for r in b._records(args)] == ["0", "1", "2", "0", "1", "2"]
