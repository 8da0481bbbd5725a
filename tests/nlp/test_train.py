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
