"""Build, load and run the civic pipeline."""

import gc
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

import numpy
import spacy
from spacy.language import Language

from . import components, pii  # noqa: F401  (registers the factories)
from .components.language import LANG
from .components.lexicons import THEME_HITS, load_custom_themes
from .doc_data import make_doc
from .duplicates import DuplicateIndex
from .pii import PII
from .taxonomy import STANCES, THEME_KEYS

PACKAGE = Path(__file__).resolve().parent
CONFIG_PATH = PACKAGE / "configs" / "pipeline.cfg"
MODEL_DIR = PACKAGE / "model"
TRAINED = ("themes", "stance")
RULE_WEIGHT = 0.5  # each example phrase of a round-specific theme halves the remaining doubt
THEME_THRESHOLD = 0.5  # a round-specific theme is tagged at even odds; one lexicon hit alone reaches it
READ_LANGUAGES = ("en", "es")
# A tag the classifiers are unsure of, for a person to review: a theme whose probability is this
# close to its threshold, either side, or a stance whose probability is below STANCE_SURE. On the
# dev split, a theme tag flagged so is wrong a third of the time (all theme tags: one in twenty),
# a flagged stance two in five times; about a fifth of the comments have a flag.
DOUBT_MARGIN = 0.05
STANCE_SURE = 0.45


def build_untrained() -> Language:
    """A fresh pipeline from the config, with its labels, ready for nlp.initialize()."""
    config = spacy.util.load_config(CONFIG_PATH)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    for key in THEME_KEYS:
        nlp.get_pipe("themes").add_label(key)
    for label in STANCES:
        nlp.get_pipe("stance").add_label(label)
    return nlp


def run_rules(nlp: Language, texts: list[str]) -> list:
    """The docs of texts, through the pipeline's components before the classifiers (which score a
    batch at once): what nlp.pipe does, without its generators around each component (about 15 µs
    a comment)."""
    docs = [make_doc(nlp, text) for text in texts]
    for name, proc in nlp.pipeline:
        if name not in TRAINED:
            docs = list(proc.pipe(docs)) if hasattr(proc, "pipe") else list(map(proc, docs))
    return docs


def _with_base_model(trained: Language, base_model: str) -> Language:
    """A deployer's installed pipeline (its tokenizer and vocabulary) with our components added."""
    base = spacy.load(base_model, exclude=["textcat", "textcat_multilabel"])
    for name in trained.pipe_names:
        if name == "civic_norms":  # made anew: a sourced one would set the norms of our vocabulary, not the base's
            base.add_pipe(name)
        elif name not in base.pipe_names:
            base.add_pipe(name, source=trained)
    return base


