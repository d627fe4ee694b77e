"""Request relay between contact points, the directory, and refusals, on the real stack."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from andina.alerts.settings import Settings
from andina.contract.client import AgencyClient
from andina.contract.topics import DEAD_LETTER
from tests.e2e.alerts.conftest import Reader, running

pytestmark = pytest.mark.integration

T = "andina.alerts.{}.v1".format
REQUEST = {
    "to": "PE",
    "subject": "Movimientos migratorios de Juan Mamani Quispe, DNI 40123456",
    "legal_basis": "Decisión 505 CAN",
    "requesting_authority": "Fiscalía Departamental de La Paz",
}


async def test_a_request_answered_in_time_goes_back_only_to_the_requester_and_another_goes_overdue(
    alerts_settings: Settings, agencies: dict[str, AgencyClient], inbox: Reader
) -> None:
    bo, pe = agencies["BO"], agencies["PE"]
    answered = bo.event(T("request-submitted"), {**REQUEST, "urgency": "urgent"})
    forgotten = bo.event(T("request-submitted"), {**REQUEST, "urgency": "normal", "subject": "Otra consulta"})

    async with running(alerts_settings):
        await bo.submit("alerts", answered)
        await inbox("PE", 1)
        await pe.submit(
            "alerts", pe.event(T("request-acknowledged"), {"request_id": str(answered.id), "by": "INTERPOL Lima"})
        )
        await pe.submit(
            "alerts", pe.event(T("request-answered"), {"request_id": str(answered.id), "answer": "Salió el 20/11"})
        )
        await bo.submit("alerts", forgotten)
        # normal requests are due in 2 s here: a reminder to PE, then an overdue notice to both.
        to_pe = await inbox("PE", 4, within=30)
        to_bo = await inbox("BO", 3, within=30)
        others = [await inbox(c, 1, within=0.5) for c in ("CO", "EC")]

    answers = [e for e in to_bo if e.type == T("request-update")]
    assert [(e.data["status"], e.data["in_time"]) for e in answers] == [("in-progress", None), ("answered", True)]
    assert answers[1].data["answer"] == "Salió el 20/11"
    assert {e.correlationid for e in answers} == {answered.id}
    assert [e.data["status"] for e in to_pe if e.type == T("request-update")] == ["received", "received"]
    assert all(e.data.get("answer") is None for e in to_pe)
    deadlines = [(e.data["request_id"], e.data["overdue"]) for e in to_pe + to_bo if e.type == T("request-deadline")]
    assert sorted(deadlines) == sorted(
        [(str(forgotten.id), False), (str(forgotten.id), True), (str(forgotten.id), True)]
    )
    assert others == [[], []]


async def test_a_country_changes_only_its_own_directory_entry_and_every_member_hears_of_it(
    alerts_settings: Settings, agencies: dict[str, AgencyClient], inbox: Reader
) -> None:
    entry = {
        "coordinator": {"agency": "Mininter", "post": "DGCO", "languages": ["es"], "time_zone": "America/Lima"},
        "primary": {"agency": "PNP", "post": "Nuevo punto 24/7", "languages": ["es"], "time_zone": "America/Lima"},
        "alternate": {"agency": "PNP", "post": "DIRINCRI", "languages": ["es"], "time_zone": "America/Lima"},
    }

    async with running(alerts_settings):
        await agencies["PE"].submit(
            "alerts", agencies["PE"].event(T("directory-updated"), {"country": "PE", "entry": entry})
        )
        await agencies["PE"].submit(
            "alerts", agencies["PE"].event(T("directory-updated"), {"country": "CO", "entry": entry})
        )
        heard = {c: await inbox(c, 1) for c in ("BO", "CO", "EC")}
        to_pe = await inbox("PE", 2)

    for events in heard.values():
        assert [(e.type, e.data["country"], e.data["version"]) for e in events] == [(T("directory-changed"), "PE", 2)]
    assert to_pe[0].data["entry"]["primary"]["post"] == "Nuevo punto 24/7"
    assert (to_pe[1].type, to_pe[1].data["reason"]) == (T("event-rejected"), "unauthorized")


async def test_bad_alert_input_is_refused_to_the_sender_and_dead_lettered_and_changes_nothing(
    alerts_settings: Settings, agencies: dict[str, AgencyClient], inbox: Reader
) -> None:
    pe, co = agencies["PE"], agencies["CO"]
    flash = {"priority": "FLASH", "category": "vehicle", "title": "Camioneta robada", "facts": "ABC-123"}
    past = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    raised = pe.event(T("alert-raised"), {**flash, "recipients": ["EC"]})
    bad_from_pe = [
        pe.event(T("alert-raised"), {**flash, "recipients": ["AR"]}),
        pe.event(T("alert-raised"), {**flash, "recipients": ["CO"], "acknowledge_by": past}),
        pe.event(T("request-submitted"), {**REQUEST, "to": "CO", "urgency": "urgent", "answer_by": past}),
    ]

    async with running(alerts_settings):
        for event in [raised, *bad_from_pe]:
            await pe.submit("alerts", event)
        await inbox("EC", 1)
        await co.submit("alerts", co.event(T("alert-acknowledged"), {"alert_id": str(raised.id), "by": "x"}))
        await co.submit("alerts", co.event(T("alert-acknowledged"), {"alert_id": str(bad_from_pe[0].id), "by": "x"}))
        ack = agencies["EC"].event(T("alert-acknowledged"), {"alert_id": str(raised.id), "by": "Cbop. J. Guamán"})
        await agencies["EC"].submit("alerts", ack)
        await agencies["EC"].submit("alerts", ack)  # the same event again
        to_pe = await inbox("PE", 4)
        to_co = await inbox("CO", 2)
        to_ec = await inbox("EC", 2)
        dead = await inbox("PE", 3, stream=DEAD_LETTER)

    refusals = [(e.data["event_id"], e.data["reason"]) for e in to_pe if e.type == T("event-rejected")]
    assert refusals == [
        (str(bad_from_pe[0].id), "unknown-country"),
        (str(bad_from_pe[1].id), "invalid-payload"),
        (str(bad_from_pe[2].id), "invalid-payload"),
    ]
    assert [e.data["reason"] for e in to_co] == ["unauthorized", "not-found"]
    assert [e.type for e in to_pe if e.type != T("event-rejected")] == [T("acknowledgement-received")]
    assert [e.type for e in to_ec] == [T("alert-delivered"), T("event-rejected")]
    assert to_ec[1].data["reason"] == "duplicate"
    assert [dict(r.headers)["andina-dlq-reason"] for r in dead] == [
        b"unknown-country",
        b"invalid-payload",
        b"invalid-payload",
    ]
