"""The labelled corpus: its size and balance, the split, and the source checks."""

import json
from collections import Counter
from pathlib import Path

import pytest

from nlp.corpus.build import CorpusError, assign_splits, read_sources, strip_markers
from nlp.taxonomy import THEME_KEYS

CORPUS = Path(__file__).resolve().parents[2] / "nlp" / "corpus"


def rows(name):
    return [json.loads(line) for line in (CORPUS / name).read_text().splitlines()]


def test_the_corpus_is_big_enough_and_covers_every_theme():
    everything = rows("train.jsonl") + rows("dev.jsonl")
    assert len(everything) >= 800
    counts = Counter(theme for row in everything for theme in row["themes"])
    assert all(counts[key] >= 50 for key in THEME_KEYS), counts
    assert sum(not row["themes"] for row in everything) >= 20
    assert {row["stance"] for row in everything} == {"support", "oppose", "mixed", "unclear"}
    assert {row["lang"] for row in everything} > {"en"}


def test_built_files_match_the_sources():
    splits = assign_splits(read_sources(CORPUS / "src"))
    assert splits["train"] == rows("train.jsonl")
    assert splits["dev"] == rows("dev.jsonl")


def test_copies_of_a_letter_never_straddle_the_split():
    dev_ids = {row["id"] for row in rows("dev.jsonl")}
    for row in rows("train.jsonl"):
        assert row["duplicate_of"] not in dev_ids


def test_markers_become_spans():
    text, spans = strip_markers("Officer {{person_name:Jane Doe}} at {{phone:555-201-3344}}.")
    assert text == "Officer Jane Doe at 555-201-3344."
    assert [(s["kind"], text[s["start"]:s["end"]]) for s in spans] == [("person_name", "Jane Doe"), ("phone", "555-201-3344")]


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"id": "a", "text": "x", "themes": ["nope"], "stance": "support", "lang": "en", "duplicate_of": null}', "unknown theme"),
        ('{"id": "a", "text": "x", "themes": [], "stance": "maybe", "lang": "en", "duplicate_of": null}', "unknown stance"),
        ('{"id": "a", "text": "{{pin:1234}}", "themes": [], "stance": "support", "lang": "en", "duplicate_of": null}', "unknown personal-data kind"),
        ('{"id": "a", "text": "x", "themes": [], "stance": "support", "lang": "en", "duplicate_of": "zz"}', "not an earlier id"),
        ('{"id": "a", "themes": []}', "missing text"),
        ("{broken", "Expecting"),
    ],
)
def test_bad_source_lines_are_named(tmp_path, line, message):
    good = '{"id": "ok", "text": "fine", "themes": [], "stance": "unclear", "lang": "en", "duplicate_of": null}'
    (tmp_path / "x.jsonl").write_text(good + "\n" + line + "\n")
    with pytest.raises(CorpusError, match=rf"x.jsonl:2: .*{message}"):
        read_sources(tmp_path)
