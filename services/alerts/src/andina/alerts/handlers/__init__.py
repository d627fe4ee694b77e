"""One plain function per inbound event type and per timer kind; each returns the events to emit.

They take the event (or timer) and ``Ports``, the adapters and policies they need.
"""
