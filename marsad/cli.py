"""The `marsad` command: a thin click layer over the core.

Each area of Marsad (store, web, follow, scale, ...) exposes its commands in a
``commands`` module with a ``COMMANDS`` list; they are added here. Modules import their heavy
dependencies inside the command functions so that `marsad extract` starts fast.
"""

from __future__ import annotations

import json
import sys
from importlib import import_module

import click

from . import __version__

COMMAND_MODULES = [
    "marsad.store.commands",
    "marsad.web.commands",
    "marsad.follow.commands",
    "marsad.scale.commands",
    "marsad.ner.commands",
    "marsad.places.commands",
    "marsad.demo.commands",
    "marsad.lang.commands",
    "marsad.components.events.commands",   # adds `marsad train events` to the train group
]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="marsad")
def main() -> None:
    """Marsad: code Arabic conflict reports into geocoded, sourced events."""


@main.command()
@click.argument("file", required=False, type=click.Path(allow_dash=True))
@click.option("--input", "input_path", type=click.Path(exists=True, dir_okay=False),
              help="JSONL input, one record per line (CONTRACT.md).")
@click.option("--output", "output_path", type=click.Path(dir_okay=False, writable=True),
              help="JSONL output, one line per input record, same order.")
@click.option("--published", help="Publication date (YYYY-MM-DD) for a single FILE.")
@click.option("--workers", type=int, default=1, show_default=True, help="Processes to code with.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="Dask scheduler address (with --engine dask); a LocalCluster if omitted.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
def extract(file, input_path, output_path, published, workers, engine, scheduler, progress):
    """Code reports into events.

    \b
    marsad extract FILE.txt            one report, JSON to stdout ("-" reads stdin)
    marsad extract --input IN.jsonl --output OUT.jsonl
    """
    from .extract import extract_record, read_jsonl, extract_stream

    if file and input_path:
        raise click.UsageError("give either FILE or --input, not both")
    if not file and not input_path:
        raise click.UsageError("give a FILE (or -) or --input IN.jsonl")
    if file:
        text = sys.stdin.read() if file == "-" else open(file, encoding="utf-8", errors="replace").read()
        rid = "stdin" if file == "-" else file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        out = extract_record({"id": rid, "text": text, "published": published})
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        sys.exit(1 if out.get("error") else 0)

    with open(input_path, encoding="utf-8", errors="replace") as f:
        lines = f.readlines()
    records = list(read_jsonl(lines))
    show = sys.stderr.isatty() if progress is None else progress
    if engine == "dask" or workers > 1:
        from .scale.parallel import extract_parallel  # issue 6
        results = extract_parallel(records, workers=workers, engine=engine, scheduler=scheduler)
    else:
        from .scale.tune import warm_process  # issue 6: pipeline built once, collector tuned
        results = extract_stream(records, warm_process())
    failed = 0
    out_f = open(output_path, "w", encoding="utf-8") if output_path else sys.stdout
    try:
        from tqdm import tqdm
        for res in tqdm(results, total=len(records), disable=not show, unit="report", file=sys.stderr):
            failed += bool(res.get("error"))
            out_f.write(json.dumps(res, ensure_ascii=False) + "\n")
    finally:
        if output_path:
            out_f.close()
    if failed:
        click.echo(f"{failed} of {len(records)} records failed (see their \"error\")", err=True)
    sys.exit(min(failed, 255))


def _add_area_commands() -> None:
    for modname in COMMAND_MODULES:
        try:
            mod = import_module(modname)
        except ModuleNotFoundError as e:
            if e.name and modname.startswith(e.name):
                continue  # area not built yet
            raise
        for cmd in getattr(mod, "COMMANDS", []):
            main.add_command(cmd)


_add_area_commands()
