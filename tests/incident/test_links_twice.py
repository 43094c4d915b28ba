"""`scripts/links.py tune --twice` groups the stored events as the store does (dr91): "any", a
report's two events may join one group (when another report's event links to both: cluster.groups);
"off" is the rule before; "compatible", "blocked", "capped" and MODE/R are trials."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import links  # noqa: E402  (scripts/links.py)

from test_links_explain import _ev  # noqa: E402


def test_the_tunes_twice_modes_ask_what_the_store_asks():
    a = _ev(1, "r1")
    same_day = _ev(2, "r1", event_date="2015-07-21")
    far = _ev(3, "r1", location="Aden", latitude=12.78, longitude=45.03, admin1_code="YE-AD")
    mentions = {e["_mid"]: e for e in (a, same_day, far)}
    assert links._twice("off", mentions) is None
    assert links._twice("any", mentions)(("r1", 1), ("r1", 3))
    ok = links._twice("compatible", mentions)
    assert ok(("r1", 1), ("r1", 2)) and ok(("r1", 2), ("r1", 1))
    assert not ok(("r1", 1), ("r1", 3))          # two governorates
    assert links._twice("compatible/0.5", mentions)(("r1", 1), ("r1", 2))
    assert not links._twice("blocked", mentions)(("r1", 1), ("r1", 3))
    assert links._twice("capped", mentions)(("r1", 1), ("r1", 2))
    assert links._reach("compatible", 0.8) is None and links._reach("compatible/0.5", 0.8) == 0.4
