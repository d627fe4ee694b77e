"""``python -m bench bus``: relaying signed events on the local broker, three ways, one run.

(a) raw aiokafka relay, no decoding: the transport ceiling;
(b) the same relay doing by hand the per-event work of a service (admit, seal, re-sign);
(c) the real alerts service (FastStream, store inbox, metrics, logs).
Plus envelope admission per second on one core, beside bare PyNaCl verification.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from andina.contract.events.messages import MessageDelivered
from andina.contract.sealing import DeliveryOpener
from bench.envelopes import Rate, envelope_rates, gate_for
from bench.outputs import Window, measured_window, read_back, record_count, wait_for_outputs
from bench.relays import Work, forward, relay, service_work
from bench.report import Result, ratio, table
from bench.service_path import logs_to_devnull, service_app
from bench.stack import SERVICE, BenchStack, bench_stack, produce, recipients_opener, signed_submissions


@dataclass(frozen=True)
class Config:
    mode: str
    events: int
    warmup: int
    envelope_seconds: float
    stage_timeout: float

    @property
    def total(self) -> int:
        return self.events + self.warmup


QUICK = Config("quick", events=5_000, warmup=1_000, envelope_seconds=0.5, stage_timeout=40.0)
FULL = Config("full", events=50_000, warmup=5_000, envelope_seconds=3.0, stage_timeout=1_800.0)


@dataclass(frozen=True)
class Stage:
    label: str
    window: Window
    wall_seconds: float
    outputs: list[tuple[int, bytes | None, bytes]]


async def _measure(stack: BenchStack, label: str, target: str, config: Config, wall: float) -> Stage:
    records = await read_back(stack.bootstrap, target, stack.topics.partitions)
    window = measured_window([timestamp for timestamp, _, _ in records], config.warmup, config.events)
    return Stage(label, window, wall, records)


async def relay_stage(stack: BenchStack, label: str, stream: str, work: Work, config: Config) -> Stage:
    target = stack.bench_topic(stream)
    stop = asyncio.Event()
    task = asyncio.create_task(relay(stack, stack.submissions, target, stack.group(stream), work, stop))
    try:
        wall = await wait_for_outputs(
            stack.bootstrap, target, stack.topics.partitions, config.total, config.stage_timeout, task
        )
    finally:
        stop.set()
        await task
    return await _measure(stack, label, target, config, wall)


async def service_stage(stack: BenchStack, config: Config) -> Stage:
    with logs_to_devnull():
        app = service_app(stack)
        async with app.start_lifespan_context():
            wall = await wait_for_outputs(
                stack.bootstrap, stack.deliveries, stack.topics.partitions, config.total, config.stage_timeout
            )
    label = "(c) alerts service: FastStream + gate + inbox + seal + re-sign"
    return await _measure(stack, label, stack.deliveries, config, wall)


def delivered_ids(stage: Stage, openers: dict[str, DeliveryOpener]) -> set[str]:
    """Ids of the delivered events, each opened by its recipient (the service key must verify)."""
    ids = set()
    for _, key, value in stage.outputs:
        event = recipients_opener(openers, key).open(value)
        MessageDelivered.model_validate(event.data)
        ids.add(str(event.id))
    return ids


async def run(quick: bool) -> tuple[str, Result]:
    config = QUICK if quick else FULL
    async with bench_stack() as stack:
        started = time.perf_counter()
        events = signed_submissions(stack, config.total)
        await produce(stack, stack.submissions, events)
        prepared = time.perf_counter() - started
        rates = envelope_rates(stack, events[:2_000], config.envelope_seconds)
        raw = await relay_stage(stack, "(a) raw aiokafka relay, no decoding", "relay-raw", forward, config)
        gate = gate_for(stack)
        work_fn = service_work(gate, stack.keys[SERVICE], stack, stack.bench_topic("relay-work"))
        work = await relay_stage(stack, "(b) raw relay + Gate.admit + seal + re-sign", "relay-work", work_fn, config)
        service = await service_stage(stack, config)
        dead = await record_count(stack.bootstrap, stack.dead_letters, stack.topics.partitions)
        openers = stack.openers()
        same_ids = delivered_ids(work, openers) == delivered_ids(service, openers)
    return _report(config, prepared, rates, raw, work, service, dead, same_ids)


def _report(
    config: Config, prepared: float, rates: list[Rate], raw: Stage, work: Stage, service: Stage, dead: int, same: bool
) -> tuple[str, Result]:
    a, b, c = raw.window.per_second, work.window.per_second, service.window.per_second
    nacl, zebra, envelope, admit = (r.per_cpu_second for r in rates[:4])
    result = Result(
        name="bus",
        mode=config.mode,
        params={"events": config.events, "warmup": config.warmup, "body_chars": 300, "recipients_per_event": 1},
        figures={
            "service_relay_msgs_per_s": c,
            "work_relay_msgs_per_s": b,
            "raw_relay_msgs_per_s": a,
            "service_relay_first_tenth_msgs_per_s": service.window.first,
            "service_relay_last_tenth_msgs_per_s": service.window.last,
            "envelopes_verified_per_s": envelope,
            "events_admitted_per_s": admit,
        },
        baseline={
            "work_relay_msgs_per_s": b,
            "raw_relay_msgs_per_s": a,
            "nacl_verify_per_s": nacl,
            "zebra_verify_per_s": zebra,
        },
        ratio={
            "service_vs_work": ratio(c, b),
            "work_vs_raw": ratio(b, a),
            "envelopes_vs_nacl_verify": ratio(envelope, nacl),
            "envelopes_vs_zebra_verify": ratio(envelope, zebra),
        },
        targets={"service_vs_work": 0.5, "envelopes_verified_per_s": 15_000},
        checks={
            "outputs": {"raw": len(raw.outputs), "work": len(work.outputs), "service": len(service.outputs)},
            "service_dead_letters": dead,
            "work_and_service_deliveries_have_same_ids": same,
            "deliveries_opened_and_verified": len(work.outputs) + len(service.outputs),
        },
    )
    relays = table(
        ["relay", "msgs/s", "vs (b)", "first 10%", "last 10%", "window s", "stage s"],
        [
            [
                s.label,
                s.window.per_second,
                ratio(s.window.per_second, b),
                s.window.first,
                s.window.last,
                s.window.seconds,
                s.wall_seconds,
            ]
            for s in (raw, work, service)
        ],
    )
    envelopes = table(
        ["one core, no Kafka", "per CPU s", "per wall s", "vs nacl"],
        [[r.name, r.per_cpu_second, r.per_wall_second, ratio(r.per_cpu_second, nacl)] for r in rates],
    )
    met = result.targets_met()
    text = "\n".join(
        [
            f"bench bus ({config.mode}): {config.events:,} signed events relayed after {config.warmup:,} warm-up, "
            f"local broker; input prepared in {prepared:.1f} s",
            "",
            relays,
            "",
            f"(c)/(b) = {ratio(c, b):.2f}  (target >= 0.5: {'met' if met['service_vs_work'] else 'NOT met'})",
            f"(b)/(a) = {ratio(b, a):.2f}",
            "",
            envelopes,
            "",
            f"envelopes decoded+validated+verified: {envelope:,.0f}/s on one core "
            f"(target >= 15,000: {'met' if met['envelopes_verified_per_s'] else 'NOT met'}); "
            f"{ratio(envelope, zebra):.2f} of bare ed25519-zebra verify, {ratio(envelope, nacl):.2f} of bare PyNaCl",
            f"checks: outputs {len(raw.outputs):,}/{len(work.outputs):,}/{len(service.outputs):,}, "
            f"service dead letters {dead}, (b) and (c) deliveries same ids: {same}",
        ]
    )
    return text, result