class Tagger:
    """Tags comments with themes, stance, personal data, language and near-duplicates."""

    def __init__(self, nlp: Language, meta: dict, custom_themes=()):
        self.nlp = nlp
        self.meta = meta
        self.lexicons = nlp.get_pipe("civic_lexicons")
        self.lexicons.add_custom_themes(list(custom_themes))
        nlp.get_pipe("civic_norms").ensure_installed()  # before a batch is tokenized, not on its first comment

    @property
    def model_version(self) -> str:
        return self.meta.get("version", "untrained")

    @property
    def theme_keys(self) -> list[str]:
        return list(THEME_KEYS) + [k for k in self.lexicons.custom_keys if k not in THEME_KEYS]

    def _theme_scores(self, docs, hits: list[dict]) -> numpy.ndarray:
        """One row per doc, one column per theme key: the classifier's calibrated probability for
        the default themes; for round-specific themes, which have no classifier, each of their
        example phrases halves the remaining doubt."""
        keys = self.theme_keys
        model = numpy.zeros((len(docs), len(keys)))
        model[:, : len(THEME_KEYS)] = _in_label_order(self.nlp.get_pipe("themes"), docs, THEME_KEYS)
        column = {key: number for number, key in enumerate(keys)}
        counts = numpy.zeros_like(model)
        for row, doc_hits in enumerate(hits):
            for key, count in doc_hits.items():
                counts[row, column[key]] = count
        return 1 - (1 - model) * RULE_WEIGHT**counts

    def _stances(self, docs) -> tuple[list[str], list[bool]]:
        """Each doc's stance, and whether the classifier is unsure of it."""
        scores = _in_label_order(self.nlp.get_pipe("stance"), docs, STANCES)
        return [STANCES[number] for number in scores.argmax(axis=1).tolist()], (scores.max(axis=1) < STANCE_SURE).tolist()

    @property
    def thresholds(self) -> numpy.ndarray:
        """Each theme's threshold (tuned on dev, nlp/train.py); round-specific themes use THEME_THRESHOLD."""
        tuned = self.meta.get("theme_thresholds", {})
        return numpy.array([tuned.get(key, THEME_THRESHOLD) for key in self.theme_keys])

    def results(self, docs, keys) -> list[dict]:
        """The result of each doc of a batch, from the classifiers' scores for the whole batch (a
        dict of scores on each doc, as spaCy's doc.cats, cost more than the scoring)."""
        scores = self._theme_scores(docs, list(map(THEME_HITS.get, docs)))
        stances, unsure_stances = self._stances(docs)
        thresholds = self.thresholds
        unsure = numpy.abs(scores - thresholds) < DOUBT_MARGIN
        # Each doc's themes and its scores of at least 0.01, from the batch's scores at once.
        themes, shown = [[] for _ in docs], [{} for _ in docs]
        rows, columns = numpy.nonzero(scores >= 0.01)
        theme_keys, found = self.theme_keys, scores[rows, columns]
        for row, column, score, tagged in zip(rows.tolist(), columns.tolist(), found.round(3).tolist(),
                                              (found >= self.thresholds[columns]).tolist()):
            shown[row][theme_keys[column]] = score
            if tagged:
                themes[row].append(theme_keys[column])
        results = []
        theme_keys = self.theme_keys
        for row, (doc, key, doc_themes, doc_scores, stance) in enumerate(zip(docs, keys, themes, shown, stances)):
            lang = LANG.get(doc)
            read = lang in READ_LANGUAGES  # the classifiers learnt English and Spanish; others go to a person
            uncertain = [theme_keys[column] for column in numpy.flatnonzero(unsure[row]).tolist()] if read else []
            if read and unsure_stances[row]:
                uncertain.append("stance")
            results.append({
                "id": key,
                "themes": doc_themes if read else [],
                "theme_scores": doc_scores if read else {},
                "stance": stance if read else "unclear",
                "pii": [{"kind": kind, "start": start, "end": end} for kind, start, end in PII.get(doc)],
                "duplicate_of": None,
                "lang": lang,
                "needs_human_review": not read,
                "uncertain": uncertain,  # theme keys, and "stance", that a person should check
            })
        return results

    def tag_many(self, records, batch_size: int = 256, duplicates: DuplicateIndex | None = None):
        """Yield one result per record ({"id", "text"} dicts or plain strings), in order.

        Pass a DuplicateIndex to match copies across several calls (a stream in batches). A record
        without an id is known by its position in the stream (what "duplicate_of" then names).
        """
        index = duplicates if duplicates is not None else DuplicateIndex()
        records, position = iter(records), 0
        # The classifiers and the near-duplicate index take a batch at a time.
        while batch := list(islice(records, batch_size)):
            texts = [r if isinstance(r, str) else r["text"] for r in batch]
            keys = [None if isinstance(r, str) else r.get("id") for r in batch]
            with _collector_paused():
                docs = run_rules(self.nlp, texts)
                index_keys = [position + n if key is None else key for n, key in enumerate(keys)]
                roots = index.add_many(zip(index_keys, texts))
                results = self.results(docs, keys)
            position += len(batch)
            for result, root in zip(results, roots):
                result["duplicate_of"] = root
                yield result

    def tag(self, text: str) -> dict:
        return next(self.tag_many([text]))


@contextmanager
def _collector_paused():
    """No cyclic garbage collection while a batch is tagged. A batch allocates some twenty
    objects per comment that stay alive until it is done, and the collector would walk them again
    and again (a twentieth of the tagging time). Tagging leaves a handful of reference cycles per
    batch (thinc's), freed once the collector resumes after the batch: memory stays bounded."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _in_label_order(classifier, docs, labels) -> numpy.ndarray:
    """The classifier's probabilities for a batch, one column per label in the order given."""
    scores = numpy.asarray(classifier.predict(docs), dtype=numpy.float64)
    return scores[:, [classifier.labels.index(label) for label in labels]]


def load_pipeline(themes_file=None, model_dir=MODEL_DIR, base_model: str | None = None) -> Tagger:
    """The trained pipeline from nlp/model, plus round-specific themes from a JSON file if given."""
    model_dir = Path(model_dir)
    if not (model_dir / "meta.json").exists():
        raise FileNotFoundError(f"No trained model in {model_dir}: run `python -m nlp train`.")
    nlp = spacy.load(model_dir)
    if base_model:
        nlp = _with_base_model(nlp, base_model)
    custom = load_custom_themes(themes_file) if themes_file else []
    tagger = Tagger(nlp, nlp.meta, custom)
    # A pipeline lives as long as its process. Its objects, with all others alive now, go out of
    # the cyclic garbage collector's sight, which otherwise walks them on every full collection
    # (a tenth of the tagging time). Reference counting still frees any of them that is dropped.
    gc.collect()
    gc.freeze()
    return tagger
