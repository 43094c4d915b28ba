"""Synthetic reports and helpers for the store tests."""

from __future__ import annotations

import json


# Synthetic reports written for these tests (not from any outlet).
REPORTS = [
    ("r1", "2015-08-03", "قصفت طائرات النظام بلدة أريحا في ريف إدلب اليوم ما أدى إلى مقتل خمسة مدنيين "
     "وإصابة آخرين، بحسب المرصد السوري لحقوق الإنسان."),
    ("r2", "2015-08-04", "اندلعت اشتباكات عنيفة بين قوات النظام ومقاتلي المعارضة في حي جوبر بدمشق "
     "أمس، وقتل فيها ثلاثة من المقاتلين."),
    ("r3", "2015-08-05", "تظاهر مئات المواطنين في مدينة تعز اليوم احتجاجا على انقطاع الكهرباء والماء."),
    ("r4", "2015-08-05", "فجر انتحاري سيارة مفخخة قرب نقطة تفتيش في الرمادي صباح اليوم، وقالت مصادر "
     "أمنية إن عشرة أشخاص قتلوا."),
    ("r5", "2015-08-06", "واصل الطيران الحربي غاراته على مدينة الزبداني بريف دمشق، وألقت المروحيات "
     "براميل متفجرة على الأحياء السكنية."),
]


def records(prefix: str = "") -> list[dict]:
    return [{"id": prefix + rid, "text": text, "published": pub, "source": "test-outlet",
             "url": f"http://example.test/{prefix}{rid}"} for rid, pub, text in REPORTS]


def write_jsonl(path, recs) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def event(**kw) -> dict:
    """A CONTRACT event as the extractor would output it (defaults: an air strike on Ariha;
    evidence added by ``coded``)."""
    ev = {"event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
          "plover_type": "ASSAULT", "event_date": "2015-08-03", "time_precision": 1,
          "country_code": "SY", "admin1_code": "SY-ID", "location": "Ariha", "location_ar": "أريحا",
          "latitude": 35.8137, "longitude": 36.6096, "geo_precision": 1,
          "actor1": "Military Forces of Syria", "inter1": 1, "actor2": "Civilians (Syria)",
          "inter2": 7, "fatalities": 5, "weapons": ["aircraft"],
          "sources": ["Syrian Observatory for Human Rights"], "notes": "An air strike on Ariha.",
          "confidence": 0.8}
    ev.update(kw)
    return ev


def coded(rid: str, text: str, published: str, source: str, events: list[dict]) -> tuple[dict, dict]:
    """An (input record, output line) pair for Store.load_results; an event without evidence
    gets the whole text as its evidence span."""
    events = [e if "evidence" in e else {**e, "evidence": [{"start": 0, "end": len(text),
                                                            "field": "event"}]} for e in events]
    return ({"id": rid, "text": text, "published": published, "source": source,
             "url": f"http://{source}.test/{rid}"},
            {"id": rid, "events": events, "entities": []})



def dump(store) -> dict:
    """Every row of every table (for comparing two states of a store)."""
    tables = [r["name"] for r in store.db.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'fts_%' "
        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    out = {t: store.db.query(f"SELECT * FROM {t} ORDER BY 1") for t in tables}
    out["fts_reports"] = store.db.query("SELECT rowid, terms FROM fts_reports_rows ORDER BY rowid")
    out["fts_events"] = store.db.query("SELECT rowid, terms FROM fts_events_rows ORDER BY rowid")
    return out
