"""The app under gunicorn (``hoso serve``): workers, threads, logs to stderr.

The app is built once in the master before the workers fork (so a refused configuration stops
the start with a message, not a crash loop of workers); each worker then drops the database
connections it inherited and opens its own.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

#: The format of the lines of hoso's own loggers, but for the security log (JSON lines as is).
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
SECURITY_LOG = "hoso.security"


@dataclass(frozen=True)
class ServeOptions:
    """How to serve: where, how many processes and threads, how long a request may take."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    threads: int = 2
    timeout: int = 60
    #: Seconds an idle connection is kept open. Longer than gunicorn's 2 s default, which is
    #: shorter than a user's pause between two clicks: the browser's next request then met a
    #: closing connection ("connection reset") when nothing sat in front of gunicorn.
    keep_alive: int = 75

    def gunicorn_settings(self) -> dict[str, Any]:
        """The options as gunicorn settings."""
        return {
            "bind": f"{self.host}:{self.port}",
            "workers": self.workers,
            "threads": self.threads,
            # More than one thread needs the threaded worker (gunicorn picks it for "sync").
            "worker_class": "gthread" if self.threads > 1 else "sync",
            "timeout": self.timeout,
            "graceful_timeout": min(self.timeout, 30),
            "keepalive": self.keep_alive,
            "preload_app": True,
            "accesslog": "-",
            "errorlog": "-",
            "logger_class": StderrLogger,
            # The scheme comes from X-Forwarded-Proto through HOSO_PROXY_FIX only, one switch
            # (gunicorn would otherwise believe it from any client on 127.0.0.1).
            "secure_scheme_headers": {},
            "forwarded_allow_ips": "127.0.0.1",
            "proc_name": "hoso",
            "post_fork": _post_fork,
            # gunicorn 24+ opens a control socket in $HOME (one per user: a second server on
            # the host would take it over); nothing here uses it.
            "control_socket_disable": True,
        }


class StderrLogger(Logger):
    """gunicorn's logger with the access log on stderr (beside the error log), not stdout."""

    def _set_handler(self, log, output, fmt, stream=None):  # noqa: ANN001 (gunicorn's signature)
        if log is self.access_log and output == "-":
            stream = sys.stderr
        super()._set_handler(log, output, fmt, stream)


class _Formatter(logging.Formatter):
    """The security log's JSON line alone (one object per line for a log shipper); the others
    with time, level and logger."""

    def format(self, record: logging.LogRecord) -> str:
        if record.name == SECURITY_LOG:
            return record.getMessage()
        return super().format(record)


def configure_logging(level: int = logging.INFO) -> None:
    """hoso's loggers (``hoso.security``, ``hoso.config``, ...) at `level`, to stderr."""
    logger = logging.getLogger("hoso")
    if not any(getattr(h, "_hoso_serve", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_Formatter(LOG_FORMAT))
        handler._hoso_serve = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(level)


def _post_fork(_server: Any, worker: Any) -> None:
    """A forked worker must not share the master's pooled connections."""
    app = worker.app.application
    app.extensions["hoso"].engine.dispose(close=False)


class HosoServer(BaseApplication):
    """gunicorn running one already built Flask app."""

    def __init__(self, application: Flask, options: ServeOptions):
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        """Apply the options (gunicorn reads no config file or command line here)."""
        for key, value in self.options.gunicorn_settings().items():
            if key in self.cfg.settings:  # an older gunicorn lacks the newest settings
                self.cfg.set(key, value)

    def load(self) -> Flask:
        """The app gunicorn serves."""
        return self.application


def serve(application: Flask, options: ServeOptions) -> None:
    """Run `application` under gunicorn until it is stopped (SIGTERM, SIGINT)."""
    application.extensions["hoso"].engine.dispose()
    HosoServer(application, options).run()
