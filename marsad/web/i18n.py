"""Interface strings in Arabic and English, and the names of event types in both.

The interface language comes from ``?lang=`` (remembered in a cookie), else the browser's
Accept-Language. Arabic pages are right-to-left; report text is always shown right-to-left.
"""

from __future__ import annotations

LANGS = ("ar", "en")

STRINGS: dict[str, dict[str, str]] = {
    "title": {"en": "Marsad", "ar": "مرصد"},
    "tagline": {"en": "conflict events from Arabic reports", "ar": "أحداث النزاع من التقارير العربية"},
    "map": {"en": "Map", "ar": "الخريطة"},
    "timeline": {"en": "Timeline", "ar": "الخط الزمني"},
    "events": {"en": "Events", "ar": "الأحداث"},
    "event": {"en": "Event", "ar": "حدث"},
    "reports": {"en": "Reports", "ar": "التقارير"},
    "report": {"en": "Report", "ar": "تقرير"},
    "ingest": {"en": "Add a report", "ar": "إضافة تقرير"},
    "status": {"en": "Status", "ar": "الحالة"},
    "api": {"en": "API", "ar": "واجهة البرمجة"},
    "date_from": {"en": "From", "ar": "من"},
    "date_to": {"en": "To", "ar": "إلى"},
    "country": {"en": "Country", "ar": "البلد"},
    "admin1": {"en": "Governorate", "ar": "المحافظة"},
    "event_type": {"en": "Event type", "ar": "نوع الحدث"},
    "sub_event_type": {"en": "Sub-type", "ar": "النوع الفرعي"},
    "actor": {"en": "Actor", "ar": "الفاعل"},
    "q": {"en": "Search text", "ar": "بحث في النص"},
    "any": {"en": "any", "ar": "الكل"},
    "apply": {"en": "Apply", "ar": "تطبيق"},
    "clear": {"en": "Clear", "ar": "مسح"},
    "shown": {"en": "events shown", "ar": "حدثاً معروضاً"},
    "of": {"en": "of", "ar": "من"},
    "undated": {"en": "events without a date are not on the timeline", "ar": "أحداث دون تاريخ لا تظهر على الخط الزمني"},
    "week_of": {"en": "week of", "ar": "أسبوع"},
    "unplaced": {"en": "without coordinates, not on the map", "ar": "دون إحداثيات، غير ظاهرة على الخريطة"},
    "loading": {"en": "Loading…", "ar": "جارٍ التحميل…"},
    "no_events": {"en": "No event matches these filters.", "ar": "لا يوجد حدث يطابق هذه المرشحات."},
    "date": {"en": "Date", "ar": "التاريخ"},
    "place": {"en": "Place", "ar": "المكان"},
    "actors": {"en": "Actors", "ar": "الأطراف"},
    "actor1": {"en": "Actor 1", "ar": "الطرف الأول"},
    "actor2": {"en": "Actor 2", "ar": "الطرف الثاني"},
    "fatalities": {"en": "Fatalities", "ar": "القتلى"},
    "sources": {"en": "Sources", "ar": "المصادر"},
    "notes": {"en": "Notes", "ar": "ملاحظات"},
    "weapons": {"en": "Weapons", "ar": "الأسلحة"},
    "confidence": {"en": "Confidence", "ar": "الثقة"},
    "precision": {"en": "precision", "ar": "الدقة"},
    "open_event": {"en": "Open the event", "ar": "فتح الحدث"},
    "evidence": {"en": "Evidence", "ar": "الأدلة"},
    "split_report": {"en": "Not this incident: split this report out", "ar": "ليس هذا الحدث: افصل هذا التقرير"},
    "possible_duplicates": {"en": "Possible duplicates", "ar": "أحداث قد تكون مكررة"},
    "merge_with": {"en": "Same incident as event", "ar": "الحدث نفسه مثل الحدث رقم"},
    "merge": {"en": "Merge", "ar": "ادمج"},
    "merged_reports": {"en": "Reports this event was coded from", "ar": "التقارير التي استُخرج منها الحدث"},
    "highlight": {"en": "Highlight", "ar": "إبراز"},
    "fields": {"en": "Fields", "ar": "الحقول"},
    "per_day": {"en": "per day", "ar": "يومياً"},
    "per_week": {"en": "per week", "ar": "أسبوعياً"},
    "count_events": {"en": "Events", "ar": "الأحداث"},
    "count_fatalities": {"en": "Fatalities", "ar": "القتلى"},
    "failed_reports": {"en": "Reports that could not be coded", "ar": "تقارير تعذّر ترميزها"},
    "reason": {"en": "Reason", "ar": "السبب"},
    "no_failures": {"en": "No report has failed.", "ar": "لم يفشل أي تقرير."},
    "paste": {"en": "Paste an Arabic report", "ar": "الصق تقريراً عربياً"},
    "or_upload": {"en": "or upload a file (.txt, or .jsonl with one record a line)",
                  "ar": "أو ارفع ملفاً (.txt أو .jsonl بسجل في كل سطر)"},
    "published": {"en": "Published (YYYY-MM-DD)", "ar": "تاريخ النشر (YYYY-MM-DD)"},
    "source": {"en": "Source", "ar": "المصدر"},
    "token": {"en": "Access token", "ar": "رمز الدخول"},
    "code_it": {"en": "Code it", "ar": "ترميز"},
    "coded": {"en": "Coded", "ar": "تم الترميز"},
    "no_event_found": {"en": "No event was found in this report.", "ar": "لم يُعثر على حدث في هذا التقرير."},
    "entities": {"en": "Names found", "ar": "الأسماء المستخرجة"},
    "conditions": {"en": "Conditions", "ar": "الأوضاع"},
    "text": {"en": "Text", "ar": "النص"},
    "not_found": {"en": "Not found", "ar": "غير موجود"},
    "error": {"en": "Error", "ar": "خطأ"},
    "offline_note": {"en": "Offline outline map (Natural Earth)", "ar": "خريطة حدود دون اتصال (Natural Earth)"},
    "list": {"en": "List", "ar": "القائمة"},
    "previous": {"en": "Previous", "ar": "السابق"},
    "next": {"en": "Next", "ar": "التالي"},
    "total_events": {"en": "Events in the store", "ar": "الأحداث في المخزن"},
    "total_reports": {"en": "Reports in the store", "ar": "التقارير في المخزن"},
    "assets_missing": {"en": "The map libraries are not built: run scripts/setup (or python -m marsad.web.build_assets).",
                       "ar": "مكتبات الخريطة غير مبنية: شغّل scripts/setup."},
    "file": {"en": "File", "ar": "الملف"},
    "when": {"en": "When", "ar": "الوقت"},
    "id": {"en": "Id", "ar": "المعرّف"},
    "location_ar": {"en": "Place as written", "ar": "المكان كما ورد"},
    "coordinates": {"en": "Coordinates", "ar": "الإحداثيات"},
    "type": {"en": "Type", "ar": "النوع"},
    "other_lang": {"en": "العربية", "ar": "English"},
    "filters": {"en": "Filters", "ar": "المرشحات"},
    "more_filters": {"en": "More filters", "ar": "مرشحات أخرى"},
    "country_hint": {"en": "SY, Iraq", "ar": "سوريا، IQ"},
    "admin1_hint": {"en": "SY-HI, Aleppo", "ar": "حمص، SY-HL"},
    "actor_hint": {"en": "Houthi; الجيش", "ar": "الحوثي; Houthi"},
    "min_fatalities": {"en": "Fatalities at least", "ar": "القتلى على الأقل"},
    "min_confidence": {"en": "Confidence at least", "ar": "الثقة على الأقل"},
    "interaction": {"en": "Interaction (ACLED code)", "ar": "التفاعل (رمز ACLED)"},
    "inter": {"en": "Actor category", "ar": "فئة الطرف"},
    "geo_precision": {"en": "Place precision", "ar": "دقة المكان"},
    "export": {"en": "Export", "ar": "تصدير"},
    "summary": {"en": "Summary", "ar": "ملخص"},
    "by_type": {"en": "By event type", "ar": "حسب نوع الحدث"},
    "by_country": {"en": "By country", "ar": "حسب البلد"},
    "by_admin1": {"en": "By governorate", "ar": "حسب المحافظة"},
    "by_actor": {"en": "By actor", "ar": "حسب الطرف"},
    "top_places": {"en": "Top places", "ar": "أكثر الأماكن"},
    "outlier": {"en": "Outlier toll: far above every other event; check the report",
                "ar": "حصيلة شاذة: أعلى بكثير من سائر الأحداث؛ راجع التقرير"},
    "outlier_short": {"en": "outlier", "ar": "شاذة"},
    "outliers_excluded": {"en": "fatalities in flagged outliers not counted", "ar": "قتيلاً في حصائل شاذة غير محتسبين"},
    "retry": {"en": "Retry", "ar": "إعادة المحاولة"},
    "other_country": {"en": "The point lies in another country than the event's", "ar": "النقطة تقع في بلد غير بلد الحدث"},
    "approximate": {"en": "Approximate place: only the governorate is known", "ar": "مكان تقريبي: المحافظة فقط معروفة"},
    "unknown_toll": {"en": "not stated", "ar": "غير مذكور"},
    "range_shown": {"en": "Shown", "ar": "المعروض"},
    "outside_range": {"en": "events outside this range", "ar": "أحداث خارج هذا النطاق"},
    "outside_range_1": {"en": "event outside this range", "ar": "حدث خارج هذا النطاق"},
    "show_all": {"en": "show the whole range", "ar": "عرض النطاق كله"},
    "list_day": {"en": "Events of", "ar": "أحداث"},
    "shading": {"en": "Shade governorates by", "ar": "تظليل المحافظات حسب"},
    "none": {"en": "none", "ar": "لا شيء"},
    "note_en": {"en": "Note", "ar": "ملاحظة (بالإنجليزية)"},
    "summary_ar": {"en": "Summary", "ar": "الخلاصة"},
    "in": {"en": "in", "ar": "في"},
    "against": {"en": "against", "ar": "ضد"},
    "failure_kind": {"en": "Kind", "ar": "النوع"},
    "retry": {"en": "Retry", "ar": "إعادة المحاولة"},
    "page": {"en": "Page", "ar": "صفحة"},
    "reports_n": {"en": "reports", "ar": "تقارير"},
    "events_n": {"en": "events", "ar": "أحداث"},
    "event_1": {"en": "event", "ar": "حدث"},
    "shown_1": {"en": "event shown", "ar": "حدث معروض"},
    "category": {"en": "category", "ar": "الفئة"},
    "time_slider": {"en": "Date range", "ar": "نطاق التاريخ"},
}

