"""Agreement between the corpus's labels and a second labeller's, made blind to them.

    python -m nlp.corpus.agreement [--disagreements]

agreement/second_pass_input.jsonl holds comments sampled from the training split (text only);
agreement/second_pass.jsonl the second labeller's themes and stance for each. Reported per theme
and for stance: F1 of one pass against the other, and Cohen's kappa (agreement beyond chance).
"""

import argparse
import json
from pathlib import Path

from ..taxonomy import STANCES, THEME_KEYS

HERE = Path(__file__).parent


def cohen_kappa(first: list, second: list) -> float:
    labels = sorted(set(first) | set(second))
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second)) / n
    expected = sum((first.count(label) / n) * (second.count(label) / n) for label in labels)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def f1(first: list[bool], second: list[bool]) -> float:
    both = sum(a and b for a, b in zip(first, second))
    total = sum(first) + sum(second)
    return 2 * both / total if total else 1.0


def agreement(first: dict[str, dict], second: list[dict]) -> dict:
    """first: id -> the corpus's row; second: the second pass's rows."""
    rows = [(first[row["id"]], row) for row in second]
    themes = {}
    for key in THEME_KEYS:
        a = [key in one["themes"] for one, _ in rows]
        b = [key in two["themes"] for _, two in rows]
        themes[key] = {"f1": round(f1(a, b), 3), "kappa": round(cohen_kappa(a, b), 3), "first": sum(a), "second": sum(b)}
    a, b = [one["stance"] for one, _ in rows], [two["stance"] for _, two in rows]
    per_stance = {label: round(f1([x == label for x in a], [y == label for y in b]), 3) for label in STANCES}
    return {
        "comments": len(rows),
        "themes": themes,
        "theme_macro_f1": round(sum(t["f1"] for t in themes.values()) / len(themes), 3),
        "theme_mean_kappa": round(sum(t["kappa"] for t in themes.values()) / len(themes), 3),
        "stance": {"macro_f1": round(sum(per_stance.values()) / len(per_stance), 3), "per_label_f1": per_stance,
                   "kappa": round(cohen_kappa(a, b), 3), "accuracy": round(sum(x == y for x, y in zip(a, b)) / len(a), 3)},
    }


def load(folder: Path = HERE) -> tuple[dict, list[dict]]:
    first = {}
    for path in sorted((folder / "src" / "train").glob("*.jsonl")):
        from .build import read_source

        first.update({row["id"]: row for row in read_source(path)})
    second = [json.loads(line) for line in (folder / "agreement" / "second_pass.jsonl").read_text(encoding="utf-8").splitlines()]
    return first, second


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.corpus.agreement", description=__doc__.splitlines()[0])
    parser.add_argument("--disagreements", action="store_true", help="also list each comment the passes label differently")
    args = parser.parse_args(argv)
    first, second = load()
    result = agreement(first, second)
    print(f"{result['comments']} comments labelled twice\n\ntheme                      F1     kappa  (first / second pass)")
    for key, t in result["themes"].items():
        print(f"  {key:<25} {t['f1']:.3f}  {t['kappa']:.3f}  ({t['first']} / {t['second']})")
    print(f"  macro F1 {result['theme_macro_f1']:.3f}, mean kappa {result['theme_mean_kappa']:.3f}")
    s = result["stance"]
    print(f"\nstance: macro F1 {s['macro_f1']:.3f}, kappa {s['kappa']:.3f}, accuracy {s['accuracy']:.3f}; per label {s['per_label_f1']}")
    if args.disagreements:
        for row in second:
            one = first[row["id"]]
            if set(one["themes"]) != set(row["themes"]) or one["stance"] != row["stance"]:
                print(f"\n{row['id']} [{one['round']}] first: {sorted(one['themes'])} {one['stance']}; "
                      f"second: {sorted(row['themes'])} {row['stance']}\n  {one['text'][:400]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
