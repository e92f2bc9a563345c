"""Service settings, read from the environment (prefix ``PLANNER_``) or a ``.env`` file.

``DATABASE_URL`` is also accepted without the prefix, as hosting platforms set it.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PLANNER_", env_file=".env", extra="ignore")

    #: SQLAlchemy URL: SQLite by default; e.g. postgresql+psycopg://user:pw@127.0.0.1/planner for PostgreSQL
    database_url: str = Field(
        default="sqlite:///./planner-api.db",
        validation_alias=AliasChoices("PLANNER_DATABASE_URL", "DATABASE_URL", "database_url"),
    )
    #: a server-side secret mixed into every API-key hash (changing it invalidates every key)
    key_pepper: SecretStr = SecretStr("")

    # ---------------------------------------------------------------- limits
    max_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    max_cadres: int = Field(default=5000, ge=1)
    max_posts: int = Field(default=2000, ge=1)
    #: ceiling of a job's time limit, seconds
    max_time_limit_s: float = Field(default=600.0, gt=0)
    #: ceiling of POST /v1/solve's time limit (the caller waits for it), seconds
    max_sync_time_limit_s: float = Field(default=60.0, gt=0)
    default_time_limit_s: float = Field(default=60.0, gt=0)
    default_sync_time_limit_s: float = Field(default=10.0, gt=0)
    #: POST /v1/recommend: the solver limit per candidate (default and ceiling), and how long the caller
    #: may wait for all candidates (the library has no overall deadline; each candidate is one short solve)
    default_recommend_time_limit_s: float = Field(default=2.0, gt=0)
    max_recommend_time_limit_s: float = Field(default=10.0, gt=0)
    max_recommend_wait_s: float = Field(default=600.0, gt=0)
    #: CP-SAT workers of one solve (default) and the most a request may ask for
    solver_workers: int = Field(default=8, ge=1)
    max_solver_workers: int = Field(default=16, ge=1)
    #: solves running at once (threads: CP-SAT releases the GIL)
    max_concurrent_solves: int = Field(default=2, ge=1)
    #: solves waiting for a free slot; beyond this a request is refused with 503 and Retry-After
    max_queued_solves: int = Field(default=8, ge=0)
    retry_after_s: int = Field(default=30, ge=1)
    #: how long DELETE /v1/jobs/{id} waits for a running solver to stop before answering
    cancel_wait_s: float = Field(default=10.0, ge=0)
    #: how long a stopping server waits, in all, for its solves to stop (they keep their best plans); a solve
    #: still busy after that (building its model) is marked interrupted and left behind
    shutdown_wait_s: float = Field(default=5.0, ge=0)

    #: a Ray cluster's address (``PLANNER_RAY_ADDRESS``): jobs then run as Ray tasks there (api.ray_backend),
    #: so several API processes on one PostgreSQL database share it; unset: this process's threads
    ray_address: str | None = None
    #: CPUs a job's Ray task asks for
    ray_job_cpus: float = Field(default=1.0, gt=0)

    # ---------------------------------------------------------------- the database
    #: how long a statement waits for a lock held by another writer before the request answers 503
    database_busy_timeout_s: float = Field(default=5.0, gt=0)
    #: the Retry-After of a 503 for a busy or unavailable database
    database_retry_after_s: int = Field(default=5, ge=1)
    #: a key's last-used time is written at most this often (best effort, outside the request's transaction)
    key_last_used_interval_s: float = Field(default=60.0, ge=0)

    # ---------------------------------------------------------------- serving and logging
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    log_level: str = "INFO"
    log_json: bool = True
    #: origins allowed to call the API from a browser (CORS); empty: CORS stays off (no such header is sent)
    cors_origins: list[str] = Field(default_factory=list)
    #: seconds uvicorn waits for open requests at shutdown before closing them
    graceful_shutdown_s: float = Field(default=10.0, ge=0)


@lru_cache
def get_settings() -> Settings:
    return Settings()
