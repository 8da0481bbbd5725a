"""Model selection: spaCy's own text classifiers against ours, on the same splits.

    python -m nlp.selection [--work DIR] [--steps N]

Trains, on nlp/corpus/train.jsonl, and scores on dev.jsonl (theme macro-F1 at 0.5, stance
macro-F1, English and Spanish together):

- spacy_bow: spaCy's bag of words (spacy.TextCatBOW.v3, words and word pairs);
- spacy_ensemble: spaCy's ensemble, that bag of words plus a CNN tok2vec (spacy.TextCatEnsemble.v2);
- spacy_ensemble_pretrained: the same, its tok2vec first pretrained with `spacy pretrain`
  (characters objective) on every comment text of the train and dev splits, labels unseen;
- civic (this package's pipeline, python -m nlp train): TF-IDF-weighted words, word pairs and
  character n-grams in a logistic regression, the model nlp/model ships.

It prints a table with comments per second on one core for each. The table in nlp/README.md
comes from this command; it takes about an hour on two cores.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from .evaluate import stance_scores, theme_scores
from .taxonomy import STANCES, THEME_KEYS
from .train import CORPUS, read_jsonl

TOK2VEC = """
[components.textcat.model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[components.textcat.model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 96
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
rows = [5000, 1000, 2500, 2500]
include_static_vectors = false

[components.textcat.model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 96
depth = 4
window_size = 1
maxout_pieces = 3
"""

BOW = """
[components.textcat.model{prefix}]
@architectures = "spacy.TextCatBOW.v3"
exclusive_classes = {exclusive}
ngram_size = 2
no_output_layer = false
length = 262144
"""

PRETRAINING = """
[pretraining]
max_epochs = 5
dropout = 0.2
n_save_every = null
n_save_epoch = null
component = "textcat"
layer = "tok2vec"
corpus = "corpora.pretrain"

[pretraining.batcher]
@batchers = "spacy.batch_by_words.v1"
size = 3000
discard_oversize = false
tolerance = 0.2
get_length = null

[pretraining.objective]
@architectures = "spacy.PretrainCharacters.v1"
maxout_pieces = 3
hidden_size = 300
n_characters = 4

[pretraining.optimizer]
@optimizers = "Adam.v1"
learn_rate = 0.001

[corpora.pretrain]
@readers = "spacy.JsonlCorpus.v1"
path = ${paths.raw_text}
min_length = 3
max_length = 500
limit = 0
"""

TEMPLATE = """
[paths]
train = null
dev = null
init_tok2vec = null
raw_text = null

[system]
seed = 20261204

[nlp]
lang = "en"
pipeline = ["textcat"]
batch_size = 256

[components]

[components.textcat]
factory = "{factory}"
{model}

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${{paths.train}}

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${{paths.dev}}

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${{system.seed}}
dropout = 0.1
patience = 1200
max_epochs = 0
max_steps = {steps}
eval_frequency = 200

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
size = 2000
tolerance = 0.2

[training.optimizer]
@optimizers = "Adam.v1"

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[initialize]
init_tok2vec = ${{paths.init_tok2vec}}

"""


def _config(task: str, kind: str, steps: int) -> str:
    exclusive = "true" if task == "stance" else "false"
    factory = "textcat" if task == "stance" else "textcat_multilabel"
    if kind == "spacy_bow":
        model = BOW.format(prefix="", exclusive=exclusive)
    else:
        model = ('[components.textcat.model]\n@architectures = "spacy.TextCatEnsemble.v2"\nnO = null\n'
                 + TOK2VEC + BOW.format(prefix=".linear_model", exclusive=exclusive))
    config = TEMPLATE.format(factory=factory, model=model, steps=steps)
    return config + PRETRAINING if kind == "spacy_ensemble_pretrained" else config


def _docbin(rows: list[dict], task: str, path: Path) -> None:
    nlp = spacy.blank("en")
    docs = DocBin()
    for row in rows:
        doc = nlp.make_doc(row["text"])
        labels = STANCES if task == "stance" else THEME_KEYS
        doc.cats = {label: float(label == row["stance"] if task == "stance" else label in row["themes"]) for label in labels}
        docs.add(doc)
    docs.to_disk(path)


def _spacy(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "spacy", *args], check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "OMP_NUM_THREADS": "1"})


def _predict(model_dir: Path, rows: list[dict]) -> tuple[list[dict], float]:
    nlp = spacy.load(model_dir)
    started = time.perf_counter()
    docs = list(nlp.pipe((row["text"] for row in rows), batch_size=256))
    return [doc.cats for doc in docs], len(rows) / (time.perf_counter() - started)


def score_spacy(work: Path, kind: str, steps: int, train: list[dict], dev: list[dict]) -> dict:
    scores = {}
    for task in ("themes", "stance"):
        folder = work / kind / task
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "partial.cfg").write_text(_config(task, kind, steps))
        _spacy("init", "fill-config", str(folder / "partial.cfg"), str(folder / "config.cfg"))  # spaCy's defaults for the rest
        for name, rows in (("train", train), ("dev", dev)):
            _docbin(rows, task, folder / f"{name}.spacy")
        overrides = [f"--paths.train={folder / 'train.spacy'}", f"--paths.dev={folder / 'dev.spacy'}"]
        if kind == "spacy_ensemble_pretrained":
            raw = folder / "raw.jsonl"
            raw.write_text("".join(json.dumps({"text": row["text"]}) + "\n" for row in train + dev))
            _spacy("pretrain", str(folder / "config.cfg"), str(folder / "pretrain"), f"--paths.raw_text={raw}",
                   *overrides)
            weights = sorted((folder / "pretrain").glob("model*.bin"), key=lambda p: p.stat().st_mtime)[-1]
            overrides.append(f"--paths.init_tok2vec={weights}")
        _spacy("train", str(folder / "config.cfg"), "--output", str(folder / "out"), *overrides)
        cats, rate = _predict(folder / "out" / "model-best", dev)
        if task == "themes":
            predicted = [{"themes": [k for k in THEME_KEYS if c[k] >= 0.5]} for c in cats]
            scores["theme_macro_f1"] = theme_scores(dev, predicted, THEME_KEYS)["macro_f1"]
        else:
            predicted = [{"stance": max(c, key=c.get)} for c in cats]
            scores["stance_macro_f1"] = stance_scores(dev, predicted)["macro_f1"]
        scores[f"{task}_per_second"] = round(rate)
    return scores


def score_civic(dev: list[dict]) -> dict:
    from .pipeline import load_pipeline

    tagger = load_pipeline()
    started = time.perf_counter()
    tagged = list(tagger.tag_many(dev))
    rate = len(dev) / (time.perf_counter() - started)
    return {"theme_macro_f1": theme_scores(dev, tagged, THEME_KEYS)["macro_f1"],
            "stance_macro_f1": stance_scores(dev, tagged)["macro_f1"], "pipeline_per_second": round(rate)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.selection", description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=None, help="where to keep the trained candidates")
    parser.add_argument("--steps", type=int, default=4000, help="training steps of each spaCy candidate")
    parser.add_argument("--only", choices=("spacy_bow", "spacy_ensemble", "spacy_ensemble_pretrained", "civic"))
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="civic-selection-"))
    train, dev = read_jsonl(CORPUS / "train.jsonl"), read_jsonl(CORPUS / "dev.jsonl")
    kinds = [args.only] if args.only else ["civic", "spacy_bow", "spacy_ensemble", "spacy_ensemble_pretrained"]
    print(f"{'candidate':<28} theme macro-F1  stance macro-F1  comments/s (one core)")
    for kind in kinds:
        scores = score_civic(dev) if kind == "civic" else score_spacy(work, kind, args.steps, train, dev)
        rate = scores.get("pipeline_per_second") or f"{scores['themes_per_second']} + {scores['stance_per_second']}"
        print(f"{kind:<28} {scores['theme_macro_f1']:.3f}           {scores['stance_macro_f1']:.3f}            {rate}",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
