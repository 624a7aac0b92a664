"""YAML loading for content files: libyaml where present, anchors and aliases refused, nesting
bounded, impossible dates left as text, duplicate keys reported, and the line of every key kept."""
from __future__ import annotations

import yaml

from kb.problems import Problem

MAX_YAML_DEPTH = 32  # levels of nesting in front matter or a sources file (entries use at most 4)


class YamlLimit(yaml.MarkedYAMLError):
    """YAML the check refuses to load: anchors and aliases, or nesting deeper than MAX_YAML_DEPTH."""

    def __init__(self, problem: str, mark, hint: str):
        super().__init__(problem=problem, problem_mark=mark)
        self.hint = hint


class Loader(yaml.SafeLoader):
    """SafeLoader that leaves impossible dates (2001-13-45) as text for the check to report,
    refuses anchors and aliases (an alias bomb expands to billions of nodes, a self-referencing
    alias loops) and stops at MAX_YAML_DEPTH levels of nesting, before any node is expanded."""

    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            raise YamlLimit("anchors and aliases (&name, *name) are not allowed", event.start_mark,
                            "write the value out in full where it is needed")
        if self._depth >= MAX_YAML_DEPTH and isinstance(event, yaml.CollectionStartEvent):
            raise YamlLimit(f"the YAML is nested more than {MAX_YAML_DEPTH} levels deep", event.start_mark,
                            "entries need at most a few levels: group, list of groups, value")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


Loader.add_constructor("tag:yaml.org,2002:timestamp", Loader.construct_yaml_timestamp)

_CLoader = getattr(yaml, "CSafeLoader", None)  # libyaml, shipped in PyYAML's wheels: ~10x faster


if _CLoader is not None:
    class FastLoader(_CLoader):  # type: ignore[valid-type,misc]
        """libyaml's parser and composer with the same date rule as `Loader`. Used only after
        `_guard` has refused anchors, aliases and deep nesting from libyaml's event stream."""

        def construct_yaml_timestamp(self, node):
            try:
                return yaml.constructor.SafeConstructor.construct_yaml_timestamp(self, node)
            except ValueError:
                return self.construct_scalar(node)

    FastLoader.add_constructor("tag:yaml.org,2002:timestamp", FastLoader.construct_yaml_timestamp)
else:  # pragma: no cover - PyYAML built without libyaml
    FastLoader = Loader  # type: ignore[misc,assignment]


def _guard(text: str) -> None:
    """Refuse anchors, aliases and nesting deeper than MAX_YAML_DEPTH from the event stream,
    before anything is composed (so an alias bomb is never expanded)."""
    if _CLoader is None:  # pragma: no cover - `Loader` guards while composing
        return
    try:
        _scan(text)
    except yaml.MarkedYAMLError as exc:  # libyaml's own limit on flow nesting ([[[[...)
        if "nesting depth" not in str(exc.problem or ""):
            raise
        raise YamlLimit(f"the YAML is nested more than {MAX_YAML_DEPTH} levels deep", exc.problem_mark,
                        "entries need at most a few levels: group, list of groups, value") from None


def _scan(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=_CLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise YamlLimit("anchors and aliases (&name, *name) are not allowed", event.start_mark,
                            "write the value out in full where it is needed")
        if isinstance(event, yaml.CollectionStartEvent):
            if depth >= MAX_YAML_DEPTH:
                raise YamlLimit(f"the YAML is nested more than {MAX_YAML_DEPTH} levels deep", event.start_mark,
                                "entries need at most a few levels: group, list of groups, value")
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load_yaml(text: str, path: str, first_line: int, problems: list[Problem]):
    """Parse YAML, returning (value, lines). Reports syntax errors and duplicate keys."""
    try:
        _guard(text)
        loader = FastLoader(text)
        try:
            node = loader.get_single_node()
            value = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except YamlLimit as exc:
        problems.append(Problem(path, first_line + exc.problem_mark.line, "front matter",
                                f"the YAML cannot be read ({exc.problem})", exc.hint))
        return None, {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        what = exc.problem or "invalid YAML"
        problems.append(Problem(path, line, "front matter", f"the YAML cannot be read ({what})",
                                "check indentation, colons and quotes on this line"))
        return None, {}
    except yaml.YAMLError as exc:  # pragma: no cover - defensive, all YAML errors are marked
        problems.append(Problem(path, first_line, "front matter", f"the YAML cannot be read ({exc})",
                                "check the front matter syntax"))
        return None, {}
    lines: dict = {}

    def walk(n, prefix):
        if isinstance(n, yaml.MappingNode):
            seen = set()
            for k, v in n.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else str(k)
                if key in seen:
                    problems.append(Problem(path, first_line + k.start_mark.line, ".".join(map(str, prefix + (key,))),
                                            "this key is given twice", "keep one of the two"))
                seen.add(key)
                lines[prefix + (key,)] = first_line + k.start_mark.line
                walk(v, prefix + (key,))
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                lines[prefix + (i,)] = first_line + item.start_mark.line
                walk(item, prefix + (i,))

    if node is not None:
        walk(node, ())
    return value, lines
