"""Vocabulary of the 24/7 network shared by every service that raises alerts."""

from __future__ import annotations

from enum import StrEnum


class Priority(StrEnum):
    """How fast a contact point must acknowledge (deadlines are configured per priority)."""

    FLASH = "FLASH"
    URGENT = "URGENT"
    ROUTINE = "ROUTINE"


class AlertCategory(StrEnum):
    WANTED_PERSON = "wanted-person"
    MISSING_PERSON = "missing-person"
    VEHICLE = "vehicle"
    CARGO = "cargo"
    FIREARM = "firearm"
    DRUG_SHIPMENT = "drug-shipment"
    ILLEGAL_MINING = "illegal-mining"
    CYBER_INCIDENT = "cyber-incident"
    OTHER = "other"
