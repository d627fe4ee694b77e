"""Signing keys for every member country and every service, and the public-key directory.

Without ``force`` an existing private key is kept, so re-running the command (or the
stack's start) never invalidates what was signed or what running services have loaded.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from andina.shared.signing import KeyDirectory, SignerKey, SignerKind


@dataclass(slots=True)
class KeysResult:
    keys_dir: Path
    directory: Path
    generated: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    directory_written: bool = False


def generate_keys(
    keys_dir: Path,
    directory: Path,
    countries: Sequence[str],
    services: Sequence[str],
    *,
    force: bool = False,
) -> KeysResult:
    """Ensure a private key per signer and publish the public halves to ``directory``."""
    result = KeysResult(keys_dir, directory)
    signers = [(code, SignerKind.COUNTRY) for code in countries] + [(name, SignerKind.SERVICE) for name in services]
    keys: list[tuple[SignerKey, SignerKind]] = []
    for signer, kind in signers:
        if not force and (keys_dir / f"{signer}.key").exists():
            keys.append((SignerKey.load(keys_dir, signer), kind))
            result.kept.append(signer)
        else:
            key = SignerKey.generate(signer)
            key.save(keys_dir)
            keys.append((key, kind))
            result.generated.append(signer)

    # Build the new directory beside the old one and swap it in whole, so a service that
    # reads it meanwhile never sees half a file; keep signers published by other means.
    staging = directory.with_name(directory.name + ".tmp")
    staging.unlink(missing_ok=True)
    if directory.exists() and not force:
        staging.parent.mkdir(parents=True, exist_ok=True)
        staging.write_text(directory.read_text())
    for key, kind in keys:
        KeyDirectory.publish(staging, key, kind)
    new = staging.read_text()
    if directory.exists() and _same(directory.read_text(), new):
        staging.unlink()
    else:
        os.replace(staging, directory)
        result.directory_written = True
    KeyDirectory.load(directory)  # fail here, not in a service, if it is unreadable
    return result


def _same(old: str, new: str) -> bool:
    try:
        return bool(json.loads(old) == json.loads(new))
    except ValueError:
        return False
