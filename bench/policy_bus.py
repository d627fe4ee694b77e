"""``python -m bench policy-bus [--quick]``: screening through the bus with and without members' policies.

The intel-exchange service runs in process on the bench's own topics and database. Each
member files person records shared with all; then streams of screenings are sent in
rounds of the same run, alternately under the network's baseline alone (the engine still
decides every flow; each member's policy is empty) and after the four members sent their
shipped example policies, so that neither kind of round has the warmer service. Measured:
screenings per second through the bus (gate, handler, store, sealed deliveries), each round
timed from the first submission until the service committed the last; the mean of each kind.
Beside the rate, the process's CPU per screening in the same rounds (the service runs in this
process; the bench's share, producing events signed beforehand, is alike in both kinds): on a
machine whose cores are shared, the wall rate of two rounds of one kind differs by more than the
10 % target, while CPU time does not wait for a core.

Two streams: *neutral* (police askers, by document: the policies decide every flow but change
no outcome, so the ratio is their cost alone, the 10 % target) and *mixed* (half by name alone,
one asker in four a military body: the policies withhold hits, so rounds under them give out less).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from aiokafka.admin import AIOKafkaAdminClient

from andina.contract.envelope import Handling, agency_source, unsigned_event
from andina.contract.events.intel_exchange import intel_type
from andina.contract.events.policies import policy_changed_type
from andina.contract.kafka_auth import client_options
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.contract.topics import SUBMISSIONS
from andina.deploy.demo_intel_exchange import wanted_person
from andina.intel_exchange import SERVICE
from andina.intel_exchange.app import create_app
from andina.intel_exchange.settings import Settings
from andina.shared.policy.members import example_text
from bench.report import Result, ratio, table
from bench.service_path import logs_to_devnull, service_settings
from bench.stack import BenchStack, bench_stack, produce

MEMBERS = ("BO", "CO", "EC", "PE")
SURNAMES = ("Quispe", "Mamani", "Condori", "Huamán", "Flores", "Choque", "Apaza", "Ticona")
TARGET_RATIO = 0.9
ROUNDS = 2  # of each kind, alternating


@dataclass(frozen=True)
class Config:
    mode: str
    records: int
    screenings: int
    timeout: float


QUICK = Config("quick", records=400, screenings=1_000, timeout=300.0)
FULL = Config("full", records=4_000, screenings=10_000, timeout=1_800.0)


def _signed(stack: BenchStack, origin: str, agency: str, event_type: str, data: dict[str, object]) -> tuple[str, bytes]:
    attributes = unsigned_event(
        type=event_type, source=agency_source(origin, agency), origin=origin, data=data, handling=Handling.H1
    )
    return origin, stack.keys[origin].sign(attributes)


def _person(i: int) -> dict[str, object]:
    return {
        "given_names": ["Juan Carlos"],
        "paternal_surname": SURNAMES[i % len(SURNAMES)],
        "maternal_surname": SURNAMES[(i // len(SURNAMES)) % len(SURNAMES)],
        "date_of_birth": f"{1950 + i % 50}-{1 + i % 12:02d}-{1 + i % 28:02d}",
    }


def records(stack: BenchStack, count: int) -> list[tuple[str, bytes]]:
    events = []
    for i in range(count):
        owner = MEMBERS[i % len(MEMBERS)]
        document = {"type": "national-id", "number": f"{40_000_000 + i}", "issuing_country": owner}
        data = wanted_person(f"{owner}-BENCH-{i}") | _person(i) | {"owner": owner, "share_with": "all"}
        events.append(
            _signed(stack, owner, "policia", intel_type("person-record-submitted"), data | {"documents": [document]})
        )
    return events


def screenings(stack: BenchStack, count: int, records_filed: int, mixed: bool) -> list[tuple[str, bytes]]:
    """Neutral: police askers, by document. Mixed: half by name alone, one asker in four a military body."""
    events = []
    for i in range(count):
        asker, person = MEMBERS[(i + 1) % len(MEMBERS)], (i * 7) % records_filed
        query: dict[str, object] = _person(person) | {"place": "Desaguadero", "purpose": "border-control"}
        if i % 2 or not mixed:
            owner = MEMBERS[person % len(MEMBERS)]
            query["documents"] = [{"type": "national-id", "number": f"{40_000_000 + person}", "issuing_country": owner}]
        agency = "ejercito" if mixed and i % 4 == 3 else "policia"
        events.append(_signed(stack, asker, agency, intel_type("screening-requested"), query))
    return events


async def committed(stack: BenchStack, total: int, give_up_after: float) -> float:
    """Seconds until the service committed ``total`` submissions in all."""
    admin = AIOKafkaAdminClient(bootstrap_servers=stack.bootstrap.split(","), **client_options())
    await admin.start()
    started, topic = time.perf_counter(), stack.topics.topic(SERVICE, SUBMISSIONS)
    try:
        while True:
            offsets = await admin.list_consumer_group_offsets(stack.topics.consumer_group(SERVICE))
            done = sum(o.offset for tp, o in offsets.items() if tp.topic == topic and o.offset > 0)
            if done >= total:
                return time.perf_counter() - started
            if time.perf_counter() - started > give_up_after:
                raise TimeoutError(f"the service committed {done} of {total} submissions")
            await asyncio.sleep(0.05)
    finally:
        await admin.close()


@dataclass(frozen=True)
class Round:
    per_second: float
    cpu_ms_per_screening: float


async def _round(stack: BenchStack, events: list[tuple[str, bytes]], before: int, config: Config) -> Round:
    """One round, from the first submission to the last commit: screenings per second and CPU per screening."""
    started, cpu_started = time.perf_counter(), time.process_time()
    await produce(stack, stack.topics.topic(SERVICE, SUBMISSIONS), events)
    await committed(stack, before + len(events), config.timeout)
    cpu = time.process_time() - cpu_started
    return Round(len(events) / (time.perf_counter() - started), cpu * 1000 / len(events))


def _policy(country: str, enforced: bool) -> dict[str, object]:
    return {"country": country, "policy": example_text(country) if enforced else ""}


async def run(quick: bool) -> tuple[str, Result]:
    config = QUICK if quick else FULL
    async with bench_stack() as stack:
        key = SignerKey.generate(SERVICE)
        key.save(stack.keys_dir)
        KeyDirectory.publish(stack.key_directory, key, SignerKind.SERVICE)
        settings = Settings(**service_settings(stack).model_dump(exclude={"http_port"}))
        submissions = stack.topics.topic(SERVICE, SUBMISSIONS)
        filed = records(stack, config.records)
        rounds: dict[tuple[bool, bool], list[Round]] = {(m, e): [] for m in (False, True) for e in (False, True)}
        with logs_to_devnull():
            async with create_app(settings).start_lifespan_context():
                await produce(stack, submissions, filed)
                sent = len(filed)
                await committed(stack, sent, config.timeout)
                for mixed, enforced in [(m, e) for m in (False, True) for _ in range(ROUNDS) for e in (False, True)]:
                    policies = [
                        _signed(stack, c, "policia", policy_changed_type(SERVICE), _policy(c, enforced))
                        for c in MEMBERS
                    ]
                    await produce(stack, submissions, policies)
                    sent += len(policies)
                    await committed(stack, sent, config.timeout)
                    stream = screenings(stack, config.screenings, config.records, mixed)
                    rounds[mixed, enforced].append(await _round(stack, stream, sent, config))
                    sent += len(stream)
    rate = {key: sum(r.per_second for r in kind) / len(kind) for key, kind in rounds.items()}
    cpu = {key: sum(r.cpu_ms_per_screening for r in kind) / len(kind) for key, kind in rounds.items()}
    result = Result(
        "policy-bus",
        config.mode,
        params={"records": config.records, "screenings_per_round": config.screenings, "member_policies": len(MEMBERS)},
        figures={
            "neutral_with_policies_per_s": rate[False, True],
            "mixed_with_policies_per_s": rate[True, True],
            "neutral_with_policies_cpu_ms": cpu[False, True],
        },
        baseline={
            "neutral_baseline_only_per_s": rate[False, False],
            "mixed_baseline_only_per_s": rate[True, False],
            "neutral_baseline_only_cpu_ms": cpu[False, False],
        },
        ratio={
            "neutral_with_vs_without": ratio(rate[False, True], rate[False, False]),
            "mixed_with_vs_without": ratio(rate[True, True], rate[True, False]),
            # CPU per screening, baseline over policies: above 1 when the policies cost less, like the rate ratio.
            "neutral_cpu_without_vs_with": ratio(cpu[False, False], cpu[False, True]),
        },
        targets={"neutral_with_vs_without": TARGET_RATIO, "neutral_cpu_without_vs_with": TARGET_RATIO},
        checks={
            f"rounds_{'mixed' if m else 'neutral'}_{'policies' if e else 'baseline'}": [
                (r.per_second, r.cpu_ms_per_screening) for r in kind
            ]
            for (m, e), kind in rounds.items()
        },
    )

    def rate_row(label: str, mixed: bool) -> list[object]:
        return [label, rate[mixed, False], rate[mixed, True], ratio(rate[mixed, True], rate[mixed, False])]

    def cpu_row(label: str, mixed: bool) -> list[object]:
        return [label, cpu[mixed, False], cpu[mixed, True], ratio(cpu[mixed, False], cpu[mixed, True])]

    text = table(
        ["screening through the bus", "baseline alone", "four members' policies", "ratio (≥ 0.9: cost ≤ 10 %)"],
        [
            rate_row("neutral stream (outcomes unchanged), screenings/s", False),
            cpu_row("neutral stream, CPU ms per screening", False),
            rate_row("mixed stream (hits withheld), screenings/s", True),
            cpu_row("mixed stream, CPU ms per screening", True),
        ],
    )
    return text, result
