"""The open-data JSON API (/api/v1): public reads, and comment intake for integrations with a token.

Every error is {"error": {"code", "message", "field"}}; the OpenAPI document in openapi.py
describes every route here, and a test checks they agree.
"""

from datetime import date, datetime, time, timedelta

from flask import Blueprint, current_app, g, jsonify, render_template, request
from email_validator import EmailNotValidError, validate_email
from flask.typing import ResponseReturnValue
from nlp import STANCES, THEMES
from sqlalchemy import String, cast, select
from sqlalchemy.orm import joinedload

from ..accounts.services import display_name_problem
from ..analysis.models import CommentAnalysis
from ..comments import services as comments
from ..comments.models import Channel, Comment, CommentStatus
from ..extensions import db, limiter
from ..reports import actions
from ..reports.models import ReportVersion
from ..reports.quotes import with_current_quotes
from ..analysis.services import labels_for
from ..reports.summary import build_summary
from ..rounds.models import Round, RoundStatus, Section
from ..rounds.services import published_comment_counts
from ..security import public_url
from ..timeutil import utcnow
from .models import ApiToken, hash_token
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Reads are limited per client address (writes, below, per token as well).
limiter.limit("300 per minute", methods=["GET"])(bp)

MAX_PER_PAGE = 100
MAX_KEY_LENGTH = 48


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.code, self.field = status, code, field


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    return jsonify({"error": {"code": error.code, "message": str(error), "field": error.field}}), error.status


