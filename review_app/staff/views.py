"""/staff/: one page from which moderators, officials and admins reach their work on every round."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func, select

from ..accounts.models import Role
from ..extensions import db
from ..moderation.services import QUEUE_REASONS, queue_counts
from ..reports.models import ReportVersion
from ..reports.privacy import published_findings
from ..rounds.services import all_rounds
from ..security import roles_required

bp = Blueprint("staff", __name__, url_prefix="/staff")
# The reasons a round's row counts, in the order of urgency staff read them.
HOME_REASONS = ("held", "flagged", "pending", "checking", "personal_data", "uncertain", "language", "spam")


@bp.get("/")
@roles_required(Role.MODERATOR, Role.OFFICIAL)
def home():
    last_reports = dict(db.session.execute(
        select(ReportVersion.round_id, func.max(ReportVersion.number)).group_by(ReportVersion.round_id)).all())
    rounds = all_rounds()
    # Officials see what looks like personal data in what a round has published (privacy.py).
    published_pii = {r.id: len({f.value for f in published_findings(r)}) for r in rounds if r.id in last_reports} \
        if current_user.has_role(Role.OFFICIAL, Role.ADMIN) else {}
    return render_template("staff/home.html", rounds=rounds, counts=queue_counts(HOME_REASONS),
                           reasons={key: QUEUE_REASONS[key] for key in HOME_REASONS}, last_reports=last_reports,
                           published_pii=published_pii)
