"""Persistence: SQLAlchemy 2 models and the engine (SQLite by default, PostgreSQL through DATABASE_URL).

Tables: ``api_keys`` (hashed keys, roles and county scopes), ``scenarios`` (documents, deduplicated by content hash),
``jobs`` (every solve, synchronous or not, with its state and progress), ``plans`` (solver output), and
``audit_log`` (who ran what on which scenario, when — key names and ids only, never document contents).
The schema is created at start-up (``create_all``); there are no migrations yet.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Iterator

import logging

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    event,
    exc,
    func,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def new_id() -> str:
    return uuid.uuid4().hex


class UtcDateTime(TypeDecorator):
    """Timestamps stored in UTC and read back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(dt.timezone.utc) if value is not None else None

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON}


class ApiKey(Base):
    __tablename__ = "api_keys"

    #: public part of the key, used to find the row (the secret part is only stored hashed)
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    role: Mapped[str] = mapped_column(String(16))
    salt: Mapped[str] = mapped_column(String(64))
    #: hex HMAC-SHA256(pepper, salt ‖ secret)
    hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: the county ids the key is scoped to; NULL: a global key (every county)
    counties: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)


class ScenarioRow(Base):
    __tablename__ = "scenarios"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    county: Mapped[str] = mapped_column(String(64))
    as_of: Mapped[str] = mapped_column(String(10))
    townships: Mapped[int] = mapped_column(Integer)
    posts: Mapped[int] = mapped_column(Integer)
    cadres: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(Text)  # canonical JSON
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(100), nullable=True)


class JobRow(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    #: "job" (POST /v1/jobs), "sync" (POST /v1/solve), "whatif" (POST /v1/what-if), "recommend"
    kind: Mapped[str] = mapped_column(String(16), default="job")
    scenario_id: Mapped[str] = mapped_column(ForeignKey("scenarios.id"), index=True)
    #: queued | running | done | cancelled | failed | interrupted
    state: Mapped[str] = mapped_column(String(16), index=True)
    time_limit_s: Mapped[float] = mapped_column(Float)
    workers: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    submitted_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: last reported {"objective", "bound", "wall_time_s", "solutions"}
    progress: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: the plan's status when a plan exists: optimal | feasible | infeasible | unknown
    result_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    objective: Mapped[int | None] = mapped_column(Integer, nullable=True)
    bound: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: why a job did not finish, as a message key of planner.i18n (rendered in zh and en by the API)
    error: Mapped[str | None] = mapped_column(String(64), nullable=True)
    plan_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    resubmitted_from: Mapped[str | None] = mapped_column(String(32), nullable=True)
    resubmitted_as: Mapped[str | None] = mapped_column(String(32), nullable=True)
    #: what else the job was asked (a what-if's base scenario and plan, its mode); ids only, no documents
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: an answer that is not a plan (a recommendation), as the library returned it
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: with jobs on Ray: when a cancel was asked in an API process other than the one running the job
    cancel_requested_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: with jobs on Ray: when the process running the job last said it still watches it
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, nullable=True)


