"""What a report quotes: each theme's distinctive phrases and its most representative comments.

Both read a comment in its language (the pipeline's "en" or "es"): Spanish function words are
not phrases ("que aprueben la"), and quotes are chosen within each language and shared among
the languages by their part of the theme's comments, so neither language crowds out the other.
"""

import math
import re
from collections import Counter, defaultdict

from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS
from spacy.lang.es.stop_words import STOP_WORDS as SPANISH_STOP_WORDS

WORD = re.compile(r"[^\W\d_][\w'-]*")
# Spanish comments often carry English words; English ones are read without Spanish stop words,
# some of which are English words ("mayor", "son", "final").
STOP_WORDS = {"en": ENGLISH_STOP_WORDS, "es": ENGLISH_STOP_WORDS | SPANISH_STOP_WORDS}
MIN_LANGUAGE_SHARE = 0.05  # a language with this part of a theme's comments has at least one quote


def _stop_words(lang: str | None) -> set[str]:
    return STOP_WORDS.get(lang, ENGLISH_STOP_WORDS)


def _ngrams(text: str, sizes=(1, 2, 3), lang: str | None = "en") -> set[str]:
    words = WORD.findall(text.lower())
    stop_words = _stop_words(lang)
    # A phrase may not start or end with a stop word: "the budget" says no more than "budget".
    # Each word is looked up once (a summary reads every comment of a round).
    content = [i for i, word in enumerate(words) if word not in stop_words]
    kept = set(content)
    grams = set()
    for size in sizes:
        for i in content:
            end = i + size - 1
            if end in kept:
                grams.add(words[i] if size == 1 else " ".join(words[i:end + 1]))
    return grams


def ngram_counts(texts) -> Counter:
    """In how many of the texts each 1-3-word phrase occurs; pass it to distinctive_phrases
    as `background` when ranking several themes of one round, to count the round once."""
    return Counter(g for text in texts for g in _ngrams(text))


def ngram_counts_by_group(items) -> tuple[Counter, dict[str, Counter]]:
    """ngram_counts of all the texts and of each group's, for (text, its groups) or (text, its
    groups, its language) items: each text is read once, however many groups (themes) it is in."""
    overall, by_group = Counter(), defaultdict(Counter)
    for text, groups, *lang in items:
        grams = _ngrams(text, lang=lang[0] if lang else "en")
        overall.update(grams)
        for group in groups:
            by_group[group].update(grams)
    return overall, by_group


def distinctive_phrases(theme_texts: list[str] = (), all_texts: list[str] | None = None, n: int = 10, min_count: int = 3,
                        background: Counter | None = None, theme_counts: Counter | None = None) -> list[tuple[str, float, int]]:
    """Phrases used far more in this theme than in the round, by weighted log-odds with a prior.

    Returns (phrase, z-score, number of comments using it); counts are per comment, so one
    long comment cannot make a phrase distinctive. (Monroe, Colaresi and Quinn, 2008.) Pass
    the theme's texts, or their ngram_counts as `theme_counts`.
    """
    in_theme = theme_counts if theme_counts is not None else ngram_counts(theme_texts)
    overall = background if background is not None else ngram_counts(all_texts or [])
    # What `overall - in_theme` would hold, without building it (it is as large as the round's
    # vocabulary, and this runs once per theme): rest[g] = max(overall[g] - in_theme[g], 0).
    n_theme, n_all = sum(in_theme.values()), sum(overall.values())
    n_rest = n_all - sum(min(count, overall[gram]) for gram, count in in_theme.items() if count > 0)
    prior_total = 0.01 * n_all + 1
    scored = []
    for gram, count in in_theme.items():
        if count < min_count:
            continue
        prior = 0.01 * overall[gram] + 0.01
        other = max(overall[gram] - count, 0)
        log_odds = math.log((count + prior) / (n_theme + prior_total - count - prior)) - math.log(
            (other + prior) / (max(n_rest, 1) + prior_total - other - prior)
        )
        variance = 1 / (count + prior) + 1 / (other + prior)
        scored.append((gram, log_odds / math.sqrt(variance), count))
    # At equal scores the longer phrase says more: "mental health crisis" before "crisis".
    scored.sort(key=lambda item: (-round(item[1], 6), -item[0].count(" "), item[0]))
    chosen = []
    for gram, score, count in scored:
        if any(f" {gram} " in f" {kept} " or f" {kept} " in f" {gram} " for kept, _, _ in chosen):
            continue  # "mental health" and "mental health workers": keep one
        chosen.append((gram, round(score, 2), count))
        if len(chosen) == n:
            break
    return chosen


