"""Marsad's web application: map, timeline, evidence viewer and JSON API over the store.

``marsad serve --db PATH`` runs it (``commands.py``); ``app.create_app(store)`` builds the
FastAPI application; ``build_assets`` copies the pinned npm front-end libraries it serves.
"""
