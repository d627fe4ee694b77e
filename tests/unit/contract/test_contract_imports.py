"""andina-contract is what agencies install: importing any of it pulls in none of the services' stack,
and it asks for version ranges, never exact pins, so that it installs beside an agency's own packages."""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

# The services' stack: the broker framework, the store's driver, settings, the policy engine, and
# andina-shared itself (the services depend on the contract, not the other way).
SERVICES_ONLY = ("faststream", "pymongo", "pydantic_settings", "cedarpy", "prometheus_client", "andina.shared")

IMPORT_EVERY_MODULE = """
import json, pkgutil, importlib, sys
import andina.contract
names = [m.name for m in pkgutil.walk_packages(andina.contract.__path__, "andina.contract.")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "loaded": sorted(sys.modules)}))
"""


def test_no_module_of_the_contract_imports_the_services_stack() -> None:
    run = subprocess.run([sys.executable, "-c", IMPORT_EVERY_MODULE], capture_output=True, text=True, check=True)
    imported = json.loads(run.stdout)

    assert "andina.contract.client" in imported["modules"]
    assert "andina.contract.events.catalogs.customs" in imported["modules"]
    pulled_in = [m for m in imported["loaded"] if any(m == top or m.startswith(f"{top}.") for top in SERVICES_ONLY)]
    assert pulled_in == []


def test_the_contract_asks_for_version_ranges_not_pins() -> None:
    project = tomllib.loads((Path(__file__).resolve().parents[3] / "contract" / "pyproject.toml").read_text())
    requirements = project["project"]["dependencies"]

    assert requirements
    pinned = [r for r in requirements if re.search(r"===?", r)]
    assert pinned == [], "an agency's system could not install its own version of these"
    assert all(re.search(r"[<>~]=?", r) for r in requirements), requirements
