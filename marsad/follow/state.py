"""What the follower remembers between passes, in the store's database (its own tables).

``follow_feeds``: one row per feed (validators for conditional GET, last status and error,
consecutive failures, when to poll it next). ``follow_items``: one row per article URL ever
seen (stored, given up, or failed and waiting for its next try), so a page is fetched once.
Times are seconds since the epoch (the follower's clock), shown as ISO dates.

The tables are added through the store's migrations (``store.migrate("follow", ...)``); the
alerts' tables are in the same list so one call sets up the whole area.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..store import Migration

FOLLOW_MIGRATIONS = [
    Migration("feeds and items", """
CREATE TABLE follow_feeds (
  id {pk},
  url TEXT NOT NULL UNIQUE,
  name TEXT,
  etag TEXT, last_modified TEXT,          -- validators for the next conditional GET
  last_status TEXT,                       -- ok | not modified | failed
  last_error TEXT,                        -- why the last poll failed (or a warning)
  last_polled_at DOUBLE PRECISION, last_ok_at DOUBLE PRECISION,
  failures INTEGER NOT NULL DEFAULT 0,    -- consecutive failed polls
  next_poll_at DOUBLE PRECISION,          -- back-off after failures
  entries INTEGER NOT NULL DEFAULT 0,     -- entries in the last feed read
  stored INTEGER NOT NULL DEFAULT 0       -- articles stored from it, all time
);
CREATE TABLE follow_items (
  id {pk},
  url TEXT NOT NULL UNIQUE,               -- canonical URL as given by the feed
  feed_url TEXT, final_url TEXT,          -- final_url: after redirects
  title TEXT,
  status TEXT NOT NULL,                   -- stored | duplicate | failed | given up
  reason TEXT,
  report_id INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  first_seen DOUBLE PRECISION, last_try DOUBLE PRECISION,
  next_try DOUBLE PRECISION               -- a failed page is tried again after this
);
CREATE INDEX follow_items_retry ON follow_items(status, next_try);
"""),
    Migration("watches and outbox", """
