"""The only wiring of the intel-exchange service: settings -> adapters -> handlers -> FastStream app."""

from __future__ import annotations

from functools import partial

from faststream.asgi import AsgiFastStream

from andina.intel_exchange import SERVICE, handlers
from andina.intel_exchange.domain.catalog import ACCEPTS, EMITS, MESSAGE_SENT
from andina.intel_exchange.settings import Settings
from andina.shared.processing import Route
from andina.shared.service import ServiceDefinition, build_dependencies, service_app
from andina.shared.topics import DELIVERIES


def create_app(settings: Settings) -> AsgiFastStream:
    deps = build_dependencies(SERVICE, settings)
    routes = {
        MESSAGE_SENT: Route(
            ACCEPTS[MESSAGE_SENT],
            partial(
                handlers.message_sent,
                countries=deps.countries,
                deliveries_topic=deps.topics.topic(SERVICE, DELIVERIES),
            ),
        ),
    }
    return service_app(deps, ServiceDefinition(routes=routes, emits=EMITS))
