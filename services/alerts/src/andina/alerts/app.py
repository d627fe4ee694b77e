"""The only wiring of the alerts service: settings -> adapters -> handlers -> FastStream app."""

from __future__ import annotations

from functools import partial
from typing import Any

import orjson
from faststream.asgi import AsgiFastStream, AsgiResponse, get

from andina.alerts import SERVICE
from andina.alerts.adapters.data_files import read_directory_file, read_signal_rules
from andina.alerts.adapters.metrics import AlertsMetrics, ReturnMetrics
from andina.alerts.adapters.repositories import AlertRepository, DirectoryRepository, RequestRepository
from andina.alerts.adapters.returns import ReturnRepository
from andina.alerts.adapters.urgency import urgent_raise
from andina.alerts.handlers import CHECKS, HANDLERS, SIGNAL_HANDLER, TIMERS
from andina.alerts.handlers.directory import directory_listing, load_directory
from andina.alerts.handlers.ports import Ports
from andina.alerts.settings import Settings
from andina.contract.events.catalogs import alerts as c
from andina.contract.events.signals import SIGNALS, AlertRequested, alert_requested_type
from andina.contract.topics import DELIVERIES
from andina.shared.audit import AuditTrail
from andina.shared.audit_log import AuditLog
from andina.shared.handlers import bound_routes, bound_timers, in_unit_of_work
from andina.shared.outputs import Outbox
from andina.shared.policy.network import network_policies
from andina.shared.service import ServiceDefinition, build_dependencies, service_app
from andina.shared.timers import utc_now


def create_app(settings: Settings) -> AsgiFastStream:
    deps = build_dependencies(SERVICE, settings)
    policies = network_policies(deps)  # the members' policies in force here, for alerts' decisions
    trail = AuditTrail(deps.db)
    alerts, requests, directory = AlertRepository(deps.db), RequestRepository(deps.db), DirectoryRepository(deps.db)
    returns = ReturnRepository(deps.db)
    ports = Ports(
        alerts=alerts,
        requests=requests,
        directory=directory,
        returns=returns,
        timers=deps.timers,
        audit=AuditLog(trail),
        clock=utc_now,
        outbox=Outbox(SERVICE, deps.topics.topic(SERVICE, DELIVERIES)),
        countries=deps.countries,
        metrics=AlertsMetrics(deps.metrics.registry),
        return_metrics=ReturnMetrics(deps.metrics.registry),
        escalation=settings.escalation(),
        request_deadlines=settings.request_deadlines(),
        request_reminder_at=settings.request_reminder_at,
        rules=read_signal_rules(settings.signal_rules_file),
        return_deadlines=settings.return_deadlines(),
        policies=policies.book,
    )
    signal_sources = [s for s in c.SIGNAL_SOURCES if SIGNALS in deps.topics.streams.get(s, ())]
    signal_types = [alert_requested_type(source) for source in signal_sources]
    routes = bound_routes(
        {**c.ACCEPTS, **dict.fromkeys(signal_types, AlertRequested)},
        {**HANDLERS, **dict.fromkeys(signal_types, SIGNAL_HANDLER)},
        CHECKS,
        ports,
    )

    @get(include_in_schema=False)
    async def directory_route(scope: Any) -> AsgiResponse:
        listing = await directory_listing(ports)
        return AsgiResponse(orjson.dumps(listing), 200, headers={"content-type": "application/json"})

    return service_app(
        deps,
        ServiceDefinition(
            routes=routes,
            emits=c.EMITS,
            consumes=[deps.topics.topic(s, SIGNALS) for s in signal_sources],
            repositories=[alerts, requests, directory, returns],
            timers=bound_timers(TIMERS, ports),
            startup=[
                policies.reader.start,
                in_unit_of_work(partial(load_directory, read_directory_file(settings.directory_file)), ports),
            ],
            http_routes=[("/directory", directory_route)],
            audit=trail,
            programmes=c.PROGRAMMES,
            urgent=urgent_raise,
            background=[policies.reader.follow],
        ),
    )
