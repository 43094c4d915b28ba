"""The Dask engine on a LocalCluster with two workers gives the local output, record by record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from marsad.extract import extract_stream, read_jsonl

pytest.importorskip("distributed", reason="the Dask engine needs the scale extra (pip install -e '.[scale]')")
pytest.importorskip("pyarrow", reason="the Dask engine needs the scale extra (pip install -e '.[scale]')")

from marsad.scale.parallel import extract_dask, start_cluster  # noqa: E402

MARSAD = [str(Path(sys.executable).with_name("marsad"))]


@pytest.fixture(scope="module")
def client():
    client, cluster = start_cluster(2, None)
    yield client
    client.close()
    cluster.close()


def _input(records):
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.insert(4, "{broken")
    lines.insert(20, json.dumps({"id": "empty", "text": ""}))
    return list(read_jsonl(lines))


def _dump(results):
    return [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in results]


def test_two_workers_give_the_local_output_record_by_record(records, client):
    assert len(client.scheduler_info()["workers"]) == 2
    recs = _input(records)
    expected = _dump(extract_stream(recs))
    got = _dump(extract_dask(recs, partition=7, client=client))   # 10 partitions over 2 workers
    assert len(got) == len(expected) == 62
    for i, (g, e) in enumerate(zip(got, expected)):
        assert g == e, f"record {i} differs"
    # both workers built a pipeline and coded partitions
    pids = client.run(lambda: __import__("os").getpid())
    assert len(set(pids.values())) == 2


def test_partitions_are_written_as_parquet_files(records, client, tmp_path):
    import pyarrow.parquet as pq

    recs = _input(records)
    got = _dump(extract_dask(recs, partition=25, client=client, parquet_dir=str(tmp_path)))
    assert got == _dump(extract_stream(recs))
    parts = sorted(tmp_path.glob("part-*.parquet"))
    assert [p.name for p in parts] == ["part-000000.parquet", "part-000001.parquet", "part-000002.parquet"]
    table = pq.read_table(parts[0])
    assert table.num_rows == 25
    assert set(table.column_names) >= {"seq", "id", "error", "n_events", "result"}
    assert table.column("id").to_pylist()[4] is None          # the broken line keeps its place
    assert "not valid JSON" in table.column("error").to_pylist()[4]


def test_cli_engine_dask_writes_the_same_file_as_a_local_run(records, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records[:30]) + "\n{x\n",
                   encoding="utf-8")
    outs = []
    for extra in ([], ["--engine", "dask", "--workers", "2"]):
        out = tmp_path / f"out{len(extra)}.jsonl"
        p = subprocess.run(MARSAD + ["extract", "--input", str(src), "--output", str(out),
                                     "--no-progress", *extra],
                           capture_output=True, text=True, timeout=300)
        assert p.returncode == 1, p.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
