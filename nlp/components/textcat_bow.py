"""A bag-of-words text classifier over token norms (lower-cased lemmas) instead of exact spelling.

spaCy's TextCatBOW reads ORTH, so "Tasers", "taser" and "TASERS" are three unrelated features;
with a few hundred training comments that wastes most of the data. This is spaCy's architecture
(each word and word pair adds a learned weight per label, in a hashed slot) with the attribute
made a setting, and with its weights laid out the other way round (see hashed_linear).

v3 gives each key one slot. v2, as spaCy, gave it two: twice the reads of rows scattered over
megabytes, the classifiers' main cost, for no better scores on our dev split (retrained with one
slot: theme macro-F1 0.814 -> 0.822, stance 0.745 -> 0.779). v2 stays for models trained with it.
"""

import numpy
from scipy.sparse import csr_matrix
from spacy import attrs
from spacy.util import registry
from thinc.api import Logistic, Model, chain, softmax_activation
from thinc.util import get_width


@registry.architectures("civic.TextCatBOW.v3")
def build_bow_classifier(exclusive_classes: bool, ngram_size: int, attr: str = "NORM", length: int = 65536, nO=None):
    return _bow_classifier(exclusive_classes, ngram_size, attr, length, nO, slots_per_key=1)


@registry.architectures("civic.TextCatBOW.v2")
def build_bow_classifier_v2(exclusive_classes: bool, ngram_size: int, attr: str = "NORM", length: int = 65536, nO=None):
    return _bow_classifier(exclusive_classes, ngram_size, attr, length, nO, slots_per_key=2)


def _bow_classifier(exclusive_classes, ngram_size, attr, length, nO, slots_per_key: int) -> Model:
    linear = hashed_linear(length=2 ** (length - 1).bit_length(), nO=nO, slots_per_key=slots_per_key)
    output_layer = softmax_activation() if exclusive_classes else Logistic()
    model = chain(ngram_keys(ngram_size, getattr(attrs, attr)), linear, output_layer)
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", linear)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = _set_label_count
    return model


def _set_label_count(model: Model, count: int) -> Model:
    """What spaCy calls as labels are added. They are added before training; a trained model keeps its labels."""
    linear = model.get_ref("output_layer")
    if linear.has_param("W") and linear.get_dim("nO") != count:
        raise ValueError("the classifier is trained for other labels: train it anew (python -m nlp train)")
    linear.set_dim("nO", count, force=True)
    model.set_dim("nO", count, force=True)
    return model


def ngram_keys(ngram_size: int, attr: int) -> Model:
    """Each doc's keys of words and word pairs, and how many each doc has (thinc's extract_ngrams
    without its numpy.unique per comment: a repeated key adds its weight once per occurrence, as
    one key with its count would)."""
    return Model("ngram_keys", _ngram_keys_forward, attrs={"ngram_size": ngram_size, "attr": attr})


def _doc_keys(ops, doc, size: int, attr: int) -> tuple:
    """A doc's keys of words, of word pairs..., kept on the doc: the theme and the stance
    classifiers read the same ones. Not joined into one array here: the batch's are joined once."""
    memo = ("civic", "ngram_keys", size, attr)
    keys = doc.user_data.get(memo)
    if keys is None:
        unigrams = doc.to_array(attr)
        keys = (unigrams, *(ops.ngrams(n, unigrams) for n in range(2, size + 1)))
        doc.user_data[memo] = keys
    return keys


def _ngram_keys_forward(model: Model, docs, is_train: bool):
    ops, size, attr = model.ops, model.attrs["ngram_size"], model.attrs["attr"]
    parts = [part for doc in docs for part in _doc_keys(ops, doc, size, attr)]
    keys = numpy.concatenate(parts) if parts else numpy.zeros(0, dtype=numpy.uint64)
    lengths = numpy.fromiter(map(len, parts), dtype=numpy.int64, count=len(parts)).reshape(len(docs), size).sum(axis=1)
    return (keys, lengths), lambda d_output: []


def hashed_linear(length: int, nO=None, slots_per_key: int = 1) -> Model:
    """Scores from hashed keys: thinc's SparseLinear with each slot's weights for all labels side
    by side (a row of W), where thinc keeps a label's weights for all slots together. Reading a key
    there touches one cache line per label, far apart in a table of megabytes; here one or two.
    Those misses were most of the classifiers' time and made them slow whenever another process
    shared the processor's cache."""
    return Model("hashed_linear", _hashed_linear_forward, init=_hashed_linear_init,
                 params={"W": None, "b": None}, dims={"nO": nO, "length": length}, attrs={"slots_per_key": slots_per_key})


def _hashed_linear_init(model: Model, X=None, Y=None) -> Model:
    if Y is not None:
        model.set_dim("nO", get_width(Y))
    model.set_param("W", model.ops.alloc2f(model.get_dim("length"), model.get_dim("nO")))
    model.set_param("b", model.ops.alloc1f(model.get_dim("nO")))
    return model


def _hashed_linear_forward(model: Model, keys_and_lengths, is_train: bool):
    keys, lengths = keys_and_lengths
    per_key = model.attrs["slots_per_key"]
    slots = _slots(keys, model.get_dim("length"), per_key)
    # One row per doc, a one in each slot its keys hash to (twice if twice): the scores are this times W.
    ends = numpy.zeros(len(lengths) + 1, dtype=numpy.int64)
    numpy.cumsum(per_key * lengths, out=ends[1:])
    X = csr_matrix((numpy.ones(len(slots), dtype="f"), slots, ends), shape=(len(lengths), model.get_dim("length")))

    def backprop(d_scores):
        model.inc_grad("W", X.T @ d_scores)
        model.inc_grad("b", d_scores.sum(axis=0))
        return keys_and_lengths

    return X @ model.get_param("W") + model.get_param("b"), backprop


def _slots(keys, length: int, per_key: int):
    """Each key's slot, its low 32 bits modulo the length, and with two slots per key its high 32
    bits too, side by side. The keys are spaCy's 64-bit hashes already, so their halves are two
    independent hashes."""
    keys = numpy.asarray(keys, dtype=numpy.uint64)
    slots = numpy.empty((len(keys), per_key), dtype=numpy.int32)
    mask = numpy.uint64(length - 1)  # length is a power of two
    slots[:, 0] = keys & mask
    if per_key == 2:
        slots[:, 1] = (keys >> numpy.uint64(32)) & mask
    return slots.ravel()
