"""The 24/7 network: contact points, alerts and request relay."""

from andina.shared.events.catalogs.alerts import SERVICE

__all__ = ["SERVICE"]
