"""An agency's Python system installs andina-contract alone (``pip install ./contract``, no andina-shared)
into a fresh environment, and with it signs an event, has a delivery sealed for it and opens it."""

import shutil
import subprocess
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

AGENCY_SYSTEM = """
import asyncio, importlib.util, sys
from pathlib import Path

import orjson

from andina.contract.client import AgencyClient, agency_event
from andina.contract.countries import CountryRegistry
from andina.contract.events.catalogs.alerts import ACCEPTS, ALERT_RAISED
from andina.contract.sealing import DeliveryOpener, DeliverySealer
from andina.contract.signing import KeyDirectory, SignerKey, SignerKind
from andina.contract.topics import TopicRegistry

assert importlib.util.find_spec("andina.shared") is None, "andina-shared came along"
directory_file = Path(sys.argv[1]) / "directory.json"
peru, alerts = SignerKey.generate("PE"), SignerKey.generate("alerts")
KeyDirectory.publish(directory_file, peru, SignerKind.COUNTRY)
KeyDirectory.publish(directory_file, alerts, SignerKind.SERVICE)
directory = KeyDirectory.load(directory_file)

payload = ACCEPTS[ALERT_RAISED]
example = payload.model_validate(payload.model_json_schema()["examples"][0]).model_dump(mode="json")
event = agency_event(peru, "policia", ALERT_RAISED, example)
directory.verify(orjson.loads(event.wire))

sealed = alerts.sign(DeliverySealer(alerts, directory).seal(orjson.loads(event.wire), "PE"))
opened = DeliveryOpener([peru], directory).open(sealed)
assert (opened.id, opened.type, opened.origin) == (event.id, ALERT_RAISED, "PE"), opened


async def client() -> str:
    # Built, not started: there is no broker here.
    return AgencyClient("127.0.0.1:9092", peru, CountryRegistry.load(), TopicRegistry.load()).country

assert asyncio.run(client()) == "PE"
print("signed, sealed and opened", event.id)
"""


def test_an_agency_installs_the_contract_alone_and_signs_and_seals(tmp_path: Path) -> None:
    venv.create(tmp_path / "venv", with_pip=True)
    python = str(tmp_path / "venv" / "bin" / "python")
    # A copy: building from the source folder would leave a build/ folder in the repository.
    source = shutil.copytree(
        ROOT / "contract", tmp_path / "contract", ignore=shutil.ignore_patterns("build", "*.egg-info")
    )
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(source)],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, f"pip install ./contract failed:\n{install.stdout}{install.stderr}"
    installed = subprocess.run([python, "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True)
    assert "andina-shared" not in installed.stdout
    assert not {"faststream", "pymongo", "cedarpy"} & {line.split("==")[0].lower() for line in installed.stdout.split()}

    run = subprocess.run([python, "-c", AGENCY_SYSTEM, str(tmp_path)], capture_output=True, text=True, cwd=tmp_path)

    assert run.returncode == 0, f"the agency's system failed:\n{run.stdout}{run.stderr}"
    assert "signed, sealed and opened" in run.stdout
