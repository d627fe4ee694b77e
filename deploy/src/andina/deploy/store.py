"""The Mongo-protocol store: FerretDB v1 (SQLite backend) embedded in deploy/ferretdb.

The binary is built from source with ``go build`` into the state folder, and rebuilt
when the Go sources are newer than it, so a change to the pinned version takes effect.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from pymongo import MongoClient
from pymongo.errors import PyMongoError

from andina.deploy.processes import Component, Port, StackError
from andina.deploy.settings import StackSettings

BINARY = "andina-ferretdb"


def binary_path(settings: StackSettings) -> Path:
    return settings.state / "bin" / BINARY


def component(settings: StackSettings) -> Component:
    return Component(
        name="ferretdb",
        ports=(Port(settings.mongo_port, "ANDINA_STACK_MONGO_PORT", "MongoDB wire protocol"),),
        marker=BINARY,
    )


def needs_build(binary: Path, sources: Path) -> bool:
    if not binary.exists():
        return True
    newest = max(p.stat().st_mtime for p in (sources / "main.go", sources / "go.mod", sources / "go.sum"))
    return binary.stat().st_mtime < newest


def ensure_binary(settings: StackSettings) -> bool:
    """Build the binary when missing or stale; True when it had to."""
    sources = settings.root / "deploy" / "ferretdb"
    binary = binary_path(settings)
    if not needs_build(binary, sources):
        return False
    go = shutil.which("go")
    if go is None:
        raise StackError("`go` is not installed: install Go 1.22 or newer to build the FerretDB store")
    binary.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [go, "build", "-o", str(binary), "."], cwd=sources, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise StackError(f"building FerretDB with `go build` failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return True


def command(settings: StackSettings) -> list[str]:
    data = settings.state / "ferretdb"
    data.mkdir(parents=True, exist_ok=True)
    return [str(binary_path(settings)), "-listen", f"127.0.0.1:{settings.mongo_port}", "-data", str(data)]


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
