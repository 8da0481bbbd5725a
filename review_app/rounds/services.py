"""What rounds do: list and find them, edit them with versioning, move them through their states."""

import difflib
from dataclasses import dataclass

from flask import abort
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import func, select

from ..accounts.models import Role
from ..comments.models import Comment, CommentStatus
from ..extensions import db
from ..labels import round_status_label
from .importer import ParsedSection
from .models import STATUS_TRANSITIONS, PolicyRevision, Round, RoundStatus, Section

HOME_ORDER = [RoundStatus.OPEN, RoundStatus.CLOSED, RoundStatus.REPORTED]


class RoundProblem(ValueError):
    """An edit or transition that is not allowed; the message is shown to the admin."""


def _viewer_is_admin() -> bool:
    return current_user.is_authenticated and current_user.has_role(Role.ADMIN)


def get_public_round_or_404(slug: str) -> Round:
    """The round for a public page; drafts exist only for admins."""
    round_ = db.session.scalar(select(Round).where(Round.slug == slug))
    if round_ is None or (not round_.is_public and not _viewer_is_admin()):
        abort(404)
    return round_


def get_round_or_404(slug: str) -> Round:
    return db.session.scalar(select(Round).where(Round.slug == slug)) or abort(404)


def published_comment_counts(round_ids) -> dict[int, int]:
    rows = db.session.execute(
        select(Comment.round_id, func.count())
        .where(Comment.round_id.in_(round_ids), Comment.status == CommentStatus.PUBLISHED)
        .group_by(Comment.round_id)
    )
    return dict(rows.all())


def list_rounds_for_home() -> dict[str, list[tuple[Round, int]]]:
    """Public rounds grouped by status (open first), each with its published comment count. A review
    of a draft response is listed while it takes comments; then its policy round's report tells the rest."""
    rounds = db.session.scalars(
        select(Round).where(Round.status != RoundStatus.DRAFT,
                            (Round.responds_to_id.is_(None)) | (Round.status == RoundStatus.OPEN))
        .order_by(Round.closes_at.desc(), Round.id)
    ).all()
    counts = published_comment_counts([r.id for r in rounds])
    grouped = {status: [] for status in HOME_ORDER}
    for round_ in rounds:
        grouped[RoundStatus(round_.status)].append((round_, counts.get(round_.id, 0)))
    grouped[RoundStatus.OPEN].sort(key=lambda pair: pair[0].closes_at or pair[0].created_at)
    return grouped


def all_rounds() -> list[Round]:
    return db.session.scalars(select(Round).order_by(Round.created_at.desc())).all()


# ---- editing -----------------------------------------------------------------------------------

ROUND_FIELDS = (
    "title", "slug", "summary", "department", "moderation_mode", "allow_anonymous", "opens_at",
    "closes_at", "report_expected_at", "districts", "district_population", "ask_age_band",
    "ask_relationship",
)  # the only attributes a form may set: status and ids never come from a form


def save_round(round_: Round | None, values: dict) -> Round:
    same_slug = select(Round.id).where(Round.slug == values["slug"])
    if round_ is not None:
        same_slug = same_slug.where(Round.id != round_.id)
    if db.session.scalar(same_slug):
        raise RoundProblem(gettext("Another round already uses this web address (slug)."))
    if round_ is None:
        round_ = Round(status=RoundStatus.DRAFT)
        db.session.add(round_)
    for name in ROUND_FIELDS:
        if name in values:
            setattr(round_, name, values[name])
    db.session.commit()
    return round_


def _text_is_versioned(round_: Round) -> bool:
    """Once residents can read a round, its text never changes silently."""
    return round_.status != RoundStatus.DRAFT


def _snapshot(round_: Round) -> list[dict]:
    return [{"number": s.number, "heading": s.heading, "body": s.body} for s in round_.sections]


def _record_revision(round_: Round, note: str, author_id: int | None) -> None:
    number = len(round_.revisions) + 1
    round_.revisions.append(
        PolicyRevision(number=number, sections=_snapshot(round_), note=note.strip(), created_by_id=author_id)
    )


