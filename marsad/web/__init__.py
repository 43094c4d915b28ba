"""Marsad's web application: map, timeline, evidence viewer and JSON API over the store.

``marsad serve --db PATH`` runs it (``commands.py``); ``app.create_app(store)`` builds the
FastAPI application; ``build_assets`` copies the pinned npm front-end libraries it serves.
``filters.py`` parses the filters every view shares, ``names.py`` names countries, governorates
and actors in both languages, ``data.py`` shapes the store's answers (map points, timeline,
summary, outlier tolls), ``cache.py`` keeps repeated answers until the store changes, and
``server.py`` is uvicorn with a deadline for request headers.
"""
