"""The fields of a coded event (../shared/spec/CONTRACT.md, CODING.md "Fields of an event"): one
definition for the extractor's output, the store's columns, the web pages and the exports."""

from __future__ import annotations

# In the CONTRACT's order; ``evidence`` (spans into the text) is kept apart by the store.
EVENT_FIELDS = ("event_type", "sub_event_type", "plover_type", "event_date", "time_precision",
                "country_code", "admin1_code", "location", "location_ar", "latitude", "longitude",
                "geo_precision", "actor1", "inter1", "actor2", "inter2", "fatalities", "weapons",
                "sources", "notes", "evidence", "confidence")
# the lists the store keeps as JSON, and the spans it keeps in their own table
LIST_FIELDS = ("weapons", "sources")
# one column each in the store's events table
COLUMN_FIELDS = tuple(f for f in EVENT_FIELDS if f not in LIST_FIELDS and f != "evidence")
