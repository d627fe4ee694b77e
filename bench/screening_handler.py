"""Where a screening's CPU time goes in intel-exchange's own handler, without the bus or the store.

``python -m bench.screening_handler [--records N] [--queries N] [--rounds N] [--policies]`` files
the generator's people in the service's index (its own admission rules), with ``--policies``
puts the four members' example policies in force (else the baseline alone), then runs
``screening_requested`` over the unit tests' in-memory ports for every query: the CPU time
per query (best of ``--rounds`` unprofiled rounds of their own queries, so a busy machine moves it
little), then one more round under cProfile for each step's share of the handler, and what the store would be
given per query (audit entries, hit documents) and what goes out (answers, notices, alerts).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import pstats
import time
from collections.abc import Sequence

from andina.contract.events.catalogs import intel_exchange as catalog
from andina.contract.events.intel_exchange import ScreeningQuery
from andina.contract.rejections import Rejected
from andina.intel_exchange.handlers.screening import screening_requested
from andina.shared.gate import Inbound
from andina.shared.policy.members import example_text
from bench.cpu_shares import cpu_profiler
from bench.policy import MEMBERS
from bench.report import table
from bench.screening import TODAY
from bench.screening_officers import filed_index
from bench.screening_queries import QueryGenerator
from tests.fakes import inbound
from tests.unit.intel_exchange.fakes import FakeRecords, Fakes

# (step, the functions whose cumulative time it is): the steps of screening_requested, in order.
STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("reading the query (parse, normalise, readings)", ("screening_checked",)),
    ("candidate retrieval (blocking keys, lookup)", ("candidates", "blocking_keys")),
    ("scoring (profile decode, match)", ("match", "decode")),
    ("members' policies (decisions)", ("screened",)),
    ("audit entries", ("_audited",)),
    ("the asker's answer (references)", ("reference",)),
    ("owners' notices and alerts", ("_told_to_the_owner",)),
    ("hit documents", ("record_hits",)),
)
HANDLER = "screening_requested"


async def screen_all(fakes: Fakes, queries: Sequence[Inbound[ScreeningQuery]]) -> int:
    """Every query screened; the outputs they gave."""
    outputs = 0
    for query in queries:
        with contextlib.suppress(Rejected):
            outputs += len(await screening_requested(query, fakes.ports))
    return outputs


def step_shares(profile: pstats.Stats) -> list[tuple[str, float]]:
    """Each step's cumulative time as a share of the handler's (a function counted once, where first named)."""
    cumulative: dict[str, float] = {}
    for (_, _, name), (_, _, _, cum, _) in profile.stats.items():  # type: ignore[attr-defined]
        cumulative[name] = cumulative.get(name, 0.0) + cum
    handler = cumulative[HANDLER]
    return [(step, sum(cumulative.get(n, 0.0) for n in names) / handler) for step, names in STEPS]


def run(records: int, queries: int, rounds: int, policies: bool = False) -> str:
    generator = QueryGenerator(2413)
    people = generator.people(records)
    fakes = Fakes(records=FakeRecords(index=filed_index(people, TODAY)))
    for country in MEMBERS if policies else ():
        fakes.policies.enact(country, example_text(country))
    codes = fakes.ports.countries.codes
    # Each round its own queries: the caches of names see them as new, as a service sees the next ones.
    inbounds = [
        [
            inbound(catalog.SCREENING_REQUESTED, ScreeningQuery.model_validate(q.data), codes[i % len(codes)])
            for i, q in enumerate(generator.queries(people, queries))
        ]
        for _ in range(rounds + 1)
    ]
    best = float("inf")
    for round_queries in inbounds[:-1]:
        started = time.process_time()
        asyncio.run(screen_all(fakes, round_queries))
        best = min(best, time.process_time() - started)
    fakes.audit.by_id.clear()
    fakes.followups.hits.clear()
    profiler = cpu_profiler()
    outputs = profiler.runcall(asyncio.run, screen_all(fakes, inbounds[-1]))
    shares = step_shares(pstats.Stats(profiler))
    per_query = [
        ("CPU per query, unprofiled (best round)", f"{1000 * best / queries:.3f} ms"),
        ("audit entries per query", f"{len(fakes.audit.by_id) / queries:.2f}"),
        ("hit documents per query", f"{len(fakes.followups.hits) / queries:.2f}"),
        ("outputs per query (answer, notices, alerts)", f"{outputs / queries:.2f}"),
    ]
    return "\n".join(
        [
            f"screening handler over in-memory ports: {records:,} records, {queries:,} queries, "
            + ("the four members' example policies" if policies else "the baseline alone"),
            table(["per query", "figure"], per_query),
            table(["step (cProfile, cumulative)", "share of the handler"], [(s, f"{v:.0%}") for s, v in shares]),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.screening_handler", description=__doc__)
    parser.add_argument("--records", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=1_500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--policies", action="store_true", help="the four members' example policies in force")
    args = parser.parse_args()
    print(run(args.records, args.queries, args.rounds, args.policies))


if __name__ == "__main__":
    main()
