"""Error pages: HTML for people, JSON under /api/; never a traceback."""

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException, InternalServerError

from .i18n import N_

API_ERROR_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    422: "unprocessable", 429: "rate_limited", 500: "server_error",
}

# Werkzeug's names and descriptions are English only: these are shown instead, in the page's language.
PAGE_TEXTS = {
    400: (N_("Bad request"), N_("The page could not understand what your browser sent. Go back, reload the page and try again.")),
    403: (N_("Not allowed"), N_("Your account cannot open this page. If you think it should, sign in with another account or contact us.")),
    404: (N_("Page not found"), N_("There is no page at this address. Check the address, or start again from the list of reviews.")),
    405: (N_("Not allowed"), N_("This page cannot be used this way. Go back and use the page's links and buttons.")),
    413: (N_("Too large"), N_("What you sent is too large. Send a shorter text or a smaller file.")),
    429: (N_("Too many requests"), N_("You have sent many requests in a short time. Wait a minute and try again.")),
    409: (N_("Changed meanwhile"), N_("Someone changed this at the same time. Reload the page and try again.")),
    500: (N_("Something went wrong"), N_("The site met an error and could not finish. It has been recorded; try again in a few minutes.")),
    503: (N_("Not available"), N_("This is not available right now. Try again in a few minutes.")),
}


def page_text(error: HTTPException, status: int) -> tuple[str, str]:
    """The error's title and explanation in the page's language; a view's own description (already
    translated where it was written) comes before the generic one."""
    name, description = PAGE_TEXTS.get(status, (None, None))
    own = error.description if error.description != type(error).description else None
    return (gettext(name) if name else error.name), own or (gettext(description) if description else error.description)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(Exception, _handle_unexpected_error)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _handle_http_error(error: HTTPException):
    if error.response is not None:  # a view built its own answer (e.g. a form kept after a rate limit)
        return error.response
    status = error.code or 500
    if wants_json():
        body = {"error": {"code": API_ERROR_CODES.get(status, "error"), "message": error.description, "field": None}}
        response = jsonify(body)
    else:
        title, description = page_text(error, status)
        response = render_template("errors/error.html", title=title, description=description, status=status)
    response = make_response(response, status)
    if status == 429 and getattr(error, "retry_after", None):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _handle_unexpected_error(error: Exception):
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s", request.path)
    return _handle_http_error(InternalServerError())

