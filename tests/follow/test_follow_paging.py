"""Long feeds are read to the end over several passes; compressed bodies are bounded as they
inflate."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib

import pytest
from follow_pages import article_html, rss
from follow_server import Route

from marsad.follow import http
from marsad.follow.feedlist import parse_feeds
from marsad.follow.feeds import Follower
from marsad.follow.http import FetchError, PoliteClient


def test_every_item_of_a_long_feed_is_fetched_over_the_passes(server, store):
    n = 25
    items = [(f"/a/{i}", f"خبر رقم {i}", "2024-03-05") for i in range(n)]
    server.routes["/long.xml"] = Route(body=rss(server.base, items), etag='"v1"',
                                       headers={"Content-Type": "application/rss+xml"})
    page = article_html("kafranbel").encode()
    for path, _, _ in items:
        server.routes[path] = Route(body=page, headers={"Content-Type": "text/html; charset=utf-8"})
    feeds, _ = parse_feeds(server.url("/long.xml"))
    client = PoliteClient(timeout=2, retries=0, min_interval=0)
    follower = Follower(store, feeds, client=client, workers=1, max_new_per_pass=10)
    try:
        fetched, left = [], []
        for _ in range(4):
            s = follower.run_pass()
            fetched.append(s.articles_fetched)
            left.append(s.left_for_next_pass)
    finally:
        client.close()
    assert fetched == [10, 10, 5, 0] and left == [15, 5, 0, 0]
    assert all(server.count(p) == 1 for p, _, _ in items)       # each article once, none skipped
    # the feed is read in full while items are left; once all are known, a 304 costs nothing
    assert [h.headers.get("if-none-match") for h in server.hits_for("/long.xml")] == [None, None, None, '"v1"']


def _bomb(size: int) -> bytes:
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * 1_000_000
    return b"".join(z.compress(block) for _ in range(size // len(block))) + z.flush()


def test_a_gzip_bomb_is_stopped_before_it_inflates(server, monkeypatch):
    monkeypatch.setattr(http, "MAX_BYTES", 1_000_000)
    server.routes["/bomb.xml"] = Route(body=_bomb(100_000_000), headers={"Content-Encoding": "gzip"})
    with PoliteClient(timeout=5, retries=0, min_interval=0) as client:
        tracemalloc.start()
        try:
            with pytest.raises(FetchError, match="larger than 1,000,000 bytes once decompressed"):
                client.get(server.url("/bomb.xml"))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 10_000_000, peak        # 100 MB of zeros were never held


def _raw_deflate(data: bytes) -> bytes:
    z = zlib.compressobj(wbits=-zlib.MAX_WBITS)   # no zlib header, as some servers send it
    return z.compress(data) + z.flush()


@pytest.mark.parametrize("encoding,compress", [("gzip", gzip.compress), ("deflate", zlib.compress),
                                               ("deflate", _raw_deflate)], ids=["gzip", "zlib", "raw"])
def test_compressed_bodies_are_decoded(server, encoding, compress):
    body = "<rss>خبر</rss>".encode() * 1000
    server.routes["/c"] = Route(body=compress(body), headers={"Content-Encoding": encoding})
    with PoliteClient(timeout=5, retries=0, min_interval=0) as client:
        assert client.get(server.url("/c")).content == body


def test_an_unknown_or_broken_encoding_is_a_reason(server):
    server.routes["/br"] = Route(body=b"xx", headers={"Content-Encoding": "br"})
    server.routes["/bad"] = Route(body=b"not gzip at all", headers={"Content-Encoding": "gzip"})
    with PoliteClient(timeout=5, retries=0, min_interval=0) as client:
        with pytest.raises(FetchError, match="unsupported Content-Encoding: br"):
            client.get(server.url("/br"))
        with pytest.raises(FetchError, match="broken gzip body"):
            client.get(server.url("/bad"))
