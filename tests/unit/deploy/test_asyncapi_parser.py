"""The published AsyncAPI documents parse without error under the official AsyncAPI parser."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TOOL = ROOT / "tools" / "asyncapi"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed: the parser is JavaScript")


@pytest.fixture(scope="module")
def parser() -> Path:
    """The parser, installed once under tools/asyncapi (ignored by git) from its pinned package.json."""
    if not (TOOL / "node_modules" / "@asyncapi" / "parser").is_dir():
        npm = shutil.which("npm")
        assert npm is not None, "node without npm: install npm to fetch @asyncapi/parser"
        subprocess.run([npm, "install", "--no-package-lock", "--no-audit", "--no-fund"], cwd=TOOL, check=True)
    return TOOL / "parse.mjs"


def test_every_document_parses_without_error(parser: Path) -> None:
    documents = sorted(str(p) for p in (ROOT / "docs" / "asyncapi").glob("*.json"))
    assert documents, "no AsyncAPI document under docs/asyncapi"

    run = subprocess.run(["node", str(parser), *documents], cwd=TOOL, capture_output=True, text=True)

    assert run.returncode == 0, f"the AsyncAPI parser refused a document:\n{run.stdout}{run.stderr}"
