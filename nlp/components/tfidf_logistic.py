"""A logistic regression over TF-IDF-weighted words, word pairs and character n-grams.

The classifiers' architecture, chosen by measurement (python -m nlp.selection): on comments
written the way residents write, spelling varies ("taser", "tazers", "TASERS"), words are
inflected and negation turns a stance around. So each comment is read three ways, each a block
of hashed features:

- words and word pairs of token norms (lower-cased lemmas, civic_norms);
- character n-grams (2 to 5) of each lower-cased word with a space on either side, which
  survive typos, inflections and Spanish; slots seen in fewer than `min_df` training comments are
  dropped (their weights learn noise);
- optionally, for stance, the words within four tokens after a negation ("not", "never", "no",
  "nunca"), marked as negated, so "not against" and "against" are different evidence.

Counts become 1 + log(count), times the slot's inverse document frequency, and each block is
scaled to unit length. The weights are fitted by scikit-learn's LogisticRegression (train.py:
`fit`), one binary model per theme (over features scaled by the theme's log-count ratio, folded
into the weights afterwards) or one multinomial model for stance, and then calibrated on
the dev split (Platt), folded into the weights so the output is a probability.
"""

import numpy
from scipy.sparse import csr_matrix
from spacy import attrs
from spacy.util import registry
from thinc.api import Logistic, Model, NumpyOps, chain, softmax_activation

from ..doc_data import text_of

# Function words that turn the meaning of what follows around, English and Spanish.
NEGATIONS = frozenset("not no never n't nothing nobody none nor neither without cannot hardly ni nunca nada sin "
                      "tampoco jamás jamas nadie ninguno ninguna".split())
NEGATION_SCOPE = 4  # tokens after a negation that it governs, unless punctuation ends it first
NEGATED = numpy.uint64(0x9E3779B97F4A7C15)  # xor-ed into a negated word's key
SPACE = 32
CHAR_SALTS = {n: numpy.uint64(0x100000001B3 * (n + 7)) for n in range(1, 9)}
PRIME = numpy.uint64(1099511628211)
OPS = NumpyOps()


@registry.architectures("civic.TfidfLogistic.v1")
def build_tfidf_logistic(exclusive_classes: bool, word_ngrams: int = 2, char_ngrams: list | None = (2, 5),
                         negation: bool = False, word_slots: int = 2**18, char_slots: int = 2**18, nO=None) -> Model:
    features = Model("tfidf_features", _features_forward, attrs={
        "word_ngrams": word_ngrams, "char_ngrams": tuple(char_ngrams) if char_ngrams else None, "negation": negation,
        "word_slots": word_slots, "char_slots": char_slots if char_ngrams else 0})
    linear = Model("tfidf_linear", _linear_forward, init=_linear_init, params={"W": None, "b": None, "idf": None},
                   dims={"nO": nO, "nI": word_slots + (char_slots if char_ngrams else 0)},
                   attrs={"blocks": (word_slots, char_slots if char_ngrams else 0)})
    model = chain(features, linear, softmax_activation() if exclusive_classes else Logistic())
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("features", features)
    model.set_ref("output_layer", linear)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = _set_label_count
    return model


def _set_label_count(model: Model, count: int) -> Model:
    linear = model.get_ref("output_layer")
    if linear.has_param("W") and linear.get_dim("nO") != count:
        raise ValueError("the classifier is trained for other labels: train it anew (python -m nlp train)")
    linear.set_dim("nO", count, force=True)
    model.set_dim("nO", count, force=True)
    return model


# ---- features ---------------------------------------------------------------------------------

def word_keys(doc, size: int, attr: int) -> tuple:
    """A doc's keys of words, of word pairs..., kept on the doc: the theme and the stance
    classifiers read the same ones. Not joined into one array here: a batch's are joined once."""
    memo = ("civic", "ngram_keys", size, attr)
    keys = doc.user_data.get(memo)
    if keys is None:
        unigrams = doc.to_array(attr)
        keys = (unigrams, *(OPS.ngrams(n, unigrams) for n in range(2, size + 1)))
        doc.user_data[memo] = keys
    return keys


def _word_keys(doc, ngrams: int, negation: bool) -> numpy.ndarray:
    """Keys of the doc's words and word pairs (norms), and of its negated words if asked."""
    keys = list(word_keys(doc, ngrams, attrs.NORM))
    if negation and len(doc):
        negations, clause_ends = _negation_hashes(doc.vocab.strings), _break_hashes(doc.vocab.strings)
        lower = doc.to_array(attrs.LOWER).tolist()
        negates = numpy.array([value in negations for value in lower], dtype=bool)
        breaks = numpy.array([value in clause_ends for value in lower], dtype=bool)
        # A word is negated when one of the NEGATION_SCOPE words before it negates and no
        # punctuation that ends a clause stands between them.
        breaks_before = numpy.cumsum(breaks)
        in_scope = numpy.zeros(len(doc), dtype=bool)
        for distance in range(1, NEGATION_SCOPE + 1):
            negated = numpy.zeros(len(doc), dtype=bool)
            negated[distance:] = negates[:-distance] & (breaks_before[distance:] == breaks_before[:-distance])
            in_scope |= negated
        keys.append(keys[0][in_scope & ~breaks] ^ NEGATED)
    return numpy.concatenate(keys) if keys else numpy.zeros(0, dtype=numpy.uint64)


def _negation_hashes(strings) -> frozenset:
    return frozenset(strings.add(word) for word in NEGATIONS)


def _break_hashes(strings) -> frozenset:
    return frozenset(strings.add(mark) for mark in ".!?;:,")


