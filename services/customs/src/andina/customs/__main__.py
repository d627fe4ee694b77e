"""python -m andina.customs: read the settings and serve until stopped."""

from andina.customs.app import create_app
from andina.customs.settings import Settings
from andina.shared.service import run_service

if __name__ == "__main__":
    settings = Settings()
    run_service(create_app(settings), settings)
