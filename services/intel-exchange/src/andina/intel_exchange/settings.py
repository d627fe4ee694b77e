from __future__ import annotations

from pydantic import Field

from andina.shared.settings import AndinaSettings


class Settings(AndinaSettings):
    http_port: int = Field(8102, description="port of this service's /metrics and /health")
    chunk_records: int = Field(
        256,
        description=(
            "records handled at once while several members' partitions have records waiting, each its share"
            " in turn: the store's and the broker's round trips of a batch are shared by four times as many"
            " screenings as at the network's default (64), and no event here is urgent"
        ),
    )
    screening_threshold: float = Field(
        0.86, ge=0.5, le=1.0, description="score (0-1) from which a screening match is reported as a hit"
    )
    screening_possible_threshold: float = Field(
        0.6, ge=0.3, le=1.0, description="score (0-1) from which a record is a possible match of a names-only query"
    )
    screening_possible_limit: int = Field(
        5, ge=1, le=50, description="possible matches at most in the answer to a query with names only"
    )
    report_horizon_days: float = Field(
        1095.0, description="reports filed longer ago are no longer linked by connection queries (the store keeps them)"
    )
    firearm_trace_urgent_hours: float = Field(
        8.0, gt=0, description="hours an asked country has to answer an urgent firearm trace request"
    )
    firearm_trace_routine_days: float = Field(
        7.0, gt=0, description="days an asked country has to answer a routine firearm trace request"
    )
    screening_candidates: int = Field(
        48, ge=1, le=1000, description="records scored per screening query, the best the blocking index proposes"
    )
