"""Who may reach each route: one table for the whole URL map, deny by default.

A new route without a line in ACCESS fails the suite, so nobody adds a page without deciding
who may see it.
"""

import pytest

from review_app import create_app
from review_app.analysis.models import Campaign
from review_app.extensions import db

from ..conftest import TEST_PASSWORD

# The least a visitor needs: "public", "signed_in", a staff role, or "staff" (official or
# moderator). Admins hold every role.
ACCESS = {
    "static": "public",
    "rounds.home": "public",
    "pages.guidelines": "public",
    "pages.privacy": "public",
    "pages.accessibility": "public",
    "pages.contact": "public",
    "i18n.choose": "public",
    "rounds.changes": "public",
    "comments.round_page": "public",
    "comments.section_page": "public",
    "comments.thread": "public",
    "comments.submit": "public",  # whether anonymous comments are taken is the round's setting
    "comments.receipt": "public",  # and then only to the browser or account that sent the comment
    "comments.support": "signed_in",
    "comments.unsupport": "signed_in",
    "comments.my_comments": "signed_in",
    "comments.withdraw": "signed_in",  # and then only the comment's author (404 for others)
    "comments.demographics": "signed_in",
    "accounts.login": "public",
    "accounts.register": "public",
    "accounts.verify_email": "public",  # and then only with the emailed link's token
    "accounts.forgot_password": "public",
    "accounts.reset_password": "public",  # and then only with the emailed link's token
    "accounts.logout": "public",
    "accounts.account": "signed_in",
    "accounts.my_data": "signed_in",
    "accounts.delete_account": "signed_in",
    "accounts_admin.users": "admin",
    "accounts_admin.set_role": "admin",
    "accounts_admin.account_measure": "admin",
    "accounts_admin.export_user": "admin",
    "accounts_admin.erase_user": "admin",
    "rounds_admin.index": "admin",
    "rounds_admin.new": "admin",
    "rounds_admin.manage": "admin",
    "rounds_admin.edit": "admin",
    "rounds_admin.import_policy": "admin",
    "rounds_admin.edit_section": "admin",
    "rounds_admin.change_status": "admin",
    "moderation.queue": "moderator",
    "moderation.comment": "moderator",
    "moderation.decide": "moderator",
    "moderation.redact": "moderator",
    "moderation.correct_themes": "moderator",
    "moderation.campaign": "moderator",
    "moderation.campaign_review": "moderator",
    "moderation.bulk": "moderator",
    "moderation.redact_span": "moderator",
    "moderation.block": "moderator",
    "moderation.log": "moderator",
    "moderation.flag": "signed_in",
    "moderation.summary": "public",
    "reports.summary": "staff",
    "staff.home": "staff",
    "reports.theme_comments": "staff",
    "reports.summary_csv": "staff",
    "reports.briefing_pdf": "staff",
    "reports.choose_quote": "official",
    "reports.plan": "official",
    "reports.publish": "official",
    "reports.published_text": "official",
    "reports.public_report": "public",
    "reports.export_csv": "public",
    "reports.report_pdf": "public",
    "reports.report_tile": "public",
    "reports.infographic_pdf": "public",
    "reports.infographic_png": "public",
    "reports.export_json": "public",
    "api.openapi": "public",
    "api.docs": "public",
    "api.round_summary": "public",
    "api.reports": "public",
    "api.report": "public",
    "api.submit_comment": "token",  # an integration's API token, never a browser session
    "api_admin.tokens": "admin",
    "api_admin.revoke": "admin",
    "ops.healthz": "public",
    "ops.readyz": "public",
    "api.rounds": "public",
    "api.round_detail": "public",
    "api.round_comments": "public",
    "api.round_actions": "public",
    "api.round_action": "public",
    "reports.open_review": "official",
    "reports.post_update": "official",
    "reports.actions_page": "public",
    "reports.action_page": "public",
    "reports.action_tile": "public",
    "reports.action_by_id": "public",
    "reports.actions_csv": "public",
    "reports.actions_json": "public",
    "reports.follow": "public",  # signed in, the account's address; otherwise one confirmed by email
    "reports.confirm_follow": "public",  # and then only with the emailed link's token
    "reports.unfollow": "public",  # and then only with the emailed link's token
}

# URL values that differ by endpoint (both use <verdict>, each with its own words).
VALUES_FOR = {"moderation.block": {"verdict": "block"}, "accounts_admin.account_measure": {"measure": "block"}, "moderation.campaign": {"verdict": "confirm"}, "i18n.choose": {"code": "es"}}
ROLES = ["anonymous", "resident", "moderator", "official", "admin"]


def allowed(level: str, role: str) -> bool:
    if level == "public":
        return True
    if role == "anonymous":
        return False
    if level == "staff":
        return role in ("official", "moderator", "admin")
    return level == "signed_in" or role in (level, "admin")


def _endpoints():
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()})


def test_every_route_has_an_access_rule(app):
    missing = sorted({rule.endpoint for rule in app.url_map.iter_rules()} - set(ACCESS))
    assert missing == [], f"add these endpoints to ACCESS: {missing}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", _endpoints())
def test_each_role_gets_what_the_table_says(app, client, make_user, make_round, make_comment, endpoint, role):
    round_ = make_round()
    comment = make_comment(round_)
    target = make_user()
    if role != "anonymous":
        user = make_user(roles=[] if role == "resident" else [role])
        client.post("/account/login", data={"email": user.email, "password": TEST_PASSWORD})
    campaign = Campaign(round_id=round_.id, first_comment_id=comment.id)
    db.session.add(campaign)
    db.session.commit()
    values = {"slug": round_.slug, "number": "1", "comment_id": comment.id, "receipt": comment.receipt,
              "user_id": target.id, "section_id": round_.sections[0].id, "target": "closed",
              "role": "moderator", "filename": "site.css", "campaign_id": campaign.id, "theme": "use_of_force", "token_id": 1, "action_id": 1, **VALUES_FOR.get(endpoint, {})}
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    url = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]
    method = "GET" if "GET" in rule.methods else "POST"
    response = client.open(url, method=method, data={})
    response.close()
    sent_to_login = response.status_code == 302 and "/account/login" in response.headers.get("Location", "")
    if ACCESS[endpoint] == "token":
        assert response.status_code == 401  # whatever the session holds
    elif allowed(ACCESS[endpoint], role):
        assert response.status_code not in (401, 403) and not sent_to_login, response.status_code
    elif role == "anonymous":
        assert sent_to_login or response.status_code == 401
    else:
        assert response.status_code == 403
