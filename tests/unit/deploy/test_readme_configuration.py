"""Every setting an operator can give is documented in the README."""

from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from andina.deploy.settings import StackSettings
from andina.shared.settings import AndinaSettings

README = (Path(__file__).resolve().parents[3] / "README.md").read_text()


@pytest.mark.parametrize("settings", [AndinaSettings, StackSettings])
def test_every_variable_is_in_the_readme(settings: type[BaseSettings]) -> None:
    prefix = settings.model_config.get("env_prefix", "")
    missing = [f"{prefix}{name.upper()}" for name in settings.model_fields if f"`{prefix}{name.upper()}`" not in README]

    assert missing == []
