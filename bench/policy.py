"""``python -m bench policy [--quick]``: how long one decision under the members' Cedar policies takes.

The engine holds the baseline and the four shipped member policies (BO, CO, EC, PE). The
requests are the mix of every flow the services decide (screenings, hits, full records,
reports, customs findings, firearm traces, finance detail and transfers, alerts, return
cases, directed messages, filing, retention). Each is timed as one Cedar evaluation
(``PolicyEngine.evaluate``: entities built, schema-checked, evaluated over the baseline, the
owner's and the recipient's policies), never answered from the engine's memory of decisions;
then as the services ask (``PolicyEngine.decide``, which remembers a decision by asker, owner
and attributes, not by a record's id, so most of the mix is answered from memory). Measured
as wall time and as the thread's CPU time (which a busy machine's preemption does not
inflate), beside a baseline measured in the same loop: the same rules written as Python
conditions, whose p99 shows how much of a tail is the machine rather than the engine.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from andina.shared.policy.engine import Agency, Member, PolicyEngine, Resource, Service
from andina.shared.policy.members import MemberPolicy, example_text
from andina.shared.policy.registry import AgencyRegistry
from bench.report import Result, ratio, table

QUICK_DECISIONS, FULL_DECISIONS = 5_000, 50_000
MEMBERS = ("BO", "CO", "EC", "PE")
ASKERS = (Agency("PE", "ejercito"), Agency("PE", "dirincri"), Agency("CO", "dijin"), Agency("BO", "felcn"))
RECORD_TYPES = ("warrant", "deportation", "missing-person")
MIX = (
    ("screen",) * 3
    + ("receive-hit",) * 2
    + (
        "receive-record",
        "receive-report",
        "receive-finding",
        "ask-trace",
        "receive-detail",
        "receive-transfers",
        "receive-alert",
        "receive-return-case",
        "receive-message",
        "file",
        "keep",
    )
)
P99_CEILING_MS = 1.0


@dataclass(frozen=True)
class Request:
    asker: Agency | Member | Service
    action: str
    resource: Resource
    context: dict[str, bool | str | int]


def _request(kind: str, i: int) -> Request:
    """The ``i``-th request of one kind, on a resource never asked about before."""
    owner, asker = MEMBERS[i % 4], ASKERS[(i // 4) % 4]
    handling = f"h{i % 4}"
    record = Resource("PersonRecord", f"{owner}-2026-{i}", owner, {"record_type": RECORD_TYPES[i % 3]})
    if kind == "screen":
        return Request(asker, kind, Resource("RecordBank", f"{owner}-{i}", owner), {"name_only": bool(i % 3)})
    if kind == "receive-hit":
        return Request(asker, kind, record, {"name_only": bool(i % 3), "possible": False})
    if kind == "receive-record":
        return Request(asker, kind, record, {"treaty": "" if i % 3 else "Decisión 505"})
    if kind == "receive-report":
        report = Resource("Report", f"r-{i}", owner, {"handling": handling, "subject": "person"})
        return Request(Member(MEMBERS[(i + 1) % 4]), kind, report, {})
    recipient = Member(MEMBERS[(i + 1) % 4])
    if kind == "receive-finding":
        finding = Resource("CustomsFinding", f"f-{i}", owner, {"handling": handling, "kind": "risk-hit"})
        return Request(recipient, "receive-report", finding, {})
    if kind == "ask-trace":
        return Request(asker, kind, Resource("FirearmRecord", f"{owner}/SN-{i}", owner), {})
    if kind == "receive-detail":
        return Request(asker, kind, Resource("FinanceDetail", f"d-{i}", owner, {"handling": handling}), {})
    if kind == "receive-transfers":
        transfers = Resource("FinanceTransfers", f"{owner}-{i}", owner, {"handling": handling})
        return Request(recipient, "receive-report", transfers, {})
    if kind == "receive-alert":
        attrs = {"handling": handling, "priority": "FLASH", "category": "wanted-person"}
        return Request(recipient, kind, Resource("Alert", f"a-{i}", owner, attrs), {})
    if kind == "receive-return-case":
        case = Resource("ReturnCase", f"c-{i}", owner, {"handling": "h3", "age_group": "minor"})
        return Request(recipient, kind, case, {"leg": bool(i % 2)})
    if kind == "receive-message":
        attrs = {"handling": handling, "service": "customs", "kind": "message-delivered"}
        return Request(recipient, kind, Resource("Message", f"m-{i}", owner, attrs), {})
    if kind == "file":
        return Request(Agency(owner, "policia"), kind, record, {})
    return Request(Service("intel-exchange"), "keep", record, {"age_days": i % 3650})


def requests(count: int) -> list[Request]:
    """Every flow the services decide, weighted as a screening-heavy day: each screening decides
    ``screen`` for every other member and ``receive-hit`` per candidate; the rest once each."""
    return [_request(MIX[i % len(MIX)], i) for i in range(count)]


def by_hand(request: Request) -> bool:
    """The four members' rules as Python conditions (the baseline permits every other request of the mix)."""
    owner, action, context = request.resource.owner, request.action, request.context
    military = isinstance(request.asker, Agency) and request.asker.name == "ejercito"
    if owner == "CO" and military and action in ("receive-hit", "receive-record"):
        return False
    if owner == "BO" and action in ("screen", "receive-hit") and context.get("name_only"):
        return False
    deportation = request.resource.attrs.get("record_type") == "deportation"
    if owner == "EC" and action == "keep" and deportation and int(context["age_days"]) >= 1825:
        return False
    return not (owner == "PE" and action == "receive-record" and context.get("treaty") == "")


