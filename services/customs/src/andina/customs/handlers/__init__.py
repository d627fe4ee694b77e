"""One plain async function per inbound event type (and per timer kind); each returns the events to emit.

Refusals raise ``Rejected`` before anything is written, so a refused event changes nothing.
"""
