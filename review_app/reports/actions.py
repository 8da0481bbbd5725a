"""Proposed actions of a response plan (ThemeResponse rows): the response review that puts the draft
to residents, the public tracker of a published plan, its progress updates and followers.

A response review is a Round of its own (Round.responds_to_id -> the policy round) whose sections
are the draft actions (Section.action_id), so residents' comments on it go through the whole
comment machinery unchanged: moderation, the personal-data hold, tagging, receipts and supports.
The policy round's summaries, reports and exports never count them, being another round's.
"""

import hashlib
import secrets
from datetime import date, datetime, time, timedelta

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from nlp import THEMES
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..comments.models import Comment, CommentStatus
from ..extensions import db
from ..labels import THEME_LABELS
from ..rounds.models import PolicyRevision, Round, RoundStatus, Section
from ..security import public_url
from ..timeutil import city_today, from_local, local, utcnow
from . import privacy
from .models import ActionFollow, ActionUpdate, OutboxMessage, ReportVersion, ThemeResponse


def milestone_list(text: str) -> list[dict]:
    """"YYYY-MM-DD what happens", one a line, as [{"on": "YYYY-MM-DD", "title": ...}] in date order.
    A line that does not start with a date raises ValueError naming it."""
    found = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        day, _, title = line.partition(" ")
        try:
            on = date.fromisoformat(day)
        except ValueError:
            raise ValueError(line) from None
        if not title.strip():
            raise ValueError(line)
        found.append({"on": on.isoformat(), "title": title.strip()})
    return sorted(found, key=lambda m: m["on"])


DRAFT_QUOTES = 3  # residents' comments on a draft action quoted in the final report


class ActionProblem(ValueError):
    """A step the official or resident cannot take; the message is shown to them."""


# ---- the response review --------------------------------------------------------------------------

def review_round(round_: Round) -> Round | None:
    """The response review of a policy round, if one was opened."""
    return db.session.scalar(select(Round).where(Round.responds_to_id == round_.id).limit(1))


def policy_round(review: Round) -> Round | None:
    return db.session.get(Round, review.responds_to_id) if review.responds_to_id else None


def review_facts(review: Round | None) -> dict | None:
    """What a report version freezes about the review: where residents comment on each action."""
    if review is None:
        return None
    last_day = local(review.closes_at - timedelta(microseconds=1)).date().isoformat() if review.closes_at else None
    return {"slug": review.slug, "closes_at": review.closes_at.isoformat() if review.closes_at else None, "last_day": last_day,
            "sections": {str(s.action_id): s.number for s in review.sections if s.action_id}}


def draft_actions(round_: Round) -> list[ThemeResponse]:
    """The round's actions in theme order that say what the city proposes (or why not)."""
    from .services import _response_dict, answered, responses

    plan = responses(round_)
    return [plan[key] for key in THEMES if key in plan and answered(_response_dict(plan[key]))]


def action_text(response: ThemeResponse) -> str:
    """A draft action as residents read it in the review round (English, as the plan is written)."""
    parts = [f"What we heard: {response.what_we_heard}".strip(),
             f"What we propose: {response.what_we_will_do or response.reason}".strip()]
    section = next((s for s in policy_round_sections(response) if s.number == response.section_number), None)
    if section is not None:
        parts.append(f"Changes section {section.number} of the policy: {section.heading}")
    owner = [f"Owner: {response.department}"] if response.department else []
    if response.target_date:
        owner.append(f"Timeline: by {response.target_date.isoformat()}")
    if owner:
        parts.append(" · ".join(owner))
    if response.indicator:
        measure = f"How success will be measured: {response.indicator}"
        if response.baseline or response.target:
            measure += f" (today: {response.baseline or 'not known'}; target: {response.target or 'not set'})"
        if response.data_source:
            measure += f". Data: {response.data_source}"
        parts.append(measure)
    if milestones := milestone_list(response.milestones):
        parts.append("Milestones:\n" + "\n".join(f"- {m['on']}: {m['title']}" for m in milestones))
    return "\n\n".join(parts)


def policy_round_sections(response: ThemeResponse) -> list[Section]:
    return db.session.get(Round, response.round_id).sections


def _free_slug(base: str) -> str:
    slug, n = base[:80], 2
    while db.session.scalar(select(Round.id).where(Round.slug == slug)) is not None:
        slug, n = f"{base[:76]}-{n}", n + 1
    return slug


