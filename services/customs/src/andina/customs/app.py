"""The only wiring of the customs service: settings -> adapters -> Ports -> handlers -> FastStream app."""

from __future__ import annotations

import datetime as dt
from functools import partial

from faststream.asgi import AsgiFastStream

from andina.contract.events.catalogs.customs import ACCEPTS, EMITS, SIGNALS
from andina.contract.events.signals import SIGNALS as SIGNALS_STREAM
from andina.contract.topics import CHANGELOG, DELIVERIES
from andina.customs import SERVICE
from andina.customs.adapters.assistance import CaseStore
from andina.customs.adapters.cross_check_state import CrossCheckState
from andina.customs.adapters.declarations import DeclarationStore
from andina.customs.adapters.indicators import IndicatorStore
from andina.customs.adapters.metrics import CustomsMetrics
from andina.customs.adapters.reference import load_hs_table, load_rates
from andina.customs.adapters.seizures import SeizureStore
from andina.customs.domain.rechecks import RecheckSlots
from andina.customs.domain.unmatched import UnmatchedSlots
from andina.customs.handlers import CHECKS, HANDLERS, TIMERS
from andina.customs.handlers.declarations import restore_reported
from andina.customs.handlers.ports import Ports
from andina.customs.settings import Settings
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
    rules = settings.finding_rules()
    trail = AuditTrail(deps.db)
    hs = load_hs_table(settings.customs_hs_table_file)
    changes = ChangelogWriter(deps.broker, deps.topics.topic(SERVICE, CHANGELOG), deps.countries)
    state = CrossCheckState(settings.match_policy(), rules, hs, utc_now, changes.note)
    declarations, cases, seizures, indicators = (
        DeclarationStore(deps.db, state.declarations),
        CaseStore(deps.db),
        SeizureStore(deps.db),
        IndicatorStore(deps.db),
    )
    policies = network_policies(deps)
    ports = Ports(
        countries=deps.countries,
        hs=hs,
        rates=load_rates(settings.customs_currency_rates_file, dt.timedelta(days=settings.customs_max_rate_age_days)),
        rules=rules,
        assistance_deadlines=settings.deadline_policy(),
        seizure_quantity_tolerance=settings.customs_seizure_quantity_tolerance,
        longest_indicator=dt.timedelta(days=settings.customs_indicator_max_days),
        declarations=declarations,
        cases=cases,
        seizures=seizures,
        indicator_store=indicators,
        pending=state.declarations.pending,
        scored=state.declarations.scored,
        indicators=state.indicators.index,
        event_time=state.watermarks.event_time,
        unmatched=UnmatchedSlots(rules.unmatched_fallback),
        rechecks=RecheckSlots(),
        reported=state.reported.revisions,
        timers=deps.timers,
        audit=AuditLog(trail),
        outbox=Outbox(SERVICE, deps.topics.topic(SERVICE, DELIVERIES), deps.topics.topic(SERVICE, SIGNALS_STREAM)),
        metrics=CustomsMetrics(deps.metrics.registry),
        policies=policies.book,
        clock=utc_now,
    )
    ports.metrics.watch(lambda: len(ports.pending), lambda: len(ports.indicators))
    shared_state = global_table(deps, state.tables, changes.topic, partial(state.from_store, declarations, indicators))
    return service_app(
        deps,
        ServiceDefinition(
            routes=bound_routes(ACCEPTS, HANDLERS, CHECKS, ports),
            emits=EMITS,
            signals=SIGNALS,
            repositories=[declarations, cases, seizures, indicators],
            timers=bound_timers(TIMERS, ports),
            startup=[policies.reader.start, shared_state.start, partial(restore_reported, ports)],
            audit=trail,
            background=[policies.reader.follow, shared_state.follow],
            changelogs=[changes],
        ),
    )
