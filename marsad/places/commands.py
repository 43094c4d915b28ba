"""`marsad gazetteer build|info|lookup`: the compiled place index from the command line."""

from __future__ import annotations

import json

import click


@click.group()
def gazetteer() -> None:
    """Marsad's offline Arabic gazetteer (compiled index of place names)."""


@gazetteer.command()
@click.option("--if-missing", is_flag=True,
              help="Only when no index of the current sources is cached (scripts/setup).")
def build(if_missing: bool) -> None:
    """Compile the index from the packages and data files (also done on first use)."""
    from .gazetteer import compile_index, load
    g = load() if if_missing else compile_index()
    done = "already built:" if g.load_seconds else "built"   # only an index read from the cache took time to load
    click.echo(f"{done} {len(g.places):,} places, {len(g.index):,} name keys in {g.build_seconds:.2f}s -> {g.path}")


@gazetteer.command()
def info() -> None:
    """Where the index is, how big, how long it took to build and to load."""
    from collections import Counter

    from . import gazetteer as gz
    g = gz.load()
    feats = Counter(p.feature for p in g.places)
    click.echo(f"index: {g.path}")
    click.echo(f"places: {len(g.places):,}  name keys: {len(g.index):,}")
    click.echo(f"build_seconds: {g.build_seconds:.2f}  load_seconds: {g.load_seconds:.3f}")
    click.echo("features: " + ", ".join(f"{k} {v}" for k, v in feats.most_common()))


@gazetteer.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per place.")
def lookup(name: str, as_json: bool) -> None:
    """Places the Arabic NAME may refer to, most likely first (without context)."""
    from .gazetteer import load
    places = load().lookup(name)
    if not places:
        click.echo(f"no place named {name!r}", err=True)
        raise SystemExit(1)
    for p in places:
        if as_json:
            click.echo(json.dumps(p._asdict(), ensure_ascii=False))
        else:
            click.echo(f"{p.id}\t{p.name}\t{p.name_ar}\t{p.feature}\t{p.cc}\t{p.admin1 or '-'}\t"
                       f"{p.lat:.4f},{p.lon:.4f}\tpop {p.population}\t{p.source}")


COMMANDS = [gazetteer]
