"""The 24/7 network: contact points, alerts and request relay."""

from andina.contract.events.catalogs.alerts import SERVICE

__all__ = ["SERVICE"]
