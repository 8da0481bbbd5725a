"""Registration, sign-in, sign-out, the account page, admin roles and blocking, and the CLI."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from review_app.accounts.models import User
from review_app.accounts.passwords import verify_password
from review_app.extensions import db
from review_app.reports.models import OutboxMessage
from review_app.timeutil import utcnow

from ..conftest import TEST_PASSWORD

GOOD = "plum kettle harbour seven"


def register(client, email="new@example.org", password=GOOD, confirm=None, name="Nia"):
    return client.post(
        "/account/register",
        data={"email": email, "display_name": name, "password": password, "confirm": confirm or password},
    )


def user_count():
    return db.session.scalar(select(func.count()).select_from(User))


def test_register_stores_an_unverified_resident_with_an_argon2id_hash_and_does_not_sign_in(client):
    response = register(client, email="  New@Example.org ")
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert user.email == "new@example.org"
    assert user.password_hash.startswith("$argon2id$")
    assert user.roles == {"resident"}
    assert not user.is_verified
    assert client.get("/account/").status_code == 302  # signed in only once the address is confirmed


@pytest.mark.parametrize(
    "password, message",
    [("short", b"at least 8"), ("password123", b"too common"), ("x" * 1025, b"at most 1024")],
)
def test_weak_passwords_are_refused_with_a_reason_and_nothing_stored(client, password, message):
    response = register(client, password=password)
    assert response.status_code == 422
    assert message in response.data
    assert user_count() == 0


def test_a_long_password_is_accepted_and_not_truncated(client):
    long_password = "correct horse " * 8  # 112 characters
    register(client, password=long_password)
    user = db.session.scalar(select(User))
    assert verify_password(user.password_hash, long_password)
    assert not verify_password(user.password_hash, long_password[:72])


def test_mismatched_confirmation_is_refused(client):
    response = register(client, confirm=GOOD + "x")
    assert response.status_code == 422 and b"The two passwords differ" in response.data
    assert user_count() == 0


def test_input_is_kept_and_escaped_after_an_error(client):
    response = register(client, name='<script>alert(1)</script>', password="short")
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.data
    assert b"<script>alert(1)" not in response.data


def test_login_failure_gives_one_message_for_unknown_email_and_wrong_password(client, make_user):
    make_user(email="r@example.org")
    wrong = client.post("/account/login", data={"email": "r@example.org", "password": "nope nope nope"})
    unknown = client.post("/account/login", data={"email": "who@example.org", "password": "nope nope nope"})
    assert wrong.status_code == unknown.status_code == 422
    assert b"The email address or password is not right." in wrong.data
    assert b"The email address or password is not right." in unknown.data


def test_login_starts_a_new_session(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.post("/account/login", data={"email": user.email, "password": TEST_PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session
        assert "signed_in_at" in session


def test_login_only_redirects_to_local_paths(client, make_user):
    user = make_user()
    data = {"email": user.email, "password": TEST_PASSWORD}
    assert client.post("/account/login?next=https://evil.example/", data=data).headers["Location"] == "/"
    client.post("/account/logout")
    assert client.post("/account/login?next=//evil.example/x", data=data).headers["Location"] == "/"
    client.post("/account/logout")
    assert client.post("/account/login?next=/my/comments", data=data).headers["Location"] == "/my/comments"


def test_a_cookie_replayed_after_logout_is_refused(client, make_user, auth):
    user = make_user()
    auth.login(user)
    with client.session_transaction() as session:
        stolen = dict(session)
    auth.logout()
    with client.session_transaction() as session:
        session.update(stolen)
    response = client.get("/account/")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_a_visitors_session_cookie_is_written_once_not_on_every_page(app, client, make_round):
    app.config["WTF_CSRF_ENABLED"] = True
    round_ = make_round()
    assert client.get(f"/rounds/{round_.slug}").headers.getlist("Set-Cookie")  # the session with its CSRF token
    for url in (f"/rounds/{round_.slug}", "/", f"/rounds/{round_.slug}/sections/1"):
        assert client.get(url).headers.getlist("Set-Cookie") == []


def test_session_ends_after_the_absolute_lifetime(client, make_user, auth):
    auth.login(make_user())
    with client.session_transaction() as session:
        session["signed_in_at"] = (utcnow() - timedelta(hours=13)).isoformat()
    assert client.get("/account/").status_code == 302


def test_old_hashes_are_upgraded_at_login(app, client, make_user):
    from argon2 import PasswordHasher

    user = make_user()
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, salt_len=8).hash(TEST_PASSWORD)
    old = user.password_hash
    db.session.commit()
    client.post("/account/login", data={"email": user.email, "password": TEST_PASSWORD})
    db.session.refresh(user)
    assert user.password_hash != old and verify_password(user.password_hash, TEST_PASSWORD)


def test_password_change_needs_the_current_password_and_signs_out_other_devices(app, make_user):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        device.post("/account/login", data={"email": user.email, "password": TEST_PASSWORD})
    refused = laptop.post(
        "/account/",
        data={"password-current_password": "wrong wrong", "password-new_password": GOOD, "password-confirm": GOOD, "password-submit": "1"},
    )
    assert b"The current password is not right." in refused.data
    laptop.post(
        "/account/",
        data={"password-current_password": TEST_PASSWORD, "password-new_password": GOOD, "password-confirm": GOOD, "password-submit": "1"},
    )
    assert laptop.get("/account/").status_code == 200
    assert phone.get("/account/").status_code == 302
    db.session.refresh(user)
    assert verify_password(user.password_hash, GOOD)


def test_display_name_can_be_changed(client, make_user, auth):
    user = make_user(display_name="Old")
    auth.login(user)
    client.post("/account/", data={"profile-display_name": "New name", "profile-submit": "1"})
    db.session.refresh(user)
    assert user.display_name == "New name"


def test_admin_grants_and_revokes_roles_and_cannot_drop_their_own_admin(client, make_user, auth):
    admin = make_user(roles=["admin"])
    resident = make_user()
    auth.login(admin)
    client.post(f"/admin/users/{resident.id}/roles/moderator", data={"grant": "1"})
    db.session.refresh(resident)
    assert "moderator" in resident.roles
    client.post(f"/admin/users/{resident.id}/roles/moderator", data={"grant": "0"})
    db.session.refresh(resident)
    assert "moderator" not in resident.roles
    response = client.post(f"/admin/users/{admin.id}/roles/admin", data={"grant": "0"}, follow_redirects=True)
    assert b"cannot remove your own admin role" in response.data
    db.session.refresh(admin)
    assert "admin" in admin.roles


def test_only_staff_roles_can_be_granted(client, make_user, auth):
    auth.login(make_user(roles=["admin"]))
    target = make_user()
    assert client.post(f"/admin/users/{target.id}/roles/superuser", data={"grant": "1"}).status_code == 400


def test_suspending_sign_in_ends_every_session_and_refuses_sign_in(app, make_user, auth, client):
    admin = make_user(roles=["admin"])
    resident = make_user()
    resident_browser = app.test_client()
    resident_browser.post("/account/login", data={"email": resident.email, "password": TEST_PASSWORD})
    assert resident_browser.get("/account/").status_code == 200
    auth.login(admin)
    client.post(f"/admin/users/{resident.id}/suspend", data={"reason": "threats in comments"})
    assert resident_browser.get("/account/").status_code == 302
    again = resident_browser.post("/account/login", data={"email": resident.email, "password": TEST_PASSWORD})
    assert b"Signing in to this account is suspended: threats in comments" in again.data
    client.post(f"/admin/users/{resident.id}/unsuspend")
    db.session.refresh(resident)
    assert not resident.is_suspended
    assert resident_browser.post("/account/login", data={"email": resident.email, "password": TEST_PASSWORD}).status_code == 302


def test_blocking_from_commenting_leaves_sign_in_alone(app, make_user, auth, client):
    resident = make_user()
    resident_browser = app.test_client()
    resident_browser.post("/account/login", data={"email": resident.email, "password": TEST_PASSWORD})
    auth.login(make_user(roles=["admin"]))
    client.post(f"/admin/users/{resident.id}/block", data={"reason": "spam"})
    db.session.refresh(resident)
    assert resident.is_blocked and not resident.is_suspended
    assert resident_browser.get("/account/").status_code == 200  # still signed in, as the message promises


@pytest.mark.parametrize("measure", ["block", "suspend"])
def test_blocking_and_suspending_need_a_reason(client, make_user, auth, measure):
    auth.login(make_user(roles=["admin"]))
    target = make_user()
    client.post(f"/admin/users/{target.id}/{measure}", data={"reason": ""})
    db.session.refresh(target)
    assert not target.is_blocked and not target.is_suspended


def test_create_admin_command_refuses_weak_passwords_and_creates_an_admin(runner):
    weak = runner.invoke(args=["create-admin", "--email", "a@example.org", "--name", "A", "--password-stdin"], input="password\n")
    assert weak.exit_code != 0 and "Password refused" in weak.output
    assert user_count() == 0
    ok = runner.invoke(args=["create-admin", "--email", "a@example.org", "--name", "A", "--password-stdin"], input=GOOD + "\n")
    assert ok.exit_code == 0, ok.output
    admin = db.session.scalar(select(User))
    assert admin.roles == {"resident", "admin"} and admin.is_verified


def test_set_role_command(runner, make_user):
    user = make_user(email="m@example.org")
    assert runner.invoke(args=["set-role", "m@example.org", "moderator"]).exit_code == 0
    db.session.refresh(user)
    assert "moderator" in user.roles
    runner.invoke(args=["set-role", "m@example.org", "moderator", "--revoke"])
    db.session.refresh(user)
    assert "moderator" not in user.roles
    missing = runner.invoke(args=["set-role", "nobody@example.org", "official"])
    assert missing.exit_code != 0 and "No account" in missing.output


def test_set_password_command_asks_twice_without_echo_and_ends_sessions(runner, make_user):
    user = make_user(email="staff@example.org")
    version = user.session_version
    result = runner.invoke(args=["set-password", "Staff@Example.org"], input=f"{GOOD}\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert GOOD not in result.output  # hidden input: nothing secret reaches the terminal
    db.session.refresh(user)
    assert verify_password(user.password_hash, GOOD) and not verify_password(user.password_hash, TEST_PASSWORD)
    assert user.session_version == version + 1


def test_set_password_command_refuses_mismatches_weak_passwords_and_unknown_addresses(runner, make_user):
    user = make_user(email="nia.okafor@example.org", display_name="Nia Okafor")
    old_hash = user.password_hash
    mismatch = runner.invoke(args=["set-password", "nia.okafor@example.org"], input=f"{GOOD}\nsomething else\n")
    assert mismatch.exit_code != 0
    for weak in ("iloveyou", "nia.okafor2024"):  # common; built from the account's own address
        refused = runner.invoke(args=["set-password", "nia.okafor@example.org", "--password-stdin"], input=weak + "\n")
        assert refused.exit_code == 1 and "Password refused" in refused.output, refused.output
        assert weak not in refused.output
    db.session.refresh(user)
    assert user.password_hash == old_hash
    missing = runner.invoke(args=["set-password", "nobody@example.org", "--password-stdin"], input=GOOD + "\n")
    assert missing.exit_code == 1 and "No account with the email address nobody@example.org" in missing.output


def test_registering_returns_to_the_page_the_resident_came_from_and_so_does_the_emailed_link(client):
    page = client.get("/rounds/some-round/sections/2").get_data(as_text=True)  # a 404 page has the header too
    assert 'href="/account/register?next=/rounds/some-round/sections/2"' in page
    form = client.get("/account/register?next=/rounds/some-round/sections/2").get_data(as_text=True)
    assert 'href="/account/login?next=/rounds/some-round/sections/2"' in form  # "Already have an account?"
    header = form.split("</header>")[0]  # the header's links lead there too, not back to this form
    assert header.count("next=/rounds/some-round/sections/2") == 2 and "login?next=/account/" not in header
    response = client.post("/account/register?next=/rounds/some-round/sections/2",
                           data={"email": "back@example.org", "display_name": "Nia", "password": GOOD, "confirm": GOOD})
    assert response.headers["Location"] == "/rounds/some-round/sections/2"
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.to_address == "back@example.org"))
    link = next(word for word in body.split() if "/account/verify?" in word)
    assert link.endswith("&next=/rounds/some-round/sections/2")
    confirmed = client.post(link.split("localhost", 1)[-1], data={"password": GOOD})
    assert confirmed.headers["Location"] == "/rounds/some-round/sections/2"
    assert client.get("/account/").status_code == 200  # signed in


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_registering_never_sends_the_resident_off_the_site(client, target):
    response = client.post("/account/register", query_string={"next": target},
                           data={"email": "off@example.org", "display_name": "Nia", "password": GOOD, "confirm": GOOD})
    assert response.headers["Location"] == "/"
    assert "next=" not in db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.to_address == "off@example.org"))
