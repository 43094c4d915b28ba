"""Saved watches and their notifications (webhook POSTs through an outbox).

A watch is a saved ``marsad query`` (country, admin1, event type, actor, dates, text) plus a
minimum of fatalities and a webhook URL. Alerts work in two steps, both safe to repeat and to
run from several processes:

``scan(store)``: the events first reported by the reports stored since the last scan
    (``reports.id`` above the cursor in ``follow_cursor``, so any ingest path counts:
    `marsad follow`, `marsad ingest`, the web app) are matched against every watch; each match
    becomes one outbox row, keyed ``watch:<id>:event:<id>`` (UNIQUE), in the same transaction
    that moves the cursor. A crash loses nothing (the cursor did not move) and a repeat adds
    nothing (the key exists). An event is new when the report that created it is new: a later
    report merged into it does not notify again, and neither does `marsad recode`, which
    re-creates the events of old reports. Reports stored before a watch existed never notify it.

``deliver(store)``: each pending row is claimed (a lease, so two senders never post the same
    row at once), POSTed as JSON with an ``Idempotency-Key`` header, and marked delivered in
    the transaction that records the 2xx. A failure (refused, timeout, non-2xx) is recorded
    with its reason and tried again after a back-off (base * 2^(attempts-1), at most
    ``MAX_BACKOFF``), forever: a notification is never dropped. The one window left is a crash
    between the receiver's 2xx and our commit; the receiver can drop that repeat by its key.

``list_notifications(store)`` is what `marsad alerts` and the web app show.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import date

from ..store.db import now as _now_iso
from .state import iso, setup

FILTER_KEYS = ("date_from", "date_to", "country", "admin1", "event_type", "sub_event_type", "actor", "q")
BACKOFF = 30.0                 # seconds before the first retry of a failed delivery
MAX_BACKOFF = 3600.0
LEASE = 120.0                  # seconds a sender holds a claimed notification
SCAN_BATCH = 500               # reports whose events are matched per transaction
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def base_url_default() -> str:
    return os.environ.get("MARSAD_BASE_URL") or DEFAULT_BASE_URL


class WatchError(ValueError):
    """A watch that cannot be saved, with the reason."""


# -- watches ---------------------------------------------------------------------------------
def add_watch(store, name: str, filters: dict | None = None, min_fatalities: int | None = None,
              webhook: str | None = None) -> dict:
    setup(store)
    name = (name or "").strip()
    if not name:
        raise WatchError("a watch needs a name")
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    unknown = set(filters) - set(FILTER_KEYS)
    if unknown:
        raise WatchError(f"unknown filters: {', '.join(sorted(unknown))}")
    if webhook and not webhook.startswith(("http://", "https://")):
        raise WatchError(f"the webhook must be an http(s) URL, not {webhook[:60]!r}")
    for k in ("date_from", "date_to"):
        if k in filters:
            try:
                filters[k] = date.fromisoformat(str(filters[k]).strip()).isoformat()
            except ValueError:
                raise WatchError(f"{k} is not a YYYY-MM-DD date: {filters[k]!r}") from None
    for k in ("country", "admin1"):     # one code, or several (the CLI options give lists)
        if k in filters:
            v = filters[k]
            filters[k] = ([str(x).strip().upper() for x in v] if isinstance(v, (list, tuple))
                          else str(v).strip().upper())
    if min_fatalities is not None and min_fatalities < 0:
        raise WatchError("--min-fatalities must be 0 or more")
    # the filters are checked by running them once: a bad one fails now, not at every scan
    try:
        store.query_events(**filters, limit=1)
    except TypeError as e:
        raise WatchError(f"bad filters: {e}") from None
    db = store.db
    with db.transaction():
        if db.one("SELECT id FROM follow_watches WHERE name = ?", (name,)):
            raise WatchError(f"a watch named {name!r} exists (remove it first)")
        since = store.last_report_id()
        db.execute("INSERT INTO follow_watches (name, filters, min_fatalities, webhook, since_report, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?)",
                   (name, json.dumps(filters, ensure_ascii=False, sort_keys=True), min_fatalities,
                    webhook or None, since, _now_iso()))
    return get_watch(store, name)


def _watch_row(r: dict) -> dict:
    r = dict(r)
    r["filters"] = json.loads(r["filters"] or "{}")
    return r


def get_watch(store, name: str) -> dict | None:
    setup(store)
    r = store.db.one("SELECT * FROM follow_watches WHERE name = ?", (name,))
    return _watch_row(r) if r else None


def list_watches(store) -> list[dict]:
    setup(store)
    rows = store.db.query(
        "SELECT w.*, (SELECT COUNT(*) FROM follow_outbox o WHERE o.watch_id = w.id) AS notifications, "
        "(SELECT COUNT(*) FROM follow_outbox o WHERE o.watch_id = w.id AND o.delivered_at IS NULL "
        "AND w.webhook IS NOT NULL) AS pending "
        "FROM follow_watches w ORDER BY w.name")
    return [_watch_row(r) for r in rows]


def remove_watch(store, name: str) -> bool:
    """Remove a watch and its notifications (delivered or not: a later watch may get its id)."""
    setup(store)
    db = store.db
    with db.transaction():
        w = db.one("SELECT id FROM follow_watches WHERE name = ?", (name,))
        if not w:
            return False
        db.execute("DELETE FROM follow_outbox WHERE watch_id = ?", (w["id"],))
        db.execute("DELETE FROM follow_watches WHERE id = ?", (w["id"],))
    return True


# -- matching ----------------------------------------------------------------------------------
def _matching(store, watch: dict, firsts: dict[int, int]) -> list[int]:
    """The new events (``firsts``: event id -> the report that created it) the watch's query
    returns. The store's own query does the filtering (same semantics as `marsad query`, text
    search included), narrowed to one creating report at a time."""
    by_report: dict[int, set[int]] = {}
    for eid, rid in firsts.items():
        if rid > watch["since_report"]:
            by_report.setdefault(rid, set()).add(eid)
    found: set[int] = set()
    mf = watch.get("min_fatalities")
    for rid, wanted in sorted(by_report.items()):
        offset = 0
        while True:
            events, total = store.query_events(**watch["filters"], report_id=rid, limit=500, offset=offset)
            for ev in events:
                if ev["id"] in wanted and (mf is None or (ev.get("fatalities") or 0) >= mf):
                    found.add(ev["id"])
            offset += len(events)
            if not events or offset >= total:
                break
    return sorted(found)


def build_payload(store, watch: dict, event_id: int, base_url: str) -> dict:
    """The JSON a webhook receives: the event, its evidence per report, and its page."""
    ev = store.get_event(event_id) or {"id": event_id}
    reports = ev.get("reports") or []
    event = {k: v for k, v in ev.items() if k not in ("reports", "merges", "evidence")}
    evidence = [{"report_id": r.get("report_id"), "url": r.get("url"), "source": r.get("source"),
                 "title": r.get("title"), "published": r.get("published"),
                 "spans": r.get("evidence") or []} for r in reports]
    url = f"{base_url.rstrip('/')}/events/{event_id}"
    return {
        # "text" first: chat webhooks (Slack, Mattermost, Rocket.Chat) post it as the message
        "text": f"[{watch['name']}] {summary(event)} {url}",
        "idempotency_key": f"watch:{watch['id']}:event:{event_id}",
        "watch": {"id": watch["id"], "name": watch["name"], "filters": watch["filters"],
                  "min_fatalities": watch.get("min_fatalities")},
        "event": event,
        "evidence": evidence,
        "url": url,
        "created_at": _now_iso(),
    }


def summary(ev: dict) -> str:
    """One line for people: "Battles (Armed clash), Taizz YE-TA, 2024-03-02: 4 killed"."""
    what = ev.get("event_type") or "event"
    if ev.get("sub_event_type"):
        what += f" ({ev['sub_event_type']})"
    where = " ".join(x for x in (ev.get("location"), ev.get("admin1_code") or ev.get("country_code")) if x)
    s = what + (f", {where}" if where else "") + (f", {ev['event_date']}" if ev.get("event_date") else "")
    if ev.get("fatalities"):
        s += f": {ev['fatalities']} killed"
    return s


def scan(store, base_url: str | None = None) -> int:
    """Match the events of the reports stored since the last scan against the watches;
    returns the number of notifications queued."""
    setup(store)
    base_url = base_url or base_url_default()
    db = store.db
    queued = 0
    while True:
        with db.transaction():
            cursor = db.scalar("SELECT report_id FROM follow_cursor WHERE name = 'alerts'")
            if cursor is None:
                db.execute("INSERT INTO follow_cursor (name, report_id) VALUES ('alerts', 0)")
                cursor = 0
            watches = [_watch_row(w) for w in db.query("SELECT * FROM follow_watches ORDER BY id")]
            if not watches:  # nothing to match: skip to the end
                top = store.last_report_id()
                db.execute("UPDATE follow_cursor SET report_id = ? WHERE name = 'alerts'", (max(top, cursor),))
                return queued
            cursor = max(cursor, min(w["since_report"] for w in watches))
            reports = store.report_ids_after(cursor, SCAN_BATCH)
            if not reports:
                return queued
            lo, hi = reports[0], reports[-1]
            # events mentioned by these reports, with the report that created each
            firsts = store.first_reports_of_events(lo, hi)
            firsts = {e: f for e, f in firsts.items() if lo <= f <= hi}
            for w in watches:
                for eid in _matching(store, w, firsts):
                    key = f"watch:{w['id']}:event:{eid}"
                    if db.one("SELECT id FROM follow_outbox WHERE idem_key = ?", (key,)):
                        continue
                    payload = build_payload(store, w, eid, base_url)
                    db.execute("INSERT INTO follow_outbox (idem_key, watch_id, event_id, payload, created_at, "
                               "next_try) VALUES (?, ?, ?, ?, ?, ?)",
                               (key, w["id"], eid, json.dumps(payload, ensure_ascii=False, default=str),
                                _now_iso(), 0.0))
                    queued += 1
            db.execute("UPDATE follow_cursor SET report_id = ? WHERE name = 'alerts'", (hi,))
        if len(reports) < SCAN_BATCH:
            return queued


# -- delivery -----------------------------------------------------------------------------------
@dataclass
class DeliveryStats:
    sent: int = 0
    failed: int = 0
    waiting: int = 0          # pending, not yet due (back-off) or held by another sender
    errors: list = field(default_factory=list)

    def summary(self) -> str:
        s = f"{self.sent} notifications delivered, {self.failed} failed (will be retried)"
        return s + (f", {self.waiting} waiting" if self.waiting else "")


def deliver(store, client=None, clock=time.time, backoff: float = BACKOFF, timeout: float = 10.0,
            limit: int = 500) -> DeliveryStats:
    """POST the due notifications; each is marked delivered only after a 2xx."""
    import httpx

    setup(store)
    db = store.db
    stats = DeliveryStats()
    own = client is None
    client = client or httpx.Client(timeout=timeout, headers={"User-Agent": _user_agent()})
    down: dict[str, str] = {}    # webhook -> reason: one failure defers its other rows this round
    try:
        now = clock()
        rows = db.query(
            "SELECT o.id, o.idem_key, o.payload, o.attempts, o.next_try, o.claimed_until, w.webhook "
            "FROM follow_outbox o JOIN follow_watches w ON w.id = o.watch_id "
            "WHERE o.delivered_at IS NULL AND w.webhook IS NOT NULL ORDER BY o.id LIMIT ?", (limit,))
        for row in rows:
            now = clock()
            if (row["next_try"] or 0) > now or (row["claimed_until"] or 0) > now:
                stats.waiting += 1
                continue
            hook = row["webhook"]
            token = uuid.uuid4().hex
            with db.transaction():
                db.execute("UPDATE follow_outbox SET claimed_until = ?, claimed_by = ?, attempts = attempts + 1 "
                           "WHERE id = ? AND delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until <= ?)",
                           (now + LEASE, token, row["id"], now))
                got = db.one("SELECT claimed_by, attempts FROM follow_outbox WHERE id = ?", (row["id"],))
            if not got or got["claimed_by"] != token:
                stats.waiting += 1   # another sender has it
                continue
            attempts = got["attempts"]
            if hook in down:
                _failed(db, row["id"], token, None, down[hook], clock(), attempts, backoff, count=False)
                stats.failed += 1
                continue
            status, error = None, ""
            try:
                r = client.post(hook, content=row["payload"].encode("utf-8"),
                                headers={"Content-Type": "application/json; charset=utf-8",
                                         "Idempotency-Key": row["idem_key"]})
                status = r.status_code
                if not 200 <= status < 300:
                    error = f"HTTP {status} {r.reason_phrase}".strip()
            except httpx.HTTPError as e:
                error = f"{type(e).__name__}: {e}"[:300] or type(e).__name__
            if error:
                down[hook] = error
                _failed(db, row["id"], token, status, error, clock(), attempts, backoff)
                stats.failed += 1
                stats.errors.append(f"{row['idem_key']}: {error}")
            else:
                with db.transaction():
                    db.execute("UPDATE follow_outbox SET delivered_at = ?, last_status = ?, last_error = '', "
                               "claimed_until = NULL WHERE id = ? AND claimed_by = ?",
                               (_now_iso(), status, row["id"], token))
                stats.sent += 1
    finally:
        if own:
            client.close()
    return stats


def _failed(db, oid, token, status, error, now, attempts, backoff, count=True) -> None:
    wait = min(backoff * 2 ** max(0, attempts - 1), MAX_BACKOFF)
    with db.transaction():
        db.execute("UPDATE follow_outbox SET last_status = ?, last_error = ?, next_try = ?, claimed_until = NULL, "
                   "attempts = attempts - ? WHERE id = ? AND claimed_by = ?",
                   (status, error, now + wait, 0 if count else 1, oid, token))


def _user_agent() -> str:
    from .http import USER_AGENT
    return USER_AGENT


# -- listing ------------------------------------------------------------------------------------
def list_notifications(store, limit: int = 100, offset: int = 0, watch: str | None = None,
                       pending: bool | None = None) -> list[dict]:
    """Notifications, newest first: id, watch, event_id, url, state ("delivered", "pending",
    "no webhook"), attempts, last_error, created_at, delivered_at, next_try, and the event summary
    (event_type, event_date, location, fatalities, actor1, actor2). For the CLI and the web app."""
    setup(store)
    where, params = [], []
    if watch:
        where.append("w.name = ?")
        params.append(watch)
    if pending is True:
        where.append("o.delivered_at IS NULL")
    elif pending is False:
        where.append("o.delivered_at IS NOT NULL")
    sql = ("SELECT o.id, o.idem_key, o.event_id, o.payload, o.created_at, o.attempts, o.next_try, "
           "o.delivered_at, o.last_status, o.last_error, w.name AS watch, w.webhook "
           "FROM follow_outbox o JOIN follow_watches w ON w.id = o.watch_id"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY o.id DESC LIMIT ? OFFSET ?")
    out = []
    for r in store.db.query(sql, params + [limit, offset]):
        p = json.loads(r.pop("payload") or "{}")
        ev = p.get("event") or {}
        r["url"] = p.get("url")
        r["state"] = ("delivered" if r["delivered_at"] else
                      "no webhook" if not r["webhook"] else "pending")
        r["next_try"] = iso(r["next_try"]) if r["next_try"] and not r["delivered_at"] else None
        for k in ("event_type", "sub_event_type", "event_date", "location", "fatalities", "actor1", "actor2"):
            r[k] = ev.get(k)
        out.append(r)
    return out
