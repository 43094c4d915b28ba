"""Fixtures for the web tests: a demo store coded by the real extractor, a real `marsad serve`
on 127.0.0.1, and Debian's headless Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from marsad.store import open_store

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "web"
KHALIDIYA = REPO.parent / "shared" / "examples" / "khalidiya_homs.txt"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]

# Synthetic reports written for these tests (invented incidents in real places).
SYNTHETIC = [
    {"id": "w-aleppo", "published": "2015-08-03", "source": "تجريبي",
     "text": "قصف جوي على حلب\n\nشنت طائرات النظام السوري غارات جوية صباح اليوم على حي الشعار في مدينة "
             "حلب، ما أدى إلى مقتل 9 مدنيين وإصابة آخرين، بحسب المرصد السوري لحقوق الإنسان."},
    {"id": "w-taiz", "published": "2015-08-10", "source": "تجريبي",
     "text": "قصفت ميليشيات الحوثي أحياء سكنية في مدينة تعز بقذائف الهاون يوم أمس، ما أسفر عن مقتل "
             "أربعة مدنيين، بحسب مصادر محلية."},
    {"id": "w-baghdad", "published": "2015-08-12", "source": "تجريبي",
     "text": "انفجرت سيارة مفخخة اليوم في سوق شعبي بمدينة بغداد، ما أدى إلى مقتل 15 شخصا وإصابة 30 "
             "آخرين، وفق مصادر أمنية."},
    {"id": "w-script", "published": "2015-08-13", "source": "<b>مصدر</b>",
     "text": "<script>alert('x')</script> قصفت قوات النظام بلدة كفرنبل في ريف إدلب اليوم، ما أدى إلى "
             "مقتل 3 مدنيين بحسب ناشطين. <img src=x onerror=alert(2)>"},
    {"id": "w-homs", "published": "2015-08-05",
     "text": "دارت اشتباكات عنيفة اليوم بين قوات النظام ومقاتلي الجيش الحر في حي الوعر بمدينة حمص، قتل "
             "خلالها 4 من مقاتلي الجيش الحر بحسب ناشطين."},
    {"id": "w-daraa", "published": "2015-08-07",
     "text": "خرج مئات المتظاهرين اليوم في مدينة درعا في مظاهرة سلمية للمطالبة بالإفراج عن المعتقلين."},
    {"id": "w-english", "published": "2015-08-13",
     "text": "This report is in English and cannot be coded by Marsad at all."},
]


def build_demo_store(path: Path) -> dict:
    """Ingest the Khalidiya report and the synthetic reports through the real extractor."""
    records = []
    if KHALIDIYA.exists():
        records.append({"id": "khalidiya_homs", "text": KHALIDIYA.read_text(encoding="utf-8"),
                        "file": str(KHALIDIYA)})
    records += [dict(r, file="synthetic") for r in SYNTHETIC]
    store = open_store(path)
    try:
        stats = store.ingest_records(records)
    finally:
        store.close()
    return {"stats": stats, "path": path}


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("webdemo") / "t.db"
    build_demo_store(path)
    return path


@pytest.fixture(scope="session")
def demo_store(demo_db):
    store = open_store(demo_db)
    yield store
    store.close()


@pytest.fixture(scope="session")
def khalidiya_event(demo_store) -> dict:
    if not KHALIDIYA.exists():
        pytest.skip(f"the example report is not at {KHALIDIYA}")
    events, _ = demo_store.query_events(limit=1000)
    for ev in events:
        rep_ids = ev.get("report_ids") or []
        for rid in rep_ids:
            if (demo_store.get_report(rid) or {}).get("record_id") == "khalidiya_homs":
                return ev
    pytest.fail("the Khalidiya report produced no event")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db: Path, *extra: str, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = {k: v for k, v in os.environ.items() if k != "MARSAD_TOKEN"}
        full_env.update(env or {})
        self.log = open(ARTIFACTS / f"server-{self.port}.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "marsad", "serve", "--db", str(db), "--port", str(self.port), *extra],
            stdout=self.log, stderr=subprocess.STDOUT, env=full_env, cwd=REPO)
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.url + "/api/status", timeout=2) as r:
                    json.load(r)
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"marsad serve did not start; see {self.log.name}")
                time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


@pytest.fixture(scope="session")
def server(demo_db):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    srv = Server(demo_db)
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: scripts/setup --test installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    """A fresh page; JavaScript errors and dialogs (alert) are recorded on it."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    pg = ctx.new_page()
    pg.js_errors = []
    pg.dialogs = []
    pg.on("pageerror", lambda e: pg.js_errors.append(str(e)))

    def on_dialog(d):
        pg.dialogs.append(d.message)
        d.dismiss()
    pg.on("dialog", on_dialog)
    yield pg
    ctx.close()


@pytest.fixture(scope="session")
def shot():
    """shot(page, name): save a screenshot as test-artifacts/web/NAME.png."""
    def take(page, name: str, full_page: bool = False) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path
    return take


@pytest.fixture
def make_server():
    """make_server(db, *options): a `marsad serve` started for one test, stopped after it."""
    started = []

    def make(db: Path, *extra: str, env: dict | None = None) -> Server:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        started.append(Server(db, *extra, env=env))
        return started[-1]
    yield make
    for srv in started:
        srv.stop()


@pytest.fixture
def fresh_db(tmp_path) -> Path:
    """An empty store file for tests that write."""
    path = tmp_path / "t.db"
    open_store(path).close()
    return path



@pytest.fixture(scope="session")
def serve_db():
    """serve_db(path): a `marsad serve` over this store, shared by the tests that ask for it and
    stopped at the end of the session."""
    started = []

    def make(db: Path, *extra: str) -> Server:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        started.append(Server(db, *extra))
        return started[-1]
    yield make
    for srv in started:
        srv.stop()
