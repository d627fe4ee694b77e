"""The Observatorio in ``andina demo``: the coordinator enters an indicator the network's events
cannot count (joint intelligence products this quarter), signed with the observatory's key and
audited; the report then reads it back, verified, against the plan's target."""

from __future__ import annotations

from datetime import UTC, date, datetime

from andina.contract.events.indicators import IndicatorEntry
from andina.deploy.action_plan import load_plan
from andina.deploy.console import done, info
from andina.deploy.indicator_entries import coordinator_entries, enter
from andina.deploy.processes import StackError
from andina.deploy.settings import Endpoints

INDICATOR = "joint-products"


def _quarter(today: date) -> tuple[date, date]:
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    after = date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)
    return first, after


async def run(ends: Endpoints, patience: float) -> None:
    plan = load_plan()
    start, end = _quarter(datetime.now(UTC).date())
    indicator = next(i for i in plan if i.id == INDICATOR)
    if not (indicator.period[0] <= start and end <= indicator.period[1]):
        info(f"the plan's {INDICATOR} indicator does not cover {start} – {end}: the Observatorio scene is skipped")
        return
    entry = IndicatorEntry(
        indicator=INDICATOR,
        period_start=start,
        period_end=end,
        value=3,
        entered_by="Coordinación del Observatorio (demo)",
        source="Acta de la reunión técnica CLASI (demo)",
    )
    await enter(ends, entry)
    latest, _ = await coordinator_entries(ends, plan)
    read = latest.get((INDICATOR, start, end))
    if read is None or read.entry != entry:
        raise StackError("the coordinator's entry was not read back verified")
    done(
        f"the coordinator entered {INDICATOR} = 3 for {start} – {end}",
        f"signed by the observatory (key {read.keyid}), audited; `andina report` shows it against the target",
    )
