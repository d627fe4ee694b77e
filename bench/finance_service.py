"""Ingest through the real finance-trace service: signed reports on Kafka -> gate, store, graph, detectors.

A sample of the generated stream is submitted as the FIUs would (suspicious transaction
reports of 50 transfers, accounts as keyed hashes, amounts as decimal strings), then the
service is started in process on an isolated namespace and database. The rate is taken
from the receipts' send times (the first receipt opens the window, so joining the consumer
group is not counted), as transfers per second.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from pymongo import AsyncMongoClient

from andina.finance_trace import SERVICE
from andina.finance_trace.app import create_app
from andina.finance_trace.settings import Settings
from andina.shared.admin import delete_topics, ensure_topics
from andina.shared.broker import client_options
from andina.shared.envelope import Handling, agency_source, unsigned_event
from andina.shared.events.finance_trace import finance_type
from andina.shared.signing import KeyDirectory, SignerKey, SignerKind
from andina.shared.store import Document, database_name
from andina.shared.topics import DELIVERIES, SUBMISSIONS, TopicRegistry
from bench.finance_data import Dataset, Report
from bench.service_path import logs_to_devnull
from bench.stack import BenchStack, bench_stack, produce, recipients_opener

REPORT_SIZE = 50
BATCH = 10  # reports per poll: several batches even in the quick sample, so their spacing can be timed
RECEIPT = finance_type("report-recorded")
REFUSAL = finance_type("event-rejected")


@dataclass(frozen=True)
class ServiceIngest:
    transactions: int
    reports: int
    per_second: float


def _account(ref: str | None, country: str | None) -> dict[str, str] | None:
    return None if ref is None or country is None else {"ref": ref, "bank": "BANK" + country, "country": country}


def payload(report: Report) -> dict[str, Any]:
    transactions = [
        {
            "reference": t.key,
            "time": datetime.fromtimestamp(t.time, UTC).isoformat(),
            "amount": f"{t.amount_usd:.2f}",
            "currency": "USD",
            "channel": t.channel.value,
            "from_account": _account(t.source, t.source_country),
            "to_account": _account(t.target, t.target_country),
        }
        for t in report.transfers
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


async def _receipt_times(stack: BenchStack, expected: int, within: float) -> list[int]:
    topic = stack.topics.topic(SERVICE, DELIVERIES)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=stack.bootstrap.split(","), enable_auto_commit=False, **client_options()
    )
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in range(stack.topics.partitions)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        times: list[int] = []
        openers = stack.openers()
        deadline = time.monotonic() + within
        while len(times) < expected and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:  # sealed for its recipient, whose key the bench holds
                    event = recipients_opener(openers, record.key).open_attributes(record.value or b"")
                    if event["type"] == REFUSAL:
                        raise RuntimeError(f"the service refused a generated report: {event['data']}")
                    if event["type"] == RECEIPT:
                        times.append(record.timestamp)
        return times
    finally:
        await consumer.stop()


async def service_ingest(data: Dataset, transactions: int, within: float = 600.0) -> ServiceIngest:
    reports: list[Report] = []
    for report in data.reports(REPORT_SIZE):
        if sum(len(r.transfers) for r in reports) >= transactions:
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
            events.append((report.reporter, stack.keys[report.reporter].sign(attributes)))
        with logs_to_devnull():  # fresh topics elect their leaders while the producer retries (it says so, loudly)
            await produce(stack, stack.topics.topic(SERVICE, SUBMISSIONS), events)
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
                times = sorted(await _receipt_times(stack, len(reports), within))
    if len(times) < len(reports):
        raise RuntimeError(f"only {len(times)} of {len(reports)} reports were recorded by the service")
    total = sum(len(r.transfers) for r in reports)
    after_first_batch = total * (len(reports) - BATCH) / len(reports)
    return ServiceIngest(total, len(reports), after_first_batch / ((times[-1] - times[0]) / 1000))
