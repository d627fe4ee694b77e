"""One plain function per inbound event type and per timer kind; each returns the events to emit.

They take the event (or timer) and ``Ports``; this is the one registration of each event
type the service accepts (its payload model comes from the contract's ``ACCEPTS``).
"""

from __future__ import annotations

from andina.contract.events.catalogs import intel_exchange as catalog
from andina.intel_exchange.handlers import records, reports, retention, screening, traces
from andina.intel_exchange.handlers.ports import Ports
from andina.shared.fanout import message_checked, message_sent
from andina.shared.handlers import EventCheck, EventHandler, TimerHandler

HANDLERS: dict[str, EventHandler[Ports]] = {
    catalog.MESSAGE_SENT: message_sent,
    catalog.RECORD_SUBMITTED: records.record_submitted,
    catalog.RECORD_WITHDRAWN: records.record_withdrawn,
    catalog.SCREENING_REQUESTED: screening.screening_requested,
    catalog.RECORD_REQUESTED: records.record_requested,
    catalog.RECORD_REQUEST_ANSWERED: records.record_request_answered,
    catalog.REPORT_SUBMITTED: reports.report_submitted,
    catalog.CONNECTIONS_REQUESTED: reports.connections_requested,
    catalog.FIREARM_TRACE_REQUESTED: traces.firearm_trace_requested,
    catalog.FIREARM_TRACE_ANSWERED: traces.firearm_trace_answered,
    catalog.POLICY_CHANGED: retention.policy_changed_retained,
}
# The rules on the content each handler applies first, run alone by the dry run (POST /validate).
CHECKS: dict[str, EventCheck[Ports]] = {
    catalog.MESSAGE_SENT: message_checked,
    catalog.RECORD_SUBMITTED: records.record_check,
    catalog.SCREENING_REQUESTED: screening.screening_checked,
    catalog.REPORT_SUBMITTED: reports.report_checked,
}
TIMERS: dict[str, TimerHandler[Ports]] = {traces.DEADLINE: traces.firearm_trace_overdue}
