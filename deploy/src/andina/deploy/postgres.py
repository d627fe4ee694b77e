"""PostgreSQL under FerretDB (``ANDINA_STACK_STORE_BACKEND=postgresql``): Debian's package, our own cluster.

The cluster lives in ``<state>/postgresql/data``, made by ``initdb`` the first time, and
listens on loopback TCP only (no Unix socket), trusting local connections as FerretDB on
27017 does. The server refuses to run as root, so as root it runs as the package's
``postgres`` account, which then owns the data folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from andina.deploy import debian
from andina.deploy.gobuild import run
from andina.deploy.processes import Component, Port, StackError
from andina.deploy.settings import StackSettings

PACKAGES = Path("/usr/lib/postgresql")  # Debian installs each major version's programs under <version>/bin
SERVER_ACCOUNT = "postgres"
SUPERUSER = "andina"
DATABASE = "postgres"  # made by initdb; FerretDB keeps each MongoDB database as a schema in it


def component(settings: StackSettings) -> Component:
    hint = " (Debian's postgresql package may run its own cluster there: `service postgresql stop`)"
    port = Port(settings.postgres_port, "ANDINA_STACK_POSTGRES_PORT", "PostgreSQL under FerretDB", hint=hint)
    return Component(name="postgresql", ports=(port,), marker="postgres")


def programs() -> Path | None:
    """The folder of ``postgres``, ``initdb`` and ``pg_isready``: the one on PATH, else Debian's newest."""
    on_path = shutil.which("postgres")
    if on_path:
        return Path(on_path).resolve().parent
    found = sorted(PACKAGES.glob("*/bin/postgres"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


def ensure_installed() -> tuple[Path, bool]:
    """The programs' folder, installing Debian's postgresql package when missing; True when it did."""
    folder = programs()
    if folder is not None:
        return folder, False
    debian.install("postgresql", "or keep ANDINA_STACK_STORE_BACKEND=sqlite")
    folder = programs()
    if folder is None:
        raise StackError(f"the postgresql package installed no `postgres` program under {PACKAGES}")
    return folder, True


def url(settings: StackSettings) -> str:
    return f"postgres://{SUPERUSER}@127.0.0.1:{settings.postgres_port}/{DATABASE}"


def data_dir(settings: StackSettings) -> Path:
    return settings.state / "postgresql" / "data"


def _as_server_account(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["setpriv", f"--reuid={SERVER_ACCOUNT}", f"--regid={SERVER_ACCOUNT}", "--init-groups", *argv]


def initialise(settings: StackSettings, folder: Path) -> bool:
    """Make the cluster when its folder has none yet; True when it did."""
    data = data_dir(settings)
    if (data / "PG_VERSION").exists():
        return False
    data.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(data, SERVER_ACCOUNT, SERVER_ACCOUNT)
    initdb = [str(folder / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--locale=C"]
    run(_as_server_account(initdb), data.parent, "initdb of the store's PostgreSQL cluster")
    return True


def server_command(settings: StackSettings, folder: Path) -> list[str]:
    """The server on the cluster of ``settings``, with the programs of ``folder``."""
    server = [
        str(folder / "postgres"),
        "-D",
        str(data_dir(settings)),
        "-p",
        str(settings.postgres_port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "unix_socket_directories=",
    ]
    return _as_server_account(server)


def command(settings: StackSettings) -> list[str]:
    """Install and initialise what is missing, then the server's command line."""
    folder, _ = ensure_installed()
    initialise(settings, folder)
    return server_command(settings, folder)


def is_ready(settings: StackSettings, timeout: float = 2.0) -> bool:
    """True when the server accepts connections."""
    folder = programs()
    if folder is None:
        return False
    probe = [str(folder / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(settings.postgres_port), "-U", SUPERUSER]
    try:
        return subprocess.run(probe, timeout=timeout, check=False).returncode == 0
    except subprocess.TimeoutExpired:
        return False
