"""Web benchmark: first page load of the map with 10,000 events in the store.

Builds a store by bulk-inserting synthetic coded reports through the store's API
(``store.load_results``: the same write path as ingest, without running the extractor), starts a
real ``marsad serve`` on 127.0.0.1, and measures

  * HTTP: GET / (the page), GET /api/map (all markers), GET /api/events (first page),
    GET /api/stats, GET /event/N;
  * the browser (Debian's headless Chromium): navigation start until every marker is on the
    map, for a fresh browser context (empty cache) and a warm one;

and, as a baseline taken in the same run on the same machine, the same browser load over an
empty store (the page, scripts and outline layers without markers).

    .venv/bin/python benchmarks/bench_web.py [--events 10000] [--runs 5] [--db PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

from marsad.store import open_store

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]

# (English name, Arabic name, country, admin1, lat, lon)
PLACES = [
    ("Aleppo", "حلب", "SY", "SY-HL", 36.2012, 37.1612), ("Homs", "حمص", "SY", "SY-HI", 34.7324, 36.7137),
    ("Hama", "حماة", "SY", "SY-HM", 35.1318, 36.7578), ("Idlib", "إدلب", "SY", "SY-ID", 35.9306, 36.6339),
    ("Daraa", "درعا", "SY", "SY-DR", 32.6189, 36.1021), ("Douma", "دوما", "SY", "SY-RD", 33.5711, 36.4019),
    ("Deir ez-Zor", "دير الزور", "SY", "SY-DY", 35.3359, 40.1408), ("Raqqa", "الرقة", "SY", "SY-RA", 35.9528, 39.0079),
    ("Latakia", "اللاذقية", "SY", "SY-LA", 35.5317, 35.7901), ("Baghdad", "بغداد", "IQ", "IQ-BG", 33.3406, 44.4009),
    ("Mosul", "الموصل", "IQ", "IQ-NI", 36.335, 43.1189), ("Ramadi", "الرمادي", "IQ", "IQ-AN", 33.4258, 43.2992),
    ("Fallujah", "الفلوجة", "IQ", "IQ-AN", 33.3494, 43.7836), ("Kirkuk", "كركوك", "IQ", "IQ-KI", 35.4681, 44.3922),
    ("Basra", "البصرة", "IQ", "IQ-BA", 30.5085, 47.7804), ("Taizz", "تعز", "YE", "YE-TA", 13.5795, 44.0209),
    ("Aden", "عدن", "YE", "YE-AD", 12.7794, 45.0367), ("Sanaa", "صنعاء", "YE", "YE-SA", 15.3547, 44.2067),
    ("Marib", "مأرب", "YE", "YE-MA", 15.4625, 45.3253), ("Hodeidah", "الحديدة", "YE", "YE-HU", 14.7978, 42.9545),
    ("Benghazi", "بنغازي", "LY", "LY-BA", 32.1167, 20.0667), ("Tripoli", "طرابلس", "LY", "LY-TB", 32.8872, 13.1913),
    ("Sirte", "سرت", "LY", "LY-SR", 31.2089, 16.5887), ("Derna", "درنة", "LY", "LY-DR", 32.767, 22.6367),
]
TYPES = [
    ("Battles", "Armed clash", "ASSAULT", "اشتباكات عنيفة"),
    ("Explosions/Remote violence", "Air/drone strike", "ASSAULT", "غارات جوية"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "ASSAULT", "قصف مدفعي"),
    ("Violence against civilians", "Attack", "ASSAULT", "هجوم على مدنيين"),
    ("Protests", "Peaceful protest", "PROTEST", "مظاهرة سلمية"),
    ("Riots", "Violent demonstration", "PROTEST", "أعمال شغب"),
    ("Strategic developments", "Arrests", "COERCE", "حملة اعتقالات"),
]
ACTORS = [("Military Forces of Syria", 1, "قوات النظام"), ("Islamic State", 2, "تنظيم الدولة"),
          ("Ansar Allah (Houthis)", 2, "الحوثيون"), ("Free Syrian Army", 2, "الجيش الحر"),
          ("Libyan National Army", 1, "الجيش الليبي"), ("Military Forces of Iraq", 1, "الجيش العراقي")]
FILLER = "وأفاد ناشطون بأن الأوضاع الإنسانية تزداد سوءا في المنطقة مع استمرار العمليات العسكرية".split()


def synthetic_pair(i: int, rnd: random.Random, start: date) -> tuple[dict, dict]:
    """One coded report: an input record and its CONTRACT output line with evidence spans."""
    name, name_ar, cc, a1, lat, lon = rnd.choice(PLACES)
    etype, sub, plover, words = rnd.choice(TYPES)
    actor, inter, actor_ar = rnd.choice(ACTORS)
    day = start + timedelta(days=rnd.randrange(730))
    killed = rnd.choice([0, 0, 1, 2, 3, 5, 8, 12, 20, 40])
    lead = f"{words} في {name_ar} "
    by = f"نفذتها {actor_ar} "
    toll = f"ما أدى إلى مقتل {killed} أشخاص " if killed else "دون أنباء عن ضحايا "
    tail = " ".join(rnd.sample(FILLER, 6)) + f" (تقرير رقم {i})"
    text = lead + by + toll + tail
    ev = {"event_type": etype, "sub_event_type": sub, "plover_type": plover, "event_date": day.isoformat(),
          "time_precision": 1, "country_code": cc, "admin1_code": a1, "location": name, "location_ar": name_ar,
          "latitude": round(lat + rnd.uniform(-0.35, 0.35), 4), "longitude": round(lon + rnd.uniform(-0.35, 0.35), 4),
          "geo_precision": 1, "actor1": actor, "inter1": inter, "actor2": None, "inter2": None,
          "fatalities": killed, "weapons": [], "sources": ["activists"],
          "notes": f"On {day.isoformat()}, {actor}: {sub.lower()} in {name}; {killed} killed.",
          "evidence": [{"start": 0, "end": len(words), "field": "event", "text": words},
                       {"start": len(words) + 4, "end": len(lead) - 1, "field": "location", "text": name_ar},
                       {"start": len(lead) + 7, "end": len(lead) + len(by) - 1, "field": "actor1", "text": actor_ar}],
          "confidence": 0.8}
    assert all(text[s["start"]:s["end"]] == s["text"] for s in ev["evidence"])
    rec = {"id": f"bench-{i}", "text": text, "published": day.isoformat(), "source": "bench", "file": "bench"}
    return rec, {"id": rec["id"], "events": [ev], "entities": []}


def build_store(path: Path, n_events: int) -> dict:
    store = open_store(path)
    rnd = random.Random(7)
    start = date(2015, 1, 1)
    t0 = time.perf_counter()
    i = 0
    try:
        while True:
            have = store.status()["events"]
            if have >= n_events:
                break
            batch = [synthetic_pair(i + k, rnd, start) for k in range(n_events - have)]
            i += len(batch)
            store.load_results(batch)
        st = store.status()
    finally:
        store.close()
    return {"events": st["events"], "reports": st["reports"], "seconds": time.perf_counter() - t0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # --no-cache: every load computes its answers (what the first analyst of the day waits for)
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "serve", "--db", str(db), "--port", str(port),
                             "--no-cache"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            urllib.request.urlopen(url + "/api/status", timeout=2).read()
            return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("marsad serve did not start")


def http_time(url: str, runs: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        t = time.perf_counter()
        with urllib.request.urlopen(req, timeout=60) as r:
            size = len(r.read())
        times.append(time.perf_counter() - t)
    return statistics.median(times), size


def browser_loads(url: str, runs: int) -> dict:
    """Milliseconds from navigation start to every marker drawn, cold (new context) and warm."""
    from playwright.sync_api import sync_playwright
    out = {"cold": [], "warm": [], "dom": [], "outlines": [], "complete": []}
    mark = "(name) => { const m = performance.getEntriesByName(name)[0]; return m ? m.startTime : null; }"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            ctx = b.new_context(viewport={"width": 1280, "height": 800})
            page = ctx.new_page()
            page.goto(url + "/?lang=en")
            page.wait_for_selector("body[data-map-ready]", state="attached", timeout=60000)
            out["cold"].append(page.evaluate(mark, "marsad-markers"))
            out["dom"].append(page.evaluate("() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"))
            page.wait_for_selector("body[data-outlines-ready]", state="attached", timeout=60000)
            out["outlines"].append(page.evaluate(mark, "marsad-outlines"))
            out["complete"].append(max(out["cold"][-1], out["outlines"][-1]))
            page.goto(url + "/?lang=en")                       # same context: cached scripts
            page.wait_for_selector("body[data-map-ready]", state="attached", timeout=60000)
            out["warm"].append(page.evaluate(mark, "marsad-markers"))
            shown = page.get_attribute("body", "data-map-ready")
            ctx.close()
        b.close()
    out["markers"] = shown
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--db", type=Path, help="reuse/keep this store (default: a temporary one)")
    a = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = a.db or Path(tmp.name) / "bench.db"
    empty = Path(tmp.name) / "empty.db"
    open_store(empty).close()

    before = open_store(db).status()["reports"] if db.exists() else 0
    built = build_store(db, a.events)
    added = built["reports"] - before
    print(f"store: {built['events']:,} events from {built['reports']:,} reports"
          + (f" (bulk insert of {added:,} reports through store.load_results: {built['seconds']:.1f} s, "
             f"{added / max(built['seconds'], 1e-9):,.0f} reports/s)" if added else " (reused)"))

    proc, url = start_server(db)
    proc0, url0 = start_server(empty)
    try:
        ev_id = json.load(urllib.request.urlopen(url + "/api/events?limit=1"))["events"][0]["id"]
        print(f"\nHTTP, median of {a.runs} (gzip), store of {built['events']:,} events:")
        for path in ("/", "/api/map", "/api/events?limit=50", "/api/stats", "/api/stats?interval=week",
                     f"/event/{ev_id}", "/timeline", "/static/vendor/outlines/countries.geojson",
                     "/static/vendor/outlines/admin1.geojson"):
            t, size = http_time(url + path, a.runs)
            print(f"  GET {path:45s} {t * 1000:8.1f} ms  {size / 1024:8.1f} KiB")
        big = browser_loads(url, a.runs)
        base = browser_loads(url0, a.runs)
        med = lambda xs: statistics.median(xs)  # noqa: E731
        print(f"\nBrowser (headless Chromium), navigation start -> all markers on the map, median of {a.runs}:")
        print(f"  {built['events']:,} events, cold cache: {med(big['cold']):7.0f} ms   (runs: "
              + ", ".join(f"{x:.0f}" for x in big['cold']) + ")")
        print(f"  {built['events']:,} events, warm cache: {med(big['warm']):7.0f} ms")
        print(f"  DOMContentLoaded (cold):         {med(big['dom']):7.0f} ms")
        print(f"  outline layers drawn (cold):     {med(big['outlines']):7.0f} ms")
        print(f"  markers and outlines, complete:  {med(big['complete']):7.0f} ms   (runs: "
              + ", ".join(f"{x:.0f}" for x in big['complete']) + ")")
        print(f"  empty store, cold cache:         {med(base['cold']):7.0f} ms   (baseline, same run; complete "
              f"{med(base['complete']):.0f} ms)")
        print(f"  markers drawn: {big['markers']}; ratio to baseline: {med(big['cold']) / med(base['cold']):.2f}x")
        verdict = "under" if med(big["complete"]) < 1000 else "OVER"
        print(f"  machine load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"\nfirst page load with {built['events']:,} events, markers and base map drawn: "
              f"{med(big['complete']):.0f} ms median ({verdict} 1 s)")
    finally:
        for p in (proc, proc0):
            p.terminate()
            p.wait(10)
        tmp.cleanup()


if __name__ == "__main__":
    main()
