"""`python -m nlp tag` on a long stream: lines per second and peak memory, which should stay flat.

    .venv/bin/python bench/nlp_tag_memory.py --lines 100000 1000000

For each size, writes that many comments of about 60 words (bench/nlp_speed.py's generator, with
30% copies of five form letters), tags them with the command line as a user would, and reports
its wall-clock rate and peak resident memory.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from nlp_speed import comments  # noqa: E402

LETTERS = [" ".join(comments(1, seed=100 + n)[0].split()[:70]) for n in range(5)]


def write_input(path: Path, lines: int) -> None:
    rng = random.Random(11)
    distinct = comments(20_000)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(lines):
            if rng.random() < 0.3:
                text = f"Dear Council, {rng.choice(LETTERS)} Signed, resident {i}"
            else:  # 20,000 generated comments, each shuffled anew: distinct texts, however many lines
                words = rng.choice(distinct).split()
                rng.shuffle(words)
                text = " ".join(words)
            out.write(json.dumps({"id": i, "text": text}) + "\n")


def run_measured(command: list[str]) -> tuple[float, float]:
    """Run a command from the project folder; its wall-clock seconds and peak resident memory (MB)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for lines in args.lines:
            source, tagged = Path(folder) / "in.jsonl", Path(folder) / "out.jsonl"
            write_input(source, lines)
            seconds, peak = run_measured([sys.executable, "-m", "nlp", "tag", "--input", str(source),
                                        "--output", str(tagged)])
            copies = sum(json.loads(line)["duplicate_of"] is not None for line in open(tagged))
            print(f"{lines:>9,} lines: {seconds:6.0f} s ({lines / seconds:,.0f} lines/s), peak memory {peak:,.0f} MB, "
                  f"{copies:,} marked as copies")


if __name__ == "__main__":
    main()
