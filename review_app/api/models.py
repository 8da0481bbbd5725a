"""Tokens for integrations (paper-form data entry, kiosks, SMS gateways) that submit comments."""

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow

TOKEN_PREFIX = "crt_"


def hash_token(token: str) -> str:
    # The token is 32 random bytes, so a fast hash is enough: there is nothing to guess by brute force.
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The slugs of the rounds this token may write to; empty means every round.
    round_slugs: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    @classmethod
    def issue(cls, name: str, round_slugs: list[str], created_by_id: int | None) -> tuple["ApiToken", str]:
        """A new token and its secret, which is shown once and never stored."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        return cls(name=name, token_hash=hash_token(secret), round_slugs=round_slugs, created_by_id=created_by_id), secret

    def may_write_to(self, slug: str) -> bool:
        return self.revoked_at is None and (not self.round_slugs or slug in self.round_slugs)
