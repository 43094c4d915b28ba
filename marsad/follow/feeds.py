"""Following outlets: poll feeds, fetch the new articles, code and store them.

One pass (``Follower.run_pass``):

1. the feeds that are due (a feed that failed waits longer each time: 5 min, 10, 20 ... 6 h)
   are polled by a bounded pool of threads, with the ETag / Last-Modified remembered from the
   last pass (a 304 means nothing new and costs the outlet nothing);
2. each entry whose URL was never seen (at most ``MAX_NEW_PER_PASS`` per feed; the others are
   new again next pass, which reads the feed in full) is fetched and its article extracted, in the same worker,
   so a slow or broken outlet only holds up its own thread (and, with the per-host spacing,
   requests to one outlet are never bunched); article pages that failed earlier are tried
   again when their back-off has passed (at most ``MAX_ITEM_ATTEMPTS`` times);
3. the main thread (the only one that touches the database) stores each article through the
   store's idempotent ingest as soon as a worker hands it over (a queue), and records every
   failure with its reason (``marsad status --failures``, ``marsad feeds --failed``).
   Alerts pick the new events up from the store afterwards (``alerts.scan``).

Network work happens in the workers; the database is only used from the calling thread.
"""

from __future__ import annotations

import html
import queue
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Callable
from urllib.parse import urljoin

from .article import MIN_TEXT_CHARS, Article, ExtractError, extract_article
from .feedlist import Feed, canonical_url
from .http import FetchError, PoliteClient

FEED_BACKOFF = 300.0           # seconds before a failed feed is polled again, doubled per failure
FEED_BACKOFF_MAX = 6 * 3600.0
ITEM_BACKOFF = 600.0           # the same for an article page that failed
ITEM_BACKOFF_MAX = 12 * 3600.0
MAX_ITEM_ATTEMPTS = 5          # then the page is given up (still listed with its reason)
MAX_NEW_PER_PASS = 200         # new articles fetched from one feed per pass; the rest wait for the next
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"


@dataclass
class ItemResult:
    url: str                   # canonical URL from the feed
    feed_url: str
    final_url: str = ""
    article: Article | None = None
    error: str = ""            # why there is no article
    permanent: bool = False    # an error that retrying will not fix (no article text, 404)
    attempts: int = 0          # attempts so far, this one included


@dataclass
class FeedResult:
    feed: Feed
    status: str = ""           # "ok", "not modified", "failed"
    error: str = ""
    etag: str | None = None
    last_modified: str | None = None
    entries: int = 0
    left: int = 0              # new entries beyond this pass's cap, fetched next pass


@dataclass
class PassStats:
    feeds: int = 0
    feeds_failed: int = 0
    not_modified: int = 0
    skipped_backoff: int = 0
    left_for_next_pass: int = 0
    articles_fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    failed: int = 0
    new_events: list = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"{self.feeds} feeds polled ({self.not_modified} not modified, {self.feeds_failed} failed, "
                f"{self.skipped_backoff} waiting after failures); {self.articles_fetched} articles fetched: "
                f"{self.stored} stored, {self.duplicates} already known, {self.failed} failed; "
                f"{len(self.new_events)} new events in {self.seconds:.1f}s"
                + (f"; {self.left_for_next_pass} new entries left for the next pass"
                   if self.left_for_next_pass else ""))


def _feed_date(entry) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            try:
                return date(t.tm_year, t.tm_mon, t.tm_mday)
            except (ValueError, AttributeError):
                continue
    return None


def parse_feed(content: bytes, url: str, content_type: str = ""):
    """(entries, problem) from a feed body; entries are (canonical url, title, date, text of
    the entry's content or summary)."""
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    d = feedparser.parse(content, response_headers=headers)
    # feedparser flags harmless things too (a feed served as text/html, a charset overridden)
    benign = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
    if d.bozo and entries_ok(d) and isinstance(d.get("bozo_exception"), benign):
        d["bozo"] = 0
    entries = []
    for e in d.entries:   # all of them: which are new is decided against what is known
        link = e.get("link") or next((l.get("href") for l in e.get("links", []) if l.get("href")), None)
        if not link:
            continue
        link = urljoin(url, link.strip())
        if not link.startswith(("http://", "https://")):
            continue
        entries.append((canonical_url(link), (e.get("title") or "").strip(), _feed_date(e), _entry_text(e)))
    problem = ""
    if d.bozo and not entries:
        exc = d.get("bozo_exception")
        problem = f"malformed feed: {exc}" if exc else "malformed feed"
        if not d.version:
            problem = f"not an RSS/Atom feed ({exc})" if exc else "not an RSS/Atom feed"
    elif d.bozo:
        problem = f"malformed feed, {len(entries)} entries read anyway: {d.get('bozo_exception')}"
    elif not d.version and not entries:
        problem = "not an RSS/Atom feed"
    return entries, problem


