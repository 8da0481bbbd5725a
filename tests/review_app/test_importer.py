"""Splitting a policy document into sections."""

import pytest

from review_app.rounds.importer import ImportProblem, split_policy


def test_markdown_headings_become_numbered_sections_and_the_preamble_is_kept():
    parts = split_policy("This draft replaces GO 300.\n\n## 1. Purpose\nWhy.\n\n## 2. Scope\nWho.\n### 2.1 Exceptions\nNone.")
    assert [(p.number, p.heading) for p in parts] == [("1", "Purpose"), ("2", "Scope"), ("2.1", "Exceptions")]
    assert parts[0].body.startswith("This draft replaces GO 300.")
    assert parts[2].body == "None."


def test_plain_text_numbered_and_capital_headings():
    text = "1. PURPOSE\nThis policy sets rules.\n3 officers were present in 2019.\nSection 2 - Scope\nAll members.\nTRAINING\nEvery year."
    parts = split_policy(text)
    assert [(p.number, p.heading) for p in parts] == [("1", "PURPOSE"), ("2", "Scope"), ("3", "TRAINING")]
    assert "3 officers were present in 2019." in parts[0].body


def test_headings_without_numbers_are_numbered_by_position_and_repeats_are_renumbered():
    parts = split_policy("## Purpose\na\n## Scope\nb\n## 1. Again\nc\n## 1. Twice\nd")
    assert [p.number for p in parts] == ["1", "2", "3", "4"] or len({p.number for p in parts}) == 4


@pytest.mark.parametrize("text, message", [("", "empty"), ("   \n ", "empty"), ("just some words without any heading", "No headings")])
def test_unusable_documents_get_a_clear_reason(text, message):
    with pytest.raises(ImportProblem, match=message):
        split_policy(text)


def test_windows_line_endings():
    assert [p.heading for p in split_policy("## 1. A\r\nx\r\n## 2. B\r\ny")] == ["A", "B"]
