"""`planner user …`: the review workspace's personal accounts (registered by api.cli)."""

from __future__ import annotations

import getpass
import json
import os
import sys
from typing import Annotated, Optional

import typer

from planner.cli.common import app, console, err_console

from ..roles import ROLES

user_app = typer.Typer(
    no_args_is_help=True,
    help="Accounts of the review workspace (/ui): create, list, set a role or password, unlock, disable.",
)
app.add_typer(user_app, name="user")

PASSWORD_ENV = "PLANNER_USER_PASSWORD"


def _db():
    from ..db import Database
    from ..settings import Settings
    from . import models  # noqa: F401  (the tables)

    db = Database(Settings().database_url)
    db.create_schema()
    return db


def _password(given: Optional[str]) -> str:
    """--password, else $PLANNER_USER_PASSWORD, else asked twice on the terminal."""
    if given:
        return given
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        err_console.print(f"[red]give the password with --password, ${PASSWORD_ENV} or on a terminal[/]")
        raise typer.Exit(2)
    first = getpass.getpass("密码 / password: ")
    if first != getpass.getpass("再次输入 / again: "):
        err_console.print("[red]两次输入不一致 / the passwords differ[/]")
        raise typer.Exit(2)
    return first


def _audit(db, action: str, outcome: str) -> None:
    from ..deps import write_audit
    from ..security import Principal

    write_audit(db, Principal(key_id="cli", name="cli", role="admin"), action, outcome=outcome)


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Argument(help="the sign-in name, e.g. wangfang")],
    role: Annotated[str, typer.Option("--role", help=f"one of: {', '.join(ROLES)}")] = "viewer",
    name: Annotated[Optional[str], typer.Option("--name", help="how the page addresses the person, e.g. 王芳")] = None,
    county: Annotated[
        Optional[list[str]],
        typer.Option("--county", help="a county id the account may see (repeat; default: every county)"),
    ] = None,
    password: Annotated[Optional[str], typer.Option("--password", help=f"else ${PASSWORD_ENV}, else asked")] = None,
) -> None:
    """Create an account (the password is stored only as an argon2 hash)."""
    from .auth import create_user

    secret = _password(password)
    db = _db()
    try:
        with db.session() as s, s.begin():
            row = create_user(
                s,
                username=username,
                password=secret,
                role=role,
                display_name=name,
                counties=list(county) if county else None,
            )
            uname, urole = row.username, row.role
    except ValueError as exc:
        err_console.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None
    _audit(db, "user.create", uname[:32])
    db.dispose()
    console.print(f"已创建用户 {uname}（{urole}） / created user {uname} ({urole})", highlight=False)


def _change(username: str, action: str, change) -> None:
    from .auth import find_user

    db = _db()
    with db.session() as s, s.begin():
        row = find_user(s, username)
        if row is None:
            err_console.print(f"[red]没有用户 {username} / no user {username!r}[/]")
            raise typer.Exit(2)
        try:
            text = change(s, row)
        except ValueError as exc:
            err_console.print(f"[red]{exc}[/]")
            raise typer.Exit(2) from None
    _audit(db, action, username[:32])
    db.dispose()
    console.print(text, highlight=False)


@user_app.command("list")
def user_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List accounts (never their passwords)."""
    from sqlalchemy import select

    from ..db import utcnow
    from .models import UserRow

    db = _db()
    now = utcnow()
    with db.session() as s:
        rows = [
            {
                "username": u.username,
                "name": u.display_name,
                "role": u.role,
                "counties": u.counties,
                "locked": bool(u.locked_until and u.locked_until > now),
                "disabled": u.disabled_at is not None,
                "last_login_at": u.last_login_at.isoformat() if u.last_login_at else None,
            }
            for u in s.scalars(select(UserRow).order_by(UserRow.username))
        ]
    db.dispose()
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    for r in rows:
        flags = ("  LOCKED" if r["locked"] else "") + ("  DISABLED" if r["disabled"] else "")
        console.print(
            f"{r['username']:<16} {r['role']:<8} {r['name']:<12} "
            f"{','.join(r['counties']) if r['counties'] else '*'}{flags}",
            highlight=False,
        )


@user_app.command("set-role")
def user_set_role(username: str, role: Annotated[str, typer.Argument(help=f"one of: {', '.join(ROLES)}")]) -> None:
    """Change an account's role (its open sessions end)."""
    from .auth import close_sessions_of

    def change(s, row):
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        row.role = role
        close_sessions_of(s, row.id)
        return f"{row.username}: {role}"

    _change(username, "user.role", change)


@user_app.command("set-password")
def user_set_password(username: str, password: Annotated[Optional[str], typer.Option("--password")] = None) -> None:
    """Set a new password (its open sessions end; a lock is lifted)."""
    from .auth import MIN_PASSWORD, close_sessions_of, hash_password

    secret = _password(password)

    def change(s, row):
        if len(secret) < MIN_PASSWORD:
            raise ValueError(f"密码至少{MIN_PASSWORD}个字符 / the password needs at least {MIN_PASSWORD} characters")
        row.password_hash, row.failed_logins, row.locked_until = hash_password(secret), 0, None
        close_sessions_of(s, row.id)
        return f"{row.username}: 密码已更新 / password changed"

    _change(username, "user.password", change)


@user_app.command("unlock")
def user_unlock(username: str) -> None:
    """Lift a lock-out after repeated wrong passwords."""

    def change(s, row):
        row.failed_logins, row.locked_until = 0, None
        return f"{row.username}: 已解锁 / unlocked"

    _change(username, "user.unlock", change)


@user_app.command("disable")
def user_disable(username: str) -> None:
    """Disable an account: it cannot sign in and its sessions end."""
    from ..db import utcnow
    from .auth import close_sessions_of

    def change(s, row):
        row.disabled_at = utcnow()
        close_sessions_of(s, row.id)
        return f"{row.username}: 已停用 / disabled"

    _change(username, "user.disable", change)
