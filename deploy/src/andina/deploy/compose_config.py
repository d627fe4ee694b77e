"""docker-compose.yml checked without Docker: a small Go program of ours (deploy/compose) loads it
with compose-go, as ``docker compose config`` does, and prints the model Compose would run."""

from __future__ import annotations

import subprocess
from pathlib import Path

from andina.deploy.gobuild import go_command, needs_build, run
from andina.deploy.processes import StackError
from andina.deploy.settings import StackSettings

BINARY = "andina-compose-config"


def ensure_binary(settings: StackSettings) -> Path:
    sources = settings.root / "deploy" / "compose"
    binary = settings.state / "bin" / BINARY
    if needs_build(binary, sources):
        binary.parent.mkdir(parents=True, exist_ok=True)
        go = go_command("the Compose checker")
        run([go, "build", "-o", str(binary), "."], sources, "building the Compose checker with `go build`")
    return binary


def compose_config(settings: StackSettings, compose_file: Path, output: str = "yaml") -> str:
    """The file's model (``yaml`` or ``json``) as ``docker compose config`` prints it; StackError if refused."""
    binary = ensure_binary(settings)
    argv = [str(binary), "-format", output, str(compose_file)]
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise StackError(f"Compose refuses {compose_file}: {result.stderr.strip()}")
    return result.stdout
