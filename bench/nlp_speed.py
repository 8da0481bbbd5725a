"""How fast the nlp pipeline tags comments on one core, against the tokenizer alone.

    OMP_NUM_THREADS=1 python bench/nlp_speed.py [--comments 20000]

Generates varied comments of about 60 words from the sentence bank (seeded), then times the
full pipeline (language, lemmas, lexicons, personal data, both classifiers, near-duplicate
index) and the tokenizer alone on the same texts, and reports peak memory.
"""

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp import load_pipeline  # noqa: E402
from nlp.corpus.generate import DECOYS, load_bank, pii_sentence  # noqa: E402


def comments(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    sentences = [text for key, group in load_bank().items() if not key.startswith("lang:") for _, text, _ in group]
    texts = []
    for _ in range(count):
        parts = []
        while sum(len(p.split()) for p in parts) < 55:
            roll = rng.random()
            parts.append(pii_sentence(rng).replace("{{", "").replace("}}", "") if roll < 0.05 else rng.choice(DECOYS) if roll < 0.1 else rng.choice(sentences))
        texts.append(" ".join(parts))
    return texts


def seconds(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each; the fastest counts")
    args = parser.parse_args()
    texts = comments(args.comments)
    words = sum(len(t.split()) for t in texts) / len(texts)
    tagger = load_pipeline()

    def tokenize():
        for _ in tagger.nlp.tokenizer.pipe(texts, batch_size=1000):
            pass

    def tag():
        # In tag_many's own batches, as `python -m nlp tag` and the app tag.
        return sum(1 for _ in tagger.tag_many({"id": i, "text": t} for i, t in enumerate(texts)))

    # A first untimed pass: the tokenizer adds each new word to the vocabulary once, and
    # whichever ran first would pay for it. The runs then alternate, so both meet the same
    # moments of a shared machine; the fastest of each is reported.
    tagged = tag()
    tokenizer_seconds = full_seconds = float("inf")
    for _ in range(args.repeats):
        tokenizer_seconds = min(tokenizer_seconds, seconds(tokenize))
        full_seconds = min(full_seconds, seconds(tag))

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"comments: {tagged}, mean length {words:.0f} words, one core, fastest of {args.repeats} runs")
    print(f"tokenizer only: {len(texts) / tokenizer_seconds:,.0f} comments/s")
    print(f"full pipeline:  {len(texts) / full_seconds:,.0f} comments/s")
    print(f"full / tokenizer time: {full_seconds / tokenizer_seconds:.1f}x")
    print(f"peak memory: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
