"""How often a service reads its pending timers from the store: often while reads are cheap,
seldom once they cost (on FerretDB a read scans every pending timer)."""

from __future__ import annotations

from datetime import timedelta

from andina.shared.timers import FULL_CHECK, HORIZON, READ_SHARE, read_again_after


def test_cheap_reads_come_every_full_check() -> None:
    assert read_again_after(0.005) == FULL_CHECK


def test_a_slow_read_waits_long_enough_to_keep_reads_a_small_share_of_the_time() -> None:
    assert read_again_after(2.0) == timedelta(seconds=2.0 * READ_SHARE)


def test_reads_never_wait_beyond_the_horizon_they_cover() -> None:
    assert read_again_after(60.0) == HORIZON
