"""The only wiring of the alerts service: settings -> adapters -> handlers -> FastStream app."""

from __future__ import annotations

from functools import partial
from typing import Any

import orjson
from faststream.asgi import AsgiFastStream, AsgiResponse, get

from andina.alerts import SERVICE
from andina.alerts.adapters.audit import AuditLog
from andina.alerts.adapters.metrics import AlertsMetrics, ReturnMetrics
from andina.alerts.adapters.repositories import AlertRepository, DirectoryRepository, RequestRepository
from andina.alerts.adapters.returns import ReturnRepository
from andina.alerts.adapters.urgency import urgent_raise
from andina.alerts.domain.rules import SignalRule
from andina.alerts.handlers import alerts, directory, messages, relay, returns
from andina.alerts.handlers.ports import Ports
from andina.alerts.settings import Settings
from andina.shared.audit import AuditTrail
from andina.shared.events.alerts import Priority
from andina.shared.events.catalogs import alerts as c
from andina.shared.events.signals import SIGNALS, AlertRequested, Severity, alert_requested_type
from andina.shared.processing import Route
from andina.shared.service import ServiceDefinition, build_dependencies, service_app
from andina.shared.timers import utc_now
from andina.shared.topics import DELIVERIES


def load_rules(settings: Settings) -> list[SignalRule]:
    raw = orjson.loads(settings.signal_rules_file.read_bytes())
    return [
        SignalRule(r["service"], r["signal"], Severity(r["min_severity"]), Priority(r["priority"]))
        for r in raw["rules"]
    ]


def create_app(settings: Settings) -> AsgiFastStream:
    deps = build_dependencies(SERVICE, settings)
    trail = AuditTrail(deps.db)
    ports = Ports(
        alerts=AlertRepository(deps.db),
        requests=RequestRepository(deps.db),
        directory=DirectoryRepository(deps.db),
        timers=deps.timers,
        metrics=AlertsMetrics(deps.metrics.registry),
        countries=deps.countries,
        deliveries_topic=deps.topics.topic(SERVICE, DELIVERIES),
        escalation=settings.escalation(),
        request_deadlines=settings.request_deadlines(),
        reminder_at=settings.request_reminder_at,
        rules=load_rules(settings),
        clock=utc_now,
        returns=ReturnRepository(deps.db),
        return_metrics=ReturnMetrics(deps.metrics.registry),
        return_deadlines=settings.return_deadlines(),
        audit=AuditLog(trail),
    )
    handlers: dict[str, Any] = {
        c.MESSAGE_SENT: messages.message_sent,
        c.ALERT_RAISED: alerts.alert_raised,
        c.ALERT_UPDATED: alerts.alert_updated,
        c.ALERT_CLOSED: alerts.alert_closed,
        c.ALERT_ACKNOWLEDGED: alerts.alert_acknowledged,
        c.REQUEST_SUBMITTED: relay.request_submitted,
        c.REQUEST_ACKNOWLEDGED: relay.request_acknowledged,
        c.REQUEST_ANSWERED: relay.request_answered,
        c.REQUEST_REFUSED: relay.request_refused,
        c.REQUEST_CLOSED: relay.request_closed,
        c.DIRECTORY_UPDATED: directory.directory_updated,
        c.RETURN_CASE_OPENED: returns.return_case_opened,
        c.RETURN_RECEPTION_PROPOSED: returns.return_reception_proposed,
        c.RETURN_TRAVEL_PLANNED: returns.return_travel_planned,
        c.RETURN_TRAVEL_AGREED: returns.return_travel_agreed,
        c.RETURN_HANDOVER_CONFIRMED: returns.return_handover_confirmed,
        c.RETURN_RECEPTION_CONFIRMED: returns.return_reception_confirmed,
        c.RETURN_FOLLOW_UP_RECORDED: returns.return_follow_up_recorded,
        c.RETURN_CASE_CLOSED: returns.return_case_closed,
        c.RETURN_CASE_WITHDRAWN: returns.return_case_withdrawn,
    }
    routes = {t: Route(c.ACCEPTS[t], partial(h, ports=ports)) for t, h in handlers.items()}
    signal_sources = [s for s in c.SIGNAL_SOURCES if SIGNALS in deps.topics.streams.get(s, ())]
    for source in signal_sources:
        routes[alert_requested_type(source)] = Route(AlertRequested, partial(alerts.alert_requested, ports=ports))

    @get(include_in_schema=False)
    async def directory_route(scope: Any) -> AsgiResponse:
        listing = await directory.directory_listing(ports)
        return AsgiResponse(orjson.dumps(listing), 200, headers={"content-type": "application/json"})

    return service_app(
        deps,
        ServiceDefinition(
            routes=routes,
            emits=c.EMITS,
            consumes=[deps.topics.topic(s, SIGNALS) for s in signal_sources],
            repositories=[ports.alerts, ports.requests, ports.directory, ports.returns],
            timers={
                alerts.ESCALATION: partial(alerts.escalate, ports=ports),
                relay.REMINDER: partial(relay.request_deadline, ports=ports),
                relay.OVERDUE: partial(relay.request_deadline, ports=ports),
                returns.REMINDER: partial(returns.return_deadline, ports=ports),
                returns.ESCALATION: partial(returns.return_deadline, ports=ports),
                returns.DATA_REMOVAL: partial(returns.remove_personal_data, ports=ports),
            },
            startup=[partial(directory.load_directory, directory.read_directory_file(settings.directory_file), ports)],
            http_routes=[("/directory", directory_route)],
            audit=trail,
            programmes=c.PROGRAMMES,
            urgent=urgent_raise,
        ),
    )
