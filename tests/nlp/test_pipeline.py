"""The tagger's output contract, themes, stance, round-specific themes and other languages."""

import json

import pytest

from nlp import STANCES, THEME_KEYS, load_pipeline


def test_output_follows_the_contract(tagger):
    [result] = tagger.tag_many([{"id": "c-1", "text": "Ban chokeholds and neck restraints. I support this draft."}])
    assert {"id", "themes", "theme_scores", "stance", "pii", "duplicate_of"} <= set(result)
    assert result["id"] == "c-1"
    assert set(result["themes"]) <= set(THEME_KEYS)
    assert all(0.0 <= score <= 1.0 for score in result["theme_scores"].values())
    assert result["stance"] in STANCES
    json.dumps(result)  # serialisable as one JSON line


def test_each_component_leaves_its_result_on_the_doc(tagger):
    doc = tagger.nlp("I oppose this. Officers tased my son. Write to dana@example.org about it.")
    assert doc._.lang == "en"
    assert [kind for kind, _, _ in doc._.pii] == ["email"] and [s.label_ for s in doc.spans["pii"]] == ["email"]
    assert tagger.nlp.make_doc("Not run through the pipeline.")._.pii == ()


@pytest.mark.parametrize(
    "text, theme",
    [
        ("Officers kept tasing my brother after he was already handcuffed on the ground.", "use_of_force"),
        ("Take money from the police overtime budget and put it into housing.", "budget_reinvestment"),
        ("Send a mental health clinician instead of armed police to suicide calls.", "alternative_response"),
        ("The civilian oversight board should be able to fire officers for misconduct.", "accountability_oversight"),
        ("Get the cops out of my kid's high school, students are being arrested.", "schools_youth"),
        ("License plate readers and facial recognition cameras invade our privacy.", "surveillance_privacy"),
        ("My car was broken into twice and nobody came; we need more patrols.", "crime_safety_concerns"),
        ("The meeting was at 2pm on a Tuesday, and there was no interpreter.", "process_feedback"),
    ],
)
def test_clear_comments_get_their_theme(tagger, text, theme):
    assert theme in tagger.tag(text)["themes"]


def test_a_comment_about_nothing_gets_no_theme(tagger):
    assert tagger.tag("Good morning everyone, thanks.")["themes"] == []


@pytest.mark.parametrize(
    "text, stance",
    [
        ("I fully support this proposal, please pass it.", "support"),
        ("I strongly oppose this plan. Vote no.", "oppose"),
        ("I like the crisis team but hate cutting patrols to pay for it.", "mixed"),
        ("Not against it at all, about time.", "support"),
        ("Estoy a favor de la propuesta, apruébenla.", "support"),
        ("No estoy de acuerdo con esta propuesta, voten que no.", "oppose"),
    ],
)
def test_declared_stances(tagger, text, stance):
    assert tagger.tag(text)["stance"] == stance


def test_spanish_comments_get_themes_and_stance_like_english_ones(tagger):
    result = tagger.tag("La policía no debería estar en las escuelas. Queremos más consejeros para nuestros hijos.")
    assert result["lang"] == "es" and not result["needs_human_review"]
    assert "schools_youth" in result["themes"]


def test_comments_in_other_languages_go_to_people_untagged(tagger):
    result = tagger.tag("Waxaan rabaa in booliska laga saaro dugsiyada, carruurteena way ka baqayaan.")
    assert result["needs_human_review"] and result["themes"] == [] and result["stance"] == "unclear"


def test_round_specific_themes_come_from_a_file(tmp_path):
    themes = [{"key": "towing", "label": "Towing", "description": "Towing of residents' cars",
               "examples": ["tow truck", "towed", "impound lot"]}]
    path = tmp_path / "themes.json"
    path.write_text(json.dumps(themes))
    tagger = load_pipeline(themes_file=path)
    assert "towing" in tagger.tag("My car was towed to the impound lot overnight.")["themes"]
    assert "towing" not in tagger.tag("Ban chokeholds.")["themes"]


def test_a_bad_themes_file_is_refused(tmp_path):
    path = tmp_path / "themes.json"
    path.write_text(json.dumps([{"key": "x"}]))
    with pytest.raises(ValueError, match="examples"):
        load_pipeline(themes_file=path)


