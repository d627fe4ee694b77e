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


class RequestUrgency(StrEnum):
    """EU Directive 2023/977: urgent requests answered within 8 hours, others within 7 days."""

    URGENT = "urgent"
    NORMAL = "normal"


class RequestStatus(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in-progress"
    ANSWERED = "answered"
    REFUSED = "refused"
    CLOSED = "closed"


class EscalationStep(StrEnum):
    """Who an undelivered alert goes to next, in order."""

    PRIMARY = "primary"
    ALTERNATE = "alternate"
    COORDINATOR = "coordinator"
    ORIGIN_NOTIFIED = "origin-notified"
