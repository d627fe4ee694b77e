"""One plain function per inbound event type and per timer kind; each returns the events to emit."""
