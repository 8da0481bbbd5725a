"""What a report quotes: each theme's distinctive phrases and its most representative comments."""

import math
import re
from collections import Counter, defaultdict

from spacy.lang.en.stop_words import STOP_WORDS

WORD = re.compile(r"[a-z][a-z'-]*")


def _ngrams(text: str, sizes=(1, 2, 3)) -> set[str]:
    words = WORD.findall(text.lower())
    # A phrase may not start or end with a stop word: "the budget" says no more than "budget".
    # Each word is looked up once (a summary reads every comment of a round).
    content = [i for i, word in enumerate(words) if word not in STOP_WORDS]
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
    """ngram_counts of all the texts and of each group's, for (text, its groups) pairs: each text
    is read once, however many groups (themes) it is in."""
    overall, by_group = Counter(), defaultdict(Counter)
    for text, groups in items:
        grams = _ngrams(text)
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


def _vector(text: str) -> Counter:
    return Counter(w for w in WORD.findall(text.lower()) if w not in STOP_WORDS)


def _norm(vector: Counter) -> float:
    return math.sqrt(sum(v * v for v in vector.values()))


def _cosine(a: Counter, b: Counter, b_norm: float | None = None) -> float:
    """Cosine similarity; pass b's norm when comparing many vectors with the same b."""
    dot = sum(value * b[key] for key, value in a.items() if key in b)
    norm = _norm(a) * (b_norm if b_norm is not None else _norm(b))
    return dot / norm if norm else 0.0


def representative_comments(comments: list[dict], n: int = 5) -> list[dict]:
    """The comments that best stand for a theme: confidently on it, close to what most say.

    comments: [{"id", "text", "score", "duplicate_of"(optional)}]. A campaign counts once (its
    first copy), very short and very long comments are passed over when others exist.
    """
    pool = [c for c in comments if not c.get("duplicate_of")]
    if not pool:
        return []
    vectors_of = {id(comment): _vector(comment["text"]) for comment in pool}  # each text read once
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

    ranked = sorted(pool, key=lambda c: (-merit(c), str(c["id"])))
    chosen, vectors = [], []
    for comment in ranked:
        vector = vectors_of[id(comment)]
        if any(_cosine(vector, other) > 0.8 for other in vectors):
            continue  # two quotes saying the same thing in the same words
        chosen.append(comment)
        vectors.append(vector)
        if len(chosen) == n:
            break
    return chosen
