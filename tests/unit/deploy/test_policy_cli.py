"""``andina policy``: a member's policy checked as the services will before it is sent, a decision explained
(what a service keeps too), and a member's versions shown, even when none is valid any more."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from andina.deploy import policy_cli
from andina.deploy.cli import app
from andina.shared.policy.engine import PolicyEngine
from andina.shared.policy.members import MemberPolicy, example_text
from andina.shared.policy.registry import AgencyRegistry
from andina.shared.store import Document

EC_V1: Document = {"country": "EC", "version": 1, "at": "2026-12-01", "agency": "/countries/EC/agencies/migracion"}


@pytest.fixture
def in_force(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What the commands read from intel-exchange's store, set by each test: the engine and every version kept."""
    state: dict[str, Any] = {"engine": PolicyEngine(AgencyRegistry.load()), "versions": []}

    async def read(_: object) -> tuple[PolicyEngine, list[Document]]:
        return state["engine"], state["versions"]

    monkeypatch.setattr(policy_cli, "endpoints", lambda: None)
    monkeypatch.setattr(policy_cli, "policies_in_force", read)
    return state


@pytest.mark.parametrize("country", ["BO", "CO", "EC", "PE"])
def test_every_shipped_example_passes_the_check(tmp_path: Path, country: str) -> None:
    policy = tmp_path / f"{country}.cedar"
    policy.write_text(example_text(country))
    result = CliRunner().invoke(app, ["policy", "check", str(policy)])
    assert result.exit_code == 0, result.output
    assert "valid member policy" in result.output


def test_a_policy_that_does_not_validate_fails_with_the_engines_message(tmp_path: Path) -> None:
    policy = tmp_path / "bad.cedar"
    policy.write_text('forbid (principal, action, resource) when { resource.color == "red" };')
    result = CliRunner().invoke(app, ["policy", "check", str(policy)])
    assert result.exit_code == 1
    assert "does not validate against the network's schema" in result.output
    assert "color" in result.output


@pytest.mark.parametrize(
    ("age_days", "verdict", "rule"),
    [(1824, "permitted", "baseline/services-keep-records"), (1825, "denied", "EC@v1/ec-deportations-kept-5-years")],
)
def test_explain_tells_whether_intel_exchange_still_keeps_an_ecuadorian_deportation_record(
    in_force: dict[str, Any], age_days: int, verdict: str, rule: str
) -> None:
    ecuador = MemberPolicy.check("EC", 1, example_text("EC"))
    in_force["engine"] = PolicyEngine(AgencyRegistry.load(), {"EC": ecuador})
    asked = ["--as", "service:intel-exchange", "--action", "keep", "--resource", "PersonRecord:EC-2021-9"]
    asked += ["--owner", "EC", "--attr", "record_type=deportation", "--context", f"age_days={age_days}"]

    result = CliRunner().invoke(app, ["policy", "explain", *asked])

    assert result.exit_code == 0, result.output
    assert f"keep PersonRecord:EC-2021-9 (owner EC): {verdict}" in result.output
    assert rule in result.output


def test_show_says_plainly_when_none_of_a_members_versions_is_valid_under_the_current_schema(
    in_force: dict[str, Any],
) -> None:
    in_force["versions"] = [EC_V1 | {"note": "LOMH"}]  # the engine holds no EC version: the schema refuses it

    result = CliRunner().invoke(app, ["policy", "show", "ec"])

    said = " ".join(result.output.split())  # as one line, however the console wrapped it
    assert result.exit_code == 1
    assert "LOMH" in said  # the versions sent are still listed
    assert "none of EC's versions is valid under the network's current schema" in said
    assert "the baseline alone applies to EC" in said
