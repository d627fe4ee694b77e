"""A member changes its own policy only, in force at once; a bad text leaves the version in force;
every attempt is audited. And every event type the service accepts has exactly one handler."""

from __future__ import annotations

import pytest

from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.messages import DirectedMessage
from andina.contract.events.policies import PolicyChange
from andina.contract.rejections import Reason, Rejected
from andina.intel_exchange.handlers import HANDLERS, TIMERS
from andina.intel_exchange.handlers.traces import DEADLINE
from andina.shared.policy.handler import policy_changed
from andina.shared.policy.members import example_text
from tests.fakes import delivered_to
from tests.unit.intel_exchange.fakes import Fakes
from tests.unit.intel_exchange.samples import ARMY, BY_DOCUMENT, filed, person, screened, sent

CO_POLICY = PolicyChange(country="CO", policy=example_text("CO"), note="Ley 1581")


async def army_hits(fakes: Fakes) -> list[str]:
    _, answer = await screened(fakes, "PE", BY_DOCUMENT, ARMY)
    return [h["record_id"] for h in answer["hits"]]


async def test_a_members_change_is_accepted_as_its_next_version_and_in_force_at_once() -> None:
    fakes = Fakes()
    await filed(fakes, person("CO-9"))
    before = await army_hits(fakes)

    outputs = await policy_changed(sent(catalog.POLICY_CHANGED, CO_POLICY, "CO"), fakes.ports)

    assert delivered_to(outputs, catalog.POLICY_ACCEPTED) == {
        "CO": {"country": "CO", "version": 1, "policy_ids": ["CO@v1/co-no-person-records-to-military"]}
    }
    [published] = [o for o in outputs if o.attributes["type"] == catalog.POLICY_VERSION]
    assert (published.topic, published.recipient) == (fakes.policy_versions.topic, "CO")
    assert published.attributes["data"] == {
        "country": "CO",
        "version": 1,
        "policy": CO_POLICY.policy,
        "note": "Ley 1581",
    }
    assert (before, await army_hits(fakes)) == (["CO-9"], [])
    assert [(p.country, p.version, note) for p, note in fakes.policy_versions.kept] == [("CO", 1, "Ley 1581")]
    changed = fakes.audited("policy-changed")
    assert (changed["subject"], changed["why"], changed["rules"]) == (
        "CO@v1",
        "Ley 1581",
        "CO@v1/co-no-person-records-to-military",
    )
    again = await policy_changed(sent(catalog.POLICY_CHANGED, CO_POLICY, "CO"), fakes.ports)
    assert delivered_to(again, catalog.POLICY_ACCEPTED)["CO"]["version"] == 2


@pytest.mark.parametrize(
    ("origin", "text", "reason", "detail"),
    [
        ("EC", example_text("CO"), Reason.UNAUTHORIZED, "only CO may change CO's policy, not EC"),
        (
            "CO",
            'forbid (principal, action == Action::"delete", resource);',
            Reason.INVALID_PAYLOAD,
            "the version in force stays",
        ),
    ],
    ids=["another-members", "a-bad-text"],
)
async def test_a_change_refused_is_audited_and_the_version_in_force_stays(
    origin: str, text: str, reason: Reason, detail: str
) -> None:
    fakes = Fakes()
    await policy_changed(sent(catalog.POLICY_CHANGED, CO_POLICY, "CO"), fakes.ports)
    change = PolicyChange(country="CO", policy=text)

    with pytest.raises(Rejected) as refused:
        await policy_changed(sent(catalog.POLICY_CHANGED, change, origin), fakes.ports)

    assert refused.value.reason is reason
    assert refused.value.detail.endswith(detail)
    assert fakes.audited("policy-refused")["actor"] == origin
    assert fakes.audited("policy-refused")["subject"] == "CO"
    assert fakes.policies.engine.members["CO"].version == 1


def test_every_accepted_event_type_has_one_handler_and_the_trace_deadline_its_timer() -> None:
    assert set(HANDLERS) == set(catalog.ACCEPTS)
    assert set(TIMERS) == {DEADLINE}


async def test_a_message_goes_to_each_named_member() -> None:
    message = DirectedMessage(subject="Alerta", body="Camión en Tumbes", recipients=["CO", "EC"])

    outputs = await HANDLERS[catalog.MESSAGE_SENT](sent(catalog.MESSAGE_SENT, message, "PE"), Fakes().ports)

    assert sorted(delivered_to(outputs, catalog.MESSAGE_DELIVERED)) == ["CO", "EC"]
