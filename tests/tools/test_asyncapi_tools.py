"""The published AsyncAPI documents work with the official AsyncAPI tools: the parser reads them
without error or warning, and Modelina's TypeScript models of an event type accept its published example."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from andina.contract.events.catalogs.alerts import ACCEPTS, ALERT_RAISED
from andina.contract.published import typed_envelope

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "asyncapi"


@pytest.fixture(scope="module")
def tools() -> Path:
    """The tools, installed once under tools/asyncapi (ignored by git) from its pinned package.json."""
    missing = [command for command in ("node", "npm") if shutil.which(command) is None]
    assert not missing, (
        f"the AsyncAPI tools are JavaScript and need {' and '.join(missing)} on the PATH: "
        "`sudo scripts/test-tools.sh` installs them (Debian: apt-get install nodejs npm)"
    )
    wanted = json.loads((TOOL / "package.json").read_text())["dependencies"]
    if not all((TOOL / "node_modules" / name / "package.json").is_file() for name in wanted):
        subprocess.run(["npm", "install", "--no-package-lock", "--no-audit", "--no-fund"], cwd=TOOL, check=True)
    return TOOL


def test_every_document_parses_without_error_or_warning(tools: Path) -> None:
    documents = sorted(str(p) for p in (ROOT / "docs" / "asyncapi").glob("*.json"))
    assert documents, "no AsyncAPI document under docs/asyncapi"

    run = subprocess.run(["node", "parse.mjs", *documents], cwd=tools, capture_output=True, text=True)

    assert run.returncode == 0, f"the AsyncAPI parser found an error or a warning:\n{run.stdout}{run.stderr}"


def test_a_generated_typescript_model_compiles_with_the_published_example(tools: Path, tmp_path: Path) -> None:
    generated = subprocess.run(
        ["node", "models.mjs", str(ROOT / "docs" / "asyncapi" / "alerts.json"), str(tmp_path)],
        cwd=tools,
        capture_output=True,
        text=True,
    )
    assert generated.returncode == 0, generated.stderr
    model = typed_envelope(ALERT_RAISED, ACCEPTS[ALERT_RAISED]).__name__
    example = (ROOT / "docs" / "events" / f"{ALERT_RAISED}.json").read_text()
    (tmp_path / "example.ts").write_text(
        f'import {{ {model} }} from "./{model}";\n\nexport const example: {model} = {example};\n'
    )

    compiled = subprocess.run(
        [str(tools / "node_modules" / ".bin" / "tsc"), "--noEmit", "--strict", "example.ts"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )

    assert compiled.returncode == 0, f"the model does not fit the wire form:\n{compiled.stdout}{compiled.stderr}"
