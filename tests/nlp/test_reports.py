"""Distinctive phrases and representative quotes for reports."""

from nlp.reports import distinctive_phrases, ngram_counts, ngram_counts_by_group, representative_comments

THEME = [
    "We need a mental health crisis team for people in crisis.",
    "A mental health crisis team should answer these calls, not police.",
    "Send the mental health crisis team at night too.",
    "The budget is fine.",
]
OTHER = ["Ban chokeholds now.", "The budget is too big.", "More patrols downtown please.", "The budget is fine."]


def test_distinctive_phrases_are_those_used_more_in_the_theme():
    phrases = [phrase for phrase, _, _ in distinctive_phrases(THEME, THEME + OTHER, n=3)]
    assert any("crisis team" in phrase or "mental health" in phrase for phrase in phrases)
    assert "budget" not in phrases


def test_counting_by_group_reads_each_text_once_and_gives_the_same_phrases():
    overall, by_group = ngram_counts_by_group([(text, ["crisis"]) for text in THEME] + [(text, []) for text in OTHER])
    assert overall == ngram_counts(THEME + OTHER) and by_group["crisis"] == ngram_counts(THEME)
    assert distinctive_phrases(n=3, background=overall, theme_counts=by_group["crisis"]) == distinctive_phrases(
        THEME, THEME + OTHER, n=3)


def test_representative_comments_prefer_confident_central_comments_and_skip_copies():
    comments = [
        {"id": 1, "text": THEME[0], "score": 0.9},
        {"id": 2, "text": THEME[1], "score": 0.95},
        {"id": 3, "text": THEME[1] + " Thanks", "score": 0.99, "duplicate_of": 2},
        {"id": 4, "text": "Crisis.", "score": 0.55},
        {"id": 5, "text": "The budget is fine and nothing about crisis teams really.", "score": 0.51},
    ]
    chosen = {c["id"] for c in representative_comments(comments, n=2)}
    assert chosen == {1, 2}  # not the copy (3), the one-word comment (4) or the off-theme one (5)
    assert representative_comments([], n=3) == []
