"""Resident and staff accounts with their roles."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow


def normalise_email(email: str) -> str:
    """Addresses are stored and compared trimmed and in lower case."""
    return (email or "").strip().lower()


class Role(enum.StrEnum):
    RESIDENT = "resident"
    MODERATOR = "moderator"
    OFFICIAL = "official"
    ADMIN = "admin"


# Who may act on whom: staff act only on accounts of a lower rank, and a block is lifted only
# by someone of the rank of the one who set it.
RANKS = {Role.RESIDENT: 0, Role.MODERATOR: 1, Role.OFFICIAL: 1, Role.ADMIN: 2}


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Bumped on logout, password change and blocking so that every older cookie stops working.
    session_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the holder proves the address is theirs (the emailed link, or a password reset);
    # an account cannot sign in before, so nobody keeps an address they do not own.
    email_verified_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Blocked from commenting and supporting (a moderator's measure); signing in still works.
    blocked_at: Mapped[datetime | None]
    blocked_reason: Mapped[str | None] = mapped_column(String(500))
    blocked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Sign-in suspended (an admin's measure): every session ends and no new one starts.
    suspended_at: Mapped[datetime | None]
    suspended_reason: Mapped[str | None] = mapped_column(String(500))
    # Erased at the holder's request: email, name and password replaced, the row kept so the
    # moderation log and supports still point somewhere.
    erased_at: Mapped[datetime | None]

    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> set[Role]:
        """Every account is a resident; staff roles are granted on top."""
        return {Role.RESIDENT} | {Role(row.role) for row in self.role_rows}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_blocked(self) -> bool:
        return self.blocked_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None

    @property
    def rank(self) -> int:
        return max(RANKS[role] for role in self.roles)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_rows")
