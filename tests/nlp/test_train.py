"""`python -m nlp train --extra corrections.jsonl`: moderators' corrections teach the model."""

import json

from nlp import load_pipeline
from nlp.train import train


def test_corrections_are_learned(tmp_path):
    # A word the corpus never uses, taught only through corrections.
    corrections = tmp_path / "corrections.jsonl"
    lines = [
        {"id": f"fix-{i}", "text": f"The quibbleton rollout on block {i} worries me.", "themes": ["surveillance_privacy"],
         "stance": "oppose", "lang": "en", "duplicate_of": None}
        for i in range(40)
    ]
    corrections.write_text("".join(json.dumps(line) + "\n" for line in lines))
    scores = train([corrections], output=tmp_path / "model", log=lambda line: None)
    assert scores["themes"]["macro_f1"] > 0.5

    retrained = load_pipeline(model_dir=tmp_path / "model")
    shipped = load_pipeline()
    text = "Stop the quibbleton rollout."
    assert "surveillance_privacy" in retrained.tag(text)["themes"]
    assert "surveillance_privacy" not in shipped.tag(text)["themes"]
    assert retrained.meta["trained_on"]["extra_files"] == [str(corrections)]


def test_log_count_ratio_favours_the_slots_of_a_labels_comments():
    import numpy
    from scipy.sparse import csr_matrix

    from nlp.train import log_count_ratio

    # Slot 0 only in the label's comments, slot 1 only in the others', slot 2 in all of them.
    present = csr_matrix(numpy.array([[1, 0, 1], [1, 0, 1], [0, 1, 1], [0, 1, 1]], dtype=float))
    ratio = log_count_ratio(present, numpy.array([True, True, False, False]))
    assert ratio[0] > 0 > ratio[1]
    assert numpy.isclose(ratio[0], -ratio[1]) and numpy.isclose(ratio[2], 0)
