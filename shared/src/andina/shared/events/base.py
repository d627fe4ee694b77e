from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Payload(BaseModel):
    """Base of every payload: unknown fields are refused; the gate validates in strict mode."""

    model_config = ConfigDict(extra="forbid", frozen=True)
