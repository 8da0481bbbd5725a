"""Each personal-data recognizer on hand-made text, and the decoys that must not be flagged."""

import random

import pytest

from nlp.pii import find_pii


def found(text):
    return [(kind, text[start:end]) for kind, start, end in find_pii(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Write to j.okafor+city@hotmail.co.uk please", [("email", "j.okafor+city@hotmail.co.uk")]),
        ("text me on 612.555.0199 tonight", [("phone", "612.555.0199")]),
        ("call (651) 555-0123 or +1 651 555 0124", [("phone", "(651) 555-0123"), ("phone", "+1 651 555 0124")]),
        ("we live at 2210 W. Franklin Avenue, Unit 4 and", [("street_address", "2210 W. Franklin Avenue, Unit 4")]),
        ("the house at 17 Oak St near the park", [("street_address", "17 Oak St")]),
        ("Officer Jane Doe pushed him", [("person_name", "Jane Doe")]),
        ("my neighbor Tom Reyes filmed it", [("person_name", "Tom Reyes")]),
        ("I spoke with Mary O'Brien about it", [("person_name", "Mary O'Brien")]),  # "O'Brien" is also a common word
        ("Sgt. Okonkwo refused", [("person_name", "Okonkwo")]),
        # A title or a relation inside a longer word names no one; a given name after a hyphen does.
        ("The exOfficer Zorblat saw Officer Quennick. Gammy son Trevick, my son Pellor.",
         [("person_name", "Quennick"), ("person_name", "Pellor")]),
        ("I saw Anne-Marie Quennick there", [("person_name", "Marie Quennick")]),
        ("his badge number is 30417.", [("badge_or_case_number", "30417")]),
        ("complaint no. 2024-118 went nowhere", [("badge_or_case_number", "2024-118")]),
        ("a grey van, plate 4KDM221, idles there", [("license_plate", "4KDM221")]),
        ("tags read RTX-4410 on the truck", [("license_plate", "RTX-4410")]),
        ("my social is 219-09-9999", [("government_id", "219-09-9999")]),
        ("driver's license number S5301223 was copied", [("government_id", "S5301223")]),
    ],
)
def test_each_kind_is_found_with_exact_offsets(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "decoy",
    [
        "Section 4.2 of the draft and Policy 300.4 say otherwise.",
        "The $12M contract and $4.2 million in overtime since 2019.",
        "About 40 officers, 3 meetings and 911 calls.",
        "The 21st Century Policing report and General Order 300.",
        "The Chief said it, and the Mayor agreed. Officer safety matters.",
        "Meet at the corner of 5th and Main, or on Elm Street.",
        "Will someone answer? Grace and Hope are virtues.",
        "The vote was 5 to 4 on 11/24/2026 at 7:30 pm.",
        "Ward 3 has 40,000 people and 2 patrol cars.",
    ],
)
def test_decoys_are_not_personal_data(decoy):
    assert found(decoy) == []


def test_overlapping_finds_keep_one_span():
    text = "Officer Dan Price, badge 4471, plate 7ABC123"
    kinds = [kind for kind, _ in found(text)]
    assert kinds == ["person_name", "badge_or_case_number", "license_plate"]


def test_pipeline_reports_character_spans(tagger):
    text = "Email me at rosa.m@gmail.com about Officer Daniel Price."
    result = tagger.tag(text)
    spans = {(p["kind"], text[p["start"]:p["end"]]) for p in result["pii"]}
    assert spans == {("email", "rosa.m@gmail.com"), ("person_name", "Daniel Price")}


@pytest.mark.parametrize("text", [
    "his badge number is 30417, case 2023-00481, call (651) 555-0123, my social is 219-09-9999",
    "a grey van, plate 4KDM221, at 2210 W. Franklin Avenue, Unit 4, driver's license number S5301223",
    "report no. 23-118842 and\u00a0license 12345 at 7\u2003Oak St",  # not ASCII: no shape
])
def test_the_cheap_tests_never_hide_a_find(text):
    """Each recognizer finds the same with its shape tests as with its patterns alone."""
    from nlp.pii import RECOGNIZERS
    from nlp.pii.shape import shape_of

    for recognizer in RECOGNIZERS:
        assert list(recognizer.find(text, shape_of(text))) == list(recognizer.find(text, None))
    assert len(find_pii(text)) >= 3


def test_a_texts_shape_is_its_character_classes():
    from nlp.pii.shape import shape_of

    assert shape_of("Case 2023-00481,\tcall") == b"Aaaa 0000-00000, aaaa"
    assert shape_of("Café 12") is None


def _random_texts(pieces: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12))) for _ in range(count)]


def test_names_found_from_the_shapes_capitalised_pairs_are_those_the_patterns_find_alone():
    """find with a shape tries the patterns only where the shape shows a capitalised pair."""
    from nlp.pii import person_name
    from nlp.pii.shape import shape_of

    pieces = ["Officer", "Sgt.", "Mr ", "Chief", "my neighbor", "Steven", "Delgado", "O'Brien", "McDonald", "Lee-Smith",
              "Ask ", "the", "Will", " ", " ", "  ", ", ", ".", "\t", "\n", "\x1c", "a", "B", "0", "_", "'", "-", "Street"]
    texts = _random_texts(pieces, 30_000, seed=3)
    differing = [t for t in texts if list(person_name.find(t, shape_of(t))) != list(person_name.find(t, None))]
    assert differing == [] and sum(bool(list(person_name.find(t, None))) for t in texts) > 1000


@pytest.mark.parametrize("recognizer, pattern_name, words_name", [
    ("government_id", "NAMED_ID", "NAMED_ID_WORDS"),
    ("badge_or_case_number", "CASE", "CASE_WORDS"),
    ("license_plate", "NAMED", "NAMED_WORDS"),
])
def test_a_pattern_tried_at_its_words_finds_what_it_finds_alone(recognizer, pattern_name, words_name):
    import importlib

    from nlp.pii.starts import matches_at_words

    module = importlib.import_module(f"nlp.pii.{recognizer}")
    pattern, words = getattr(module, pattern_name), getattr(module, words_name)
    pieces = ["Driver's ", "license", "LICENCE", "dl", "DL", "passport", "state ID", "ID card", "id", "Case", "report no.",
              "file", "citation #", "incident", " is ", "was", "12345", "S5301223", "23-118842", "2023-00481", "İ", " ",
              ":", "#", ", ", "a", "0", "plate", "Plates", "tag", "license plate", " number ", "read ", "4KDM221", "AB 123"]
    texts = _random_texts(pieces, 30_000, seed=4)
    spans = [[m.span() for m in pattern.finditer(t)] for t in texts]
    assert [[m.span() for m in matches_at_words(pattern, words, t)] for t in texts] == spans
    assert sum(map(bool, spans)) > 300
