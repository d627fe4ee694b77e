"""python -m andina.intel_exchange: read the settings and serve until stopped."""

from andina.intel_exchange.app import create_app
from andina.intel_exchange.settings import Settings
from andina.shared.service import run_service

if __name__ == "__main__":
    settings = Settings()
    run_service(create_app(settings), settings)
