"""The Mongo-protocol store: FerretDB v1 embedded in deploy/ferretdb, on SQLite or PostgreSQL.

``ANDINA_STACK_STORE_BACKEND`` chooses where FerretDB keeps the documents: SQLite files in
the state folder (the default), or a PostgreSQL cluster the stack starts before FerretDB
(andina.deploy.postgres). Either way the services see the same MongoDB wire protocol.

The binary is built from source with ``go build`` into the state folder, and rebuilt
when the Go sources or the patches are newer than it, so a change to the pinned version
takes effect. FerretDB's module is built with our patches (deploy/ferretdb/patches): Go
fetches the pinned version, a copy in the state folder gets them applied, and a go.mod
beside it (``-modfile``) points the build at that copy; nothing downloaded is committed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from andina.deploy import postgres
from andina.deploy.gobuild import go_command, needs_build, run
from andina.deploy.processes import Component, Port, StackError, spawn, stop, wait_ready
from andina.deploy.settings import StackSettings

BINARY = "andina-ferretdb"
MODULE = "github.com/FerretDB/FerretDB"
PATCHED_MARKER = ".andina-patches"  # digest of the patches, written last: else the copy is made again


def binary_path(settings: StackSettings) -> Path:
    return settings.state / "bin" / BINARY


def component(settings: StackSettings) -> Component:
    return Component(
        name="ferretdb",
        ports=(Port(settings.mongo_port, "ANDINA_STACK_MONGO_PORT", "MongoDB wire protocol"),),
        marker=BINARY,
    )


def _patches(sources: Path) -> list[Path]:
    return sorted((sources / "patches").glob("*.patch"))


def patched_module(go: str, sources: Path, build: Path) -> Path:
    """A copy of the pinned FerretDB module with our patches applied, made once per version."""
    pinned = re.search(rf"^\s*(?:require\s+)?{re.escape(MODULE)} (v\S+)", (sources / "go.mod").read_text(), re.M)
    if pinned is None:
        raise StackError(f"deploy/ferretdb/go.mod does not require {MODULE}")
    target = build / f"ferretdb-{pinned.group(1)}"
    patches = _patches(sources)
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in patches)).hexdigest()
    marker = target / PATCHED_MARKER
    if marker.exists() and marker.read_text() == digest:
        return target
    fetched = json.loads(
        run([go, "mod", "download", "-json", f"{MODULE}@{pinned.group(1)}"], sources, "go mod download")
    )
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(fetched["Dir"], target, copy_function=shutil.copyfile)  # the module cache is read-only
    for folder, _, _ in os.walk(target):
        os.chmod(folder, 0o755)
    for patch in patches:
        run(["git", "apply", "-p1", str(patch)], target, f"applying {patch.name} to FerretDB")
    marker.write_text(digest)
    return target


def ensure_binary(settings: StackSettings) -> bool:
    """Build the binary when missing or stale; True when it had to."""
    sources = settings.root / "deploy" / "ferretdb"
    binary = binary_path(settings)
    if not needs_build(binary, sources, _patches(sources)):
        return False
    go = go_command("the FerretDB store")
    binary.parent.mkdir(parents=True, exist_ok=True)
    build = settings.state / "build"
    module = patched_module(go, sources, build)
    modfile = build / "go.mod"
    modfile.write_text((sources / "go.mod").read_text() + f"\nreplace {MODULE} => {module}\n")
    shutil.copyfile(sources / "go.sum", build / "go.sum")
    run([go, "build", f"-modfile={modfile}", "-o", str(binary), "."], sources, "building FerretDB with `go build`")
    return True


def command(settings: StackSettings) -> list[str]:
    data = settings.state / "ferretdb"
    data.mkdir(parents=True, exist_ok=True)
    argv = [str(binary_path(settings)), "-listen", f"127.0.0.1:{settings.mongo_port}", "-data", str(data)]
    if settings.store_backend == "postgresql":
        argv += ["-backend", "postgresql", "-postgresql-url", postgres.url(settings)]
    return argv


def mongo_url(settings: StackSettings) -> str:
    return f"mongodb://127.0.0.1:{settings.mongo_port}/"


@dataclass(frozen=True, slots=True)
class Launch:
    """One process of the store: what it is, how it starts, when it is ready."""

    component: Component
    argv: Callable[[], list[str]]
    ready: Callable[[], bool]


def launches(settings: StackSettings) -> list[Launch]:
    """The store's processes in start order: PostgreSQL first when FerretDB runs on it."""
    ferretdb = Launch(component(settings), lambda: command(settings), lambda: is_ready(mongo_url(settings)))
    if settings.store_backend == "sqlite":
        return [ferretdb]
    server = postgres.component(settings)
    return [Launch(server, lambda: postgres.command(settings), lambda: postgres.is_ready(settings)), ferretdb]


def is_ready(mongo_url: str, timeout: float = 2.0) -> bool:
    """True when the store answers a ping."""
    client: MongoClient[dict[str, object]] = MongoClient(
        mongo_url, serverSelectionTimeoutMS=int(timeout * 1000), connectTimeoutMS=int(timeout * 1000)
    )
    try:
        client.admin.command("ping")
        return True
    except PyMongoError:
        return False
    finally:
        client.close()


@contextmanager
def running(settings: StackSettings) -> Iterator[str]:
    """The store alone on ``settings``' state and ports, stopped on exit even on failure; yields its URL.

    For benches and tests that set a store beside the stack's; ``stack up`` starts it for the stack.
    """
    ensure_binary(settings)
    started: list[Component] = []
    try:
        for launch in launches(settings):
            process = spawn(launch.component, settings.state, launch.argv(), cwd=settings.state)
            started.append(launch.component)
            wait_ready(launch.component, settings.state, launch.ready, settings.ready_timeout, process)
        yield mongo_url(settings)
    finally:
        for started_component in reversed(started):
            stop(settings.state, started_component, timeout=15)
