"""Password rules (ASVS V2.1) and argon2id hashing (argon2-cffi)."""

import functools
import re
import secrets
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext, lazy_gettext as _l
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 8  # the floor; below LONG_ENOUGH a password must also be hard to guess
LONG_ENOUGH = 12
MAX_LENGTH = 1024  # long passphrases are welcome; the cap only stops hashing megabytes
SCORED_LENGTH = 72  # zxcvbn's own limit: the first 72 characters are scored
COMMON_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"])  # 30,000 from breaches, shipped with zxcvbn
SITE_WORDS = ("civic", "review", "civicreview")

# What makes a refused password easy to guess, by the kind of zxcvbn match that covers most of it.
WEAKNESS = {
    "repeat": _l("It repeats letters or words."),
    "sequence": _l("It has a sequence like \u201cabc\u201d or \u201c1234\u201d."),
    "spatial": _l("It has a keyboard pattern like \u201cqwerty\u201d."),
    "date": _l("It has a date or a year."),
    "regex": _l("It has a date or a year."),
    "dictionary": _l("It is close to a common password, word or name."),
    "user_inputs": _l("It is built from your email address or name."),
}


def password_problem(password: str, user_inputs: Iterable[str] = ()) -> str | None:
    """Return why a new password is refused, and what to do instead, or None.

    At least 12 characters, or a zxcvbn score of 3 or more (and never below 8 characters or a
    score of 2); never a common or breached password or one made of the site's name. No
    composition rules, by design: a few unrelated words pass easily.
    """
    advice = gettext("Try three or four unrelated words that mean something only to you.")
    if len(password) < MIN_LENGTH:
        return gettext("Use at least %(n)s characters; %(long)s or more is better.", n=MIN_LENGTH, long=LONG_ENOUGH) + " " + advice
    if len(password) > MAX_LENGTH:
        return gettext("Use at most %(n)s characters.", n=MAX_LENGTH)
    if password.lower() in COMMON_PASSWORDS:
        return gettext("This password is too common: it is on lists that attackers try first.") + " " + advice
    if _built_from_site_name(password):
        return gettext("Do not build your password from this site's name.") + " " + advice
    words = [*_personal_words(user_inputs), *SITE_WORDS]
    result = zxcvbn(password[:SCORED_LENGTH], user_inputs=words)
    if result["score"] < (2 if len(password) >= LONG_ENOUGH else 3):
        return " ".join(filter(None, [gettext("This password is easy to guess."), _weakness(result), advice]))
    return None


def _built_from_site_name(password: str) -> bool:
    """True for "civicreview", "Civic Review 2026!" and the like: the name with little else."""
    letters = re.sub(r"[^a-z]", "", password.lower())
    rest = letters.replace("civic", "").replace("review", "")
    return rest != letters and len(rest) < 4


def _personal_words(user_inputs: Iterable[str]) -> list[str]:
    """The email address, its local part and each word of the name, for zxcvbn to match against."""
    words = []
    for value in filter(None, user_inputs):
        words += [value, value.split("@")[0], *re.split(r"[\W_]+", value)]
    return [word for word in words if len(word) >= 3]


def _weakness(result: dict) -> str:
    longest = max(result["sequence"], key=lambda match: len(match["token"]), default={})
    kind = "user_inputs" if longest.get("dictionary_name") == "user_inputs" else longest.get("pattern")
    return str(WEAKNESS.get(kind, ""))


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


@functools.cache
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    """A hash of a random password, made once per set of parameters: checking a password against
    it costs what checking against a real account's hash costs."""
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    return hasher.hash(secrets.token_urlsafe(32))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check the password against the hash. With no usable hash (no such account, or one that
    cannot sign in) it checks against a dummy hash and returns False, so the answer takes as
    long either way and does not tell which email addresses have accounts."""
    hasher = _hasher()
    if not (password_hash or "").startswith("$argon2"):
        password_hash = _dummy_hash(hasher.time_cost, hasher.memory_cost, hasher.parallelism)
        _check(hasher, password_hash, password)
        return False
    return _check(hasher, password_hash, password)


def _check(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the stored hash uses older parameters and should be upgraded at login."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True
