"""Installing a Debian package the stack needs (Prometheus, PostgreSQL) when it is missing."""

from __future__ import annotations

import os
import shutil
import subprocess

from andina.deploy.processes import StackError


def install(package: str, alternative: str) -> None:
    """``apt-get install`` the package as root, without starting the service it ships.

    ``alternative`` tells the user what else they can do when we cannot install it.
    """
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        raise StackError(
            f"{package} is not installed. Install it with: apt-get update && DEBIAN_FRONTEND=noninteractive "
            f"apt-get install -y --no-install-recommends {package} ({alternative})"
        )
    # RUNLEVEL=1 tells the package's invoke-rc.d not to start its own service on our ports.
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive", "RUNLEVEL": "1"}
    for argv in ([apt, "update"], [apt, "install", "-y", "--no-install-recommends", package]):
        result = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
        if result.returncode != 0:
            raise StackError(f"`{' '.join(argv)}` failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