def _require_note(round_: Round, note: str) -> None:
    if _text_is_versioned(round_) and not (note or "").strip():
        raise RoundProblem(gettext("This round is public: say what changed and why, residents will see the note."))


def _ensure_first_revision(round_: Round) -> None:
    """The text as residents first saw it is revision 1, so later changes have something to diff."""
    if _text_is_versioned(round_) and not round_.revisions:
        _record_revision(round_, "Text as published for review.", None)


def replace_sections(round_: Round, parsed: list[ParsedSection], note: str = "", author_id=None) -> None:
    _require_note(round_, note)
    _ensure_first_revision(round_)
    existing = {s.number: s for s in round_.sections}
    kept = []
    for position, part in enumerate(parsed, start=1):
        section = existing.pop(part.number, None) or Section(number=part.number)
        section.position, section.heading, section.body = position, part.heading, part.body
        kept.append(section)
    if existing and _text_is_versioned(round_):
        # Comments point at sections; a public round keeps them and marks them withdrawn instead.
        for section in existing.values():
            section.heading = f"{section.heading} (removed)"
            section.body = ""
            section.position = len(kept) + 1
            kept.append(section)
    round_.sections = kept
    db.session.flush()
    if _text_is_versioned(round_):
        _record_revision(round_, note, author_id)
    db.session.commit()


def update_section(section: Section, heading: str, body: str, note: str = "", author_id=None) -> None:
    round_ = section.round
    _require_note(round_, note)
    if (section.heading, section.body) == (heading, body):
        return
    _ensure_first_revision(round_)
    section.heading, section.body = heading, body
    db.session.flush()
    if _text_is_versioned(round_):
        _record_revision(round_, note, author_id)
    db.session.commit()


def change_status(round_: Round, target: str) -> None:
    try:
        target_status = RoundStatus(target)
    except ValueError:
        raise RoundProblem(gettext("Unknown status."))
    if target_status not in STATUS_TRANSITIONS[RoundStatus(round_.status)]:
        raise RoundProblem(gettext("A round that is %(status)s cannot become %(target)s.", status=round_status_label(round_.status),
                                   target=round_status_label(target_status)))
    if target_status == RoundStatus.OPEN and not round_.sections:
        raise RoundProblem(gettext("Add at least one section of policy text before opening the round."))
    if target_status == RoundStatus.OPEN and not round_.revisions:
        _record_revision(round_, "Text as published for review.", None)
    round_.status = target_status
    db.session.commit()


# ---- public history ----------------------------------------------------------------------------


@dataclass
class SectionChange:
    number: str
    heading: str
    kind: str  # "added", "removed", "changed"
    lines: list[tuple[str, str]]  # (" " | "+" | "-", text)


@dataclass
class RevisionView:
    revision: PolicyRevision
    changes: list[SectionChange]


def _section_changes(before: list[dict], after: list[dict]) -> list[SectionChange]:
    old = {s["number"]: s for s in before}
    changes = []
    for section in after:
        previous = old.pop(section["number"], None)
        old_text = "" if previous is None else f"{previous['heading']}\n{previous['body']}"
        new_text = f"{section['heading']}\n{section['body']}"
        if old_text == new_text:
            continue
        diff = difflib.ndiff(old_text.splitlines(), new_text.splitlines())
        lines = [(line[0], line[2:]) for line in diff if line[0] in " +-"]
        kind = "added" if previous is None else "changed"
        changes.append(SectionChange(section["number"], section["heading"], kind, lines))
    for number, section in old.items():
        lines = [("-", line) for line in f"{section['heading']}\n{section['body']}".splitlines()]
        changes.append(SectionChange(number, section["heading"], "removed", lines))
    return changes


def round_changes(round_: Round) -> list[RevisionView]:
    """Every revision after the first, newest first, with what changed in each section."""
    views = []
    revisions = round_.revisions
    for previous, revision in zip(revisions, revisions[1:]):
        views.append(RevisionView(revision, _section_changes(previous.sections, revision.sections)))
    return list(reversed(views))


def latest_revision(round_: Round) -> PolicyRevision | None:
    return round_.revisions[-1] if round_.revisions else None
