"""What every scene of ``andina demo`` does: note where each country's partition ends,
then wait there for the event the scene expects, checking its signature."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from andina.contract.envelope import Envelope
from andina.contract.topics import DELIVERIES
from andina.deploy.processes import StackError
from andina.deploy.settings import Endpoints


def _partition(ends: Endpoints, service: str, country: str) -> tuple[str, int]:
    return ends.andina.topics().topic(service, DELIVERIES), ends.andina.countries().partition_of(country)


async def partition_ends(ends: Endpoints, service: str, countries: Iterable[str]) -> dict[str, int]:
    """Where each country's partition of ``service``'s deliveries ends now."""
    offsets = {}
    for country in countries:
        async with ends.country_reader(country, *_partition(ends, service, country)) as reader:
            offsets[country] = await reader.end_offset()
    return offsets


async def await_event(
    ends: Endpoints,
    service: str,
    country: str,
    start: int,
    wanted: Callable[[Envelope], bool],
    patience: float,
    what: str,
) -> Envelope:
    """The first event from ``start`` on ``country``'s partition that ``wanted`` accepts, verified and opened."""
    opener = ends.opener(country)
    async with ends.country_reader(country, *_partition(ends, service, country)) as reader:
        records = await reader.read(start, lambda rs: any(wanted(opener.open(r.value)) for r in rs), within=patience)
    for record in records:
        envelope = opener.open(record.value)
        if wanted(envelope):
            return envelope
    raise StackError(f"{what} did not arrive within {patience:.0f} s: is the {service} service up?")