def _timed(decide: Callable[[Request], bool], asked: list[Request]) -> tuple[list[float], list[float], int]:
    """Wall and CPU milliseconds of each decision, and how many were permitted."""
    wall, cpu, permitted = [], [], 0
    for request in asked:
        started, started_cpu = time.perf_counter(), time.thread_time()
        permitted += decide(request)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return wall, cpu, permitted


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def example_engine() -> PolicyEngine:
    """The baseline and the four shipped member policies in force."""
    engine = PolicyEngine(AgencyRegistry.load())
    for country in MEMBERS:
        engine = engine.with_member(MemberPolicy.check(country, 1, example_text(country)))
    return engine


async def run(quick: bool) -> tuple[str, Result]:
    engine = example_engine()
    mix = requests(QUICK_DECISIONS if quick else FULL_DECISIONS)
    _timed(lambda r: engine.evaluate(r.asker, r.action, r.resource, r.context).permitted, mix[:200])  # warm-up
    wall, cpu, permitted = _timed(lambda r: engine.evaluate(r.asker, r.action, r.resource, r.context).permitted, mix)
    remembered, _, _ = _timed(lambda r: engine.decide(r.asker, r.action, r.resource, r.context).permitted, mix)
    hand_wall, _, hand_permitted = _timed(by_hand, mix)
    figures = {
        "decision_p50_ms": _quantile(wall, 0.5),
        "decision_p99_ms": _quantile(wall, 0.99),
        "decision_cpu_p50_ms": _quantile(cpu, 0.5),
        "decision_cpu_p99_ms": _quantile(cpu, 0.99),
        "remembered_p50_ms": _quantile(remembered, 0.5),
        "remembered_p99_ms": _quantile(remembered, 0.99),
    }
    baseline = {"by_hand_p50_ms": _quantile(hand_wall, 0.5), "by_hand_p99_ms": _quantile(hand_wall, 0.99)}
    result = Result(
        "policy",
        "quick" if quick else "full",
        params={"decisions": len(mix), "member_policies": len(MEMBERS)},
        figures=figures,
        baseline=baseline,
        ratio={"p50_vs_by_hand": ratio(figures["decision_p50_ms"], baseline["by_hand_p50_ms"])},
        ceilings={"decision_p99_ms": P99_CEILING_MS, "decision_cpu_p99_ms": P99_CEILING_MS},
        checks={"permitted": permitted, "permitted_by_hand": hand_permitted},
    )
    text = table(
        ["one decision", "p50 ms", "p99 ms"],
        [
            ["Cedar engine, wall time", figures["decision_p50_ms"], figures["decision_p99_ms"]],
            ["Cedar engine, thread CPU time", figures["decision_cpu_p50_ms"], figures["decision_cpu_p99_ms"]],
            ["a decision as services ask it, wall", figures["remembered_p50_ms"], figures["remembered_p99_ms"]],
            ["the same rules by hand (baseline), wall", baseline["by_hand_p50_ms"], baseline["by_hand_p99_ms"]],
        ],
    )
    text += f"\n\npermitted: {permitted} of {len(mix)} by the engine, {hand_permitted} by hand"
    return text, result
