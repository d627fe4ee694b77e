"""The only wiring of the intel-exchange service: settings -> adapters -> handlers -> FastStream app."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial

from faststream.asgi import AsgiFastStream

from andina.intel_exchange import SERVICE, handlers, policy_handlers, report_handlers
from andina.intel_exchange.adapters.audit import AuditLog
from andina.intel_exchange.adapters.followups import FollowUps
from andina.intel_exchange.adapters.metrics import IntelMetrics
from andina.intel_exchange.adapters.record_table import RecordTable
from andina.intel_exchange.adapters.records import RecordStore
from andina.intel_exchange.adapters.reports import ReportStore
from andina.intel_exchange.adapters.traces import DEADLINE, FirearmTraces
from andina.intel_exchange.domain import catalog
from andina.intel_exchange.domain.graph import EntityGraph
from andina.intel_exchange.domain.screening import ScreeningIndex
from andina.intel_exchange.settings import Settings
from andina.shared.audit import AuditTrail
from andina.shared.changelog import ChangelogWriter, global_table
from andina.shared.events.signals import SIGNALS
from andina.shared.policy.book import PolicyBook
from andina.shared.processing import Route
from andina.shared.publishing import Outgoing
from andina.shared.service import ServiceDefinition, build_dependencies, service_app
from andina.shared.timers import utc_now
from andina.shared.topics import CHANGELOG, DELIVERIES

Bindable = Callable[..., Awaitable[list[Outgoing]]]


def create_app(settings: Settings) -> AsgiFastStream:
    deps = build_dependencies(SERVICE, settings)
    deliveries_topic = deps.topics.topic(SERVICE, DELIVERIES)
    trail = AuditTrail(deps.db)
    audit = AuditLog(trail)
    index = ScreeningIndex(
        settings.screening_threshold,
        settings.screening_candidates,
        settings.screening_possible_threshold,
        settings.screening_possible_limit,
    )
    metrics = IntelMetrics(deps.metrics.registry)
    metrics.records.set_function(lambda: len(index))
    policies = PolicyBook(deps.db, SERVICE, deps.metrics.registry)
    changes = ChangelogWriter(deps.broker, deps.topics.topic(SERVICE, CHANGELOG), deps.countries)
    records = RecordStore(deps.db, RecordTable(index, changes.note))
    shared_records = global_table(deps, records.table, changes.topic, records.latest_entries)
    ports = handlers.Ports(
        countries=deps.countries,
        deliveries_topic=deliveries_topic,
        signals_topic=deps.topics.topic(SERVICE, SIGNALS),
        records=records,
        followups=FollowUps(deps.db),
        audit=audit,
        metrics=metrics,
        clock=utc_now,
        policies=policies,
    )
    intel_ports = report_handlers.IntelPorts(
        countries=deps.countries,
        deliveries_topic=deliveries_topic,
        reports=ReportStore(deps.db, EntityGraph(timedelta(days=settings.report_horizon_days).total_seconds())),
        traces=FirearmTraces(deps.db, deps.timers),
        audit=audit,
        policies=policies,
        urgent_deadline=timedelta(hours=settings.firearm_trace_urgent_hours),
        routine_deadline=timedelta(days=settings.firearm_trace_routine_days),
    )
    banco: dict[str, Bindable] = {
        catalog.RECORD_SUBMITTED: handlers.record_submitted,
        catalog.RECORD_WITHDRAWN: handlers.record_withdrawn,
        catalog.SCREENING_REQUESTED: handlers.screening_requested,
        catalog.RECORD_REQUESTED: handlers.record_requested,
        catalog.RECORD_REQUEST_ANSWERED: handlers.record_request_answered,
    }
    intelligence: dict[str, Bindable] = {
        catalog.REPORT_SUBMITTED: report_handlers.report_submitted,
        catalog.CONNECTIONS_REQUESTED: report_handlers.connections_requested,
        catalog.FIREARM_TRACE_REQUESTED: report_handlers.firearm_trace_requested,
        catalog.FIREARM_TRACE_ANSWERED: report_handlers.firearm_trace_answered,
    }
    routes = {t: Route(catalog.ACCEPTS[t], partial(h, ports=ports)) for t, h in banco.items()}
    routes |= {t: Route(catalog.ACCEPTS[t], partial(h, ports=intel_ports)) for t, h in intelligence.items()}
    routes[catalog.MESSAGE_SENT] = Route(
        catalog.ACCEPTS[catalog.MESSAGE_SENT],
        partial(handlers.message_sent, countries=deps.countries, deliveries_topic=deliveries_topic),
    )
    routes[catalog.POLICY_CHANGED] = Route(
        catalog.ACCEPTS[catalog.POLICY_CHANGED],
        partial(policy_handlers.policy_changed, policies=policies, audit=audit, deliveries_topic=deliveries_topic),
    )
    definition = ServiceDefinition(
        routes=routes,
        emits=catalog.EMITS,
        signals=catalog.SIGNALS,
        repositories=[policies, ports.records, ports.followups, intel_ports.reports, intel_ports.traces],
        audit=trail,
        timers={DEADLINE: partial(report_handlers.firearm_trace_overdue, ports=intel_ports)},
        startup=[shared_records.start],
        background=[policies.keep_refreshed, shared_records.follow],
        changelogs=[changes],
    )
    return service_app(deps, definition)
