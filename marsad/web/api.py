"""The JSON API (/api/...), described by the OpenAPI document at /openapi.json.

Read endpoints take the shared filters (``filters.py``); write endpoints (ingest, upload) take the
server's token when one is set. Handlers are plain functions: FastAPI runs them in its thread
pool and the store serialises its connection.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import APIRouter, Body, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from .. import errors
from ..decoding import decode_text, parse_json
from ..errors import InputError
from . import data
from .app import ApiError, check_id, check_write
from .filters import BadParam, parse_date, parse_filters, store_filters

router = APIRouter(prefix="/api")
facets_cache = data.Facets()


def _json_default(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def json_response(obj: Any, status: int = 200, media_type: str = "application/json") -> Response:
    """The store's values as JSON, serialised directly (dates as ISO strings): FastAPI's generic
    encoder takes five times as long for a page of events."""
    return Response(json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=_json_default),
                    status_code=status, media_type=media_type)


def store_of(request: Request):
    return request.app.state.store


def threshold(request: Request) -> int:
    """The store's outlier toll (data.outlier_threshold), cached with the facets."""
    return facets_cache.get(store_of(request))["outlier_threshold"]


def with_labels(ev: dict, limit: int) -> dict:
    """An event for the JSON API: its outlier flag and the Arabic labels of its coded values."""
    from .i18n import value_label
    from .whereis import other_country
    ev["outlier"] = data.is_outlier(ev.get("fatalities"), limit)
    ev["point_in_other_country"] = other_country(ev)
    ev["labels_ar"] = {k: value_label(kind, ev.get(k), "ar") for k, kind in (
        ("event_type", "event_type"), ("sub_event_type", "sub_event_type"), ("actor1", "actor"), ("actor2", "actor"),
        ("inter1", "inter"), ("inter2", "inter"), ("country_code", "country"), ("admin1_code", "admin1"),
        ("geo_precision", "geo_precision"), ("time_precision", "time_precision")) if ev.get(k) not in (None, "")}
    return ev


def filter_params(
    request: Request,
    date_from: str | None = Query(None, description="First day, YYYY-MM-DD", examples=["2015-08-01"]),
    date_to: str | None = Query(None, description="Last day, YYYY-MM-DD"),
    country: list[str] | None = Query(None, description="Country: ISO code (SY) or name in English or Arabic "
                                      "(Syria, سوريا); repeat or separate with commas for several"),
    admin1: list[str] | None = Query(None, description="Governorate: ISO 3166-2 code (SY-HI) or name; several allowed"),
    event_type: list[str] | None = Query(None, description="ACLED event type, e.g. Battles; several allowed"),
    sub_event_type: list[str] | None = Query(None, description="ACLED sub-event type, e.g. Armed clash; several allowed"),
    actor: list[str] | None = Query(None, description="Part of an actor's name (actor1 or actor2), in English "
                                    "or Arabic (الحوثي finds Ansar Allah (Houthis)); several allowed"),
    q: str | None = Query(None, description="Text search (Arabic-normalised) in reports and notes"),
    min_fatalities: int | None = Query(None, description="At least this many fatalities"),
    inter: list[str] | None = Query(None, description="Actor category of either actor (1 state forces ... "
                                    "7 civilians, 8 external); several allowed"),
    interaction: list[str] | None = Query(None, description="ACLED interaction code, e.g. 17 or 20; several allowed"),
    geo_precision: list[str] | None = Query(None, description="Place precision 1, 2 or 3; several allowed"),
    min_confidence: float | None = Query(None, description="At least this confidence (0 to 1)"),
    location: list[str] | None = Query(None, description="Place name as coded (English), e.g. Zabadani; several allowed"),
) -> dict:
    # The declared parameters document the API; the values are read (repeated or comma-separated)
    # and checked by parse_filters.
    return store_filters(parse_filters(request.query_params))


@router.get("/events", summary="Events matching the filters, paginated")
def list_events(request: Request, filters: dict = Depends(filter_params),
                limit: int = Query(50, ge=1, le=1000), offset: int = Query(0, ge=0, le=10_000_000)):
    """`{"events": [...], "total": N, "limit", "offset"}`; each event has the CONTRACT.md fields
    plus `id`, `report_ids` and `sources`. Newest first."""
    events, total = store_of(request).query_events(**filters, limit=limit, offset=offset)
    limit_toll = threshold(request)
    for ev in events:
        ev["outlier"] = data.is_outlier(ev.get("fatalities"), limit_toll)
    return json_response({"events": events, "total": total, "limit": limit, "offset": offset})