EVENT_TYPE_AR = {
    "Battles": "معارك",
    "Explosions/Remote violence": "انفجارات/عنف عن بعد",
    "Violence against civilians": "عنف ضد المدنيين",
    "Protests": "احتجاجات",
    "Riots": "أعمال شغب",
    "Strategic developments": "تطورات استراتيجية",
}

# Colours per event type (map markers, timeline, legend): distinct on the pale outline map.
EVENT_TYPE_COLOURS = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#e67e22",
    "Violence against civilians": "#8e44ad",
    "Protests": "#2980b9",
    "Riots": "#16a085",
    "Strategic developments": "#7f8c8d",
}
OTHER_COLOUR = "#34495e"


def pick_lang(query_lang: str | None, cookie_lang: str | None, accept: str | None) -> str:
    for cand in (query_lang, cookie_lang):
        if cand in LANGS:
            return cand
    if accept:
        first = accept.split(",")[0].strip().lower()
        if first.startswith("ar"):
            return "ar"
        return "en"
    return "ar"


def translator(lang: str):
    def t(key: str) -> str:
        entry = STRINGS.get(key)
        return entry.get(lang, entry["en"]) if entry else key
    return t


def type_label(event_type: str | None, lang: str) -> str:
    if not event_type:
        return ""
    return EVENT_TYPE_AR.get(event_type, event_type) if lang == "ar" else event_type

