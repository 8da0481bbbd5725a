"""Scores of tagged comments against gold labels: themes, stance, personal data, near-duplicates.

Themes and stance are scored on English and Spanish comments together, and on each language
apart. Personal data is scored per kind and in two groups: the pattern kinds (emails, phone,
badge and case numbers, plates, ids) and names and addresses, and over every kind as privacy
counts it: a span caught under any kind is held and redacted. With `intervals`, each headline
figure comes with a bootstrap 95% interval (comments resampled with replacement).
"""

import random
from itertools import combinations

from .taxonomy import PII_KINDS, STANCES

READ_LANGUAGES = ("en", "es")
PATTERN_KINDS = ("email", "phone", "badge_or_case_number", "license_plate", "government_id")
NAME_KINDS = ("person_name", "street_address")
BOOTSTRAP_SAMPLES = 1000
CALIBRATION_BINS = 10


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


def _pii_counts(gold: list[dict], predicted: list[dict], kinds) -> dict:
    """[tp, fp, fn] per kind, exactly and by overlap."""
    result = {}
    for kind in kinds:
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
        result[kind] = counts
    return result


def pii_scores(gold: list[dict], predicted: list[dict]) -> dict:
    counts = _pii_counts(gold, predicted, PII_KINDS)
    result = {kind: {mode: _prf(*values) for mode, values in modes.items()} for kind, modes in counts.items()}
    for group, kinds in (("pattern_kinds", PATTERN_KINDS), ("names_and_addresses", NAME_KINDS), ("all_kinds", PII_KINDS)):
        summed = [sum(counts[kind]["overlap"][i] for kind in kinds) for i in range(3)]
        result[group] = {"overlap": _prf(*summed)}
    # What privacy asks: a comment is held and the span redacted whatever kind the finder named it.
    spans = [(s, p.get("pii", [])) for g, p in zip(gold, predicted) for s in g.get("pii", [])]
    caught = sum(any(s["start"] < f["end"] and f["start"] < s["end"] for f in found) for s, found in spans)
    result["any_kind"] = {"recall": round(caught / len(spans), 4) if spans else 0.0, "support": len(spans)}
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


def calibration_error(gold: list[dict], predicted: list[dict], keys) -> float | None:
    """Expected calibration error of theme_scores: over every (comment, theme), the gap between
    the mean score and the share that is right, in ten bins of score, weighted by their size."""
    pairs = [(p.get("theme_scores", {}).get(key, 0.0), key in g["themes"]) for g, p in zip(gold, predicted) for key in keys]
    if not pairs or not any(p.get("theme_scores") for p in predicted):
        return None
    bins: list[list] = [[] for _ in range(CALIBRATION_BINS)]
    for score, truth in pairs:
        bins[min(int(score * CALIBRATION_BINS), CALIBRATION_BINS - 1)].append((score, truth))
    gap = sum(abs(sum(s for s, _ in b) / len(b) - sum(t for _, t in b) / len(b)) * len(b) for b in bins if b)
    return round(gap / len(pairs), 4)


def _headline(gold: list[dict], predicted: list[dict], keys) -> dict:
    read = [(g, p) for g, p in zip(gold, predicted) if g.get("lang", "en") in READ_LANGUAGES]
    gold_read, predicted_read = [g for g, _ in read], [p for _, p in read]
    pii = pii_scores(gold, predicted)
    return {
        "theme_macro_f1": theme_scores(gold_read, predicted_read, keys)["macro_f1"],
        "stance_macro_f1": stance_scores(gold_read, predicted_read)["macro_f1"],
        "pii_pattern_recall": pii["pattern_kinds"]["overlap"]["recall"],
        "pii_names_addresses_recall": pii["names_and_addresses"]["overlap"]["recall"],
        "pii_precision": pii["all_kinds"]["overlap"]["precision"],
        "duplicate_f1": duplicate_scores(gold, predicted)["f1"],
    }


def intervals(gold: list[dict], predicted: list[dict], keys, samples: int = BOOTSTRAP_SAMPLES, seed: int = 7) -> dict:
    """A bootstrap 95% interval of each headline figure: comments drawn with replacement, the
    figure computed on each draw, the 2.5th and 97.5th percentiles. A form letter's copies are
    drawn as one unit, each drawn unit's ids made its own, so near-duplicate pairs stay whole."""
    groups: dict = {}
    for g, p in zip(gold, predicted):
        groups.setdefault(g.get("duplicate_of") or g["id"], []).append((g, p))
    units = list(groups.values())
    rng = random.Random(seed)
    draws: dict[str, list[float]] = {}
    for _ in range(samples):
        chosen = []
        for number in range(len(units)):
            unit = rng.choice(units)
            own = {str(g["id"]) for g, _ in unit}

            def renamed(row, own=own, number=number):
                target = row.get("duplicate_of")
                return {**row, "id": f"{row['id']}#{number}",
                        "duplicate_of": f"{target}#{number}" if target is not None and str(target) in own else target}

            chosen += [(renamed(g), renamed(p)) for g, p in unit]
        for name, value in _headline([g for g, _ in chosen], [p for _, p in chosen], keys).items():
            draws.setdefault(name, []).append(value)
    result = {}
    for name, values in draws.items():
        values.sort()
        result[name] = (round(values[int(0.025 * len(values))], 3), round(values[int(0.975 * len(values)) - 1], 3))
    return result