def _vector(text: str, lang: str | None = "en") -> Counter:
    stop_words = _stop_words(lang)
    return Counter(w for w in WORD.findall(text.lower()) if w not in stop_words)


def _norm(vector: Counter) -> float:
    return math.sqrt(sum(v * v for v in vector.values()))


def _cosine(a: Counter, b: Counter, b_norm: float | None = None) -> float:
    """Cosine similarity; pass b's norm when comparing many vectors with the same b."""
    dot = sum(value * b[key] for key, value in a.items() if key in b)
    norm = _norm(a) * (b_norm if b_norm is not None else _norm(b))
    return dot / norm if norm else 0.0


def representative_comments(comments: list[dict], n: int = 5) -> list[dict]:
    """The comments that best stand for a theme: confidently on it, close to what most say.

    comments: [{"id", "text", "score", "duplicate_of"(optional), "lang"(optional, "en" if absent)}].
    A campaign counts once (its first copy), very short and very long comments are passed over
    when others exist. Each language's comments are compared with each other (words of two
    languages hardly meet), and the n quotes are shared among the languages by their part of the
    comments, at least one for a language with MIN_LANGUAGE_SHARE of them.
    """
    pool = [c for c in comments if not c.get("duplicate_of")]
    by_lang = defaultdict(list)
    for comment in pool:
        by_lang[comment.get("lang") or "en"].append(comment)
    ranked = {lang: _ranked(members, lang, n) for lang, members in by_lang.items()}
    quota = _shares({lang: len(members) for lang, members in by_lang.items()}, n)
    chosen = [item for lang, items in ranked.items() for item in items[:quota[lang]]]
    # Slots a language could not fill (too few distinct comments) go to the best of the others.
    spare = sorted((item for lang, items in ranked.items() for item in items[quota[lang]:]), key=lambda item: item[0])
    chosen += spare[:n - len(chosen)]
    return [comment for _, comment in sorted(chosen, key=lambda item: item[0])]


def _ranked(pool: list[dict], lang: str, n: int) -> list[tuple[tuple, dict]]:
    """Up to n of one language's comments, best first, as ((sort key), comment); none two that
    say the same thing in the same words."""
    vectors_of = {id(comment): _vector(comment["text"], lang) for comment in pool}  # each text read once
    centroid = Counter()
    for comment in pool:
        vector = vectors_of[id(comment)]
        total = sum(vector.values()) or 1
        for word, count in vector.items():
            centroid[word] += comment["score"] * count / total

    centroid_norm = _norm(centroid)  # the centroid is large: its norm once, not per comment

    def merit(comment):
        words = len(comment["text"].split())
        length_fit = 1.0 if 12 <= words <= 120 else 0.6
        return comment["score"] * (0.5 + _cosine(vectors_of[id(comment)], centroid, centroid_norm)) * length_fit

    ranked = sorted(((-merit(c), str(c["id"])), c) for c in pool)
    chosen, vectors = [], []
    for key, comment in ranked:
        vector = vectors_of[id(comment)]
        if any(_cosine(vector, other) > 0.8 for other in vectors):
            continue  # two quotes saying the same thing in the same words
        chosen.append((key, comment))
        vectors.append(vector)
        if len(chosen) == n:
            break
    return chosen


def _shares(sizes: dict[str, int], n: int) -> dict[str, int]:
    """n slots shared by the sizes' proportions (largest remainder); a language with
    MIN_LANGUAGE_SHARE of the total takes one from the largest if it got none."""
    total = sum(sizes.values())
    if not total:
        return {}
    exact = {lang: n * size / total for lang, size in sizes.items()}
    quota = {lang: int(share) for lang, share in exact.items()}
    for lang in sorted(exact, key=lambda lang: (quota[lang] - exact[lang], lang))[:n - sum(quota.values())]:
        quota[lang] += 1
    for lang, size in sorted(sizes.items()):
        largest = max(quota, key=lambda other: (quota[other], other))
        if quota[lang] == 0 and size / total >= MIN_LANGUAGE_SHARE and quota[largest] > 1:
            quota[lang], quota[largest] = 1, quota[largest] - 1
    return quota
