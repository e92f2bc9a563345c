"""Structured logging: one JSON object per line on stderr.

Log lines carry ids (request, job, key, scenario hash), never document contents: no cadre names or other
personal data reach the log. Tracebacks are written as their frames and exception types only: an exception's
message may quote its input (a database error its SQL parameters, a validation error the value it refused),
so no exception message reaches a log line, in any code path.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.config
import traceback
from typing import Any

#: attributes of a LogRecord that are not `extra` fields
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "color_message"}


def safe_traceback(exc: BaseException | None) -> str:
    """A traceback without exception messages: where it happened (frames, source lines of the code) and what
    (the exception types of the chain), never the values involved."""
    parts: list[str] = []
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        kind = type(exc)
        frames = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
        parts.append(
            f"Traceback (most recent call last):\n{frames}{kind.__module__}.{kind.__qualname__} "
            "(message withheld: it may quote input)"
        )
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return "\n\nwhile handling:\n".join(reversed(parts))


class TextFormatter(logging.Formatter):
    def formatException(self, ei: Any) -> str:  # noqa: N802 (logging's name)
        return safe_traceback(ei[1])


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value
        if record.exc_info:
            out["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            out["exc"] = safe_traceback(record.exc_info[1])
        return json.dumps(out, ensure_ascii=False, default=str)


def log_config(level: str = "INFO", as_json: bool = True) -> dict[str, Any]:
    """A dictConfig for the service and uvicorn alike (pass it as uvicorn's `log_config`)."""
    formatter = (
        {"()": JsonFormatter}
        if as_json
        else {"()": TextFormatter, "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    )
    handler = {"class": "logging.StreamHandler", "formatter": "main", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {"main": handler},
        "loggers": {
            "api": {"handlers": ["main"], "level": level.upper(), "propagate": False},
            "uvicorn": {"handlers": ["main"], "level": level.upper(), "propagate": False},
            "uvicorn.error": {"level": level.upper()},
            # the service writes its own access line (with request id, key name and duration)
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }


def configure(level: str = "INFO", as_json: bool = True) -> None:
    logging.config.dictConfig(log_config(level, as_json))
