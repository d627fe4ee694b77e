"""Through the real finance-trace service: signed reports on Kafka -> gate, store, graph, detectors.

A sample of the generated stream is submitted as the FIUs would (suspicious transaction
reports of 50 transfers, accounts as keyed hashes, amounts as decimal strings), on an
isolated namespace and database, in one of two ways: *replayed*, written to the topic
before the service starts (it consumes a backlog), or *paced*, sent one report at a time
at a steady rate to the running service. Replayed, the rate is taken from the receipts'
send times (the first receipt opens the window, so joining the consumer group is not
counted), as transactions reported per second. Either way, the findings the FIUs receive are
read back as they keep them (bench.finance_told), with the transfer numbers of their evidence.
Each transaction carries an end-to-end reference made from its transfer number, so it is
named the same in both runs and in the reports of both FIUs of a transfer across a border,
and the runs' findings can be compared byte for byte.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from aiokafka import AIOKafkaConsumer, TopicPartition
from pymongo import AsyncMongoClient

from andina.contract.client import AgencyClient, SignedEvent
from andina.contract.envelope import Handling, agency_source, unsigned_event
from andina.contract.events.finance_trace import Pattern, finance_type
from andina.contract.kafka_auth import client_options
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.contract.subject_hash import transfer_ref
from andina.contract.topics import DELIVERIES, SUBMISSIONS, TopicRegistry
from andina.finance_trace import SERVICE
from andina.finance_trace.app import create_app
from andina.finance_trace.settings import Settings
from andina.shared.admin import delete_topics, ensure_topics
from andina.shared.store import Document, database_name
from bench.finance_data import Dataset, Report
from bench.finance_told import Told
from bench.finance_world import KEY
from bench.service_path import logs_to_devnull
from bench.stack import BenchStack, bench_stack, produce, recipients_opener

REPORT_SIZE = 50
BATCH = 10  # reports per poll: several batches even in the quick sample, so their spacing can be timed
RECEIPT = finance_type("report-recorded")
REFUSAL = finance_type("event-rejected")
DETECTED = finance_type("pattern-detected")
Evidence = tuple[Pattern, frozenset[int]]  # a finding's kind and the transfer numbers of its transfers
Kept = dict[tuple[str, str], dict[str, Any]]  # recipient, detection -> data


@dataclass(frozen=True)
class ServiceIngest:
    transactions: int
    reports: int
    per_second: float
    findings: list[Evidence]
    sent: frozenset[int]  # the transfer numbers of the transfers sent
    kept: Kept  # what each FIU keeps of the findings told it


@dataclass
class ReadBack:
    positions: dict[str, int]  # evidence transaction id (``t:<transfer_ref>``) -> transfer number
    receipt_times: list[int] = dataclasses.field(default_factory=list)
    told: Told = dataclasses.field(default_factory=Told)

    def note(self, recipient: str, event: dict[str, Any], timestamp: int) -> None:
        if event["type"] == REFUSAL:
            raise RuntimeError(f"the service refused a generated report: {event['data']}")
        if event["type"] == RECEIPT:
            self.receipt_times.append(timestamp)
        if event["type"] == DETECTED:
            self.told.note(recipient, str(event["id"]), event["data"])

    def findings(self) -> list[Evidence]:
        """Each finding kept, once (whoever was told it): its kind and the transfer numbers of its transfers."""
        kept = {detection: data for (_, detection), data in self.told.kept().items()}
        return [
            (Pattern(data["pattern"]), frozenset(self.positions[e["transaction"]] for e in data["evidence"]))
            for data in kept.values()
        ]


def end_to_end_ref(number: int) -> str:
    """The hashed end-to-end reference of the transfer ``number``: the same in the reports of both its ends."""
    return transfer_ref(KEY, f"E2E{number:08d}")


def _account(report: Report, account: int) -> dict[str, str] | None:
    known = report.account(account)
    return None if known is None else {"ref": known[0], "bank": "BANK" + known[1], "country": known[1]}


def payload(report: Report) -> dict[str, Any]:
    """A suspicious transaction report of ``report``'s transfers, each with its end-to-end reference."""
    transactions = [
        {
            "reference": f"{report.id}/{index}",
            "transfer_ref": end_to_end_ref(number),
            "time": datetime.fromtimestamp(record.time, UTC).isoformat(),
            "amount": f"{record.amount:.2f}",
            "currency": record.currency,
            "channel": record.channel.value,
            "from_account": _account(report, record.source),
            "to_account": _account(report, record.target),
        }
        for index, (record, number) in enumerate(zip(report.records, report.positions, strict=True))
    ]
    return {
        "kind": "suspicious",
        "reporting_entity": "BANK" + report.reporter,
        "narrative": "bench",
        "transactions": transactions,
    }


