"""Response plans, publishing report versions, open-data exports and report notices."""

import csv
import difflib
import hashlib
import io
import json
import re
import threading
import unicodedata
from dataclasses import asdict
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale, get_locale, gettext
from flask_babel import lazy_gettext as _l
from nlp import THEMES
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..comments.models import CommentContact, Comment, CommentStatus
from ..extensions import db
from ..i18n import N_
from ..moderation.services import public_summary
from ..rounds.models import Round, RoundStatus
from ..security import public_url
from ..timeutil import local, utcnow
from ..analysis.models import CommentAnalysis
from ..analysis.services import labels_for
from . import privacy
from ..labels import theme_label
from .models import OLD_STATUSES, OutboxMessage, ReportFile, ReportVersion, ResponseStatus, ThemeResponse
from .quotes import choices, removal, removal_notice, with_choices, with_current_quotes
from .summary import QUOTES, build_summary

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ReportProblem(ValueError):
    pass


def responses(round_: Round) -> dict[str, ThemeResponse]:
    rows = db.session.scalars(select(ThemeResponse).where(ThemeResponse.round_id == round_.id))
    return {row.theme: row for row in rows}


def heard_text(theme_summary) -> str:
    """A first draft of "what we heard", from the numbers; officials rewrite it."""
    if not theme_summary.voices:
        return ""
    stance = theme_summary.stance
    text = (f"{theme_summary.voices} residents' comments were about {theme_summary.label.lower()}"
            f" ({stance.get('support', 0)} in support of the draft, {stance.get('oppose', 0)} against, "
            f"{stance.get('mixed', 0)} mixed).")
    if theme_summary.phrases:
        text += " Residents often wrote about " + ", ".join(f'"{p}"' for p in theme_summary.phrases[:4]) + "."
    if theme_summary.campaigns:
        signatures = sum(size for _, size in theme_summary.campaigns)
        text += f" This includes {len(theme_summary.campaigns)} form letter(s) with {signatures} signatures, each counted once."
    return text


PLAN_FIELDS = ("what_we_heard", "what_we_will_do", "status", "reason", "department", "target_date", "policy_link",
               "indicator", "baseline", "target", "data_source", "milestones", "change_reason", "section_number")


def save_plan(round_: Round, answers: dict[str, dict], official) -> int:
    """Save every theme's answer in one transaction; returns how many changed."""
    if unknown := set(answers) - set(THEMES):
        raise ReportProblem(f"Unknown theme: {sorted(unknown)[0]}.")
    existing = responses(round_)
    changed = 0
    for theme, values in answers.items():
        response = existing.get(theme) or ThemeResponse(round_id=round_.id, theme=theme)
        if response.id is not None and all(getattr(response, name) == values[name] for name in PLAN_FIELDS):
            continue  # untouched: keep who last changed it, and when
        for name in PLAN_FIELDS:
            setattr(response, name, values[name])
        response.updated_by_id = official.id
        db.session.add(response)
        changed += 1
    db.session.commit()
    return changed


def answered(response: dict | None) -> bool:
    """A theme is answered once the city says what it will do, or why it will not."""
    return bool(response and ((response.get("what_we_will_do") or "").strip()
                              or (response.get("status") == ResponseStatus.NOT_ADOPTED and (response.get("reason") or "").strip())))


def unanswered(content: dict) -> list[dict]:
    """The themes of a report (as content() builds it) the city has not answered."""
    return [t for t in content["themes"] if not answered(t["response"])]


def versions(round_: Round) -> list[ReportVersion]:
    return db.session.scalars(
        select(ReportVersion).where(ReportVersion.round_id == round_.id).order_by(ReportVersion.number.desc())
    ).all()


