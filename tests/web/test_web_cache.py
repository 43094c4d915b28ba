"""The response cache never serves stale data: an ingest through the web, or by another process
writing the same SQLite file, is seen by the next request."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from marsad.store import open_store
from marsad.web.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

REPORT = "قصفت طائرات النظام السوري مدينة دوما في ريف دمشق اليوم، ما أدى إلى مقتل 7 مدنيين بحسب ناشطين."


def coded(i: int) -> tuple[dict, dict]:
    text = f"اشتباكات في بلدة رقم {i} بريف حلب."
    ev = {"event_type": "Battles", "sub_event_type": "Armed clash", "event_date": f"2015-08-{i + 1:02d}",
          "country_code": "SY", "admin1_code": "SY-HL", "location": f"V{i}", "latitude": 36.2, "longitude": 37.1 + i, "geo_precision": 1,
          "fatalities": i, "evidence": [{"start": 0, "end": 8, "field": "event"}]}
    return {"id": f"x{i}", "text": text, "published": f"2015-08-{i + 1:02d}"}, {"events": [ev]}


def test_cached_answers_follow_the_store(fresh_db):
    store = open_store(fresh_db)
    with TestClient(create_app(store), raise_server_exceptions=False) as c:
        assert c.get("/api/events").json()["total"] == 0
        assert c.get("/api/events").json()["total"] == 0            # from the cache
        page = c.get("/events", params={"lang": "en"})
        assert c.post("/api/ingest", json={"text": REPORT, "published": "2015-08-16"}).status_code == 200
        n = c.get("/api/events").json()["total"]
        assert n >= 1                                                # the web's own write is seen
        other = open_store(fresh_db)                                  # another process's connection
        other.load_results([coded(1), coded(2)])
        other.close()
        assert c.get("/api/events").json()["total"] == n + 2
        assert c.get("/api/map").json()["total"] == n + 2
        assert page.status_code == 200
    store.close()
