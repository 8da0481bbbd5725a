"""Street addresses with a house number, in English and Spanish: "1420 Elm Street", "88 Carver
Ave, Apt 3B", "515 e 22nd st", "2400 17th ave s, apt 301", "3501 Martin Luther King Jr. Blvd",
"1834 Calle Ocho", "3300 Avenida Reforma, Depto. 12, Riverton, MN 55412".

Intersections ("5th and Main"), streets without a number and counts ("5 cops on the street")
are not personal data: the street's name holds no function word, and a name in lower case needs
an abbreviated suffix ("st", "ave", "rd").
"""

import re

KIND = "street_address"
NEEDS_DIGIT = True

SUFFIXES = (
    r"Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|"
    r"Parkway|Pkwy|Circle|Cir|Highway|Hwy|Square|Sq|Trail|Trl|Alley|Row|Concourse|Plaza|Loop|Pike|Crescent"
)
LOWER_SUFFIXES = r"st|ave|av|rd|blvd|ln|dr|ct|pkwy|hwy|ter|cir|pl|trl|street|avenue|road|boulevard"
DIRECTION = r"(?:[NSEW]|NE|NW|SE|SW|North|South|East|West|n|s|e|w|ne|nw|se|sw)\.?"
NUMBER = r"(?<![\w$#.,/-])\d{1,6}[A-Za-z]?(?:-\d{1,4})?"
ORDINAL = r"\d{1,3}(?:st|nd|rd|th)"
CAP_PART = rf"(?:[A-ZÁÉÍÓÚÑ][\w'.-]*|{ORDINAL}|\d{{1,3}})"
FUNCTION_WORDS = (r"and|or|the|on|in|at|of|to|for|by|with|from|a|an|y|en|de|la|el|down|up|our|my|your|his|her|their|this|"
                  r"that|every|each|all|some|over|through|into|onto|past|along|across|around|near|off|out|one|more|mph|"
                  r"miles|blocks|feet|minutes|cops|officers|people|times|cars|kids|years")
LOW_PART = rf"(?:(?!(?:{FUNCTION_WORDS})\b)[a-záéíóúñ][a-záéíóúñ'-]+|{ORDINAL})"
UNIT = (r"(?:,?\s+(?:(?i:apt|apto|apartment|unit|suite|ste|room|rm|depto|dpto|departamento|piso|int|interior|bldg|building|floor|fl)"
        r"\b\.?|#)\s*#?\s*[\w-]{1,5}(?![\w-]))")
CITY = r"(?:,\s+[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s+[A-Z]{2}(?:\s+\d{5}(?:-\d{4})?)?)"
ENDING = rf"(?:\s+{DIRECTION}(?![\w]))?{UNIT}?{CITY}?"

ENGLISH = re.compile(
    rf"{NUMBER}\s+(?:{DIRECTION}\s+)?(?:{CAP_PART}\s+){{1,4}}?(?:{SUFFIXES})\.?(?![\w-]){ENDING}"
)
LOWER = re.compile(
    rf"{NUMBER}\s+(?:{DIRECTION}\s+)?(?:{LOW_PART}\s+){{1,3}}?(?:{LOWER_SUFFIXES})\.?(?![\w-]){ENDING}"
)
SPANISH_STREET = r"(?i:calle|avenida|av\.|ave\.|camino|paseo|callej[oó]n|carretera|privada|cerrada|bulevar)"
SPANISH_NAME = rf"(?:(?:{CAP_PART}|(?:sur|norte|oriente|poniente|este|oeste)\b|(?:de|del|la|las|los|el)(?=\s+[A-ZÁÉÍÓÚÑ]))\s*)"
SPANISH = re.compile(
    rf"{NUMBER}\s+(?:{DIRECTION}\s+)?{SPANISH_STREET}\s+{SPANISH_NAME}{{1,4}}(?<=[\w.])(?![\w-]){UNIT}?{CITY}?"
)
# The number first, "de la" and the street: "el 1423 de la calle Olmo apto 3", "3309 de la Pine, apto 12"
# (without "calle", a unit must follow: "el 15 de la Semana Santa" is a date).
SPANISH_DE = re.compile(
    rf"{NUMBER}\s+de\s+(?:la|el)\s+(?:{SPANISH_STREET}\s+{SPANISH_NAME}{{1,4}}(?<=[\w.])(?![\w-]){UNIT}?"
    rf"|{SPANISH_NAME}{{1,3}}(?<=[\w.])(?![\w-]){UNIT}){CITY}?"
)
# "el 3307 de la Cedar," with neither "calle" nor a unit: a house number of three digits or more that is
# no year, one street name, and the clause ends ("el 15 de la Semana Santa" is a date).
SPANISH_DE_BARE = re.compile(rf"(?<=\b[Ee]l\s)(?!(?:19|20)\d\d\b)\d{{3,5}}\s+de\s+la\s+{CAP_PART}(?=\s*[,.;]|\s+(?:y|e)\s)")
# The number, "de" and an English street: "el 905 de Marsh Road, apto 2B".
SPANISH_DE_ENGLISH = re.compile(rf"{NUMBER}\s+de\s+(?:(?:la|el)\s+)?(?:{CAP_PART}\s+){{1,3}}?(?:{SUFFIXES})\.?(?![\w-]){UNIT}?{CITY}?")
# The street first, then its number, as Spanish writes it: "la Calle Cedro 1312, depto. B", "Avenida Juárez #455".
STREET_THEN_NUMBER = re.compile(
    rf"{SPANISH_STREET}\s+{SPANISH_NAME}{{1,3}}?,?\s*(?:#|(?i:n[úu]m\.?|no\.|n[úu]mero)\s*)?\d{{2,5}}[A-Za-z]?(?![\w-])"
    rf"(?!\s+(?i:veces|años|dias|días|horas|minutos|cuadras|personas|metros|millas|de\s+(?:la\s+)?(?:mañana|tarde|noche)))"
    rf"{UNIT}?{CITY}?")
# A number and a name with no suffix, when a unit follows: "1015 Grand Concourse, Room 304".
WITH_UNIT = re.compile(rf"{NUMBER}\s+(?:{CAP_PART}\s+){{0,3}}{CAP_PART}{UNIT}{CITY}?")


# A road's number is no house number: "the Highway 40 frontage road", "Route 9 Rd".
ROAD_NUMBER = re.compile(r"\b(?:highway|hwy|route|rte|interstate|us|sr|state\s+road|county\s+road|exit|carretera)\s*$", re.IGNORECASE)


def find(text: str, words: frozenset | None = None):
    for pattern in (ENGLISH, LOWER, SPANISH, SPANISH_DE, SPANISH_DE_BARE, SPANISH_DE_ENGLISH, STREET_THEN_NUMBER, WITH_UNIT):
        for match in pattern.finditer(text):
            if ROAD_NUMBER.search(text[max(0, match.start() - 20):match.start()]):
                continue
            end = match.end()
            # A whole word and a full stop end the sentence ("3905 Ave. Lindero. En"); an abbreviation does not.
            stop = next((m for m in re.finditer(r"(\w{5,})\.\s+(?=[A-ZÁÉÍÓÚÑ][a-záéíóúñ])", text[match.start():end])), None)
            if stop:
                end = match.start() + stop.start() + len(stop.group(1))
            while end > match.start() and text[end - 1] in ",. ":
                end -= 1
            yield match.start(), end
