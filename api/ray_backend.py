"""Jobs as Ray tasks: the solver pool's second execution backend, used when ``PLANNER_RAY_ADDRESS`` (the
``ray_address`` setting) is set; without it the pool runs every job in its own threads, as before.

The pool keeps its queue, its capacity, its states and its database writes; only the call of a job's work
moves. The thread that would have run the work submits it as a Ray task instead and waits for it:

- the work (a closure holding the resolved scenario and the options) is put in the object store once, so a
  retry after a dead worker reads it again without a second upload; the task is retried up to
  :data:`MAX_RETRIES` times when its worker dies (never for an exception of the work itself);
- progress: the task reports to a small actor, the :class:`Board` of this process (fire-and-forget calls);
  the waiting thread reads the board every :data:`POLL_S` seconds and writes what it finds through the pool's
  own progress callback (at most once a second to the database), so every API process reading the database
  sees it. An actor, rather than the database, because a worker on a cluster has no database to write to (a
  SQLite file is on the API's machine), and rather than a streaming generator, because the solver reports
  from a callback inside CP-SAT's search and the task's return value (the plan) must survive a retry;
- cancel across processes: DELETE in any API process records ``cancel_requested_at`` on the job's row
  (:meth:`RayBackend.request_cancel`); the process that owns the task sees it at its next poll, marks the job
  cancelled and tells the board; the worker's watcher thread sees the board's flag and stops CP-SAT, which
  returns its best plan (kept, as in the local pool; a task that starts after the flag stops at once). A task
  that has not ended :attr:`RayBackend.grace_s` seconds after being told (still waiting for a worker, or
  building its model: the library checks for a cancel only once CP-SAT runs) is stopped with ``ray.cancel``
  (with force once it runs); it then leaves no plan. The flag comes first because ``ray.cancel`` of a
  running task interrupts it without its plan;
- a task that outlives its time limit by :data:`BUILD_ALLOWANCE_S` is cancelled the same way;
- a process starting does not mark every running job ``interrupted`` (other processes may be running them):
  the owner writes ``heartbeat_at`` every :data:`HEARTBEAT_S` seconds, and only a running job silent for
  :data:`STALE_S` seconds is marked (:func:`mark_stale`).

Ray is started (or joined) through planner.analysis.sweep_engines, so the sweeps and the jobs of one process
share one connection, released when the last of them is done.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time
from typing import Any, Callable

from sqlalchemy import and_, or_, select, update

from planner.domain.errors import InputError
from planner.solver.options import SolveControl, SolveResult

from .db import Database, JobRow, utcnow

log = logging.getLogger("api.ray")

#: how often the waiting thread reads the board and the database, and the worker's watcher the board, seconds
POLL_S = 0.5
#: how often a task may report progress to the board, seconds
REPORT_S = 0.25
#: retries of a task whose worker died (Ray's max_retries)
MAX_RETRIES = 3
#: time a task may run beyond its solver limit (building the model, an explanation) before it is cancelled
BUILD_ALLOWANCE_S = 120.0
TERMINAL = ("done", "cancelled", "failed", "interrupted")
#: how often the owning process records that a job's task is still watched, seconds
HEARTBEAT_S = 5.0
#: a running Ray job without a heartbeat for this long belongs to a process that stopped, seconds
STALE_S = 60.0
#: the kinds of job whose work answers a plan (the others answer a JSON document)
PLAN_KINDS = ("job", "sync", "whatif")
#: the kinds of job that stay in the pool's thread (watched for a cancel and with a heartbeat all the same): a
#: sweep sends its cells to Ray itself
LOCAL_KINDS = ("sweep",)


class Board:
    """A Ray actor (one per API process): the progress each running task reported last, whether it has
    started, and which jobs are asked to stop."""

    def __init__(self) -> None:
        self.progress: dict[str, dict[str, Any]] = {}
        self.started: set[str] = set()
        self.stop: set[str] = set()

    def start(self, job_id: str) -> None:
        self.started.add(job_id)
        self.progress.pop(job_id, None)  # a retry starts over

    def report(self, job_id: str, info: dict[str, Any]) -> None:
        self.progress[job_id] = info

    def read(self, job_id: str) -> tuple[bool, dict[str, Any] | None]:
        return job_id in self.started, self.progress.get(job_id)

    def cancel(self, job_id: str) -> None:
        self.stop.add(job_id)

    def cancelled(self, job_id: str) -> bool:
        return job_id in self.stop

    def forget(self, job_id: str) -> None:
        self.started.discard(job_id)
        self.stop.discard(job_id)
        self.progress.pop(job_id, None)


def _portable(result: Any) -> Any:
    """A work's answer without what does not cross processes (the CP-SAT solver and model builder)."""
    if isinstance(result, SolveResult):
        return dataclasses.replace(result, builder=None, solver=None)
    return result