def content(round_: Round, stage: str = "final") -> dict:
    """The frozen report: only public, aggregated or redacted data goes in. A final plan that followed a
    response review says, per action, what residents said about its draft (actions.draft_feedback)."""
    from . import actions

    summary = build_summary(round_, fresh=True)
    plan = responses(round_)
    review = actions.review_round(round_)
    feedback = actions.draft_feedback(review) if review is not None and stage == "final" else {}
    moderation = public_summary(round_.id)
    chosen = choices(round_.id)  # officials' pinned quotes go first, dropped ones never
    return {
        "round": {"slug": round_.slug, "title": round_.title, "department": round_.department,
                  "opens_at": round_.opens_at.isoformat() if round_.opens_at else None,
                  "closes_at": round_.closes_at.isoformat() if round_.closes_at else None},
        "participation": {"comments": summary.comments, "voices": summary.voices, "commenters": summary.commenters,
                          "supports": summary.supports, "districts": summary.districts,
                          "other_answers": summary.other_answers},
        "stage": stage,
        "review": actions.review_facts(review),
        "themes": [
            {**asdict(t), "quotes": with_choices(t.key, t.quotes, chosen, QUOTES), "response": _response_dict(plan.get(t.key)),
             "draft_feedback": feedback.get(t.key)}
            for t in summary.themes if t.voices
        ],
        "sections": summary.sections,
        "trend": summary.trend,
        "campaigns": [{"id": cid, "signatures": size} for cid, size, _ in summary.campaigns],
        "moderation": {"counts": [list(row) for row in moderation["counts"]],
                       "removed": [[str(local(c).date()), str(local(d).date()) if d else None, s, r] for c, d, s, r in moderation["removed"]]},
    }


def _response_dict(response: ThemeResponse | None) -> dict | None:
    if response is None:
        return None
    not_adopted = response.status == ResponseStatus.NOT_ADOPTED
    return {"id": response.id, "what_we_heard": response.what_we_heard, "what_we_will_do": response.what_we_will_do,
            "status": response.status, "reason": response.reason if not_adopted else "", "department": response.department,
            "target_date": response.target_date.isoformat() if response.target_date else None,
            "policy_link": response.policy_link, "indicator": response.indicator, "baseline": response.baseline,
            "target": response.target, "data_source": response.data_source, "milestones": response.milestones,
            "section": response.section_number,
            "change_reason": response.change_reason}


def publish(round_: Round, official, change_note: str, number: int | None = None, stage: str = "final",
            details_confirmed: bool = False) -> ReportVersion:
    """Freeze the report as a new version (official None: loaded data, e.g. the demo). With a
    number, only that version is published: the one the official previewed and confirmed. What
    looks like personal data in the plan or the change note stops it (privacy.PersonalDataProblem)
    unless the official confirmed it is public.
    A draft (actions.open_review) is the plan put to residents: the round stays closed and no
    notices go out; the final version after it needs a reason for each action that changed,
    and ends the review."""
    from . import actions

    if round_.status not in (RoundStatus.CLOSED, RoundStatus.REPORTED):
        raise ReportProblem(gettext("Close the round before publishing its report."))
    if round_.responds_to_id is not None:
        raise ReportProblem(gettext("This round is the review of a draft response: publish the plan from its policy round."))
    existing = versions(round_)
    if number is not None and number != len(existing) + 1:
        raise ReportProblem(gettext("Version %(number)d was published since your preview: check the new preview.",
                                    number=len(existing)))
    if existing and not (change_note or "").strip():
        raise ReportProblem(gettext("Say what changed since the last version; residents see the note."))
    report = content(round_, stage)
    privacy.check(privacy.plan_findings({t["key"]: t["response"] for t in report["themes"] if t["response"]})
                  + privacy.findings_in(change_note, _l("Change note"), "change_note"), details_confirmed)
    if stage == "final" and existing and existing[0].stage == "draft":
        if missing := actions.changes_without_reason(existing[0].content, report):
            raise ReportProblem(gettext("Say why each changed action changed (\"What changed since the draft, and why\"): %(themes)s.",
                                        themes=", ".join(missing)))
    version = ReportVersion(round_id=round_.id, number=len(existing) + 1, content=report, stage=stage,
                            change_note=(change_note or "First publication.").strip(),
                            published_by_id=official.id if official else None)
    try:
        db.session.add(version)
        if stage == "final":
            round_.status = RoundStatus.REPORTED
            actions.end_review(round_)
            _queue_notices(round_)
            if existing:
                _queue_status_notices(round_, version, status_changes(existing[0].content, version.content))
        db.session.commit()
    except IntegrityError:  # a colleague published this number a moment earlier (unique round, number)
        db.session.rollback()
        raise ReportProblem(gettext("Another official published version %(number)d just now: check the new preview.",
                                    number=version.number)) from None
    return version


