"""The nlp pipeline and the tokenizer under valgrind's cachegrind: counts that do not move with
the machine's load, where wall-clock time here moves by a third.

    for run in "full 0" "full 3000" "tokenizer 0" "tokenizer 3000"; do set -- $run
      PYTHONHASHSEED=0 OMP_NUM_THREADS=1 valgrind --tool=cachegrind --cache-sim=yes \\
        --cachegrind-out-file=/tmp/cg.$1.$2 .venv/bin/python bench/nlp_instructions.py $1 $2
    done
    cg_diff /tmp/cg.full.0 /tmp/cg.full.3000 > /tmp/cg.full && cg_annotate --show=Ir,D1mr,D1mw /tmp/cg.full | head -30

Each run loads the pipeline and tags 3,000 benchmark comments once (every word then in the
vocabulary, as the benchmark's untimed pass), then tags the first COUNT of them again with a
fresh near-duplicate index, or tokenizes them; the difference between COUNT 3000 and COUNT 0
is what those comments cost. Add a path to compare another checkout (`git worktree add`).
"""

import sys
from pathlib import Path

ROOT = Path(sys.argv[3]).resolve() if len(sys.argv) > 3 else Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from nlp import load_pipeline  # noqa: E402  (before nlp_speed, which puts this checkout first)

sys.path.append(str(Path(__file__).resolve().parent))
from nlp_speed import comments  # noqa: E402


def main() -> None:
    mode, count = sys.argv[1], int(sys.argv[2])
    texts = comments(3000)
    tagger = load_pipeline()
    for _ in tagger.tag_many({"id": number, "text": text} for number, text in enumerate(texts)):
        pass
    if mode == "full":
        for _ in tagger.tag_many({"id": number, "text": text} for number, text in enumerate(texts[:count])):
            pass
    else:
        for _ in tagger.nlp.tokenizer.pipe(texts[:count], batch_size=1000):
            pass


if __name__ == "__main__":
    main()
