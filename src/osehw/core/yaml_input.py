"""YAML from people and the internet, read strictly.

PyYAML's ``safe_load`` already refuses arbitrary Python objects, but it still

* keeps the *last* of two equal keys, so a second ``design:`` silently builds
  another design (YAML 1.2 §3.2.1.3 says mapping keys are unique);
* expands aliases, so a few hundred bytes of nested ``*refs`` (a "billion
  laughs" document) grow without bound;
* reads any bytes it is given.

:func:`load_yaml` refuses all three, and files larger than a design file
could ever need.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode

MAX_YAML_BYTES = 1 << 20  # design and site files are a few kB; 1 MiB leaves room for long lists


class YamlInputError(ValueError):
    """Refused YAML: ``where`` is "line N" or "(file)", ``rule`` says what is wrong."""

    def __init__(self, where: str, rule: str) -> None:
        self.where = where
        self.rule = rule
        super().__init__(f"{where}: {rule}")


def _line(node_or_mark: Any) -> str:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    return f"line {mark.line + 1}" if mark is not None and hasattr(mark, "line") else "(file)"


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and duplicate mapping keys."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D102 - PyYAML hook
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise YamlInputError(_line(event), f"YAML aliases (*{event.anchor}) are not accepted: "
                                 f"write the value out in full")
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:  # noqa: D102 - PyYAML hook
        if isinstance(node, MappingNode):
            seen: dict[Any, str] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise YamlInputError(_line(key_node), "YAML merge keys (<<) are not accepted")
                key = self.construct_object(key_node, deep=True)
                try:
                    hash(key)
                except TypeError:
                    raise YamlInputError(_line(key_node), "a mapping key must be a plain value") from None
                if key in seen:
                    raise YamlInputError(_line(key_node), f"duplicate key '{str(key)[:80]}' (first at "
                                         f"{seen[key]}); each key may appear once")
                seen[key] = _line(key_node)
        return super().construct_mapping(node, deep=deep)


def decode_text(data: bytes) -> str:
    """UTF-8 text, or YamlInputError for binary data (NUL bytes, invalid UTF-8, control characters)."""
    if len(data) > MAX_YAML_BYTES:
        raise YamlInputError("(file)", f"{len(data):,} bytes: larger than the {MAX_YAML_BYTES:,} bytes "
                             f"a parameter file may have")
    if b"\x00" in data:
        raise YamlInputError("(file)", "not a text file (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlInputError("(file)", f"not UTF-8 text (invalid byte at offset {exc.start})") from None
    bad = next((c for c in text if ord(c) < 32 and c not in "\t\n\r"), None)
    if bad is not None:
        line = text.count("\n", 0, text.index(bad)) + 1
        raise YamlInputError(f"line {line}", f"control character U+{ord(bad):04X}: not a text file")
    return text


def load_yaml(text: str) -> Any:
    """Parse ``text`` strictly (see the module notes); YamlInputError on anything refused."""
    if len(text) > MAX_YAML_BYTES:
        raise YamlInputError("(value)", f"{len(text):,} characters: larger than {MAX_YAML_BYTES:,}")
    try:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader derives from SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlInputError(_line(mark), f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    except RecursionError:
        raise YamlInputError("(file)", "nested too deeply") from None
