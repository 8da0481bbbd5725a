"""The emails an account receives, in the language of the request that queues them. Each kind
goes at most once per period to an account (the outbox key), so nobody can flood an inbox."""

from flask_babel import gettext as _

from ..mail import queue_email
from ..security import public_url
from ..timeutil import utcnow
from .models import User
from .throttle import NOTICE_AFTER
from .tokens import RESET_PASSWORD, VERIFY_EMAIL, make_token

HOUR, DAY = 60, 24 * 60


def _key(user: User, kind: str, every_minutes: int) -> str:
    """account:<id>:<kind>:<period>; data_rights.erase drops an account's messages by this prefix."""
    period = int(utcnow().timestamp() // (every_minutes * 60))
    return f"account:{user.id}:{kind}:{period}"


def send_verification(user: User, next_url: str | None = None) -> None:
    """next_url: a path on this site (security.safe_next_url) the link returns to once confirmed."""
    link = public_url("accounts.verify_email", token=make_token(user, VERIFY_EMAIL), next=next_url)
    queue_email(_key(user, "verify", HOUR), user.email, _("Confirm your email address for Civic Review"), _(
        "Hello %(name)s,\n\n"
        "Someone, probably you, created a Civic Review account with this email address. To finish, "
        "open this link within two days and enter the password you chose:\n\n%(link)s\n\n"
        "If it was not you, ignore this message: the account cannot be used without this link. If "
        "someone else used your address, you can take the account over by choosing a new password:\n\n%(forgot)s\n",
        name=user.display_name, link=link, forgot=public_url("accounts.forgot_password")))


def send_already_registered(user: User) -> None:
    queue_email(_key(user, "exists", DAY), user.email, _("Someone tried to create an account with your email address"), _(
        "Hello %(name)s,\n\n"
        "Someone tried to create a Civic Review account with this email address, which already has "
        "one. If it was you, sign in:\n\n%(login)s\n\n"
        "If you have forgotten your password, choose a new one:\n\n%(forgot)s\n\n"
        "If it was not you, you can ignore this message: nothing about your account has changed.\n",
        name=user.display_name, login=public_url("accounts.login"), forgot=public_url("accounts.forgot_password")))


def send_password_reset(user: User) -> None:
    link = public_url("accounts.reset_password", token=make_token(user, RESET_PASSWORD))
    queue_email(_key(user, "reset", 15), user.email, _("Choose a new password for Civic Review"), _(
        "Hello %(name)s,\n\n"
        "Someone, probably you, asked to choose a new password for the Civic Review account with "
        "this email address. Open this link within an hour; it works once:\n\n%(link)s\n\n"
        "Choosing a new password signs you out on every other device. If you did not ask, ignore "
        "this message: your password stays as it is.\n",
        name=user.display_name, link=link))


def send_failed_sign_ins(user: User) -> None:
    queue_email(_key(user, "failures", DAY), user.email, _("Failed sign-ins to your Civic Review account"), _(
        "Hello %(name)s,\n\n"
        "Someone has tried to sign in to your Civic Review account with a wrong password %(count)s "
        "times today. If it was you and you have forgotten your password, choose a new one:\n\n%(forgot)s\n\n"
        "If it was not you, someone may be guessing your password. Each wrong guess makes them wait "
        "longer, and you can still sign in from a device you have used before. A password of a few "
        "unrelated words is the best protection.\n",
        name=user.display_name, count=NOTICE_AFTER, forgot=public_url("accounts.forgot_password")))
