"""Who may move a mutual-assistance request where, and when it is due."""

import datetime as dt
from uuid import uuid4

import pytest

from andina.contract.events.customs.assistance import RequestStatus, Urgency
from andina.contract.rejections import Reason, Rejected
from andina.customs.domain.assistance import Case, DeadlinePolicy

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
S = RequestStatus


def case(status: RequestStatus = S.SUBMITTED) -> Case:
    return Case(uuid4(), "PE", "BO", status, NOW + dt.timedelta(days=7), uuid4())


@pytest.mark.parametrize(
    ("current", "new"),
    [
        (S.SUBMITTED, S.ACKNOWLEDGED),
        (S.ACKNOWLEDGED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.ANSWERED),
        (S.IN_PROGRESS, S.PARTIALLY_ANSWERED),
        (S.PARTIALLY_ANSWERED, S.ANSWERED),
        (S.ACKNOWLEDGED, S.REFUSED),
    ],
)
def test_the_requested_administration_moves_its_request_forward(current: S, new: S) -> None:
    assert case(current).reply("BO", new) is current


@pytest.mark.parametrize(
    ("current", "new"),
    [(S.ANSWERED, S.ACKNOWLEDGED), (S.REFUSED, S.ANSWERED), (S.CLOSED, S.IN_PROGRESS), (S.IN_PROGRESS, S.ACKNOWLEDGED)],
)
def test_a_request_does_not_move_backwards_or_out_of_a_final_status(current: S, new: S) -> None:
    with pytest.raises(Rejected) as refused:
        case(current).reply("BO", new)

    assert refused.value.reason is Reason.INVALID_PAYLOAD


@pytest.mark.parametrize("sender", ["EC", "PE"])
def test_only_the_requested_administration_replies(sender: str) -> None:
    with pytest.raises(Rejected, match=f"{sender} received no assistance request") as refused:
        case().reply(sender, S.ANSWERED)

    assert refused.value.reason is Reason.UNAUTHORIZED


def test_only_the_requester_closes() -> None:
    assert case(S.ANSWERED).close("PE") is S.ANSWERED
    for sender in ("BO", "EC"):
        with pytest.raises(Rejected):
            case(S.ANSWERED).close(sender)


def test_a_request_without_deadline_gets_the_one_of_its_urgency() -> None:
    policy = DeadlinePolicy(urgent=dt.timedelta(hours=24), routine=dt.timedelta(days=30))

    assert policy.deadline(Urgency.URGENT, None, NOW) == NOW + dt.timedelta(hours=24)
    assert policy.deadline(Urgency.ROUTINE, None, NOW) == NOW + dt.timedelta(days=30)


def test_a_deadline_already_past_is_refused() -> None:
    with pytest.raises(Rejected, match="already passed"):
        DeadlinePolicy().deadline(Urgency.ROUTINE, NOW - dt.timedelta(minutes=1), NOW)


def test_reminders_come_before_the_deadline_and_those_already_past_are_skipped() -> None:
    policy = DeadlinePolicy(reminders_before=(dt.timedelta(hours=48), dt.timedelta(hours=4)))
    deadline = NOW + dt.timedelta(hours=10)

    assert policy.reminders(deadline, NOW) == [deadline - dt.timedelta(hours=4)]
