"""One plain function per inbound event type and per timer kind; each returns the events to emit.

Each checks its input first (raising :class:`~andina.contract.rejections.Rejected`, nothing
changed), then writes to the store, then changes the in-memory state, then says what to emit.
Every output goes to one named FIU's partition: the sender, or the FIUs a finding rests on,
never others. This is the one registration of an event type (its payload model is the
contract's ``ACCEPTS``) and of a timer kind.
"""

from __future__ import annotations

from andina.contract.events.catalogs.finance_trace import (
    DETAIL_DECIDED,
    DETAIL_REQUESTED,
    MESSAGE_SENT,
    REPORT_SUBMITTED,
    TRACE_REQUESTED,
)
from andina.finance_trace.handlers.details import (
    DETAIL_EXPIRY,
    decision_checked,
    detail_decided,
    detail_expired,
    detail_requested,
)
from andina.finance_trace.handlers.ports import Ports
from andina.finance_trace.handlers.reports import report_checked, report_submitted
from andina.finance_trace.handlers.traces import trace_checked, trace_requested
from andina.shared.fanout import message_checked, message_sent
from andina.shared.handlers import EventCheck, EventHandler, TimerHandler

HANDLERS: dict[str, EventHandler[Ports]] = {
    MESSAGE_SENT: message_sent,
    REPORT_SUBMITTED: report_submitted,
    TRACE_REQUESTED: trace_requested,
    DETAIL_REQUESTED: detail_requested,
    DETAIL_DECIDED: detail_decided,
}
# The rules on the content each handler applies first, run alone by the dry run (POST /validate).
CHECKS: dict[str, EventCheck[Ports]] = {
    MESSAGE_SENT: message_checked,
    REPORT_SUBMITTED: report_checked,
    TRACE_REQUESTED: trace_checked,
    DETAIL_DECIDED: decision_checked,
}
TIMERS: dict[str, TimerHandler[Ports]] = {DETAIL_EXPIRY: detail_expired}

__all__ = ["CHECKS", "HANDLERS", "TIMERS", "Ports"]
