"""The `marsad` command: a thin click layer over the core.

Each area of Marsad (store, web, follow, ner, ...) exposes its commands in a ``commands``
module with a ``COMMANDS`` list; they are added here, and a listed module that cannot be
imported stops `marsad` with the reason. Modules import their heavy
dependencies inside the command functions so that `marsad extract` starts fast.
"""

from __future__ import annotations

import codecs
import json
import os
import sys
from importlib import import_module

import click

from . import __version__
from .options import ISO_DATE

COMMAND_MODULES = [
    "marsad.store.commands",
    "marsad.web.commands",
    "marsad.follow.commands",
    "marsad.ner.commands",
    "marsad.places.commands",
    "marsad.demo.commands",
    "marsad.lang.commands",
]


class _Group(click.Group):
    """The areas' commands (COMMAND_MODULES) are imported when first asked for (``commands``,
    ``--help``, a command other than the group's own): `marsad extract` needs none of them,
    and their modules (bz2, lzma, the store's schema ...) were 2.8 MB of its peak RSS."""
    _areas = True      # the areas' commands added (False once this module has defined its own)

    @property
    def commands(self):
        if not self._areas:
            self._areas = True
            try:
                _add_area_commands()
            except BaseException:
                self._areas = False
                raise
        return self._commands

    @commands.setter
    def commands(self, value):
        self._commands = value

    def get_command(self, ctx, name):
        return self._commands.get(name) or super().get_command(ctx, name)

    def invoke(self, ctx):
        """Marsad's own errors (a pipeline or a store that cannot be built) as a one-line error."""
        from .errors import MarsadError
        try:
            return super().invoke(ctx)
        except MarsadError as e:
            raise click.ClickException(str(e)) from e


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="marsad")
def main() -> None:
    """Marsad: code Arabic conflict reports into geocoded, sourced events."""


@main.command()
@click.argument("file", required=False, type=click.Path(allow_dash=True))
@click.option("--input", "input_path", type=click.Path(exists=True, dir_okay=False),
              help="JSONL input, one record per line (CONTRACT.md).")
@click.option("--output", "output_path", type=click.Path(dir_okay=False, writable=True),
              help="JSONL output, one line per input record, same order.")
@click.option("--published", type=ISO_DATE, help="Publication date (YYYY-MM-DD) for a single FILE.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Processes to code with.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="Dask scheduler address (with --engine dask); a LocalCluster if omitted.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
def extract(file, input_path, output_path, published, workers, engine, scheduler, progress):
    """Code reports into events.

    \b
    marsad extract FILE.txt            one report, JSON to stdout ("-" reads stdin)
    marsad extract --input IN.jsonl --output OUT.jsonl
    """
    from .decoding import decode_text, text_lines
    from .extract import RecordError, error_line, extract_record, extract_stream, read_jsonl
    from .lines import dumps, dumps_line   # json.dumps(res, ensure_ascii=False), in C when built

    if file and input_path:
        raise click.UsageError("give either FILE or --input, not both")
    if not file and not input_path:
        raise click.UsageError("give a FILE (or -) or --input IN.jsonl")
    if file:
        rid = "stdin" if file == "-" else file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        try:  # read as `ingest` reads a text file: UTF-8, or UTF-16 with its byte-order mark
            if file == "-":
                data = sys.stdin.buffer.read()
            else:
                with open(file, "rb") as f:
                    data = f.read()
            out = extract_record({"id": rid, "text": decode_text(data), "published": published})
        except RecordError as e:
            out = error_line(rid, str(e))
        except OSError as e:
            raise click.FileError(file, e.strerror or str(e)) from None
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        sys.exit(1 if out.get("error") else 0)

    show = sys.stderr.isatty() if progress is None else progress
    total = None
    if show:  # the bar's total: a first pass counting the lines read_jsonl yields a record for
        with open(input_path, "rb") as f:
            total = sum(1 for line in text_lines(f) if not isinstance(line, str) or line.strip())
    # records are read as they are coded, not all first: the input's text (15 MB for 1,213
    # news articles) is not held in memory the whole run
    failed = n = 0
    with open(input_path, "rb") as f:
        records = read_jsonl(text_lines(f))
        if output_path and os.path.exists(output_path) and os.path.samefile(input_path, output_path):
            records = list(records)  # writing over the input: read it all before truncating it
        if engine == "dask" or workers > 1:
            from .scale.parallel import extract_parallel  # issue 6
            results = extract_parallel(records, workers=workers, engine=engine, scheduler=scheduler)
        else:
            from .tune import warm_process  # issue 6: pipeline built once, collector tuned
            results = extract_stream(records, warm_process())
        # a file is written as bytes: each line encoded once, here, where its check encoded it
        # and the text file encoded it again; so is standard output when its text is UTF-8
        out_f = open(output_path, "wb") if output_path else _utf8_stdout() or sys.stdout
        as_bytes = out_f is not sys.stdout
        if show:   # tqdm only for a bar: importing it is 2.2 MB of the process
            from tqdm import tqdm
            results = tqdm(results, total=total, unit="report", file=sys.stderr)
        try:
            for res in results:
                try:
                    if as_bytes:   # (dumps(res) + "\n").encode("utf-8"), made as bytes
                        line = dumps_line(res)
                    else:
                        line = dumps(res) + "\n"
                        line.encode("utf-8")      # its check
                except (ValueError, TypeError) as e:   # one unwritable result must not stop the run
                    res = error_line(res.get("id"), f"output could not be written: {e}")
                    line = dumps_line(res) if as_bytes else dumps(res) + "\n"
                failed += bool(res.get("error"))
                n += 1
                out_f.write(line)
        finally:
            if output_path:
                out_f.close()
    if failed:
        click.echo(f"{failed} of {n} records failed (see their \"error\")", err=True)
    sys.exit(min(failed, 255))


def _utf8_stdout():
    """Standard output's byte stream when its text stream would write a line's very UTF-8 bytes
    (encoding UTF-8, "\\n" written as it is, not line-buffered for a terminal); None otherwise.
    A line written there is made once as bytes, where the text path decoded the writer's bytes to
    a str, encoded it for its check and the stream encoded it again (about 0.9 M instructions a
    news report). Any error handler of the stream writes the same: the line's check (a strict
    encoding) refuses a lone surrogate on both paths."""
    out = sys.stdout
    buf = getattr(out, "buffer", None)
    if buf is None or os.linesep != "\n" or getattr(out, "line_buffering", True):
        return None
    try:
        if codecs.lookup(out.encoding).name != "utf-8":
            return None
    except (LookupError, TypeError):
        return None
    out.flush()   # anything already written to the text stream goes first
    return buf


def _add_area_commands() -> None:
    """Every listed module must import and list its commands: a missing one is a SetupError,
    not a command that silently disappears from `marsad --help`."""
    from .errors import SetupError

    for modname in COMMAND_MODULES:
        try:
            mod = import_module(modname)
        except ImportError as e:
            raise SetupError(f"command module {modname} cannot be imported ({type(e).__name__}: "
                             f"{e}); the command modules are: {', '.join(COMMAND_MODULES)}") from e
        if not getattr(mod, "COMMANDS", None):
            raise SetupError(f"command module {modname} lists no COMMANDS")
        for cmd in mod.COMMANDS:
            main.add_command(cmd)


main._areas = False     # added at first need (_Group)
