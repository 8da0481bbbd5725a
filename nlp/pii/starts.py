"""Patterns tried only where a match can start, found by a cheaper search than the pattern's own.

re cannot skip ahead to an alternation of words when it ignores case: it tries the whole pattern
at each character (25 µs for "driver's license|passport|state ID|..." on a comment of 60 words),
and a pattern that starts with a class of characters tests each character against the class.
str.find finds a word (about 0.25 µs a word), a search of the text's shape (shape.py) finds a
literal byte, and the pattern is then tried at those places alone.
"""

import re


def matches_at(pattern: re.Pattern, text: str, starts):
    """pattern.finditer(text), for a pattern whose every match starts at one of starts (ascending)."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)):  # no overlaps, as finditer
            yield match
            end = match.end()


def matches_at_words(pattern: re.Pattern, words: tuple[str, ...], text: str, lowered: str | None = None):
    """pattern.finditer(text), for a pattern whose every match starts with one of the words
    (lower-case; the text's case is ignored in finding them). lowered is text.lower() if known."""
    lowered = text.lower() if lowered is None else lowered
    if len(lowered) != len(text):  # a letter whose lower case is two characters ("İ"): places differ
        return pattern.finditer(text)
    starts = set()
    for word in words:
        start = lowered.find(word)
        while start >= 0:
            starts.add(start)
            start = lowered.find(word, start + 1)
    return matches_at(pattern, text, sorted(starts))
