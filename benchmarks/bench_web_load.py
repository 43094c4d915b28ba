"""Web load benchmark: a bounded burst of mixed requests, N at a time, against `marsad serve`.

Starts a real ``marsad serve`` on 127.0.0.1 over a store of the 1,213 news articles (ingested
once into a temporary folder, or ``--db PATH``), then sends, with ``--concurrency`` keep-alive
connections (default 32), ``--requests`` requests (default 3,000) of a mix an analyst's browser
makes: the map page, /api/events (first page), filtered /api/events, /api/map, an event page.
Beside it, in the same run against the same server: a burst of the same size for a static file
(the baseline: what the server does without touching the store). Prints requests/s and p50/p99
latency of each, and per kind of request. Only 127.0.0.1 is contacted; the burst is bounded
and the server is stopped at the end.

    .venv/bin/python benchmarks/bench_web_load.py [--db PATH] [--requests 3000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NEWS = REPO.parent / "shared" / "data" / "news" / "conflict_2015.jsonl"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(folder: Path) -> Path:
    db = folder / "news.db"
    print(f"ingesting {NEWS.name} into {db} (once)...", flush=True)
    subprocess.run([sys.executable, "-m", "marsad", "ingest", str(NEWS), "--db", str(db), "--workers", "2",
                    "--no-progress"], check=True, cwd=REPO)
    return db


async def fetch(reader, writer, path: str) -> tuple[int, int]:
    """One GET on a keep-alive connection: (status, body bytes)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
        return status, len(body)
    size = 0   # chunked
    while True:
        n = int((await reader.readuntil(b"\r\n")).strip(), 16)
        await reader.readexactly(n + 2)
        size += n
        if n == 0:
            return status, size


async def burst(port: int, paths: list[tuple[str, str]], concurrency: int) -> dict:
    """Send every (kind, path) over ``concurrency`` connections; latency per request."""
    queue = list(reversed(paths))
    lat: dict[str, list[float]] = {}
    errors = 0

    async def worker():
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while queue:
                kind, path = queue.pop()
                t0 = time.perf_counter()
                status, _ = await fetch(reader, writer, path)
                lat.setdefault(kind, []).append(time.perf_counter() - t0)
                if status != 200:
                    errors += 1
        finally:
            writer.close()
    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - t0
    return {"wall": wall, "lat": lat, "errors": errors, "n": len(paths)}


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def report(name: str, r: dict) -> None:
    every = [x for v in r["lat"].values() for x in v]
    print(f"{name:<28} {r['n'] / r['wall']:8.0f} req/s   p50 {1000 * pct(every, 50):6.1f} ms   "
          f"p99 {1000 * pct(every, 99):7.1f} ms   ({r['n']} requests, {r['errors']} not 200)")
    if len(r["lat"]) > 1:
        for kind, xs in sorted(r["lat"].items()):
            print(f"    {kind:<24} {len(xs):6d}   p50 {1000 * pct(xs, 50):6.1f} ms   p99 {1000 * pct(xs, 99):7.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="an existing store of the news articles (else ingested into a temp folder)")
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-cache", action="store_true", help="serve with --no-cache (every answer computed)")
    args = ap.parse_args()
    if not 1 <= args.requests <= 100_000 or not 1 <= args.concurrency <= 256:
        ap.error("--requests 1..100000, --concurrency 1..256")
    tmp = tempfile.TemporaryDirectory()
    db = Path(args.db) if args.db else build_store(Path(tmp.name))
    port = free_port()
    log = open(Path(tmp.name) / "serve.log", "w")
    env = {k: v for k, v in os.environ.items() if k != "MARSAD_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "serve", "--db", str(db), "--port", str(port),
                             ] + (["--no-cache"] if args.no_cache else []),
                            stdout=log, stderr=subprocess.STDOUT, cwd=REPO, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                with urllib.request.urlopen(base + "/api/status", timeout=2) as r:
                    status = json.load(r)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("marsad serve did not start")
        with urllib.request.urlopen(base + "/api/events?limit=1000", timeout=30) as r:
            ids = [e["id"] for e in json.load(r)["events"]]
        print(f"store: {status['reports']} reports, {status['events']} events; server on 127.0.0.1:{port}; "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        rng = random.Random(args.seed)
        mix = [("map page", lambda: "/"),
               ("/api/events", lambda: "/api/events"),
               ("/api/events filtered", lambda: rng.choice([
                   "/api/events?country=SY&event_type=Battles", "/api/events?actor=Houthi&limit=100",
                   "/api/events?country=YE&min_fatalities=5", "/api/events?date_from=2015-08-01&country=IQ"])),
               ("/api/map", lambda: "/api/map"),
               ("event page", lambda: f"/event/{rng.choice(ids)}")]
        mixed = [(kind, make()) for kind, make in (rng.choice(mix) for _ in range(args.requests))]
        static = [("static file", "/static/app.css")] * args.requests
        big = [("/api/events?country=SY&limit=500", "/api/events?country=SY&limit=500")] * max(1, args.requests // 10)
        # Warm-up (imports, caches of the first requests), not counted.
        asyncio.run(burst(port, [("warm", p) for _, p in mixed[:100]] + static[:50], 8))
        print(f"{args.requests} requests, {args.concurrency} at a time:")
        report("static file (baseline)", asyncio.run(burst(port, static, args.concurrency)))
        report("mixed", asyncio.run(burst(port, mixed, args.concurrency)))
        report("SY, limit=500", asyncio.run(burst(port, big, args.concurrency)))
    except Exception:
        log.flush()
        print("server log (last lines):\n" + "".join((Path(tmp.name) / "serve.log").read_text().splitlines(True)[-30:]))
        raise
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        tmp.cleanup()


if __name__ == "__main__":
    main()
