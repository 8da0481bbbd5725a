"""Train the theme and stance classifiers.

Trains on nlp/corpus/train.jsonl plus any --extra files in the same format (moderators'
corrections exported by the app), then scores the result on nlp/corpus/dev.jsonl. Nothing is
tuned on dev, so the dev scores are honest. (Per-theme thresholds tuned on held-out training
comments were tried and made dev scores worse: the model is over-confident on sentences like
the ones it was trained on, so such thresholds shut out the lexicon's evidence on new text.)
"""

import hashlib
import json
import random
from datetime import date
from pathlib import Path

from spacy.training import Example
from spacy.util import compounding, fix_random_seed, minibatch

from .components.lexicons import DEFAULT_LEXICON
from .evaluate import evaluate
from .pipeline import CONFIG_PATH, MODEL_DIR, PACKAGE, Tagger, build_untrained, run_rules
from .taxonomy import STANCES, THEME_KEYS

CORPUS = PACKAGE / "corpus"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _examples(nlp, rows: list[dict]) -> dict[str, list[Example]]:
    """Separate examples per classifier: spaCy checks that an exclusive one sees one label only."""
    themes, stance = [], []
    docs = run_rules(nlp, [row["text"] for row in rows])  # the classifiers read the norms these set
    for row, doc in zip(rows, docs):
        themes.append(Example.from_dict(doc, {"cats": {key: float(key in row["themes"]) for key in THEME_KEYS}}))
        stance.append(Example.from_dict(doc, {"cats": {label: float(label == row["stance"]) for label in STANCES}}))
    return {"themes": themes, "stance": stance}


def train(extra: list[Path] = (), output: Path = MODEL_DIR, seed: int = 20261125, log=print) -> dict:
    fix_random_seed(seed)
    rows = [r for r in read_jsonl(CORPUS / "train.jsonl") if r.get("lang", "en") == "en"]
    for path in extra:
        rows += [r for r in read_jsonl(path) if r.get("lang", "en") == "en"]

    nlp = build_untrained()
    examples = _examples(nlp, rows)
    for name, component_examples in examples.items():
        nlp.get_pipe(name).initialize(lambda e=component_examples: e, nlp=nlp)
    optimizer = nlp.create_optimizer()
    settings = nlp.config["civic_training"]
    rng = random.Random(seed)
    for epoch in range(settings["epochs"]):
        losses = {}
        for name, component_examples in examples.items():
            rng.shuffle(component_examples)
            others = [n for n in examples if n != name]
            for batch in minibatch(component_examples, size=compounding(8.0, settings["batch_size"], 1.001)):
                nlp.update(batch, drop=settings["dropout"], sgd=optimizer, losses=losses, exclude=others)
        log(f"epoch {epoch + 1:>2}  loss themes {losses.get('themes', 0):.3f}  stance {losses.get('stance', 0):.3f}")

    tagger = Tagger(nlp, {})
    dev = read_jsonl(CORPUS / "dev.jsonl")
    scores = evaluate(dev, list(tagger.tag_many(dev)), THEME_KEYS)

    nlp.meta.update({
        "name": "civic_review", "version": f"{date.today():%Y.%m.%d}-{_fingerprint(rows)}",
        "description": "Themes, stance, personal data and near-duplicates of residents' comments",
        "trained_on": {"comments": len(rows), "extra_files": [str(p) for p in extra]},
        "dev_scores": {"theme_macro_f1": scores["themes"]["macro_f1"], "stance_macro_f1": scores["stance"]["macro_f1"]},
    })
    output = Path(output)
    nlp.to_disk(output)
    return scores


def _fingerprint(rows) -> str:
    """Of the training data, the theme lexicon and the pipeline's config: a model trained on other
    data or with another architecture gets another version."""
    digest = hashlib.sha1(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode())
    digest.update(DEFAULT_LEXICON.read_bytes())
    digest.update(CONFIG_PATH.read_bytes())
    return digest.hexdigest()[:8]