def open_review(round_: Round, official, closes_on: date, details_confirmed: bool = False) -> Round:
    """Put the draft plan to residents until the end of `closes_on` (the city's day): a review round whose
    sections are the draft actions, and the draft published as a report version. Personal data in
    the actions stops it, as it stops publishing (privacy.check). Commits."""
    from .services import publish, versions

    if round_.responds_to_id is not None:
        raise ActionProblem(gettext("This round already is the review of a draft response."))
    if round_.status != RoundStatus.CLOSED:
        raise ActionProblem(gettext("Only a closed round whose plan is not final yet can put its draft to residents."))
    if review_round(round_) is not None:
        raise ActionProblem(gettext("Residents are already reviewing this draft response."))
    if closes_on is None or closes_on < city_today():
        raise ActionProblem(gettext("The deadline is in the past: choose today or a later day."))
    actions = draft_actions(round_)
    if not actions:
        raise ActionProblem(gettext("Write at least one action (what the city will do) before asking residents about it."))
    privacy.check(privacy.plan_findings({a.theme: a for a in actions}), details_confirmed)
    review = Round(
        slug=_free_slug(f"{round_.slug}-draft-response"), title=f"Draft response plan: {round_.title}"[:200],
        summary=(f"What the city proposes to do after residents' comments on \u201c{round_.title}\u201d. "
                 "Comment on each proposed action: the final plan will say what changed because of your comments."),
        department=round_.department, status=RoundStatus.OPEN, moderation_mode=round_.moderation_mode,
        allow_anonymous=round_.allow_anonymous, opens_at=utcnow(),
        closes_at=from_local(datetime.combine(closes_on + timedelta(days=1), time())), responds_to_id=round_.id,
        districts=[], ask_age_band=False, ask_relationship=False,
    )
    review.sections = [Section(position=i, number=str(i), heading=str(THEME_LABELS.get(a.theme, a.theme)), body=action_text(a), action_id=a.id)
                       for i, a in enumerate(actions, start=1)]
    db.session.add(review)
    db.session.flush()
    review.revisions.append(PolicyRevision(number=1, note="Draft response as published for review.",
                                           sections=[{"number": s.number, "heading": s.heading, "body": s.body} for s in review.sections],
                                           created_by_id=official.id if official else None))
    db.session.flush()
    publish(round_, official, "Draft response plan, open for residents' comments.", number=len(versions(round_)) + 1, stage="draft",
            details_confirmed=details_confirmed)
    _queue_draft_notices(round_, review, closes_on)
    db.session.commit()
    return review


def _queue_draft_notices(round_: Round, review: Round, closes_on: date) -> None:
    """Residents who left an email to hear back learn that the draft is open for their comments:
    once per address (the key, under report:<round>: as the report notices, is unique), in the
    language they wrote in, as the report notices."""
    from .services import _address_key, _link_in, _subscribers

    for email, locale in _subscribers(round_).items():
        key = f"report:{round_.id}:draft:{_address_key(email)}"
        if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
            continue
        with force_locale(locale):
            db.session.add(OutboxMessage(
                key=key, to_address=email,
                subject=gettext("Comment on the city's draft response: %(title)s", title=round_.title[:140]),
                body="\n\n".join([
                    gettext("You commented on \u201c%(title)s\u201d and asked to hear back.", title=round_.title),
                    gettext("The city has written a draft of what it will do, action by action, and asks for your "
                            "comments until %(date)s:", date=closes_on.isoformat()) + "\n"
                    + _link_in(locale, "reports.public_report", slug=round_.slug),
                    gettext("Comment on each proposed action here:") + "\n"
                    + _link_in(locale, "comments.round_page", slug=review.slug),
                    gettext("We write again when the final plan is published. "
                            "We do not keep your address for anything else."),
                ]),
            ))


def end_review(round_: Round) -> None:
    """The final plan ends its review: no more comments on the draft. The caller commits."""
    review = review_round(round_)
    if review is not None and review.status == RoundStatus.OPEN:
        review.status = RoundStatus.CLOSED
        if review.closes_at is None or review.closes_at > utcnow():
            review.closes_at = utcnow()


def draft_feedback(review: Round) -> dict[str, dict]:
    """theme -> what residents said about its draft action: published comments, their supports,
    and the most supported as quotes (ids, shown with their current public text)."""
    sections = {s.id: s for s in review.sections if s.action_id}
    themes = dict(db.session.execute(select(ThemeResponse.id, ThemeResponse.theme)
                                     .where(ThemeResponse.id.in_([s.action_id for s in sections.values()]))).all())
    published = (Comment.round_id == review.id, Comment.status == CommentStatus.PUBLISHED)
    counts = {sid: (n, supports or 0) for sid, n, supports in db.session.execute(
        select(Comment.section_id, func.count(), func.sum(Comment.support_count)).where(*published).group_by(Comment.section_id))}
    feedback = {}
    for section in sections.values():
        top = db.session.scalars(select(Comment.id).where(*published, Comment.section_id == section.id)
                                 .order_by(Comment.support_count.desc(), Comment.id).limit(DRAFT_QUOTES)).all()
        comments, supports = counts.get(section.id, (0, 0))
        feedback[themes[section.action_id]] = {"section": section.number, "comments": comments, "supports": int(supports),
                                               "quotes": [{"id": cid, "section": section.number} for cid in top]}
    return feedback


