"""A fresh SQLite store for each store test."""

from __future__ import annotations

import pytest

from marsad.store import open_store


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "test.db")
    yield s
    s.close()