_BREAK = re.compile(r"<\s*(br|/p|/div|/li|/h\d)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def _entry_text(entry) -> str:
    """Plain text of the entry's full content (content:encoded) or else its summary."""
    parts = [c.get("value") or "" for c in entry.get("content") or []]
    raw = max(parts + [entry.get("summary") or ""], key=len)
    text = html.unescape(_TAG.sub("", _BREAK.sub("\n", raw)))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def entries_ok(d) -> bool:
    return bool(d.entries) and bool(d.version)


class Claims:
    """URLs already stored, given up or being fetched in this pass; shared by the workers."""

    def __init__(self, known: set[str]):
        self._known = set(known)
        self._lock = threading.Lock()

    def claim(self, url: str) -> bool:
        with self._lock:
            if url in self._known:
                return False
            self._known.add(url)
            return True

    def is_known(self, url: str) -> bool:
        with self._lock:
            return url in self._known


def take_new(entries: list, claims: Claims, cap: int) -> tuple[list, int]:
    """The first ``cap`` entries not known yet (claimed for this pass), and how many other new
    entries are left for the next pass. Paging is by what is known: every pass takes the next
    unknown entries, however long the feed."""
    todo, left = [], 0
    for e in entries:
        if len(todo) < cap:
            if claims.claim(e[0]):
                todo.append(e)
        elif not claims.is_known(e[0]):
            left += 1
    return todo, left


class Follower:
    """Polls a list of feeds into a store. ``clock`` is injectable so tests can move time."""

    def __init__(self, store, feeds: list[Feed], client: PoliteClient | None = None,
                 workers: int = 8, clock: Callable[[], float] = time.time,
                 log: Callable[[str], None] | None = None, max_new_per_pass: int = MAX_NEW_PER_PASS):
        from .state import FollowState

        self.store = store
        self.feeds = feeds
        self.client = client or PoliteClient()
        self.workers = max(1, workers)
        self.max_new_per_pass = max(1, max_new_per_pass)
        self.clock = clock
        self.state = FollowState(store)
        self.log = log or (lambda msg: None)
        self._stop = threading.Event()

    # -- worker side (network only, no database) ---------------------------------------------
    def _poll(self, feed: Feed, saved: dict, retries: list[dict], claims: Claims, out: queue.Queue) -> None:
        """Poll one feed, then fetch its new articles; results go to ``out`` as they come."""
        res = FeedResult(feed, etag=saved.get("etag"), last_modified=saved.get("last_modified"))
        entries = []
        try:
            try:
                r = self.client.get(feed.url, etag=res.etag, last_modified=res.last_modified, accept=FEED_ACCEPT)
            except FetchError as e:
                res.status, res.error = "failed", e.reason
            else:
                if r.status == 304:
                    res.status = "not modified"
                else:
                    entries, problem = parse_feed(r.content, r.url, r.content_type)
                    res.entries = len(entries)
                    if problem and not entries:
                        res.status, res.error = "failed", problem
                    else:
                        res.status, res.error = "ok", problem
                        # validators are kept only for a feed that was read, so a broken body is fetched again
                        res.etag, res.last_modified = r.etag, r.last_modified
        except Exception as e:  # a bug on one feed is recorded, not fatal
            res.status, res.error = "failed", f"internal error: {type(e).__name__}: {e}"[:300]
        new, res.left = take_new(entries, claims, self.max_new_per_pass)
        if res.left:   # no validators: the next pass must read the feed again for the rest
            res.etag = res.last_modified = None
        out.put(("feed", res))
        todo = [(url, title, d, text, 0) for url, title, d, text in new]
        todo += [(x["url"], x.get("title") or "", None, "", x["attempts"]) for x in retries]
        for url, title, d, text, attempts in todo:
            if self._stop.is_set():   # interrupted: what is not fetched is simply new next time
                return
            out.put(("item", feed, self._fetch_article(feed, url, title, d, attempts, text)))

    def _fetch_article(self, feed: Feed, url: str, title: str, feed_date, attempts: int,
                       feed_text: str = "") -> ItemResult:
        item = ItemResult(url, feed.url, attempts=attempts + 1)
        try:
            r = self.client.get(url, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
            item.final_url = canonical_url(r.url)
            item.article = extract_article(r.content, r.url, r.content_type, title, feed_date)
        except FetchError as e:
            item.error = e.reason
            item.permanent = e.status in (400, 401, 403, 404, 410, 451)
        except ExtractError as e:
            # a page whose text is built by scripts: the feed's own text of the item, if it has one
            if len(feed_text) >= MIN_TEXT_CHARS:
                item.article = Article(title, feed_text, feed_date, "feed" if feed_date else "", "feed")
            else:
                item.error, item.permanent = str(e), True
        except Exception as e:  # a page that breaks the extractor must not stop the feed
            item.error, item.permanent = f"extraction failed: {type(e).__name__}: {e}"[:300], True
        return item

    def _run(self, fn, *args) -> None:
        try:
            fn(*args)
        finally:
            args[-1].put(("done", None))

    # -- main thread ---------------------------------------------------------------------------
    def run_pass(self) -> PassStats:
        """Poll the due feeds; each article is stored as soon as its worker has it."""
        t0 = time.monotonic()
        now = self.clock()
        stats = PassStats()
        state = self.state
        state.register_feeds(self.feeds)
        claims = Claims(state.known_urls())
        jobs = []
        for feed in self.feeds:
            saved = state.feed(feed.url) or {}
            if saved.get("next_poll_at") and saved["next_poll_at"] > now:
                stats.skipped_backoff += 1
                continue
            retries = state.due_retries(feed.url, now)  # in `claims` already: the feed loop skips them
            jobs.append((feed, saved, retries))
        out: queue.Queue = queue.Queue()
        self._stop.clear()
        pool = ThreadPoolExecutor(max_workers=min(self.workers, max(1, len(jobs))),
                                  thread_name_prefix="marsad-follow")
        try:
            for f, s, r in jobs:
                pool.submit(self._run, self._poll, f, s, r, claims, out)
            running = len(jobs)
            while running:
                msg = out.get()
                if msg[0] == "done":
                    running -= 1
                elif msg[0] == "feed":
                    self._record_feed(msg[1], stats)
                else:
                    self._record_item(msg[1], msg[2], stats)
        except BaseException:   # Ctrl-C: stop the workers after their current request
            self._stop.set()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
        stats.seconds = time.monotonic() - t0
        return stats

    def _record_feed(self, res: FeedResult, stats: PassStats) -> None:
        now = self.clock()
        state = self.state
        stats.feeds += 1
        if res.status == "failed":
            stats.feeds_failed += 1
            n = state.feed_failed(res.feed, res.error, now, FEED_BACKOFF, FEED_BACKOFF_MAX)
            state.record_failure(res.feed.url, res.error, kind="feed")
            self.log(f"feed failed ({n} in a row): {res.feed.url}: {res.error}")
        else:
            stats.not_modified += res.status == "not modified"
            stats.left_for_next_pass += res.left
            if res.left:
                self.log(f"feed {res.feed.url}: {res.left} new entries left for the next pass")
            state.feed_ok(res.feed, res.status, res.error, res.etag, res.last_modified, res.entries, now)
            if res.error:
                state.record_failure(res.feed.url, res.error, kind="feed")

    def _record_item(self, feed: Feed, it: ItemResult, stats: PassStats) -> None:
        """Store one fetched article, or remember why there is none and when to try again."""
        now = self.clock()
        state = self.state
        stats.articles_fetched += 1
        if it.article is None:
            stats.failed += 1
            gave_up = it.permanent or it.attempts >= MAX_ITEM_ATTEMPTS
            wait = min(ITEM_BACKOFF * 2 ** (it.attempts - 1), ITEM_BACKOFF_MAX)
            state.item_failed(it.url, it.feed_url, it.error, it.attempts,
                              None if gave_up else now + wait, it.final_url, now)
            state.record_failure(it.url, it.error, kind="article")
            self.log(f"article failed: {it.url}: {it.error}")
            return
        outcome = state.ingest_articles(feed, [it], now)
        stats.stored += outcome.stored
        stats.duplicates += outcome.duplicates
        stats.failed += outcome.failed
        stats.new_events.extend(outcome.new_event_ids)


def parse_every(value: str) -> float:
    """Seconds in an interval such as "90s", "10m", "2h" or a bare number of minutes."""
    v = value.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        if v and v[-1] in units:
            secs = float(v[:-1]) * units[v[-1]]
        else:
            secs = float(v) * 60
    except ValueError:
        raise ValueError(f"not an interval: {value!r} (use e.g. 90s, 10m, 1h)") from None
    if secs <= 0:
        raise ValueError("the interval must be positive")
    return secs
