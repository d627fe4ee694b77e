"""``andina demo``: the README's scenario against the running stack, scene by scene.

The bus itself (a signed message delivered to its recipient only, a malformed record
dead-lettered with its reason), then each service's own scene.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from andina.deploy import (
    demo_alerts,
    demo_bus,
    demo_customs,
    demo_finance_trace,
    demo_intel_exchange,
    demo_observatory,
    demo_policies,
)
from andina.deploy.console import console, done, info
from andina.deploy.settings import Endpoints, StackSettings

SCENES: list[Callable[[Endpoints, float], Awaitable[None]]] = [
    demo_bus.run,
    demo_alerts.run,
    demo_intel_exchange.run,
    demo_policies.run,
    demo_customs.run,
    demo_finance_trace.run,
    demo_observatory.run,
]


async def run(settings: StackSettings, ends: Endpoints, patience: float = 30.0) -> None:
    if ends.agency_tls is not None:
        info(
            f"the countries' agencies connect over TLS (SASL_SSL {ends.agency_tls.bootstrap_servers}), "
            f"checking the broker's certificate against {ends.agency_tls.ca_file}"
        )
    for scene in SCENES:
        await scene(ends, patience)
    done("demo passed")

    console.print("\nWhere to look next:")
    for spec in ends.andina.topics().services:
        port = settings.service_port(spec)
        console.print(f"  {spec:15} http://127.0.0.1:{port}/metrics   http://127.0.0.1:{port}/health")
    console.print(
        f"  Prometheus UI   http://127.0.0.1:{settings.prometheus_port}/ "
        "(try: andina_dead_letters_total, andina_events_published_total)"
    )
