"""The ``andina keys`` commands: signing keys and the public-key directory.

``cli.py`` registers them, with its error handling.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from andina.deploy.console import console, done
from andina.deploy.keys import generate_keys, publish_public_key, retire_keys, rotate_key
from andina.deploy.settings import endpoints

Signer = Annotated[str, typer.Argument(help="a member country (PE) or a service (alerts)")]


def generate(
    force: Annotated[bool, typer.Option("--force", help="Replace existing keys (invalidates old signatures).")] = False,
) -> None:
    """A private key per member country and per service, and the public-key directory.

    Keys go to `ANDINA_KEYS_DIR` and the directory to `ANDINA_KEY_DIRECTORY` (default: the
    stack's state folder). Without `--force`, existing keys are kept.
    """
    ends = endpoints()
    result = generate_keys(
        ends.keys_dir,
        ends.key_directory,
        ends.andina.countries().every_code,
        ends.andina.topics().services,
        force=force,
    )
    table = Table(title=f"signing keys in {result.keys_dir}")
    table.add_column("signer")
    table.add_column("key")
    for signer in result.generated:
        table.add_row(signer, "[green]generated[/green]")
    for signer in result.kept:
        table.add_row(signer, "kept")
    console.print(table)
    written = "updated" if result.directory_written else "unchanged"
    console.print(f"public-key directory {result.directory} ({written})")


def rotate(signer: Signer) -> None:
    """Give a signer a new key; its previous key stays accepted until `andina keys retire`.

    Running services pick up the new public key by themselves; a signer starts using its new
    key when it next loads its key file (a service: at its next restart).
    """
    ends = endpoints()
    old, new = rotate_key(ends.keys_dir, ends.key_directory, signer)
    done(f"{signer} signs with key {new}", f"key {old} still accepted until `andina keys retire {signer}`")


def publish(
    signer: Signer,
    public_key: Annotated[str, typer.Argument(help="the signer's Ed25519 public key, 32 bytes in base64")],
    keep_previous: Annotated[
        bool, typer.Option("--keep-previous", help="Keep accepting the key it replaces (a rotation).")
    ] = False,
) -> None:
    """Publish a public key a signer sent: a member that keeps its private key in its own systems.

    A joining country (first listed in the country registry's data file) or a member's new key
    after a rotation on its side; with `--keep-previous`, until `andina keys retire`. Running
    services pick it up by themselves. A key that is not a valid Ed25519 key is refused.
    """
    ends = endpoints()
    keyid = publish_public_key(
        ends.key_directory,
        signer,
        public_key,
        ends.andina.countries().every_code,
        ends.andina.topics().services,
        keep_previous=keep_previous,
    )
    kept = "previous key(s) still accepted" if keep_previous else "it replaces any previous key"
    done(f"{signer}'s key {keyid} published in {ends.key_directory}", kept)


def retire(signer: Signer) -> None:
    """Stop accepting a signer's previous keys (safe once the 72 h replay window has passed since rotating)."""
    ends = endpoints()
    dropped = retire_keys(ends.key_directory, signer)
    done(f"{signer}: {dropped} previous key(s) retired", "services stop accepting them within seconds")
