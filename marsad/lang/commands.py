"""`marsad train ...`: build what Marsad learns from data (word clusters; the event coder adds its own)."""

from __future__ import annotations

import json

import click

from . import clusters


@click.group("train")
def train() -> None:
    """Build learned resources from data read in place under ../shared."""


@train.command("clusters")
@click.option("--corpus", default=clusters.DEFAULT_CORPUS, show_default=True,
              type=click.Path(exists=True, dir_okay=False), help="Unlabeled news, JSON lines (.gz read as is).")
@click.option("--out", default=str(clusters.PATH), show_default="marsad/lang/ar/clusters.tsv",
              type=click.Path(dir_okay=False),
              help="The clusters TSV to write.")
@click.option("--words", type=int, default=clusters.PARAMS["words"], show_default=True,
              help="How many of the most frequent words get a cluster.")
@click.option("--fine", type=int, default=clusters.PARAMS["fine"], show_default=True, help="Fine clusters.")
@click.option("--coarse", type=int, default=clusters.PARAMS["coarse"], show_default=True, help="Coarse clusters.")
def clusters_cmd(corpus, out, words, fine, coarse):
    """Word vectors (gensim word2vec) and k-means clusters from unlabeled text (needs the train extra)."""
    try:
        import gensim  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError as e:
        raise click.ClickException(f"{e.name} is missing: pip install 'marsad[train]'") from None
    meta = clusters.build(corpus, out, {"words": words, "fine": fine, "coarse": coarse},
                          log=lambda s: click.echo(s, err=True))
    click.echo(json.dumps(meta, ensure_ascii=False, indent=2))


@train.command("info")
def info_cmd():
    """What the shipped learned resources were built from."""
    click.echo(json.dumps({"clusters": clusters.info()}, ensure_ascii=False, indent=2))


COMMANDS = [train]
