"""The 24/7 network: contact points, alerts and request relay."""

SERVICE = "alerts"
