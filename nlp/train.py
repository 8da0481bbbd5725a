"""Train the theme and stance classifiers.

    python -m nlp train [--extra corrections.jsonl ...] [--output DIR]

Fits both on nlp/corpus/train.jsonl (English and Spanish) plus any --extra files in the same
format (moderators' corrections exported by the app), with scikit-learn's LogisticRegression
over the features of components/tfidf_logistic.py (for themes, each scaled by the theme's
log-count ratio, as in NB-SVM: `log_count_ratio`). Then, on nlp/corpus/dev.jsonl (written in
separate passes by other writers):

- each theme's probability is calibrated (Platt scaling: a logistic regression on the model's
  log-odds), folded into the weights, so `theme_scores` are probabilities;
- each theme's threshold is the one that maximises its F1 on dev, kept only where it beats the
  fitted model's own decision boundary by at least MIN_THRESHOLD_GAIN (with a few hundred dev
  comments, smaller gains are noise).

The test split is never read here. Training is deterministic: the same data gives the same model,
byte for byte (BLAS runs on one thread: with several, its sums' order and so the last bits vary).
"""

import hashlib
import json
from datetime import date
from pathlib import Path

import numpy
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from .components.tfidf_logistic import count_matrix, tfidf
from .evaluate import evaluate
from .pipeline import CONFIG_PATH, MODEL_DIR, PACKAGE, Tagger, build_untrained, run_rules
from .taxonomy import STANCES, THEME_KEYS

CORPUS = PACKAGE / "corpus"
THRESHOLDS = numpy.round(numpy.arange(0.15, 0.86, 0.05), 2)
MIN_THRESHOLD_GAIN = 0.02
MAX_ITERATIONS = 5000


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def fit(component, docs, targets: numpy.ndarray, settings: dict) -> None:
    """Set the component's idf, weights and biases from scikit-learn: one binary logistic
    regression per label over features scaled by the label's log-count ratio (a multi-label
    component), or one multinomial one (an exclusive one)."""
    model = component.model
    features, linear = model.get_ref("features"), model.get_ref("output_layer")
    counts = count_matrix(features, docs)
    document_frequency = numpy.asarray((counts > 0).sum(axis=0)).ravel()
    idf = (numpy.log((1 + len(docs)) / (1 + document_frequency)) + 1).astype(numpy.float32)
    word_slots = linear.attrs["blocks"][0]
    idf[word_slots:][document_frequency[word_slots:] < settings["min_df_chars"]] = 0  # rare n-grams: noise
    X = tfidf(counts, idf, linear.attrs["blocks"])
    options = dict(C=settings["C"], class_weight="balanced", max_iter=MAX_ITERATIONS)
    W = numpy.zeros((X.shape[1], len(component.labels)), dtype=numpy.float32)
    b = numpy.zeros(len(component.labels), dtype=numpy.float32)
    if model.attrs["multi_label"]:
        present = (X > 0).astype(numpy.float64)  # slots in use: rare n-grams weigh nothing
        for column in range(targets.shape[1]):
            ratio = log_count_ratio(present, targets[:, column].astype(bool))
            regression = LogisticRegression(**options).fit(X.multiply(ratio).tocsr(), targets[:, column])
            W[:, column], b[column] = regression.coef_[0] * ratio, regression.intercept_[0]
    else:
        regression = LogisticRegression(**options).fit(X, targets)
        order = [list(regression.classes_).index(n) for n in range(len(component.labels))]
        W[:], b[:] = regression.coef_[order].T, regression.intercept_[order]
    linear.set_param("idf", idf)
    linear.set_param("W", W)
    linear.set_param("b", b)


def log_count_ratio(present, positive: numpy.ndarray, alpha: float = 1.0) -> numpy.ndarray:
    """Per slot, the log of how much likelier it is in a label's comments than in the others
    (Wang and Manning 2012, NB-SVM). The regression is fitted on features scaled by it, so
    words that tell the label apart start ahead; the scaling is folded into the weights after."""
    with_label = alpha + numpy.asarray(present[positive].sum(axis=0)).ravel()
    without = alpha + numpy.asarray(present[~positive].sum(axis=0)).ravel()
    return numpy.log(with_label / with_label.sum()) - numpy.log(without / without.sum())


