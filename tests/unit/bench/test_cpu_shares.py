"""The profile's CPU shares put each C call with the work it does, the crypto before its wrappers."""

from __future__ import annotations

import pytest

from bench.cpu_shares import OTHER, kind_of


@pytest.mark.parametrize(
    ("filename", "function", "kind"),
    [
        ("~", "<built-in method ed25519_zebra.ed25519_zebra.ed_verify>", "signature verification (Ed25519)"),
        ("~", "<built-in method _sodium.crypto_sign_open>", "signature verification (Ed25519)"),
        ("~", "<built-in method _sodium.crypto_sign>", "signing (Ed25519)"),
        (
            ".venv/lib/python3.11/site-packages/nacl/bindings/crypto_box.py",
            "crypto_box_easy_afternm",
            "sealing (X25519 box)",
        ),
        ("~", "<built-in method orjson.dumps>", "JSON (orjson, json)"),
        (
            "~",
            "<method 'validate_json' of 'pydantic_core._pydantic_core.SchemaValidator' objects>",
            "pydantic validation and dumps",
        ),
        ("shared/src/andina/shared/processing.py", "_handle_once", "our code (andina)"),
        ("~", "<built-in method builtins.len>", OTHER),
    ],
)
def test_each_function_is_counted_with_its_kind_of_work(filename: str, function: str, kind: str) -> None:
    assert kind_of(filename, function) == kind
