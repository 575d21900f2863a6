"""Structured logs for production: one JSON object a line, with personal data masked.

No log line is meant to carry personal data (ids, never names, in URLs; nothing logs bodies), but an
exception's text can quote a value — a database error repeats the row it refused. The formatter
masks e-mail addresses and the values a PostgreSQL error quotes, and drops the request object."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from typing import Any

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# PostgreSQL: DETAIL:  Key (email)=(someone@example.org) already exists.
QUOTED_VALUE = re.compile(r"(\([^()]*\))=\([^()]*\)")
MASK = "[masked]"


def mask(text: str) -> str:
    text = QUOTED_VALUE.sub(lambda m: f"{m.group(1)}=({MASK})", text)
    return EMAIL.sub(MASK, text)


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "process"[, "task", "exception"]}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask(record.getMessage()),
            "process": record.process,
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        task = getattr(record, "task_name", None) or getattr(record, "task", None)
        if isinstance(task, str):
            entry["task"] = task
        if record.exc_info:
            entry["exception"] = mask(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
