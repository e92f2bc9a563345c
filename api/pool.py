"""The bounded solver pool: at most `max_concurrent_solves` CP-SAT runs at once, at most `max_queued_solves`
waiting; beyond that a submission is refused (503 with Retry-After) rather than queued without end.

Threads are enough: CP-SAT releases the GIL while it searches. Each solve has a :class:`SolveControl`, so a
cancel from another thread stops the search promptly and the best plan found so far is kept. The worker
threads are daemons: a stopping server waits a bounded time (``shutdown_wait_s``) for its solves to stop, marks
any still busy (building its model: the library checks for a cancel only once CP-SAT runs) ``interrupted``, and
exits without them.

Job states: ``queued`` → ``running`` → ``done`` (a plan of any status: optimal, feasible, infeasible,
unknown) | ``cancelled`` (by a user; a running solve keeps its best plan) | ``failed`` (an internal error) |
``interrupted`` (the server stopped first; marked at shutdown, or at the next start after a crash).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from planner.domain.load import Instance
from planner.domain.errors import InputError
from planner.solver.options import SolveControl, SolveOptions, SolveResult
from planner.solver.solve import solve

from .db import Database, JobRow, utcnow
from .errors import ApiError
from .store import store_plan

log = logging.getLogger("api.pool")

#: at most one progress write to the database per job and interval (the live value is in memory)
PROGRESS_WRITE_INTERVAL_S = 1.0


#: what a job runs: fn(control, progress callback) -> a SolveResult (its plan is stored), or a JSON-able dict
#: for answers that are not plans (stored as the job's `answer`)
Work = Callable[[SolveControl, Callable[[dict[str, Any]], None]], "SolveResult | dict[str, Any]"]


def solve_work(inst: Instance, options: SolveOptions) -> Work:
    """A plain solve of `inst`: cancellable, reports progress."""

    def work(control, progress):
        result = solve(inst, replace(options, progress=progress), control=control)
        if result.found:  # every move of a stored plan says why (planner.analysis.reasons; plain Python, fast)
            from planner.analysis.reasons import annotate_reasons

            annotate_reasons(inst, result.plan)
        return result

    return work


@dataclass
class Active:
    job_id: str
    work: Work
    options: SolveOptions
    #: the instance an infeasible answer is explained against (None: no explanation)
    explain_inst: Instance | None
    kind: str = "job"
    control: SolveControl = field(default_factory=SolveControl)
    state: str = "queued"
    cancel_requested: bool = False
    #: cancelled while queued: the worker that picks it up skips it
    dropped: bool = False
    #: still busy when the server stopped: already marked interrupted, its thread left behind
    abandoned: bool = False
    submitted_at: float = field(default_factory=time.monotonic)
    #: when a worker started it (monotonic); None while queued, and for a job that never ran
    started_mono: float | None = None
    done: threading.Event = field(default_factory=threading.Event)
    last_write: float = 0.0
    #: a located input error the work raised (a what-if's delta that only fails against the base plan)
    input_error: InputError | None = None
    #: time.monotonic() by which the whole job (solve, then any explanation) ends: its time limit after start
    deadline: float | None = None


class SolvePool:
    def __init__(
        self,
        db: Database,
        *,
        max_concurrent: int,
        max_queued: int,
        retry_after_s: int,
        on_finish: Callable[[str, str, float, float | None], None] | None = None,
        backend: Any = None,
    ):
        self.db = db
        self.max_concurrent, self.max_queued, self.retry_after_s = max_concurrent, max_queued, retry_after_s
        #: called with (job kind, final state, seconds from submission, seconds it ran or None) when a job ends
        #: (the metrics)
        self.on_finish = on_finish
        #: where the work runs: None, this process's threads; else an api.ray_backend.RayBackend
        self.backend = backend
        self._queue: queue.SimpleQueue[Active | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._active: dict[str, Active] = {}
        self._closing = False
        self._threads = [
            threading.Thread(target=self._worker, name=f"solve-{i}", daemon=True) for i in range(max_concurrent)
        ]
        for t in self._threads:
            t.start()

    def _worker(self) -> None:
        while True:
            a = self._queue.get()
            if a is None:
                return
            if not a.dropped:
                self._run(a)

    # ------------------------------------------------------------------ state
    @property
    def capacity(self) -> int:
        return self.max_concurrent + self.max_queued

    def counts(self) -> tuple[int, int]:
        with self._lock:
            running = sum(1 for a in self._active.values() if a.state == "running")
            return running, len(self._active) - running

    def live(self, job_id: str) -> tuple[str, dict[str, Any]] | None:
        """(state, progress) of a job this process is running or holding in its queue."""
        with self._lock:
            a = self._active.get(job_id)
            return (a.state, dict(a.control.progress)) if a else None

    # ------------------------------------------------------------------ admission
    def check_capacity(self) -> None:
        """Raise the 503 a submission would get now (called before anything is stored)."""
        with self._lock:
            self._refuse_if_full()

    def _refuse_if_full(self) -> None:
        if self._closing:
            raise ApiError(503, "shutting_down", "api.shutting_down", headers={"Retry-After": str(self.retry_after_s)})
        if len(self._active) >= self.capacity:
            running = sum(1 for a in self._active.values() if a.state == "running")
            raise ApiError(
                503,
                "busy",
                "api.busy",
                headers={"Retry-After": str(self.retry_after_s)},
                running=running,
                queued=len(self._active) - running,
                retry=self.retry_after_s,
            )

    def submit(
        self, job_id: str, work: Work, options: SolveOptions, explain_inst: Instance | None, kind: str = "job"
    ) -> Active:
        """Queue `work` (503 when the pool and its queue are full). `options` are for the log and explanation."""
        with self._lock:
            self._refuse_if_full()
            a = Active(job_id=job_id, work=work, options=options, explain_inst=explain_inst, kind=kind)
            self._active[job_id] = a
            self._queue.put(a)
        return a

    # ------------------------------------------------------------------ cancel and wait
    def cancel(self, job_id: str) -> bool:
        """Ask a queued or running job to stop. False when this process does not hold the job."""
        if self.backend is not None and job_id not in self._active:
            return self.backend.request_cancel(job_id)  # another process may run it: recorded for it to see
        with self._lock:
            a = self._active.get(job_id)
            if a is None:
                return False
            a.cancel_requested = True
            dropped = a.state == "queued"
            if dropped:
                a.dropped = True
                self._active.pop(job_id, None)
        if dropped:
            self._finish(a, "cancelled")
            return True
        a.control.cancel()
        return True

    def wait(self, job_id: str, timeout: float) -> bool:
        """Wait until the job leaves the pool; re-sends a pending cancel (a stop asked for while CP-SAT was
        starting can be missed). True when it is done."""
        with self._lock:
            a = self._active.get(job_id)
        if a is None:
            return self.backend is None or self.backend.wait_elsewhere(job_id, timeout)
        deadline = time.monotonic() + timeout
        while not a.done.wait(timeout=min(0.5, max(0.0, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                return False
            if a.cancel_requested or self._closing:
                a.control.cancel()
        return True

    # ------------------------------------------------------------------ the work
    def _run(self, a: Active) -> None:
        with self._lock:
            if a.dropped:
                return
            if a.cancel_requested or self._closing:
                state = "cancelled" if a.cancel_requested else "interrupted"
                skip = True
            else:
                a.state, skip = "running", False
                a.started_mono = time.monotonic()
        if skip:
            self._finish(a, state, error="api.job.interrupted" if state == "interrupted" else None)
            return
        a.deadline = time.monotonic() + float(a.options.time_limit)
        try:
            with self.db.session() as s, s.begin():
                job = s.get_one(JobRow, a.job_id)  # stored before it was submitted; never deleted
                job.state, job.started_at = "running", utcnow()
            log.info(
                "solve started",
                extra={"job_id": a.job_id, "time_limit_s": a.options.time_limit, "workers": a.options.workers},
            )

            def progress(info: dict[str, Any]) -> None:
                now = time.monotonic()
                if now - a.last_write >= PROGRESS_WRITE_INTERVAL_S:
                    a.last_write = now
                    try:
                        with self.db.session() as s, s.begin():
                            job = s.get_one(JobRow, a.job_id)
                            job.progress = dict(info)
                    except Exception:  # progress is advisory; never break the solve for it
                        log.exception("progress write failed", extra={"job_id": a.job_id})

            if a.cancel_requested or self._closing:
                a.control.cancel()
            if self.backend is not None:  # Ray (api.ray_backend)
                result = self.backend.run(a, progress, lambda: self._closing)
            else:
                result = a.work(a.control, progress)
            state = "cancelled" if a.cancel_requested else "interrupted" if self._closing else "done"
            if isinstance(result, dict):  # an answer that is not a plan (a recommendation)
                self._finish(a, state, answer=result, error="api.job.interrupted" if state == "interrupted" else None)
                log.info("work finished", extra={"job_id": a.job_id, "state": state})
                return
            plan = result.plan
            if state != "done" and not result.found and result.status != "infeasible":
                plan = None  # stopped before any solution: there is no plan (not an empty one)
            elif (
                result.status == "infeasible"
                and plan is not None
                and plan.explanation is None
                and a.explain_inst is not None
            ):
                plan.explanation = self._explain(a)
                plan.cut_short = list((plan.explanation or {}).get("cut_short") or [])
            final = dict(a.control.progress)
            if result.found:
                final.update(objective=result.objective, bound=result.bound)
            final["wall_time_s"] = round(result.wall_time_s, 3)
            if plan is None:
                final.setdefault("solutions", 0)
            self._finish(
                a, state, plan=plan, progress=final, error="api.job.interrupted" if state == "interrupted" else None
            )
            log.info(
                "solve finished",
                extra={
                    "job_id": a.job_id,
                    "state": state,
                    "status": result.status,
                    "objective": result.objective,
                    "bound": result.bound,
                    "wall_time_s": round(result.wall_time_s, 3),
                },
            )
        except InputError as exc:
            a.input_error = exc
            log.info("solve refused its input", extra={"job_id": a.job_id, "problems": len(exc.problems)})
            self._finish(a, "failed", error="api.job.input")
        except Exception:
            log.exception("solve failed", extra={"job_id": a.job_id})
            try:
                self._finish(a, "failed", error="api.job.internal")
            except Exception:  # the database itself is gone; the next start marks the job interrupted
                log.exception("could not record the failure", extra={"job_id": a.job_id})
        finally:
            with self._lock:
                self._active.pop(a.job_id, None)
            a.done.set()

    def _explain(self, a: Active) -> Any:
        """Why there is no plan (planner.explain, when installed); a failure here never loses the answer."""
        if a.explain_inst is None:  # nothing to explain against
            return None
        try:
            from planner.analysis.explain import explain  # an optional module, as in the CLI
        except ImportError:
            return None
        try:
            # the job's time limit covers the explanation too: it gets what the solve left
            return explain(
                a.explain_inst, time_limit=a.options.time_limit, workers=a.options.workers, deadline=a.deadline
            )
        except Exception:
            log.exception("explanation failed", extra={"job_id": a.job_id})
            return None

    def _finish(
        self,
        a: Active,
        state: str,
        *,
        plan: Any = None,
        progress: dict[str, Any] | None = None,
        error: str | None = None,
        answer: dict[str, Any] | None = None,
    ) -> None:
        if a.abandoned:  # marked interrupted at shutdown; whatever it found late is kept, the state is not
            state, error = "interrupted", "api.job.interrupted"
        with self.db.session() as s, s.begin():
            job = s.get_one(JobRow, a.job_id)
            job.state, job.finished_at = state, utcnow()
            if progress:
                job.progress = progress
            if plan is not None:
                row = store_plan(s, job, plan)
                job.plan_id, job.result_status = row.id, plan.status
                job.objective, job.bound = plan.objective, plan.bound
            if answer is not None:
                job.answer = answer
            job.error = error
        with self._lock:
            self._active.pop(a.job_id, None)
        a.done.set()
        if self.on_finish is not None and not a.abandoned:
            now = time.monotonic()
            ran = now - a.started_mono if a.started_mono is not None else None
            try:
                self.on_finish(a.kind, state, now - a.submitted_at, ran)
            except Exception:  # metrics never break a job
                log.exception("on_finish failed", extra={"job_id": a.job_id})

    # ------------------------------------------------------------------ shutdown
    def begin_shutdown(self) -> None:
        """Refuse new work and ask every solve to stop (at once, without waiting): called on SIGTERM, before
        the server waits for open requests, so synchronous requests answer promptly too."""
        with self._lock:
            self._closing = True
            held = list(self._active.values())
        for a in held:
            a.control.cancel()

    def shutdown(self, wait_s: float = 5.0) -> list[str]:
        """Stop every solve; running ones keep their best plan and, like queued ones, become ``interrupted``.

        Waits at most `wait_s` seconds in all. A solve that has not stopped by then (its model still being
        built, which the library does not interrupt) is marked ``interrupted`` without a plan and left to its
        daemon thread. Returns the ids of the jobs so abandoned."""
        self.begin_shutdown()
        with self._lock:
            held = list(self._active.values())
        deadline = time.monotonic() + wait_s
        for a in held:
            self.wait(a.job_id, max(0.0, deadline - time.monotonic()))
        abandoned: list[str] = []
        with self._lock:
            left = list(self._active.values())
            for a in left:
                a.abandoned = True
                self._active.pop(a.job_id, None)
        for a in left:
            try:
                with self.db.session() as s, s.begin():
                    job = s.get(JobRow, a.job_id)
                    if job is not None and job.state in ("queued", "running"):
                        job.state, job.finished_at, job.error = "interrupted", utcnow(), "api.job.interrupted"
                abandoned.append(a.job_id)
            except Exception:  # the next start marks it interrupted
                log.exception("could not mark an abandoned job", extra={"job_id": a.job_id})
            a.done.set()
        for _ in self._threads:
            self._queue.put(None)
        if self.backend is not None:
            self.backend.close()
        if abandoned:
            log.warning("solves still busy at shutdown were left behind", extra={"jobs": abandoned})
        return abandoned
