"""`marsad train events`: train the learned event detector from the project's annotations."""

from __future__ import annotations

import json

import click


@click.command("events")
@click.option("--annotations", default="annotations/events", show_default=True,
              type=click.Path(exists=True, file_okay=False), help="Folder of annotation JSONL files.")
@click.option("--shared", default="../shared", show_default=True, type=click.Path(exists=True, file_okay=False),
              help="The shared folder holding data/news (texts read in place).")
@click.option("--out", default=None, type=click.Path(dir_okay=False),
              help="Model file to write (default: the shipped model, marsad/components/events/detector.json).")
@click.option("--no-curve", is_flag=True, help="Skip the learning curve.")
@click.option("--no-gsr", is_flag=True, help="Without the GSR sentences (data/gsr) as training data.")
def train_events(annotations, shared, out, no_curve, no_gsr):
    """Train the event detector; writes the model with its data versions and cross-validated figures."""
    from .train import train

    meta = train(annotations, shared, out, curve=not no_curve, log=lambda s: click.echo(s, err=True),
                 use_gsr=not no_gsr)
    click.echo(json.dumps(meta, ensure_ascii=False, indent=2))


def _train_group() -> click.Group:
    """`marsad train ...`: one group shared by every area that trains something (added to it when
    another area registered it first)."""
    from ...cli import main

    got = main.commands.get("train")
    if isinstance(got, click.Group):
        got.add_command(train_events)
        return None

    @click.group("train")
    def train() -> None:
        """Train Marsad's learned components from data."""

    train.add_command(train_events)
    return train


_group = _train_group()
COMMANDS = [_group] if _group is not None else []