CREATE TABLE follow_watches (
  id {pk},
  name TEXT NOT NULL UNIQUE,
  filters TEXT NOT NULL,                  -- JSON: the marsad query filters
  min_fatalities INTEGER,
  webhook TEXT,
  since_report INTEGER NOT NULL DEFAULT 0, -- only events first reported after this report are new to it
  created_at TEXT NOT NULL
);
-- One notification per (watch, event): the unique key makes a second one impossible.
CREATE TABLE follow_outbox (
  id {pk},
  idem_key TEXT NOT NULL UNIQUE,          -- "watch:<watch id>:event:<event id>"
  watch_id INTEGER NOT NULL,
  event_id INTEGER NOT NULL,
  payload TEXT NOT NULL,                  -- JSON sent to the webhook (fixed when created)
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_try DOUBLE PRECISION,              -- back-off after a failed delivery
  claimed_until DOUBLE PRECISION,         -- a sender is delivering it (lease) ...
  claimed_by TEXT,                        -- ... with this token
  delivered_at TEXT,                      -- set in the transaction that records the 2xx
  last_status INTEGER, last_error TEXT
);
CREATE INDEX follow_outbox_pending ON follow_outbox(delivered_at, next_try);
-- The events of the reports up to this id have been matched against the watches.
CREATE TABLE follow_cursor (
  name TEXT PRIMARY KEY,
  report_id INTEGER NOT NULL
);
"""),
]


def setup(store) -> None:
    """Create or upgrade the follow tables (idempotent; Store.migrate reads nothing the second
    time)."""
    store.migrate("follow", FOLLOW_MIGRATIONS)


def iso(ts: float | None) -> str:
    if ts is None:
        return ""
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds")


@dataclass
class IngestOutcome:
    stored: int = 0
    duplicates: int = 0
    failed: int = 0
    new_event_ids: list = field(default_factory=list)


class FollowState:
    def __init__(self, store):
        setup(store)
        self.store = store
        self.db = store.db

    # -- feeds -------------------------------------------------------------------------------
    def register_feeds(self, feeds) -> None:
        with self.db.transaction():
            for f in feeds:
                row = self.db.one("SELECT id, name FROM follow_feeds WHERE url = ?", (f.url,))
                if row is None:
                    self.db.execute("INSERT INTO follow_feeds (url, name) VALUES (?, ?)", (f.url, f.name))
                elif (row["name"] or "") != f.name:
                    self.db.execute("UPDATE follow_feeds SET name = ? WHERE id = ?", (f.name, row["id"]))

    def feed(self, url: str) -> dict | None:
        return self.db.one("SELECT * FROM follow_feeds WHERE url = ?", (url,))

    def feeds(self) -> list[dict]:
        return self.db.query("SELECT * FROM follow_feeds ORDER BY url")

    def feed_ok(self, feed, status, warning, etag, last_modified, entries, now) -> None:
        with self.db.transaction():
            if status == "not modified":
                self.db.execute("UPDATE follow_feeds SET last_status = ?, last_error = ?, last_polled_at = ?, "
                                "last_ok_at = ?, failures = 0, next_poll_at = NULL WHERE url = ?",
                                (status, "", now, now, feed.url))
            else:
                self.db.execute("UPDATE follow_feeds SET last_status = ?, last_error = ?, etag = ?, "
                                "last_modified = ?, entries = ?, last_polled_at = ?, last_ok_at = ?, "
                                "failures = 0, next_poll_at = NULL WHERE url = ?",
                                (status, warning or "", etag, last_modified, entries, now, now, feed.url))

    def feed_failed(self, feed, reason, now, base, cap) -> int:
        """Record a failed poll; the feed waits base * 2^(n-1) (at most cap) seconds. Returns n."""
        with self.db.transaction():
            row = self.db.one("SELECT failures FROM follow_feeds WHERE url = ?", (feed.url,))
            n = (row["failures"] if row else 0) + 1
            self.db.execute("UPDATE follow_feeds SET last_status = 'failed', last_error = ?, "
                            "last_polled_at = ?, failures = ?, next_poll_at = ? WHERE url = ?",
                            (reason, now, n, now + min(base * 2 ** (n - 1), cap), feed.url))
        return n

    # -- items -------------------------------------------------------------------------------
    def known_urls(self) -> set[str]:
        """Every article URL that must not be fetched by the feed loop again (failed ones are
        retried through due_retries, at their time)."""
        urls = set()
        for r in self.db.query("SELECT url, final_url FROM follow_items"):
            urls.add(r["url"])
            if r["final_url"]:
                urls.add(r["final_url"])
        return urls

    def due_retries(self, feed_url: str, now: float) -> list[dict]:
        return self.db.query("SELECT url, title, attempts FROM follow_items WHERE feed_url = ? AND "
                             "status = 'failed' AND next_try IS NOT NULL AND next_try <= ? ORDER BY id",
                             (feed_url, now))

    def items(self, status: str | None = None) -> list[dict]:
        if status:
            return self.db.query("SELECT * FROM follow_items WHERE status = ? ORDER BY id", (status,))
        return self.db.query("SELECT * FROM follow_items ORDER BY id")

    def _save_item(self, url, feed_url, status, reason, attempts, next_try, final_url="",
                   report_id=None, title="", now=None) -> None:
        row = self.db.one("SELECT id FROM follow_items WHERE url = ?", (url,))
        if row is None:
            self.db.execute("INSERT INTO follow_items (url, feed_url, final_url, title, status, reason, "
                            "report_id, attempts, first_seen, last_try, next_try) VALUES "
                            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (url, feed_url, final_url, title, status, reason, report_id, attempts,
                             now, now, next_try))
        else:
            self.db.execute("UPDATE follow_items SET final_url = ?, title = ?, status = ?, reason = ?, "
                            "report_id = ?, attempts = ?, last_try = ?, next_try = ? WHERE id = ?",
                            (final_url, title, status, reason, report_id, attempts, now, next_try, row["id"]))

    def item_failed(self, url, feed_url, reason, attempts, next_try, final_url="", now=None) -> None:
        status = "failed" if next_try is not None else "given up"
        with self.db.transaction():
            self._save_item(url, feed_url, status, reason, attempts, next_try, final_url, now=now)

    def record_failure(self, origin: str, reason: str, kind: str) -> None:
        """Into the store's failure log, which `marsad status` shows."""
        self.store.record_failure(origin, reason, kind=f"follow-{kind}")

    # -- storing articles ----------------------------------------------------------------------
    def ingest_articles(self, feed, items, now=None) -> IngestOutcome:
        """Store each fetched article through the store's idempotent ingest."""
        out = IngestOutcome()
        for it in items:
            a = it.article
            url = it.final_url or it.url
            existing = self.store.report_by_url(url)
            if existing is None and url != it.url:
                existing = self.store.report_by_url(it.url)
            if existing is not None:
                out.duplicates += 1
                with self.db.transaction():
                    self._save_item(it.url, it.feed_url, "duplicate", "URL already stored", it.attempts,
                                    None, it.final_url, existing, a.title, now)
                continue
            rec = {"id": url, "text": a.report_text(), "title": a.title, "url": url,
                   "source": feed.outlet, "file": feed.url,
                   "published": a.published.isoformat() if a.published else None}
            res = self.store.ingest_record(rec)
            if res.status == "failed":
                out.failed += 1
                with self.db.transaction():
                    self._save_item(it.url, it.feed_url, "given up", f"not stored: {res.reason}",
                                    it.attempts, None, it.final_url, None, a.title, now)
                continue
            if res.status == "duplicate":
                out.duplicates += 1
            else:
                out.stored += 1
                out.new_event_ids.extend(res.new_event_ids or [])
            with self.db.transaction():
                self._save_item(it.url, it.feed_url, "stored" if res.status == "new" else "duplicate",
                                "" if res.status == "new" else "same text already stored",
                                it.attempts, None, it.final_url, res.report_id, a.title, now)
                if res.status == "new":
                    self.db.execute("UPDATE follow_feeds SET stored = stored + 1 WHERE url = ?", (feed.url,))
        return out
