"""The 24/7 network's figures, by origin, recipient and priority (or urgency)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry

from andina.shared.metrics import Declare

ACK_BUCKETS = (5, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400)


class AlertsMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        declare = Declare(registry)
        self.raised = declare.counter("andina_alerts_raised", "Alerts raised", ("origin", "priority", "category"))
        self.delivered = declare.counter(
            "andina_alerts_delivered",
            "Alert deliveries to a recipient country (new, updated, closed, escalated)",
            ("origin", "recipient", "priority"),
        )
        self.acknowledged = declare.counter(
            "andina_alerts_acknowledged", "Acknowledgements", ("origin", "recipient", "priority")
        )
        self.ack_latency = declare.histogram(
            "andina_alerts_acknowledgement_seconds",
            "Time from raising an alert to a recipient's acknowledgement",
            ("priority",),
            buckets=ACK_BUCKETS,
        )
        self.escalations = declare.counter(
            "andina_alerts_escalations",
            "Escalation steps taken for unacknowledged alerts",
            ("recipient", "priority", "step"),
        )
        self.deadlines_missed = declare.counter(
            "andina_alerts_deadlines_missed",
            "Recipients that had not acknowledged by the deadline",
            ("recipient", "priority"),
        )
        self.signals = declare.counter(
            "andina_alerts_signals",
            "Signals from other services, by whether a rule raised an alert",
            ("service", "signal", "raised"),
        )
        self.requests_submitted = declare.counter(
            "andina_requests_submitted", "Relayed requests", ("requester", "counterpart", "urgency")
        )
        self.requests_open = declare.gauge("andina_requests_open", "Requests neither answered, refused nor closed")
        self.requests_settled = declare.counter(
            "andina_requests_settled",
            "Requests answered or refused, and whether in time",
            ("requester", "counterpart", "urgency", "outcome", "in_time"),
        )
        self.requests_overdue = declare.counter(
            "andina_requests_overdue", "Requests past their deadline", ("requester", "counterpart", "urgency")
        )


DAYS_BUCKETS = (7, 14, 30, 60, 90, 180, 365)


class ReturnMetrics:
    """The observatory's figures of assisted returns, by corridor (destination-origin): no personal data."""

    def __init__(self, registry: CollectorRegistry) -> None:
        declare = Declare(registry)
        self.opened = declare.counter("andina_returns_opened", "Return cases opened", ("corridor", "age_group"))
        self.ended = declare.counter("andina_returns_ended", "Return cases closed or withdrawn", ("corridor", "status"))
        self.days_to_return = declare.histogram(
            "andina_returns_days_to_return",
            "Days from the victim's identification to the reception in the origin country",
            ("corridor",),
            buckets=DAYS_BUCKETS,
        )
        self.steps_late = declare.counter(
            "andina_returns_steps_late",
            "Steps of return cases past their deadline, by the country whose step it was",
            ("corridor", "step", "responsible"),
        )
        self.follow_ups = declare.counter(
            "andina_returns_follow_ups", "Follow-ups recorded after a return", ("corridor", "day")
        )
