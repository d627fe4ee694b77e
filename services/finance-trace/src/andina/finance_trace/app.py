"""The only wiring of the finance-trace service: settings -> adapters -> handlers -> FastStream app."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from faststream.asgi import AsgiFastStream

from andina.finance_trace import SERVICE, handlers
from andina.finance_trace.adapters.cases import AuditLog, FindingStore, RequestStore
from andina.finance_trace.adapters.loader import StateLoader
from andina.finance_trace.adapters.metrics import FinanceMetrics
from andina.finance_trace.adapters.reports import ReportStore
from andina.finance_trace.domain.patterns.policy import DAY
from andina.finance_trace.domain.state import FinanceState
from andina.finance_trace.outputs import Outbox
from andina.finance_trace.settings import Settings
from andina.shared.audit import AuditTrail
from andina.shared.events.catalogs.finance_trace import (
    ACCEPTS,
    DETAIL_DECIDED,
    DETAIL_REQUESTED,
    EMITS,
    MESSAGE_SENT,
    REPORT_SUBMITTED,
    SIGNALS,
    TRACE_REQUESTED,
)
from andina.shared.events.signals import SIGNALS as SIGNALS_STREAM
from andina.shared.processing import Route
from andina.shared.service import ServiceDefinition, build_dependencies, service_app
from andina.shared.timers import utc_now
from andina.shared.topics import DELIVERIES


def create_app(settings: Settings) -> AsgiFastStream:
    deps = build_dependencies(SERVICE, settings)
    state = FinanceState(
        deps.countries.codes,
        settings.pattern_policy(),
        settings.finance_trace_max_edges,
        settings.finance_trace_max_answer_bytes,
        settings.finance_horizon_days * DAY,
    )
    trail = AuditTrail(deps.db)
    reports, findings, requests, audit = (
        ReportStore(deps.db),
        FindingStore(deps.db),
        RequestStore(deps.db),
        AuditLog(trail),
    )
    ports = handlers.Ports(
        state=state,
        reports=reports,
        findings=findings,
        requests=requests,
        audit=audit,
        timers=deps.timers,
        outbox=Outbox(deps.topics.topic(SERVICE, DELIVERIES), deps.topics.topic(SERVICE, SIGNALS_STREAM)),
        metrics=FinanceMetrics(deps.metrics.registry),
        rules=settings.report_rules(),
        clock=utc_now,
        trace_max_hops=settings.finance_trace_max_hops,
        answer_within=timedelta(hours=settings.finance_detail_answer_hours),
    )
    routes = {
        MESSAGE_SENT: Route(
            ACCEPTS[MESSAGE_SENT],
            partial(
                handlers.message_sent,
                countries=deps.countries,
                deliveries_topic=deps.topics.topic(SERVICE, DELIVERIES),
            ),
        ),
        REPORT_SUBMITTED: Route(ACCEPTS[REPORT_SUBMITTED], partial(handlers.report_submitted, ports=ports)),
        TRACE_REQUESTED: Route(ACCEPTS[TRACE_REQUESTED], partial(handlers.trace_requested, ports=ports)),
        DETAIL_REQUESTED: Route(ACCEPTS[DETAIL_REQUESTED], partial(handlers.detail_requested, ports=ports)),
        DETAIL_DECIDED: Route(ACCEPTS[DETAIL_DECIDED], partial(handlers.detail_decided, ports=ports)),
    }
    definition = ServiceDefinition(
        routes=routes,
        emits=EMITS,
        signals=SIGNALS,
        repositories=[reports, findings, requests],
        startup=[StateLoader(state, reports, findings, requests).load],
        audit=trail,
        timers={handlers.DETAIL_EXPIRY: partial(handlers.detail_expired, ports=ports)},
    )
    return service_app(deps, definition)
