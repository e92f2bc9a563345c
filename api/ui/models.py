"""The review workspace's tables, on the service's SQLAlchemy Base (created with the rest at start-up).

``ui_users``: personal accounts (user name, argon2 hash, role, county scope, failed sign-ins and lock-out).
``ui_sessions``: signed-in browsers; the cookie carries a random token, the table only its SHA-256, the
session's CSRF token and when it was last used (idle expiry).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UtcDateTime, new_id, utcnow


class UserRow(Base):
    __tablename__ = "ui_users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: the sign-in name, stored lower-cased
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    #: how the page addresses the person (e.g. 王芳)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    #: argon2id (argon2-cffi's encoded form, parameters included)
    password_hash: Mapped[str] = mapped_column(String(255))
    #: county ids the account may see; None: every county
    counties: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    disabled_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)


class UiSessionRow(Base):
    __tablename__ = "ui_sessions"

    #: hex SHA-256 of the cookie's token (the token itself is never stored)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("ui_users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
