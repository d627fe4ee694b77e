"""Small Go programs of ours (deploy/ferretdb, deploy/compose), built with ``go build`` when stale."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from andina.deploy.processes import StackError


def go_command(purpose: str) -> str:
    go = shutil.which("go")
    if go is None:
        raise StackError(f"`go` is not installed: install Go 1.24 or newer to build {purpose}")
    return go


def needs_build(binary: Path, sources: Path, extra: Sequence[Path] = ()) -> bool:
    """True when the binary is missing or older than its sources (main.go, go.mod, go.sum, ``extra``)."""
    if not binary.exists():
        return True
    inputs = [sources / "main.go", sources / "go.mod", sources / "go.sum", *extra]
    return binary.stat().st_mtime < max(p.stat().st_mtime for p in inputs)


def run(argv: list[str], cwd: Path, what: str) -> str:
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise StackError(f"{what} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return result.stdout