def _conditional(payload) -> ResponseReturnValue:
    """JSON with an ETag, answered with 304 when the client already has this version."""
    response = jsonify(payload)
    response.add_etag()
    response.headers["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response.make_conditional(request)


def _int_param(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise ApiError(400, "bad_request", f"{name} must be a whole number from {low} to {high}.", name)
    return int(raw)


def _choice_param(name: str, allowed) -> str | None:
    raw = request.args.get(name)
    if raw is not None and raw not in allowed:
        raise ApiError(400, "bad_request", f"{name} must be one of: {', '.join(sorted(allowed))}.", name)
    return raw


def _date_param(name: str) -> date | None:
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(400, "bad_request", f"{name} must be a date like 2026-11-25.", name) from None


def _public_round(slug: str) -> Round:
    round_ = db.session.scalar(select(Round).where(Round.slug == slug, Round.status != RoundStatus.DRAFT))
    if round_ is None:
        raise ApiError(404, "not_found", "No public round has this slug.", "slug")
    return round_


def _iso(value):
    return value.isoformat() + "Z" if value else None


def _round_summary(round_: Round, comment_count: int) -> dict:
    return {
        "slug": round_.slug, "title": round_.title, "summary": round_.summary, "department": round_.department,
        "status": round_.status, "moderation_mode": round_.moderation_mode, "opens_at": _iso(round_.opens_at),
        "closes_at": _iso(round_.closes_at), "report_expected_at": _iso(round_.report_expected_at),
        "published_comment_count": comment_count,
        "url": public_url("api.round_detail", slug=round_.slug),
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/docs")
def docs():
    return render_template("api/docs.html", doc=openapi_document())


@bp.get("/rounds")
def rounds():
    public = db.session.scalars(select(Round).where(Round.status != RoundStatus.DRAFT).order_by(Round.id)).all()
    counts = published_comment_counts([r.id for r in public])
    return _conditional({"rounds": [_round_summary(r, counts.get(r.id, 0)) for r in public]})


@bp.get("/rounds/<slug>")
def round_detail(slug: str):
    round_ = _public_round(slug)
    body = _round_summary(round_, published_comment_counts([round_.id]).get(round_.id, 0))
    body["sections"] = [{"number": s.number, "heading": s.heading, "body": s.body, "position": s.position} for s in round_.sections]
    body["comments_url"] = public_url("api.round_comments", slug=slug)
    return _conditional(body)


def public_comment(comment: Comment, themes: list[str], stance: str) -> dict:
    """Only what is public: the redacted text, no email, account, demographics or moderation detail."""
    return {
        "id": comment.id, "parent_id": comment.parent_id, "thread_id": comment.thread_id,
        "section": comment.section.number if comment.section else None, "display_name": comment.public_name,
        "body": comment.public_body, "themes": themes, "stance": stance, "declared_stance": comment.stance,
        "campaign_id": comment.campaign_id, "channel": comment.channel, "support_count": comment.support_count,
        "created_at": _iso(comment.created_at), "published_at": _iso(comment.published_at),
    }


@bp.get("/rounds/<slug>/comments")
def round_comments(slug: str):
    round_ = _public_round(slug)
    page = _int_param("page", 1, 1, 1_000_000)
    per_page = _int_param("per_page", 50, 1, MAX_PER_PAGE)
    section = request.args.get("section")  # a number the round does not have simply matches nothing
    theme = _choice_param("theme", set(THEMES))
    stance = _choice_param("stance", set(STANCES))
    since, until = _date_param("since"), _date_param("until")
    statement = (
        select(Comment)
        .where(Comment.round_id == round_.id, Comment.status == CommentStatus.PUBLISHED)
        .options(joinedload(Comment.author), joinedload(Comment.section), joinedload(Comment.analysis))
        .order_by(Comment.id)  # stable: new comments only ever append
    )
    if section:
        statement = statement.join(Section, Section.id == Comment.section_id).where(Section.number == section)
    if theme:  # allowlisted above, so safe inside the match; moderators' corrections are applied below
        statement = statement.join(CommentAnalysis, CommentAnalysis.comment_id == Comment.id).where(
            cast(CommentAnalysis.themes, String).contains(f'"{theme}"'))
    if stance:
        statement = statement.where(Comment.stance == stance)
    if since:
        statement = statement.where(Comment.published_at >= datetime.combine(since, time.min))
    if until:
        statement = statement.where(Comment.published_at < datetime.combine(until + timedelta(days=1), time.min))
    result = db.paginate(statement, page=page, per_page=per_page, error_out=False)

    def link(number):
        return public_url("api.round_comments", slug=slug, page=number, per_page=per_page, section=section, theme=theme,
                          stance=stance, since=request.args.get("since"), until=request.args.get("until"))

    return _conditional({
        "comments": [public_comment(row.comment, row.themes, row.stance) for row in labels_for(list(result.items))],
        "pagination": {"page": page, "per_page": per_page, "total": result.total,
                       "next": link(page + 1) if result.has_next else None, "prev": link(page - 1) if page > 1 else None},
    })


@bp.get("/rounds/<slug>/summary")
@limiter.limit("30 per minute")  # may wait for a recount of every comment
def round_summary(slug: str):
    round_ = _public_round(slug)
    summary = build_summary(round_)
    themes = with_current_quotes({"themes": [
        {"key": t.key, "label": t.label, "voices": t.voices, "comments": t.comments,
         "signatures_in_campaigns": sum(size for _, size in t.campaigns), "stance": t.stance,
         "phrases": t.phrases, "quotes": t.quotes} for t in summary.themes]})["themes"]
    # Answers about residents are published once the round is closed and they can no longer change:
    # live counts let anyone who adds answers of their own read the others' by difference.
    districts = None if round_.accepting_comments else [
        {"district": d, "residents": count if isinstance(count, int) else None, "suppressed": not isinstance(count, int)}
        for d, count, _, _ in summary.districts]
    return _conditional({
        "comments": summary.comments, "voices": summary.voices, "commenters": summary.commenters,
        "supports": summary.supports, "themes": themes, "districts": districts,
    })


def _versions(round_: Round):
    return db.session.scalars(select(ReportVersion).where(ReportVersion.round_id == round_.id).order_by(ReportVersion.number)).all()


@bp.get("/rounds/<slug>/reports")
def reports(slug: str):
    round_ = _public_round(slug)
    return _conditional({"reports": [
        {"number": v.number, "stage": v.stage, "published_at": _iso(v.published_at), "change_note": v.change_note,
         "amended_at": _iso(v.amended_at), "amendment_note": v.amendment_note,
         "url": public_url("api.report", slug=slug, number=v.number)} for v in _versions(round_)
    ]})


@bp.get("/rounds/<slug>/reports/<int:number>")
def report(slug: str, number: int):
    round_ = _public_round(slug)
    version = next((v for v in _versions(round_) if v.number == number), None)
    if version is None:
        raise ApiError(404, "not_found", "This round has no report with that number.", "number")
    return _conditional({"number": version.number, "stage": version.stage, "published_at": _iso(version.published_at),
                         "change_note": version.change_note, "amended_at": _iso(version.amended_at),
                         "amendment_note": version.amendment_note, "content": with_current_quotes(version.content)})


# ---- intake --------------------------------------------------------------------------------------

def _valid_token() -> ApiToken | None:
    """The request's bearer token if it is one we issued and it is not revoked (looked up once)."""
    if "api_token" not in g:
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        token = None
        if scheme.lower() == "bearer" and secret.strip():
            token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret.strip())))
        g.api_token = token if token is not None and token.revoked_at is None else None
    return g.api_token


