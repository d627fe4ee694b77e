"""A look of the screening index after churn: what it costs beside the index load, and what it frees.

A quarter of the records are filed again (a new version each) and a twentieth withdrawn, as
owners update and withdraw their records over time; the look then drops the slots and
blocking postings of everything no longer live and renumbers the rest.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace
from datetime import date

from andina.intel_exchange.domain.screening import Listing, ScreeningIndex


def churn_and_look(index: ScreeningIndex, listings: list[Listing], rng: random.Random, today: date) -> dict[str, float]:
    for listing in rng.sample(listings, len(listings) // 4):
        index.put(replace(listing, share_with=None))
    for listing in rng.sample(listings, len(listings) // 20):
        index.remove(listing.record_id)
    before = index.blocking_bytes
    started = time.perf_counter()
    index.forget(today)
    return {
        "look_seconds": time.perf_counter() - started,
        "look_blocking_mb_before": before / 2**20,
        "look_blocking_mb_after": index.blocking_bytes / 2**20,
    }
