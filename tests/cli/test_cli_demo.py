"""The README's demo: the seed report and the bundled reports coded into a fresh store."""

import subprocess
import sys

from marsad.demo.commands import SEED_REPORT
from marsad.store import open_store


def test_demo_codes_the_seed_and_bundled_reports_into_the_store(tmp_path):
    db = tmp_path / "demo.db"
    res = subprocess.run([sys.executable, "-m", "marsad", "demo", "--db", str(db), "--no-serve"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "0 failed" in res.stdout
    store = open_store(str(db))
    try:
        events, total = store.query_events(limit=None)
        assert total >= 5
        # the bundled reports are in four countries
        assert {"SY", "YE", "IQ", "LY"} <= {e["country_code"] for e in events}
        if SEED_REPORT.exists():
            homs = [e for e in events if e["admin1_code"] == "SY-HI"]
            assert homs and homs[0]["event_type"] == "Battles"
        # running it again stores nothing twice
        res = subprocess.run([sys.executable, "-m", "marsad", "demo", "--db", str(db), "--no-serve"],
                             capture_output=True, text=True, timeout=300)
        assert res.returncode == 0 and " 0 new reports" in res.stdout
        assert store.query_events(limit=None)[1] == total
    finally:
        store.close()