def _subscribers(round_: Round) -> dict[str, str]:
    """The addresses residents left to hear back about this round's report, each with the language
    to write to it in: the one its latest comment was written in (Spanish or English)."""
    rows = db.session.execute(
        select(CommentContact.email, CommentAnalysis.lang).join(Comment, Comment.id == CommentContact.comment_id)
        .outerjoin(CommentAnalysis, CommentAnalysis.comment_id == Comment.id)
        .where(Comment.round_id == round_.id).order_by(Comment.id)
    ).all()
    return {email: "es" if lang == "es" else "en" for email, lang in rows}


def _link_in(locale: str, endpoint: str, **values) -> str:
    """A public page, for a notice: opened in the notice's language (through the language switch)."""
    page = public_url(endpoint, **values)
    if locale == "en":
        return page
    return public_url("i18n.choose", code=locale, next=urlsplit(page).path)


def _address_key(email: str) -> str:
    """An address as part of an outbox key: the same for the same address, and not readable in it."""
    return hashlib.sha256(email.encode()).hexdigest()[:32]


def _queue_notices(round_: Round) -> None:
    """One notice per email address per round, however many versions follow (the key is unique)."""
    queued = set(db.session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.like(f"report:{round_.id}:%"))))
    for email, locale in _subscribers(round_).items():
        key = f"report:{round_.id}:{email}"
        if key in queued:
            continue
        with force_locale(locale):
            db.session.add(OutboxMessage(
                key=key, to_address=email,
                subject=gettext("The city's report on %(title)s", title=round_.title[:150]),
                body="\n\n".join([
                    gettext("You commented on \u201c%(title)s\u201d and asked to hear back.", title=round_.title),
                    gettext("The city has published what it heard and what it will do:") + "\n"
                    + _link_in(locale, "reports.public_report", slug=round_.slug),
                    gettext("We write again only if the status of the city's answers changes. "
                            "We do not keep your address for anything else."),
                ]),
            ))
        queued.add(key)


def status_changes(old: dict, new: dict) -> list[tuple[str, str, str]]:
    """(theme label, old status, new status) for each theme whose status differs between two versions' content."""
    def status(response):
        value = (response or {}).get("status") or ""
        return OLD_STATUSES.get(value, value)

    before = {t["key"]: status(t["response"]) for t in old["themes"]}
    changes = []
    for t in new["themes"]:
        if t["key"] in before and before[t["key"]] != status(t["response"]):
            changes.append((t["label"], before[t["key"]], status(t["response"])))
    return changes


def _queue_status_notices(round_: Round, version: ReportVersion, changes) -> None:
    """One notice per address per version whose statuses changed. The key (under report:<round>:,
    which retention and round transfer already cover) makes a second one for the same version impossible."""
    if not changes:
        return
    for email, locale in _subscribers(round_).items():
        key = f"report:{round_.id}:v{version.number}:{_address_key(email)}"
        if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
            continue
        with force_locale(locale):
            lines = "\n".join(f"- {theme_label(label)}: {gettext(old or N_('not decided'))} \u2192 "
                              f"{gettext(new or N_('not decided'))}" for label, old, new in changes)
            db.session.add(OutboxMessage(
                key=key, to_address=email,
                subject=gettext("Progress on the city's report on %(title)s", title=round_.title[:140]),
                body="\n\n".join([
                    gettext("You commented on \u201c%(title)s\u201d and asked to hear back.", title=round_.title),
                    gettext("The city has published version %(number)d of its report, and the status of its answers changed:",
                            number=version.number) + "\n" + lines,
                    _link_in(locale, "reports.public_report", slug=round_.slug, number=version.number),
                    gettext("We do not keep your address for anything else."),
                ]),
            ))


