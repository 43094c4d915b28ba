"""The event page's split and merge controls and their API (issue 13): a person with the token
splits a report out of an event or merges two events; the page shows each report's toll."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from marsad.store import open_store
from marsad.web.app import create_app

sys.path.insert(0, str(Path(__file__).parent.parent / "store"))
from test_store_link import _day_of_reports  # noqa: E402


def _client(tmp_path):
    store = open_store(tmp_path / "w.db")
    store.load_results(_day_of_reports())
    return store, TestClient(create_app(store, token="s3cret"), raise_server_exceptions=False)


def test_split_and_merge_through_the_api_need_the_token(tmp_path):
    store, c = _client(tmp_path)
    with c:
        jobar = next(e for e in store.iter_events() if e["n_reports"] == 3)
        report = jobar["report_ids"][-1]
        assert c.post(f"/api/events/{jobar['id']}/split", json={"report_id": report}).status_code == 401
        r = c.post(f"/api/events/{jobar['id']}/split", json={"report_id": report, "note": "other clash"},
                   headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 200, r.text
        assert store.get_event(jobar["id"])["n_reports"] == 2
        ids = sorted(e["id"] for e in store.iter_events() if e["n_reports"] == 1)
        r = c.post("/api/events/merge", json={"event_a": ids[0], "event_b": ids[1]},
                   headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 200, r.text
        assert store.get_event(r.json()["event_id"])["n_reports"] == 2
        assert c.get(f"/api/events/{ids[0]}/duplicates").status_code == 200
    store.close()


def test_event_page_shows_tolls_and_the_controls_work_with_the_token(tmp_path):
    store, c = _client(tmp_path)
    with c:
        jobar = next(e for e in store.iter_events() if e["n_reports"] == 3)
        html = c.get(f"/event/{jobar['id']}").text
        assert html.count('action="/event/%d/split"' % jobar["id"]) == 3
        assert 'action="/event/%d/merge"' % jobar["id"] in html
        assert html.count('class="toll"') == 3
        # the forms carry the session's form key (its cookie came with the page), as a browser sends them
        key = re.search(r'name="form_key" value="([^"]+)"', html).group(1)
        report = jobar["report_ids"][0]
        r = c.post(f"/event/{jobar['id']}/split", data={"report_id": report, "token": "wrong", "form_key": key},
                   follow_redirects=False)
        assert r.status_code == 303 and "link_error" in r.headers["location"]
        r = c.post(f"/event/{jobar['id']}/split", data={"report_id": report, "token": "s3cret"},
                   follow_redirects=False)                                  # no form key: refused
        assert r.status_code == 303 and "link_error" in r.headers["location"]
        assert store.get_event(jobar["id"])["n_reports"] == 3
        r = c.post(f"/event/{jobar['id']}/split", data={"report_id": report, "token": "s3cret", "form_key": key},
                   follow_redirects=False)
        assert r.status_code == 303 and store.get_event(jobar["id"])["n_reports"] == 2
    store.close()
