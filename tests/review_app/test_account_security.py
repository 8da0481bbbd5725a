"""Account security (issue 21): no account enumeration, no lockout of owners by strangers,
verified addresses, password reset, the password policy and strong session protection."""

import re
import time

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from review_app.accounts import throttle
from review_app.accounts.models import User
from review_app.accounts.passwords import password_problem, verify_password
from review_app.extensions import db
from review_app.reports.models import OutboxMessage

from ..conftest import TEST_PASSWORD

GOOD = "plum kettle harbour seven"
WEAK = ["aaaaaaaa", "abcdefgh", "Password123!", "Summer2024!", "letmein123", "passwordpassword", "civicreview"]


@pytest.fixture
def clock(monkeypatch):
    """Moves time.time() forward on demand: the age of emailed links (itsdangerous) and the
    rate limiter's windows follow it."""
    real, offset = time.time, [0.0]
    monkeypatch.setattr(time, "time", lambda: real() + offset[0])

    class Clock:
        def advance(self, seconds: float) -> None:
            offset[0] += seconds

    return Clock()


@pytest.fixture
def spy(monkeypatch):
    """Counts argon2 hashes made and verified, whoever calls them."""
    counts = {"hash": 0, "verify": 0}
    for name in counts:
        original = getattr(PasswordHasher, name)

        def counting(self, *args, _original=original, _name=name, **kwargs):
            counts[_name] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(PasswordHasher, name, counting)
    return counts


def register(client, email, password=GOOD, name="Nia"):
    return client.post("/account/register", data={"email": email, "display_name": name, "password": password, "confirm": password})


