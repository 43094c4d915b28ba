"""Watches and webhook notifications, against a real receiver on 127.0.0.1.

Events are stored with ``store.load_results`` (reports already coded), so the test is about
alerts, not about what the extractor finds.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys

from follow_server import Route, TestServer

from marsad.follow import alerts

BASE_URL = "http://marsad.test"


class Clock:
    def __init__(self, t: float = 1_700_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def coded(rid: str, text: str, phrase: str, **event) -> tuple[dict, dict]:
    """An (input record, output line) pair with one event whose evidence is ``phrase``."""
    a = text.index(phrase)
    ev = {"event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
          "plover_type": "ASSAULT", "time_precision": 1, "geo_precision": 1, "inter1": 1, "inter2": 7,
          "actor2": "Civilians (Syria)", "weapons": [], "sources": [], "confidence": 0.8,
          "evidence": [{"start": a, "end": a + len(phrase), "field": "event"}], **event}
    return ({"id": rid, "text": text, "published": event.get("event_date"), "source": "test",
             "url": f"http://news.test/{rid}"},
            {"id": rid, "events": [ev], "entities": []})


OLD = coded("old", "قصف مدفعي على بلدة كفرنبل أمس أدى إلى مقتل خمسة مدنيين.", "قصف مدفعي على بلدة كفرنبل",
            event_date="2024-03-01", country_code="SY", admin1_code="SY-ID", location="Kafr Nabl",
            location_ar="كفرنبل", actor1="Military Forces of Syria (2000-)", fatalities=5)
KAFRANBEL = coded("kafranbel", "قتل ثلاثة مدنيين بقصف مدفعي على كفرنبل في ريف إدلب اليوم.",
                  "بقصف مدفعي على كفرنبل", event_date="2024-03-05", country_code="SY", admin1_code="SY-ID",
                  location="Kafr Nabl", location_ar="كفرنبل", actor1="Military Forces of Syria (2000-)",
                  fatalities=3)
DOUMA = coded("douma", "غارة جوية على دوما أدت إلى مقتل شخص واحد.", "غارة جوية على دوما",
              event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
              event_date="2024-03-04", country_code="SY", admin1_code="SY-DI", location="Douma",
              location_ar="دوما", actor1="Military Forces of Syria (2000-)", fatalities=1)
TAIZ = coded("taiz", "اشتباكات بين قوات الحكومة والحوثيين في تعز قتل فيها أربعة مقاتلين.",
             "اشتباكات بين قوات الحكومة والحوثيين في تعز", event_type="Battles", sub_event_type="Armed clash",
             event_date="2024-03-02", country_code="YE", admin1_code="YE-TA", location="Taizz",
             location_ar="تعز", actor1="Military Forces of Yemen (2016-) Hadi Faction",
             actor2="Houthi Movement", inter2=2, fatalities=4)
SARAQIB = coded("saraqib", "غارة بطائرة مسيرة على سراقب قتل فيها شخصان وجرح عشرة.", "غارة بطائرة مسيرة على سراقب",
                sub_event_type="Air/drone strike", event_date="2024-03-06", country_code="SY",
                admin1_code="SY-ID", location="Saraqib", location_ar="سراقب",
                actor1="Military Forces of Syria (2000-)", fatalities=2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_receiver(port: int, first_status: int = 500) -> TestServer:
    """A webhook receiver on ``port`` that answers ``first_status`` to the first POST, then 204."""
    recv = TestServer(port)
    calls = []

    def hook(hit):
        calls.append(hit)
        return (first_status if len(calls) == 1 else 204), {}, b""

    recv.routes["/hook"] = Route(handler=hook)
    return recv.start()


def accepted(recv: TestServer) -> list[dict]:
    """Payloads the receiver accepted (every POST after its first, failed one)."""
    return [json.loads(h.body) for h in recv.hits_for("/hook")[1:]]


def test_one_notification_per_matching_new_event_even_when_the_receiver_was_down(store):
    store.load_results([OLD])                       # stored before the watches: never notified
    port = free_port()
    hook = f"http://127.0.0.1:{port}/hook"
    alerts.add_watch(store, "syria deaths", {"country": "SY"}, min_fatalities=2, webhook=hook)
    alerts.add_watch(store, "houthis", {"event_type": "Battles", "actor": "houthi"}, webhook=hook)
    alerts.add_watch(store, "aleppo", {"admin1": "SY-HL"}, webhook=hook)
    alerts.add_watch(store, "kafranbel words", {"q": "كفرنبل"})   # no webhook: listed only
    alerts.add_watch(store, "early march", {"date_from": "2024-03-01", "date_to": "2024-03-03"})
    stats = store.load_results([KAFRANBEL, DOUMA, TAIZ])
    assert len(stats.new_event_ids) == 3

    clock = Clock()
    assert alerts.scan(store, BASE_URL) == 4          # kafranbel x2 (deaths, words), taiz x2 (houthis, date)
    assert alerts.scan(store, BASE_URL) == 0          # scanning again adds nothing

    # the receiver is down: connection refused; the notifications wait, with the reason
    d1 = alerts.deliver(store, clock=clock, backoff=60)
    assert d1.sent == 0 and d1.failed == 2
    pending = alerts.list_notifications(store, pending=True)
    by_watch = {n["watch"]: n for n in pending}
    assert set(by_watch) == {"syria deaths", "houthis", "kafranbel words", "early march"}
    assert by_watch["syria deaths"]["state"] == "pending" and by_watch["syria deaths"]["attempts"] == 1
    assert "Connect" in by_watch["syria deaths"]["last_error"]
    assert by_watch["kafranbel words"]["state"] == "no webhook"

    # not due yet: nothing is attempted
    recv = start_receiver(port, first_status=500)
    try:
        d2 = alerts.deliver(store, clock=clock, backoff=60)
        assert d2.sent == 0 and d2.waiting == 2 and not recv.hits

        # due: the first POST gets a 500 (recorded), the other webhook rows wait for the next round
        clock.t += 61
        d3 = alerts.deliver(store, clock=clock, backoff=60)
        assert d3.sent == 0 and d3.failed == 2 and len(recv.hits) == 1
        assert "HTTP 500" in alerts.list_notifications(store, watch="houthis")[0]["last_error"]

        # later: both go through; then nothing is ever sent again
        clock.t += 3600
        d4 = alerts.deliver(store, clock=clock, backoff=60)
        assert d4.sent == 2 and d4.failed == 0
        clock.t += 86400
        assert alerts.deliver(store, clock=clock).sent == 0
        assert alerts.scan(store, BASE_URL) == 0
        store.load_results([KAFRANBEL, DOUMA, TAIZ])     # the same reports again: no new event
        assert alerts.scan(store, BASE_URL) == 0

        got = accepted(recv)
        assert len(got) == 2
        keys = [h.headers["idempotency-key"] for h in recv.hits_for("/hook")]
        assert len(set(keys[1:])) == 2                   # one per (watch, event)
        kaf_id = store.report_by_url("http://news.test/kafranbel")
        kaf_event = store.get_report(kaf_id)["events"][0]["event_id"]
        p = next(x for x in got if x["watch"]["name"] == "syria deaths")
        assert p["event"]["id"] == kaf_event and p["event"]["fatalities"] == 3
        assert p["url"] == f"{BASE_URL}/events/{kaf_event}"
        assert p["text"].startswith("[syria deaths] Explosions/Remote violence") and "3 killed" in p["text"]
        assert p["evidence"][0]["url"] == "http://news.test/kafranbel"
        assert p["evidence"][0]["spans"][0]["text"] == "بقصف مدفعي على كفرنبل"
        assert next(x for x in got if x["watch"]["name"] == "houthis")["event"]["location"] == "Taizz"

        # a new matching event later: exactly one more notification, delivered at once
        store.load_results([SARAQIB])
        assert alerts.scan(store, BASE_URL) == 1
        assert alerts.deliver(store, clock=clock).sent == 1
        assert len(accepted(recv)) == 3
        assert accepted(recv)[-1]["event"]["location"] == "Saraqib"
    finally:
        recv.stop()
    states = {(n["watch"], n["location"]): n["state"] for n in alerts.list_notifications(store)}
    assert states == {("syria deaths", "Kafr Nabl"): "delivered", ("houthis", "Taizz"): "delivered",
                      ("syria deaths", "Saraqib"): "delivered", ("kafranbel words", "Kafr Nabl"): "no webhook",
                      ("early march", "Taizz"): "no webhook"}


def test_two_senders_never_post_the_same_notification(store, server):
    """A claimed notification (lease) is skipped by a second sender until the lease expires."""
    server.routes["/hook"] = Route(status=204)
    alerts.add_watch(store, "all", {}, webhook=server.url("/hook"))
    store.load_results([KAFRANBEL])
    assert alerts.scan(store, BASE_URL) == 1
    db = store.db
    # another sender holds the row
    db.execute("UPDATE follow_outbox SET claimed_until = ?, claimed_by = 'other'", (1_700_000_100.0,))
    assert alerts.deliver(store, clock=Clock(1_700_000_000.0)).waiting == 1
    assert server.count("/hook") == 0
    # its lease ran out (it died): the row is taken over and sent once
    assert alerts.deliver(store, clock=Clock(1_700_000_200.0)).sent == 1
    assert alerts.deliver(store, clock=Clock(1_700_000_300.0)).sent == 0
    assert server.count("/hook") == 1


def test_watch_and_alerts_commands(tmp_path, server):
    from marsad.store import open_store

    db = str(tmp_path / "cli.db")
    server.routes["/hook"] = Route(status=200)

    def run(*args):
        return subprocess.run([sys.executable, "-m", "marsad", *args, "--db", db],
                              capture_output=True, text=True, timeout=120)

    r = run("watch", "add", "--name", "إدلب", "--country", "SY", "--admin1", "SY-ID",
            "--min-fatalities", "3", "--webhook", server.url("/hook"))
    assert r.returncode == 0, r.stderr
    assert "admin1=SY-ID" in r.stdout and "fatalities>=3" in r.stdout
    assert run("watch", "add", "--name", "إدلب", "--country", "SY").returncode != 0   # same name
    bad = run("watch", "add", "--name", "x", "--webhook", "ftp://nowhere")
    assert bad.returncode != 0 and "http" in bad.stderr
    bad = run("watch", "add", "--name", "x", "--from", "2024-13-01")
    assert bad.returncode != 0 and "YYYY-MM-DD" in bad.stderr
    st = open_store(db)
    st.load_results([KAFRANBEL, DOUMA])
    st.close()
    r = run("alerts", "--send")
    assert r.returncode == 0, r.stderr
    assert "1 new notifications" in r.stderr and "1 notifications delivered" in r.stderr
    assert "Kafr Nabl" in r.stdout and "delivered" in r.stdout and "Douma" not in r.stdout
    listing = run("watch", "list")
    assert "إدلب" in listing.stdout and "1 notifications, 0 pending" in listing.stdout
    assert run("watch", "remove", "إدلب").returncode == 0
    assert "no watch saved" in run("watch", "list").stdout
    assert "no notification" in run("alerts").stdout
    assert run("watch", "remove", "إدلب").returncode != 0
    assert server.count("/hook") == 1


def test_merged_reports_and_recoding_do_not_notify_again(store):
    alerts.add_watch(store, "all", {})
    store.load_results([KAFRANBEL])
    assert alerts.scan(store, BASE_URL) == 1
    # another outlet reports the same shelling: merged into the event, no second notification
    again = coded("kafranbel-2", "أفاد ناشطون بمقتل ثلاثة مدنيين في قصف مدفعي على كفرنبل اليوم.",
                  "قصف مدفعي على كفرنبل", **{k: KAFRANBEL[1]["events"][0][k] for k in (
                      "event_date", "country_code", "admin1_code", "location", "location_ar", "actor1",
                      "fatalities", "event_type", "sub_event_type")})
    stats = store.load_results([again])
    assert stats.new_event_ids == [] and stats.events == 1     # merged
    assert alerts.scan(store, BASE_URL) == 0
    # re-coding the stored reports re-creates their events: old news, not notified
    store.recode(all_reports=True)
    assert alerts.scan(store, BASE_URL) == 0
    assert len(alerts.list_notifications(store)) == 1