DIFF_FIELDS = {"what_we_heard": N_("What we heard"), "what_we_will_do": N_("What we will do"), "status": N_("Status"),
               "reason": N_("Why it is not adopted"), "department": N_("Owner"), "target_date": N_("Due date"),
               "policy_link": N_("Link to the changed policy text"), "indicator": N_("Indicator"),
               "baseline": N_("Baseline"), "target": N_("Target"), "data_source": N_("Link to the indicator's data"),
               "milestones": N_("Milestones"), "section": N_("Policy section")}
WORDS = re.compile(r"\S+\s*|\s+")


def version_diff(old: dict | None, new: dict) -> list[dict] | None:
    """What changed in the city's answers from one version's content to the next: per theme, each
    changed field as ("same" | "del" | "ins", text) chunks, word by word. None when there is no earlier version.
    From a draft put to residents, each changed action also carries the official's reason for the change."""
    if old is None:
        return None
    from_draft = old.get("stage") == "draft"
    before = {t["key"]: t["response"] or {} for t in old["themes"]}
    themes = []
    for t in new["themes"]:
        previous, current = before.get(t["key"], {}), t["response"] or {}
        fields = [{"name": name, "label": label, "chunks": _word_diff(str(previous.get(name) or ""), str(current.get(name) or ""))}
                  for name, label in DIFF_FIELDS.items() if (previous.get(name) or "") != (current.get(name) or "")]
        if fields:
            themes.append({"key": t["key"], "label": t["label"], "fields": fields,
                           "reason": current.get("change_reason", "") if from_draft else ""})
    return themes


