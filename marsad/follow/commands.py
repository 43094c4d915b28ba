"""CLI: `marsad follow`, `marsad feeds`, `marsad watch add|list|remove`, `marsad alerts`.

Heavy imports (httpx, feedparser, trafilatura, the store) happen inside the commands.
"""

from __future__ import annotations

import json
import sys
import time

import click

from ..options import Interval

DB_HELP = "Database: SQLite file or postgresql:// URL (default $MARSAD_DB or ./marsad.db)."


def _open(db):
    from ..store import open_store
    return open_store(db)


def _echo_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


@click.command()
@click.argument("feeds_file", metavar="FEEDS", type=click.Path(exists=True, dir_okay=False))
@click.option("--db", help=DB_HELP)
@click.option("--once", is_flag=True, help="One pass over the feeds, then exit.")
@click.option("--every", "interval", type=Interval(), default="10m", show_default=True,
              help="Time between passes (90s, 10m, 1h).")
@click.option("--workers", type=click.IntRange(min=1), default=8, show_default=True, help="Feeds polled at once.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=20.0, show_default=True, help="Seconds before a request is abandoned.")
@click.option("--retries", type=click.IntRange(min=0), default=2, show_default=True, help="Retries of a failed request (with back-off).")
@click.option("--host-interval", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Minimum seconds between two requests to one host.")
@click.option("--base-url", help="Address of the web app, for links in notifications "
                                 "(default $MARSAD_BASE_URL or http://127.0.0.1:8000).")
@click.option("--alerts/--no-alerts", default=True, show_default=True,
              help="Match new events against the watches and send notifications after each pass.")
@click.option("-v", "--verbose", is_flag=True, help="Print each failure as it happens.")
def follow(feeds_file, db, once, interval, workers, timeout, retries, host_interval, base_url, alerts, verbose):
    """Follow news feeds: store and code every new article.

    \b
    FEEDS is a text file, one feed URL per line, optionally followed by the outlet's name:
        https://www.example.net/rss.xml   شبكة الأخبار
    marsad follow feeds.txt --once         one pass (for cron)
    marsad follow feeds.txt --every 10m    poll until interrupted
    """
    from .feedlist import read_feeds
    from .feeds import Follower
    from .http import PoliteClient

    feeds, problems = read_feeds(feeds_file)
    for p in problems:
        click.echo(f"{feeds_file}: {p}", err=True)
    if not feeds:
        raise click.UsageError(f"no feed URL in {feeds_file}")
    store = _open(db)
    log = (lambda m: click.echo(m, err=True)) if verbose else None
    client = PoliteClient(timeout=timeout, retries=retries, min_interval=host_interval)
    follower = Follower(store, feeds, client=client, workers=workers, log=log)
    stats = None
    try:
        while True:
            started = time.monotonic()
            try:
                stats = follower.run_pass()
                click.echo(stats.summary(), err=True)
            except Exception as e:  # e.g. the database is locked for too long: try next pass
                if once:
                    raise
                click.echo(f"pass failed: {type(e).__name__}: {e}", err=True)
            if alerts:
                _alerts_round(store, base_url, keep_going=not once)
            if once:
                break
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        client.close()
        store.close()
    if once and stats and stats.feeds and stats.feeds_failed == stats.feeds:
        sys.exit(1)  # every feed failed: tell cron


def _alerts_round(store, base_url, keep_going: bool = False) -> None:
    from .alerts import deliver, scan

    try:
        queued = scan(store, base_url)
        d = deliver(store)
    except Exception as e:  # a follower that polls forever must survive a bad alerts round
        if not keep_going:
            raise
        click.echo(f"alerts failed (retried next pass): {type(e).__name__}: {e}", err=True)
        return
    if queued or d.sent or d.failed:
        click.echo(f"alerts: {queued} new notifications; {d.summary()}", err=True)
        for e in d.errors[:5]:
            click.echo(f"  {e}", err=True)


@click.command()
@click.option("--db", help=DB_HELP)
@click.option("--failed", is_flag=True, help="Also list the article pages that failed, with the reason.")
@click.option("--json", "as_json", is_flag=True)
def feeds(db, failed, as_json):
    """State of the followed feeds: last poll, status, reason of the last failure."""
    from .state import FollowState, iso

    store = _open(db)
    try:
        st = FollowState(store)
        rows = st.feeds()
        items = [i for i in st.items() if i["status"] in ("failed", "given up")] if failed else []
    finally:
        store.close()
    if as_json:
        _echo_json({"feeds": rows, "failed_items": items})
        return
    if not rows:
        click.echo("no feed followed yet (marsad follow FEEDS)")
    for r in rows:
        line = f"{r['last_status'] or 'never polled':13} {r['url']}"
        if r["name"]:
            line += f"  ({r['name']})"
        click.echo(line)
        click.echo(f"{'':13} last poll {iso(r['last_polled_at']) or '-'}, {r['stored']} articles stored"
                   + (f", {r['failures']} failures in a row, next try {iso(r['next_poll_at'])}"
                      if r["failures"] else ""))
        if r["last_error"]:
            click.echo(f"{'':13} {r['last_error']}")
    for i in items:
        nxt = f", next try {iso(i['next_try'])}" if i["next_try"] else ""
        click.echo(f"{i['status']:13} {i['url']}: {i['reason']} (attempts {i['attempts']}{nxt})")


# -- watches ---------------------------------------------------------------------------------
# the same filters as `marsad query`, so a watch selects what a query would
from marsad.store.commands import filter_options  # noqa: E402


@click.group()
def watch():
    """Saved watches: a notification for each new event that matches."""


@watch.command("add")
@click.option("--name", required=True, help="Name of the watch.")
@filter_options
@click.option("--min-fatalities", type=click.IntRange(min=0), help="Only events with at least this many dead.")
@click.option("--webhook", help="URL that receives a JSON POST per matching event.")
@click.option("--db", help=DB_HELP)
def watch_add(name, date_from, date_to, country, admin1, event_type, sub_event_type, actor, q,
              min_fatalities, webhook, db):
    """Save a watch (filters as in `marsad query`)."""
    from .alerts import WatchError, add_watch

    filters = {"date_from": date_from, "date_to": date_to, "country": country, "admin1": admin1,
               "event_type": event_type, "sub_event_type": sub_event_type, "actor": actor, "q": q}
    store = _open(db)
    try:
        w = add_watch(store, name, filters, min_fatalities, webhook)
    except (WatchError, ValueError) as e:
        raise click.UsageError(str(e))
    finally:
        store.close()
    click.echo(f"watch {w['name']!r} saved: {_describe(w)}")


def _value(key: str, v) -> str:
    """A filter's value as typed: several values joined as the option reads them (SY-ID,SY-HL;
    actors by ";"), not a Python list (['SY-ID'])."""
    if not isinstance(v, (list, tuple)):
        return str(v)
    return (";" if key == "actor" else ",").join(str(x) for x in v)


def _describe(w: dict) -> str:
    parts = [f"{k}={_value(k, v)}" for k, v in sorted(w["filters"].items())]
    if w.get("min_fatalities") is not None:
        parts.append(f"fatalities>={w['min_fatalities']}")
    parts.append(f"webhook {w['webhook']}" if w.get("webhook") else "no webhook (listed by marsad alerts)")
    return ", ".join(parts) if parts else "every new event"


@watch.command("list")
@click.option("--db", help=DB_HELP)
@click.option("--json", "as_json", is_flag=True)
def watch_list(db, as_json):
    """The saved watches."""
    from .alerts import list_watches

    store = _open(db)
    try:
        rows = list_watches(store)
    finally:
        store.close()
    if as_json:
        _echo_json(rows)
        return
    if not rows:
        click.echo("no watch saved (marsad watch add --name NAME ...)")
    for w in rows:
        click.echo(f"{w['name']}: {_describe(w)}; {w['notifications']} notifications, {w['pending']} pending")


@watch.command("remove")
@click.argument("name")
@click.option("--db", help=DB_HELP)
def watch_remove(name, db):
    """Remove a watch and its notifications."""
    from .alerts import remove_watch

    store = _open(db)
    try:
        ok = remove_watch(store, name)
    finally:
        store.close()
    if not ok:
        raise click.UsageError(f"no watch named {name!r}")
    click.echo(f"watch {name!r} removed")


@click.command()
@click.option("--db", help=DB_HELP)
@click.option("--watch", "watch_name", help="Only this watch's notifications.")
@click.option("--pending", is_flag=True, help="Only those not delivered yet.")
@click.option("--send", is_flag=True, help="First match new events and deliver what is due.")
@click.option("--base-url", help="Address of the web app, for links (default $MARSAD_BASE_URL).")
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True, help="At most this many.")
@click.option("--json", "as_json", is_flag=True)
def alerts(db, watch_name, pending, send, base_url, limit, as_json):
    """Notifications of the watches, newest first.

    `marsad alerts --send` (e.g. from cron) matches the events stored since the last run,
    whatever stored them, and delivers the notifications that are due.
    """
    from .alerts import list_notifications

    store = _open(db)
    try:
        if send:
            _alerts_round(store, base_url)
        rows = list_notifications(store, limit=limit, watch=watch_name, pending=True if pending else None)
    finally:
        store.close()
    if as_json:
        _echo_json(rows)
        return
    if not rows:
        click.echo("no notification")
    for r in rows:
        what = f"{r['event_type'] or '?'} {r['event_date'] or ''} {r['location'] or ''}".strip()
        if r["fatalities"]:
            what += f", {r['fatalities']} killed"
        state = r["state"]
        if state == "pending" and r["attempts"]:
            state += f" (attempt {r['attempts']} failed: {r['last_error']}; next {r['next_try']})"
        click.echo(f"[{r['watch']}] event {r['event_id']}: {what} | {r['url']} | {state}")


COMMANDS = [follow, feeds, watch, alerts]