# Labels of the event fields (CONTRACT.md names) on the event page.
FIELD_LABELS = {
    "event_type": ("Event type", "نوع الحدث"), "sub_event_type": ("Sub-type", "النوع الفرعي"),
    "plover_type": ("PLOVER type", "نوع PLOVER"), "event_date": ("Date", "التاريخ"),
    "time_precision": ("Time precision", "دقة التاريخ"), "country_code": ("Country", "البلد"),
    "admin1_code": ("Governorate", "المحافظة"), "location": ("Place", "المكان"),
    "location_ar": ("Place as written", "المكان كما ورد"), "latitude": ("Latitude", "خط العرض"),
    "longitude": ("Longitude", "خط الطول"), "geo_precision": ("Place precision", "دقة المكان"),
    "actor1": ("Actor 1", "الطرف الأول"), "inter1": ("Actor 1 category", "فئة الطرف الأول"),
    "actor2": ("Actor 2", "الطرف الثاني"), "inter2": ("Actor 2 category", "فئة الطرف الثاني"),
    "fatalities": ("Fatalities", "القتلى"), "weapons": ("Weapons", "الأسلحة"),
    "sources": ("Sources", "المصادر"), "notes": ("Notes", "ملاحظات"), "confidence": ("Confidence", "الثقة"),
}

