"""Fixtures of the scale tests: synthetic reports and a real, throwaway PostgreSQL server.

The server is Debian's postgresql (``scripts/setup --test`` installs it): ``initdb`` into a
temporary directory and ``pg_ctl start`` on a free port of 127.0.0.1, as the ``postgres`` user
when running as root; stopped and deleted at the end of the session. Set MARSAD_TEST_PG_URL to
use a server of your own instead. Tests are skipped, saying why, only when no server can be
started.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid

import pytest

# Synthetic reports (written for these tests). Different events, places, dates and actors.
REPORTS = [
    ("r1", "2015-03-02", "قصفت طائرات حربية تابعة للنظام السوري بلدة كفرنبل في ريف إدلب أمس، "
     "ما أدى إلى مقتل خمسة مدنيين وإصابة عشرة آخرين، بحسب المرصد السوري لحقوق الإنسان."),
    ("r2", "2015-04-10", "دارت اشتباكات عنيفة بين قوات النظام وفصائل الجيش الحر في حي الخالدية "
     "بمدينة حمص، وقال ناشطون إن ثلاثة مقاتلين قتلوا."),
    ("r3", "2015-05-21", "انفجرت سيارة مفخخة قرب سوق شعبي في مدينة بغداد اليوم مما أسفر عن "
     "مقتل ١٢ شخصا وإصابة ٢٠ آخرين، وفق مصادر أمنية."),
    ("r4", "2015-06-01", "خرج مئات المتظاهرين في مدينة تعز للمطالبة برحيل الميليشيات، "
     "ولم تسجل أي إصابات."),
    ("r5", "2015-07-15", "نفى الجيش اللبناني أن يكون قد قصف أي مواقع في جرود عرسال، "
     "وهدد تنظيم داعش بشن هجمات جديدة."),
    ("r6", "2015-08-03", "ألقت مروحيات النظام براميل متفجرة على مدينة داريا في ريف دمشق "
     "صباح اليوم، وقتل طفلان حسب مصادر محلية."),
]


def synthetic_records(n: int = 60) -> list[dict]:
    """n records cycling through REPORTS, each text made unique (a dedup-safe suffix)."""
    out = []
    for i in range(n):
        rid, pub, text = REPORTS[i % len(REPORTS)]
        out.append({"id": f"{rid}-{i}", "published": pub, "source": "test",
                    "text": text + f"\n(نسخة {i})"})
    return out


def _find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    cands = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    return cands[-1] if cands else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server URL (without database) for the session."""
    url = os.environ.get("MARSAD_TEST_PG_URL")
    if url:
        yield url.rstrip("/")
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install -e '.[scale]')")
    initdb, pg_ctl = _find_bin("initdb"), _find_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("no PostgreSQL server binaries (apt-get install postgresql, as scripts/setup "
                    "--test does) and no MARSAD_TEST_PG_URL")
    as_user: list[str] = []
    if os.geteuid() == 0:   # the server refuses to run as root
        runuser = shutil.which("runuser")
        try:
            import pwd
            pwd.getpwnam("postgres")
        except KeyError:
            runuser = None
        if not runuser:
            pytest.skip("running as root without a 'postgres' user to run the server as")
        as_user = [runuser, "-u", "postgres", "--"]
    root = tempfile.mkdtemp(prefix="marsad-pg-")
    data = os.path.join(root, "data")
    if as_user:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    try:
        subprocess.run(as_user + [initdb, "-D", data, "-U", "postgres", "--auth=trust",
                                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                       check=True, capture_output=True, env=env, cwd=root, timeout=120)
        subprocess.run(as_user + [pg_ctl, "-D", data, "-l", os.path.join(root, "log"), "-w",
                                  "-t", "60", "-o",
                                  f"-p {port} -k {root} -c listen_addresses=127.0.0.1 "
                                  "-c fsync=off -c full_page_writes=off", "start"],
                       check=True, capture_output=True, env=env, cwd=root, timeout=120)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
        log = ""
        if os.path.exists(os.path.join(root, "log")):
            log = open(os.path.join(root, "log"), errors="replace").read()[-800:]
        err = getattr(e, "stderr", b"") or b""
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"could not start a PostgreSQL server: {e}; {err.decode(errors='replace')[-400:]} {log}")
    # A killed run (SIGKILL, a CI timeout) never reaches the `finally` below and used to leave the
    # server running: a watcher in its own session stops it and removes its folder once this
    # process is gone (after a normal end it finds both gone already).
    subprocess.Popen(["sh", "-c", 'while kill -0 "$0" 2>/dev/null; do sleep 2; done; "$@"; rm -rf "$PG_ROOT"',
                      str(os.getpid()), *as_user, pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"],
                     env={**env, "PG_ROOT": root}, cwd="/", start_new_session=True,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(as_user + [pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"],
                       capture_output=True, cwd=root, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server):
    """A URL to a new, empty database of its own (dropped after the test)."""
    import psycopg

    name = "marsad_test_" + uuid.uuid4().hex[:10]
    with psycopg.connect(pg_server + "/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield f"{pg_server}/{name}"
    with psycopg.connect(pg_server + "/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def records():
    """60 synthetic records (six kinds of report, each text unique)."""
    return synthetic_records(60)


def snapshot(store) -> dict:
    """Everything a user can read from a store, without timestamps."""
    events, total = store.query_events(limit=None)
    for e in events:
        e.pop("created_at"), e.pop("updated_at")
    full = [store.get_event(e["id"]) for e in events]
    for e in full:
        e.pop("created_at"), e.pop("updated_at")
        for m in e["merges"]:
            m.pop("created_at")
    reports = [store.get_report(i) for i in range(1, store.status()["reports"] + 1)]
    for r in reports:
        r.pop("ingested_at"), r.pop("coded_at")
    fails = [(f["origin"], f["kind"], f["reason"], f["record_id"]) for f in store.failures()]
    return {"total": total, "events": events, "full": full, "reports": reports,
            "failures": sorted(fails), "stats": store.stats(),
            "search": [store.query_events(q=q)[1] for q in ("قصف", "القصف", "اشتباكات", "حمص", "Homs")],
            "report_search": [store.search_reports(q)[1] for q in ("مفخخة", "بالمفخخة", "تعز")]}


@pytest.fixture(name="snapshot")
def snapshot_fixture():
    """snapshot(store): everything a user can read from a store, without timestamps."""
    return snapshot
