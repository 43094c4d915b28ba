"""`marsad train ...`: build what Marsad learns from data (word clusters, name words, the event detector).

The training code is imported inside each command, so that `marsad` starts fast."""

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


@train.command("levels")
@click.option("--corpus", default=clusters.DEFAULT_CORPUS, show_default=True,
              type=click.Path(exists=True, dir_okay=False), help="Unlabeled news, JSON lines (.gz read as is).")
@click.option("--out", default=str(clusters.LEVELS_PATH), show_default="marsad/lang/ar/levels.tsv",
              type=click.Path(dir_okay=False), help="The cluster levels TSV to write.")
def levels_cmd(corpus, out):
    """Word clusters at several granularities for the name tagger (every word seen three times)."""
    try:
        import gensim  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError as e:
        raise click.ClickException(f"{e.name} is missing: pip install 'marsad[train]'") from None
    meta = clusters.build_levels(corpus, out, log=lambda s: click.echo(s, err=True))
    click.echo(json.dumps(meta, ensure_ascii=False, indent=2))


@train.command("names")
@click.option("--corpus", default=clusters.DEFAULT_CORPUS, show_default=True,
              type=click.Path(exists=True, dir_okay=False), help="Unlabeled news, JSON lines (.gz read as is).")
@click.option("--out", default=None, type=click.Path(dir_okay=False),
              help="The names TSV to write (default: marsad/lang/ar/names.tsv).")
def names_cmd(corpus, out):
    """Person and organisation name words mined from unlabeled text (after titles, around بن, after
    organisation heads), for the name tagger's ``names`` features."""
    from . import names

    meta = names.build(corpus, out or names.PATH, log=lambda s: click.echo(s, err=True))
    click.echo(json.dumps(meta, ensure_ascii=False, indent=2))


@train.command("events")
@click.option("--annotations", default="annotations/events", show_default=True,
              type=click.Path(exists=True, file_okay=False), help="Folder of annotation JSONL files.")
@click.option("--shared", default="../shared", show_default=True, type=click.Path(exists=True, file_okay=False),
              help="The shared folder holding data/news (texts read in place).")
@click.option("--out", default=None, type=click.Path(dir_okay=False),
              help="Model file to write (default: the shipped model, marsad/components/events/detector.json).")
@click.option("--no-curve", is_flag=True, help="Skip the learning curve.")
@click.option("--tolls-only", is_flag=True,
              help="Refit only the toll decision of the model at --out (default: the shipped one), its other "
                   "weights kept; written only if it beats the rules and the model's own toll weights.")
def events_cmd(annotations, shared, out, no_curve, tolls_only):
    """Train the event detector; writes the model with its data versions and cross-validated figures."""
    from ..components.events.train import refit_tolls, train as train_events

    log = lambda s: click.echo(s, err=True)  # noqa: E731
    meta = refit_tolls(annotations, shared, out, log) if tolls_only else \
        train_events(annotations, shared, out, curve=not no_curve, log=log)
    click.echo(json.dumps(meta, ensure_ascii=False, indent=2))


@train.command("info")
def info_cmd():
    """What the shipped learned resources were built from."""
    from . import names

    click.echo(json.dumps({"clusters": clusters.info(), "names": names.info()}, ensure_ascii=False, indent=2))


COMMANDS = [train]
