"""Prometheus metrics (``GET /metrics``, global admin only): requests and latencies by route, jobs by state,
solve and queue-wait times, the pool's running and queued solves.

One registry per application (tests build many apps). Request metrics are labelled by the route's template
(``/v1/jobs/{job_id}``), never by the path itself: no id and no personal data reaches a label."""

from __future__ import annotations

import logging
from typing import Any, Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from .db import JobRow

log = logging.getLogger("api.metrics")

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
SOLVE_BUCKETS = (0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800)
STATES = ("queued", "running", "done", "cancelled", "failed", "interrupted")


class _Now(Collector):
    """What is true at scrape time: stored jobs by state (a database query), the pool's load."""

    def __init__(self, state: Any):
        self.state = state  # the application's state: its db and pool exist once it has started

    def collect(self) -> Iterable[Metric]:
        db, pool = getattr(self.state, "db", None), getattr(self.state, "pool", None)
        jobs = GaugeMetricFamily("planner_jobs", "stored jobs by state", labels=["state"])
        up = GaugeMetricFamily("planner_database_up", "1 when the jobs table could be read for this scrape")
        counted: dict[str, int] = dict.fromkeys(STATES, 0)
        ok = 0
        if db is not None:
            try:
                with db.session() as s:
                    for state, n in s.execute(select(JobRow.state, func.count()).group_by(JobRow.state)):
                        counted[state] = int(n)
                ok = 1
            except Exception as error:
                log.warning("metrics: jobs not counted", extra={"error": type(error).__name__})
        for state, n in counted.items():
            jobs.add_metric([state], n)
        up.add_metric([], ok)
        yield jobs
        yield up
        running, queued = pool.counts() if pool is not None else (0, 0)
        yield GaugeMetricFamily("planner_solves_running", "solves running now", value=running)
        yield GaugeMetricFamily("planner_queue_depth", "solves waiting for a free slot", value=queued)
        yield GaugeMetricFamily(
            "planner_solve_capacity", "solves that may run or wait at once", value=pool.capacity if pool else 0
        )


class Metrics:
    def __init__(self, app_state: Any):
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "planner_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "planner_http_request_duration_seconds",
            "time to answer a request",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.solve_time = Histogram(
            "planner_solve_duration_seconds",
            "how long finished jobs ran (from a worker taking them to their end)",
            ["kind", "state"],
            buckets=SOLVE_BUCKETS,
            registry=self.registry,
        )
        self.queue_wait = Histogram(
            "planner_job_queue_wait_seconds",
            "how long jobs waited in the queue before a worker took them",
            ["kind"],
            buckets=SOLVE_BUCKETS,
            registry=self.registry,
        )
        self.finished = Counter(
            "planner_jobs_finished", "jobs ended, by kind and final state", ["kind", "state"], registry=self.registry
        )
        self.registry.register(_Now(app_state))

    def request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def job_finished(self, kind: str, state: str, total_s: float, ran_s: float | None) -> None:
        self.finished.labels(kind, state).inc()
        if ran_s is not None:
            self.solve_time.labels(kind, state).observe(ran_s)
            self.queue_wait.labels(kind).observe(max(0.0, total_s - ran_s))
