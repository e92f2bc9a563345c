"""The sweep's engines: the cells of planner.analysis.sweep run on Ray or on a local process pool, and how a
sweep is stopped (Ctrl-C, or a caller's cancel).

Both engines call the same cell function (planner.analysis.sweep.run_cell, passed in: this module imports
nothing of the sweep's, which imports it), so their rows are the same. They poll for results every half second; between polls they look at the :class:`Stop`, and once it is requested
they write the rows of the cells that have finished, stop the running ones (local: the worker processes are
terminated; Ray: the tasks are cancelled with force) and return. Cells stopped that way leave no row, so a
rerun solves them.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, Callable

#: CP-SAT workers per CPU a cell is given: the product's measured portfolio is 8 interleaved workers on this
#: 2-core machine (planner.solver.options), i.e. 4 per core
WORKERS_PER_CPU = 4
#: how often the engines look for finished cells and for a stop, seconds
POLL_S = 0.5


class Stop:
    """A stop request: the first SIGINT while it is entered (in the main thread only: signal handlers cannot be
    set elsewhere), or `cancel()` turning true. The first Ctrl-C only sets the flag; the handler is then
    restored, so a second Ctrl-C raises KeyboardInterrupt as usual."""

    def __init__(self, cancel: Callable[[], bool] | None = None):
        self.cancel = cancel
        self._flag = False
        self._installed = False
        self._previous: Any = signal.default_int_handler

    @property
    def requested(self) -> bool:
        return self._flag or bool(self.cancel and self.cancel())

    def _handler(self, signum: int, frame: Any) -> None:
        self._flag = True
        signal.signal(signal.SIGINT, self._previous)  # a second Ctrl-C: what it did before

    def __enter__(self) -> "Stop":
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGINT, self._handler)
            self._previous = signal.default_int_handler if previous is None else previous
            self._installed = True
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._installed and signal.getsignal(signal.SIGINT) == self._handler:
            signal.signal(signal.SIGINT, self._previous)


Record = Callable[[dict[str, Any]], None]
#: planner.analysis.sweep.run_cell: (doc, name, variant, key, *, workers, explain_time) -> the row
CellFn = Callable[..., dict[str, Any]]


def _name(cell: Any) -> str:
    return cell.name or cell.scenario


def error_row(cell: Any, exc: BaseException) -> dict[str, Any]:
    """The row of a cell that could not be run (a crashed worker after its retries, a bug): retried on rerun."""
    return {
        "key": cell.key,
        "scenario": _name(cell),
        "variant": cell.variant.name,
        "status": "error",
        "error": f"{type(exc).__name__}: {exc}"[:500],
        "time_limit_s": cell.variant.time_limit,
    }


# ------------------------------------------------------------------------------------------ local pool


def _local_cell(cell_fn: CellFn, doc: dict, name: str, v: Any, key: str, cpus: int, explain_time: float) -> dict:
    return cell_fn(doc, name, v, key, workers=max(1, cpus) * WORKERS_PER_CPU, explain_time=explain_time)


def _ignore_sigint() -> None:  # pool workers: Ctrl-C is the parent's to handle
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_local(
    docs: dict[str, dict],
    todo: list,
    explain_time: float,
    record: Record,
    stop: Stop,
    *,
    cell_fn: CellFn,
    processes: int | None,
    cpus: int,
    **_: Any,
) -> None:
    """Run the cells `todo` (planner.analysis.sweep.Cell) of the scenarios `docs` in a local process pool."""
    import multiprocessing

    n = max(1, processes or max(1, (os.cpu_count() or 1) // max(1, cpus)))
    # spawn: a fresh interpreter per worker (CP-SAT's threads do not survive fork)
    pool = ProcessPoolExecutor(
        max_workers=n, mp_context=multiprocessing.get_context("spawn"), initializer=_ignore_sigint
    )
    futures: dict[Any, Any] = {}
    pending: set = set()

    def drain(finished) -> None:
        for f in finished:
            try:
                row = f.result()
            except Exception as exc:  # a crashed worker (BrokenProcessPool) or a bug in one cell
                if stop.requested:  # stopped (a Ctrl-C reaches the workers too), not failed: a rerun solves it
                    continue
                row = error_row(futures[f], exc)
            record(row)

    try:
        for c in todo:
            args = (cell_fn, docs[c.scenario], _name(c), c.variant, c.key, cpus, explain_time)
            futures[pool.submit(_local_cell, *args)] = c
        pending = set(futures)
        while pending and not stop.requested:
            finished, pending = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
            drain(finished)
        if pending:  # stopped: keep what finished meanwhile, then stop the running solves now
            drain([f for f in pending if f.done() and not f.cancelled()])
            _terminate(pool)
            return
    except KeyboardInterrupt:  # a second Ctrl-C
        _terminate(pool)
        raise
    pool.shutdown(wait=True)


def _terminate(pool: ProcessPoolExecutor) -> None:
    # the executor has no public way to stop running calls: its worker processes are terminated
    for proc in list(getattr(pool, "_processes", {}).values()):
        proc.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


# ------------------------------------------------------------------------------------------ Ray

#: in-process Ray started here, shared by the sweeps of this process (the service runs several at once)
_RAY = {"users": 0, "started": False}
_RAY_LOCK = threading.Lock()


def _ray_cell(cell_fn: CellFn, doc: dict, name: str, v: Any, key: str, explain_time: float) -> dict[str, Any]:
    import ray

    cpus = ray.get_runtime_context().get_assigned_resources().get("CPU", 1.0)
    return cell_fn(doc, name, v, key, workers=max(1, int(round(cpus))) * WORKERS_PER_CPU, explain_time=explain_time)


def _ray_enter(address: str | None, processes: int | None) -> None:
    import ray

    with _RAY_LOCK:
        if _RAY["users"] == 0 and not ray.is_initialized():
            if address:
                ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
            else:  # in-process: nothing to start by hand
                ray.init(
                    num_cpus=processes or os.cpu_count() or 1,
                    include_dashboard=False,
                    logging_level=logging.ERROR,
                    log_to_driver=False,
                )
            _RAY["started"] = True
        _RAY["users"] += 1


def _ray_exit() -> None:
    import ray

    with _RAY_LOCK:
        _RAY["users"] -= 1
        if _RAY["users"] == 0 and _RAY["started"]:
            ray.shutdown()
            _RAY["started"] = False


#: public names for the service's jobs on Ray (api.ray_backend): one shared connection per process
ray_enter, ray_exit = _ray_enter, _ray_exit


def run_ray(
    docs: dict[str, dict],
    todo: list,
    explain_time: float,
    record: Record,
    stop: Stop,
    *,
    cell_fn: CellFn,
    address: str | None,
    cpus: int,
    processes: int | None,
    **_: Any,
) -> None:
    """Run the cells `todo` as Ray tasks (each scenario put in the object store once; a task whose worker dies
    is retried up to 3 times)."""
    import ray

    _ray_enter(address, processes)
    try:
        remote = ray.remote(num_cpus=cpus, max_retries=3, retry_exceptions=False)(_ray_cell)
        refs = {ref: ray.put(doc) for ref, doc in docs.items() if any(c.scenario == ref for c in todo)}
        tasks = {remote.remote(cell_fn, refs[c.scenario], _name(c), c.variant, c.key, explain_time): c for c in todo}
        pending = list(tasks)
        try:
            while pending and not stop.requested:
                ready, pending = ray.wait(pending, num_returns=1, timeout=POLL_S)
                for r in ready:
                    try:
                        row = ray.get(r)
                    except Exception as exc:  # retries exhausted (ray.exceptions.WorkerCrashedError …) or a bug
                        row = error_row(tasks[r], exc)
                    record(row)
            if pending:  # stopped: keep what finished meanwhile, cancel the rest
                ready, pending = ray.wait(pending, num_returns=len(pending), timeout=0)
                for r in ready:
                    try:
                        record(ray.get(r))
                    except Exception:
                        pass  # no row: a rerun solves it
        finally:
            for r in pending:
                ray.cancel(r, force=True)
    finally:
        _ray_exit()


__all__ = ["Stop", "POLL_S", "WORKERS_PER_CPU", "error_row", "ray_enter", "ray_exit", "run_local", "run_ray"]
