"""`marsad ner ...`: train the tagger and tag text from the command line."""

from __future__ import annotations

import json
import sys

import click


@click.group("ner")
def ner() -> None:
    """The statistical name tagger (LOC / PER / ORG)."""


@ner.command("train")
@click.option("--data", default="../shared/data/anercorp/train.txt", show_default=True,
              type=click.Path(exists=True, dir_okay=False), help="ANERcorp CoNLL file (read in place).")
@click.option("--out", "out", default=None, type=click.Path(dir_okay=False),
              help="Model file to write (default: the shipped model in marsad/ner/model/).")
@click.option("--heldout-out", type=click.Path(dir_okay=False),
              help="Also write the held-out block (the last fifth) here, for `evaluate ner`.")
@click.option("--all", "all_data", is_flag=True,
              help="After scoring the held-out block, train the model on every sentence (the shipped model).")
@click.option("--with", "with_", multiple=True, type=click.Choice(["levels", "tagged", "doc"]),
              help="Add an opt-in feature group (repeatable): levels (marsad train levels builds its table), tagged (name words of the news as a model without it tags them).")
@click.option("--without", multiple=True, type=click.Choice(["shape", "lexicon", "clusters", "names"]),
              help="Leave a feature group out (repeatable), to measure what it adds.")
@click.option("--epochs", type=int, default=None, help="Perceptron passes over the data.")
@click.option("--tune", is_flag=True,
              help="Score the tuning block (the last fifth of the first four fifths) instead of the held-out block.")
def train_cmd(data, out, heldout_out, all_data, with_, without, epochs, tune):
    """Train the tagger; writes the model and a JSON of its data version and figures."""
    from .features import DEFAULT_GROUPS, GROUPS
    from .tagger import MODEL_PATH
    from .train import EPOCHS, train

    meta = train(data, out or MODEL_PATH, groups=[g for g in GROUPS if (g in DEFAULT_GROUPS or g in with_) and g not in without],
                 epochs=epochs or EPOCHS, heldout=not all_data, heldout_out=heldout_out, tune=tune,
                 log=lambda s: click.echo(s, err=True))
    click.echo(json.dumps(meta, ensure_ascii=False, indent=2))


@ner.command("heldout")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--data", default="../shared/data/anercorp/train.txt", show_default=True,
              type=click.Path(exists=True, dir_okay=False), help="ANERcorp CoNLL file (read in place).")
def heldout_cmd(out, data):
    """Write the held-out block (the contiguous last fifth of the file), for `evaluate ner`.

    The shipped model is trained on every sentence: score this block with a model trained
    without it (`marsad ner train --out M.npz` and `MARSAD_NER_MODEL=M.npz`)."""
    from .train import read_conll, split, write_conll

    held = split(read_conll(data))[1]
    write_conll(held, out)
    click.echo(f"{len(held)} held-out sentences written to {out}")


@ner.command("info")
@click.option("--model", default=None, type=click.Path(exists=True, dir_okay=False),
              help="Model file (default: the one the pipeline uses).")
def info_cmd(model):
    """What the tagger's model was trained on, with which features, and its held-out figures."""
    from .tagger import Tagger, default_tagger

    t = Tagger(model) if model else default_tagger()
    click.echo(f"model: {t.path}")
    click.echo(f"features: {len(t.model.weights) - 1:,}  lexicons installed: {sorted(t.lex.sources) or 'none'}")
    click.echo(json.dumps(t.meta, ensure_ascii=False, indent=2))


@ner.command("tag")
@click.argument("file", type=click.Path(allow_dash=True))
def tag_cmd(file):
    """Print the names the tagger finds in FILE ("-" for stdin), one JSON object per line."""
    from ..doc import Doc
    from .tagger import default_tagger

    text = sys.stdin.read() if file == "-" else open(file, encoding="utf-8", errors="replace").read()
    doc = Doc(text)
    for m in default_tagger().tag_doc(doc):
        a, b = doc.orig(doc.tokens[m.first].start, doc.tokens[m.last].end)
        click.echo(json.dumps({"type": m.type, "start": a, "end": b, "text": text[a:b], "score": m.score},
                              ensure_ascii=False))


COMMANDS = [ner]
