"""The service's own CPU time by kind of work, from a cProfile run: where Python itself is the limit.

The profiler counts CPU time (``cpu_profiler``), not wall-clock time: waiting in epoll for the
store or the broker, or for a core on a busy machine, is not work. Each function's own time
(tottime) goes to the first kind whose pattern its file or name contains; C functions
(libsodium, ed25519-zebra, orjson, pydantic-core) are recorded under their own names, so they
are counted where their work is done.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from collections import defaultdict

from bench.report import table

# (kind, patterns), first match wins: the crypto calls before the libraries that wrap them.
KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("signature verification (Ed25519)", ("ed_verify", "crypto_sign_open", "signature_holds")),
    ("signing (Ed25519)", ("crypto_sign",)),
    ("sealing (X25519 box)", ("crypto_box", "crypto_scalarmult", "crypto_aead", "randombytes", "sealing.py")),
    ("pydantic validation and dumps", ("pydantic",)),  # before JSON: its validate_json parses too
    ("JSON (orjson, json)", ("orjson", "json")),
    ("store driver (pymongo, bson)", ("pymongo", "bson")),
    ("Kafka client (aiokafka)", ("aiokafka", "kafka/", "crc32c")),
    ("FastStream", ("faststream",)),
    ("logs (structlog, logging)", ("structlog", "logging")),
    ("metrics (prometheus_client)", ("prometheus_client",)),
    ("event loop and sockets (asyncio)", ("asyncio", "selectors", "epoll", "socket", "uvloop")),
    ("our code (andina)", ("andina",)),
)
OTHER = "other (stdlib, cffi, ...)"


def cpu_profiler() -> cProfile.Profile:
    return cProfile.Profile(time.process_time)


def kind_of(filename: str, function: str) -> str:
    where = f"{filename}:{function}"
    return next((kind for kind, patterns in KINDS if any(p in where for p in patterns)), OTHER)


def shares(profiler: cProfile.Profile, events: int, batches: int) -> str:
    """A table: each kind's own CPU seconds, share of the profiled total, µs per event and per batch."""
    seconds: dict[str, float] = defaultdict(float)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]  # not in the stubs
    for (filename, _, function), (_, _, own, _, _) in stats.items():
        seconds[kind_of(filename, function)] += own
    total = sum(seconds.values())
    rows = [
        [kind, spent, 100 * spent / total, 1e6 * spent / events, 1e3 * spent / max(batches, 1)]
        for kind, spent in sorted(seconds.items(), key=lambda item: -item[1])
    ]
    return table(["kind of work", "CPU s", "% of CPU", "µs/event", "ms/batch"], rows)


def top_functions(profiler: cProfile.Profile, count: int) -> str:
    """cProfile's ``count`` functions with the most own CPU time."""
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(count)
    return out.getvalue()