def evaluate(gold: list[dict], predicted: list[dict], theme_keys, with_intervals: bool = False) -> dict:
    """Compare two lists aligned by position. Themes and stance count English and Spanish comments
    (together, and per language); comments in other languages go to a person instead."""
    by_language = {}
    for lang in READ_LANGUAGES:
        pairs = [(g, p) for g, p in zip(gold, predicted) if g.get("lang", "en") == lang]
        if pairs:
            gold_lang, predicted_lang = [g for g, _ in pairs], [p for _, p in pairs]
            by_language[lang] = {"comments": len(pairs),
                                 "theme_macro_f1": theme_scores(gold_lang, predicted_lang, theme_keys)["macro_f1"],
                                 "stance_macro_f1": stance_scores(gold_lang, predicted_lang)["macro_f1"]}
    read = [(g, p) for g, p in zip(gold, predicted) if g.get("lang", "en") in READ_LANGUAGES]
    gold_read, predicted_read = [g for g, _ in read], [p for _, p in read]
    scores = {
        "comments": len(gold),
        "themes": theme_scores(gold_read, predicted_read, theme_keys),
        "stance": stance_scores(gold_read, predicted_read),
        "by_language": by_language,
        "calibration_error": calibration_error(gold_read, predicted_read, theme_keys),
        "pii": pii_scores(gold, predicted),
        "duplicates": duplicate_scores(gold, predicted),
        "other_languages_flagged": _prf(
            sum(g.get("lang", "en") not in READ_LANGUAGES and p.get("needs_human_review", False) for g, p in zip(gold, predicted)),
            sum(g.get("lang", "en") in READ_LANGUAGES and p.get("needs_human_review", False) for g, p in zip(gold, predicted)),
            sum(g.get("lang", "en") not in READ_LANGUAGES and not p.get("needs_human_review", False) for g, p in zip(gold, predicted)),
        ),
    }
    if with_intervals:
        scores["intervals"] = intervals(gold, predicted, theme_keys)
    return scores


def format_report(scores: dict) -> str:
    ci = scores.get("intervals", {})

    def with_ci(name: str, value: float) -> str:
        return f"{value:.3f}" + (f" [{ci[name][0]:.3f}, {ci[name][1]:.3f}]" if name in ci else "")

    lines = [f"{scores['comments']} comments", "", "Themes            precision  recall  f1     support"]
    for key, s in scores["themes"]["per_theme"].items():
        lines.append(f"  {key:<26} {s['precision']:.3f}  {s['recall']:.3f}  {s['f1']:.3f}  {s['support']}")
    lines.append(f"  micro F1 {scores['themes']['micro_f1']:.3f}   macro F1 {with_ci('theme_macro_f1', scores['themes']['macro_f1'])}")
    if scores.get("calibration_error") is not None:
        lines.append(f"  calibration error of theme scores (ECE, 10 bins) {scores['calibration_error']:.3f}")
    st = scores["stance"]
    lines += ["", f"Stance: accuracy {st['accuracy']:.3f}, macro F1 {with_ci('stance_macro_f1', st['macro_f1'])}; per label "
              + ", ".join(f"{label} {s['f1']:.3f}" for label, s in st["per_label"].items())]
    for lang, s in scores["by_language"].items():
        lines.append(f"  {lang}: {s['comments']} comments, theme macro F1 {s['theme_macro_f1']:.3f}, stance macro F1 {s['stance_macro_f1']:.3f}")
    lines += ["", "Personal data     exact P/R        overlap P/R      support"]
    for kind in PII_KINDS:
        e, o = scores["pii"][kind]["exact"], scores["pii"][kind]["overlap"]
        lines.append(f"  {kind:<22} {e['precision']:.3f}/{e['recall']:.3f}    {o['precision']:.3f}/{o['recall']:.3f}    {e['support']}")
    pattern, names = scores["pii"]["pattern_kinds"]["overlap"], scores["pii"]["names_and_addresses"]["overlap"]
    lines.append(f"  pattern kinds: recall {with_ci('pii_pattern_recall', pattern['recall'])}, precision {pattern['precision']:.3f}")
    lines.append(f"  names and addresses: recall {with_ci('pii_names_addresses_recall', names['recall'])}, precision {names['precision']:.3f}")
    lines.append(f"  every kind: precision {with_ci('pii_precision', scores['pii']['all_kinds']['overlap']['precision'])}, "
                 f"recall of spans caught as any kind {scores['pii']['any_kind']['recall']:.3f}")
    d = scores["duplicates"]
    lines += ["", f"Near-duplicates (pairs): precision {d['precision']:.3f}, recall {d['recall']:.3f}, F1 {with_ci('duplicate_f1', d['f1'])}"]
    n = scores["other_languages_flagged"]
    lines.append(f"Other languages flagged for people: precision {n['precision']:.3f}, recall {n['recall']:.3f}")
    return "\n".join(lines)