# Evidence highlight groups (highlight.GROUP_ORDER).
GROUP_LABELS = {
    "event": ("event words", "كلمات الحدث"), "actor": ("actors", "الأطراف"), "place": ("place", "المكان"),
    "date": ("date", "التاريخ"), "fatalities": ("fatalities", "القتلى"), "source": ("source", "المصدر"),
    "weapon": ("weapons", "الأسلحة"), "condition": ("conditions", "الأوضاع"), "person": ("persons", "أشخاص"),
    "org": ("organisations", "منظمات"), "cue": ("cues", "قرائن"), "other": ("other", "أخرى"),
}


def field_label(name: str, lang: str, group: bool = False) -> str:
    pair = (GROUP_LABELS.get(name) or FIELD_LABELS.get(name)) if group else \
        (FIELD_LABELS.get(name) or GROUP_LABELS.get(name))
    if not pair:
        return name
    return pair[1] if lang == "ar" else pair[0]


def _load_labels() -> dict[tuple[str, str], tuple[str, str]]:
    from pathlib import Path

    from ..lexicon import load_tsv
    rows = load_tsv("labels.tsv", Path(__file__).resolve().parent)
    return {(r["kind"], r["code"]): (r["en"], r["ar"]) for r in rows}


VALUE_LABELS = _load_labels()


def value_label(kind: str, code, lang: str) -> str:
    """A coded value in the interface language: sub-types, actor categories, precision codes,
    conditions (labels.tsv); countries, governorates and actors (names.py). Unknown: as is."""
    if code is None or code == "":
        return ""
    if kind == "actor":
        from .names import actor_label
        return actor_label(str(code), lang)
    if kind in ("country", "country_code"):
        from .names import country_label
        return country_label(str(code), lang)
    if kind in ("admin1", "admin1_code"):
        from .names import admin1_label
        return admin1_label(str(code), lang)
    if kind == "event_type":
        return type_label(str(code), lang)
    if kind == "inter2":
        kind = "inter"
    pair = VALUE_LABELS.get(("inter" if kind == "inter1" else kind, str(code)))
    if not pair:
        return str(code)
    return pair[1] if lang == "ar" else pair[0]


def format_number(n, lang: str = "en") -> str:
    """1034992 -> "1,034,992" in both languages (the digits the rest of the page uses); None -> ""."""
    if n is None or n == "":
        return ""
    try:
        text = f"{int(n):,}"
    except (TypeError, ValueError):
        return str(n)
    return text