def _word_diff(old: str, new: str) -> list[tuple[str, str]]:
    a, b = WORDS.findall(old), WORDS.findall(new)
    chunks = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            chunks.append(("same", "".join(a[i1:i2])))
        if op in ("delete", "replace"):
            chunks.append(("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            chunks.append(("ins", "".join(b[j1:j2])))
    return chunks


def stored_pdf(version: ReportVersion, render_html) -> bytes:
    """The version as PDF in the reader's language, drawn once per edition (0.4 s of CPU a time)."""
    return stored_file(version, "report", lambda: pdf_of(render_html()))


def stored_file(version: ReportVersion, kind: str, draw, changes: str = "") -> bytes:
    """draw() -> the bytes of a file of the version (kind: "report", "tile", ...) in the reader's
    language, drawn once per edition and kept; drawn again when the version is amended, the code
    changes or `changes` does (what else the file shows: an action's last update)."""
    locale, edition = str(get_locale() or "en"), f"{version.edition}|{changes}|{_drawing_release()}"

    def stored_file():
        return db.session.scalar(select(ReportFile).where(
            ReportFile.version_id == version.id, ReportFile.kind == kind, ReportFile.locale == locale))

    stored = stored_file()
    if stored is not None and stored.edition == edition:
        return stored.data
    # One drawing at a time per process: requests arriving meanwhile wait, then read its file.
    # Re-entrant: a picture of a page is drawn from that page's stored PDF.
    with DRAWING:
        db.session.rollback()  # a new transaction, which sees a file stored while this one waited
        stored = stored_file()
        if stored is not None and stored.edition == edition:
            return stored.data
        data = draw()
        stored = stored_file() or ReportFile(version_id=version.id, kind=kind, locale=locale)
        stored.edition, stored.data = edition, data
        db.session.add(stored)
        try:
            db.session.commit()
        except IntegrityError:  # another process stored the same file a moment earlier
            db.session.rollback()
    return data


DRAWING = threading.RLock()


@cache
def _drawing_release() -> str:
    """The code's release and the stylesheets files are drawn with: a change to either draws them again."""
    from ..fragment_cache import release

    digest = hashlib.sha256(release().encode())
    for path in sorted(Path(current_app.static_folder).glob("*.css")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def pdf_of(html: str, stylesheets: tuple[str, ...] = ("site.css", "print.css"), extra_css: str = "") -> bytes:
    """Draw a page as PDF with WeasyPrint. Only the app's own stylesheets are read, from disk:
    the page's links are never fetched, so nothing leaves the machine. The PDF is tagged (PDF/UA-1),
    with its language from the page's <html lang>, so screen readers read it in order."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    static, fonts = Path(current_app.static_folder), FontConfiguration()
    sheets = [CSS(filename=str(static / name), font_config=fonts) for name in stylesheets]
    if extra_css:  # e.g. @font-face rules with data: URLs, the only kind of link followed
        sheets.insert(0, CSS(string=extra_css, font_config=fonts, url_fetcher=URLFetcher(allowed_protocols=["data"])))
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).write_pdf(
        stylesheets=sheets, font_config=fonts, pdf_variant="pdf/ua-1")


# ---- open data ----------------------------------------------------------------------------------

EXPORT_FIELDS = ["comment_id", "parent_id", "section", "status", "themes", "stance", "declared_stance", "campaign_id",
                 "support_count", "published_date", "text"]


def export_rows(round_: Round) -> list[dict]:
    """Every comment that was ever published, with its public (redacted) text: no names, emails,
    accounts or demographics. One removed or withdrawn since keeps its row, with the notice
    instead of its text and labels, so the ids others cite stay."""
    comments = db.session.scalars(
        select(Comment).where(Comment.round_id == round_.id, Comment.published_at.is_not(None)).order_by(Comment.id)
    ).all()
    rows = []
    for c, themes, stance, _, _ in labels_for(comments):
        removed = removal(c)
        rows.append({
            "comment_id": c.id, "parent_id": c.parent_id, "section": c.section.number if c.section else None,
            "status": "published" if removed is None else ("withdrawn" if removed["by"] == "author" else "removed"),
            "themes": [] if removed else themes, "stance": None if removed else stance,
            "declared_stance": None if removed else c.stance, "campaign_id": None if removed else c.campaign_id,
            "support_count": c.support_count, "published_date": local(c.published_at).date().isoformat(),
            "text": removal_notice(removed) if removed else c.public_body,
        })
    return rows


def _safe_cell(value) -> str:
    """Neutralise spreadsheet formulas: a cell that starts like one is prefixed with a quote. Spreadsheets
    skip leading spaces and line breaks and read a fullwidth ＝ as =, so the check does too."""
    text = "" if value is None else (";".join(value) if isinstance(value, list) else str(value))
    head = unicodedata.normalize("NFKC", text[:64]).lstrip()
    return "'" + text if text.startswith(FORMULA_STARTS) or head.startswith(FORMULA_STARTS) else text


def export_csv(round_: Round) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_FIELDS)
    for row in export_rows(round_):
        writer.writerow([_safe_cell(row[name]) for name in EXPORT_FIELDS])
    return out.getvalue()


def export_json(round_: Round, version: ReportVersion | None) -> str:
    return json.dumps({
        "round": round_.slug,
        "report_version": version.number if version else None,
        "amended_at": version.amended_at.isoformat() + "Z" if version and version.amended_at else None,
        "amendment_note": version.amendment_note if version else None,
        "report": with_current_quotes(version.content) if version else None,
        "comments": export_rows(round_),
    }, ensure_ascii=False, indent=1)


# ---- the outbox ---------------------------------------------------------------------------------

def send_notifications(send) -> tuple[int, int]:
    """Send every unclaimed message once. Each is claimed (and committed) before it is sent, so a
    crash can lose a notice but never send one twice. Returns (sent, failed)."""
    sent = failed = 0
    while True:
        message = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.claimed_at.is_(None)).order_by(OutboxMessage.id).limit(1)
            .with_for_update(skip_locked=True)
        )
        if message is None:
            return sent, failed
        message.claimed_at = utcnow()
        message.attempts += 1
        db.session.commit()
        try:
            send(message)
        except Exception as error:  # noqa: BLE001  one bad address must not stop the others
            message.last_error = str(error)[:500]
            failed += 1
        else:
            message.sent_at = utcnow()
            sent += 1
        db.session.commit()


def smtp_sender():
    """Send through SMTP when MAIL_SERVER is set; otherwise write the message to the log (development)."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return lambda message: current_app.logger.info("Mail to %s: %s\n%s", message.to_address, message.subject, message.body)
    import smtplib
    from email.message import EmailMessage

    def send(message):
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = config["MAIL_FROM"], message.to_address, message.subject
        email.set_content(message.body)
        with smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT", 587), timeout=30) as smtp:
            if config.get("MAIL_USE_TLS", True):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(email)

    return send


