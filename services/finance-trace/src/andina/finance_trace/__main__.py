"""python -m andina.finance_trace: read the settings and serve until stopped."""

from andina.finance_trace.app import create_app
from andina.finance_trace.settings import Settings
from andina.shared.service import run_service

if __name__ == "__main__":
    settings = Settings()
    run_service(create_app(settings), settings)
