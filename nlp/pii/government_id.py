"""Social security numbers, driver's licence and state ID numbers in every state's format,
passport, immigration (A-number) and consular ID numbers, in English and Spanish.

Found after a word that names the document ("Florida DL M263-541-78-902-0", "my social is
602 18 3347", "mi pasaporte mexicano G27015844", "A# 209613457"), or in a form that is
distinctive on its own (an SSN written 123-45-6789, an A-number A204-718-553, Washington's
WDL..., Florida's and Illinois' lettered formats, a Mexican CURP).
"""

import re

from .cues import after_cues, words_of

KIND = "government_id"
NEEDS_DIGIT = True

CUE = re.compile(
    r"\b(?:driver'?s?\s+licen[cs]e|licen[cs]e(?!\s+plates?)|licencia(?:\s+de\s+(?:manejo|conducir))?|DL|"
    r"(?:state|non-driver)\s+ID|ID\s+card|identification|identificaci[oó]n|learner'?s\s+permit|permit|"
    r"passports?(?:\s+card)?|pasaporte|SSN|social(?:\s+security)?(?:\s+number)?|seguro\s+social|"
    r"A-?number|A#|alien\s+(?:registration\s+)?number|USCIS\s+number|n[uú]mero\s+de\s+extranjero|"
    r"(?:permanent\s+)?resident\s+card|green\s+card|matr[ií]cula(?:\s+consular)?|CURP|DPI|DUI|ITIN|INE|c[eé]dula|"
    r"clave\s+de\s+elector|credencial|medicare(?:\s+number)?|medicaid|DoD(?:\s+number)?|national\s+insurance(?:\s+number)?|"
    r"(?-i:ID|SIN))\b"
    r"(?:\s+(?:mexican[oa]?|salvadoreñ[oa]|salvadoran|guatemaltec[oa]|guatemalan|hondureñ[oa]|honduran|colombian[oa]?|"
    r"venezolan[oa]|venezuelan|dominican[oa]?|american[oa]?|estadounidense|extranjer[oa]|foreign))?"
    r"|\bA#|\b(?-i:A)-?number",
    re.IGNORECASE,
)
CUE_WORDS = {"license", "licence", "licencia", "dl", "id", "identification", "identificación", "identificacion",
             "permit", "passport", "passports", "pasaporte", "ssn", "social", "seguro", "alien", "uscis", "extranjero",
             "resident", "card", "matrícula", "matricula", "curp", "dpi", "dui", "itin", "ine", "cédula", "cedula",
             "clave", "credencial", "medicare", "medicaid", "dod", "insurance", "sin"}
# Capitals and digits, in groups joined by "-", "." or a space (find keeps those of five digits or more).
VALUE = re.compile(r"(?P<value>(?:[A-Z]{0,4}|[a-z])[\s-]?\d[A-Z0-9]*(?:[\s.-](?=[A-Z]?\d)[A-Z0-9]+){0,5})(?![\w-])")
DIGIT = re.compile(r"\d")
MIN_DIGITS = 5
DISTINCTIVE = re.compile(
    r"(?<![\w-])(?:\d{3}-\d{2}-\d{4}|\d{3}\.\d{2}\.\d{4}"  # SSN
    r"|A[- ]?\d{3}[- ]?\d{3}[- ]?\d{3}"  # A-number
    r"|WDL[A-Z0-9]{9}"  # Washington
    r"|[A-Z]\d{3}-\d{3}-\d{2}-\d{3}-\d"  # Florida
    r"|[A-Z]\d{3}-\d{4}-\d{4}(?:-\d{2})?"  # Illinois, Wisconsin
    r"|[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z0-9]\d"  # CURP
    r")(?![\w-])"
)


def find(text: str, words: frozenset | None = None):
    words = words_of(text) if words is None else words
    lowered = text.lower()
    if words & CUE_WORDS or "a#" in lowered or "a-number" in lowered or "a number" in lowered:
        for start, end in after_cues(text, CUE, VALUE):
            if len(DIGIT.findall(text, start, end)) >= MIN_DIGITS:
                yield start, end
    for match in DISTINCTIVE.finditer(text):
        yield match.start(), match.end()
