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


ENGLISH_TRUST = [
    "The officers on my block never get out of the car, so nobody knows them and nobody calls them.",
    "When the beat cop knew our names people told him things. Now it's strangers every shift.",
    "My son is afraid to call the police after what happened to his friend last summer.",
    "Officers who live forty miles away don't know this neighborhood and it shows every time.",
    "We used to have coffee with the sergeant on Saturdays and it made a real difference here.",
    "Nobody on our street trusts them anymore, they only show up after something bad happens.",
    "If they want people to talk to them they have to be around when nothing is wrong too.",
]
SPANISH_TRUST = [
    "Que aprueben la propuesta, porque en mi barrio nadie confía en la policía y la gente tiene miedo de llamar.",
    "Les pido que la aprueben: los oficiales no conocen a las familias de la calle y por eso no hay confianza.",
    "Yo no llamo a la policía desde que trataron mal a mi vecino, y como yo hay muchos en la colonia.",
]


def test_spanish_function_words_are_not_phrases_and_accented_words_stay_whole():
    items = [(text, ["trust"], "es") for text in SPANISH_TRUST * 2] + [(text, [], "en") for text in OTHER]
    overall, by_group = ngram_counts_by_group(items)
    phrases = [phrase for phrase, _, _ in distinctive_phrases(n=20, min_count=2, background=overall, theme_counts=by_group["trust"])]
    assert "policía" in phrases and "polic" not in overall
    assert all(word not in {"que", "la", "de", "en", "y", "por", "no"} for p in phrases for word in (p.split()[0], p.split()[-1]))


def test_quotes_are_shared_among_languages_by_their_part_of_the_comments():
    comments = [{"id": f"en{i}", "text": t, "score": 0.9, "lang": "en"} for i, t in enumerate(ENGLISH_TRUST)] + \
               [{"id": f"es{i}", "text": t, "score": 0.9, "lang": "es"} for i, t in enumerate(SPANISH_TRUST)]
    chosen = representative_comments(comments, n=5)
    assert len(chosen) == 5 and sum(c["lang"] == "es" for c in chosen) in (1, 2)  # 3 of 10 comments are Spanish
    english = [{**c, "id": f"en-copy{i}"} for i, c in enumerate(comments[:7] * 5)][:33]
    assert sum(c["lang"] == "es" for c in representative_comments(english + comments[7:9], n=5)) == 1  # 2 of 35: heard
    assert sum(c["lang"] == "es" for c in representative_comments(english + comments[7:8], n=5)) == 0  # 1 of 34: by share
    only_spanish = representative_comments(comments[7:], n=5)  # too few to fill every slot: all three
    assert {c["id"] for c in only_spanish} == {"es0", "es1", "es2"}
