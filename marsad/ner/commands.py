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
              help="Also write the held-out sentences (k % 5 == 4) here, for `evaluate ner`.")
@click.option("--all", "all_data", is_flag=True, help="Train on every sentence (no held-out figures).")
@click.option("--no-lexicons", is_flag=True, help="Without gazetteer / actor lexicon features.")
@click.option("--max-iterations", type=int, default=None, help="L-BFGS iterations.")
def train_cmd(data, out, heldout_out, all_data, no_lexicons, max_iterations):
    """Train the tagger; writes the model and a JSON of its data version and figures."""
    from .tagger import MODEL_PATH
    from .train import train

    params = {"max_iterations": max_iterations} if max_iterations else None
    meta = train(data, out or MODEL_PATH, lexicons=not no_lexicons, params=params,
                 heldout=not all_data, heldout_out=heldout_out, log=lambda s: click.echo(s, err=True))
    click.echo(json.dumps(meta, ensure_ascii=False, indent=2))


@ner.command("heldout")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--data", default="../shared/data/anercorp/train.txt", show_default=True,
              type=click.Path(exists=True, dir_okay=False), help="ANERcorp CoNLL file (read in place).")
def heldout_cmd(out, data):
    """Write the held-out sentences (k % 5 == 4) the shipped model never saw, for `evaluate ner`."""
    from .train import read_conll, split, write_conll

    held = split(read_conll(data))[1]
    write_conll(held, out)
    click.echo(f"{len(held)} held-out sentences written to {out}")


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