def run_job(work: Callable, job_id: str, board: Any) -> Any:
    """The Ray task: run a job's work with a control the board can stop and a progress callback to the board."""
    import ray

    control = SolveControl()
    ray.get(board.start.remote(job_id))
    if ray.get(board.cancelled.remote(job_id)):  # cancelled while it waited for a worker: the work never starts
        control.cancel()
    last = [0.0]

    def progress(info: dict[str, Any]) -> None:
        now = time.monotonic()
        if now - last[0] >= REPORT_S:
            last[0] = now
            board.report.remote(job_id, dict(info))

    finished = threading.Event()

    def watch() -> None:  # the worker observes a cancel on its own: CP-SAT stops and returns its best plan
        while not finished.wait(POLL_S):
            try:
                if ray.get(board.cancelled.remote(job_id), timeout=5):
                    control.cancel()
            except Exception:  # the board is gone (its API process stopped): stop too
                control.cancel()
            if control.cancelled:
                return

    watcher = threading.Thread(target=watch, name=f"watch-{job_id}", daemon=True)
    watcher.start()
    try:
        result = work(control, progress)
    finally:
        finished.set()
    return _portable(result)


class RayBackend:
    """Runs a pool's jobs as Ray tasks (see the module's text). One per application."""

    def __init__(self, db: Database, address: str, *, cpus: float = 1.0, grace_s: float = 10.0):
        import ray

        from planner.analysis.sweep_engines import ray_enter

        self.db, self.address, self.grace_s = db, address, grace_s
        self.local_kinds = LOCAL_KINDS
        ray_enter(address, None)
        self._closed = False
        self.board: Any = ray.remote(num_cpus=0)(Board).remote()
        self._task: Any = ray.remote(num_cpus=cpus, max_retries=MAX_RETRIES, retry_exceptions=False)(run_job)

    # ------------------------------------------------------------------ in the owning process
    def run(self, a: Any, progress: Callable[[dict[str, Any]], None], stopping: Callable[[], bool]) -> Any:
        """Run the pool's job `a` (api.pool.Active) as a task and wait for it; its answer, as the work's. A
        sweep runs here (its cells are Ray tasks already), watched for a cancel from another process."""
        if a.kind in self.local_kinds:
            return self._run_here(a, progress)
        import ray
        from ray.exceptions import RayTaskError, TaskCancelledError

        if self._cancel_recorded(a.job_id):  # cancelled in another process while it waited in this one's queue
            a.cancel_requested = True
            return _nothing(a)
        ref = self._task.remote(ray.put(a.work), a.job_id, self.board)
        told: float | None = None  # when the task was told to stop
        beat = 0.0
        forced = False
        limit = time.monotonic() + float(a.options.time_limit) + BUILD_ALLOWANCE_S
        try:
            while True:
                ready, _ = ray.wait([ref], timeout=POLL_S)
                started, info = ray.get(self.board.read.remote(a.job_id))
                if info:
                    a.control.progress = dict(info)
                    progress(info)
                if ready:
                    break
                if time.monotonic() - beat >= HEARTBEAT_S:
                    beat = time.monotonic()
                    self._beat(a.job_id)
                if not a.cancel_requested and self._cancel_recorded(a.job_id):
                    a.cancel_requested = True  # asked in another process: the job ends cancelled
                    a.control.cancel()
                stop = a.cancel_requested or a.control.cancelled or stopping()
                if (stop or time.monotonic() > limit) and told is None:
                    told = time.monotonic()
                    self.board.cancel.remote(a.job_id)
                    log.info("job task told to stop", extra={"job_id": a.job_id, "started": started})
                if told is not None and not forced and time.monotonic() - told > self.grace_s:
                    forced = True  # not stopped when told (or still waiting for a worker): stopped by Ray
                    ray.cancel(ref, force=started, recursive=True)
            try:
                return ray.get(ref)
            except TaskCancelledError:
                return _nothing(a)
            except RayTaskError as exc:
                if forced:  # a forced cancel ends the worker: the task reports it as its error
                    return _nothing(a)
                cause = getattr(exc, "cause", None)
                if isinstance(cause, InputError):
                    raise cause from None
                raise
            except Exception:
                if forced:
                    return _nothing(a)
                raise
        finally:
            self.board.forget.remote(a.job_id)

    def _cancel_recorded(self, job_id: str) -> bool:
        try:
            with self.db.session() as s:
                return s.scalar(select(JobRow.cancel_requested_at).where(JobRow.id == job_id)) is not None
        except Exception:  # a busy database: look again at the next poll
            log.exception("cancel check failed", extra={"job_id": job_id})
            return False

    def _run_here(self, a: Any, progress: Callable[[dict[str, Any]], None]) -> Any:
        done = threading.Event()

        def watch() -> None:
            beat = 0.0
            while not done.wait(POLL_S):
                if time.monotonic() - beat >= HEARTBEAT_S:
                    beat = time.monotonic()
                    self._beat(a.job_id)
                if not a.cancel_requested and self._cancel_recorded(a.job_id):
                    a.cancel_requested = True
                    a.control.cancel()

        watcher = threading.Thread(target=watch, name=f"watch-{a.job_id}", daemon=True)
        watcher.start()
        try:
            return a.work(a.control, progress)
        finally:
            done.set()

    def _beat(self, job_id: str) -> None:
        try:
            with self.db.session() as s, s.begin():
                s.execute(update(JobRow).where(JobRow.id == job_id).values(heartbeat_at=utcnow()))
        except Exception:  # advisory, like progress
            log.exception("heartbeat failed", extra={"job_id": job_id})

    # ------------------------------------------------------------------ in any process
    def request_cancel(self, job_id: str) -> bool:
        """Record a cancel for a job another process runs; False when the job is not queued or running."""
        with self.db.session() as s, s.begin():
            done = s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state.in_(("queued", "running")))
                .values(cancel_requested_at=utcnow())
            )
            return bool(getattr(done, "rowcount", 0))

    def wait_elsewhere(self, job_id: str, timeout: float) -> bool:
        """Wait until a job another process runs is finished, as the database says. True when it is."""
        deadline = time.monotonic() + timeout
        while True:
            with self.db.session() as s:
                state = s.scalar(select(JobRow.state).where(JobRow.id == job_id))
            if state is None or state in TERMINAL:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(POLL_S, max(0.0, deadline - time.monotonic())))

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        from planner.analysis.sweep_engines import ray_exit

        try:
            import ray

            ray.kill(self.board)
        except Exception:
            log.exception("could not stop the job board")
        ray_exit()


