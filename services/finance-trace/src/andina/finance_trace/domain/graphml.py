"""A trace answer as GraphML, for analysts' graph tools (Gephi, yEd, i2, networkx)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from andina.contract.events.finance_trace_flows import TraceCompleted

NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
CASH_NODE = "cash"

NODE_KEYS = {
    "country": "string",
    "start": "boolean",
    "forward_hops": "int",
    "backward_hops": "int",
    "reached_usd": "double",
    "sourced_usd": "double",
    "held_by": "string",
    "disclosed": "string",
}
EDGE_KEYS = {
    "transaction": "string",
    "time": "string",
    "amount_usd": "double",
    "carried_usd": "double",
    "direction": "string",
    "hop": "int",
    "channel": "string",
    "reported_by": "string",
}


def _text(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _data(element: ET.Element, values: dict[str, object]) -> None:
    for key, value in values.items():
        if value is not None:
            ET.SubElement(element, "data", key=key).text = _text(value)


def to_graphml(trace: TraceCompleted) -> str:
    root = ET.Element("graphml", xmlns=NAMESPACE)
    for scope, keys in (("node", NODE_KEYS), ("edge", EDGE_KEYS)):
        for name, kind in keys.items():
            ET.SubElement(root, "key", {"id": name, "for": scope, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, "graph", id=str(trace.trace_id), edgedefault="directed")
    for node in trace.nodes:
        values = node.model_dump(mode="json", include=set(NODE_KEYS))
        _data(ET.SubElement(graph, "node", id=node.ref), values)
    if any(edge.source is None or edge.target is None for edge in trace.edges):
        ET.SubElement(graph, "node", id=CASH_NODE)
    for number, edge in enumerate(trace.edges):
        attributes = {"id": f"e{number}", "source": edge.source or CASH_NODE, "target": edge.target or CASH_NODE}
        _data(ET.SubElement(graph, "edge", attributes), edge.model_dump(mode="json", include=set(EDGE_KEYS)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
