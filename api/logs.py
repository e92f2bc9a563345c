"""Structured logging: one JSON object per line on stderr.

Log lines carry ids (request, job, key, scenario hash), never document contents: no cadre names or other
personal data reach the log.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.config
from typing import Any

#: attributes of a LogRecord that are not `extra` fields
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "color_message"}


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
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


def log_config(level: str = "INFO", as_json: bool = True) -> dict[str, Any]:
    """A dictConfig for the service and uvicorn alike (pass it as uvicorn's `log_config`)."""
    formatter = {"()": JsonFormatter} if as_json else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
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
