"""Intelligence exchange: Banco Andino de Datos, screening, reports."""

from andina.contract.events.catalogs.intel_exchange import SERVICE

__all__ = ["SERVICE"]
