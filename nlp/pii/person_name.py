"""Names of private people and officers: "Officer Jane Doe", "my neighbor Tom Reyes", "Sgt. Price".

A name is found after a title or a relationship word, or as a first name from a list of
given names followed by a capitalised surname. Titles alone ("the Chief", "Officer safety")
and capitalised common words are not names.
"""

import re
from functools import lru_cache
from itertools import chain

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from .starts import matches_at

KIND = "person_name"
NEEDS_DIGIT = False
TITLES = (
    r"Officer|Ofc\.|Sergeant|Sgt\.?|Detective|Det\.|Deputy|Lieutenant|Lt\.?|Captain|Capt\.?|Corporal|Cpl\.?"
    r"|Trooper|Agent|Chief|Commander|Inspector|Mr\.?|Mrs\.?|Ms\.?|Miss|Dr\.?"
)
RELATIONS = (
    r"neighbou?r|son|daughter|brother|sister|cousin|nephew|niece|friend|husband|wife|partner|landlord"
    r"|coworker|co-worker|boss|grandson|granddaughter|uncle|aunt|mother|father|mom|dad"
)
NAME_WORD = r"(?:O'|Mc|Mac|De|La|Le)?[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"
WORD = rf"{NAME_WORD}(?:\s(?:[A-Z]\.|{NAME_WORD})){{0,2}}"
# Tried only where a capitalised pair starts (PAIR_STARTS), so a leading word boundary costs nothing.
AFTER_TITLE = re.compile(rf"(?<!\w)(?:{TITLES})\s+(?P<name>{WORD})")
# A pattern that starts with a letter, not with \b: re then skips ahead to the letters that can
# start a match, where a leading \b makes it try every position (three times slower).
# _word_starts checks the word boundary instead.
AFTER_RELATION = re.compile(rf"(?:My|my|Our|our|His|his|Her|her)\s+(?:{RELATIONS})\s*,?\s+(?P<name>{WORD})")
# A first name (NAME_WORD) and a last: the first letter, which must start a word ((?<!\w.) once it
# is read), then the rest of the first name in a lookahead, so "Ask Steven Delgado" is tried at
# "Steven" too after failing at "Ask". The first name is text[match.start():match.end("rest")].
FIRST_REST = r"(?:(?<=O)'[A-Z]|(?<=M)c[A-Z]|(?<=M)ac[A-Z]|(?<=D)e[A-Z]|(?<=L)a[A-Z]|(?<=L)e[A-Z]|)[a-z]+(?:[-'][A-Z]?[a-z]+)?"
FIRST_LAST = re.compile(rf"[A-Z](?<!\w.)(?=(?P<rest>{FIRST_REST})\s+(?P<last>{NAME_WORD})\b)")
# Given names that are everyday words and start sentences ("Will Smith" aside, "Will someone...").
AMBIGUOUS_GIVEN = {"will", "grace", "hope", "may", "june", "rose", "major", "black", "white", "green", "brown", "young",
                   "king", "long", "bill", "mark", "park", "lane", "dean", "joy", "faith", "chase", "case", "art", "page"}
CAPITALISED_PAIR = re.compile(r"[A-Z][\w'.-]*\s+[A-Z]")  # what AFTER_TITLE and FIRST_LAST need to match
# Every place where AFTER_TITLE or FIRST_LAST can match, on the text's shape (shape.py): a capital,
# letters (and ' . -), spaces, a capital. A scan for one literal byte is a tight loop in re, where
# the patterns' own scans call a function for each character; most comments hold no such pair,
# the others one or two.
PAIR_STARTS = re.compile(rb"A(?=[Aa'.-]* +A)")
STREET_AFTER = re.compile(r"^\s+(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Park|Elementary|High|Middle|School|Library|Center|Hall)\b")


@lru_cache(maxsize=1)
def _lexicons():
    given = set(FREQUENCY_LISTS["male_names"]) | set(FREQUENCY_LISTS["female_names"])
    surnames = set(FREQUENCY_LISTS["surnames"])
    # Everyday words that are also names ("Will", "Grace", "Black") need more evidence than a list.
    common = set(FREQUENCY_LISTS["english_wikipedia"][:6000]) | set(FREQUENCY_LISTS["us_tv_and_film"][:4000])
    return given, surnames, common


def _in_surnames(word: str, surnames: set) -> bool:
    """The list spells "O'Brien" as "obrien"."""
    return word in surnames or ("'" in word and word.replace("'", "") in surnames)


def _looks_like_name(words: list[str]) -> bool:
    given, surnames, common = _lexicons()
    lowered = [w.lower().rstrip(".") for w in words]
    if any(w in given or _in_surnames(w, surnames) for w in lowered):
        return True
    return all(w not in common for w in lowered)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop capitalised common words that trail a name ("Officer Price Said" -> "Price")."""
    _, _, common = _lexicons()
    words = text[start:end].split()
    while len(words) > 1 and words[-1].lower() in common and words[-1].lower() not in _lexicons()[1]:
        words.pop()
    return start, start + len(" ".join(words))


def find(text: str, shape: bytes | None = None):
    if shape is None:  # not ASCII: the patterns scan the text themselves, if it holds a capitalised pair
        pair_starts = None if CAPITALISED_PAIR.search(text) else []
    else:
        pair_starts = [match.start() for match in PAIR_STARTS.finditer(shape)]
    for match in chain(_matches(AFTER_TITLE, text, pair_starts), _word_starts(AFTER_RELATION, text)):
        start, end = _trim(text, match.start("name"), match.end("name"))
        if _looks_like_name(text[start:end].split()) and not STREET_AFTER.match(text[end:]):
            yield start, end
    given, surnames, common = _lexicons()
    for match in _matches(FIRST_LAST, text, pair_starts):
        first, last = text[match.start():match.end("rest")].lower(), match.group("last").lower()
        surname_like = _in_surnames(last, surnames) or last not in common
        end = match.end("last")
        if first in given and surname_like and first not in AMBIGUOUS_GIVEN and not STREET_AFTER.match(text[end:]):
            yield match.start(), end


def _matches(pattern: re.Pattern, text: str, starts: list[int] | None):
    """pattern.finditer(text), tried only at starts if they are known."""
    return pattern.finditer(text) if starts is None else matches_at(pattern, text, starts)


def _word_starts(pattern: re.Pattern, text: str):
    """pattern.finditer(text), keeping the matches that start a word (as a word boundary first in the pattern would)."""
    position = 0
    while match := pattern.search(text, position):
        start = match.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):  # re's \w
            position = start + 1
            continue
        yield match
        position = match.end()
