"""Read a value from an entry's front matter by its dotted field path (what the field declarations name).

Shared by the build (map colours) and the site (compare cells, list filters); no Flask here.
"""
from __future__ import annotations


def value_at(data: dict, path: str):
    """The value at a dotted path of front matter, unwrapping {value: ...} overrides; None if absent."""
    node = data
    for part in path.split("."):
        if isinstance(node, dict) and "value" in node and part not in node:
            node = node["value"]
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if isinstance(node, dict):
        if "value" in node:
            node = node["value"]
        elif "not_applicable" in node:
            return None
    if isinstance(node, list):
        node = [x.get("value") if isinstance(x, dict) else x for x in node]
    if node is None or node == "" or node == []:
        return None
    return node
