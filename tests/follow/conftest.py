"""Fixtures of the follow tests (the servers themselves are in follow_server.py)."""

from __future__ import annotations

import pytest

from follow_server import Hit, Route, TestServer  # noqa: F401


@pytest.fixture
def server():
    s = TestServer().start()
    yield s
    s.stop()


@pytest.fixture
def store(tmp_path):
    from marsad.store import open_store

    st = open_store(tmp_path / "marsad.db")
    yield st
    st.close()
