"""``andina tail``: one country's partition of a service's topic, as a table that grows live.

Each poll's records are printed as a block of rows with fixed column widths, so the
blocks line up as one table in a terminal's scroll-back and in a log file alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeAlias

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from andina.contract.fetching import undecodable_reason
from andina.contract.kafka_auth import KafkaAuth, client_options
from andina.contract.sealing import DeliveryOpener, Unopenable
from andina.contract.topics import DEAD_LETTER
from andina.deploy.processes import StackError
from andina.deploy.reach import reach_kafka
from andina.deploy.settings import Endpoints

UNATTRIBUTED = "unattributed"
Record: TypeAlias = Any  # an aiokafka ConsumerRecord (aiokafka ships no type hints)


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    width: int | None  # None: what the other columns leave


EVENT_COLUMNS = (
    Column("time (UTC)", 19),
    Column("offset", 7),
    Column("type", 34),
    Column("id", 36),
    Column("origin", 6),
    Column("data", None),
)
DEAD_LETTER_COLUMNS = (
    Column("time (UTC)", 19),
    Column("offset", 7),
    Column("reason", 16),
    Column("detail", 40),
    Column("from", 20),
    Column("record", None),
)


@dataclass(frozen=True, slots=True)
class Target:
    topic: str
    partition: int
    dead_letters: bool


def target(ends: Endpoints, service: str, country: str, stream: str) -> Target:
    """The partition to read; ``unattributed`` is where refused records of unknown senders go."""
    registry, countries = ends.andina.topics(), ends.andina.countries()
    streams = registry.streams.get(service)
    if streams is None:
        raise StackError(f"unknown service {service!r}: one of {', '.join(registry.services)}")
    if stream not in streams:
        raise StackError(f"{service} has no stream {stream!r}: one of {', '.join(streams)}")
    partition = countries.unattributed_partition if country == UNATTRIBUTED else countries.partition_of(country)
    return Target(registry.topic(service, stream), partition, stream == DEAD_LETTER)


def _scalar(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(_scalar(v) for v in value)
    if isinstance(value, dict):
        return "{…}"
    return str(value)


def data_summary(data: dict[str, Any]) -> str:
    """One line: the payload's fields as ``name=value``, ids last, nested objects elided."""
    fields = sorted(data.items(), key=lambda item: item[0].endswith("_id"))  # what it says first, its ids last
    return "  ".join(f"{name}={_scalar(value)}" for name, value in fields)


def _event(value: bytes | None) -> dict[str, Any] | None:
    try:
        parsed = orjson.loads(value or b"")
    except orjson.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _time(record: Record) -> str:
    return datetime.fromtimestamp(record.timestamp / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _shown(event: dict[str, Any], value: bytes, opener: DeliveryOpener | None) -> tuple[dict[str, Any], str]:
    """The event to show and its data in clear: a sealed delivery is opened when this host holds
    the recipient's key; otherwise only the sealed form (sending service, recipient) is shown."""
    if "sealedfor" not in event:
        data = event.get("data")
        return event, data_summary(data) if isinstance(data, dict) else ""
    if opener is None:
        return event, f"[dim](sealed for {escape(str(event['sealedfor']))})[/dim]"
    try:
        opened = opener.open(value)
    except Unopenable as exc:
        return event, f"[red]does not open[/red]: {escape(str(exc))}"
    return opened.model_dump(mode="json"), data_summary(opened.data)


def event_row(record: Record, opener: DeliveryOpener | None = None) -> list[str]:
    if (reason := undecodable_reason(record)) is not None:  # a whole batch the client could not read
        return [_time(record), str(record.offset), "[red]undecodable batch[/red]", "", "", reason]
    event = _event(record.value)
    if event is None:
        return [_time(record), str(record.offset), "[red]not an event[/red]", "", "", repr((record.value or b"")[:80])]
    event, summary = _shown(event, record.value, opener)
    return [
        _time(record),
        str(record.offset),
        str(event.get("type")),
        str(event.get("id")),
        str(event.get("origin", "")),
        summary,
    ]


def _stream_of(topic: str) -> str:
    """``submissions`` for ``andina.alerts.submissions.v1``."""
    parts = topic.split(".")
    return parts[-2] if len(parts) >= 2 else topic


def dead_letter_row(record: Record) -> list[str]:
    headers = {k: (v or b"").decode(errors="replace") for k, v in record.headers}
    source = _stream_of(headers.get("andina-dlq-source-topic", "?"))
    event = _event(record.value)
    content = f"{event.get('type')} id={event.get('id')}" if event else repr((record.value or b"")[:80])
    return [
        _time(record),
        str(record.offset),
        headers.get("andina-dlq-reason", "?"),
        headers.get("andina-dlq-detail", ""),
        f"{source}[{headers.get('andina-dlq-source-partition', '?')}]@{headers.get('andina-dlq-source-offset', '?')}",
        content,
    ]


def rows_table(rows: list[list[str]], dead_letters: bool, header: bool, width: int) -> Table:
    """Rows cut to one line each; the last column takes what the fixed ones leave of ``width``."""
    columns = DEAD_LETTER_COLUMNS if dead_letters else EVENT_COLUMNS
    fixed = sum(c.width or 0 for c in columns) + 2 * (len(columns) - 1)  # one space of padding each side
    table = Table(show_header=header, box=None, pad_edge=False, header_style="bold")
    for column in columns:
        table.add_column(column.name, width=column.width or max(20, width - fixed), no_wrap=True, overflow="ellipsis")
    for row in rows:
        table.add_row(*row)
    return table


async def tail(
    bootstrap_servers: str,
    where: Target,
    out: Console,
    *,
    from_beginning: bool,
    count: int | None,
    started: Callable[[], None] = lambda: None,
    auth: KafkaAuth | None = None,
    opener: DeliveryOpener | None = None,
) -> int:
    """Print the partition's records until ``count`` were shown (or forever); returns how many.

    ``opener``: the country's key, to show what sealed deliveries hold.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers.split(","), enable_auto_commit=False, **client_options(auth)
    )
    await reach_kafka(bootstrap_servers, consumer.start())
    try:
        if where.topic not in await consumer.topics():
            raise StackError(f"no topic {where.topic} on the broker: `andina topics create` makes it")
        partition = TopicPartition(where.topic, where.partition)
        consumer.assign([partition])
        await (consumer.seek_to_beginning if from_beginning else consumer.seek_to_end)(partition)
        await consumer.position(partition)  # resolve the offset now: what arrives from here on is shown
        started()
        row = dead_letter_row if where.dead_letters else partial(event_row, opener=opener)
        shown = 0
        while count is None or shown < count:
            records = (await consumer.getmany(partition, timeout_ms=500)).get(partition, [])
            records = records if count is None else records[: count - shown]
            if records:
                out.print(rows_table([row(r) for r in records], where.dead_letters, shown == 0, out.width))
                shown += len(records)
        return shown
    finally:
        await consumer.stop()