def changes_without_reason(draft: dict, final: dict) -> list[str]:
    """Labels of the actions changed since the draft whose reason field is empty."""
    from .services import version_diff

    return [t["label"] for t in version_diff(draft, final) or [] if not (t["reason"] or "").strip()]


# ---- the tracker ------------------------------------------------------------------------------------

def final_version(round_: Round) -> ReportVersion | None:
    return db.session.scalar(select(ReportVersion).where(ReportVersion.round_id == round_.id, ReportVersion.stage == "final")
                             .order_by(ReportVersion.number.desc()).limit(1))


def tracked(round_: Round) -> list[dict]:
    """Every action of the round's latest final plan as published, with its progress since:
    [{"id", "theme", "label", "response" (as published), "status", "value", "measured_on", "milestones", "updates"}]."""
    version = final_version(round_)
    if version is None:
        return []
    published = [t for t in version.content["themes"] if (t.get("response") or {}).get("id")]
    ids = [t["response"]["id"] for t in published]
    updates: dict[int, list[ActionUpdate]] = {}
    for update in db.session.scalars(select(ActionUpdate).where(ActionUpdate.response_id.in_(ids))
                                     .order_by(ActionUpdate.posted_at.desc(), ActionUpdate.id.desc())):
        updates.setdefault(update.response_id, []).append(update)
    rows = []
    for t in published:
        response, mine = t["response"], updates.get(t["response"]["id"], [])
        measured = next((u for u in mine if u.indicator_value), None)
        reached = {u.milestone: local(u.posted_at).date().isoformat() for u in reversed(mine) if u.milestone}
        rows.append({
            "id": response["id"], "theme": t["key"], "label": t["label"], "response": response,
            "status": mine[0].status if mine else (response.get("status") or ""),
            "value": measured.indicator_value if measured else "",
            "measured_on": measured.measured_on.isoformat() if measured and measured.measured_on else None,
            "milestones": [{**m, "reached_on": reached.get(m["title"])} for m in milestone_list(response.get("milestones", ""))],
            "updates": mine, "draft_feedback": t.get("draft_feedback"),
        })
    return rows


def tracker_data(round_: Round) -> list[dict]:
    """Every action of the published plan with its status, indicator and updates: no names or emails."""
    return [{
        "id": row["id"], "theme": row["theme"], "title": row["label"], "status": row["status"],
        "what_we_will_do": row["response"].get("what_we_will_do", ""), "owner": row["response"].get("department", ""),
        "due_date": row["response"].get("target_date"), "policy_section": row["response"].get("section") or None, "indicator": row["response"].get("indicator", ""),
        "baseline": row["response"].get("baseline", ""), "target": row["response"].get("target", ""),
        "data_source": row["response"].get("data_source", ""), "current_value": row["value"],
        "measured_on": row["measured_on"], "milestones": row["milestones"],
        "updates": [{"posted_at": u.posted_at.isoformat() + "Z", "status": u.status, "body": u.body,
                     "indicator_value": u.indicator_value, "measured_on": u.measured_on.isoformat() if u.measured_on else None,
                     "milestone": u.milestone or None} for u in row["updates"]],
    } for row in tracked(round_)]


def tracked_action(round_: Round, action_id: int) -> dict | None:
    return next((row for row in tracked(round_) if row["id"] == action_id), None)


def post_update(round_: Round, action_id: int, official, values: dict, key: str | None,
                details_confirmed: bool = False) -> ActionUpdate:
    """A progress update on an action of the published plan, with a notice to each confirmed
    follower (once: the outbox key holds the update and the follow). A second post with the same
    form key returns the first update. Personal data in it stops it unless confirmed as public
    (privacy.check). Commits."""
    from ..fragment_cache import _bump

    if final_version(round_) is None:
        raise ActionProblem(gettext("The plan is not published yet: progress can be posted once the final plan is public."))
    action = tracked_action(round_, action_id)
    if action is None:
        raise ActionProblem(gettext("This action is not part of the published plan."))
    if key and (same := db.session.scalar(select(ActionUpdate).where(ActionUpdate.idempotency_key == key))) is not None:
        return same
    if values.get("milestone") and values["milestone"] not in {m["title"] for m in action["milestones"]}:
        raise ActionProblem(gettext("Choose one of the action's milestones."))
    privacy.check(privacy.findings_in(values["body"], _l("What happened"), "body")
                  + privacy.findings_in(values.get("indicator_value"), _l("The indicator's value now"), "indicator_value"),
                  details_confirmed)
    update = ActionUpdate(response_id=action_id, body=values["body"].strip(), status=values["status"],
                          indicator_value=(values.get("indicator_value") or "").strip(), measured_on=values.get("measured_on"),
                          milestone=values.get("milestone") or "", idempotency_key=key or None,
                          posted_by_id=official.id if official else None)
    db.session.add(update)
    response = db.session.get(ThemeResponse, action_id)
    response.status = update.status  # the plan editor shows the action as it now stands
    try:
        db.session.flush()
    except IntegrityError:  # the same form sent twice at once: the other request stored it
        db.session.rollback()
        return db.session.scalar(select(ActionUpdate).where(ActionUpdate.idempotency_key == key))
    _queue_update_notices(round_, action, update)
    _bump(db.session, {round_.id}, set())  # the round's pages show where it is in the loop
    db.session.commit()
    return update