def _nothing(a: Any) -> Any:
    """The answer of a task stopped by force: no plan (or an empty answer for work that is not a solve)."""
    if a.kind not in PLAN_KINDS:
        return {}
    return SolveResult(
        status="unknown", plan=None, objective=None, bound=None, gap=None, wall_time_s=0.0, build_time_s=0.0
    )


def mark_stale(db: Database, now: dt.datetime | None = None) -> list[str]:
    """At a start with Ray: mark ``interrupted`` the running Ray jobs whose owning process has stopped (no
    heartbeat for :data:`STALE_S` seconds). Jobs other live processes run keep running; queued jobs (in a
    process's memory, without a heartbeat) are left as they are."""
    now = now or utcnow()
    cutoff = now - dt.timedelta(seconds=STALE_S)
    with db.session() as s, s.begin():
        ids = list(
            s.scalars(
                select(JobRow.id).where(
                    JobRow.state == "running",
                    or_(
                        JobRow.heartbeat_at < cutoff,
                        and_(JobRow.heartbeat_at.is_(None), JobRow.started_at < cutoff),
                    ),
                )
            )
        )
        if ids:
            s.execute(
                update(JobRow)
                .where(JobRow.id.in_(ids))
                .values(state="interrupted", finished_at=now, error="api.job.interrupted")
            )
    return ids


def from_settings(settings: Any, db: Database) -> RayBackend | None:
    """The Ray backend when the settings name a Ray address, else None (the pool's threads)."""
    address = getattr(settings, "ray_address", None)
    if not address:
        return None
    return RayBackend(db, address, cpus=settings.ray_job_cpus, grace_s=settings.cancel_wait_s / 2)


__all__ = ["Board", "RayBackend", "from_settings", "mark_stale", "run_job"]
