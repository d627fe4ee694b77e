"""Valid input for each of the four services, with the outputs each input must cause.

Used by the fault tests (tests/faults/) and the soak benchmark. Every input names the
outputs it causes as (event type, recipient) pairs, one distinct event each, all in the
input's conversation (correlation id); a reader checks them by id. ``steady`` inputs are
the everyday stream; ``timed`` ones start a deadline that falls due a few seconds later
(with the ``env`` of the service's :class:`Load`); ``setup`` inputs prepare what timed
ones need and are drained before the stream starts: their outputs are those that must have
arrived by then, in whichever conversation (which of two reports completes a pair decides it).
An input with a ``conversation`` is sent in that conversation rather than its own: both
declarations of a pair share one, so their finding is expected there whichever completes it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4, uuid5

from andina.contract.envelope import Handling
from andina.contract.events import customs as customs_types
from andina.contract.events.catalogs.customs import ALERT_REQUESTED as CUSTOMS_ALERT_REQUESTED
from andina.contract.events.catalogs.intel_exchange import SCREENING_ANSWERED, SCREENING_REQUESTED
from andina.contract.events.customs.declarations import DECLARATION_EXAMPLE
from andina.deploy.demo_finance_trace import BANKS, account
from bench.output_log import Key

COUNTRIES = ("BO", "CO", "EC", "PE")
# Deadlines of timed inputs, in seconds: short enough to fall due while a test kills the service.
DEADLINE = 4.0
# Seconds intel-exchange and finance-trace hold reports and transfers (a year and more in
# service): a long run sees what it sent pass the horizon, so what they hold stays bounded.
HORIZON = 360.0
# Person records each country files again and again (their screening index keeps every version
# until a look drops the replaced ones), with the surnames they are filed under.
RECORDS_PER_OWNER = 250
SURNAMES = ("Quispe", "Mamani", "Condori", "Huamán", "Flores", "Choque", "Apaza", "Ticona")
# The people officers screen: nobody files them, and they share no name with the records above,
# so every answer is a no-hit whatever the index holds when the query is handled.
STRANGERS = (("Wilber", "Ccahuana"), ("Nely", "Yupanqui"), ("Rimber", "Huillca"), ("Ninoska", "Sirpa"))
# What makes this run's declaration numbers and conversations its own: a number filed again is refused.
RUN = uuid4()


def event_type(service: str, name: str) -> str:
    return f"andina.{service}.{name}.v1"


def expected_outputs(sent: Iterable[tuple[str, Input]], later_only: bool = False) -> Counter[Key]:
    """The outputs the inputs sent (event id, input) must cause: all, or those of their deadlines only."""
    expected: Counter[Key] = Counter()
    for event_id, item in sent:  # the input's conversation, for one that has its own
        outputs = item.later if later_only else (*item.outputs, *item.later)
        expected.update((event_id, output_type, recipient) for output_type, recipient in outputs)
    return expected


@dataclass(frozen=True)
class Input:
    sender: str
    type: str
    data: dict[str, Any]
    outputs: tuple[tuple[str, str], ...]
    later: tuple[tuple[str, str], ...] = ()  # caused by the deadline the input starts, when it falls due
    handling: Handling = Handling.H1
    conversation: UUID | None = None  # sent in this conversation (correlation id), not in one of its own


@dataclass(frozen=True)
class Load:
    service: str
    steady: Callable[[int], Input]
    timed: Callable[[int], Input]
    env: dict[str, str] = field(default_factory=dict)
    setup: Callable[[int], list[Input]] = lambda count: []
    # The steady stream with pairs of inputs in one conversation (customs: declarations), for a driver that sends
    # each input in its ``conversation`` (the kill test). Which input of a pair completes it depends on the order
    # they are handled in, so its outputs are expected in the pair's conversation; the other drivers send neither.
    paired_steady: Callable[[int], Input] | None = None


def pair(i: int) -> tuple[str, str]:
    """A sender and one other country as recipient, every ordered pair in turn."""
    sender = COUNTRIES[i % 4]
    return sender, COUNTRIES[(i % 4 + 1 + (i // 4) % 3) % 4]


def _alert(i: int, priority: str) -> tuple[str, str, dict[str, Any]]:
    sender, recipient = pair(i)
    data = {
        "priority": priority,
        "category": "vehicle",
        "title": f"Vehículo robado {i}",
        "facts": "Camioneta blanca, placa ABC-123, vista cruzando el paso fronterizo.",
        "recipients": [recipient],
    }
    return sender, recipient, data


def alerts_steady(i: int) -> Input:
    sender, recipient, data = _alert(i, "ROUTINE")
    t = event_type("alerts", "alert-raised")
    return Input(sender, t, data, ((event_type("alerts", "alert-delivered"), recipient),))


def alerts_timed(i: int) -> Input:
    """A FLASH alert nobody acknowledges: alternate, coordinator, then the origin is told it failed."""
    sender, recipient, data = _alert(i, "FLASH")
    escalated = (event_type("alerts", "alert-escalated"), recipient)
    later = (escalated, escalated, (event_type("alerts", "delivery-failed"), sender))
    delivered = (event_type("alerts", "alert-delivered"), recipient)
    return Input(sender, event_type("alerts", "alert-raised"), data, (delivered,), later)


def intel_steady(i: int) -> Input:
    """In turn, a report for one other country, a person record its owner files again, and a screening."""
    return (_intel_report, _intel_record, _screening)[i % 3](i // 3)


def _intel_report(i: int) -> Input:
    sender, recipient = pair(i)
    data = {
        "reference": f"INF-2026-{i}",
        "subject": "Envíos por Tumbes",
        "topic": "drug-trafficking",
        "body": "Camiones de fruta desde Tumbes hacia Huaquillas.",
        "evaluation": "B2",
        "recipients": [recipient],
        "entities": [{"kind": "phone", "value": f"+51 987 {i:06d}", "role": "contact"}],
    }
    delivered = event_type("intel-exchange", "report-delivered")
    return Input(sender, event_type("intel-exchange", "report-submitted"), data, ((delivered, recipient),))


def _intel_record(i: int) -> Input:
    """A new version of one of an owner's few records: a long run churns the screening index."""
    owner, number = COUNTRIES[i % 4], (i // 4) % RECORDS_PER_OWNER
    data = {
        "record_id": f"{owner}-SOAK-{number}",
        "owner": owner,
        "agency": "policia",
        "record_type": "warrant",
        "given_names": ["Rosa", "Juan Carlos", "María", "Efraín"][number % 4 : number % 4 + 1],
        "paternal_surname": SURNAMES[number % 8],
        "maternal_surname": SURNAMES[number // 8 % 8],
        "date_of_birth": f"{1960 + number % 40}-{1 + number % 12:02d}-{1 + i % 28:02d}",
        "share_with": "all",
        "requested_action": "discreet-check",
        "review_date": "2027-06-01",
    }
    acknowledged = event_type("intel-exchange", "person-record-acknowledged")
    return Input(owner, event_type("intel-exchange", "person-record-submitted"), data, ((acknowledged, owner),))


def _screening(i: int) -> Input:
    """An officer's signed query at a border crossing; the sealed answer goes to the asker alone."""
    asker = COUNTRIES[i % 4]
    given, surname = STRANGERS[i // 4 % 4]
    data = {
        "given_names": [given],
        "paternal_surname": surname,
        "maternal_surname": STRANGERS[(i // 4 + 1) % 4][1],
        "date_of_birth": f"{1970 + i % 30}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "documents": [{"type": "national-id", "number": f"HA{i:08d}", "issuing_country": asker}],
        "place": "Desaguadero",
        "purpose": "border-control",
    }
    return Input(asker, SCREENING_REQUESTED, data, ((SCREENING_ANSWERED, asker),))


def intel_timed(i: int) -> Input:
    """An urgent firearm trace nobody answers: the requester and the silent country are told."""
    sender, asked = pair(i)
    data = {
        "make": "Glock",
        "model": "17",
        "serial_number": f"BXK-{i}",
        "caliber": "9x19mm",
        "country_of_seizure": sender,
        "recipients": [asked],
        "urgent": True,
    }
    overdue = event_type("intel-exchange", "firearm-trace-overdue")
    received = (event_type("intel-exchange", "firearm-trace-received"), asked)
    later = ((overdue, sender), (overdue, asked))
    return Input(sender, event_type("intel-exchange", "firearm-trace-requested"), data, (received,), later)


def _assistance(i: int, urgency: str) -> tuple[str, str, dict[str, Any]]:
    sender, requested = pair(i)
    data = {
        "requested": requested,
        "subject": {
            "companies": [{"name": "Minera Aurífera del Sur S.A.C.", "tax_id": "20601234567", "country": sender}],
            "goods": [{"hs_code": "710812", "description": "Oro en bruto", "quantity": "120.5", "unit": "kg"}],
            "declarations": [{"country": requested, "number": f"2026-201-C-{i}"}],
        },
        "legal_basis": "Decisión 478 de la CAN, art. 5",
        "facts": "La exportación declara 120,5 kg de oro; la importación declarada parece menor.",
        "actions": ["verify-declaration"],
        "urgency": urgency,
        "reference": f"IA-2026-{i}",
    }
    return sender, requested, data


def customs_steady(i: int) -> Input:
    sender, requested, data = _assistance(i, "routine")
    delivered = event_type("customs", "assistance-request-delivered")
    return Input(
        sender, event_type("customs", "assistance-requested"), data, ((delivered, requested),), handling=Handling.H2
    )


def customs_cross_checked(i: int) -> Input:
    """Every fourth input a declaration: in turn the export of a pair and, four inputs later, its import."""
    if i % 4 != 1:
        return customs_steady(i)
    pair_number, is_import = divmod(i // 4, 2)
    return _declaration(pair_number, bool(is_import))


def _declaration(k: int, is_import: bool) -> Input:
    """Pair ``k``'s export of gold, or its import 30 % lighter: a critical discrepancy for both ends, and an
    alert in the importer's name. Its parties and transport document are its own, so no pair meets another's
    declarations, by document nor by score, whatever the order they are handled in."""
    exporter, importer = pair(k)
    sender, partner = (importer, exporter) if is_import else (exporter, importer)
    weight, quantity = ("84.7", "84.2") if is_import else ("121.0", "120.5")
    data = {
        **DECLARATION_EXAMPLE,
        "flow": "import" if is_import else "export",
        "number": f"{'IM' if is_import else 'EX'}-{RUN.hex[:8]}-{k}",
        "partner": partner,
        "declarant": {"name": f"Agencia {sender}", "tax_id": f"{sender}-AG", "country": sender},
        "consignor": {"name": f"Minera Remitente {k:05d}", "tax_id": f"C-{RUN.hex[:8]}-{k}", "country": exporter},
        "consignee": {"name": f"Fundición Destinataria {k:05d}", "tax_id": f"D-{RUN.hex[:8]}-{k}", "country": importer},
        "gross_weight_kg": weight,
        "quantity": quantity,
        "transport_document": f"AWB {RUN.hex[:8]}-{k}",
    }
    found = customs_types.DECLARATION_DISCREPANCY
    outputs = ((found, exporter), (found, importer), (CUSTOMS_ALERT_REQUESTED, importer)) if is_import else ()
    conversation = uuid5(RUN, f"customs-pair-{k}")
    return Input(sender, customs_types.DECLARATION_FILED, data, outputs, (), Handling.H2, conversation)


def customs_timed(i: int) -> Input:
    """An urgent request left unanswered: both administrations are told it is overdue."""
    sender, requested, data = _assistance(i, "urgent")
    overdue = event_type("customs", "assistance-overdue")
    delivered = (event_type("customs", "assistance-request-delivered"), requested)
    later = ((overdue, sender), (overdue, requested))
    return Input(sender, event_type("customs", "assistance-requested"), data, (delivered,), later, Handling.H2)


def _wire(sender: str, source: dict[str, str], target: dict[str, str], reference: str) -> dict[str, Any]:
    transaction = {
        "reference": reference,
        "time": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
        "amount": "2500",
        "currency": "USD",
        "channel": "wire",
        "from_account": source,
        "to_account": target,
    }
    return {"kind": "cross-border", "reporting_entity": BANKS[sender], "transactions": [transaction]}


def finance_steady(i: int) -> Input:
    """A wire between accounts seen nowhere else: the reporting FIU gets its receipt only."""
    sender, other = pair(i)
    data = _wire(sender, account(sender, f"S-{i}-a"), account(other, f"S-{i}-b"), f"TX-S-{i}")
    recorded = event_type("finance-trace", "report-recorded")
    return Input(sender, event_type("finance-trace", "report-submitted"), data, ((recorded, sender),))


def finance_setup(count: int) -> list[Input]:
    """PE and CO both report the account pair of each timed request, so PE may ask CO about it."""
    submitted, recorded = (
        event_type("finance-trace", "report-submitted"),
        event_type("finance-trace", "report-recorded"),
    )
    shared = event_type("finance-trace", "subject-shared")
    inputs = []
    for k in range(count):
        pe, co = account("PE", f"D-{k}-pe"), account("CO", f"D-{k}-co")
        inputs.append(Input("PE", submitted, _wire("PE", pe, co, f"TX-D-{k}-1"), ((recorded, "PE"),)))
        inputs.append(Input("CO", submitted, _wire("CO", co, pe, f"TX-D-{k}-2"), ((recorded, "CO"), (shared, "PE"))))
    return inputs


def finance_timed(k: int) -> Input:
    """PE asks CO for details of a shared account; CO stays silent and the request expires."""
    data = {"subject": account("CO", f"D-{k}-co")["ref"], "owner": "CO", "purpose": f"ROS {k}"}
    received = (event_type("finance-trace", "detail-request-received"), "CO")
    expired = (event_type("finance-trace", "detail-answered"), "PE")
    return Input("PE", event_type("finance-trace", "detail-requested"), data, (received,), (expired,))


def _seconds_as_hours(seconds: float) -> str:
    return str(seconds / 3600)


def _seconds_as_days(seconds: float) -> str:
    return str(seconds / 86_400)


LOADS = {
    "alerts": Load("alerts", alerts_steady, alerts_timed, {"ANDINA_ACK_DEADLINE_FLASH": str(DEADLINE)}),
    "intel-exchange": Load(
        "intel-exchange",
        intel_steady,
        intel_timed,
        {
            "ANDINA_FIREARM_TRACE_URGENT_HOURS": _seconds_as_hours(DEADLINE),
            "ANDINA_REPORT_HORIZON_DAYS": _seconds_as_days(HORIZON),
        },
    ),
    "customs": Load(
        "customs",
        customs_steady,
        customs_timed,
        {
            "ANDINA_CUSTOMS_ASSISTANCE_URGENT_HOURS": _seconds_as_hours(DEADLINE),
            "ANDINA_CUSTOMS_ASSISTANCE_REMINDER_HOURS": "[]",
        },
        paired_steady=customs_cross_checked,
    ),
    "finance-trace": Load(
        "finance-trace",
        finance_steady,
        finance_timed,
        {
            "ANDINA_FINANCE_DETAIL_ANSWER_HOURS": _seconds_as_hours(DEADLINE),
            "ANDINA_FINANCE_HORIZON_DAYS": _seconds_as_days(HORIZON),
        },
        finance_setup,
    ),
}