class PlanRow(Base):
    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), index=True)
    scenario_id: Mapped[str] = mapped_column(ForeignKey("scenarios.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    objective: Mapped[int | None] = mapped_column(Integer, nullable=True)
    bound: Mapped[int | None] = mapped_column(Integer, nullable=True)
    document: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    key_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    key_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    role: Mapped[str | None] = mapped_column(String(16), nullable=True)
    #: e.g. solve, job.create, job.cancel, job.resubmit, plan.read, check, key.create, key.revoke, denied
    action: Mapped[str] = mapped_column(String(32), index=True)
    scenario_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    scenario_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    job_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    #: the acting key's scope: ``*`` (global) or its county ids
    scope: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: the county of the scenario acted on, when there is one
    county: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    #: HTTP status or result status; ids and codes only
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(32), nullable=True)


# ------------------------------------------------------------------------------------------- engine


log = logging.getLogger("api.db")


def db_problem(error: BaseException) -> str | None:
    """``busy`` (a lock held elsewhere: retry soon), ``unavailable`` (cannot connect, read-only, corrupted) or
    None (not the database's state: a bug, answered as one)."""
    if isinstance(error, exc.TimeoutError):  # no free connection in the pool
        return "busy"
    if isinstance(error, exc.DBAPIError):
        if isinstance(error, (exc.IntegrityError, exc.DataError, exc.ProgrammingError)):
            return None
        orig: Any = error.orig
        usable = isinstance(error, (exc.OperationalError, exc.InterfaceError)) or type(error) is exc.DatabaseError
    elif type(error).__module__.split(".")[0] in ("sqlite3", "psycopg"):  # the driver's own, unwrapped
        orig = error
        usable = type(error).__name__ in ("OperationalError", "InterfaceError", "DatabaseError")
    else:
        return None
    words = str(orig).lower()
    code = getattr(orig, "sqlstate", None) or ""
    if "locked" in words or "busy" in words or code in ("55P03", "57014", "40001", "40P01"):
        return "busy"
    return "unavailable" if usable else None


class Database:
    """An engine and its session factory. One per application (and one per CLI command).

    A statement waits at most `busy_timeout_s` for a lock another writer holds (SQLite's busy timeout,
    PostgreSQL's lock_timeout); then it fails, and the request answers 503 with Retry-After."""

    def __init__(self, url: str, busy_timeout_s: float = 30.0):
        self.url = url
        self.busy_timeout_ms = max(1, int(busy_timeout_s * 1000))
        self.sqlite = url.startswith("sqlite")
        # hide_parameters: a database error's message never quotes the values of a statement (personal data)
        kwargs: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}
        if self.sqlite:
            # sessions are used from the solver threads too; SQLite serialises writers itself
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": busy_timeout_s}
        elif url.startswith("postgresql"):
            kwargs["connect_args"] = {"options": f"-c lock_timeout={self.busy_timeout_ms}"}
        self.engine: Engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def create_schema(self) -> None:
        """Create missing tables; add missing nullable columns to existing ones (the only migrations so far);
        refuse to start on any other difference rather than fail on the first request."""
        Base.metadata.create_all(self.engine)
        found = inspect(self.engine)
        problems: list[str] = []
        with self.engine.begin() as conn:
            for table in Base.metadata.sorted_tables:
                have = {c["name"] for c in found.get_columns(table.name)}
                for column in table.columns:
                    if column.name in have:
                        continue
                    if not column.nullable:
                        problems.append(f"{table.name}.{column.name}")
                        continue
                    kind = column.type.compile(dialect=self.engine.dialect)
                    conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
        if problems:
            raise RuntimeError(
                f"the database at {self.engine.url.render_as_string(hide_password=True)} has an "
                f"older schema (missing {', '.join(problems)}); migrate it or use a new database"
            )

    def session(self) -> Session:
        return self.sessions()

    def mark_interrupted(self) -> list[str]:
        """Jobs left queued or running by a server that stopped: mark them ``interrupted`` (never lost)."""
        with self.session() as s, s.begin():
            ids = list(s.scalars(select(JobRow.id).where(JobRow.state.in_(("queued", "running")))))
            if ids:
                s.execute(
                    update(JobRow)
                    .where(JobRow.id.in_(ids))
                    .values(state="interrupted", finished_at=utcnow(), error="api.job.interrupted")
                )
        return ids

    def _short_waits(self, conn: Any, ms: int) -> None:
        """This connection's lock wait shortened to `ms` (SQLite: until reset; PostgreSQL: this transaction)."""
        if self.sqlite:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(ms)}")
        elif self.engine.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(ms)}")
            conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(max(ms, 2000))}")

    def check(self, wait_ms: int = 500) -> str:
        """What /v1/health reports: ``ok`` when the service's tables can be read and written now, else
        ``busy`` (another writer holds the lock) or ``unavailable`` (no connection, tables missing or
        unreadable, a read-only database). Writes nothing."""
        try:
            with self.engine.connect() as conn:
                self._short_waits(conn, wait_ms)
                try:
                    conn.execute(
                        select(func.count()).select_from(JobRow).where(JobRow.state.in_(("queued", "running")))
                    )
                    conn.execute(select(ApiKey.id).limit(1))
                    conn.execute(select(ScenarioRow.id).limit(1))
                    if self.sqlite:  # may it write? take the write lock and let go of it at once
                        raw = conn.connection.dbapi_connection
                        assert raw is not None
                        raw.execute("BEGIN IMMEDIATE")
                        raw.execute("ROLLBACK")
                    elif self.engine.dialect.name == "postgresql":
                        if conn.exec_driver_sql("SELECT pg_is_in_recovery()").scalar():
                            return "unavailable"  # a standby: it cannot take writes
                finally:
                    if self.sqlite:
                        conn.exec_driver_sql(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
                    conn.rollback()
        except Exception as error:
            kind = db_problem(error) or "unavailable"
            log.warning("database check failed", extra={"state": kind, "error": type(error).__name__})
            return kind
        return "ok"

    def touch_key(self, key_id: str, when: dt.datetime, wait_ms: int = 50) -> bool:
        """Record a key's last use, best effort: in its own short transaction, waiting at most `wait_ms` for
        the write lock, and given up (False) rather than hold up the request it belongs to."""
        try:
            with self.engine.connect() as conn:
                self._short_waits(conn, wait_ms)
                try:
                    conn.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=when))
                    conn.commit()
                finally:
                    if self.sqlite:
                        conn.exec_driver_sql(f"PRAGMA busy_timeout = {self.busy_timeout_ms}")
                        conn.commit()
        except Exception as error:
            log.info("last-used time not written", extra={"key_id": key_id, "error": type(error).__name__})
            return False
        return True

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def iter_session(db: Database) -> Iterator[Session]:
    with db.session() as s:
        yield s
