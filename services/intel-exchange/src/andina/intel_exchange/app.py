"""The only wiring of the intel-exchange service: settings -> adapters -> Ports -> handlers -> FastStream app."""

from __future__ import annotations

from datetime import timedelta

from faststream.asgi import AsgiFastStream

from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.signals import SIGNALS
from andina.contract.published import typed_envelope
from andina.contract.topics import CHANGELOG, DELIVERIES, POLICIES
from andina.intel_exchange import SERVICE
from andina.intel_exchange.adapters.followups import FollowUps
from andina.intel_exchange.adapters.metrics import IntelMetrics
from andina.intel_exchange.adapters.record_table import RecordTable
from andina.intel_exchange.adapters.records import RecordStore
from andina.intel_exchange.adapters.reports import ReportStore
from andina.intel_exchange.adapters.traces import FirearmTraces
from andina.intel_exchange.domain.graph import EntityGraph
from andina.intel_exchange.domain.screening import ScreeningIndex
from andina.intel_exchange.handlers import CHECKS, HANDLERS, TIMERS
from andina.intel_exchange.handlers.ports import Ports
from andina.intel_exchange.settings import Settings
from andina.shared.audit import AuditTrail
from andina.shared.audit_log import AuditLog
from andina.shared.changelog import ChangelogWriter, global_table
from andina.shared.handlers import bound_routes, bound_timers
from andina.shared.outputs import Outbox
from andina.shared.policy.network import network_policies
from andina.shared.policy.versions import PolicyVersions
from andina.shared.service import ServiceDefinition, build_dependencies, service_app
from andina.shared.timers import utc_now


def create_app(settings: Settings) -> AsgiFastStream:
    deps = build_dependencies(SERVICE, settings)
    trail = AuditTrail(deps.db)
    index = ScreeningIndex(
        settings.screening_threshold,
        settings.screening_candidates,
        settings.screening_possible_threshold,
        settings.screening_possible_limit,
    )
    metrics = IntelMetrics(deps.metrics.registry)
    metrics.records.set_function(lambda: len(index))
    policies = network_policies(deps)
    policy_versions = PolicyVersions(deps.db, policies.book, deps.topics.topic(SERVICE, POLICIES))
    changes = ChangelogWriter(deps.broker, deps.topics.topic(SERVICE, CHANGELOG), deps.countries)
    records = RecordStore(deps.db, RecordTable(index, changes.note))
    shared_records = global_table(deps, records.table, changes.topic, records.latest_entries)
    followups = FollowUps(deps.db)
    reports = ReportStore(deps.db, EntityGraph(timedelta(days=settings.report_horizon_days).total_seconds()))
    traces = FirearmTraces(deps.db)
    ports = Ports(
        outbox=Outbox(SERVICE, deps.topics.topic(SERVICE, DELIVERIES), deps.topics.topic(SERVICE, SIGNALS)),
        countries=deps.countries,
        records=records,
        followups=followups,
        reports=reports,
        traces=traces,
        policies=policies.book,
        policy_versions=policy_versions,
        timers=deps.timers,
        audit=AuditLog(trail),
        metrics=metrics,
        clock=utc_now,
        urgent_trace_deadline=timedelta(hours=settings.firearm_trace_urgent_hours),
        routine_trace_deadline=timedelta(days=settings.firearm_trace_routine_days),
    )
    deps.broker.publisher(  # for the AsyncAPI document: the handler's outputs go out with every batch's
        policy_versions.topic,
        title="members' policies",
        description="Each member's policy in force, for every service (docs/policies.md).",
        schema=typed_envelope(catalog.POLICY_VERSION, catalog.POLICY_VERSIONS[catalog.POLICY_VERSION]),
    )
    definition = ServiceDefinition(
        routes=bound_routes(catalog.ACCEPTS, HANDLERS, CHECKS, ports),
        emits=catalog.EMITS,
        signals=catalog.SIGNALS,
        repositories=[policy_versions, records, followups, reports, traces],
        audit=trail,
        timers=bound_timers(TIMERS, ports),
        startup=[policies.reader.start, shared_records.start],
        background=[policies.reader.follow, shared_records.follow],
        changelogs=[changes],
    )
    return service_app(deps, definition)
