"""Parameter files: YAML → validated, typed parameters, or one clear line per problem.

A design file looks like::

    design: node-enclosure        # which design module builds it
    params:                       # any field left out takes its default
      wall_thickness: 12.7

Every field of a design's schema carries a unit, a default, a range and a
one-line description (``param``), which ``osehw show`` prints. Field rules are
checked by pydantic; cross-field rules by the schema's ``rules()`` method, all
before any geometry is made.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError


def param(default: Any, unit: str, description: str, **limits: Any) -> Any:
    """A schema field with its unit and one-line description (limits: ge, gt, le, lt)."""
    return Field(default, description=description, json_schema_extra={"unit": unit}, **limits)


NO_VALUE = type("NoValue", (), {"__repr__": lambda self: "NO_VALUE"})()


@dataclass(frozen=True)
class Problem:
    """One broken rule: which file, which field, what value, which rule."""

    file: str
    field: str
    value: Any
    rule: str

    def __str__(self) -> str:
        if self.value is NO_VALUE:  # a place in the file (a line), not a field's value
            return f"{self.file}: {self.field}: {self.rule}"
        return f"{self.file}: {self.field} = {format_value(self.value)}: {self.rule}"


class ParamError(Exception):
    """Raised with every problem found in a parameter file (the CLI exits 2)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def format_value(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if value is None:
        return "(missing)"
    return str(value)


class DesignParams(BaseModel):
    """Base of every design's parameter schema."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    def rules(self) -> list[tuple[str, Any, str]]:
        """Cross-field rules: (field, value, rule broken) for each violation."""
        return []


def describe_fields(schema: type[DesignParams]) -> list[dict[str, Any]]:
    """Name, unit, default, range and description of each field (for ``osehw show``)."""
    rows = []
    for name, info in schema.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        low = high = None
        for meta in info.metadata:
            low = getattr(meta, "ge", getattr(meta, "gt", low)) if low is None else low
            high = getattr(meta, "le", getattr(meta, "lt", high)) if high is None else high
        rows.append({
            "name": name,
            "unit": extra.get("unit", ""),
            "default": info.default,
            "min": low,
            "max": high,
            "choices": _choices(info.annotation),
            "description": info.description or "",
        })
    return rows


def _choices(annotation: Any) -> tuple[str, ...]:
    args = getattr(annotation, "__args__", ())
    if getattr(annotation, "__origin__", None) is not None and str(annotation).startswith("typing.Literal"):
        return tuple(str(a) for a in args)
    return ()


def parse_overrides(pairs: list[str], source: str = "--set") -> dict[str, Any]:
    """``["a=1", "b=[x, y]"]`` → ``{"a": 1, "b": ["x", "y"]}`` (values read as YAML scalars/lists)."""
    out: dict[str, Any] = {}
    problems = []
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            problems.append(Problem(source, pair, None, "expected FIELD=VALUE"))
            continue
        try:
            out[key.strip()] = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            out[key.strip()] = raw
    if problems:
        raise ParamError(problems)
    return out


def read_design_file(path: Path) -> tuple[str, dict[str, Any]]:
    """(design name, raw params) from a YAML design file, or ParamError."""
    label = display_path(path)
    if not path.is_file():
        raise ParamError([Problem(label, "(file)", str(path), "file not found")])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        raise ParamError([Problem(label, where, NO_VALUE, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from None
    if not isinstance(data, dict):
        raise ParamError([Problem(label, "(file)", type(data).__name__, "must be a mapping with 'design' and 'params'")])
    unknown = sorted(set(data) - {"design", "params", "title", "notes"})
    problems = [Problem(label, k, data[k], _did_you_mean("top-level key", k, ["design", "params", "title", "notes"]))
                for k in unknown]
    design = data.get("design")
    if not isinstance(design, str) or not design:
        problems.append(Problem(label, "design", design, "required: the name of the design module that builds this file"))
    params = data.get("params") or {}
    if not isinstance(params, dict):
        problems.append(Problem(label, "params", params, "must be a mapping of field: value"))
    if problems:
        raise ParamError(problems)
    return str(design), dict(params)


def validate(schema: type[DesignParams], raw: dict[str, Any], label: str) -> DesignParams:
    """Validate raw values against a schema: every problem reported, field rules then cross-field rules."""
    problems: list[Problem] = []
    for key in sorted(set(raw) - set(schema.model_fields)):
        problems.append(Problem(label, key, raw[key], _did_you_mean("field", key, list(schema.model_fields))))
    known = {k: v for k, v in raw.items() if k in schema.model_fields}
    try:
        params = schema.model_validate(known)
    except ValidationError as exc:
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "(params)"
            unit = _unit(schema, str(err["loc"][0])) if err["loc"] else ""
            problems.append(Problem(label, field, err.get("input"), _rule_text(err, unit)))
        raise ParamError(problems) from None
    if problems:
        raise ParamError(problems)
    broken = params.rules()
    if broken:
        raise ParamError([Problem(label, f, v, r) for f, v, r in broken])
    return params


def _unit(schema: type[DesignParams], field: str) -> str:
    info = schema.model_fields.get(field)
    extra = info.json_schema_extra if info is not None and isinstance(info.json_schema_extra, dict) else {}
    unit = extra.get("unit", "")
    return "" if unit in ("", "-") else f" {unit}"


def _rule_text(err: dict[str, Any], unit: str) -> str:
    ctx = err.get("ctx") or {}
    kind = err["type"]
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        op = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()))
        return f"must be {op} {bound}{unit}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}"
    return err["msg"].lower()


def _did_you_mean(kind: str, name: str, valid: list[str]) -> str:
    near = difflib.get_close_matches(name, valid, n=1)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    return f"unknown {kind}{hint}"


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