def _token() -> ApiToken:
    token = _valid_token()
    if token is None:
        scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not secret:
            raise ApiError(401, "unauthorized", "Send an API token: Authorization: Bearer <token>.")
        raise ApiError(401, "unauthorized", "This API token is not valid or was revoked.")
    return token


def _rate_key() -> str:
    """Writes count per verified token; anything else (no token, a made-up one) per client
    address, so inventing tokens buys no more attempts."""
    token = _valid_token()
    return f"token:{token.id}" if token is not None else "ip:" + (request.remote_addr or "")


def _text_field(data: dict, name: str, required=False, max_length=80) -> str | None:
    value = data.get(name)
    if value is None:
        if required:
            raise ApiError(422, "unprocessable", f"{name} is required.", name)
        return None
    if not isinstance(value, str):
        raise ApiError(422, "unprocessable", f"{name} must be a string.", name)
    if len(value) > max_length:
        raise ApiError(422, "unprocessable", f"{name} is {len(value)} characters; the limit is {max_length}.", name)
    return value


def _email(data: dict) -> str | None:
    email = _text_field(data, "email", max_length=254)
    if email is None:
        return None
    try:
        return validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ApiError(422, "unprocessable", "email is not a valid address.", "email") from None


@bp.post("/rounds/<slug>/comments")
@limiter.limit("60 per minute", key_func=_rate_key)
def submit_comment(slug: str):
    token = _token()
    round_ = _public_round(slug)
    if not token.may_write_to(slug):
        raise ApiError(403, "forbidden", "This token may not submit comments to this round.")
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ApiError(400, "bad_request", f"Send an Idempotency-Key header of 1 to {MAX_KEY_LENGTH} characters.", "Idempotency-Key")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "bad_request", "The body must be a JSON object.")
    body = _text_field(data, "body", required=True, max_length=comments_limit())
    if not body.strip():
        raise ApiError(422, "unprocessable", "body is empty.", "body")
    channel = _text_field(data, "channel", required=True, max_length=10)
    if channel not in {c.value for c in Channel}:
        raise ApiError(422, "unprocessable", "channel must be web, paper, kiosk or sms.", "channel")
    stance = _text_field(data, "stance", max_length=10)
    if stance is not None and stance not in STANCES:
        raise ApiError(422, "unprocessable", "stance must be support, oppose, mixed or unclear.", "stance")
    section = _text_field(data, "section", max_length=20)
    section_id = None
    if section is not None:
        section_id = next((s.id for s in round_.sections if s.number == section), None)
        if section_id is None:
            raise ApiError(422, "unprocessable", "No section of this round has that number.", "section")
    stored_key = f"api:{token.id}:{key}"
    earlier = db.session.scalar(select(Comment).where(Comment.idempotency_key == stored_key))
    if earlier is not None and earlier.body != body:
        raise ApiError(409, "conflict", "This Idempotency-Key was used for a different comment.", "Idempotency-Key")
    display_name = _text_field(data, "display_name")
    if display_name and (problem := display_name_problem(display_name)):
        raise ApiError(422, "unprocessable", problem, "display_name")
    submission = comments.Submission(
        body=body, section_id=section_id, stance=stance, display_name=display_name,
        email=_email(data), idempotency_key=stored_key, channel=channel,
    )
    try:
        comment = comments.submit_comment(round_, None, submission)
    except comments.CommentProblem as problem:
        status = 409 if not round_.accepting_comments else 422
        raise ApiError(status, "round_closed" if status == 409 else "unprocessable", str(problem), problem.field) from None
    token.last_used_at = utcnow()
    db.session.commit()
    labels = labels_for([comment])[0]
    payload = {"comment": {**public_comment(comment, labels.themes, labels.stance), "status": comment.status,
                           "receipt": comment.receipt}}
    return jsonify(payload), 200 if earlier is not None else 201


def comments_limit() -> int:
    return current_app.config["COMMENT_MAX_LENGTH"]


@bp.get("/rounds/<slug>/actions")
def round_actions(slug: str):
    """The actions of the round's final plan, with status, indicator values and progress updates."""
    round_ = _public_round(slug)
    return _conditional({"actions": actions.tracker_data(round_)})


@bp.get("/rounds/<slug>/actions/<int:action_id>")
def round_action(slug: str, action_id: int):
    round_ = _public_round(slug)
    found = next((a for a in actions.tracker_data(round_) if a["id"] == action_id), None)
    if found is None:
        raise ApiError(404, "not_found", "The round's published plan has no action with this id.", "action_id")
    return _conditional(found)
