"""Check a corpus source file written by hand, and say what it still lacks.

    python -m nlp.corpus.check nlp/corpus/src/train/en-a.jsonl [--quotas]
    python -m nlp.corpus.check --pii-list phone nlp/corpus/pii/test/phone.jsonl

Errors (bad JSON, unknown labels, a marker left open) name the line and make the exit status 1.
With --quotas, the file is also measured against what one writing pass of 75 comments must hold
(GUIDE.md): every theme, every stance, lengths, registers of personal data, a form-letter campaign.
"""

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from ..taxonomy import PII_KINDS, THEME_KEYS
from .build import CorpusError, read_source, strip_markers

ROUNDS = ("use-of-force", "crisis-response", "school-officers", "surveillance", "oversight-board", "body-cameras",
          "traffic-stops", "public-safety-budget")
WORD = re.compile(r"\w+")

# Per 75 comments; scaled to the file's size.
THEME_MIN = 6
STANCE_SHARE = {"support": 0.2, "oppose": 0.2, "mixed": 0.15, "unclear": 0.17}
NO_THEME_SHARE = (0.07, 0.14)
PII_MIN = {"person_name": 8, "phone": 4, "email": 3, "street_address": 3, "badge_or_case_number": 4,
           "license_plate": 2, "government_id": 2}


def words(text: str) -> int:
    return len(WORD.findall(text))


def quota_problems(rows: list[dict]) -> list[str]:
    n = len(rows)
    scale = n / 75
    problems = []
    themes = Counter(theme for row in rows for theme in row["themes"])
    for key in THEME_KEYS:
        if themes[key] < round(THEME_MIN * scale):
            problems.append(f"theme {key}: {themes[key]} comments, want at least {round(THEME_MIN * scale)}")
    stances = Counter(row["stance"] for row in rows)
    for label, share in STANCE_SHARE.items():
        if stances[label] < share * n:
            problems.append(f"stance {label}: {stances[label]} comments, want at least {share * n:.0f}")
    no_theme = sum(not row["themes"] for row in rows)
    if not NO_THEME_SHARE[0] * n <= no_theme <= NO_THEME_SHARE[1] * n:
        problems.append(f"comments with no theme: {no_theme}, want {NO_THEME_SHARE[0] * n:.0f}-{NO_THEME_SHARE[1] * n:.0f}")
    lengths = [words(row["text"]) for row in rows]
    for label, count, want in (
        ("of at most 6 words", sum(w <= 6 for w in lengths), 3 * scale),
        ("of at most 15 words", sum(w <= 15 for w in lengths), 12 * scale),
        ("of over 120 words", sum(w > 120 for w in lengths), 9 * scale),
        ("of over 200 words", sum(w > 200 for w in lengths), 2 * scale),
    ):
        if count < round(want):
            problems.append(f"comments {label}: {count}, want at least {round(want)}")
    if max(lengths, default=0) > 300 or min(lengths, default=3) < 1:
        problems.append("every comment has 1 to 300 words")
    kinds = Counter(span["kind"] for row in rows for span in row["pii"])
    for kind, want in PII_MIN.items():
        if kinds[kind] < round(want * scale):
            problems.append(f"personal data {kind}: {kinds[kind]} spans, want at least {round(want * scale)}")
    copies = sum(row["duplicate_of"] is not None for row in rows)
    if copies < round(4 * scale):
        problems.append(f"form-letter copies: {copies}, want at least {round(4 * scale)}")
    return problems


def summary(rows: list[dict]) -> str:
    themes = Counter(theme for row in rows for theme in row["themes"])
    stances = Counter(row["stance"] for row in rows)
    kinds = Counter(span["kind"] for row in rows for span in row["pii"])
    lengths = sorted(words(row["text"]) for row in rows)
    return "\n".join([
        f"{len(rows)} comments; languages {dict(Counter(row['lang'] for row in rows))}",
        "themes: " + ", ".join(f"{key} {themes[key]}" for key in THEME_KEYS) + f"; none {sum(not r['themes'] for r in rows)}",
        "stance: " + ", ".join(f"{label} {count}" for label, count in stances.most_common()),
        f"words: min {lengths[0]}, median {lengths[len(lengths) // 2]}, max {lengths[-1]}" if lengths else "words: -",
        "personal data: " + ", ".join(f"{kind} {kinds[kind]}" for kind in PII_KINDS),
        f"form-letter copies: {sum(row['duplicate_of'] is not None for row in rows)}",
    ])


def check_file(path: Path, split: str | None) -> list[dict]:
    rows = read_source(path)
    for number, row in enumerate(rows, start=1):
        try:
            if row.get("round") not in ROUNDS:
                raise CorpusError(f"round must be one of {', '.join(ROUNDS)}")
            if row["lang"] not in ("en", "es"):
                raise CorpusError("lang must be en or es")
            if split and row.get("split") != split:
                raise CorpusError(f"split must be {split!r} (the folder's name)")
        except CorpusError as error:
            raise CorpusError(f"{path.name}:{row['_line']}: {error}") from None
    return rows


def check_pii_list(path: Path, kind: str) -> str:
    """A list of sentences, each holding at least one marked value of kind ("decoys": none)."""
    rows = read_pii_list(path)
    for row in rows:
        kinds = {span["kind"] for span in row["pii"]}
        if kind == "decoys" and kinds:
            raise CorpusError(f"{path.name}:{row['_line']}: a decoy sentence holds no personal data")
        if kind != "decoys" and kind not in kinds:
            raise CorpusError(f"{path.name}:{row['_line']}: no marked {kind}")
    texts = Counter(row["text"] for row in rows)
    repeated = [text for text, count in texts.items() if count > 1]
    if repeated:
        raise CorpusError(f"{path.name}: a sentence is written twice: {repeated[0][:60]!r}")
    values = Counter(row["text"][s["start"]:s["end"]] for row in rows for s in row["pii"] if s["kind"] == kind)
    return f"{len(rows)} sentences, {sum(values.values())} marked {kind} values ({len(values)} distinct)"


def read_pii_list(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("text"), str) or "id" not in row:
                raise CorpusError("a line is an object with an id and a text")
            row["text"], row["pii"] = strip_markers(row["text"])
        except (json.JSONDecodeError, CorpusError) as error:
            raise CorpusError(f"{Path(path).name}:{number}: {error}") from None
        row["_line"] = number
        rows.append(row)
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.corpus.check", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--quotas", action="store_true", help="also measure each file against one writing pass's quotas")
    parser.add_argument("--pii-list", choices=(*PII_KINDS, "decoys"), help="the files are lists of sentences with this kind")
    args = parser.parse_args(argv)
    status = 0
    if args.pii_list:
        for path in args.files:
            try:
                print(f"{path}: {check_pii_list(path, args.pii_list)}")
            except (CorpusError, OSError) as error:
                print(f"error: {error}", file=sys.stderr)
                status = 1
        return status
    for path in args.files:
        try:
            rows = check_file(path, path.parent.name if path.parent.name in ("train", "dev", "test") else None)
        except (CorpusError, OSError) as error:
            print(f"error: {error}", file=sys.stderr)
            status = 1
            continue
        print(f"== {path}\n{summary(rows)}")
        if args.quotas:
            problems = quota_problems(rows)
            print("quotas: met" if not problems else "quotas not met:\n  " + "\n  ".join(problems))
            status = status or bool(problems)
    return status


if __name__ == "__main__":
    sys.exit(main())