def char_ngram_keys(texts: list[str], sizes: tuple[int, int]) -> list[numpy.ndarray]:
    """For each text, the keys of the character n-grams of each lower-cased word with a space on
    either side (scikit-learn's "char_wb"), from the UTF-8 bytes of all texts at once: every byte
    but a letter, a digit or part of a non-ASCII character is a space, runs of spaces are one, and
    an n-gram with a space inside it (not at its ends) would cross words and is left out. An n-gram
    belongs to the text of its first byte that is not a space."""
    encoded = [text.lower().encode("utf-8") for text in texts]
    data = numpy.frombuffer(b" " + b" ".join(encoded) + b" ", dtype=numpy.uint8)
    # The leading space belongs to no text (-1); each text's bytes and the space after it to the text.
    text_of_byte = numpy.repeat(numpy.arange(-1, len(texts)), [1] + [len(e) + 1 for e in encoded])
    word = (data >= 128) | ((data >= 48) & (data <= 57)) | ((data >= 97) & (data <= 122))
    data = numpy.where(word, data, SPACE)
    keep = numpy.ones(len(data), dtype=bool)
    keep[1:] = ~((data[1:] == SPACE) & (data[:-1] == SPACE))
    data, text_of_byte = data[keep].astype(numpy.uint64), text_of_byte[keep]
    is_space = data == SPACE
    spaces = numpy.concatenate(([0], numpy.cumsum(is_space)))
    # The text of each position's first byte that is not a space: a space takes the next byte's.
    owner = text_of_byte.copy()
    owner[:-1][is_space[:-1]] = text_of_byte[1:][is_space[:-1]]
    keys, owners = [], []
    for n in range(sizes[0], sizes[1] + 1):
        count = len(data) - n + 1
        if count <= 0:
            break
        key = numpy.full(count, CHAR_SALTS[n], dtype=numpy.uint64)
        for offset in range(n):
            key = (key ^ data[offset:offset + count]) * PRIME  # FNV-1a over the n bytes
        inside = spaces[n - 1:n - 1 + count] - spaces[1:1 + count] if n > 2 else numpy.zeros(count, dtype=numpy.int64)
        keys.append(key[inside == 0])
        owners.append(owner[:count][inside == 0])
    if not keys:
        return [numpy.zeros(0, dtype=numpy.uint64) for _ in texts]
    keys, owners = numpy.concatenate(keys), numpy.concatenate(owners)
    order = numpy.argsort(owners, kind="stable")
    bounds = numpy.searchsorted(owners[order], numpy.arange(len(texts) + 1))
    keys = keys[order]
    return [keys[bounds[i]:bounds[i + 1]] for i in range(len(texts))]


def count_matrix(model: Model, docs) -> csr_matrix:
    """How often each slot occurs in each doc: words in the first block, characters in the second."""
    word_slots, char_slots = model.attrs["word_slots"], model.attrs["char_slots"]
    chars = char_ngram_keys([text_of(doc) for doc in docs], model.attrs["char_ngrams"]) if char_slots else None
    width, cells = word_slots + char_slots, []
    for row, doc in enumerate(docs):
        slots = [_word_keys(doc, model.attrs["word_ngrams"], model.attrs["negation"]) & numpy.uint64(word_slots - 1)]
        if char_slots:
            slots.append((chars[row] & numpy.uint64(char_slots - 1)) + numpy.uint64(word_slots))
        cells.append(numpy.concatenate(slots).astype(numpy.int64) + row * width)  # a cell's number: row * width + slot
    cells = numpy.concatenate(cells) if cells else numpy.zeros(0, numpy.int64)
    cells, counts = numpy.unique(cells, return_counts=True)  # sorted: by row, then by slot
    indptr = numpy.searchsorted(cells, numpy.arange(len(docs) + 1) * width)
    return csr_matrix((counts.astype(numpy.float32), cells % width, indptr), shape=(len(docs), width))


def _features_forward(model: Model, docs, is_train: bool):
    return count_matrix(model, docs), lambda d_output: []


# ---- weighting and the linear layer -----------------------------------------------------------

def tfidf(counts: csr_matrix, idf: numpy.ndarray, blocks: tuple[int, int]) -> csr_matrix:
    """(1 + log count) * idf, each block of each row scaled to unit length."""
    weighted = counts.copy()
    weighted.data = (1.0 + numpy.log(weighted.data)) * idf[weighted.indices]
    block_of = (weighted.indices >= blocks[0]).astype(numpy.int64)
    norms = numpy.zeros((weighted.shape[0], 2))
    row_of = numpy.repeat(numpy.arange(weighted.shape[0]), numpy.diff(weighted.indptr))
    numpy.add.at(norms, (row_of, block_of), weighted.data.astype(numpy.float64) ** 2)
    norms = numpy.sqrt(norms)
    norms[norms == 0] = 1.0
    weighted.data = (weighted.data / norms[row_of, block_of]).astype(numpy.float32)
    return weighted


def _linear_init(model: Model, X=None, Y=None) -> Model:
    if Y is not None:
        model.set_dim("nO", Y.shape[1])
    model.set_param("W", model.ops.alloc2f(model.get_dim("nI"), model.get_dim("nO")))
    model.set_param("b", model.ops.alloc1f(model.get_dim("nO")))
    model.set_param("idf", model.ops.alloc1f(model.get_dim("nI")))
    return model


def _linear_forward(model: Model, counts: csr_matrix, is_train: bool):
    X = tfidf(counts, model.get_param("idf"), model.attrs["blocks"])
    scores = X @ model.get_param("W") + model.get_param("b")

    def backprop(d_scores):  # fitted by scikit-learn (train.py), so never called in training
        model.inc_grad("W", X.T @ d_scores)
        model.inc_grad("b", d_scores.sum(axis=0))
        return counts

    return numpy.asarray(scores, dtype=numpy.float32), backprop
