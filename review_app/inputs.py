"""What arrives with a request, checked once so that no input becomes a 500.

Numbers in URLs are bounded to what a database INTEGER holds; text that no database can store
(a NUL byte, which PostgreSQL refuses, or a lone surrogate, which UTF-8 cannot encode) is refused
with a clear 400 before any view sees it; so is JSON nested deeper than any client needs.
"""

from flask import Flask, abort, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

MAX_INTEGER = 2**31 - 1  # PostgreSQL's INTEGER; SQLite raises OverflowError beyond 2**63
MAX_JSON_DEPTH = 32


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` in routes: a number no table can hold matches no route (404), not a 500."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_INTEGER, signed=False):  # noqa: A002  werkzeug's names
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def whole_number(raw: str | None) -> int | None:
    """The number a form or URL sent, or None when missing, malformed ("²", "-1") or too large for a table."""
    if raw and raw.isascii() and raw.isdigit() and int(raw) <= MAX_INTEGER:
        return int(raw)
    return None


def int_arg(name: str, default: int | None = None) -> int | None:
    """A whole-number query parameter, or `default`."""
    number = whole_number(request.args.get(name))
    return default if number is None else number


def page_arg() -> int:
    return max(int_arg("page", 1), 1)


def _unstorable(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, e.g. from the JSON escape "\ud800"
        return True
    return False


def _too_deep():
    abort(400, description=_("The JSON body is nested more than %(depth)d levels deep.", depth=MAX_JSON_DEPTH))


def _json_strings(data):
    """(where, text) for every key and string in a parsed JSON body, walked without recursion."""
    stack = [("", data, 1)]
    while stack:
        where, value, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            _too_deep()
        if isinstance(value, str):
            yield where or "body", value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield "key", key
                stack.append((key, item, depth + 1))
        elif isinstance(value, list):
            stack.extend((where, item, depth + 1) for item in value)


def _refuse_unstorable_input():
    sent = [("path", request.path), *request.args.items(multi=True), *request.form.items(multi=True)]
    sent += [("name", key) for key in (*request.args.keys(), *request.form.keys())]
    if request.is_json:
        try:
            data = request.get_json(silent=True)
        except RecursionError:  # the parser's own guard against stack exhaustion
            _too_deep()
        sent += _json_strings(data)
    for field, text in sent:
        if _unstorable(text):
            field = "name" if _unstorable(field) else field
            abort(400, description=_("“%(field)s” holds a character that cannot be stored (a NUL byte or an unpaired "
                                     "surrogate). Remove it and send again.", field=field))


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(_refuse_unstorable_input)