def _queue_update_notices(round_: Round, action: dict, update: ActionUpdate) -> None:
    follows = db.session.scalars(select(ActionFollow).where(ActionFollow.response_id == action["id"],
                                                            ActionFollow.confirmed_at.is_not(None))).all()
    if not follows:  # nothing to write: and outside a request (the demo's loader) no link can be built
        return
    link = public_url("reports.action_page", slug=round_.slug, action_id=action["id"])
    value = f"\nIndicator: {update.indicator_value}" + (f" (measured {update.measured_on})" if update.measured_on else "") \
        if update.indicator_value else ""
    for follow in follows:
        key = f"action:{update.id}:{follow.id}"
        if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
            continue
        db.session.add(OutboxMessage(
            key=key, to_address=follow.email, subject=f"Progress on \u201c{action['label']}\u201d ({round_.title[:100]})",
            body=(f"You follow the city's action on \u201c{action['label']}\u201d.\n\n"
                  f"Status: {update.status}{value}\n\n{update.body}\n\n{link}\n\n"
                  f"To stop these emails: {public_url('reports.unfollow', token=follow.token)}"),
        ))


def follow(round_: Round, action_id: int, email: str, confirmed: bool) -> ActionFollow | None:
    """Follow an action: signed-in residents (their verified address) at once; an address typed in
    gets a link to confirm first, and nothing else until then. Following again changes nothing.
    Returns the follow, or None when there is no such action. Commits."""
    if tracked_action(round_, action_id) is None:
        return None
    email = email.strip().lower()
    row = db.session.scalar(select(ActionFollow).where(ActionFollow.response_id == action_id, ActionFollow.email == email))
    if row is None:
        row = ActionFollow(response_id=action_id, email=email, token=secrets.token_urlsafe(32))
        db.session.add(row)
        db.session.flush()
    if confirmed and row.confirmed_at is None:
        row.confirmed_at = utcnow()
    elif row.confirmed_at is None:
        key = f"follow:{row.id}:{hashlib.sha256(row.token.encode()).hexdigest()[:16]}"
        if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is None:
            db.session.add(OutboxMessage(
                key=key, to_address=email, subject="Confirm: follow an action of the city's plan",
                body=("Someone (we hope you) asked to get an email when this action of the city's plan changes:\n"
                      f"{public_url('reports.action_page', slug=round_.slug, action_id=action_id)}\n\n"
                      f"To confirm, open this link and press the button:\n{public_url('reports.confirm_follow', token=row.token)}\n\n"
                      "If it was not you, ignore this email: we will not write again."),
            ))
    db.session.commit()
    return row


def follow_for_token(token: str) -> ActionFollow | None:
    return db.session.scalar(select(ActionFollow).where(ActionFollow.token == token)) if token else None


def confirm_follow(row: ActionFollow) -> None:
    if row.confirmed_at is None:
        row.confirmed_at = utcnow()
        db.session.commit()


def unfollow(row: ActionFollow) -> None:
    db.session.delete(row)
    db.session.commit()


# ---- where a round is in the loop ---------------------------------------------------------------------

LOOP = ("review", "draft", "final", "progress")


def loop_stage(round_: Round) -> int:
    """1-4 for a policy round (review, draft response, final plan, progress), 0 before it opens.
    A response review is at the draft response of its policy round."""
    if round_.responds_to_id is not None:
        return 2
    if round_.status == RoundStatus.DRAFT:
        return 0
    if round_.status == RoundStatus.OPEN:
        return 1
    final = final_version(round_)
    if final is None:
        return 2  # closed: the city drafts its response, then residents may review it
    ids = [t["response"]["id"] for t in final.content["themes"] if (t.get("response") or {}).get("id")]
    has_updates = ids and db.session.scalar(select(ActionUpdate.id).where(ActionUpdate.response_id.in_(ids)).limit(1))
    return 4 if has_updates else 3
