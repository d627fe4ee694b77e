"""``andina policy check``: a member's policy checked as the services will, before it is sent."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from andina.deploy.cli import app
from andina.shared.policy.members import example_text


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
