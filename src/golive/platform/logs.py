"""The server's log: one line per thing an operator cares about, as plain text or JSON on stderr.

Every module logs to a `golive.*` logger; only the entry points (`golive serve`, `golive worker`) call
`configure_logging`, so tests and embedding applications keep their own logging setup.
"""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from golive.platform.settings import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
# Libraries that narrate every step at INFO (huey: each periodic job, twice): their warnings only,
# unless the operator asked for debug.
CHATTY_LIBRARIES = ("huey", "httpx", "aiosmtplib", "botocore", "boto3", "urllib3")


def log_formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter(
            JSON_FIELDS,
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            datefmt="%Y-%m-%dT%H:%M:%S%z",
        )
    return logging.Formatter(TEXT_FORMAT, datefmt="%Y-%m-%d %H:%M:%S")


def configure_logging(settings: Settings) -> None:
    """The root logger writes to stderr at GOLIVE_LOG_LEVEL in GOLIVE_LOG_FORMAT; uvicorn's loggers go
    through it too (serve passes `log_config=None`), so every line has one shape."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(log_formatter(settings.log_format))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    level = logging.getLevelNamesMapping()[settings.log_level.upper()]
    root.setLevel(level)
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.DEBUG if level <= logging.DEBUG else logging.WARNING)