@router.get("/events.geojson", summary="Events matching the filters as a GeoJSON FeatureCollection")
def events_geojson(request: Request, filters: dict = Depends(filter_params),
                   limit: int = Query(1000, ge=1, le=data.MAP_LIMIT), offset: int = Query(0, ge=0)):
    events, total = store_of(request).query_events(**filters, limit=limit, offset=offset)
    return json_response(data.geojson(events, total), media_type="application/geo+json")


@router.get("/map", summary="Compact markers for the map")
def map_points(request: Request, filters: dict = Depends(filter_params)):
    """`points`: `[id, latitude, longitude, type index, fatalities, date]` per placed event;
    `types` and `colours` give each type index its name and colour."""
    # Tens of thousands of points: serialised directly, not through FastAPI's generic encoder.
    body = json.dumps(data.map_points(store_of(request), filters, threshold(request)), separators=(",", ":"),
                      ensure_ascii=False)
    return Response(body, media_type="application/json")


@router.get("/events/{event_id}", summary="One event with its merged reports and evidence spans")
def get_event(request: Request, event_id: int):
    ev = store_of(request).get_event(check_id("event", event_id))
    if ev is None:
        raise ApiError(404, f"no event with id {event_id}")
    return json_response(with_labels(ev, threshold(request)))


@router.get("/events/{event_id}/duplicates", summary="Possible duplicates of an event (near-misses a person may merge)")
def event_duplicates(request: Request, event_id: int, limit: int = Query(20, ge=1, le=200)):
    return {"event_id": event_id, "duplicates": store_of(request).possible_duplicates(event_id=event_id, limit=limit)}


@router.post("/events/{event_id}/split", summary="A person's decision: this report is not this event's incident")
def split_report(request: Request, event_id: int, body: dict = Body(..., examples=[{"report_id": 12, "note": "another clash"}])):
    check_write(request)
    try:
        events = store_of(request).split_report(event_id, int(body.get("report_id")), body.get("note"))
    except (KeyError, TypeError, ValueError) as e:
        raise ApiError(400, f"cannot split: {e}")
    return {"event_id": event_id, "report_id": body.get("report_id"), "now_in_events": events}


@router.post("/events/merge", summary="A person's decision: two events are one incident")
def merge_events(request: Request, body: dict = Body(..., examples=[{"event_a": 3, "event_b": 7}])):
    check_write(request)
    try:
        event_id = store_of(request).merge_events(int(body.get("event_a")), int(body.get("event_b")),
                                                  body.get("note"))
    except (KeyError, TypeError, ValueError) as e:
        raise ApiError(400, f"cannot merge: {e}")
    return {"event_id": event_id}


@router.get("/reports", summary="Stored reports, newest first; q searches their text")
def list_reports(request: Request, q: str | None = Query(None, max_length=200),
                 limit: int = Query(50, ge=1, le=1000), offset: int = Query(0, ge=0)):
    store = store_of(request)
    reports, total = store.search_reports(q or "", limit=limit, offset=offset)
    return {"reports": data.jsonable(reports), "total": total, "limit": limit, "offset": offset}


@router.get("/reports/{report_id}", summary="One report: its text and everything coded from it, with spans")
def get_report(request: Request, report_id: int):
    rep = store_of(request).get_report(check_id("report", report_id))
    if rep is None:
        raise ApiError(404, f"no report with id {report_id}")
    return data.jsonable(rep)


@router.get("/actors", summary="Actors with their number of events")
def list_actors(request: Request, q: str | None = Query(None, max_length=200),
                limit: int = Query(500, ge=1, le=10_000)):
    actors = facets_cache.get(store_of(request))["actors"]
    if q:   # a part of the English name, or an Arabic name (names.actor_terms)
        from .names import actor_terms
        terms = [t.lower() for t in actor_terms(q)]
        actors = [a for a in actors if any(t in a["name"].lower() for t in terms)]
    return {"actors": actors[:limit], "total": len(actors)}


@router.get("/places", summary="Places with their number of events, fatalities and coordinates")
def list_places(request: Request, country: str | None = Query(None), admin1: str | None = Query(None),
                limit: int = Query(500, ge=1, le=10_000)):
    f = parse_filters({"country": country, "admin1": admin1})
    places = facets_cache.get(store_of(request))["places"]
    if "country" in f:
        places = [p for p in places if p["country_code"] in f["country"]]
    if "admin1" in f:
        places = [p for p in places if p["admin1_code"] in f["admin1"]]
    return {"places": data.jsonable(places[:limit]), "total": len(places)}


