"""One plain async function per inbound event type (and per timer kind); each returns the events to emit.

They take the admitted event (or the due timer) and ``Ports``. Refusals raise ``Rejected``
before anything is written, so a refused event changes nothing. ``HANDLERS`` and ``TIMERS``
are the one registration of each event type and timer kind, ``CHECKS`` of the content rules a
handler applies first; the payload model of an event
type is the contract's (``ACCEPTS``).
"""

from __future__ import annotations

from andina.contract.events import customs as types
from andina.contract.events.catalogs.customs import MESSAGE_SENT
from andina.customs.domain.rechecks import RECHECK
from andina.customs.domain.unmatched import UNMATCHED
from andina.customs.handlers import assistance, declarations, rechecks, risk, seizures, unmatched
from andina.customs.handlers.ports import Ports
from andina.shared.fanout import message_checked, message_sent
from andina.shared.handlers import EventCheck, EventHandler, TimerHandler

HANDLERS: dict[str, EventHandler[Ports]] = {
    MESSAGE_SENT: message_sent,
    types.ASSISTANCE_REQUESTED: assistance.assistance_requested,
    types.ASSISTANCE_STATUS_UPDATED: assistance.assistance_status_updated,
    types.ASSISTANCE_ANSWERED: assistance.assistance_answered,
    types.ASSISTANCE_CLOSED: assistance.assistance_closed,
    types.SPONTANEOUS_ASSISTANCE_SENT: assistance.spontaneous_assistance_sent,
    types.SEIZURE_REPORTED: seizures.seizure_reported,
    types.DECLARATION_FILED: declarations.declaration_filed,
    types.RISK_INDICATOR_PUBLISHED: risk.risk_indicator_published,
    types.RISK_INDICATOR_WITHDRAWN: risk.risk_indicator_withdrawn,
}
# The rules on the content each handler applies first, run alone by the dry run (POST /validate).
CHECKS: dict[str, EventCheck[Ports]] = {
    MESSAGE_SENT: message_checked,
    types.ASSISTANCE_REQUESTED: assistance.request_check,
    types.SPONTANEOUS_ASSISTANCE_SENT: assistance.spontaneous_checked,
    types.SEIZURE_REPORTED: seizures.seizure_checked,
    types.DECLARATION_FILED: declarations.declaration_checked,
    types.RISK_INDICATOR_PUBLISHED: risk.indicator_checked,
}
TIMERS: dict[str, TimerHandler[Ports]] = {
    assistance.REMINDER: assistance.deadline_reminder,
    assistance.OVERDUE: assistance.deadline_passed,
    UNMATCHED: unmatched.unmatched_exports_due,
    RECHECK: rechecks.declarations_rechecked,
}
