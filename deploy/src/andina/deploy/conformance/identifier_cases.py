"""Keyed hashes of financial identifiers and the partition of every member country."""

from __future__ import annotations

import hashlib
from typing import Any

from andina.contract.countries import CountryRegistry
from andina.contract.subject_hash import (
    NetworkKey,
    keyed_hash,
    normalise_account,
    normalise_party,
    normalise_transfer,
)
from andina.contract.topics import DEAD_LETTER, DELIVERIES, SUBMISSIONS, TopicRegistry
from andina.deploy.conformance.published_keys import WARNING

NETWORK_KEY = NetworkKey("test-1", hashlib.sha256(b"andina conformance TEST ONLY network key").digest())

ACCOUNTS = [("PE", "BCPLPEPL", "0011-0123 456"), ("PE", "bcplpepl", "00110123456"), ("CO", "BCOLCOBM", "Nº 45-7")]
PARTIES = [
    ("PE", "DNI", "41 235 678"),
    ("CO", "cédula", "1.023.456.789"),
    ("EC", "RUC", "１７９００１２３４５００１"),
    ("BO", "pasaporte", "Weiß-ﬁ 12"),
]
TRANSFERS = ["eb6305c9-1f7d-4b6a-9e2d-3c4b5a6f7e8d", "PE-CCE-2026/11/23-0042"]


def refs_document() -> dict[str, Any]:
    accounts = [
        {"country": c, "bank": b, "number": n, "normalised": normalise_account(c, b, n)} for c, b, n in ACCOUNTS
    ]
    parties = [{"country": c, "id_type": t, "value": v, "normalised": normalise_party(c, t, v)} for c, t, v in PARTIES]
    transfers = [{"end_to_end_reference": r, "normalised": normalise_transfer(r)} for r in TRANSFERS]
    for case in [*accounts, *parties, *transfers]:
        case["ref"] = keyed_hash(NETWORK_KEY, case["normalised"])
    return {
        "warning": WARNING,
        "network_key": {"key_id": NETWORK_KEY.key_id, "secret_hex": NETWORK_KEY.secret.hex()},
        "rule": (
            "normalise each part: NFKD, drop combining marks, upper case, keep only A-Z and 0-9; join "
            "'<kind>|<country>|<parts...>' with '|'; ref = '<key id>:' + hex(HMAC-SHA256(secret, UTF-8 of it))"
        ),
        "accounts": accounts,
        "parties": parties,
        "transfers": transfers,
    }


def partitions_document() -> dict[str, Any]:
    countries = CountryRegistry.load()
    topics = TopicRegistry.load()
    return {
        "rule": "record key = the country code (ASCII); partition = the country's fixed index on every topic",
        "partitions_per_topic": topics.partitions,
        "countries": {code: countries.partition_of(code) for code in countries.every_code},
        "unattributed_partition": countries.unattributed_partition,
        "topics": {
            service: {
                stream: topics.topic(service, stream)
                for stream in (SUBMISSIONS, DELIVERIES, DEAD_LETTER)
                if stream in topics.streams[service]
            }
            for service in topics.services
        },
    }
