"""Vehicle licence plates, in English and Spanish: after a word that names a plate or a car
("plate 7KDL492", "Georgia tags, RFT2931", "placa ZPQ-9015", "My car, 4GTR 88", "my plate
LOLWUT"), or in a form that is distinctive on its own ("7ABC123", "KJW 7731", "FJK-2291", "482-TNV").
"""

import re

from .cues import after_cues, words_of
from .person_name import is_a_word

KIND = "license_plate"
NEEDS_DIGIT = False  # a vanity plate may have no digit

CUE = re.compile(
    r"\b(?:licen[cs]e\s+plates?|plates?|tags?|placas?|matr[ií]cula(?!\s+consular))\b"
    r"|\b(?:car|truck|van|suv|sedan|pickup|jeep|minivan|motorcycle|camioneta|carro|coche|auto|charger|tahoe|camry|"
    r"civic|altima|camaro|corolla|accord|tesla|rover|mustang|impala|malibu|explorer|silverado|f-150|prius)\b"
    r"(?=[,(\s]+(?:was\s+|is\s+|es\s+|era\s+)?[A-Z0-9]{2,4}[ -]?[A-Z0-9]{2,4}\b)",
    re.IGNORECASE,
)
CUE_WORDS = {"plate", "plates", "tag", "tags", "placa", "placas", "matrícula", "matricula", "car", "truck", "van", "suv",
             "sedan", "pickup", "jeep", "minivan", "motorcycle", "camioneta", "carro", "coche", "auto", "charger",
             "tahoe", "camry", "civic", "altima", "camaro", "corolla", "accord", "tesla", "rover", "mustang", "impala",
             "malibu", "explorer", "silverado", "f", "prius"}
PLURAL = re.compile(r"s$", re.IGNORECASE)
# Two to eight capitals and digits with at most one space or dash, holding a digit; after "plate"
# itself, a vanity plate of capitals alone.
PLATE = r"(?=[A-Z0-9 -]*\d)[A-Z0-9]{1,4}(?:[ -]?[A-Z0-9]{1,5})(?:[ -][A-Z0-9]{1,3})?"
VALUE = re.compile(rf"(?P<value>{PLATE})(?![\w-])")
# Typed in lower case after the word for a plate: "la placa del carro lkt 5520", "plate is abc-1234".
LOWER_CASE = re.compile(r"\b(?:plate|placa|tag)s?\b[^.\n\d]{0,20}?(?<![\w-])(?P<value>(?P<letters>[a-z]{3})[ -]?\d{3,4})(?![\w-])")
VANITY = re.compile(r"\b(?:plate|placa|tag)\b[\s,:#]+(?:(?:is|was|es|era)\s+)?(?P<value>(?=[A-Z0-9]*[A-Z])[A-Z0-9]{4,8})(?![\w-])")
# Three letters and three or four digits (or the reverse), and California's digit, letters, digits.
DISTINCTIVE = re.compile(r"(?<![\w-])(?:[A-Z]{3}[ -]\d{3,4}|\d{3}[ -][A-Z]{3}|\d[A-Z]{3}[ -]?\d{3}|\d[a-z]{3}\d{3})(?![\w-])")
# Capitals that start other codes: bills, routes, agencies, forms.
NOT_PLATES = {"ORD", "SEC", "RTE", "HWY", "USD", "GPA", "CPR", "DUI", "PPE", "NYC", "USA", "MLK", "ICE", "DOJ", "FBI",
              "DHS", "CPD", "NYPD", "LAPD", "APD", "SPD", "MPD", "PUB", "LAW", "ACT", "BUS", "FAQ", "EST", "PST", "CST",
              "FORM", "AGE", "TOP", "COVID", "RES", "REF"}


def find(text: str, words: frozenset | None = None):
    words = words_of(text) if words is None else words
    if words & CUE_WORDS:
        for start, end in after_cues(text, CUE, VALUE, PLURAL):
            value = text[start:end]
            # A plate has letters ("tag 2024" is a year), and no interstate is one ("I-94").
            if any(c.isalpha() for c in value) and not re.fullmatch(r"I-?\d{1,3}", value):
                yield start, end
    if words & {"plate", "placa", "tag", "plates", "placas", "tags"}:
        for pattern in (VANITY, LOWER_CASE):
            for match in pattern.finditer(text):
                if pattern is LOWER_CASE and is_a_word(match.group("letters")):
                    continue  # "tags for 2022"
                yield match.start("value"), match.end("value")
    for match in DISTINCTIVE.finditer(text):
        if re.split(r"[ -]", match.group(0))[0] not in NOT_PLATES:
            yield match.start(), match.end()
