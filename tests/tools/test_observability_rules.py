"""The Prometheus rules load, compute the expected figures and fire when (and only when) they should.

promtool comes with Debian's prometheus package, which the local stack installs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from andina.deploy.prometheus import render_config, rules_glob
from andina.deploy.settings import find_repo_root

ROOT = find_repo_root()
RULES = sorted((ROOT / "deploy" / "prometheus" / "rules").glob("*.yml"))
RULE_TESTS = sorted((ROOT / "deploy" / "prometheus" / "tests").glob("*.yml"))


@pytest.fixture(scope="module")
def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        pytest.fail("promtool is missing: `andina stack up` installs Debian's prometheus package, which has it")
    return found


def _run(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=120, check=False)


def test_every_rule_file_passes_promtool_check(promtool: str) -> None:
    assert RULES, "no rule files under deploy/prometheus/rules"

    result = _run(promtool, "check", "rules", *RULES)

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_rule_unit_tests_pass(promtool: str) -> None:
    assert RULE_TESTS, "no promtool tests under deploy/prometheus/tests"

    result = _run(promtool, "test", "rules", *RULE_TESTS)

    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_is_tested_firing_and_not_firing() -> None:
    alerts = re.findall(r"^\s*- alert: (\S+)$", "\n".join(p.read_text() for p in RULES), re.MULTILINE)
    tests = "\n".join(p.read_text() for p in RULE_TESTS)

    assert alerts
    for alert in alerts:
        assert re.search(rf"alertname: {alert}\n\s+exp_alerts: \[\]", tests), f"{alert} is never tested quiet"
        assert re.search(rf"alertname: {alert}\n\s+exp_alerts:\n\s+- exp_labels", tests), f"{alert} never fires"


def test_the_local_stack_config_loads_the_rules(promtool: str, tmp_path: Path) -> None:
    config = tmp_path / "prometheus.yml"
    config.write_text(render_config(19090, {"alerts": [18101, 18111]}, [rules_glob(ROOT)], supervisor_port=18100))

    result = _run(promtool, "check", "config", config)

    assert result.returncode == 0, result.stdout + result.stderr
    for rule_file in RULES:
        assert f"Checking {rule_file}" in result.stdout


def test_the_compose_prometheus_mounts_and_loads_the_rules() -> None:
    compose = (ROOT / "docker-compose.yml").read_text()
    config = (ROOT / "deploy" / "prometheus" / "prometheus.compose.yml").read_text()

    assert "- ./deploy/prometheus/rules:/etc/prometheus/rules:ro" in compose
    assert re.search(r"rule_files:\n\s+- /etc/prometheus/rules/\*\.yml", config)


def test_every_alert_links_its_runbook_entry() -> None:
    """An operator paged at night follows the alert's link to what it means and what to do."""
    rules = "\n".join(p.read_text() for p in RULES)
    alerts = re.findall(r"^\s*- alert: (\S+)$", rules, re.MULTILINE)
    links = dict(re.findall(r"^\s*- alert: (\S+)$(?:\n(?!\s*- alert:).*)*?\n\s*runbook_url: \"(\S+)\"", rules, re.M))
    headings = re.findall(r"^#+ (.+)$", (ROOT / "docs" / "operations.md").read_text(), re.MULTILINE)
    anchors = {re.sub(r"[^a-z0-9 -]", "", h.strip().lower()).replace(" ", "-") for h in headings}

    assert alerts
    for alert in alerts:
        assert links.get(alert) == f"docs/operations.md#{alert.lower()}", f"{alert} has no runbook_url"
        assert alert.lower() in anchors, f"docs/operations.md has no entry for {alert}"
