"""Envelope admission on one core, no Kafka: ``Gate.admit_envelope`` over pre-built wire bytes.

The baselines are bare Ed25519 verification of the same canonical bytes and signatures, by
PyNaCl (libsodium) and by ed25519-zebra (what the gate uses), so the ratios say how much of
the envelope work is the unavoidable signature check. Rates are per second of this thread's
CPU time (the machine may be busy with other work); the wall clock rate is reported beside it.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from andina.contract.envelope import Envelope, canonical_bytes
from andina.contract.events.messages import DirectedMessage, message_sent_type
from andina.contract.signing import signature_holds
from andina.shared.gate import Gate
from bench.stack import SERVICE, BenchStack


@dataclass(frozen=True)
class Rate:
    name: str
    operations: int
    cpu_seconds: float
    wall_seconds: float

    @property
    def per_cpu_second(self) -> float:
        return self.operations / self.cpu_seconds if self.cpu_seconds > 0 else float("nan")

    @property
    def per_wall_second(self) -> float:
        return self.operations / self.wall_seconds if self.wall_seconds > 0 else float("nan")


def measure(name: str, operation: Callable[[Any], object], items: Sequence[Any], seconds: float) -> Rate:
    """Apply ``operation`` to ``items`` round after round until ``seconds`` of CPU time are spent."""
    for item in items[: max(1, len(items) // 10)]:  # warm-up
        operation(item)
    done = 0
    cpu0, wall0 = time.thread_time(), time.perf_counter()
    while True:
        for item in items:
            operation(item)
        done += len(items)
        cpu = time.thread_time() - cpu0
        if cpu >= seconds:
            return Rate(name, done, cpu, time.perf_counter() - wall0)


def gate_for(stack: BenchStack) -> Gate:
    return Gate(stack.countries, stack.directory(), {message_sent_type(SERVICE): DirectedMessage}, 262_144)


def envelope_rates(stack: BenchStack, events: Sequence[tuple[str, bytes]], seconds: float) -> list[Rate]:
    """The baselines (nacl, zebra), the figure (admit_envelope), and the parts in between."""
    gate = gate_for(stack)
    directory = stack.directory()
    wire = [(origin.encode(), value) for origin, value in events]
    parsed = [orjson.loads(value) for _, value in wire]
    verify_keys = {signer: key.key.verify_key for signer, key in stack.keys.items()}
    signed = [
        (verify_keys[a["signer"]], canonical_bytes(a), base64.b64decode(a["signature"]))
        for a in parsed  # the same canonical bytes and signatures the gate checks
    ]
    values = [value for _, value in wire]

    def admit_envelope(item: tuple[bytes, bytes]) -> object:
        return gate.admit_envelope(item[0], item[1])

    def admit(item: tuple[bytes, bytes]) -> object:
        return gate.admit(item[0], item[1])

    def nacl_verify(item: tuple[Any, bytes, bytes]) -> object:
        return item[0].verify(item[1], item[2])

    def zebra_verify(item: tuple[Any, bytes, bytes]) -> object:
        return signature_holds(item[0], item[1], item[2])

    def validate_envelope(value: bytes) -> object:
        return Envelope.model_validate_json(value, strict=True)

    return [
        measure("nacl VerifyKey.verify (baseline)", nacl_verify, signed, seconds),
        measure("ed25519-zebra verify (baseline)", zebra_verify, signed, seconds),
        measure("Gate.admit_envelope", admit_envelope, wire, seconds),
        measure("Gate.admit (+ payload model)", admit, wire, seconds),
        measure("  part: orjson.loads", orjson.loads, values, seconds / 2),
        measure("  part: Envelope.model_validate_json", validate_envelope, values, seconds / 2),
        measure("  part: canonical_bytes", canonical_bytes, parsed, seconds / 2),
        measure("  part: KeyDirectory.verify", directory.verify, parsed, seconds / 2),
    ]
