"""`python -m nlp tag` and `evaluate`: the contract, streaming output, and bad input."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return subprocess.run([sys.executable, "-m", "nlp", *map(str, args)], capture_output=True, text=True, cwd=ROOT)


def write_lines(path, lines):
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


def test_tag_writes_one_line_per_input_in_order(tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    letter = ("We urge the Council to ban chokeholds, require a duty to intervene and publish use of force data every "
              "quarter, so that residents can see for themselves whether the new rules are followed on our streets.")
    write_lines(source, [{"id": 7, "text": letter}, {"id": "x", "text": "Call me at 555-201-3344."}, {"id": 9, "text": "Dear Council, " + letter}])
    result = run("tag", "--input", source, "--output", target)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert [line["id"] for line in lines] == [7, "x", 9]
    assert lines[1]["pii"] == [{"kind": "phone", "start": 11, "end": 23}]
    assert lines[2]["duplicate_of"] == 7  # the id as given, not turned into a string
    assert "use_of_force" in lines[0]["themes"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b'{"id": 1, "text": "fine"}\n{"id": 2, "text": \n', "in.jsonl:2: invalid JSON"),
        (b'{"id": 1, "text": "fine"}\n{"id": 2}\n', "in.jsonl:2: missing \"text\""),
        (b'{"id": 1, "text": "caf\xe9"}\n', "in.jsonl:1: not UTF-8"),
        (b"", "the file is empty"),
        (b'["not", "an object"]\n', "in.jsonl:1: each line must be a JSON object"),
    ],
)
def test_bad_input_names_the_line_and_writes_nothing(tmp_path, content, message):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_bytes(content)
    result = run("tag", "--input", source, "--output", target)
    assert result.returncode == 1
    assert message in result.stderr
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["in.jsonl"]  # no temporary file left either


def test_a_failed_run_leaves_an_earlier_output_untouched(tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    target.write_text("earlier results\n")
    source.write_text('{"id": 1, "text": "ok"}\nnot json\n')
    assert run("tag", "--input", source, "--output", target).returncode == 1
    assert target.read_text() == "earlier results\n"


def test_evaluate_prints_scores_and_json(tmp_path):
    gold = tmp_path / "gold.jsonl"
    write_lines(gold, [
        {"id": 1, "text": "Ban chokeholds now. I support this draft.", "themes": ["use_of_force"], "stance": "support",
         "lang": "en", "duplicate_of": None, "pii": []},
        {"id": 2, "text": "Call 555-201-3344 about the crime on my street.", "themes": ["crime_safety_concerns"],
         "stance": "unclear", "lang": "en", "duplicate_of": None, "pii": [{"kind": "phone", "start": 5, "end": 17}]},
    ])
    tagged = tmp_path / "tagged.jsonl"
    assert run("tag", "--input", gold, "--output", tagged).returncode == 0
    text = run("evaluate", "--gold", gold, "--input", tagged)
    assert text.returncode == 0 and "macro F1" in text.stdout and "phone" in text.stdout
    scores = json.loads(run("evaluate", "--gold", gold, "--input", tagged, "--json").stdout)
    assert scores["pii"]["phone"]["exact"]["recall"] == 1.0
    assert set(scores) >= {"themes", "stance", "pii", "duplicates"}


def test_evaluate_refuses_a_tagged_file_missing_ids(tmp_path):
    gold, tagged = tmp_path / "gold.jsonl", tmp_path / "tagged.jsonl"
    write_lines(gold, [{"id": 1, "text": "a", "themes": [], "stance": "unclear", "lang": "en", "duplicate_of": None}])
    write_lines(tagged, [{"id": 2, "themes": []}])
    result = run("evaluate", "--gold", gold, "--input", tagged)
    assert result.returncode == 1 and "no tagged line for id 1" in result.stderr


def test_a_span_found_under_another_kind_counts_as_caught_for_privacy():
    from nlp.evaluate import pii_scores

    gold = [{"pii": [{"kind": "phone", "start": 5, "end": 17}, {"kind": "email", "start": 30, "end": 40}]}]
    predicted = [{"pii": [{"kind": "badge_or_case_number", "start": 5, "end": 17}]}]
    scores = pii_scores(gold, predicted)
    assert scores["phone"]["overlap"]["recall"] == 0.0  # the wrong kind is no hit for the kind's own figure
    assert scores["any_kind"] == {"recall": 0.5, "support": 2}  # but the number is held and redacted
