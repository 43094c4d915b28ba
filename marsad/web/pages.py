"""The HTML pages: map, timeline, event list, event and report evidence, status, ingest.

Pages are rendered with Jinja2 autoescaping; report text goes through ``highlight.segments`` and
is printed segment by segment, so nothing in a report can become markup. The map and timeline
draw themselves in the browser from the JSON API with the same filters (kept in the URL).
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from . import data
from .app import FORM_COOKIE, ApiError, check_id, check_write
from .filters import EVENT_TYPES, BadParam, parse_filters, parse_int, store_filters
from .whereis import other_country
from .highlight import GROUP_ORDER, field_group, groups_present, segments
from .i18n import EVENT_TYPE_COLOURS, STRINGS, field_label, format_number, translator, type_label, value_label

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


def base_context(request: Request, **kw) -> dict:
    lang = getattr(request.state, "lang", "en")
    notice = None
    try:
        filters = parse_filters(request.query_params)
    except BadParam as e:
        filters, notice = {}, str(e)
    t = translator(lang)
    ctx = {
        "request": request, "lang": lang, "dir": "rtl" if lang == "ar" else "ltr", "t": t,
        "type_label": lambda et: type_label(et, lang), "filters": filters,
        "qs": urlencode(filters, doseq=True), "event_types": EVENT_TYPES, "colours": EVENT_TYPE_COLOURS,
        "assets_ok": request.app.state.assets_ok, "notice": notice, "path": request.url.path,
        "js_strings": {k: v.get(lang, v["en"]) for k, v in STRINGS.items()},
        "other_lang": "en" if lang == "ar" else "ar", "field_group": field_group,
        "label": lambda name: field_label(name, lang),
        "group_label": lambda name: field_label(name, lang, group=True),
        "qs_with": lambda **kw: urlencode({**{k: v for k, v in filters.items() if k not in kw},
                                           **{k: v for k, v in kw.items() if v}}, doseq=True),
    }
    ctx["js_strings"]["__types"] = {et: type_label(et, lang) for et in EVENT_TYPES}
    ctx["js_strings"]["__sub"] = {s: value_label("sub_event_type", s, lang) for subs in EVENT_TYPES.values() for s in subs}
    ctx["js_strings"]["__inter"] = {str(i): value_label("inter", i, lang) for i in range(1, 9)}
    ctx["js_strings"]["__precision"] = {str(i): value_label("geo_precision", i, lang) for i in range(1, 4)}
    ctx["js_strings"]["__lang"] = lang
    ctx.update(
        vl=lambda kind, code: value_label(kind, code, lang),
        sep="، " if lang == "ar" else ", ",
        num=lambda n: format_number(n, lang),
        event_type_items=[(et, type_label(et, lang)) for et in EVENT_TYPES],
        sub_items={et: [(s, value_label("sub_event_type", s, lang)) for s in subs] for et, subs in EVENT_TYPES.items()},
        inter_items=[(i, f"{i} · {value_label('inter', i, lang)}") for i in range(1, 9)],
        precision_items=[(i, f"{i} · {value_label('geo_precision', i, lang)}") for i in range(1, 4)],
    )
    ctx.update(kw)
    return ctx


def render(request: Request, template: str, status: int = 200, **kw) -> HTMLResponse:
    ctx = base_context(request, **kw)
    if ctx["notice"] and status == 200:
        status = 400
    return request.app.state.templates.TemplateResponse(request, template, ctx, status_code=status)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    if not hasattr(request.state, "lang"):
        request.state.lang = "en"
    return render(request, "error.html", status=status, status_code=status, message=message)


@router.get("/", response_class=HTMLResponse)
def map_page(request: Request):
    return render(request, "map.html", tiles=request.app.state.tiles,
                  tiles_attribution=request.app.state.tiles_attribution)


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request):
    return render(request, "timeline.html")


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request):
    ctx = base_context(request)
    page = parse_int(request.query_params, "page", 1, 1, 1_000_000)
    events, total = [], 0
    if not ctx["notice"]:
        events, total = request.app.state.store.query_events(
            **store_filters(ctx["filters"]), limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    limit = outlier_limit(request)
    for ev in events:
        ev["outlier"] = data.is_outlier(ev.get("fatalities"), limit)
    return render(request, "events.html", events=events, total=total, page=page, pages=pages)


def outlier_limit(request: Request) -> int:
    from .api import threshold
    return threshold(request)


def report_spans(rep: dict) -> list[dict]:
    """Every span coded from a report: events' evidence, names, conditions, sources."""
    spans: list[dict] = []
    for ev in rep.get("events") or []:
        spans.extend(s for s in ev.get("evidence") or [] if isinstance(s, dict))
    kinds = {"LOC": "place", "PER": "per", "ORG": "org"}
    for ent in rep.get("entities") or []:
        if isinstance(ent, dict) and "start" in ent:
            spans.append({"start": ent["start"], "end": ent.get("end"), "field": kinds.get(ent.get("type"), "other")})
    for key, fld in (("conditions", "condition"), ("sources", "source")):
        for item in rep.get(key) or []:
            if not isinstance(item, dict):
                continue
            if "start" in item:
                spans.append({"start": item["start"], "end": item.get("end"), "field": fld})
            for s in item.get("evidence") or []:
                if isinstance(s, dict):
                    spans.append({**s, "field": fld})
    return spans


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request):
    page = parse_int(request.query_params, "page", 1, 1, 1_000_000)
    q = (request.query_params.get("q") or "").strip()[:200]
    reports, total = request.app.state.store.search_reports(q, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    pages = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    return render(request, "reports.html", reports=reports, total=total, page=page, pages=pages, q=q,
                  page_qs=urlencode({"q": q}) if q else "")


@router.get("/event/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: int):
    store = request.app.state.store
    ev = store.get_event(check_id("event", event_id))
    if ev is None:
        raise ApiError(404, f"no event with id {event_id}")
    reports = []
    for r in ev.get("reports") or []:
        rep = store.get_report(r.get("report_id")) if r.get("report_id") is not None else None
        text = (rep or {}).get("text") or ""
        segs = segments(text, r.get("evidence") or [])
        reports.append({**r, "text": text, "segments": segs, "groups": groups_present(segs),
                        "title": r.get("title") or (rep or {}).get("title")})
    groups = [g for g in GROUP_ORDER if any(g in r["groups"] for r in reports)]
    key, new_key = form_key(request)   # the split and merge forms are writes
    response = render(request, "event.html", form_key=key, ev=ev, reports=reports, groups=groups,
                  outlier=data.is_outlier(ev.get("fatalities"), outlier_limit(request)),
                  elsewhere=other_country(ev),
                  fields=[f for f in data.EVENT_FIELDS if f not in ("notes",)],
                  duplicates=store.possible_duplicates(event_id=event_id, limit=10),
                  need_token=bool(request.app.state.token), link_error=request.query_params.get("link_error"))
    if new_key:
        response.set_cookie(FORM_COOKIE, key, httponly=True, samesite="strict")
    return response


@router.post("/event/{event_id}/split")
def event_split(request: Request, event_id: int, report_id: int = Form(...), token: str = Form(""),
                note: str = Form(""), form_key_field: str = Form("", alias="form_key")):
    """The event page's split control: a report leaves the event (a person's decision)."""
    try:
        check_write(request, token, form_key_field, html_form=True)
        request.app.state.store.split_report(event_id, report_id, note or None)
    except (ApiError, KeyError) as e:
        msg = e.message if isinstance(e, ApiError) else str(e)
        return RedirectResponse(f"/event/{event_id}?{urlencode({'link_error': msg})}", status_code=303)
    return RedirectResponse(f"/event/{event_id}", status_code=303)


@router.post("/event/{event_id}/merge")
def event_merge(request: Request, event_id: int, other: int = Form(...), token: str = Form(""),
                note: str = Form(""), form_key_field: str = Form("", alias="form_key")):
    """The event page's merge control: another event is the same incident (a person's decision)."""
    try:
        check_write(request, token, form_key_field, html_form=True)
        kept = request.app.state.store.merge_events(event_id, other, note or None)
    except (ApiError, KeyError) as e:
        msg = e.message if isinstance(e, ApiError) else str(e)
        return RedirectResponse(f"/event/{event_id}?{urlencode({'link_error': msg})}", status_code=303)
    return RedirectResponse(f"/event/{kept}", status_code=303)


@router.get("/report/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: int):
    rep = request.app.state.store.get_report(check_id("report", report_id))
    if rep is None:
        raise ApiError(404, f"no report with id {report_id}")
    segs = segments(rep.get("text") or "", report_spans(rep))
    return render(request, "report.html", rep=rep, segments=segs, groups=groups_present(segs))


@router.get("/status", response_class=HTMLResponse)
def status_page(request: Request):
    store = request.app.state.store
    page = parse_int(request.query_params, "page", 1, 1, 1_000_000)
    fails = store.failures(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    st = data.public_status(store)
    total = sum((st.get("failures") or {}).values())
    key, new_key = form_key(request)   # the retry buttons are writes
    response = render(request, "status.html", failures=fails, store_status=st, page=page, total_failures=total,
                      pages=max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE), form_key=key,
                      need_token=bool(request.app.state.token), retry=request.query_params.get("retry"))
    if new_key:
        response.set_cookie(FORM_COOKIE, key, httponly=True, samesite="strict")
    return response


@router.post("/status/retry/{failure_id}")
def status_retry(request: Request, failure_id: int, token: str = Form(""),
                 form_key_field: str = Form("", alias="form_key")):
    """The status page's retry button: the failed record is ingested again."""
    from .api import retry_one
    try:
        check_write(request, token, form_key_field, html_form=True)
        res = retry_one(request, failure_id)
        msg = res["reason"] if res["status"] == "failed" else res["status"]
    except ApiError as e:
        msg = e.message
    return RedirectResponse(f"/status?{urlencode({'retry': msg})}", status_code=303)


def form_key(request: Request) -> tuple[str, bool]:
    """This browser session's form key (double-submitted: cookie and hidden field), and whether
    it is new and must be set as a cookie."""
    key = request.cookies.get(FORM_COOKIE)
    if key and 20 <= len(key) <= 100:
        return key, False
    return secrets.token_urlsafe(24), True


def render_ingest(request: Request, status: int = 200, **kw) -> HTMLResponse:
    key, new = form_key(request)
    response = render(request, "ingest.html", status=status, form_key=key,
                      need_token=bool(request.app.state.token), **kw)
    if new:
        response.set_cookie(FORM_COOKIE, key, httponly=True, samesite="strict")
    return response


@router.get("/ingest", response_class=HTMLResponse)
def ingest_form(request: Request):
    return render_ingest(request, result=None, form={})


@router.post("/ingest", response_class=HTMLResponse)
def ingest_submit(request: Request, text: str = Form(""), published: str = Form(""), source: str = Form(""),
                  token: str = Form(""), form_key_field: str = Form("", alias="form_key"),
                  file: UploadFile | None = File(None)):
    from .api import ingest_one, make_record, records_from_upload
    form = {"text": text, "published": published, "source": source}
    try:
        check_write(request, token, form_key_field, html_form=True)
        if file is not None and file.filename:
            recs = records_from_upload(file.filename, file.file.read(), published or None, source or None)
        else:
            recs = [make_record(text, published or None, source or None)]
        results = [ingest_one(request, r) for r in recs]
    except (BadParam, ApiError) as e:
        status = e.status if isinstance(e, ApiError) else 400
        msg = e.message if isinstance(e, ApiError) else str(e)
        return render_ingest(request, status=status, result=None, error=msg, form=form)
    if len(results) == 1 and results[0].get("report_id") is not None and results[0]["status"] != "failed":
        return RedirectResponse(f"/report/{results[0]['report_id']}?coded={results[0]['status']}", status_code=303)
    return render_ingest(request, result=results, form=form)


@router.get("/api", response_class=HTMLResponse)
def api_page(request: Request):
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [(p["name"], p.get("description") or "", p.get("required", False))
                      for p in op.get("parameters", [])]
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "params": params})
    return render(request, "api.html", endpoints=endpoints)
