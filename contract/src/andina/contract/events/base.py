from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Payload(BaseModel):
    """Base of every payload: unknown fields are refused; the gate validates in strict mode."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def example(**fields: Any) -> ConfigDict:
    """A model config carrying one example payload (the published docs are built from it)."""
    return ConfigDict(json_schema_extra={"examples": [fields]})
