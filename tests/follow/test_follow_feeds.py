"""`marsad follow` against real HTTP servers on 127.0.0.1 serving Arabic feeds and pages.

One outlet list with everything that goes wrong in practice: a feed that never answers in time,
a malformed feed, an article page that fails with 500, a redirected article, a page in
windows-1256, the same article in two feeds. Requests are counted server-side.
"""

from __future__ import annotations

from follow_pages import ARTICLES, MALFORMED, article_html, atom, rss
from follow_server import Route

from marsad.follow.feedlist import Feed, parse_feeds
from marsad.follow.feeds import Follower
from marsad.follow.http import PoliteClient
from marsad.follow.state import FollowState

TIMEOUT = 0.5


class Clock:
    """The follower's clock, moved by the test instead of sleeping."""

    def __init__(self, t: float = 1_700_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def serve_outlets(server):
    base = server.base
    html = {"Content-Type": "text/html; charset=utf-8"}
    server.routes["/feeds/slow.xml"] = Route(body=rss(base, [("/articles/never", "x", "2024-03-05")]),
                                             delay=3.0, headers={"Content-Type": "application/rss+xml"})
    server.routes["/feeds/main.xml"] = Route(
        body=rss(base, [
            ("/articles/kafranbel?utm_source=rss", ARTICLES["kafranbel"]["title"], "2024-03-05"),
            ("/old/douma", ARTICLES["douma"]["title"], "2024-03-04"),
            ("/articles/taiz", ARTICLES["taiz"]["title"], "2024-03-02"),
            ("/articles/broken", ARTICLES["broken"]["title"], "2024-03-05"),
        ]),
        etag='"main-v1"', headers={"Content-Type": "application/rss+xml; charset=utf-8"})
    server.routes["/feeds/north.atom"] = Route(
        body=atom(base, [("/articles/aleppo", ARTICLES["aleppo"]["title"], "2024-03-03"),
                         ("/articles/kafranbel", ARTICLES["kafranbel"]["title"], "2024-03-05")]),
        last_modified="Tue, 05 Mar 2024 10:00:00 GMT", headers={"Content-Type": "application/atom+xml"})
    server.routes["/feeds/bad.xml"] = Route(body=MALFORMED, headers={"Content-Type": "application/rss+xml"})
    server.routes["/articles/kafranbel"] = Route(body=article_html("kafranbel").encode(), headers=html)
    server.routes["/old/douma"] = Route(status=301, headers={"Location": "/articles/douma"})
    server.routes["/articles/douma"] = Route(body=article_html("douma").encode(), headers=html)
    # windows-1256, declared only in the page's <meta>: the header gives no charset
    server.routes["/articles/taiz"] = Route(body=article_html("taiz", "windows-1256").encode("cp1256"),
                                            headers={"Content-Type": "text/html"})
    server.routes["/articles/broken"] = Route(status=500, body=b"Internal Server Error")
    server.routes["/articles/aleppo"] = Route(body=article_html("aleppo").encode(), headers=html)
    feeds_txt = "\n".join([
        "# outlets",
        f"{base}/feeds/slow.xml   موقع بطيء",
        f"{base}/feeds/main.xml   شبكة أخبار المرصد",
        f"{base}/feeds/north.atom\tوكالة أنباء الشمال",
        f"{base}/feeds/bad.xml",
        "not-a-url",
    ])
    return feeds_txt


def make_follower(store, feeds, clock):
    client = PoliteClient(timeout=TIMEOUT, retries=1, backoff=0.05, min_interval=0.0)
    return Follower(store, feeds, client=client, workers=4, clock=clock), client


def test_follow_stores_good_articles_records_failures_and_fetches_nothing_twice(server, store):
    feeds, problems = parse_feeds(serve_outlets(server))
    assert problems == ["line 6: not an http(s) URL: 'not-a-url'"]
    assert [f.name for f in feeds] == ["موقع بطيء", "شبكة أخبار المرصد", "وكالة أنباء الشمال", ""]
    clock = Clock()
    follower, client = make_follower(store, feeds, clock)

    # -- first pass ------------------------------------------------------------------------------
    stats = follower.run_pass()
    assert stats.stored == 4, stats.summary()
    assert stats.feeds_failed == 2

    # the four good articles are stored, with title, date, outlet and final URL, and coded
    stored = {}
    for key in ("kafranbel", "douma", "taiz", "aleppo"):
        rid = store.report_by_url(f"{server.base}/articles/{key}")
        assert rid is not None, key
        rep = store.get_report(rid)
        stored[key] = rep
        a = ARTICLES[key]
        assert rep["text"].startswith(a["title"])
        assert a["paras"][0] in rep["text"] and a["paras"][1] in rep["text"]
        assert "الأكثر قراءة" not in rep["text"] and "جميع الحقوق" not in rep["text"]  # boilerplate gone
        assert rep["extractor_version"] and rep["error"] is None   # coded
    assert sum(len(r["events"]) for r in stored.values()) >= 1     # the extractor found events
    assert stored["kafranbel"]["published"] == "2024-03-05"      # from the page's metadata
    assert stored["taiz"]["published"] == "2024-03-02"           # page has none: the feed's pubDate
    assert stored["douma"]["source"] == "شبكة أخبار المرصد"
    assert stored["aleppo"]["source"] == "وكالة أنباء الشمال"
    assert "تعز" in stored["taiz"]["text"]                        # windows-1256 decoded
    assert store.report_by_url(f"{server.base}/old/douma") is None   # known by its final URL
    # the same article in two feeds (once with a tracking parameter) was fetched once
    assert server.count("/articles/kafranbel") + server.count("/articles/kafranbel?utm_source=rss") == 1
    assert server.count("/old/douma") == 1 and server.count("/articles/douma") == 1
    # the 500 was retried once (retries=1), then recorded
    assert server.count("/articles/broken") == 2

    # the slow feed (listed first) did not hold up the others: one after the other, they would
    # have waited for its two attempts (2 x TIMEOUT + back-off = 1.05 s)
    slow_start = server.hits_for("/feeds/slow.xml")[0].t
    assert server.hits_for("/feeds/main.xml")[0].t - slow_start < 0.9
    assert server.hits_for("/feeds/north.atom")[0].t - slow_start < 0.9
    assert len(server.hits_for("/feeds/slow.xml")) == 2
    # a user agent that names Marsad
    assert all("Marsad" in h.headers.get("user-agent", "") for h in server.hits)

    # every failure is recorded with its reason, in the store's failure log (marsad status)
    reasons = {(f["origin"], f["kind"]): f["reason"] for f in store.failures()}
    assert "timed out" in reasons[(f"{server.base}/feeds/slow.xml", "follow-feed")]
    assert "malformed" in reasons[(f"{server.base}/feeds/bad.xml", "follow-feed")]
    assert "HTTP 500" in reasons[(f"{server.base}/articles/broken", "follow-article")]
    assert store.status()["failures"]["follow-feed"] == 2
    state = {f["url"].rsplit("/", 1)[1]: f for f in FollowState(store).feeds()}
    assert state["slow.xml"]["last_status"] == "failed" and state["slow.xml"]["failures"] == 1
    assert state["main.xml"]["etag"] == '"main-v1"'
    assert state["main.xml"]["stored"] + state["north.atom"]["stored"] == 4

    # -- second pass, right away: conditional GETs answered 304, nothing else fetched ----------------
    server.clear()
    stats2 = follower.run_pass()
    assert stats2.stored == 0 and stats2.articles_fetched == 0
    assert stats2.not_modified == 2 and stats2.skipped_backoff == 2   # failed feeds wait their back-off
    paths = sorted(h.path for h in server.hits)
    assert paths == ["/feeds/main.xml", "/feeds/north.atom"]
    assert server.hits_for("/feeds/main.xml")[0].headers["if-none-match"] == '"main-v1"'
    assert server.hits_for("/feeds/north.atom")[0].headers["if-modified-since"] == "Tue, 05 Mar 2024 10:00:00 GMT"

    # -- a day later: the outlets recovered and the main feed has one new item --------------------------
    server.clear()
    clock.t += 86400
    server.routes["/articles/broken"] = Route(body=article_html("broken").encode(),
                                              headers={"Content-Type": "text/html; charset=utf-8"})
    server.routes["/feeds/slow.xml"].delay = 0.0
    server.routes["/articles/never"] = Route(status=404)
    server.routes["/articles/idlib-new"] = Route(body=article_html("idlib-new").encode(),
                                                 headers={"Content-Type": "text/html; charset=utf-8"})
    server.routes["/feeds/main.xml"] = Route(
        body=rss(server.base, [("/articles/idlib-new", ARTICLES["idlib-new"]["title"], "2024-03-06"),
                               ("/articles/kafranbel", ARTICLES["kafranbel"]["title"], "2024-03-05"),
                               ("/old/douma", ARTICLES["douma"]["title"], "2024-03-04")]),
        etag='"main-v2"', headers={"Content-Type": "application/rss+xml"})
    stats3 = follower.run_pass()
    assert stats3.stored == 2, stats3.summary()   # the page that failed before, and the new item
    assert store.report_by_url(f"{server.base}/articles/broken") is not None
    assert store.report_by_url(f"{server.base}/articles/idlib-new") is not None
    article_hits = sorted(h.path for h in server.hits if not h.path.startswith("/feeds/"))
    assert article_hits == ["/articles/broken", "/articles/idlib-new", "/articles/never"]
    never = [i for i in FollowState(store).items() if i["url"].endswith("/articles/never")][0]
    assert never["status"] == "given up" and "404" in never["reason"]   # a 404 is not retried
    client.close()


def test_reports_already_stored_by_url_or_text_are_not_stored_again(server, store):
    base = server.base
    html = {"Content-Type": "text/html; charset=utf-8"}
    server.routes["/feed.xml"] = Route(body=rss(base, [("/a/1", "t", "2024-03-05"), ("/a/2", "t", "2024-03-05"),
                                                       ("/a/3", "t", "2024-03-05")]))
    for p in ("/a/1", "/a/2", "/a/3"):   # /a/3 is /a/2's text under another URL
        server.routes[p] = Route(body=article_html("douma").encode(), headers=html)
    # /a/1 was stored before, by another path (e.g. `marsad ingest`)
    a = ARTICLES["aleppo"]
    store.ingest_record({"id": "earlier", "text": "\n".join(a["paras"]), "url": f"{base}/a/1"})
    follower, client = make_follower(store, [Feed(f"{base}/feed.xml", "x")], Clock())
    stats = follower.run_pass()
    client.close()
    assert stats.stored == 1 and stats.duplicates == 2, stats.summary()
    assert store.status()["reports"] == 2
    assert store.report_by_url(f"{base}/a/2") is not None and store.report_by_url(f"{base}/a/3") is None


def test_follow_command_once_then_status_shows_the_failures(server, tmp_path):
    import subprocess
    import sys

    feeds_txt = serve_outlets(server)
    server.routes["/feeds/slow.xml"].delay = 1.5
    feeds_file = tmp_path / "feeds.txt"
    feeds_file.write_text(feeds_txt, encoding="utf-8")
    db = str(tmp_path / "m.db")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "marsad", *args], capture_output=True, text=True, timeout=120)

    r = run("follow", str(feeds_file), "--once", "--db", db, "--timeout", "0.5", "--retries", "0",
            "--host-interval", "0")
    assert r.returncode == 0, r.stderr
    assert "line 6: not an http(s) URL" in r.stderr
    assert "4 stored" in r.stderr and "2 failed" in r.stderr
    st = run("status", "--failures", "--db", db)
    assert "follow-feed" in st.stdout and "timed out" in st.stdout and "malformed feed" in st.stdout
    assert "HTTP 500" in st.stdout
    fd = run("feeds", "--failed", "--db", db)
    assert "failed" in fd.stdout and "slow.xml" in fd.stdout and "1 failures in a row" in fd.stdout
    assert "/articles/broken: HTTP 500" in fd.stdout
    # a second run: every feed is either not modified or waiting; no article is fetched again
    server.clear()
    r2 = run("follow", str(feeds_file), "--once", "--db", db, "--timeout", "0.5", "--host-interval", "0")
    assert r2.returncode == 0, r2.stderr
    assert "0 articles fetched" in r2.stderr
    assert not [h for h in server.hits if not h.path.startswith("/feeds/")]


