"""What accounts do: sign up and verify the address, authenticate, reset or change the password,
change settings, grant roles."""

import re
import unicodedata

from flask import session
from flask_babel import gettext, ngettext
from flask_login import login_user, logout_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import BIND_TO_ADDRESS, db
from ..timeutil import utcnow
from . import emails, throttle, tokens
from .models import Role, User, UserRole, normalise_email
from .passwords import hash_password, needs_rehash, verify_password

STAFF_ROLES = (Role.MODERATOR, Role.OFFICIAL, Role.ADMIN)


class AccountError(Exception):
    """A refusal with a message meant for the person at the keyboard."""


class SignInDelayed(AccountError):
    """Too many refused sign-ins to this account lately: wait `seconds` (or use a known device)."""

    def __init__(self, seconds: int):
        super().__init__(ngettext(
            "There have been too many wrong passwords for this account. Try again in %(num)s minute, "
            "sign in from a device you have used before, or choose a new password.",
            "There have been too many wrong passwords for this account. Try again in %(num)s minutes, "
            "sign in from a device you have used before, or choose a new password.", -(-seconds // 60)))
        self.seconds = seconds


# The roles' own words, which would make a resident's name read as the site's staff.
STAFF_SOUNDING = {"admin", "administrator", "administrador", "moderator", "moderador", "moderadora", "staff",
                  "official", "oficial"}


def _name_key(name: str) -> str:
    """A name as it looks, for comparing: compatibility forms folded ("Ｊａｎｅ" is "jane"), accents,
    case and everything but letters and digits dropped."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name)).casefold()
    return "".join(c for c in folded if c.isalnum())


def display_name_problem(name: str, user: User | None = None) -> str | None:
    """Why a name may not be shown beside a comment, or None: invisible or direction-changing
    characters (which can disguise a name), a staff member's name, or words that sound like staff."""
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp") for c in name):
        return gettext("Use letters, digits, spaces and punctuation only.")
    if user is not None and user.rank > 0:
        return None
    key = _name_key(name)
    words = {_name_key(word) for word in re.split(r"[\s._\-]+", name)}
    if words & STAFF_SOUNDING:
        return gettext("Names that sound like the city's staff are kept for staff. Choose another name.")
    staff = select(User.display_name).join(UserRole).where(UserRole.role.in_([str(r) for r in STAFF_ROLES]))
    if user is not None:
        staff = staff.where(User.id != user.id)
    if key and key in {_name_key(other) for other in db.session.scalars(staff)}:
        return gettext("A member of staff uses this name. Choose another name.")
    return None


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_account(email: str, display_name: str, password: str, verified: bool = True) -> User:
    """Store a new account (the CLI and the demo make verified ones); AccountError if the address is taken."""
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError(gettext("An account with this email address already exists."))
    return user


def sign_up(email: str, display_name: str, password: str, next_url: str | None = None) -> None:
    """Registration, with one outcome whatever the address: an email to it. A new address gets an
    unverified account and the link to verify it; an address with an account gets a note to its
    owner. Both paths hash the password once, so neither the answer nor its time tells them apart."""
    existing = find_user_by_email(email)
    if existing is not None:
        hash_password(password)  # the work creating an account would have done
        emails.send_already_registered(existing)
        return
    try:
        user = create_account(email, display_name, password, verified=False)
    except AccountError:  # registered a moment ago by another request
        return
    emails.send_verification(user, next_url)  # the link leads back to next_url once confirmed


def authenticate(email: str, password: str, known_account_ids=()) -> User:
    """Return the user for these credentials; one message for every failure so emails don't leak.

    An unknown address costs one password hash like a known one. After repeated failures the
    account makes browsers it does not know wait (see throttle.py); one it knows never waits."""
    user = find_user_by_email(email)
    known_device = user is not None and user.id in known_account_ids
    wait = 0 if known_device else throttle.wait_seconds(email)
    if wait:
        raise SignInDelayed(wait)
    if not verify_password(user.password_hash if user else None, password):
        failures = throttle.record_failure(email)
        if user is not None and failures >= throttle.NOTICE_AFTER:
            emails.send_failed_sign_ins(user)
        raise AccountError(gettext("The email address or password is not right."))
    throttle.forget_failures(email)
    _check_may_sign_in(user)
    if not user.is_verified:
        emails.send_verification(user)
        raise AccountError(gettext(
            "Confirm your email address first: follow the link in the email we sent you. "
            "If you cannot find it, we have sent it again (at most once an hour)."))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def _check_may_sign_in(user: User) -> None:
    if user.is_suspended:
        raise AccountError(gettext("Signing in to this account is suspended: %(reason)s", reason=user.suspended_reason))


def verify_email(token: str, password: str) -> User:
    """Verify the address with the emailed link and the account's password, which together prove
    the person at the keyboard both holds the address and chose the account (an owner who opens
    a link meant for someone who used their address cannot take over an account they know
    nothing of, nor verify it for them: "Forgot your password?" gives them the account)."""
    user = tokens.read_token(token, tokens.VERIFY_EMAIL)
    if user is None:
        raise AccountError(gettext("This link has expired or has been used. Sign in to get a new one."))
    if not verify_password(user.password_hash, password):
        raise AccountError(gettext("The password is not right."))
    _check_may_sign_in(user)
    user.email_verified_at = utcnow()
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def request_password_reset(email: str) -> None:
    """Email a reset link if an account has this address; the caller answers the same either way."""
    user = find_user_by_email(email)
    if user is not None and user.erased_at is None:
        emails.send_password_reset(user)


def reset_password(user: User, new_password: str) -> None:
    """Set the new password from a reset link: it also proves the address, and ends every other
    session (whoever else held the account is out)."""
    user.email_verified_at = user.email_verified_at or utcnow()
    set_password(user, new_password)


def set_password(user: User, new_password: str) -> None:
    """Replace the password (a reset link or `flask set-password`), end every session and forget
    the refused sign-ins counted against the account."""
    user.password_hash = hash_password(new_password)
    end_all_sessions(user)
    db.session.commit()
    db.session.refresh(user)
    throttle.forget_failures(user.email)


# What a visitor was doing before signing in (a comment being written, receipts) survives it.
CARRIED_INTO_NEW_SESSION = ("comment_drafts", "receipts")


def start_session(user: User) -> None:
    """A fresh session on every sign-in, so a session planted before login is worthless."""
    carried = {key: session[key] for key in CARRIED_INTO_NEW_SESSION if key in session}
    session.clear()
    session.update(carried)
    session[BIND_TO_ADDRESS] = user.rank > 0  # before login_user, which records the session's identifier
    login_user(user)
    session["signed_in_at"] = utcnow().isoformat()
    session.permanent = True


def end_session(user: User | None) -> None:
    """Sign out and invalidate every cookie the user holds, including copies elsewhere."""
    if user is not None and user.is_authenticated:
        end_all_sessions(user)
        db.session.commit()
    logout_user()
    session.clear()


def end_all_sessions(user: User) -> None:
    user.session_version = User.session_version + 1


def rename(user: User, display_name: str) -> None:
    user.display_name = display_name.strip()
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise AccountError(gettext("The current password is not right."))
    user.password_hash = hash_password(new)
    end_all_sessions(user)
    db.session.commit()
    db.session.refresh(user)
    start_session(user)  # keep this browser signed in with the new session version


def search_users(query: str, page: int, per_page: int = 50):
    statement = select(User).order_by(User.email)
    if query:
        statement = statement.where(User.email.contains(normalise_email(query), autoescape=True))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def set_role(user: User, role: Role, granted: bool, acting_admin: User | None = None) -> None:
    if role not in STAFF_ROLES:
        raise AccountError(gettext("Only staff roles can be granted or revoked."))
    if not granted and role == Role.ADMIN and acting_admin is not None and user.id == acting_admin.id:
        raise AccountError(gettext("You cannot remove your own admin role; ask another admin."))
    held = {row.role: row for row in user.role_rows}
    if granted and role not in held:
        user.role_rows.append(UserRole(role=str(role)))
    elif not granted and role in held:
        user.role_rows.remove(held[role])
        end_all_sessions(user)  # a revoked role takes effect at once, not at the next sign-in
    db.session.commit()
