"""The only wiring of the finance-trace service: settings -> adapters -> handlers -> FastStream app."""

from __future__ import annotations

from datetime import timedelta

from faststream.asgi import AsgiFastStream

from andina.contract.events.catalogs.finance_trace import ACCEPTS, EMITS, SIGNALS
from andina.contract.events.signals import SIGNALS as SIGNALS_STREAM
from andina.contract.topics import CHANGELOG, DELIVERIES
from andina.finance_trace import SERVICE
from andina.finance_trace.adapters.cases import FindingStore, RequestStore
from andina.finance_trace.adapters.graph_table import SNAPSHOT_FORMAT, GraphTable, SharedFinanceState, from_store
from andina.finance_trace.adapters.loader import StateLoader
from andina.finance_trace.adapters.metrics import FinanceMetrics
from andina.finance_trace.adapters.reports import ReportStore
from andina.finance_trace.domain.patterns.policy import DAY
from andina.finance_trace.handlers import CHECKS, HANDLERS, TIMERS, Ports
from andina.finance_trace.settings import Settings
from andina.shared.audit import AuditTrail
from andina.shared.audit_log import AuditLog
from andina.shared.changelog import ChangelogWriter, global_table
from andina.shared.handlers import bound_routes, bound_timers
from andina.shared.outputs import Outbox
from andina.shared.policy.network import network_policies
from andina.shared.service import ServiceDefinition, build_dependencies, service_app
from andina.shared.timers import utc_now


def create_app(settings: Settings) -> AsgiFastStream:
    deps = build_dependencies(SERVICE, settings)
    policies = network_policies(deps)  # the members' policies in force here, for finance-trace's decisions
    changes = ChangelogWriter(deps.broker, deps.topics.topic(SERVICE, CHANGELOG), deps.countries)
    state = SharedFinanceState(
        deps.countries.codes,
        settings.pattern_policy(),
        settings.finance_trace_max_edges,
        settings.finance_trace_max_answer_bytes,
        settings.finance_horizon_days * DAY,
        note=changes.note,
    )
    metrics = FinanceMetrics(deps.metrics.registry)
    # What the instance holds at each scrape, whichever instance's reports brought it.
    metrics.graph_transfers.set_function(lambda: len(state.graph))
    metrics.graph_accounts.set_function(lambda: len(state.graph.nodes))
    metrics.findings_held.set_function(lambda: len(state.revisions))
    metrics.disclosures_held.set_function(lambda: len(state.disclosures))
    trail = AuditTrail(deps.db)
    reports, findings, requests = ReportStore(deps.db), FindingStore(deps.db), RequestStore(deps.db)
    ports = Ports(
        state=state,
        reports=reports,
        findings=findings,
        requests=requests,
        audit=AuditLog(trail),
        timers=deps.timers,
        outbox=Outbox(SERVICE, deps.topics.topic(SERVICE, DELIVERIES), deps.topics.topic(SERVICE, SIGNALS_STREAM)),
        countries=deps.countries,
        metrics=metrics,
        rules=settings.report_rules(),
        policies=policies.book,
        clock=utc_now,
        trace_max_hops=settings.finance_trace_max_hops,
        answer_within=timedelta(hours=settings.finance_detail_answer_hours),
    )
    shared_state = global_table(
        deps,
        GraphTable(state),
        changes.topic,
        lambda: from_store(state, reports, findings, requests, utc_now().timestamp()),
        SNAPSHOT_FORMAT,
    )
    definition = ServiceDefinition(
        routes=bound_routes(ACCEPTS, HANDLERS, CHECKS, ports),
        emits=EMITS,
        signals=SIGNALS,
        repositories=[reports, findings, requests],
        startup=[policies.reader.start, shared_state.start, StateLoader(state).load],
        background=[policies.reader.follow, shared_state.follow],
        changelogs=[changes],
        audit=trail,
        timers=bound_timers(TIMERS, ports),
    )
    return service_app(deps, definition)