@router.get("/facets", summary="Values the filter bar offers: countries, governorates, actors")
def facets(request: Request):
    f = facets_cache.get(store_of(request))
    return {"countries": f["countries"], "admin1": f["admin1"], "actors": f["actors"][:2000]}


@router.get("/stats", summary="Events and fatalities per day or week, by event type")
def stats(request: Request, filters: dict = Depends(filter_params),
          interval: str = Query("day", pattern="^(day|week)$", description="day or week")):
    return json_response(data.timeline(store_of(request), filters, interval, threshold(request)))


@router.get("/summary", summary="Events and fatalities by type, country, governorate, actor, and the top places")
def summary(request: Request, filters: dict = Depends(filter_params), limit: int = Query(8, ge=1, le=100)):
    """Each group is a list of `{"value", "events", "fatalities"}` (with `label_ar`), most events
    first. Tolls flagged as outliers are not in the fatality sums: `outlier_events` and
    `outlier_fatalities` say how many were left out."""
    from .i18n import value_label
    out = data.summary(store_of(request), filters, threshold(request), limit)
    kinds = {"event_type": "event_type", "country": "country", "admin1": "admin1", "actor": "actor"}
    for by, kind in kinds.items():
        for row in out[by]:
            row["label"] = value_label(kind, row["value"], "en")
            row["label_ar"] = value_label(kind, row["value"], "ar")
    for row in out["location"]:
        row["label"], row["label_ar"] = row["value"], row.get("location_ar") or row["value"]
    return json_response(out)


@router.get("/export", summary="The matching events as a file: ACLED CSV, GeoJSON or JSON lines")
def export(request: Request, filters: dict = Depends(filter_params),
           format: str = Query("acled-csv", pattern="^(acled-csv|geojson|jsonl)$",
                               description="acled-csv (the columns `marsad export` writes), geojson or jsonl")):
    """The same filters as /api/events, all matching events (oldest first), as a download."""
    import io

    from marsad.store.export import export as write
    store = store_of(request)
    events = store.iter_events(**filters)
    if format == "jsonl":   # full records, as `marsad export --format jsonl`: reports and evidence
        events = (store.get_event(e["id"]) for e in events)
    out = io.StringIO()     # written whole: a few MB for tens of thousands of events
    write(events, format, out)
    ext = {"acled-csv": "csv", "geojson": "geojson", "jsonl": "jsonl"}[format]
    media = {"acled-csv": "text/csv; charset=utf-8", "geojson": "application/geo+json",
             "jsonl": "application/x-ndjson; charset=utf-8"}[format]
    return Response(out.getvalue(), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="marsad-events.{ext}"'})


@router.get("/outline-names", summary="Arabic names of the base map's country and governorate outlines")
def outline_names():
    return data.outline_names()


@router.get("/failures", summary="Reports that could not be coded, with the reason")
def failures(request: Request, limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0)):
    return {"failures": data.jsonable(store_of(request).failures(limit=limit, offset=offset))}


@router.post("/failures/{failure_id}/retry", summary="Ingest a failed report again (its kept record)")
def retry_failure(request: Request, failure_id: int):
    check_write(request)
    return retry_one(request, failure_id)


def retry_one(request: Request, failure_id: int) -> dict:
    """The retry's ingest result; 404 for no such failure, 409 when its record was not kept."""
    store = store_of(request)
    try:
        res = store.retry_failure(check_id("failure", failure_id))
    except KeyError:
        raise ApiError(404, f"no failure with id {failure_id}")
    except ValueError as e:
        raise ApiError(409, str(e))
    facets_cache.clear()
    return data.jsonable({"status": res.status, "report_id": res.report_id, "event_ids": list(res.event_ids or []),
                          "reason": res.reason})


@router.get("/status", summary="Counts and versions of the store")
def status(request: Request):
    return data.public_status(store_of(request))


# -- writing -----------------------------------------------------------------------------------

