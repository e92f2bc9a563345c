"""Personal accounts and browser sessions of the review workspace.

- Passwords are hashed with argon2id (argon2-cffi's defaults); a sign-in with an unknown name still hashes,
  so timing does not tell which names exist.
- ``max_failures`` wrong passwords in a row lock the account for ``lockout_s`` (even the right password is
  refused meanwhile); ``planner user unlock`` lifts it.
- A session is a random cookie token (HttpOnly, SameSite=Strict, Secure when configured) whose SHA-256 is the
  row's key; it ends after ``idle_s`` without a request or ``max_age_s`` in all.
- Every state-changing request carries the session's CSRF token (a form field or the X-CSRF-Token header);
  the sign-in form, before any session exists, uses a double-submit cookie.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..db import Database, utcnow
from ..security import RANK, ROLES
from .models import UiSessionRow, UserRow

SESSION_COOKIE = "planner_session"
LOGIN_CSRF_COOKIE = "planner_login_csrf"
LANG_COOKIE = "planner_lang"


class UiSettings(BaseSettings):
    """Settings of the workspace (environment prefix ``PLANNER_UI_``)."""

    model_config = SettingsConfigDict(env_prefix="PLANNER_UI_", env_file=".env", extra="ignore")

    #: a session ends after this long without a request, seconds
    idle_s: float = Field(default=30 * 60, gt=0)
    #: and after this long in all, seconds
    max_age_s: float = Field(default=12 * 3600, gt=0)
    #: wrong passwords in a row that lock an account
    max_failures: int = Field(default=5, ge=1)
    #: how long a locked account stays locked, seconds
    lockout_s: float = Field(default=15 * 60, gt=0)
    #: send the session cookie only over HTTPS (set it when TLS is in front)
    cookie_secure: bool = False
    #: solver limits of the page's solves and what-ifs, seconds
    solve_time_limit_s: float = Field(default=30.0, gt=0)
    whatif_time_limit_s: float = Field(default=10.0, gt=0)
    recommend_time_limit_s: float = Field(default=1.0, gt=0)
    recommend_top: int = Field(default=5, ge=1, le=20)


_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

MIN_PASSWORD = 8


def normalise_username(name: str) -> str:
    return name.strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(
    s: Session,
    *,
    username: str,
    password: str,
    role: str,
    display_name: str | None = None,
    counties: list[str] | None = None,
) -> UserRow:
    """A new account. ValueError (in English and Chinese) for a bad name, role or password."""
    name = normalise_username(username)
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        raise ValueError("用户名须为1至64个字符且不含空格 / the user name needs 1 to 64 characters, no spaces")
    if role not in RANK:
        raise ValueError(f"角色须为{'、'.join(ROLES)}之一 / role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"密码至少{MIN_PASSWORD}个字符 / the password needs at least {MIN_PASSWORD} characters")
    if s.scalar(select(UserRow).where(UserRow.username == name)) is not None:
        raise ValueError(f"用户“{name}”已存在 / user {name!r} exists")
    row = UserRow(
        username=name,
        display_name=(display_name or username).strip() or name,
        role=role,
        password_hash=hash_password(password),
        counties=counties or None,
        failed_logins=0,
        created_at=utcnow(),
    )
    s.add(row)
    s.flush()
    return row


def find_user(s: Session, username: str) -> UserRow | None:
    return s.scalar(select(UserRow).where(UserRow.username == normalise_username(username)))


@dataclass
class SignIn:
    """The outcome of a sign-in attempt: the user, or why not (``bad`` | ``locked`` | ``disabled``)."""

    user: UserRow | None
    refusal: str | None = None
    locked_until: dt.datetime | None = None


def authenticate(s: Session, settings: UiSettings, username: str, password: str) -> SignIn:
    """Check a password; count failures and lock the account after `max_failures` in a row."""
    user = find_user(s, username)
    if user is None:
        try:
            _hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass
        return SignIn(None, "bad")
    now = utcnow()
    if user.disabled_at is not None:
        return SignIn(None, "disabled")
    if user.locked_until is not None and user.locked_until > now:
        return SignIn(None, "locked", user.locked_until)
    try:
        _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= settings.max_failures:
            user.locked_until = now + dt.timedelta(seconds=settings.lockout_s)
            user.failed_logins = 0
            return SignIn(None, "locked", user.locked_until)
        return SignIn(None, "bad")
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return SignIn(user)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(s: Session, user: UserRow) -> tuple[str, UiSessionRow]:
    """A new session for `user`: (the cookie's token, its row)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = UiSessionRow(
        id=_digest(token), user_id=user.id, csrf=secrets.token_urlsafe(32), created_at=now, last_seen_at=now
    )
    s.add(row)
    s.flush()
    return token, row


@dataclass
class Viewer:
    """Who is looking at a page: the account and its session."""

    user_id: str
    username: str
    display_name: str
    role: str
    counties: list[str] | None
    csrf: str

    def allows(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]

    def sees(self, county: str) -> bool:
        return self.counties is None or county in self.counties


def resume_session(db: Database, settings: UiSettings, token: str | None) -> Viewer | None:
    """The session a cookie names, if it is still alive (touching it); expired sessions are deleted."""
    if not token:
        return None
    now = utcnow()
    with db.session() as s, s.begin():
        row = s.get(UiSessionRow, _digest(token))
        if row is None:
            return None
        user = s.get(UserRow, row.user_id)
        idle = (now - row.last_seen_at).total_seconds()
        age = (now - row.created_at).total_seconds()
        if user is None or user.disabled_at is not None or idle > settings.idle_s or age > settings.max_age_s:
            s.delete(row)
            return None
        row.last_seen_at = now
        return Viewer(
            user_id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            counties=list(user.counties) if user.counties else None,
            csrf=row.csrf,
        )


def close_session(db: Database, token: str | None) -> None:
    if token:
        with db.session() as s, s.begin():
            s.execute(delete(UiSessionRow).where(UiSessionRow.id == _digest(token)))


def close_sessions_of(s: Session, user_id: str) -> None:
    s.execute(delete(UiSessionRow).where(UiSessionRow.user_id == user_id))


def same_token(a: Any, b: Any) -> bool:
    return isinstance(a, str) and isinstance(b, str) and bool(a) and hmac.compare_digest(a, b)
