"""Intelligence exchange: Banco Andino de Datos, screening, reports."""

SERVICE = "intel-exchange"
