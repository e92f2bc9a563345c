"""API keys: generation, hashing, verification.

A key reads ``rpk_<id>_<secret>``. ``id`` (16 hex digits) is public: it finds the row and names the key in
logs. ``secret`` (43 URL-safe characters, 256 bits) is shown once and stored only as
``HMAC-SHA256(pepper, salt ‖ secret)`` with a random per-key salt; the pepper is a server setting kept out of
the database. Verification compares digests in constant time and hashes even when the id is unknown, so the
answer's timing does not tell which ids exist. With 256-bit random secrets a slow password hash buys nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import ApiKey, utcnow
from .roles import ROLES

PREFIX = "rpk"

#: each role may do what the roles before it may do
RANK = {role: i for i, role in enumerate(ROLES)}


@dataclass(frozen=True)
class Principal:
    """The caller, as the routes and the audit log see it."""

    key_id: str
    name: str
    role: str
    #: the counties the key may see and act on; None: every county (a global key)
    counties: frozenset[str] | None = None

    def allows(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]

    def sees(self, county: str) -> bool:
        return self.counties is None or county in self.counties

    def covers(self, counties: frozenset[str] | None) -> bool:
        """Whether every county of `counties` (None: all of them) is within this key's scope."""
        if self.counties is None:
            return True
        return counties is not None and counties <= self.counties

    @property
    def scope(self) -> str:
        """The scope as the audit log writes it: ``*`` for a global key, else the county ids."""
        return "*" if self.counties is None else ",".join(sorted(self.counties))


def principal_of(row: ApiKey) -> Principal:
    return Principal(key_id=row.id, name=row.name, role=row.role, counties=scope_of(row))


def scope_of(row: ApiKey) -> frozenset[str] | None:
    return frozenset(row.counties) if row.counties else None


def county_problem(county: str) -> str | None:
    """Why `county` is not a usable county id, or None (the rule of the ids of documents: printable, trimmed,
    1 to 64 characters)."""
    if not county or len(county) > 64 or county != county.strip() or not county.isprintable():
        return "a county id needs 1 to 64 visible characters, without leading or trailing spaces"
    return None


def digest(pepper: str, salt: str, secret: str) -> str:
    return hmac.new(pepper.encode(), (salt + secret).encode(), hashlib.sha256).hexdigest()


def split_key(key: str) -> tuple[str, str] | None:
    parts = key.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or len(parts[1]) != 16 or not parts[2]:
        return None
    return parts[1], parts[2]


def create_key(
    session: Session,
    *,
    name: str,
    role: str,
    pepper: str,
    created_by: str | None = None,
    counties: list[str] | None = None,
) -> tuple[ApiKey, str]:
    """Store a new key and return (row, the full key). The full key is not stored anywhere. `counties` scopes
    the key to those counties' scenarios, jobs and plans; None or empty: a global key."""
    if role not in RANK:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    name = name.strip()
    if not name or len(name) > 100 or not name.isprintable():
        raise ValueError("name must have 1 to 100 visible characters")
    for county in counties or ():
        why = county_problem(county)
        if why:
            raise ValueError(f"{why}: {county!r}")
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    salt = secrets.token_hex(16)
    row = ApiKey(
        id=key_id,
        name=name,
        role=role,
        salt=salt,
        hash=digest(pepper, salt, secret),
        created_at=utcnow(),
        created_by=created_by,
        counties=sorted(set(counties)) if counties else None,
    )
    session.add(row)
    session.flush()
    return row, f"{PREFIX}_{key_id}_{secret}"


_DUMMY_SALT = secrets.token_hex(16)


def verify_key(session: Session, key: str, pepper: str) -> ApiKey | None:
    """The active key row matching `key`, or None. Constant-time digest comparison."""
    parts = split_key(key)
    key_id, secret = parts if parts else ("", key)
    row = session.get(ApiKey, key_id) if key_id else None
    salt, expected = (row.salt, row.hash) if row is not None else (_DUMMY_SALT, "0" * 64)
    ok = hmac.compare_digest(digest(pepper, salt, secret), expected)
    if not ok or row is None or row.revoked_at is not None:
        return None
    return row


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at)))


class LastAdmin(Exception):
    """Revoking this key would leave no active global admin key (only shell access could recover)."""


def is_global_admin(row: ApiKey) -> bool:
    return row.role == "admin" and row.revoked_at is None and not row.counties


def revoke_key(session: Session, key_id: str) -> ApiKey | None:
    """Revoke `key_id` (None if there is no such key); raise LastAdmin rather than revoke the last active
    global admin key."""
    row = session.get(ApiKey, key_id)
    if row is not None and row.revoked_at is None:
        if is_global_admin(row):
            others = [k for k in session.scalars(select(ApiKey).where(ApiKey.id != row.id)) if is_global_admin(k)]
            if not others:
                raise LastAdmin(row.id)
        row.revoked_at = utcnow()
    return row
