"""Form letters with small edits are grouped under their first copy; different comments are not."""

from nlp.duplicates import DuplicateIndex, find_duplicates

LETTER = (
    "I am writing to urge the Council to adopt the draft Use of Force and De-escalation Policy without "
    "weakening it. The ban on chokeholds and neck restraints, the duty to intervene, and the requirement "
    "to publish use-of-force data every quarter are the minimum our community deserves."
)


def test_copies_with_greetings_signatures_and_an_added_sentence_point_to_the_first():
    result = find_duplicates([
        ("a", LETTER),
        ("b", "Dear Council, " + LETTER + " Thank you, Maria from Ward 3"),
        ("c", "To whom it may concern: " + LETTER.replace("deserves", "deservs") + " Please also release body camera footage within 45 days."),
    ])
    assert result == {"a": None, "b": "a", "c": "a"}


def test_different_comments_on_the_same_subject_are_not_grouped():
    result = find_duplicates([
        ("a", LETTER),
        ("b", "Chokeholds should be banned outright, and every officer must step in when a colleague uses too much "
              "force. I also want the department to put its use-of-force numbers online each quarter so we can check."),
        ("c", "Please keep the neck restraint ban. My cousin was hurt by one in 2019 and still has nerve damage, "
              "so I care about this part of the draft more than anything else in it."),
    ])
    assert result == {"a": None, "b": None, "c": None}


def test_short_comments_are_never_grouped():
    assert find_duplicates([("a", "I agree with this."), ("b", "I agree with this.")]) == {"a": None, "b": None}


def test_the_index_scales_without_comparing_every_pair():
    index = DuplicateIndex()
    for i in range(3000):
        index.add(i, f"comment number {i} about " + " ".join(f"topic{(i * 7 + j) % 997}" for j in range(30)))
    assert index.add("copy", "Hello. " + LETTER) is None
    assert index.add("again", LETTER + " Signed, a neighbour") == "copy"
    assert len(index) == 3002
