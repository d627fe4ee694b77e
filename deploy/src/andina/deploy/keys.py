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

from andina.contract.events.indicators import OBSERVATORY
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.deploy.processes import StackError


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
    # The observatory signs the coordinator's indicator entries; like a service, only its own types.
    signers = [(code, SignerKind.COUNTRY) for code in countries] + [
        (name, SignerKind.SERVICE) for name in [*services, OBSERVATORY]
    ]
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


def rotate_key(keys_dir: Path, directory: Path, signer: str) -> tuple[str, str]:
    """Give ``signer`` a new key without downtime; returns (old key id, new key id).

    The directory names the new key first, with the old one still accepted, and only then
    does the signer's key file change: every verifier can check the new key by the time it
    is used, and what was signed with the old one stays valid until `retire_keys`. The old
    private key is kept under ``previous/``: deliveries sealed for it still open.
    """
    old = SignerKey.load(keys_dir, signer)
    kinds = KeyDirectory.load(directory)
    if signer not in kinds:
        raise StackError(f"{signer!r} is not in the key directory {directory}: run `andina keys generate`")
    new = SignerKey.generate(signer)
    KeyDirectory.publish(directory, new, kinds.kind_of(signer), keep_previous=True)
    old.save_as_previous(keys_dir)
    new.save(keys_dir)
    return old.key_id, new.key_id


def retire_keys(directory: Path, signer: str) -> int:
    """Stop accepting ``signer``'s previous keys (after the replay window, nothing signed with them is valid)."""
    try:
        return KeyDirectory.retire_previous(directory, signer)
    except KeyError as exc:
        raise StackError(f"{signer!r} is not in the key directory {directory}") from exc


def publish_public_key(
    directory: Path,
    signer: str,
    public_key_b64: str,
    countries: Sequence[str],
    services: Sequence[str],
    *,
    keep_previous: bool,
) -> str:
    """Publish the public key ``signer`` sent (it keeps the private half); returns the key id."""
    if signer in countries:
        kind = SignerKind.COUNTRY
    elif signer in services:
        kind = SignerKind.SERVICE
    else:
        raise StackError(
            f"{signer!r} is neither a member country nor a service: a joining country goes into the "
            "country registry's data file first"
        )
    try:
        return KeyDirectory.publish_public(directory, signer, public_key_b64, kind, keep_previous=keep_previous)
    except ValueError as exc:
        raise StackError(f"{signer}'s key not published: {exc}") from exc
