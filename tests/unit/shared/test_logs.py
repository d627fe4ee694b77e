"""Log lines reach whoever configured logging last, whatever ran before (in-process services, tests)."""

import structlog
from structlog.testing import capture_logs

from andina.shared.logs import configure_logging


def test_a_logger_cached_under_an_earlier_configuration_follows_the_latest_one() -> None:
    log = structlog.get_logger()
    configure_logging()
    log.info("cached now")  # cache_logger_on_first_use: this logger keeps its processors from here on
    configure_logging("WARNING")  # a second service started in the same process

    with capture_logs() as captured:
        log.warning("seen by the capture")

    assert [entry["event"] for entry in captured] == ["seen by the capture"]
