"""The only wiring of the customs service: settings -> adapters -> handlers -> FastStream app."""

from __future__ import annotations

import datetime as dt
from functools import partial

from faststream.asgi import AsgiFastStream

from andina.customs import SERVICE
from andina.customs.adapters.assistance import CaseStore
from andina.customs.adapters.audit import AuditLog
from andina.customs.adapters.declarations import DeclarationStore
from andina.customs.adapters.indicators import IndicatorStore
from andina.customs.adapters.metrics import CustomsMetrics
from andina.customs.adapters.reference import load_hs_table, load_rates
from andina.customs.adapters.seizures import SeizureStore
from andina.customs.adapters.unmatched import UNMATCHED, UnmatchedDeadlines
from andina.customs.domain.event_time import EventTime
from andina.customs.domain.matching import PendingIndex, ScoredPairs
from andina.customs.domain.risk import IndicatorIndex
from andina.customs.handlers import assistance, declarations, messages, risk, seizures
from andina.customs.outputs import Emitter
from andina.customs.settings import Settings
from andina.shared.audit import AuditTrail
from andina.shared.events import customs as types
from andina.shared.events.catalogs.customs import ACCEPTS, EMITS, MESSAGE_SENT, SIGNALS
from andina.shared.events.customs.declarations import Flow
from andina.shared.events.signals import SIGNALS as SIGNALS_STREAM
from andina.shared.processing import Handler, Route
from andina.shared.service import ServiceDefinition, build_dependencies, service_app
from andina.shared.topics import DELIVERIES


def create_app(settings: Settings) -> AsgiFastStream:
    deps = build_dependencies(SERVICE, settings)
    rules = settings.finding_rules()
    hs = load_hs_table(settings.customs_hs_table_file)
    rates = load_rates(settings.customs_currency_rates_file, dt.timedelta(days=settings.customs_max_rate_age_days))
    metrics = CustomsMetrics(deps.metrics.registry)
    emitter = Emitter(deps.topics.topic(SERVICE, DELIVERIES), deps.topics.topic(SERVICE, SIGNALS_STREAM))
    trail = AuditTrail(deps.db)
    audit = AuditLog(trail)
    declaration_store = DeclarationStore(deps.db)
    risk_desk = risk.RiskDesk(
        hs=hs,
        indicators=IndicatorIndex(),
        store=IndicatorStore(deps.db),
        longest=dt.timedelta(days=settings.customs_indicator_max_days),
    )
    cross_checks = declarations.CrossChecks(
        countries=deps.countries,
        hs=hs,
        rates=rates,
        rules=rules,
        pending=PendingIndex(settings.match_policy()),
        scored=ScoredPairs(settings.match_policy()),
        indicators=risk_desk.indicators,
        store=declaration_store,
        event_time=EventTime(rules.unmatched_after, rules.allowed_lateness),
        deadlines=UnmatchedDeadlines(deps.timers, rules.unmatched_fallback),
        audit=audit,
        emitter=emitter,
        metrics=metrics,
    )
    assistance_desk = assistance.AssistanceDesk(
        countries=deps.countries,
        hs=hs,
        cases=CaseStore(deps.db),
        timers=deps.timers,
        policy=settings.deadline_policy(),
        audit=audit,
        emitter=emitter,
        metrics=metrics,
    )
    seizure_desk = seizures.SeizureDesk(
        countries=deps.countries,
        hs=hs,
        rates=rates,
        seizures=SeizureStore(deps.db),
        quantity_tolerance=settings.customs_seizure_quantity_tolerance,
        audit=audit,
        emitter=emitter,
        metrics=metrics,
    )
    metrics.watch(lambda: len(cross_checks.pending), lambda: len(cross_checks.indicators))

    handlers: dict[str, Handler] = {
        MESSAGE_SENT: partial(
            messages.message_sent, countries=deps.countries, deliveries_topic=deps.topics.topic(SERVICE, DELIVERIES)
        ),
        types.DECLARATION_FILED: partial(declarations.declaration_filed, ports=cross_checks),
        types.ASSISTANCE_REQUESTED: partial(assistance.assistance_requested, desk=assistance_desk),
        types.ASSISTANCE_STATUS_UPDATED: partial(assistance.assistance_status_updated, desk=assistance_desk),
        types.ASSISTANCE_ANSWERED: partial(assistance.assistance_answered, desk=assistance_desk),
        types.ASSISTANCE_CLOSED: partial(assistance.assistance_closed, desk=assistance_desk),
        types.SPONTANEOUS_ASSISTANCE_SENT: partial(assistance.spontaneous_assistance_sent, desk=assistance_desk),
        types.SEIZURE_REPORTED: partial(seizures.seizure_reported, desk=seizure_desk),
        types.RISK_INDICATOR_PUBLISHED: partial(risk.risk_indicator_published, desk=risk_desk),
        types.RISK_INDICATOR_WITHDRAWN: partial(risk.risk_indicator_withdrawn, desk=risk_desk),
    }
    routes = {event_type: Route(ACCEPTS[event_type], handler) for event_type, handler in handlers.items()}

    async def load_memory() -> None:
        """Rebuild the in-memory indexes from the store before the first event is consumed."""
        now = cross_checks.clock()
        kept = await declaration_store.pending(now - rules.retention, hs)
        cross_checks.event_time.restore(kept.latest_declared)
        for declaration in kept.pending:
            cross_checks.pending.add(declaration)
            if declaration.flow is Flow.EXPORT:
                cross_checks.event_time.watch(declaration)
        for indicator in await risk_desk.store.live(now.date()):
            risk_desk.indicators.add(indicator)

    app = service_app(
        deps,
        ServiceDefinition(
            routes=routes,
            emits=EMITS,
            signals=SIGNALS,
            repositories=[declaration_store, assistance_desk.cases, seizure_desk.seizures, risk_desk.store],
            audit=trail,
            timers={
                UNMATCHED: partial(declarations.unmatched_exports_due, ports=cross_checks),
                assistance.REMINDER: partial(assistance.deadline_due, desk=assistance_desk, overdue=False),
                assistance.OVERDUE: partial(assistance.deadline_due, desk=assistance_desk, overdue=True),
            },
        ),
    )
    app.on_startup(load_memory)
    return app
