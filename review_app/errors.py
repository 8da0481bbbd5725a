"""Error pages: HTML for people, JSON under /api/; never a traceback."""

from flask import Flask, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

API_ERROR_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    422: "unprocessable", 429: "rate_limited", 500: "server_error",
}


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
        response = render_template("errors/error.html", error=error, status=status)
    response = make_response(response, status)
    if status == 429 and getattr(error, "retry_after", None):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _handle_unexpected_error(error: Exception):
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s", request.path)
    return _handle_http_error(InternalServerError())

