from __future__ import annotations

from pydantic import Field

from andina.shared.settings import AndinaSettings


class Settings(AndinaSettings):
    http_port: int = Field(8104, description="port of this service's /metrics and /health")
