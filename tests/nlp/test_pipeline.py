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
    assert doc._.theme_hits.get("use_of_force", 0) >= 1
    assert set(doc._.stance_hits) == {"oppose"}
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
        ("I support parts of this but the details need work.", "mixed"),
    ],
)
def test_declared_stances(tagger, text, stance):
    assert tagger.tag(text)["stance"] == stance


def test_non_english_comments_go_to_people_untagged(tagger):
    result = tagger.tag("La policía no debería estar en las escuelas. Queremos más consejeros para nuestros hijos.")
    assert result["lang"] == "es" and result["needs_human_review"]
    assert result["themes"] == [] and result["stance"] == "unclear"


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


def test_ngram_keys_kept_on_a_doc_are_kept_apart_by_size_and_attribute(tagger):
    """Both classifiers read the keys kept on a doc; a model of another size or attribute must not."""
    from nlp.components.textcat_bow import ngram_keys
    from spacy.attrs import LOWER, NORM

    doc = tagger.nlp("Officers used Tasers on the children.")
    keys = {(size, attr): ngram_keys(size, attr).predict([doc])[0] for size in (1, 2) for attr in (NORM, LOWER)}
    assert len(keys[1, NORM]) == 7 and len(keys[2, NORM]) == 13  # 7 words, 6 pairs
    assert list(keys[1, NORM]) != list(keys[1, LOWER])  # "officer" against "officers": kept apart by attribute
    assert list(keys[2, NORM][:7]) == list(keys[1, NORM])


@pytest.mark.parametrize("slots_per_key", [1, 2])
def test_hashed_linear_adds_the_weights_of_each_keys_slots_and_learns_them(slots_per_key):
    """Each key adds the row of W in its slot (its low 32 bits modulo the length) and, with two
    slots per key (v2), in the slot of its high 32 bits too; a doc without keys scores the bias;
    backprop puts each doc's gradient on its slots."""
    import numpy
    from nlp.components.textcat_bow import hashed_linear

    layer = hashed_linear(length=8, nO=2, slots_per_key=slots_per_key)
    layer.initialize()
    W = numpy.arange(16, dtype="f").reshape(8, 2)
    layer.set_param("W", W.copy())
    layer.set_param("b", numpy.asarray([0.5, -0.5], dtype="f"))
    key = (3 << 32) | 5  # slot 5, and 3 as the second
    keys, lengths = numpy.asarray([key, key, 1], dtype=numpy.uint64), numpy.asarray([2, 0, 1])
    scores, backprop = layer.begin_update((keys, lengths))
    rows = {key: [5, 3][:slots_per_key], 1: [1, 0][:slots_per_key]}  # key 1: low bits 1, high bits 0
    assert scores.tolist() == [
        (2 * W[rows[key]].sum(axis=0) + [0.5, -0.5]).tolist(),  # a key twice counts twice
        [0.5, -0.5],
        (W[rows[1]].sum(axis=0) + [0.5, -0.5]).tolist(),
    ]
    backprop(numpy.asarray([[1, 0], [0, 0], [0, 2]], dtype="f"))
    d_W = layer.get_grad("W")
    assert all(d_W[row].tolist() == [2, 0] for row in rows[key]) and all(d_W[row].tolist() == [0, 2] for row in rows[1])
    assert numpy.count_nonzero(d_W) == 2 * slots_per_key and layer.get_grad("b").tolist() == [1, 2]


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
