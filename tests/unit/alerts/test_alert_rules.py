from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from andina.alerts.domain.alert import Alert
from andina.alerts.domain.escalation import EscalationPolicy, NextStep
from andina.contract.countries import CountryRegistry
from andina.contract.envelope import Handling
from andina.contract.events.alerts import EscalationStep, Priority
from andina.contract.events.alerts_contract import AlertRaised
from andina.contract.rejections import Reason, Rejected

NOW = datetime(2026, 11, 23, 3, 40, tzinfo=UTC)
POLICY = EscalationPolicy(
    {Priority.FLASH: timedelta(minutes=15), Priority.URGENT: timedelta(hours=2), Priority.ROUTINE: timedelta(days=1)}
)
COUNTRIES = CountryRegistry.load()


def raise_(handling: Handling = Handling.H1, **fields: object) -> Alert:
    payload = {"priority": "FLASH", "category": "vehicle", "title": "t", "facts": "f", "recipients": ["CO", "EC"]}
    raised = AlertRaised.model_validate({**payload, **fields})
    return Alert.raise_(uuid4(), "PE", raised, handling, NOW, COUNTRIES, POLICY)


def reason(action: object) -> Reason:
    with pytest.raises(Rejected) as caught:
        action()  # type: ignore[operator]
    return caught.value.reason


def test_the_acknowledgement_deadline_follows_the_priority() -> None:
    assert raise_().acknowledge_by == NOW + timedelta(minutes=15)
    assert raise_(priority="ROUTINE").acknowledge_by == NOW + timedelta(days=1)


def test_an_earlier_deadline_may_be_asked_but_not_one_in_the_past() -> None:
    assert raise_(acknowledge_by=NOW + timedelta(minutes=5)).acknowledge_by == NOW + timedelta(minutes=5)
    assert reason(lambda: raise_(acknowledge_by=NOW - timedelta(seconds=1))) is Reason.INVALID_PAYLOAD


def test_a_domestic_alert_goes_to_every_other_member_for_awareness_only() -> None:
    alert = raise_(domestic=True, recipients=["CO"])

    assert alert.recipients == ("BO", "CO", "EC")
    assert not alert.requires_ack
    assert not alert.awaiting("CO")


def test_h3_alerts_go_to_named_recipients_only_and_unknown_ones_are_refused() -> None:
    assert reason(lambda: raise_(Handling.H3, recipients="all")) is Reason.UNAUTHORIZED
    assert reason(lambda: raise_(recipients=["CO", "AR"])) is Reason.UNKNOWN_COUNTRY
    assert reason(lambda: raise_(recipients=["PE"])) is Reason.INVALID_PAYLOAD


def test_only_the_origin_updates_or_closes_and_only_recipients_acknowledge_once() -> None:
    alert = raise_()

    assert reason(lambda: alert.updated("CO", "x", None)) is Reason.UNAUTHORIZED
    assert reason(lambda: alert.closed_by("EC")) is Reason.UNAUTHORIZED
    assert reason(lambda: alert.acknowledged("BO", "x", NOW)) is Reason.UNAUTHORIZED
    acked = alert.acknowledged("CO", "Subt. Rojas", NOW)
    assert reason(lambda: acked.acknowledged("CO", "again", NOW)) is Reason.DUPLICATE
    assert not acked.awaiting("CO")
    assert acked.awaiting("EC")


def test_updates_and_closure_raise_the_revision_and_a_closed_alert_is_final() -> None:
    closed = raise_().updated("PE", "new facts", Priority.URGENT).closed_by("PE")

    assert (closed.revision, closed.priority, closed.closed) == (3, Priority.URGENT, True)
    assert not closed.awaiting("EC")
    assert reason(lambda: closed.updated("PE", "late", None)) is Reason.INVALID_PAYLOAD
    assert reason(lambda: closed.acknowledged("EC", "late", NOW)) is Reason.INVALID_PAYLOAD


def test_escalation_goes_alternate_coordinator_origin_and_repeats_as_configured() -> None:
    policy = EscalationPolicy(POLICY.deadlines, rounds=2)
    steps = []
    step: NextStep | None = policy.first()
    while step is not None:
        steps.append((policy.steps[step.index], step.round))
        step = policy.after(step)

    assert steps == [
        (EscalationStep.ALTERNATE, 0),
        (EscalationStep.COORDINATOR, 0),
        (EscalationStep.ORIGIN_NOTIFIED, 0),
        (EscalationStep.ALTERNATE, 1),
        (EscalationStep.COORDINATOR, 1),
        (EscalationStep.ORIGIN_NOTIFIED, 1),
    ]
    assert POLICY.after(NextStep(2, 0)) is None


def test_every_step_an_alert_can_reach_is_listed_so_that_closing_it_cancels_them_all() -> None:
    policy = EscalationPolicy(POLICY.deadlines, rounds=2)
    reached = []
    step: NextStep | None = policy.first()
    while step is not None:
        reached.append(step)
        step = policy.after(step)

    assert policy.every_step() == reached


def test_a_policy_without_a_deadline_for_every_priority_is_refused() -> None:
    with pytest.raises(ValueError, match="no acknowledgement deadline"):
        EscalationPolicy({Priority.FLASH: timedelta(minutes=15)})
