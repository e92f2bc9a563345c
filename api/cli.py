"""`planner serve` and `planner api-key …`: registered on planner's CLI (planner.cli imports this module)."""

from __future__ import annotations

import ipaddress
import json
import sys
from typing import Annotated, Any, Optional

import typer

from planner.cli.common import app, console, err_console

# the roles come from api.roles, which imports nothing: `planner --help` must not import SQLAlchemy (the
# service's modules are imported inside the commands)
from .roles import ROLES

keys_app = typer.Typer(no_args_is_help=True, help="API keys of the HTTP service: create, list, revoke.")
app.add_typer(keys_app, name="api-key")


def _db():
    from .db import Database
    from .settings import Settings

    settings = Settings()
    db = Database(settings.database_url)
    db.create_schema()
    return settings, db


@app.command()
def serve(
    host: Annotated[
        Optional[str], typer.Option("--host", help="address to listen on (default PLANNER_HOST, 127.0.0.1)")
    ] = None,
    port: Annotated[Optional[int], typer.Option("--port", min=0, max=65535, help="default PLANNER_PORT, 8000")] = None,
    reload: Annotated[bool, typer.Option("--reload", help="restart on code changes (development)")] = False,
) -> None:
    """Run the HTTP service (uvicorn, one process: the solver pool and its jobs live in it)."""
    import uvicorn

    from .logs import log_config
    from .settings import Settings

    settings = Settings()
    host = host or settings.host
    try:
        public = not ipaddress.ip_address(host).is_loopback
    except ValueError:
        public = host not in ("localhost",)
    if public:
        err_console.print(f"[yellow]listening on {host}: put TLS (a reverse proxy) in front of it[/]")
    uvicorn.run(
        "api.main:app",
        host=host,
        port=port if port is not None else settings.port,
        reload=reload,
        workers=1,
        log_config=log_config(settings.log_level, settings.log_json),
        timeout_graceful_shutdown=int(settings.graceful_shutdown_s) or None,
        access_log=False,
    )


@keys_app.command("create")
def key_create(
    role: Annotated[str, typer.Option("--role", help=f"one of: {', '.join(ROLES)}")],
    name: Annotated[str, typer.Option("--name", help="who uses the key, e.g. hr-system")],
    county: Annotated[
        Optional[list[str]],
        typer.Option(
            "--county", help="scope the key to this county id (repeat for several); without it the key is global"
        ),
    ] = None,
) -> None:
    """Create a key and print it once (it is stored only hashed)."""
    from .deps import write_audit
    from .security import Principal, create_key

    if role not in ROLES:
        err_console.print(f"[red]--role must be one of: {', '.join(ROLES)}[/]")
        raise typer.Exit(2)
    settings, db = _db()
    try:
        with db.session() as s, s.begin():
            row, key = create_key(
                s,
                name=name,
                role=role,
                pepper=settings.key_pepper.get_secret_value(),
                created_by="cli",
                counties=list(county) if county else None,
            )
            key_id = row.id
    except ValueError as exc:
        err_console.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None
    write_audit(db, Principal(key_id="cli", name="cli", role="admin"), "key.create", outcome=key_id)
    db.dispose()
    scope = ", ".join(sorted(set(county))) if county else "every county"
    err_console.print(f"created key {key_id} ({role}, {scope}) for {name}; it is shown only now:")
    sys.stdout.write(key + "\n")


@keys_app.command("list")
def key_list(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List keys (ids, names, roles; never the secrets)."""
    from .security import list_keys

    _, db = _db()
    with db.session() as s:
        rows: list[dict[str, Any]] = [
            {
                "id": k.id,
                "name": k.name,
                "role": k.role,
                "created_at": k.created_at.isoformat(),
                "last_used_at": k.last_used_at.isoformat() if k.last_used_at else None,
                "revoked": k.revoked_at is not None,
                "counties": k.counties or None,
            }
            for k in list_keys(s)
        ]
    db.dispose()
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    for r in rows:
        console.print(
            f"{r['id']}  {r['role']:<8} {r['name']:<24} {','.join(r['counties'] or ['*']):<16} "
            f"created {r['created_at'][:19]}"
            f"{'  REVOKED' if r['revoked'] else ''}",
            highlight=False,
        )


@keys_app.command("revoke")
def key_revoke(key_id: Annotated[str, typer.Argument(help="the key's id (the part after rpk_)")]) -> None:
    """Revoke a key: it stops working at once."""
    from .deps import write_audit
    from .security import LastAdmin, Principal, revoke_key

    _, db = _db()
    try:
        with db.session() as s, s.begin():
            row = revoke_key(s, key_id)
            found = row is not None
    except LastAdmin:
        db.dispose()
        err_console.print(f"[red]{key_id} is the last active global admin key; create another before revoking it[/]")
        raise typer.Exit(2) from None
    if found:
        write_audit(db, Principal(key_id="cli", name="cli", role="admin"), "key.revoke", outcome=key_id)
    db.dispose()
    if not found:
        err_console.print(f"[red]no key {key_id}[/]")
        raise typer.Exit(2)
    console.print(f"revoked {key_id}")


from .ui import cli as _ui_cli  # noqa: E402,F401  (planner user …)
