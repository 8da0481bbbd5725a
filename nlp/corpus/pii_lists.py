"""Scores the personal-data recognizers on the lists of sentences in corpus/pii/{train,test}.

    python -m nlp.corpus.pii_lists test [--show]

Per kind: the share of marked values found as that kind, and as any kind (what privacy counts:
a value found under another kind is still held and redacted). Per decoy list: the sentences
with a false alarm. --show prints what was missed and every false alarm.
"""

import argparse
from collections import defaultdict
from pathlib import Path

from ..pii import find_pii
from ..taxonomy import PII_KINDS
from .check import read_pii_list

FOLDER = Path(__file__).resolve().parent / "pii"


def _overlap(a: tuple, start: int, end: int) -> bool:
    return a[1] < end and start < a[2]


def score(split: str) -> dict:
    """{"kinds": {kind: {"values", "found", "found_any_kind", "missed"}}, "decoys": {"sentences", "alarms"}}."""
    kinds = {kind: {"values": 0, "found": 0, "found_any_kind": 0, "missed": []} for kind in PII_KINDS}
    decoys: dict = {"sentences": 0, "alarms": []}
    for path in sorted((FOLDER / split).glob("*.jsonl")):
        for row in read_pii_list(path):
            found = find_pii(row["text"])
            if path.stem.startswith("decoys"):
                decoys["sentences"] += 1
                if found:
                    decoys["alarms"].append((row["text"], [row["text"][a:b] for _, a, b in found]))
                continue
            for span in row["pii"]:
                counts = kinds[span["kind"]]
                counts["values"] += 1
                counts["found"] += any(f[0] == span["kind"] and _overlap(f, span["start"], span["end"]) for f in found)
                hidden = any(_overlap(f, span["start"], span["end"]) for f in found)
                counts["found_any_kind"] += hidden
                if not hidden:
                    counts["missed"].append((row["text"][span["start"]:span["end"]], row["text"]))
    return {"kinds": {k: v for k, v in kinds.items() if v["values"]}, "decoys": decoys}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.corpus.pii_lists", description=__doc__.splitlines()[0])
    parser.add_argument("split", choices=sorted(p.name for p in FOLDER.iterdir() if p.is_dir()))
    parser.add_argument("--show", action="store_true", help="print every missed value and false alarm")
    args = parser.parse_args(argv)
    scores = score(args.split)
    totals = defaultdict(int)
    for kind, s in scores["kinds"].items():
        print(f"{kind:<22} found {s['found'] / s['values']:.3f}, as any kind {s['found_any_kind'] / s['values']:.3f}"
              f"  ({s['values']} values)")
        for key in ("values", "found_any_kind"):
            totals[key] += s[key]
        if args.show:
            for value, text in s["missed"]:
                print(f"    missed {value!r}: {text}")
    decoys = scores["decoys"]
    print(f"every kind             as any kind {totals['found_any_kind'] / max(1, totals['values']):.3f}  ({totals['values']} values)")
    print(f"decoys                 {len(decoys['alarms'])} of {decoys['sentences']} sentences with a false alarm")
    if args.show:
        for text, spans in decoys["alarms"]:
            print(f"    alarm {spans}: {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
