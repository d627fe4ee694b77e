"""The supervisor waits before starting a process again, longer for each restart in a row (nothing is started here)."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import generate_latest

from andina.deploy.fleet import metric_total
from andina.deploy.kafka_quotas import Quota, write_quotas
from andina.deploy.processes import Component
from andina.deploy.supervisor import BACKOFF, Supervised, Supervisor, read_plan, write_plan

GONE = Component("stand-in", (), "andina-stand-in", instance=2)


def test_a_process_found_gone_waits_its_back_off_longer_for_each_restart_in_a_row(tmp_path: Path) -> None:
    supervisor = Supervisor(tmp_path, [Supervised(GONE, ["true"])])
    watch = supervisor.watches[GONE.key]

    supervisor.check(now=100.0)
    assert watch.due is not None
    first = watch.due - 100.0
    supervisor.check(now=100.0 + first / 2)  # still waiting
    watch.due = None  # as when the process started again died at once
    supervisor.check(now=200.0)
    assert watch.due is not None
    second = watch.due - 200.0

    assert 0 < first < second <= BACKOFF.maximum
    assert metric_total(generate_latest(supervisor.registry).decode(), "andina_process_restarts_total") == 0


def test_the_plan_reads_back_as_written_and_only_its_owner_may_read_it(tmp_path: Path) -> None:
    plan = [Supervised(GONE, ["python", "-m", "x"], {"ANDINA_KAFKA_PASSWORD": "secret"}, str(tmp_path))]

    path = write_plan(tmp_path, plan)

    assert read_plan(tmp_path) == plan
    assert path.stat().st_mode & 0o077 == 0


def test_the_members_quotas_set_by_stack_up_are_a_metric(tmp_path: Path) -> None:
    write_quotas(tmp_path, {"agency-pe": Quota(producer_byte_rate=1_000_000, request_percentage=25.0)})

    exposed = generate_latest(Supervisor(tmp_path, []).registry).decode()

    assert 'andina_member_quota{quota="producer_byte_rate",user="agency-pe"} 1e+06' in exposed
    assert 'andina_member_quota{quota="request_percentage",user="agency-pe"} 25.0' in exposed
