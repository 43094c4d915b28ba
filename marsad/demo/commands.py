"""`marsad demo`: code the seed report and the bundled demo reports into a store and serve the map."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

SEED_REPORT = Path(__file__).resolve().parents[2].parent / "shared" / "examples" / "khalidiya_homs.txt"


def demo_inputs() -> list[Path]:
    """The seed report (read in place from ../shared when present) and the bundled reports."""
    bundled = Path(str(resources.files("marsad.demo") / "reports.jsonl"))
    return ([SEED_REPORT] if SEED_REPORT.exists() else []) + [bundled]


@click.command()
@click.option("--db", "db_path", default="demo.db", show_default=True, help="Store to create or update.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--serve/--no-serve", default=True, show_default=True, help="Start the web map afterwards.")
def demo(db_path, host, port, serve):
    """Code the seed report and the demo reports into DB, then serve the web map."""
    from marsad.store import open_store

    inputs = demo_inputs()
    if not SEED_REPORT.exists():
        click.echo(f"note: seed report not found at {SEED_REPORT}; using the bundled reports only", err=True)
    store = open_store(db_path)
    try:
        stats = store.ingest_paths([str(p) for p in inputs])
        click.echo(f"demo store {db_path}: {stats.new} new reports, {stats.duplicate} already stored, "
                   f"{stats.failed} failed; {stats.events} events coded")
    finally:
        store.close()
    if serve:
        from marsad.web.commands import run_server
        click.echo(f"serving the map on http://{host}:{port}/  (Ctrl-C to stop)")
        run_server(db_path, host=host, port=port)


COMMANDS = [demo]