def test_a_page_built_by_scripts_falls_back_to_the_feeds_own_text(server, store):
    a = ARTICLES["aleppo"]
    body = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in a["paras"])
    server.routes["/feed.xml"] = Route(body=f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>x</title>
<item><title>{a["title"]}</title><link>{server.base}/app/1</link><pubDate>Sun, 03 Mar 2024 09:00:00 GMT</pubDate>
<content:encoded>{body}</content:encoded></item>
<item><title>بلا نص</title><link>{server.base}/app/2</link></item>
</channel></rss>""".encode())
    shell = b'<html><body><div id="root"></div><script src="/app.js"></script></body></html>'
    server.routes["/app/1"] = Route(body=shell, headers={"Content-Type": "text/html"})
    server.routes["/app/2"] = Route(body=shell, headers={"Content-Type": "text/html"})
    follower, client = make_follower(store, [Feed(server.url("/feed.xml"), "x")], Clock())
    stats = follower.run_pass()
    client.close()
    assert stats.stored == 1 and stats.failed == 1, stats.summary()
    rep = store.get_report(store.report_by_url(server.url("/app/1")))
    assert rep["text"] == a["title"] + "\n\n" + "\n".join(a["paras"]) and rep["published"] == "2024-03-03"
    failed = [i for i in FollowState(store).items() if i["status"] == "given up"]
    assert [i["url"] for i in failed] == [server.url("/app/2")] and "no article text" in failed[0]["reason"]
