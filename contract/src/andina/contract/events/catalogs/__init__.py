"""Each service's catalog: the names of the event types it accepts and emits, and their payload models.

The contract is here, in the library agencies install, so that agency systems, the operator's
tools, benches and tests import a type's name instead of spelling it, and no service is
imported to learn another's vocabulary.
"""

import importlib
from types import ModuleType


def catalog_of(service: str) -> ModuleType:
    """The catalog module of ``service`` (``intel-exchange`` -> ``catalogs.intel_exchange``)."""
    return importlib.import_module(f"{__name__}.{service.replace('-', '_')}")
