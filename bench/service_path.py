"""(c) The relay through the project's own stack: the real alerts service, in process.

``create_app`` builds it exactly as ``python -m andina.alerts`` does (FastStream broker,
gate, inbox in the store, publisher, dead letters, Prometheus middleware, structured logs);
only the settings point it at the benchmark's namespace, database and keys.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from typing import TextIO

from faststream.asgi import AsgiFastStream

from andina.alerts.app import create_app
from andina.alerts.settings import Settings
from bench.stack import BenchStack


def service_settings(stack: BenchStack, log_level: str = "INFO") -> Settings:
    return Settings(
        kafka_bootstrap_servers=stack.bootstrap,
        mongo_url=stack.mongo_url,
        topic_namespace=stack.namespace,
        database_prefix=stack.database_prefix,
        keys_dir=stack.keys_dir,
        key_directory=stack.key_directory,
        countries_file=stack.countries_file,
        log_level=log_level,
        log_json=True,
    )


def service_app(stack: BenchStack, log_level: str = "INFO") -> AsgiFastStream:
    return create_app(service_settings(stack, log_level))


_DEVNULL: TextIO | None = None


def _devnull() -> TextIO:
    global _DEVNULL
    if _DEVNULL is None:
        _DEVNULL = open(os.devnull, "w")  # noqa: SIM115 - kept open: handlers made meanwhile keep it
    return _DEVNULL


def _stream_handlers() -> Iterator[logging.StreamHandler[TextIO]]:
    loggers = [logging.getLogger(), *(logging.getLogger(n) for n in list(logging.root.manager.loggerDict))]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if isinstance(handler, logging.StreamHandler):
                yield handler


@contextmanager
def logs_to_devnull() -> Iterator[None]:
    """Send log lines to /dev/null meanwhile (the service writes one per event at INFO).

    They are still formatted and written, as a deployed service's would be. Handlers made
    meanwhile (FastStream's own, the service's) are pointed at stderr afterwards.
    """
    devnull = _devnull()
    for handler in _stream_handlers():
        if handler.stream in (sys.stderr, sys.stdout):
            handler.setStream(devnull)
    try:
        with redirect_stdout(devnull), redirect_stderr(devnull):
            yield
    finally:
        for handler in _stream_handlers():
            if handler.stream is devnull:
                handler.setStream(sys.stderr)
