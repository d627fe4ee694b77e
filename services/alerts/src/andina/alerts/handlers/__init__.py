"""One plain function per inbound event type and per timer kind; each returns the events to emit.

They take the event (or timer) and ``Ports``, the adapters and policies they need. ``HANDLERS``
is the one registration of an event type in the service (its payload model is the contract's,
``ACCEPTS``); ``TIMERS`` that of a timer kind.
"""

from __future__ import annotations

from andina.alerts.handlers import alerts, directory, relay, returns
from andina.alerts.handlers.ports import Ports
from andina.contract.events.catalogs import alerts as catalog
from andina.shared.fanout import message_checked, message_sent
from andina.shared.handlers import EventCheck, EventHandler, TimerHandler

HANDLERS: dict[str, EventHandler[Ports]] = {
    catalog.MESSAGE_SENT: message_sent,
    catalog.ALERT_RAISED: alerts.alert_raised,
    catalog.ALERT_UPDATED: alerts.alert_updated,
    catalog.ALERT_CLOSED: alerts.alert_closed,
    catalog.ALERT_ACKNOWLEDGED: alerts.alert_acknowledged,
    catalog.REQUEST_SUBMITTED: relay.request_submitted,
    catalog.REQUEST_ACKNOWLEDGED: relay.request_acknowledged,
    catalog.REQUEST_ANSWERED: relay.request_answered,
    catalog.REQUEST_REFUSED: relay.request_refused,
    catalog.REQUEST_CLOSED: relay.request_closed,
    catalog.DIRECTORY_UPDATED: directory.directory_updated,
    catalog.RETURN_CASE_OPENED: returns.return_case_opened,
    catalog.RETURN_RECEPTION_PROPOSED: returns.return_reception_proposed,
    catalog.RETURN_TRAVEL_PLANNED: returns.return_travel_planned,
    catalog.RETURN_TRAVEL_AGREED: returns.return_travel_agreed,
    catalog.RETURN_HANDOVER_CONFIRMED: returns.return_handover_confirmed,
    catalog.RETURN_RECEPTION_CONFIRMED: returns.return_reception_confirmed,
    catalog.RETURN_FOLLOW_UP_RECORDED: returns.return_follow_up_recorded,
    catalog.RETURN_CASE_CLOSED: returns.return_case_closed,
    catalog.RETURN_CASE_WITHDRAWN: returns.return_case_withdrawn,
}

# The rules on the content each handler applies first, run alone by the dry run (POST /validate).
CHECKS: dict[str, EventCheck[Ports]] = {
    catalog.MESSAGE_SENT: message_checked,
    catalog.ALERT_RAISED: alerts.raise_checked,
    catalog.RETURN_CASE_OPENED: returns.opening_check,
}

# Every source's ``andina.<service>.alert-requested.v1`` (payload AlertRequested), routed for the
# sources that publish signals in this deployment.
SIGNAL_HANDLER: EventHandler[Ports] = alerts.alert_requested

TIMERS: dict[str, TimerHandler[Ports]] = {
    alerts.ESCALATION: alerts.escalate,
    relay.REMINDER: relay.request_deadline,
    relay.OVERDUE: relay.request_deadline,
    returns.REMINDER: returns.return_deadline,
    returns.ESCALATION: returns.return_deadline,
    returns.DATA_REMOVAL: returns.remove_personal_data,
}
