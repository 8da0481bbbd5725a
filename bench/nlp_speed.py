"""How fast the nlp pipeline tags comments on one core, against the tokenizer alone.

    OMP_NUM_THREADS=1 python bench/nlp_speed.py [--comments 20000]

Makes varied comments of about 60 words from the training split's sentences (bench/texts.py), then times the
full pipeline (language, lemmas, lexicons, personal data, both classifiers, near-duplicate
index) and the tokenizer alone on the same texts, and reports peak memory.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp import load_pipeline  # noqa: E402
from nlp.duplicates import DuplicateIndex  # noqa: E402
from texts import comments  # noqa: E402


def seconds(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over all comments; the median is reported")
    parser.add_argument("--chunk", type=int, default=2_000, help="comments timed by each, tokenizer then pipeline, in turn")
    args = parser.parse_args()
    texts = comments(args.comments)
    words = sum(len(t.split()) for t in texts) / len(texts)
    tagger = load_pipeline()
    records = [{"id": number, "text": text} for number, text in enumerate(texts)]
    chunks = [records[start : start + args.chunk] for start in range(0, len(records), args.chunk)]

    def tokenize(chunk):
        for _ in tagger.nlp.tokenizer.pipe((record["text"] for record in chunk), batch_size=1000):
            pass

    def tag(chunk, index):
        # In tag_many's own batches, as `python -m nlp tag` and the app tag, with one
        # near-duplicate index for the whole run (the ids tell the comments of each chunk apart).
        for _ in tagger.tag_many(chunk, duplicates=index):
            pass

    # A first untimed pass: the tokenizer adds each new word to the vocabulary once, and
    # whichever ran first would pay for it. Then each chunk is tokenized and tagged in turn,
    # so that both meet the same moments of a shared machine (its speed moved by a third
    # between runs), and the round's ratio compares like with like.
    tag(records, DuplicateIndex())
    rounds = []
    for _ in range(args.rounds):
        index, tokenizer_seconds, full_seconds = DuplicateIndex(), 0.0, 0.0
        for chunk in chunks:
            tokenizer_seconds += seconds(lambda: tokenize(chunk))
            full_seconds += seconds(lambda: tag(chunk, index))
        rounds.append((full_seconds / tokenizer_seconds, tokenizer_seconds, full_seconds))
    rounds.sort()
    ratio, tokenizer_seconds, full_seconds = rounds[len(rounds) // 2]

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"comments: {len(texts):,}, mean length {words:.0f} words, one core, median of {args.rounds} rounds")
    print(f"tokenizer only: {len(texts) / tokenizer_seconds:,.0f} comments/s")
    print(f"full pipeline:  {len(texts) / full_seconds:,.0f} comments/s")
    print(f"full / tokenizer time: {ratio:.1f}x (rounds: {', '.join(f'{r:.2f}' for r, _, _ in rounds)})")
    print(f"peak memory: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
