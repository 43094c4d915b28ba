"""An event whose point lies in another country than its country_code is flagged."""

from __future__ import annotations

import shutil
import sqlite3

from fastapi.testclient import TestClient

from marsad.store import open_store
from marsad.web.app import create_app
from marsad.web.whereis import other_country

AMMAN = (31.9552, 35.9450)
LATAKIA = (35.5317, 35.7901)     # a coastal town: its own point must not be flagged


def test_point_in_other_country(demo_db, tmp_path):
    assert other_country({"country_code": "SY", "latitude": AMMAN[0], "longitude": AMMAN[1]})["country_code"] == "JO"
    assert other_country({"country_code": "SY", "latitude": LATAKIA[0], "longitude": LATAKIA[1]}) is None
    assert other_country({"country_code": "SY", "latitude": 35.5, "longitude": 33.0}) is None   # open sea
    db = tmp_path / "t.db"
    shutil.copy(demo_db, db)
    con = sqlite3.connect(db)
    a, b = [r[0] for r in con.execute("SELECT id FROM events ORDER BY id LIMIT 2")]
    con.execute("UPDATE events SET country_code = 'SY', latitude = ?, longitude = ? WHERE id = ?", (*AMMAN, a))
    con.execute("UPDATE events SET country_code = 'SY', latitude = ?, longitude = ? WHERE id = ?", (*LATAKIA, b))
    con.commit()
    con.close()
    store = open_store(db)
    try:
        with TestClient(create_app(store), raise_server_exceptions=False) as c:
            flag = c.get(f"/api/events/{a}").json()["point_in_other_country"]
            assert flag["country_code"] == "JO" and flag["km"] < 25
            assert c.get(f"/api/events/{b}").json()["point_in_other_country"] is None
            assert "elsewhere-note" in c.get(f"/event/{a}?lang=en").text
            assert "elsewhere-note" not in c.get(f"/event/{b}?lang=en").text
    finally:
        store.close()