def calibrate(component, docs, targets: numpy.ndarray) -> dict:
    """Platt scaling of each label on held-out docs, folded into the weights; returns, per label,
    the slope and intercept, and the probability the fitted model's decision boundary maps to."""
    linear = component.model.get_ref("output_layer")
    log_odds = numpy.asarray(linear.predict(count_matrix(component.model.get_ref("features"), docs)))
    W, b = linear.get_param("W").copy(), linear.get_param("b").copy()
    result = {}
    for column, label in enumerate(component.labels):
        platt = LogisticRegression(C=1e4, max_iter=MAX_ITERATIONS).fit(log_odds[:, [column]], targets[:, column])
        slope, intercept = float(platt.coef_[0, 0]), float(platt.intercept_[0])
        W[:, column] *= slope
        b[column] = slope * b[column] + intercept
        result[label] = {"slope": round(slope, 4), "intercept": round(intercept, 4),
                         "boundary": round(float(1 / (1 + numpy.exp(-intercept))), 3)}
    linear.set_param("W", W)
    linear.set_param("b", b)
    return result


def _f1(truth: numpy.ndarray, guess: numpy.ndarray) -> float:
    both = float((truth & guess).sum())
    return 2 * both / (truth.sum() + guess.sum()) if truth.sum() + guess.sum() else 1.0


def choose_thresholds(scores: numpy.ndarray, targets: numpy.ndarray, boundaries: list[float]) -> list[float]:
    """Per label, the grid threshold with the best F1, where it beats the model's own boundary by MIN_THRESHOLD_GAIN."""
    chosen = []
    for column, boundary in enumerate(boundaries):
        truth = targets[:, column].astype(bool)
        base = _f1(truth, scores[:, column] >= boundary)
        best = max(THRESHOLDS, key=lambda t: _f1(truth, scores[:, column] >= t))
        chosen.append(float(best) if _f1(truth, scores[:, column] >= best) >= base + MIN_THRESHOLD_GAIN else boundary)
    return chosen


def train(extra: list[Path] = (), output: Path = MODEL_DIR, log=print) -> dict:
    """Fit, calibrate and save the classifiers; return their scores on dev."""
    with threadpool_limits(limits=1):
        return _train(extra, output, log)


def _train(extra, output, log) -> dict:
    rows = read_jsonl(CORPUS / "train.jsonl")
    for path in extra:
        rows += read_jsonl(path)
    dev = read_jsonl(CORPUS / "dev.jsonl")
    nlp = build_untrained()
    settings = nlp.config["civic_training"]
    docs, dev_docs = run_rules(nlp, [r["text"] for r in rows]), run_rules(nlp, [r["text"] for r in dev])
    theme_targets = numpy.array([[key in r["themes"] for key in THEME_KEYS] for r in rows], dtype=int)
    stance_targets = numpy.array([STANCES.index(r["stance"]) for r in rows])
    for name, targets in (("themes", theme_targets), ("stance", stance_targets)):
        component = nlp.get_pipe(name)
        component.model.get_ref("output_layer").set_dim("nO", len(component.labels), force=True)
        component.model.initialize()
        fit(component, docs, targets, {**settings, "C": settings[f"C_{name}"]})
        log(f"fitted {name} on {len(rows)} comments")

    themes = nlp.get_pipe("themes")
    dev_targets = numpy.array([[key in r["themes"] for key in THEME_KEYS] for r in dev], dtype=int)
    calibration = calibrate(themes, dev_docs, dev_targets)
    boundaries = [calibration[key]["boundary"] for key in THEME_KEYS]
    dev_scores = numpy.asarray(themes.predict(dev_docs))[:, [themes.labels.index(k) for k in THEME_KEYS]]
    thresholds = dict(zip(THEME_KEYS, choose_thresholds(dev_scores, dev_targets, boundaries)))
    nlp.meta["theme_thresholds"] = thresholds
    nlp.meta["theme_calibration"] = calibration

    tagger = Tagger(nlp, nlp.meta)
    scores = evaluate(dev, list(tagger.tag_many(dev)), THEME_KEYS)
    nlp.meta.update({
        "name": "civic_review", "version": f"{date.today():%Y.%m.%d}-{_fingerprint(rows, dev)}",
        "description": "Themes, stance, personal data and near-duplicates of residents' comments",
        "trained_on": {"comments": len(rows), "extra_files": [str(p) for p in extra]},
        "dev_scores": {"theme_macro_f1": scores["themes"]["macro_f1"], "stance_macro_f1": scores["stance"]["macro_f1"]},
    })
    output = Path(output)
    nlp.to_disk(output)
    return scores


def _fingerprint(rows, dev) -> str:
    """Of the training and calibration data and the pipeline's config: a model trained on other
    data or with another architecture gets another version."""
    digest = hashlib.sha1(json.dumps([rows, dev], sort_keys=True, ensure_ascii=False).encode())
    digest.update(CONFIG_PATH.read_bytes())
    return digest.hexdigest()[:8]
