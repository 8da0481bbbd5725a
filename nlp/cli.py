"""`python -m nlp tag | evaluate | train`: the command-line contract of ../shared/THEMES.md."""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from .duplicates import DuplicateIndex
from .evaluate import evaluate, format_report

BATCH = 1000


class InputError(Exception):
    """Bad input; the message names the file and line."""


def read_records(path: Path):
    """Yield (line number, record) from a JSON-lines file, refusing anything malformed."""
    seen_any = False
    with open(path, "rb") as stream:
        for number, raw in enumerate(stream, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError(f"{path}:{number}: not UTF-8 text") from None
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(f"{path}:{number}: invalid JSON ({error.msg})") from None
            if not isinstance(record, dict) or "id" not in record:
                raise InputError(f"{path}:{number}: each line must be a JSON object with an \"id\"")
            if not isinstance(record.get("text"), str):
                raise InputError(f"{path}:{number}: missing \"text\" (a string)")
            seen_any = True
            yield number, record
    if not seen_any:
        raise InputError(f"{path}: the file is empty")


def _progress(total_hint=None):
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total_hint, unit=" comments", file=sys.stderr)


def _batches(records, size):
    batch = []
    for _, record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def tag_file(input_path: Path, output_path: Path, themes_file=None) -> int:
    """Tag every line; the output appears only when all of it is written."""
    from .pipeline import load_pipeline

    tagger = load_pipeline(themes_file=themes_file)
    index = DuplicateIndex(on_disk=True)  # on disk: it is what would grow with a file of millions of lines
    progress = _progress()
    count = 0
    output_path = Path(output_path)
    handle, temporary = tempfile.mkstemp(dir=output_path.parent or ".", prefix=f".{output_path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for batch in _batches(read_records(input_path), BATCH):
                for result in tagger.tag_many(batch, duplicates=index):
                    out.write(json.dumps(result, ensure_ascii=False) + "\n")
                count += len(batch)
                if progress:
                    progress.update(len(batch))
        os.replace(temporary, output_path)
    except BaseException:
        os.unlink(temporary)
        raise
    finally:
        index.close()
        if progress:
            progress.close()
    return count


def _load_all(path: Path) -> list[dict]:
    return [record for _, record in read_records(path)]


def evaluate_files(gold_path: Path, input_path: Path, with_intervals: bool = False) -> dict:
    from .taxonomy import THEME_KEYS

    gold = _load_all(gold_path)
    tagged = {str(record["id"]): record for _, record in read_tagged(input_path)}
    missing = [g["id"] for g in gold if str(g["id"]) not in tagged]
    if missing:
        raise InputError(f"{input_path}: no tagged line for id {missing[0]!r} of the gold file")
    predicted = [tagged[str(g["id"])] for g in gold]
    return evaluate(gold, predicted, THEME_KEYS, with_intervals=with_intervals)


def read_tagged(path: Path):
    """Tagged output has no "text"; check only that each line is an object with an id."""
    with open(path, "rb") as stream:
        for number, raw in enumerate(stream, start=1):
            try:
                record = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise InputError(f"{path}:{number}: not a JSON line") from None
            if not isinstance(record, dict) or "id" not in record:
                raise InputError(f"{path}:{number}: each line must be a JSON object with an \"id\"")
            yield number, record


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp", description="Tag residents' comments; evaluate; train.")
    commands = parser.add_subparsers(dest="command", required=True)
    tag = commands.add_parser("tag", help="tag a JSON-lines file of comments")
    tag.add_argument("--input", required=True, type=Path)
    tag.add_argument("--output", required=True, type=Path)
    tag.add_argument("--themes", type=Path, help="JSON file of round-specific themes")
    ev = commands.add_parser("evaluate", help="score tagged comments against gold labels")
    ev.add_argument("--gold", required=True, type=Path)
    ev.add_argument("--input", required=True, type=Path)
    ev.add_argument("--json", action="store_true", help="print machine-readable JSON")
    ev.add_argument("--intervals", action="store_true", help="bootstrap 95%% intervals of the headline figures")
    tr = commands.add_parser("train", help="train the classifiers on the corpus (and corrections)")
    tr.add_argument("--extra", type=Path, action="append", default=[], help="more labelled comments, e.g. corrections")
    tr.add_argument("--output", type=Path, default=None)
    commands.add_parser("build-corpus", help="rebuild nlp/corpus/train.jsonl, dev.jsonl and test.jsonl from nlp/corpus/src")
    args = parser.parse_args(argv)

    try:
        if args.command == "tag":
            count = tag_file(args.input, args.output, args.themes)
            print(f"tagged {count} comments into {args.output}", file=sys.stderr)
        elif args.command == "evaluate":
            scores = evaluate_files(args.gold, args.input, args.intervals)
            print(json.dumps(scores, indent=1) if args.json else format_report(scores))
        elif args.command == "train":
            from .pipeline import MODEL_DIR
            from .train import train

            for path in args.extra:
                _load_all(path)  # refuse malformed corrections before spending minutes training
            scores = train(args.extra, args.output or MODEL_DIR, log=lambda line: print(line, file=sys.stderr))
            print(format_report(scores))
        elif args.command == "build-corpus":
            from .corpus.build import main as build_main

            return build_main()
    except (InputError, ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0
