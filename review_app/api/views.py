"""Read-only JSON views of rounds and their published comments: the seed of the open-data API."""

from flask import Blueprint, abort, jsonify, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..comments.models import Comment, CommentStatus
from ..extensions import db
from ..rounds.models import Round, RoundStatus
from ..rounds.services import published_comment_counts

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_PER_PAGE = 100


class BadParameter(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@bp.errorhandler(BadParameter)
def _bad_parameter(error: BadParameter):
    body = {"error": {"code": "bad_request", "message": str(error), "field": error.field}}
    return jsonify(body), 400


def _int_param(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadParameter(name, f"{name} must be a whole number from {low} to {high}.")
    return int(raw)


def _public_round_or_404(slug: str) -> Round:
    round_ = db.session.scalar(select(Round).where(Round.slug == slug, Round.status != RoundStatus.DRAFT))
    return round_ or abort(404, description="No public round has this slug.")


def _iso(value):
    return value.isoformat() + "Z" if value else None


def _round_summary(round_: Round, comment_count: int) -> dict:
    return {
        "slug": round_.slug,
        "title": round_.title,
        "summary": round_.summary,
        "department": round_.department,
        "status": round_.status,
        "moderation_mode": round_.moderation_mode,
        "opens_at": _iso(round_.opens_at),
        "closes_at": _iso(round_.closes_at),
        "report_expected_at": _iso(round_.report_expected_at),
        "published_comment_count": comment_count,
        "url": url_for("api.round_detail", slug=round_.slug, _external=True),
    }


@bp.get("/rounds")
def rounds():
    public = db.session.scalars(select(Round).where(Round.status != RoundStatus.DRAFT).order_by(Round.id)).all()
    counts = published_comment_counts([r.id for r in public])
    return jsonify({"rounds": [_round_summary(r, counts.get(r.id, 0)) for r in public]})


@bp.get("/rounds/<slug>")
def round_detail(slug: str):
    round_ = _public_round_or_404(slug)
    body = _round_summary(round_, published_comment_counts([round_.id]).get(round_.id, 0))
    body["sections"] = [
        {"number": s.number, "heading": s.heading, "body": s.body, "position": s.position} for s in round_.sections
    ]
    body["comments_url"] = url_for("api.round_comments", slug=slug, _external=True)
    return jsonify(body)


def _public_comment(comment: Comment) -> dict:
    """Only what is public: no email, account id, demographic answer or moderation detail."""
    return {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "thread_id": comment.thread_id,
        "section": comment.section.number if comment.section else None,
        "display_name": comment.public_name,
        "body": comment.public_body,
        "stance": comment.stance,
        "channel": comment.channel,
        "support_count": comment.support_count,
        "created_at": _iso(comment.created_at),
        "published_at": _iso(comment.published_at),
    }


@bp.get("/rounds/<slug>/comments")
def round_comments(slug: str):
    round_ = _public_round_or_404(slug)
    page = _int_param("page", 1, 1, 1_000_000)
    per_page = _int_param("per_page", 50, 1, MAX_PER_PAGE)
    statement = (
        select(Comment)
        .where(Comment.round_id == round_.id, Comment.status == CommentStatus.PUBLISHED)
        .options(joinedload(Comment.author), joinedload(Comment.section))
        .order_by(Comment.id)  # stable: new comments only ever append
    )
    result = db.paginate(statement, page=page, per_page=per_page, error_out=False)

    def link(number):
        return url_for("api.round_comments", slug=slug, page=number, per_page=per_page, _external=True)

    return jsonify(
        {
            "comments": [_public_comment(c) for c in result.items],
            "pagination": {
                "page": page,
                "per_page": per_page,
                "total": result.total,
                "next": link(page + 1) if result.has_next else None,
                "prev": link(page - 1) if page > 1 else None,
            },
        }
    )
