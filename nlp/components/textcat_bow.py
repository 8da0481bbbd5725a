"""A bag-of-words text classifier over token norms (lower-cased lemmas) instead of exact spelling.

spaCy's TextCatBOW reads ORTH, so "Tasers", "taser" and "TASERS" are three unrelated features;
with a few hundred training comments that wastes most of the data. This is spaCy's own
architecture with the attribute made a setting.
"""

from functools import partial

from spacy import attrs
from spacy.ml.models.textcat import resize_and_set_ref, resize_linear_weighted
from spacy.util import registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain, resizable, softmax_activation, with_cpu

NEG_VALUE = -5000


@registry.architectures("civic.TextCatBOW.v1")
def build_bow_classifier(exclusive_classes: bool, ngram_size: int, attr: str = "NORM", length: int = 65536, nO=None):
    length = 2 ** (length - 1).bit_length()
    sparse_linear = SparseLinear_v2(nO=nO, length=length)
    resizable_layer = resizable(
        sparse_linear, resize_layer=partial(resize_linear_weighted, fill_defaults={"b": NEG_VALUE, "W": 0})
    )
    output_layer = softmax_activation() if exclusive_classes else Logistic()
    model = with_cpu(chain(ngram_keys(ngram_size, getattr(attrs, attr)), resizable_layer), resizable_layer.ops)
    model = chain(model, with_cpu(output_layer, output_layer.ops))
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return model


def ngram_keys(ngram_size: int, attr: int) -> Model:
    """spaCy's extract_ngrams without its numpy.unique per comment (a sixth of the pipeline's
    time): SparseLinear adds a key's weight once per occurrence, so a repeated key with value 1
    scores the same as one key with its count."""
    return Model("ngram_keys", _ngram_keys_forward, attrs={"ngram_size": ngram_size, "attr": attr})


def _doc_keys(ops, doc, size: int, attr: int):
    """A doc's n-gram keys, kept on the doc: the theme and the stance classifiers read the same ones."""
    memo = ("civic", "ngram_keys", size, attr)
    keys = doc.user_data.get(memo)
    if keys is None:
        unigrams = doc.to_array(attr)
        keys = ops.xp.concatenate([unigrams, *(ops.ngrams(n, unigrams) for n in range(2, size + 1))])
        doc.user_data[memo] = keys
    return keys


def _ngram_keys_forward(model: Model, docs, is_train: bool):
    ops, size, attr = model.ops, model.attrs["ngram_size"], model.attrs["attr"]
    batch_keys = [_doc_keys(ops, doc, size, attr) for doc in docs]
    lengths = list(map(len, batch_keys))
    keys = ops.xp.concatenate(batch_keys) if batch_keys else ops.alloc1i(0)
    values = ops.xp.ones(len(keys), dtype="f")
    return (keys, values, ops.asarray(lengths, dtype="int32")), lambda d_output: []
