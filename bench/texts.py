"""Realistic text for the benchmarks, from the training split of nlp/corpus (never dev or test).

Benchmarks need more distinct comments than the corpus holds, so these are sentences of the
training comments recombined: the words, lengths and personal data of real writing, in new
combinations (a benchmark measures speed, so their labels do not matter).
"""

import json
import random
import re
from functools import lru_cache
from pathlib import Path

TRAIN = Path(__file__).resolve().parents[1] / "nlp" / "corpus" / "train.jsonl"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@lru_cache(maxsize=1)
def sentences_by_theme() -> dict[str, list[str]]:
    """Each theme's sentences: those of the training comments on that theme (and "none")."""
    groups: dict[str, list[str]] = {}
    for line in TRAIN.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        for sentence in SENTENCE_END.split(row["text"].replace("\n", " ")):
            if len(sentence.split()) >= 3:
                for key in row["themes"] or ["none"]:
                    groups.setdefault(key, []).append(sentence)
    return groups


def comments(count: int, seed: int = 7, words: int = 55) -> list[str]:
    """count comments of about `words` words each, every one a new combination of sentences."""
    rng = random.Random(seed)
    pool = [sentence for group in sentences_by_theme().values() for sentence in group]
    texts = []
    for _ in range(count):
        parts = []
        while sum(len(p.split()) for p in parts) < words:
            parts.append(rng.choice(pool))
        texts.append(" ".join(parts))
    return texts
