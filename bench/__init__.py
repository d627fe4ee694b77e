"""Benchmarks of the bus: ``python -m bench <name> [--quick]`` (see ``bench/__main__.py``)."""
