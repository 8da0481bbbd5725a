"""Scores of tagged comments against gold labels: themes, stance, personal data, near-duplicates."""

from itertools import combinations

from .taxonomy import PII_KINDS, STANCES


def _prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "support": tp + fn}


def theme_scores(gold: list[dict], predicted: list[dict], keys) -> dict:
    per_theme, totals = {}, [0, 0, 0]
    for key in keys:
        tp = sum(key in g["themes"] and key in p["themes"] for g, p in zip(gold, predicted))
        fp = sum(key not in g["themes"] and key in p["themes"] for g, p in zip(gold, predicted))
        fn = sum(key in g["themes"] and key not in p["themes"] for g, p in zip(gold, predicted))
        per_theme[key] = _prf(tp, fp, fn)
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
    macro = sum(s["f1"] for s in per_theme.values()) / len(per_theme)
    return {"per_theme": per_theme, "micro_f1": _prf(*totals)["f1"], "macro_f1": round(macro, 4)}


def stance_scores(gold: list[dict], predicted: list[dict]) -> dict:
    accuracy = sum(g["stance"] == p["stance"] for g, p in zip(gold, predicted)) / max(len(gold), 1)
    per_label = {}
    for label in STANCES:
        tp = sum(g["stance"] == label == p["stance"] for g, p in zip(gold, predicted))
        fp = sum(g["stance"] != label == p["stance"] for g, p in zip(gold, predicted))
        fn = sum(p["stance"] != label == g["stance"] for g, p in zip(gold, predicted))
        per_label[label] = _prf(tp, fp, fn)
    macro = sum(s["f1"] for s in per_label.values()) / len(per_label)
    return {"accuracy": round(accuracy, 4), "macro_f1": round(macro, 4), "per_label": per_label}


def _overlaps(a: dict, b: dict) -> bool:
    return a["kind"] == b["kind"] and a["start"] < b["end"] and b["start"] < a["end"]


def pii_scores(gold: list[dict], predicted: list[dict]) -> dict:
    result = {}
    for kind in PII_KINDS:
        counts = {"exact": [0, 0, 0], "overlap": [0, 0, 0]}
        for g, p in zip(gold, predicted):
            gold_spans = [s for s in g.get("pii", []) if s["kind"] == kind]
            found = [s for s in p.get("pii", []) if s["kind"] == kind]
            exact = {(s["start"], s["end"]) for s in gold_spans} & {(s["start"], s["end"]) for s in found}
            counts["exact"][0] += len(exact)
            counts["exact"][1] += len(found) - len(exact)
            counts["exact"][2] += len(gold_spans) - len(exact)
            hit_gold = sum(any(_overlaps(s, f) for f in found) for s in gold_spans)
            hit_found = sum(any(_overlaps(f, s) for s in gold_spans) for f in found)
            counts["overlap"][0] += hit_gold
            counts["overlap"][1] += len(found) - hit_found
            counts["overlap"][2] += len(gold_spans) - hit_gold
        result[kind] = {mode: _prf(*values) for mode, values in counts.items()}
    return result


def _pairs(rows: list[dict]) -> set[frozenset]:
    """Every pair of comments in the same near-duplicate group."""
    groups: dict = {}
    for row in rows:
        groups.setdefault(row["duplicate_of"] or row["id"], []).append(row["id"])
    return {frozenset(pair) for members in groups.values() for pair in combinations(members, 2)}


def duplicate_scores(gold: list[dict], predicted: list[dict]) -> dict:
    gold_pairs, found_pairs = _pairs(gold), _pairs(predicted)
    tp = len(gold_pairs & found_pairs)
    return _prf(tp, len(found_pairs) - tp, len(gold_pairs) - tp)


def evaluate(gold: list[dict], predicted: list[dict], theme_keys) -> dict:
    """Compare two lists aligned by position; theme and stance scores count English comments only."""
    english = [(g, p) for g, p in zip(gold, predicted) if g.get("lang", "en") == "en"]
    gold_en, predicted_en = [g for g, _ in english], [p for _, p in english]
    return {
        "comments": len(gold),
        "themes": theme_scores(gold_en, predicted_en, theme_keys),
        "stance": stance_scores(gold_en, predicted_en),
        "pii": pii_scores(gold, predicted),
        "duplicates": duplicate_scores(gold, predicted),
        "non_english_flagged": _prf(
            sum(g.get("lang", "en") != "en" and p.get("needs_human_review", False) for g, p in zip(gold, predicted)),
            sum(g.get("lang", "en") == "en" and p.get("needs_human_review", False) for g, p in zip(gold, predicted)),
            sum(g.get("lang", "en") != "en" and not p.get("needs_human_review", False) for g, p in zip(gold, predicted)),
        ),
    }


def format_report(scores: dict) -> str:
    lines = [f"{scores['comments']} comments", "", "Themes            precision  recall  f1     support"]
    for key, s in scores["themes"]["per_theme"].items():
        lines.append(f"  {key:<26} {s['precision']:.3f}  {s['recall']:.3f}  {s['f1']:.3f}  {s['support']}")
    lines.append(f"  micro F1 {scores['themes']['micro_f1']:.3f}   macro F1 {scores['themes']['macro_f1']:.3f}")
    st = scores["stance"]
    lines += ["", f"Stance: accuracy {st['accuracy']:.3f}, macro F1 {st['macro_f1']:.3f}", "",
              "Personal data     exact P/R        overlap P/R      support"]
    for kind, s in scores["pii"].items():
        e, o = s["exact"], s["overlap"]
        lines.append(f"  {kind:<22} {e['precision']:.3f}/{e['recall']:.3f}    {o['precision']:.3f}/{o['recall']:.3f}    {e['support']}")
    d = scores["duplicates"]
    lines += ["", f"Near-duplicates (pairs): precision {d['precision']:.3f}, recall {d['recall']:.3f}, F1 {d['f1']:.3f}"]
    n = scores["non_english_flagged"]
    lines.append(f"Non-English flagged for people: precision {n['precision']:.3f}, recall {n['recall']:.3f}")
    return "\n".join(lines)
