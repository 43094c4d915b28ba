"""What hostile feed servers cost `marsad follow`, on a local server (no internet).

    .venv/bin/python benchmarks/bench_follow_limits.py [--inflate-mb 1024] [--items 10000] [--gone]

1. A gzip body of about 1 MB that inflates to INFLATE_MB: the peak RSS while the client reads
   it (the running limit stops it at http.MAX_BYTES of output).
2. A feed of ITEMS entries (all served as the same article page; with --gone every page answers
   404, so only the paging is measured): how many passes and how long the follower takes to
   fetch every one, at the default cap of new entries per pass.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "follow"))

from conftest import Route, TestServer  # noqa: E402
from follow_pages import article_html, rss  # noqa: E402

from marsad.follow import feeds as feeds_mod  # noqa: E402
from marsad.follow.feedlist import parse_feeds  # noqa: E402
from marsad.follow.feeds import Follower  # noqa: E402
from marsad.follow.http import FetchError, PoliteClient  # noqa: E402
from marsad.store import open_store  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bomb(mb: int) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    return b"".join(z.compress(block) for _ in range(mb)) + z.flush()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--inflate-mb", type=int, default=1024)
    ap.add_argument("--items", type=int, default=10_000)
    ap.add_argument("--gone", action="store_true", help="article pages answer 404 (paging alone)")
    a = ap.parse_args()
    server = TestServer().start()
    try:
        body = bomb(a.inflate_mb)
        server.routes["/bomb"] = Route(body=body, headers={"Content-Encoding": "gzip"})
        before = rss_mb()
        t = time.perf_counter()
        with PoliteClient(timeout=30, retries=0, min_interval=0) as client:
            try:
                client.get(server.url("/bomb"))
                outcome = "read (no limit hit)"
            except FetchError as e:
                outcome = e.reason
        print(f"gzip body {len(body) / 1e6:.2f} MB inflating to {a.inflate_mb} MiB: {outcome} in "
              f"{time.perf_counter() - t:.2f} s; peak RSS {before:.0f} MB before, {rss_mb():.0f} MB after")

        items = [(f"/a/{i}", f"خبر {i}", "2024-03-05") for i in range(a.items)]
        server.routes["/long.xml"] = Route(body=rss(server.base, items), etag='"v1"')
        page = article_html("kafranbel").encode()
        for p, _, _ in items:
            server.routes[p] = (Route(status=404) if a.gone else
                                Route(body=page, headers={"Content-Type": "text/html; charset=utf-8"}))
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(Path(tmp) / "b.db")
            feeds, _ = parse_feeds(server.url("/long.xml"))
            with PoliteClient(timeout=30, retries=0, min_interval=0) as client:
                follower = Follower(store, feeds, client=client, workers=1)
                t, passes, fetched = time.perf_counter(), 0, 0
                while True:
                    s = follower.run_pass()
                    passes += 1
                    fetched += s.articles_fetched
                    if not s.articles_fetched or passes > a.items:
                        break
            store.close()
        seen = sum(1 for p, _, _ in items if server.count(p) == 1)
        print(f"feed of {a.items} entries, cap {feeds_mod.MAX_NEW_PER_PASS} new per pass: {fetched} "
              f"articles fetched in {passes} passes ({seen} of {a.items} exactly once), "
              f"{time.perf_counter() - t:.1f} s")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
