"""The polite client and page decoding, against a real server on 127.0.0.1."""

from __future__ import annotations

import threading

import pytest
from follow_server import Route
from follow_pages import article_html

from marsad.follow.article import ExtractError, decode_html, extract_article
from marsad.follow.feedlist import canonical_url
from marsad.follow.feeds import parse_every
from marsad.follow.http import FetchError, PoliteClient


def test_requests_to_one_host_are_spaced_even_from_several_threads(server):
    for i in range(4):
        server.routes[f"/p{i}"] = Route(body=b"ok")
    with PoliteClient(timeout=2, retries=0, min_interval=0.2) as client:
        threads = [threading.Thread(target=client.get, args=(server.url(f"/p{i}"),)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    times = sorted(h.t for h in server.hits)
    assert len(times) == 4
    gaps = [b - a for a, b in zip(times, times[1:])]
    # 0.2 s apart when sent; arrival can jitter on a loaded machine, bunching never happens
    assert min(gaps) >= 0.1 and times[-1] - times[0] >= 0.5, gaps


def test_transient_errors_are_retried_with_backoff_and_permanent_ones_are_not(server):
    calls = []

    def flaky(hit):
        calls.append(hit.t)
        return (503, {}, b"busy") if len(calls) < 3 else (200, {"ETag": '"x"'}, b"<rss/>")

    server.routes["/flaky"] = Route(handler=flaky)
    server.routes["/gone"] = Route(status=404)
    with PoliteClient(timeout=2, retries=2, backoff=0.1, min_interval=0) as client:
        r = client.get(server.url("/flaky"))
        assert r.status == 200 and r.attempts == 3 and r.etag == '"x"'
        assert calls[1] - calls[0] >= 0.09 and calls[2] - calls[1] >= 0.19   # 0.1 s, then 0.2 s
        with pytest.raises(FetchError) as e:
            client.get(server.url("/gone"))
        assert e.value.status == 404 and "404" in e.value.reason
    assert server.count("/gone") == 1


def test_timeouts_and_refused_connections_become_reasons(server):
    server.routes["/slow"] = Route(body=b"late", delay=1.5)
    with PoliteClient(timeout=0.3, retries=1, backoff=0.01, min_interval=0) as client:
        with pytest.raises(FetchError) as e:
            client.get(server.url("/slow"))
        assert "timed out" in e.value.reason and "2 attempts" in e.value.reason
        with pytest.raises(FetchError) as e:
            client.get("http://127.0.0.1:9/nothing-listens-here")
        assert "connection failed" in e.value.reason
    # a server that sends a byte now and then never trips the read timeout: the total time does
    server.routes["/drip"] = Route(body=b"x" * 40, drip=0.05)
    with PoliteClient(timeout=0.3, retries=0, min_interval=0, max_time=0.5) as client:
        with pytest.raises(FetchError) as e:
            client.get(server.url("/drip"))
        assert "timed out" in e.value.reason


def test_pages_are_decoded_by_their_declared_or_detected_charset():
    page = article_html("taiz", "windows-1256")
    raw = page.encode("cp1256")
    assert decode_html(raw, "text/html")[0] == page                          # <meta> only
    assert decode_html(raw, "text/html; charset=windows-1256")[0] == page    # header
    assert decode_html(raw, "text/html; charset=utf-8")[0] == page           # wrong header: not valid UTF-8
    bare = page.replace('<meta charset="windows-1256">', "")
    assert decode_html(bare.encode("cp1256"), "text/html") == (bare, "cp1256")   # declared nowhere: detected
    utf8 = article_html("douma")
    assert decode_html(utf8.encode(), "")[0] == utf8
    assert decode_html(b"\xef\xbb\xbf" + utf8.encode(), "text/html; charset=windows-1256")[0] == utf8  # BOM wins


def test_a_page_without_an_article_is_refused_with_a_reason():
    with pytest.raises(ExtractError) as e:
        extract_article("<html><body><nav><a href='/'>الرئيسية</a></nav></body></html>".encode(), "http://x/")
    assert "no article text" in str(e.value)


def test_urls_and_intervals():
    assert canonical_url("HTTP://News.Example/a/b?id=3&utm_source=rss&utm_medium=x#top") == "http://news.example/a/b?id=3"
    assert parse_every("10m") == 600 and parse_every("90s") == 90 and parse_every("1h") == 3600
    assert parse_every("5") == 300
    with pytest.raises(ValueError):
        parse_every("soon")
