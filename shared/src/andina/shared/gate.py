"""The inbound gate: raw Kafka record -> a validated, authenticated event, or a rejection.

Pure (no I/O). Checks run cheapest first so that garbage never reaches the signature
verification, which is by far the most expensive step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

import orjson
from pydantic import BaseModel, ValidationError

from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Envelope
from andina.contract.rejections import Reason, Rejected, RejectedAuthenticated
from andina.contract.signing import KeyDirectory
from andina.shared.settings import AndinaSettings

P = TypeVar("P", bound=BaseModel)

# An agency's system may hold events through an outage of a day or two; anything older
# is treated as a replay. A little skew covers unsynchronised clocks of member systems.
MAX_EVENT_AGE = timedelta(hours=72)
HOUR = timedelta(hours=1)
MAX_CLOCK_SKEW = timedelta(minutes=5)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Inbound(Generic[P]):
    """An admitted event: its envelope and its payload parsed into the contract model.

    ``handled_before``: its handling began once already and was cut short (a crash, an outage), so
    what that handling stored may be there; otherwise nothing was stored for it and a handler need
    not read the store to find out."""

    envelope: Envelope
    payload: P
    handled_before: bool = False


# The rules a handler applies to an admitted event's content before it changes anything, bound to
# the service's reference data: raises Rejected, else returns what the handler goes on with
# (a PartlyRefused when it would accept the event but refuse some of its parts).
ContentCheck = Callable[[Inbound[Any]], object]


@dataclass(frozen=True, slots=True)
class PartlyRefused:
    """The parts of an accepted event its handler refuses (a report's transactions), as the sender's
    receipt lists them."""

    parts: Sequence[BaseModel]


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the gate says of a record without handling it: accepted, or refused with the reason.

    ``refused``: the parts an accepted event would have refused (a report's transactions)."""

    reason: Reason | None = None
    detail: str = ""
    refused: Sequence[BaseModel] = ()

    @property
    def accepted(self) -> bool:
        return self.reason is None

    def __str__(self) -> str:
        return "accepted" if self.reason is None else f"{self.reason.value}: {self.detail}"


def keyed_by_origin(value: bytes) -> bytes | None:
    """The record key a correct client gives an event: its ``origin`` (None when it names none)."""
    try:
        origin = orjson.loads(value).get("origin")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    return origin.encode() if isinstance(origin, str) else None


def summarise(error: ValidationError, limit: int = 3) -> str:
    """A short, readable account of what failed validation, for the dead-letter reason."""
    parts = [f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in error.errors()[:limit]]
    more = error.error_count() - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


class Gate:
    """Admits events of the types in ``catalog`` (event type -> payload model).

    ``programmes`` (event type -> programme) names the types a programme-only member may send.
    """

    def __init__(
        self,
        countries: CountryRegistry,
        directory: KeyDirectory,
        catalog: dict[str, type[BaseModel]],
        max_event_bytes: int,
        key_must_be_origin: bool = True,
        max_age: timedelta = MAX_EVENT_AGE,
        max_skew: timedelta = MAX_CLOCK_SKEW,
        clock: Callable[[], datetime] = utc_now,
        programmes: Mapping[str, str] | None = None,
    ) -> None:
        self._countries = countries
        self._directory = directory
        self._catalog = catalog
        self._max_event_bytes = max_event_bytes
        self._key_must_be_origin = key_must_be_origin
        self._max_age = max_age
        self._max_skew = max_skew
        self._clock = clock
        self._programmes = programmes or {}

    @classmethod
    def configured(
        cls,
        settings: AndinaSettings,
        directory: KeyDirectory,
        catalog: dict[str, type[BaseModel]],
        programmes: Mapping[str, str] | None = None,
    ) -> Gate:
        """The gate with a service's limits (size, age, clock skew) as ``settings`` set them."""
        return cls(
            settings.countries(),
            directory,
            catalog,
            settings.max_event_bytes,
            max_age=timedelta(hours=settings.max_event_age_hours),
            max_skew=timedelta(seconds=settings.max_clock_skew_seconds),
            programmes=programmes,
        )

    @property
    def max_event_bytes(self) -> int:
        return self._max_event_bytes

    def admit_envelope(self, key: bytes | None, value: bytes) -> Envelope:
        """Size, JSON, envelope, membership, key and signature checks."""
        if len(value) > self._max_event_bytes:
            raise Rejected(Reason.OVERSIZED, f"{len(value)} bytes exceeds the limit of {self._max_event_bytes}")
        try:
            attributes = orjson.loads(value)
        except orjson.JSONDecodeError as exc:
            raise Rejected(Reason.MALFORMED_JSON, str(exc)) from None
        if not isinstance(attributes, dict):
            raise Rejected(Reason.INVALID_ENVELOPE, "a CloudEvent must be a JSON object")
        try:
            envelope = Envelope.model_validate_json(value, strict=True)
        except ValidationError as exc:
            raise Rejected(Reason.INVALID_ENVELOPE, summarise(exc)) from None
        if not self._countries.is_known(envelope.origin):
            raise Rejected(Reason.UNKNOWN_COUNTRY, f"origin {envelope.origin!r} is not a member country")
        if self._key_must_be_origin:
            self._check_key(key, envelope, attributes.get("signer"))
        self._directory.verify(attributes)
        self._check_fresh(envelope)
        return envelope

    def _check_key(self, key: bytes | None, envelope: Envelope, signer: object) -> None:
        """A country's event is keyed by its origin; another service's signal by the member country it
        concerns, which need not be the origin of the filing that caused it (a country signs only as
        its origin: the signature check refuses a country signing as another)."""
        shown = repr(key.decode("ascii", "replace")) if key is not None else "(none)"
        if signer == envelope.origin:
            if key != envelope.origin.encode():
                raise Rejected(Reason.WRONG_KEY, f"record key {shown} is not the origin {envelope.origin!r}")
        elif key is None or not self._countries.is_known(key.decode("ascii", "replace")):
            raise Rejected(Reason.WRONG_KEY, f"record key {shown} of a service's event names no member country")

    def _check_fresh(self, envelope: Envelope) -> None:
        """An old event sent again (a replay beyond the inbox's memory) or one from the future is refused.

        Checked after the signature so that the sender, now authenticated, is told why.
        """
        now = self._clock()
        if envelope.time < now - self._max_age:
            raise RejectedAuthenticated(
                Reason.STALE,
                f"event time {envelope.time.isoformat()} is older than {self._max_age / HOUR:g} h",
                envelope,
            )
        if envelope.time > now + self._max_skew:
            raise RejectedAuthenticated(
                Reason.STALE, f"event time {envelope.time.isoformat()} is ahead of this service's clock", envelope
            )

    def _check_programme(self, envelope: Envelope) -> None:
        """A programme-only member sends its programmes' event types and nothing else."""
        programme = self._programmes.get(envelope.type)
        if envelope.origin in self._countries or (
            programme and self._countries.is_member_of(envelope.origin, programme)
        ):
            return
        raise RejectedAuthenticated(
            Reason.UNAUTHORIZED,
            f"{envelope.origin} is a member of a programme only, which {envelope.type!r} is not part of",
            envelope,
        )

    def admit(self, key: bytes | None, value: bytes) -> Inbound[BaseModel]:
        envelope = self.admit_envelope(key, value)
        model = self._catalog.get(envelope.type)
        if model is None:
            raise RejectedAuthenticated(
                Reason.UNKNOWN_TYPE, f"this service does not accept {envelope.type!r}", envelope
            )
        self._check_programme(envelope)
        try:
            payload = model.model_validate_json(orjson.dumps(envelope.data), strict=True)
        except ValidationError as exc:
            raise RejectedAuthenticated(Reason.INVALID_PAYLOAD, summarise(exc), envelope) from None
        return Inbound(envelope, payload)

    def verdict(self, key: bytes | None, value: bytes, checks: Mapping[str, ContentCheck] | None = None) -> Verdict:
        """A dry run: what :meth:`admit` says of the record, then the ``checks`` of its type (the
        rules its handler applies to the content). The checks a handler makes on the service's
        state (duplicate, unauthorized, not-found) are not run."""
        try:
            inbound = self.admit(key, value)
            check = (checks or {}).get(inbound.envelope.type)
            checked = check(inbound) if check else None
        except Rejected as rejection:
            return Verdict(rejection.reason, rejection.detail)
        return Verdict(refused=checked.parts if isinstance(checked, PartlyRefused) else ())
