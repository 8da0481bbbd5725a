"""Build nlp/corpus/train.jsonl, dev.jsonl and test.jsonl from the labelled sources in src/.

    python -m nlp.corpus.build

Each split has its own folder of sources, src/train/, src/dev/ and src/test/, written in
separate passes (GUIDE.md): a comment's split is the folder it was written in. A source line:
{"id", "text", "themes", "stance", "lang", "duplicate_of", "round", "split"}, with personal data
marked inside the text as {{kind:surface}}. The built line has the plain text and the spans:
"pii": [{"kind", "start", "end"}]. A copy of a form letter names an earlier comment of its own file.
"""

import json
import re
import sys
from pathlib import Path

from ..taxonomy import PII_KINDS, STANCES, THEME_KEYS

HERE = Path(__file__).parent
SPLITS = ("train", "dev", "test")
MARKER = re.compile(r"\{\{(?P<kind>[a-z_]+):(?P<surface>[^{}]+)\}\}")
REQUIRED = ("id", "text", "themes", "stance", "lang", "duplicate_of")
KEPT = (*REQUIRED, "round", "pii")


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
        if surface != surface.strip():
            raise CorpusError(f"a marked {kind} starts or ends with a space")
        spans.append({"kind": kind, "start": offset, "end": offset + len(surface)})
        text.append(surface)
        offset += len(surface)
        position = match.end()
    text.append(marked[position:])
    plain = "".join(text)
    if "{{" in plain or "}}" in plain:
        raise CorpusError("a personal-data marker is not closed")
    return plain, spans


def check_row(row: dict, seen: set[str]) -> None:
    if not isinstance(row, dict):
        raise CorpusError("a line must be a JSON object")
    missing = [key for key in REQUIRED if key not in row]
    if missing:
        raise CorpusError(f"missing {', '.join(missing)}")
    if not isinstance(row["text"], str) or not row["text"].strip():
        raise CorpusError("text must be a non-empty string")
    if row["id"] in seen:
        raise CorpusError(f"duplicate id {row['id']!r}")
    if not isinstance(row["themes"], list) or len(set(row["themes"])) != len(row["themes"]):
        raise CorpusError("themes must be a list without repeats")
    unknown = set(row["themes"]) - set(THEME_KEYS)
    if unknown:
        raise CorpusError(f"unknown theme {sorted(unknown)[0]!r}")
    if row["stance"] not in STANCES:
        raise CorpusError(f"unknown stance {row['stance']!r}")
    if row["duplicate_of"] is not None and row["duplicate_of"] not in seen:
        raise CorpusError(f"duplicate_of {row['duplicate_of']!r} is not an earlier id of this file")


def read_source(path: Path, seen: set[str] | None = None) -> list[dict]:
    """A source file's rows, checked, with plain text and spans; "_line" is each row's line number."""
    rows, seen, own = [], set() if seen is None else seen, set()
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            check_row(row, own)
            if row["id"] in seen:
                raise CorpusError(f"duplicate id {row['id']!r} (used by another file)")
            row["text"], row["pii"] = strip_markers(row["text"])
        except (json.JSONDecodeError, CorpusError, TypeError) as error:
            raise CorpusError(f"{Path(path).name}:{number}: {error}") from None
        row["_line"] = number
        own.add(row["id"])
        rows.append(row)
    seen |= own
    return rows


def read_split(folder: Path, seen: set[str]) -> list[dict]:
    return [row for path in sorted(folder.glob("*.jsonl")) for row in read_source(path, seen)]


def build(source: Path = HERE / "src", output: Path = HERE) -> dict[str, int]:
    seen: set[str] = set()
    splits = {name: read_split(source / name, seen) for name in SPLITS}
    for name, rows in splits.items():
        with (output / f"{name}.jsonl").open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps({key: row.get(key) for key in KEPT}, ensure_ascii=False) + "\n")
    return {name: len(rows) for name, rows in splits.items()}


def main() -> int:
    try:
        counts = build()
    except (CorpusError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(", ".join(f"{name}: {count} comments" for name, count in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
