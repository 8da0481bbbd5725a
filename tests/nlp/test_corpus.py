"""The labelled corpus: its size and balance, its splits written apart, and the source checks."""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from nlp.corpus.build import SPLITS, CorpusError, build, read_source, strip_markers
from nlp.corpus.check import check_pii_list, main as check_main
from nlp.taxonomy import STANCES, THEME_KEYS

CORPUS = Path(__file__).resolve().parents[2] / "nlp" / "corpus"


def rows(name):
    return [json.loads(line) for line in (CORPUS / name).read_text().splitlines()]


def test_the_corpus_is_large_balanced_and_bilingual():
    everything = [row for split in SPLITS for row in rows(f"{split}.jsonl")]
    languages = Counter(row["lang"] for row in everything)
    assert languages["en"] >= 3000 and languages["es"] >= 300
    themes = Counter(theme for row in everything for theme in row["themes"])
    assert all(themes[key] >= 150 for key in THEME_KEYS), themes
    stances = Counter(row["stance"] for row in everything)
    assert all(stances[label] >= 0.15 * len(everything) for label in STANCES), stances
    assert 0.07 <= sum(not row["themes"] for row in everything) / len(everything) <= 0.14
    assert sum(row["duplicate_of"] is not None for row in everything) >= 150  # edited form letters


def test_the_built_files_are_the_sources(tmp_path):
    counts = build(output=tmp_path)
    for split in SPLITS:
        assert (tmp_path / f"{split}.jsonl").read_text() == (CORPUS / f"{split}.jsonl").read_text()
        assert counts[split] == len(rows(f"{split}.jsonl"))


def _sentences(text: str) -> set[str]:
    """Sentences of ten words or more: shorter ones that recur are formulas ("To the Mayor and City Council,")."""
    return {s.strip().lower() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.split()) >= 10}


def test_dev_and_test_share_no_sentence_or_campaign_with_training():
    training = set().union(*(_sentences(row["text"]) for row in rows("train.jsonl")))
    for split in ("dev", "test"):
        held_out = rows(f"{split}.jsonl")
        ids = {row["id"] for row in held_out}
        assert all(row["duplicate_of"] is None or row["duplicate_of"] in ids for row in held_out)
        shared = [s for row in held_out for s in _sentences(row["text"]) if s in training]
        assert shared == [], shared[:3]


def test_markers_become_spans():
    text, spans = strip_markers("Officer {{person_name:Jane Doe}} at {{phone:555-201-3344}}.")
    assert text == "Officer Jane Doe at 555-201-3344."
    assert [(s["kind"], text[s["start"]:s["end"]]) for s in spans] == [("person_name", "Jane Doe"), ("phone", "555-201-3344")]


GOOD = '{"id": "ok", "text": "fine", "themes": [], "stance": "unclear", "lang": "en", "duplicate_of": null}'


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"id": "a", "text": "x", "themes": ["nope"], "stance": "support", "lang": "en", "duplicate_of": null}', "unknown theme"),
        ('{"id": "a", "text": "x", "themes": [], "stance": "maybe", "lang": "en", "duplicate_of": null}', "unknown stance"),
        ('{"id": "a", "text": "{{pin:1234}}", "themes": [], "stance": "support", "lang": "en", "duplicate_of": null}', "unknown personal-data kind"),
        ('{"id": "a", "text": "{{phone: 555-201-3344}}", "themes": [], "stance": "support", "lang": "en", "duplicate_of": null}', "starts or ends with a space"),
        ('{"id": "a", "text": "x", "themes": [], "stance": "support", "lang": "en", "duplicate_of": "zz"}', "not an earlier id"),
        ('{"id": "ok", "text": "x", "themes": [], "stance": "support", "lang": "en", "duplicate_of": null}', "duplicate id"),
        ('{"id": "a", "themes": []}', "missing text"),
        ("{broken", "Expecting"),
    ],
)
def test_bad_source_lines_are_named(tmp_path, line, message):
    (tmp_path / "x.jsonl").write_text(GOOD + "\n" + line + "\n")
    with pytest.raises(CorpusError, match=rf"x.jsonl:2: .*{message}"):
        read_source(tmp_path / "x.jsonl")


def test_the_writers_check_reports_what_a_file_lacks(tmp_path, capsys):
    folder = tmp_path / "train"
    folder.mkdir()
    line = json.loads(GOOD) | {"round": "use-of-force", "split": "train"}
    (folder / "few.jsonl").write_text(json.dumps(line) + "\n")
    assert check_main([str(folder / "few.jsonl")]) == 0
    assert check_main([str(folder / "few.jsonl"), "--quotas"]) == 1
    assert "form-letter copies: 0" in capsys.readouterr().out
    (folder / "bad.jsonl").write_text(json.dumps(line | {"round": "parking"}) + "\n")
    assert check_main([str(folder / "bad.jsonl")]) == 1


def test_a_personal_data_list_must_mark_its_kind(tmp_path):
    path = tmp_path / "phone.jsonl"
    path.write_text('{"id": "p1", "text": "call {{phone:(555) 201-3344}} after 6"}\n')
    assert "1 sentences, 1 marked phone values" in check_pii_list(path, "phone")
    path.write_text('{"id": "p1", "text": "call (555) 201-3344 after 6"}\n')
    with pytest.raises(CorpusError, match="phone.jsonl:1: no marked phone"):
        check_pii_list(path, "phone")
