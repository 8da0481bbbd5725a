"""Build nlp/corpus/train.jsonl and dev.jsonl from the labelled sources in nlp/corpus/src/.

    python -m nlp.corpus.build

A source line: {"id", "text", "themes", "stance", "lang", "duplicate_of"[, "split"]}, with
personal data marked inside the text as {{kind:surface}}. The built line has the plain text
and the spans: "pii": [{"kind", "start", "end"}]. Copies of a form letter go to the same
split as their first copy; without an explicit "split", a stable hash of that first copy's id
decides, so the split never changes when lines are added.
"""

import hashlib
import json
import re
import sys
from pathlib import Path

from ..taxonomy import PII_KINDS, STANCES, THEME_KEYS

HERE = Path(__file__).parent
MARKER = re.compile(r"\{\{(?P<kind>[a-z_]+):(?P<surface>[^{}]+)\}\}")
REQUIRED = ("id", "text", "themes", "stance", "lang", "duplicate_of")


class CorpusError(ValueError):
    pass


def strip_markers(marked: str) -> tuple[str, list[dict]]:
    """Plain text and the character spans of its {{kind:surface}} markers."""
    text, spans, position = [], [], 0
    offset = 0
    for match in MARKER.finditer(marked):
        text.append(marked[position:match.start()])
        offset += match.start() - position
        kind, surface = match.group("kind"), match.group("surface")
        if kind not in PII_KINDS:
            raise CorpusError(f"unknown personal-data kind {kind!r}")
        spans.append({"kind": kind, "start": offset, "end": offset + len(surface)})
        text.append(surface)
        offset += len(surface)
        position = match.end()
    text.append(marked[position:])
    plain = "".join(text)
    if "{{" in plain or "}}" in plain:
        raise CorpusError("a personal-data marker is not closed")
    return plain, spans


def _check(row: dict, seen: set[str]) -> None:
    missing = [key for key in REQUIRED if key not in row]
    if missing:
        raise CorpusError(f"missing {', '.join(missing)}")
    if row["id"] in seen:
        raise CorpusError(f"duplicate id {row['id']!r}")
    unknown = set(row["themes"]) - set(THEME_KEYS)
    if unknown:
        raise CorpusError(f"unknown theme {sorted(unknown)[0]!r}")
    if row["stance"] not in STANCES:
        raise CorpusError(f"unknown stance {row['stance']!r}")
    if row["duplicate_of"] is not None and row["duplicate_of"] not in seen:
        raise CorpusError(f"duplicate_of {row['duplicate_of']!r} is not an earlier id")
    if row.get("split") not in (None, "train", "dev"):
        raise CorpusError("split must be train or dev")


def read_sources(folder: Path) -> list[dict]:
    rows, seen = [], set()
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                _check(row, seen)
                row["text"], row["pii"] = strip_markers(row["text"])
            except (json.JSONDecodeError, CorpusError, TypeError) as error:
                raise CorpusError(f"{path.name}:{number}: {error}") from None
            seen.add(row["id"])
            rows.append(row)
    return rows


def assign_splits(rows: list[dict]) -> dict[str, list[dict]]:
    by_id = {row["id"]: row for row in rows}
    splits = {"train": [], "dev": []}
    for row in rows:
        root = by_id[row["duplicate_of"]] if row["duplicate_of"] else row
        split = root.get("split") or ("dev" if int(hashlib.sha1(root["id"].encode()).hexdigest(), 16) % 5 == 0 else "train")
        splits[split].append({key: row[key] for key in (*REQUIRED, "pii")})
    return splits


def build(source: Path = HERE / "src", output: Path = HERE) -> dict[str, int]:
    splits = assign_splits(read_sources(source))
    for name, rows in splits.items():
        with (output / f"{name}.jsonl").open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return {name: len(rows) for name, rows in splits.items()}


def main() -> int:
    try:
        counts = build()
    except CorpusError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(", ".join(f"{name}: {count} comments" for name, count in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
