"""How fast `marsad follow` takes in new articles, on a local server (no internet).

    .venv/bin/python benchmarks/bench_follow.py [--feeds 10] [--items 20] [--workers 8]

Prints: article extraction time per page (trafilatura, no network), then one full pass over
FEEDS feeds of ITEMS new articles each served from 127.0.0.1 (fetch + extract + code + store),
then a second pass (all 304). All feeds are on 127.0.0.1, so the per-host spacing is set to 0
(with the default 1 s, one host's articles take 1 s each).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "follow"))

from conftest import Route, TestServer  # noqa: E402
from follow_pages import ARTICLES, article_html, rss  # noqa: E402

from marsad.follow.article import extract_article  # noqa: E402
from marsad.follow.feedlist import Feed  # noqa: E402
from marsad.follow.feeds import Follower  # noqa: E402
from marsad.follow.http import PoliteClient  # noqa: E402
from marsad.store import open_store  # noqa: E402


def page(i: int) -> bytes:
    key = list(ARTICLES)[i % len(ARTICLES)]
    # a distinct text per page, so the store does not take them for duplicates
    return article_html(key).replace("</article>", f"<p>رقم التقرير {i} في سلسلة الاختبار.</p></article>").encode()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=10)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--workers", type=int, default=8)
    args = ap.parse_args()

    pages = [page(i) for i in range(200)]
    extract_article(pages[0], "http://x/0")  # imports
    t = time.perf_counter()
    for i, p in enumerate(pages):
        extract_article(p, f"http://x/{i}")
    per = (time.perf_counter() - t) / len(pages)
    print(f"extraction: {per * 1000:.2f} ms/page over {len(pages)} pages ({1 / per:.0f} pages/s)")

    server = TestServer().start()
    feeds = []
    n = 0
    for f in range(args.feeds):
        items = []
        for j in range(args.items):
            path = f"/f{f}/a{j}"
            server.routes[path] = Route(body=page(n), headers={"Content-Type": "text/html; charset=utf-8"})
            items.append((path, f"t{n}", "2024-03-05"))
            n += 1
        host = server.base
        server.routes[f"/f{f}/feed.xml"] = Route(body=rss(host, items), etag=f'"{f}"')
        feeds.append(Feed(f"{host}/f{f}/feed.xml", f"outlet {f}"))
    with tempfile.TemporaryDirectory() as d:
        store = open_store(Path(d) / "bench.db")
        store.ingest_record({"id": "warm", "text": "قصف مدفعي على بلدة كفرنبل اليوم."})  # load the pipeline
        client = PoliteClient(timeout=10, retries=1, min_interval=0)
        fol = Follower(store, feeds, client=client, workers=args.workers)
        s1 = fol.run_pass()
        print(f"pass 1: {s1.summary()}")
        print(f"        {s1.stored / s1.seconds:.1f} articles/s stored and coded, {len(server.hits)} requests")
        server.clear()
        s2 = fol.run_pass()
        print(f"pass 2: {s2.summary()}; {len(server.hits)} requests")
        client.close()
        store.close()
    server.stop()


if __name__ == "__main__":
    main()
