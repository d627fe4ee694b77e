"""docs/configuration.md documents every setting an operator can give, as the settings classes say."""

from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

from andina.deploy.configuration_docs import configuration_reference, service_settings
from andina.deploy.settings import StackSettings
from andina.shared.settings import AndinaSettings

ROOT = Path(__file__).resolve().parents[3]
COMMITTED = (ROOT / "docs" / "configuration.md").read_text()


def test_the_committed_reference_is_what_the_settings_classes_say() -> None:
    assert configuration_reference(ROOT) == COMMITTED, "a setting changed: run `andina docs` and commit docs/"


@pytest.mark.parametrize("settings", [AndinaSettings, StackSettings, *service_settings().values()])
def test_every_variable_is_in_the_reference(settings: type[BaseSettings]) -> None:
    prefix = settings.model_config.get("env_prefix", "")

    variables = [f"{prefix}{name.upper()}" for name in settings.model_fields]

    missing = [variable for variable in variables if f"`{variable}`" not in COMMITTED]

    assert missing == []