def test_a_missing_model_says_how_to_make_one(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m nlp train"):
        load_pipeline(model_dir=tmp_path)


def test_no_flask_is_imported():
    import subprocess
    import sys

    code = "import sys, nlp; nlp.load_pipeline().tag('hi'); print('flask' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_plain_text_copies_point_to_the_position_of_the_first(tagger):
    letter = ("Please adopt the use of force policy as written, with the chokehold ban, the duty to intervene "
              "and quarterly public reports on every use of force, because our neighbourhood deserves it.")
    results = list(tagger.tag_many(["I agree.", letter, "Dear Council, " + letter], batch_size=2))
    assert [r["duplicate_of"] for r in results] == [None, None, 1]
    assert [r["id"] for r in results] == [None, None, None]


def test_norms_are_lower_cased_lemmas_from_the_first_comment_on():
    """Norms live in the vocabulary and the tokenizer's special cases, which spacy.load reads
    from disk after making the components: the first comment must get them as well as later ones."""
    import spacy

    from nlp.pipeline import MODEL_DIR

    nlp = spacy.load(MODEL_DIR)
    texts = ["Officers ARRESTED CHILDREN and they doesn't stop.", "OFFICERS Arrested him; he does not forgive."]
    first, second = (nlp(text) for text in texts)
    assert [t.norm_ for t in first][:4] == ["officer", "arrest", "child", "and"]
    assert [t.norm_ for t in second][:2] == ["officer", "arrest"]
    # "does" of "doesn't" (a special case with a norm of its own) is one feature with "does" alone.
    assert first[5].text == "does" and second[5].text == "does"
    assert first[5].norm_ == second[5].norm_
    assert first[6].norm_ == "not"


def test_a_first_batch_is_tagged_as_each_comment_alone():
    """The whole batch is tokenized before any component runs, so the norms of the tokenizer's
    special cases ("doesn't") must be in place before the first batch, not from its first comment."""
    from nlp import load_pipeline

    texts = ["I support this.", "Officers shouldn't tase kids and they don't need to, it isn't safe, it's cruel."]
    in_batch = list(load_pipeline().tag_many(texts))[1]
    alone = load_pipeline().tag(texts[1])
    assert in_batch["theme_scores"] == alone["theme_scores"]


def test_word_keys_kept_on_a_doc_are_kept_apart_by_size_and_attribute(tagger):
    """Both classifiers read the keys kept on a doc; a model of another size or attribute must not."""
    from spacy.attrs import LOWER, NORM

    from nlp.components.tfidf_logistic import word_keys

    doc = tagger.nlp("Officers used Tasers on the children.")
    keys = {(size, attr): word_keys(doc, size, attr) for size in (1, 2) for attr in (NORM, LOWER)}
    assert len(keys[1, NORM][0]) == 7 and len(keys[2, NORM][1]) == 6  # 7 words, 6 pairs
    assert list(keys[1, NORM][0]) != list(keys[1, LOWER][0])  # "officer" against "officers": kept apart by attribute


def test_character_ngrams_stay_inside_words_and_a_batch_gives_each_text_its_own():
    from collections import Counter

    from nlp.components.tfidf_logistic import char_ngram_keys

    texts = ["Hi, tasers!", "", "Cámara  de la ciudad", "x"]
    alone = [char_ngram_keys([text], (2, 3))[0] for text in texts]
    # " hi tasers ": 10 pairs and 8 triples, none across the two words (" hi", "hi ", not "i t").
    assert len(alone[0]) == 18 and len(alone[1]) == 0 and len(alone[3]) == 3  # " x", "x ", " x "
    assert [Counter(keys.tolist()) for keys in char_ngram_keys(texts, (2, 3))] == [Counter(k.tolist()) for k in alone]


def test_negation_marks_the_words_it_governs_until_the_clause_ends(tagger):
    from spacy.attrs import NORM

    from nlp.components.tfidf_logistic import NEGATED, _word_keys, word_keys

    doc = tagger.nlp("I'm not against this at all, but never again. We want it")
    plain = len(word_keys(doc, 2, NORM)[0]) + len(word_keys(doc, 2, NORM)[1])
    negated = _word_keys(doc, 2, negation=True)[plain:]
    norms = dict(zip(word_keys(doc, 1, NORM)[0].tolist(), (t.norm_ for t in doc)))
    assert sorted(norms[key] for key in (negated ^ NEGATED).tolist()) == ["again", "against", "all", "at", "this"]


def test_tfidf_weights_scale_each_block_of_a_row_to_unit_length():
    import numpy
    from scipy.sparse import csr_matrix

    from nlp.components.tfidf_logistic import tfidf

    counts = csr_matrix(numpy.array([[1, 3, 0, 2], [0, 0, 0, 0], [0, 0, 5, 0]], dtype="f"))
    weighted = tfidf(counts, numpy.array([1.0, 2.0, 1.5, 0.5], dtype="f"), blocks=(2, 2)).toarray()
    assert numpy.allclose(numpy.linalg.norm(weighted[0, :2]), 1) and numpy.allclose(numpy.linalg.norm(weighted[0, 2:]), 1)
    assert numpy.allclose(weighted[1], 0) and numpy.allclose(weighted[2], [0, 0, 1, 0])
    assert weighted[0, 1] > weighted[0, 0]  # (1 + log 3) * 2 against 1 * 1


def test_a_trained_classifier_refuses_a_new_label():
    with pytest.raises(ValueError, match="train it anew"):
        load_pipeline().nlp.get_pipe("themes").add_label("parking")


def test_a_deployers_base_pipeline_tags_as_ours_does(tmp_path, tagger):
    """Our components on another pipeline's tokenizer and vocabulary (here a blank English one,
    the same tokenizer as ours): the lemma norms must reach that vocabulary, or the classifiers
    read other features than they were trained on."""
    import spacy

    from nlp import load_pipeline

    spacy.blank("en").to_disk(tmp_path / "base")
    based = load_pipeline(base_model=str(tmp_path / "base"))
    assert based.nlp.vocab is not tagger.nlp.vocab
    assert [t.norm_ for t in based.nlp("Officers ARRESTED CHILDREN")] == ["officer", "arrest", "child"]
    text = "Officers shouldn't tase kids. Fund the crisis team and stop the raids on our block."
    assert based.tag(text) == tagger.tag(text)


@pytest.mark.parametrize("enabled", [True, False])
def test_tagging_leaves_the_garbage_collector_as_it_found_it(tagger, enabled):
    """Each batch pauses the cyclic collector; it must be back on afterwards, and not turned on
    for a caller who had turned it off."""
    import gc

    seen = []
    was_enabled = gc.isenabled()
    gc.enable() if enabled else gc.disable()
    try:
        for _ in tagger.tag_many(["First comment.", "Second comment.", "Third comment."], batch_size=2):
            seen.append(gc.isenabled())
        after = gc.isenabled()
    finally:
        gc.enable() if was_enabled else gc.disable()
    assert seen == [enabled] * 3 and after == enabled
