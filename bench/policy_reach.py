"""``python -m bench policy-reach [--quick]``: from a member's one policy change to "in force" on every service.

The four services run in process on the bench's own topics. Members send policy changes
one after another (the shipped example, then an empty text, alternately), each once, to
intel-exchange, the service that takes them. Measured for each change: the time from its
submission until each service counts it in force (``andina_policy_versions_total`` on its
/metrics, polled every 10 ms). The baseline, in the same run, is intel-exchange itself, which
puts a version in force as it takes it: what the other services add is the policies topic.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import AsyncExitStack
from dataclasses import dataclass

import httpx
from faststream.asgi import AsgiFastStream
from prometheus_client.parser import text_string_to_metric_families

from andina.alerts.app import create_app as alerts_app
from andina.contract.envelope import agency_source, unsigned_event
from andina.contract.events.catalogs.intel_exchange import POLICY_CHANGED, SERVICE
from andina.contract.topics import SUBMISSIONS
from andina.customs.app import create_app as customs_app
from andina.customs.settings import Settings as CustomsSettings
from andina.finance_trace.app import create_app as finance_app
from andina.finance_trace.settings import Settings as FinanceSettings
from andina.intel_exchange.app import create_app as intel_app
from andina.intel_exchange.settings import Settings as IntelSettings
from andina.shared.policy.members import example_text
from andina.shared.policy.network import IN_FORCE
from bench.report import Result, ratio, table
from bench.service_path import logs_to_devnull, service_settings
from bench.stack import BenchStack, add_service_keys, bench_stack, drop_databases, produce

MEMBERS = ("BO", "CO", "EC", "PE")
OTHERS = ("intel-exchange", "customs", "finance-trace")  # their keys and databases; the stack has alerts'
CEILING_S = 5.0  # the "in force on every service within 5 s"
POLL_S = 0.01


@dataclass(frozen=True)
class Config:
    mode: str
    changes: int
    timeout: float


QUICK = Config("quick", changes=8, timeout=60.0)
FULL = Config("full", changes=40, timeout=60.0)


async def _in_force(app: AsgiFastStream) -> float:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
        text = (await client.get("/metrics")).text
    samples = (s for family in text_string_to_metric_families(text) for s in family.samples)
    return sum(s.value for s in samples if s.name == "andina_policy_versions_total" and s.labels["outcome"] == IN_FORCE)


async def _reach(
    stack: BenchStack, apps: dict[str, AsgiFastStream], change: int, give_up_after: float
) -> dict[str, float]:
    """Seconds from the submission of change number ``change`` (0, 1, ...) to in force on each service."""
    country = MEMBERS[change % len(MEMBERS)]
    data = {"country": country, "policy": "" if change // len(MEMBERS) % 2 else example_text(country)}
    event = unsigned_event(type=POLICY_CHANGED, source=agency_source(country, "policia"), origin=country, data=data)
    started = time.perf_counter()
    await produce(stack, stack.topics.topic(SERVICE, SUBMISSIONS), [(country, stack.keys[country].sign(event))])
    reached: dict[str, float] = {}
    while len(reached) < len(apps):
        for name, app in apps.items():
            if name not in reached and await _in_force(app) > change:
                reached[name] = time.perf_counter() - started
        if time.perf_counter() - started > give_up_after:
            raise TimeoutError(f"change {change} in force on {sorted(reached)} only after {give_up_after} s")
        await asyncio.sleep(POLL_S)
    return reached


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(quick: bool) -> tuple[str, Result]:
    config = QUICK if quick else FULL
    async with bench_stack() as stack:
        add_service_keys(stack, OTHERS)
        common = service_settings(stack).model_dump(exclude={"http_port"})
        try:
            with logs_to_devnull():
                async with AsyncExitStack() as running:
                    apps = {
                        "intel-exchange": intel_app(IntelSettings(**common)),
                        "customs": customs_app(CustomsSettings(**common)),
                        "finance-trace": finance_app(FinanceSettings(**common)),
                        "alerts": alerts_app(service_settings(stack)),
                    }
                    for app in apps.values():
                        await running.enter_async_context(app.start_lifespan_context())
                    runs = [await _reach(stack, apps, change, config.timeout) for change in range(config.changes)]
        finally:
            await drop_databases(stack, OTHERS)
    seconds = {name: [r[name] for r in runs] for name in apps}
    every = [max(r.values()) for r in runs]
    figures = {f"{name}_p50_s": _quantile(s, 0.5) for name, s in seconds.items() if name != SERVICE}
    figures |= {"every_service_p50_s": _quantile(every, 0.5), "every_service_max_s": max(every)}
    baseline = {"intel_exchange_p50_s": _quantile(seconds[SERVICE], 0.5)}
    result = Result(
        "policy-reach",
        config.mode,
        params={"changes": config.changes, "services": len(apps)},
        figures=figures,
        baseline=baseline,
        ratio={
            "every_service_vs_intel_exchange_p50": ratio(
                figures["every_service_p50_s"], baseline["intel_exchange_p50_s"]
            )
        },
        ceilings={"every_service_max_s": CEILING_S},
    )
    rows = [[name, _quantile(s, 0.5), max(s)] for name, s in seconds.items()]
    rows.append(
        ["every service (the last of the four)", figures["every_service_p50_s"], figures["every_service_max_s"]]
    )
    text = table(["from the send to in force, s", "p50", "max"], rows)
    return text, result
