"""Officers' badge numbers and case, report, complaint, citation and file numbers, in English and
Spanish: after a word that names them ("badge 4471", "complaint #C-9183", "mi número de caso es
P23-7719", "Badges 3345, 5129 and 0288", "officer jenna marsh #1466"), or in a form that is
distinctive on its own ("IA-2023-0117", "2023-INC-007812", "23-118842", a court's "21-cv-00417").

Ordinance, section, bill and policy numbers are not personal data: a number after such a word
is left alone.
"""

import re

from .cues import after_cues, words_of

KIND = "badge_or_case_number"
NEEDS_DIGIT = True

BADGE_CUE = re.compile(r"\b(?:badges?|shields?|stars?|serial|officer'?s\s+number)\b", re.IGNORECASE)
# "Placa" is a badge or a plate: a badge when its number is digits alone ("placa 3391"; "placa KVR-4471" is a plate).
PLACA_CUE = re.compile(r"\b(?:placas?)\b", re.IGNORECASE)
CASE_CUE = re.compile(
    r"\b(?:cases?|caso|reports?|reporte|incidents?|incidente|complaints?|queja|denuncia|files?|expediente|folio|grievances?|"
    r"reference|ref|tickets?|tkt|citations?|citaci[oó]n|multa|docket|booking|tracking|requests?|receipt|event|evento|"
    r"claim|warrant|warning|log|dr|rd|ir)\b",
    re.IGNORECASE,
)
BADGE_WORDS = {"badge", "badges", "shield", "shields", "star", "stars", "serial", "officer"}
CASE_WORDS = {"case", "cases", "caso", "report", "reports", "reporte", "incident", "incidents", "incidente", "complaint",
              "grievance", "grievances",
              "complaints", "queja", "denuncia", "file", "files", "expediente", "folio", "reference", "ref", "ticket",
              "tickets", "citation", "citations", "citación", "citacion", "multa", "docket", "booking", "tracking",
              "request", "requests", "receipt", "event", "evento", "claim", "warrant", "tkt", "warning", "log", "dr",
              "rd", "ir"}
PLURAL = re.compile(r"s$", re.IGNORECASE)
# Groups of capitals or digits joined by "-", "/" or a space before digits, holding three digits
# in a row or more: "A8842", "CR24-01977", "RB 22 904417", "2023-INC-007812", "7731-B", "CPL/2023/0871".
CODE = (r"(?=(?:[a-z]{1,4}-)?[A-Z0-9/ -]*\d{3})(?:[A-Z0-9]{1,14}|[a-z]{1,4}(?=-\d))(?:(?:[-/]|\s(?=\d))[A-Z0-9]{1,10}){0,4}")
# A count is not a number that names something: "300 officers", "500 calls".
COUNTED = (r"(?!\s+(?:officers?|cops|people|residents|calls|cases|complaints|reports|incidents|stops|arrests|searches|"
           r"shootings|deaths|injuries|times|years|days|hours|minutes|dollars|percent|personas|policías|llamadas|"
           r"incidentes|años|días|dias|meses|semanas|weeks|months|horas|minutos|dólares)\b)")
VALUE = re.compile(rf"#?\s?(?P<value>{CODE})(?![\w-]){COUNTED}")
DIGITS = re.compile(rf"(?P<value>\d{{2,7}})(?![\w-]){COUNTED}")  # "placa 3391", not "las placas 30 días"
# A number given with letters in it: "they gave me a number SR-0923", "my number is TC-448120".
NUMBER_GIVEN = re.compile(r"\b(?i:number|n[uú]mero)\s+(?:(?i:is|es|was|era)\s+)?#?\s?(?P<value>[A-Z]{1,4}-?\d{3,8})(?![\w-])")
# Without a cue: forms no ordinary number takes.
DISTINCTIVE = re.compile(
    r"(?<![\w/-])(?:[A-Z]{1,6}[- ]?\d{2,4}-\d{3,7}|[A-Z]{2,5} (?:19|20)\d{2} \d{3,6}|\d{2,4}-[A-Z]{1,4}-\d{3,7}"
    r"|\d{2,4}[A-Z]{1,4}-\d{3,7}|(?:19|20)\d{2}-\d{5,6}|\d{2}-\d{5,6}"
    r"|(?:\d:)?\d{2}-(?:cv|cr|mj)-\d{3,6}|[A-Z]{2,5} \d{2} \d{5,7}|[A-Z]{1,4}-\d{5,8})(?![\w-])"  # "2:23-cv-04418", "TR 24 558102", "TC-448120"
)
# "#1466" or "número 5127" soon after an officer's title or name.
HASH_AFTER_OFFICER = re.compile(
    r"\b(?:officers?|ofc|sgt|sergeant|deputy|detective|det|agent|trooper|cop|oficial|agente|sargento|polic[ií]a)\b"
    r"[^#\n.]{0,40}?(?:#|\bn[uú]mero\b|\bnumber\b)\s?(?P<value>\d{2,7})\b(?![\w-])",
    re.IGNORECASE,
)
# Values no case or badge is numbered with: emergency lines, bills, dates; and years after "report".
NOT_A_NUMBER = re.compile(r"911|311|988|211|(?:HB|SB|AB|ORD|SEC)\b.*|\d{1,2}/\d{1,2}/\d{2,4}")
YEAR = re.compile(r"(?:19|20)\d{2}")
NOT_PERSONAL = re.compile(
    r"\b(?:ord(?:inance)?|resolution|res|bill|hb|sb|ab|section|sec|§|chapter|ch|rule|law|statute|code|policy|"
    r"general\s+order|go|form|route|highway|interstate|i|ley|art[ií]culo|secci[oó]n)\.?\s*#?\s*$",
    re.IGNORECASE,
)


def find(text: str, words: frozenset | None = None):
    words = words_of(text) if words is None else words
    # A badge may be numbered like a year ("placa 1903"); a case after "report" is rarely a year.
    for cue, cue_words, value, years_too in ((BADGE_CUE, BADGE_WORDS, VALUE, True), (PLACA_CUE, {"placa", "placas"}, DIGITS, True),
                                             (CASE_CUE, CASE_WORDS, VALUE, False)):
        if not words & cue_words:
            continue
        for start, end in after_cues(text, cue, value, PLURAL):
            value = text[start:end]
            if (years_too or not YEAR.fullmatch(value)) and not NOT_A_NUMBER.fullmatch(value) \
                    and not NOT_PERSONAL.search(text[max(0, start - 25):start]):
                yield start, end
    if words & {"number", "número", "numero"}:
        for match in NUMBER_GIVEN.finditer(text):
            yield match.start("value"), match.end("value")
    if "#" in text or words & {"número", "numero", "number"}:
        for match in HASH_AFTER_OFFICER.finditer(text):
            if "#" in match.group() or len(match.group("value")) >= 3:  # "the officers number 40" is a count
                yield match.start("value"), match.end("value")
    for match in DISTINCTIVE.finditer(text):
        if not NOT_PERSONAL.search(text[max(0, match.start() - 25):match.start()]) and not NOT_A_NUMBER.fullmatch(match.group()):
            yield match.start(), match.end()
