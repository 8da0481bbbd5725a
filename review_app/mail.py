"""Email goes through the outbox (reports.models.OutboxMessage): a request only stores the
message; `flask send-notifications` (from cron) or, with a job queue, a worker sends it. In
development, /dev/mail shows the latest messages so their links can be followed."""

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .extensions import db

dev_bp = Blueprint("dev_mail", __name__, url_prefix="/dev")  # create_app registers it only when ENV_NAME is development


def queue_email(key: str, to_address: str, subject: str, body: str) -> bool:
    """Store the message and commit, unless one with this key is already stored (the key says
    what the message is about and when, so each is sent once). Returns whether it was stored."""
    from .reports.models import OutboxMessage

    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
        return False
    db.session.add(OutboxMessage(key=key, to_address=to_address, subject=subject[:200], body=body))
    try:
        db.session.commit()
    except IntegrityError:  # the same message queued by another request a moment earlier
        db.session.rollback()
        return False
    _send_soon()
    return True


def _send_soon() -> None:
    """With a job queue a worker sends it now; without one, the next `flask send-notifications`."""
    from .jobs import enqueue, queue, send_report_notices

    if queue() is not None:
        enqueue(send_report_notices, once_key="outbox")


@dev_bp.get("/mail")
def dev_mail():
    """The latest 50 messages of the outbox, sent or not (registered in development only)."""
    from .reports.models import OutboxMessage

    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(50)).all()
    return render_template("dev/mail.html", messages=messages)
