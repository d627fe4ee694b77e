"""``python -m bench <name> [--quick]``: run one benchmark.

It prints a readable table and, as its last line, one JSON object with the figures, the
baseline measured in the same run, and their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from bench import (
    alerts,
    alerts_cores,
    bus,
    changelog_lag,
    customs,
    failover,
    failover_start,
    finance,
    flood,
    policy,
    policy_bus,
    policy_reach,
    returns,
    screening,
    soak,
    store,
    timers,
)
from bench.report import Result

BENCHMARKS: dict[str, Callable[[bool], Coroutine[Any, Any, tuple[str, Result]]]] = {
    "alerts": alerts.run,
    "alerts-cores": alerts_cores.run,
    "bus": bus.run,
    "changelog": changelog_lag.run,
    "customs": customs.run,
    "failover": failover.run,
    "failover-start": failover_start.run,
    "finance": finance.run,
    "flood": flood.run,
    "policy": policy.run,
    "policy-bus": policy_bus.run,
    "policy-reach": policy_reach.run,
    "returns": returns.run,
    "screening": screening.run,
    "soak": soak.run,
    "store": store.run,
    "timers": timers.run,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("name", choices=sorted(BENCHMARKS), help="the benchmark to run")
    parser.add_argument("--quick", action="store_true", help="a smaller run that finishes within a minute")
    args = parser.parse_args(argv)
    text, result = asyncio.run(BENCHMARKS[args.name](args.quick))
    print(text)
    print(result.as_json())
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