def sign_in(client, email, password=TEST_PASSWORD, address="127.0.0.1"):
    return client.post("/account/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def outbox(to_address: str) -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == to_address).order_by(OutboxMessage.id)).all()


def link_in(message: OutboxMessage) -> str:
    """The emailed link, as a path with its query string, for the test client."""
    return re.search(r"http://localhost(/account/(?:verify|reset)\?token=\S+)", message.body).group(1)


def flashes(client) -> list:
    with client.session_transaction() as session:
        return session.get("_flashes", [])


# ---- 1. enumeration ------------------------------------------------------------------------------

def test_sign_in_verifies_one_hash_whether_or_not_the_account_exists(client, make_user, spy):
    make_user(email="known@example.org")
    imported = make_user(email="imported@example.org")
    imported.password_hash = "!imported"  # an account that cannot sign in (round_transfer.py)
    db.session.commit()
    for email in ("known@example.org", "nobody@example.org", "imported@example.org"):
        spy["verify"] = 0
        response = sign_in(client, email, "wrong wrong wrong")
        assert response.status_code == 422 and b"The email address or password is not right." in response.data
        assert spy["verify"] == 1, email


def test_registration_answers_the_same_for_a_taken_address_and_tells_its_owner(app, make_user, spy):
    owner = make_user(email="taken@example.org", display_name="Owner")
    hash_before = owner.password_hash
    answers = {}
    for email in ("taken@example.org", "new@example.org"):
        browser = app.test_client()
        spy["hash"] = 0
        response = register(browser, email)
        answers[email] = (response.status_code, response.headers["Location"], spy["hash"],
                          [(kind, text.replace(email, "EMAIL")) for kind, text in flashes(browser)])
    assert answers["taken@example.org"] == answers["new@example.org"]
    assert answers["new@example.org"][2] == 1  # one password hash on both paths
    assert "Check your email to finish creating your account" in answers["new@example.org"][3][0][1]
    (notice,) = outbox("taken@example.org")
    assert notice.subject == "Someone tried to create an account with your email address"
    assert "/account/forgot" in notice.body and "/account/login" in notice.body
    db.session.refresh(owner)
    assert owner.password_hash == hash_before and owner.display_name == "Owner"
    assert db.session.scalar(select(func.count()).select_from(User)) == 2
    register(app.test_client(), "taken@example.org")
    assert len(outbox("taken@example.org")) == 1  # at most one such note a day


# ---- 4. verification and reset -------------------------------------------------------------------

def test_a_new_account_signs_in_only_through_its_verification_link_which_works_once(app, client):
    register(client, "nia@example.org")
    user = db.session.scalar(select(User))
    refused = sign_in(client, "nia@example.org", GOOD)
    assert refused.status_code == 422 and b"Confirm your email address first" in refused.data
    (message, *_) = outbox("nia@example.org")
    link = link_in(message)
    page = client.get(link)
    assert page.status_code == 200 and b"Confirm your email address" in page.data
    assert client.post(link, data={"password": "not the password"}).status_code == 422
    confirmed = client.post(link, data={"password": GOOD})
    assert confirmed.status_code == 302
    assert "Your email address is confirmed" in flashes(client)[0][1]
    assert client.get("/account/").status_code == 200
    db.session.refresh(user)
    assert user.is_verified
    other = app.test_client()
    spent = other.get(link)
    assert spent.status_code == 302 and spent.headers["Location"] == "/"
    assert other.post(link, data={"password": GOOD}).status_code == 302
    assert other.get("/account/").status_code == 302  # the spent link signed nobody in


def test_the_verification_link_expires_after_two_days(client, clock):
    register(client, "late@example.org")
    link = link_in(outbox("late@example.org")[0])
    clock.advance(2 * 24 * 3600 + 5)
    assert client.get(link).headers["Location"] == "/"
    assert not db.session.scalar(select(User)).is_verified


def test_the_owner_takes_back_an_address_someone_else_registered(app, make_user):
    register(app.test_client(), "victim@example.org", password="impostor chose this one")
    owner_browser = app.test_client()
    forgot = owner_browser.post("/account/forgot", data={"email": "victim@example.org"})
    assert forgot.status_code == 302
    reset = [m for m in outbox("victim@example.org") if "/account/reset" in m.body][0]
    assert owner_browser.post(link_in(reset), data={"password": GOOD, "confirm": GOOD}).status_code == 302
    assert owner_browser.get("/account/").status_code == 200
    user = db.session.scalar(select(User))
    assert user.is_verified and verify_password(user.password_hash, GOOD)
    assert sign_in(app.test_client(), "victim@example.org", "impostor chose this one").status_code == 422


def test_forgot_password_answers_the_same_for_unknown_addresses_and_emails_nobody(app, make_user):
    make_user(email="r@example.org")
    answers = []
    for email in ("r@example.org", "who@example.org"):
        browser = app.test_client()
        response = browser.post("/account/forgot", data={"email": email})
        answers.append((response.status_code, response.headers["Location"],
                        [(kind, text.replace(email, "EMAIL")) for kind, text in flashes(browser)]))
    assert answers[0] == answers[1]
    assert len(outbox("r@example.org")) == 1 and outbox("who@example.org") == []


def test_a_reset_link_works_once_and_ends_other_sessions(app, make_user):
    user = make_user(email="r@example.org")
    phone = app.test_client()
    sign_in(phone, user.email)
    assert phone.get("/account/").status_code == 200
    laptop = app.test_client()
    laptop.post("/account/forgot", data={"email": "r@example.org"})
    link = link_in(outbox("r@example.org")[0])
    assert laptop.get(link).status_code == 200
    weak = laptop.post(link, data={"password": "Summer2024!", "confirm": "Summer2024!"})
    assert weak.status_code == 422 and b"easy to guess" in weak.data  # the policy applies
    assert laptop.post(link, data={"password": GOOD, "confirm": GOOD}).status_code == 302
    assert "Your new password is saved" in flashes(laptop)[0][1]
    assert laptop.get("/account/").status_code == 200
    assert phone.get("/account/").status_code == 302
    db.session.refresh(user)
    assert verify_password(user.password_hash, GOOD)
    again = app.test_client().post(link, data={"password": "another fine long passphrase", "confirm": "another fine long passphrase"})
    assert again.status_code == 302 and again.headers["Location"] == "/account/forgot"
    db.session.refresh(user)
    assert verify_password(user.password_hash, GOOD)


def test_a_reset_link_expires_after_an_hour(client, make_user, clock):
    make_user(email="r@example.org")
    client.post("/account/forgot", data={"email": "r@example.org"})
    link = link_in(outbox("r@example.org")[0])
    assert client.get(link).status_code == 200
    clock.advance(3601)
    assert client.get(link).headers["Location"] == "/account/forgot"


def test_changing_the_password_voids_an_unused_reset_link(app, client, make_user, auth):
    user = make_user(email="r@example.org")
    client.post("/account/forgot", data={"email": "r@example.org"})
    fresh = link_in(outbox("r@example.org")[0])
    assert client.get(fresh).status_code == 200
    auth.login(user)
    client.post("/account/", data={"password-current_password": TEST_PASSWORD, "password-new_password": GOOD,
                                   "password-confirm": GOOD, "password-submit": "1"})
    assert app.test_client().get(fresh).headers["Location"] == "/account/forgot"


# ---- 3. password policy --------------------------------------------------------------------------

@pytest.mark.parametrize("password", WEAK + ["civic review 2026"])
def test_weak_passwords_are_refused_with_advice(client, password):
    response = register(client, "new@example.org", password=password)
    assert response.status_code == 422
    assert b"Try three or four unrelated words" in response.data
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_good_passphrases_pass_and_ones_built_from_the_address_or_name_do_not(app):
    with app.test_request_context():
        assert password_problem(TEST_PASSWORD) is None
        assert password_problem(GOOD, ["nia@example.org", "Nia"]) is None
        assert "email address or name" in password_problem("nia.okafor2024", ["nia.okafor@example.org", "Nia Okafor"])


def test_the_password_change_applies_the_policy(client, make_user, auth):
    user = make_user()
    auth.login(user)
    response = client.post("/account/", data={"password-current_password": TEST_PASSWORD, "password-new_password": "letmein123",
                                              "password-confirm": "letmein123", "password-submit": "1"})
    assert response.status_code == 422
    db.session.refresh(user)
    assert verify_password(user.password_hash, TEST_PASSWORD)


# ---- 5. strong session protection ----------------------------------------------------------------

def test_a_session_cookie_copied_to_another_browser_is_refused_there(app, client, make_user, auth):
    auth.login(make_user())
    thief = app.test_client()
    thief.set_cookie("civic_session", client.get_cookie("civic_session").value)
    assert thief.get("/account/").status_code == 200  # the same address and browser: indistinguishable
    copied = thief.get("/account/", headers={"User-Agent": "another browser"})
    assert copied.status_code == 302 and "/account/login" in copied.headers["Location"]
    assert thief.get("/account/").status_code == 302  # that copy is over, not just marked stale
    assert client.get("/account/").status_code == 200  # the owner's own cookie still works


def test_a_staff_session_is_bound_to_its_address_and_a_residents_is_not(app, make_user):
    for roles, moved_status in (([], 200), (["moderator"], 302)):
        user = make_user(roles=roles)
        browser = app.test_client()
        browser.post("/account/login", data={"email": user.email, "password": TEST_PASSWORD},
                     environ_base={"REMOTE_ADDR": "10.0.0.1"})
        assert browser.get("/account/", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 200
        # A phone moving from wifi to mobile data, or a cookie used elsewhere; a forged header changes nothing.
        moved = browser.get("/account/", environ_base={"REMOTE_ADDR": "10.9.9.9"}, headers={"X-Forwarded-For": "10.0.0.1"})
        assert moved.status_code == moved_status


# ---- development mail page -----------------------------------------------------------------------

def test_the_outbox_page_exists_only_in_development(_schema, client):
    from ..conftest import make_test_app

    assert client.get("/dev/mail").status_code == 404
    development = make_test_app(_schema, ENV_NAME="development", SECRET_KEY="d" * 40)
    with development.app_context():
        db.session.add(OutboxMessage(key="k", to_address="a@example.org", subject="Hello there",
                                     body="Open\nhttp://localhost/account/reset?token=abc\n"))
        db.session.commit()
    page = development.test_client().get("/dev/mail")
    with development.app_context():
        db.engine.dispose()
    assert page.status_code == 200 and b"Hello there" in page.data
    assert b'<a href="http://localhost/account/reset?token=abc">' in page.data


# ---- 2. throttling without lockout ---------------------------------------------------------------

class TestGuessing:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True}

    def test_twenty_wrong_passwords_from_elsewhere_do_not_keep_the_owner_out(self, app, make_user, clock):
        owner = make_user(email="owner@example.org")
        laptop = app.test_client()
        assert sign_in(laptop, owner.email, address="10.0.0.1").status_code == 302
        laptop.post("/account/logout")
        for i in range(20):
            sign_in(app.test_client(), owner.email, f"guess number {i}", address=f"203.0.113.{i}")
        new_phone = app.test_client()
        made_to_wait = sign_in(new_phone, owner.email, address="198.51.100.7")
        assert made_to_wait.status_code == 429 and b"Try again in" in made_to_wait.data
        assert sign_in(laptop, owner.email, address="10.0.0.1").status_code == 302  # a known device never waits
        clock.advance(int(made_to_wait.headers["Retry-After"]) + 2)
        assert sign_in(new_phone, owner.email, address="198.51.100.7").status_code == 302

    def test_the_wait_grows_is_capped_and_says_nothing_about_accounts(self, app, make_user, clock):
        make_user(email="owner@example.org")
        waits = [0, 0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]  # 5 free, then doubling up to 15 minutes
        for email in ("owner@example.org", "nobody@example.org"):  # the same for an address with no account
            for i, wait in enumerate(waits):
                guess = lambda: sign_in(app.test_client(), email, f"guess {i}", address=f"203.0.113.{i}").status_code
                if wait:
                    assert guess() == 429
                    clock.advance(wait - 2)
                    assert guess() == 429, (email, i)
                    clock.advance(3)
                assert guess() == 422, (email, i)

    def test_the_owner_is_told_once_about_repeated_failures(self, app, make_user, clock):
        owner = make_user(email="owner@example.org")
        for i in range(throttle.NOTICE_AFTER + 3):
            response = sign_in(app.test_client(), owner.email, f"guess {i}", address=f"203.0.113.{i}")
            assert response.status_code == 422
            clock.advance(throttle.MAX_WAIT + 1)
            if i == throttle.NOTICE_AFTER - 2:
                assert outbox(owner.email) == []
        (notice,) = outbox(owner.email)
        assert notice.subject == "Failed sign-ins to your Civic Review account"
        assert "/account/forgot" in notice.body

    def test_one_address_gets_five_tries_per_account_per_quarter_hour(self, app, make_user, clock):
        owner = make_user(email="owner@example.org")
        browser = app.test_client()
        for i in range(5):
            assert sign_in(browser, owner.email, f"guess {i}", address="203.0.113.1").status_code == 422
            clock.advance(15)
        clock.advance(throttle.FIRST_WAIT + 1)  # past the account's wait
        limited = sign_in(browser, owner.email, "guess 6", address="203.0.113.1")
        assert limited.status_code == 429 and b"Try again in" not in limited.data
        assert sign_in(app.test_client(), owner.email, "guess 7", address="203.0.113.2").status_code == 422

    def test_a_forged_known_device_cookie_is_ignored(self, app, make_user):
        owner = make_user(email="owner@example.org")
        for i in range(5):
            sign_in(app.test_client(), owner.email, f"guess {i}", address=f"203.0.113.{i}")
        forger = app.test_client()
        forger.set_cookie(throttle.DEVICE_COOKIE, f"[{owner.id}]", path="/account/")
        assert sign_in(forger, owner.email, address="198.51.100.9").status_code == 429
