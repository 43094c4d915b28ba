"""`marsad serve`: the web map, timeline, evidence viewer and JSON API over a store."""

from __future__ import annotations

import os

import click

DEFAULT_MAX_UPLOAD_MB = 2.0


def run_server(db: str, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
               max_upload: int | None = None, tiles: str | None = None, tiles_attribution: str | None = None,
               log_level: str = "info", header_timeout: float | None = None, cache: bool = True) -> None:
    """Serve the store at ``db`` with uvicorn until interrupted (also used by `marsad demo`)."""
    import uvicorn

    from .app import MAX_UPLOAD, create_app
    from .server import HEADER_TIMEOUT, protocol_class

    token = token if token is not None else (os.environ.get("MARSAD_TOKEN") or None)
    app = create_app(db, token=token, max_upload=max_upload or MAX_UPLOAD,
                     tiles=tiles if tiles is not None else os.environ.get("MARSAD_TILES"),
                     tiles_attribution=tiles_attribution or os.environ.get("MARSAD_TILES_ATTRIBUTION"),
                     cache=cache)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False,
                http=protocol_class(header_timeout or HEADER_TIMEOUT))


@click.command()
@click.option("--db", "db_path", default=None, help="Store: SQLite file or postgresql:// URL "
              "(default $MARSAD_DB or ./marsad.db).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only 127.0.0.1 unless you choose otherwise.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token", default=None, help="Token required by the write endpoints (ingest, upload); "
              "default $MARSAD_TOKEN. Without one, anyone who can reach the server can add reports.")
@click.option("--max-upload", "max_upload_mb", default=DEFAULT_MAX_UPLOAD_MB, show_default=True, type=float,
              help="Largest request body accepted, in MB (larger ones get 413).")
@click.option("--tiles", default=None, help="Online tile layer URL template, e.g. "
              "https://tile.openstreetmap.org/{z}/{x}/{y}.png (default $MARSAD_TILES; "
              "without it the map uses its offline outlines only).")
@click.option("--tiles-attribution", default=None, help="Attribution shown for --tiles.")
@click.option("--header-timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600),
              help="Seconds a connection may take to send a request's headers before it is closed.")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Keep answers to repeated GET requests in memory until the store changes.")
def serve(db_path, host, port, token, max_upload_mb, tiles, tiles_attribution, header_timeout, cache):
    """Serve the web map, timeline, evidence viewer and JSON API."""
    from marsad.store import default_db_path

    db = db_path or default_db_path()
    if "://" not in db and not os.path.exists(db):
        click.echo(f"note: {db} does not exist yet; starting with an empty store", err=True)
    if host not in ("127.0.0.1", "localhost", "::1") and not (token or os.environ.get("MARSAD_TOKEN")):
        click.echo(f"warning: listening on {host} without --token: anyone who reaches it can add reports",
                   err=True)
    if max_upload_mb <= 0:
        raise click.BadParameter("must be positive", param_hint="--max-upload")
    click.echo(f"Marsad: http://{host}:{port}/  (store {db}; Ctrl-C to stop)")
    run_server(db, host=host, port=port, token=token, max_upload=int(max_upload_mb * 1024 * 1024),
               tiles=tiles, tiles_attribution=tiles_attribution, header_timeout=header_timeout,
               cache=cache)


COMMANDS = [serve]