@contextlib.asynccontextmanager
async def finance_stack() -> AsyncIterator[BenchStack]:
    """The shared benchmark corner (namespace, keys) with finance-trace's topics, key and database."""
    async with bench_stack() as base:
        stack = dataclasses.replace(
            base, topics=dataclasses.replace(base.topics, streams={SERVICE: TopicRegistry.load().streams[SERVICE]})
        )
        key = SignerKey.generate(SERVICE)
        key.save(stack.keys_dir)
        KeyDirectory.publish(stack.key_directory, key, SignerKind.SERVICE)
        await ensure_topics(stack.bootstrap, stack.topics)
        try:
            yield stack
        finally:
            await _tear_down(stack)


async def _tear_down(stack: BenchStack) -> None:
    await delete_topics(stack.bootstrap, stack.topics)
    mongo: AsyncMongoClient[Document] = AsyncMongoClient(stack.mongo_url, serverSelectionTimeoutMS=10_000)
    try:
        await mongo.drop_database(database_name(stack.database_prefix, SERVICE))
    finally:
        await mongo.close()


async def _read_back(stack: BenchStack, expected: int, within: float, positions: dict[str, int]) -> ReadBack:
    """Until every report's receipt has come, and then until the topic has nothing more."""
    topic = stack.topics.topic(SERVICE, DELIVERIES)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=stack.bootstrap.split(","), enable_auto_commit=False, **client_options()
    )
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in range(stack.topics.partitions)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        read = ReadBack(positions)
        openers = stack.openers()
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=1000)
            if not batch and len(read.receipt_times) >= expected:
                return read
            for records in batch.values():
                for record in records:  # sealed for its recipient, whose key the bench holds
                    event = recipients_opener(openers, record.key).open_attributes(record.value or b"")
                    read.note((record.key or b"").decode(), event, record.timestamp)
        return read
    finally:
        await consumer.stop()


async def _paced(stack: BenchStack, events: list[tuple[str, dict[str, Any]]], per_second: float) -> None:
    agencies = {
        c: AgencyClient(stack.bootstrap, key, stack.countries, stack.topics, "uif") for c, key in stack.keys.items()
    }
    for agency in agencies.values():
        await agency.__aenter__()
    try:
        for reporter, attributes in events:
            signed = SignedEvent(UUID(attributes["id"]), stack.keys[reporter].sign(attributes))
            await agencies[reporter].submit(SERVICE, signed)
            await asyncio.sleep(1 / per_second)
    finally:
        for agency in agencies.values():
            await agency.__aexit__()


async def service_ingest(
    data: Dataset, transactions: int, paced_per_s: float | None = None, within: float = 600.0
) -> ServiceIngest:
    """The first reports of ``data`` (``transactions`` transfers), replayed, or paced at ``paced_per_s`` reports/s."""
    reports: list[Report] = []
    for report in data.reports(REPORT_SIZE):
        if sum(len(r.records) for r in reports) >= transactions:
            break
        reports.append(report)
    async with finance_stack() as stack:
        events = []
        for report in reports:
            attributes = unsigned_event(
                type=finance_type("report-submitted"),
                source=agency_source(report.reporter, "uif"),
                origin=report.reporter,
                data=payload(report),
                handling=Handling.H2,
            )
            events.append((report.reporter, attributes))
        if paced_per_s is None:
            signed = [(reporter, stack.keys[reporter].sign(attributes)) for reporter, attributes in events]
            with logs_to_devnull():  # fresh topics elect their leaders while the producer retries (it says so)
                await produce(stack, stack.topics.topic(SERVICE, SUBMISSIONS), signed)
        settings = Settings(
            kafka_bootstrap_servers=stack.bootstrap,
            mongo_url=stack.mongo_url,
            topic_namespace=stack.namespace,
            database_prefix=stack.database_prefix,
            keys_dir=stack.keys_dir,
            key_directory=stack.key_directory,
            max_batch=BATCH,
        )
        with logs_to_devnull():
            async with create_app(settings).start_lifespan_context():
                if paced_per_s is not None:
                    await _paced(stack, events, paced_per_s)
                positions = {f"t:{end_to_end_ref(p)}": p for report in reports for p in report.positions}
                read = await _read_back(stack, len(reports), within, positions)
    times = sorted(read.receipt_times)
    if len(times) < len(reports):
        raise RuntimeError(f"only {len(times)} of {len(reports)} reports were recorded by the service")
    total = sum(len(r.records) for r in reports)
    after_first_batch = total * (len(reports) - BATCH) / len(reports)
    sent = frozenset(position for report in reports for position in report.positions)
    per_second = after_first_batch / ((times[-1] - times[0]) / 1000)
    return ServiceIngest(total, len(reports), per_second, read.findings(), sent, read.told.kept())