def make_record(text: Any, published: Any = None, source: Any = None, url: Any = None,
                title: Any = None, rid: Any = None) -> dict:
    for name, v in (("text", text), ("published", published), ("source", source), ("url", url),
                    ("title", title), ("id", rid)):
        if isinstance(v, str) and errors.has_surrogates(v):   # no file or database can hold it
            raise BadParam(name, errors.invalid_unicode(v))
    if text is None:
        raise BadParam("text", "the report has no text")
    if not isinstance(text, str):
        raise BadParam("text", f"not a string but {type(text).__name__}")
    if not text.strip():
        raise BadParam("text", "the report text is empty")
    if published not in (None, ""):
        if not isinstance(published, str):
            raise BadParam("published", "must be a YYYY-MM-DD string")
        published = parse_date("published", published.strip())
    rec = {"id": str(rid) if rid not in (None, "") else "web-" + hashlib.sha256(text.encode()).hexdigest()[:12],
           "text": text, "published": published or None, "file": "web"}
    for k, v in (("source", source), ("url", url), ("title", title)):
        if v not in (None, ""):
            if not isinstance(v, str):
                raise BadParam(k, "must be a string")
            rec[k] = v.strip()[:500]
    return rec


def ingest_one(request: Request, rec: dict) -> dict:
    store = store_of(request)
    res = store.ingest_record(rec)
    facets_cache.clear()
    out = {"status": res.status, "report_id": res.report_id, "event_ids": list(res.event_ids or []),
           "new_event_ids": list(res.new_event_ids or []), "reason": res.reason, "events": []}
    for eid in out["event_ids"]:
        ev = store.get_event(eid)
        if ev is not None:
            ev.pop("reports", None)
            ev.pop("merges", None)
            out["events"].append(ev)
    if res.report_id is not None:
        out["report_url"] = f"/report/{res.report_id}"
    return data.jsonable(out)


def records_from_upload(name: str, raw: bytes, published: str | None, source: str | None) -> list[dict]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadParam("file", f"{name or 'the file'} is not UTF-8 text") from None
    if name.lower().endswith(".jsonl"):
        recs = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = parse_json(line)
            except InputError as e:
                raise BadParam("file", f"line {n}: {e}") from None
            if not isinstance(obj, dict):
                raise BadParam("file", f"line {n} is not a JSON object")
            recs.append(make_record(obj.get("text"), obj.get("published") or published,
                                    obj.get("source") or source, obj.get("url"), obj.get("title"), obj.get("id")))
        if not recs:
            raise BadParam("file", "the file has no records")
        return recs
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0] if name else None
    return [make_record(text, published, source, rid=stem or None)]


async def json_object(request: Request) -> dict:
    """The posted JSON object, decoded and parsed as `extract` and `ingest` read a JSON line, so a
    body nested too deep, with a number too long or in another encoding gets the same reason."""
    check_write(request)   # before reading the body: a 401 says nothing about its content
    try:
        body = parse_json(decode_text(await request.body(), "JSON"))
    except InputError as e:
        raise BadParam("body", str(e)) from None
    if not isinstance(body, dict):
        raise BadParam("body", f"not a JSON object but {type(body).__name__}")
    return body


_INGEST_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"type": "object", "required": ["text"],
               "properties": {k: {"type": "string"} for k in ("text", "published", "source", "url", "title", "id")}},
    "example": {"text": "قصفت قوات النظام ...", "published": "2015-08-03", "source": "..."}}}}}


@router.post("/ingest", summary="Code one report (JSON) and store it", status_code=200,
             openapi_extra=_INGEST_BODY)
def ingest(request: Request, body: dict = Depends(json_object)):
    """Body: `{"text", "published"?, "source"?, "url"?, "title"?, "id"?}`. Answers the report id,
    the status (new, duplicate or failed, with the reason) and the events coded from it."""
    check_write(request)
    rec = make_record(body.get("text"), body.get("published"), body.get("source"), body.get("url"),
                      body.get("title"), body.get("id"))
    return ingest_one(request, rec)


@router.post("/upload", summary="Upload a report file (.txt) or several records (.jsonl)")
def upload(request: Request, file: UploadFile = File(...), published: str | None = Form(None),
           source: str | None = Form(None), token: str | None = Form(None)):
    check_write(request, token)
    recs = records_from_upload(file.filename or "", file.file.read(), published, source)
    results = [ingest_one(request, r) for r in recs]
    return {"results": results, "new": sum(r["status"] == "new" for r in results),
            "duplicate": sum(r["status"] == "duplicate" for r in results),
            "failed": sum(r["status"] == "failed" for r in results)}
