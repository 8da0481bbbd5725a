"""What accounts do: register, authenticate, change settings, grant roles."""

import re
import unicodedata

from flask import session
from flask_babel import gettext
from flask_login import login_user, logout_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..timeutil import utcnow
from .models import Role, User, UserRole
from .passwords import hash_password, needs_rehash, verify_password

STAFF_ROLES = (Role.MODERATOR, Role.OFFICIAL, Role.ADMIN)


class AccountError(Exception):
    """A refusal with a message meant for the person at the keyboard."""


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


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def register(email: str, display_name: str, password: str) -> User:
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError(gettext("An account with this email address already exists. Sign in instead."))
    return user


def authenticate(email: str, password: str) -> User:
    """Return the user for these credentials; one message for every failure so emails don't leak."""
    user = find_user_by_email(email)
    if user is None or not verify_password(user.password_hash, password):
        raise AccountError(gettext("The email address or password is not right."))
    if user.is_suspended:
        raise AccountError(gettext("Signing in to this account is suspended: %(reason)s", reason=user.suspended_reason))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


# What a visitor was doing before signing in (a comment being written, receipts) survives it.
CARRIED_INTO_NEW_SESSION = ("comment_drafts", "receipts")


def start_session(user: User) -> None:
    """A fresh session on every sign-in, so a session planted before login is worthless."""
    carried = {key: session[key] for key in CARRIED_INTO_NEW_SESSION if key in session}
    session.clear()
    session.update(carried)
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
        raise AccountError("The current password is not right.")
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
        raise AccountError("Only staff roles can be granted or revoked.")
    if not granted and role == Role.ADMIN and acting_admin is not None and user.id == acting_admin.id:
        raise AccountError("You cannot remove your own admin role; ask another admin.")
    held = {row.role: row for row in user.role_rows}
    if granted and role not in held:
        user.role_rows.append(UserRole(role=str(role)))
    elif not granted and role in held:
        user.role_rows.remove(held[role])
        end_all_sessions(user)  # a revoked role takes effect at once, not at the next sign-in
    db.session.commit()
