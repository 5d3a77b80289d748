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

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from osehw.core.errors import OsehwError, quote_text
from osehw.core.yaml_input import MAX_YAML_BYTES, YamlInputError, decode_text, load_yaml

MAX_FIELD_NAME = 64  # characters of a field name worth reading back


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
        field = quote_text(str(self.field))
        if self.value is NO_VALUE:  # a place in the file (a line), not a field's value
            return f"{self.file}: {field}: {self.rule}"
        return f"{self.file}: {field} = {format_value(self.value)}: {self.rule}"


class ParamError(OsehwError, ValueError):
    """Raised with every problem found in a parameter file (the CLI exits 2)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


def format_value(value: Any) -> str:
    """The value as the user wrote it, cut to ~80 characters (a 50 MB value is not echoed back)."""
    if value is None:
        return "(missing)"
    return quote_text(repr(value) if isinstance(value, str) else str(value))


@dataclass(frozen=True)
class Choices:
    """The only values a field accepts: one list, or one list per value of another field (``by``).

    ``osehw show`` prints them in place of a range, and the property tests
    sample from them, so the declared space is the space that is accepted.
    """

    values: tuple[Any, ...] = ()
    by: str = ""
    table: tuple[tuple[Any, tuple[Any, ...]], ...] = ()

    def allowed(self, values: dict[str, Any]) -> tuple[Any, ...]:
        """The accepted values, given the other fields' ``values``."""
        if not self.by:
            return self.values
        return dict(self.table).get(values.get(self.by), ())

    def describe(self) -> str:
        if not self.by:
            return " / ".join(_short(v) for v in self.values)
        return "; ".join(f"{key}: {' / '.join(_short(v) for v in vals)}" for key, vals in self.table)


def _short(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


class DesignParams(BaseModel):
    """Base of every design's parameter schema."""

    # allow_inf_nan=False: NaN compares false with every bound, so `ge`/`le` alone would let it through
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False)

    def rules(self) -> list[tuple[str, Any, str]]:
        """Cross-field rules: (field, value, rule broken) for each violation."""
        return []

    @classmethod
    def choices(cls) -> dict[str, Choices]:
        """Fields that accept only listed values (catalogue sizes) beyond their type; see :class:`Choices`."""
        return {}

    def nested(self) -> dict[str, tuple[Any, "DesignParams"]]:
        """Child designs by name, with their design type and parameters (a composite's children)."""
        return {}

    def limits(self) -> dict[str, str]:
        """What each field accepts *given the other fields' values* (cross-field rules), in words;
        ``osehw show`` prints it beside the declared range."""
        return {}


def describe_fields(schema: type[DesignParams]) -> list[dict[str, Any]]:
    """Name, unit, default, range, choices and description of each field (for ``osehw show``).

    ``choices`` is a :class:`Choices` (from a ``Literal`` type or the schema's
    ``choices()``) or None.
    """
    listed = schema.choices()
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
            "choices": listed.get(name) or (Choices(_choices(info.annotation)) if _choices(info.annotation) else None),
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
        key = key.strip()
        if not sep or not key:
            problems.append(Problem(source, quote_text(pair), NO_VALUE, "expected FIELD=VALUE"))
            continue
        if len(key) > MAX_FIELD_NAME:
            problems.append(Problem(source, quote_text(key, 40), NO_VALUE,
                                    f"field name of {len(key)} characters: no field is that long"))
            continue
        if key in out:
            problems.append(Problem(source, key, raw, "set twice; give each field once"))
            continue
        try:
            out[key] = load_yaml(raw) if raw.strip() else ""
        except YamlInputError as exc:
            if exc.rule.startswith("not valid YAML"):
                out[key] = raw  # not YAML: keep the text, the field's own rule judges it
            else:
                problems.append(Problem(source, key, raw, exc.rule))
    if problems:
        raise ParamError(problems)
    return out


def read_yaml_mapping(path: Path, what: str) -> dict[str, Any]:
    """A small YAML file that must hold a mapping, read strictly; ParamError naming the file otherwise."""
    label = display_path(path)
    try:
        data = load_yaml(decode_text(read_small_file(path)))
    except FileNotFoundError:
        raise ParamError([Problem(label, "(file)", str(path), "file not found")]) from None
    except OSError as exc:
        raise ParamError([Problem(label, "(file)", NO_VALUE, f"cannot read: {exc.strerror or exc}")]) from None
    except YamlInputError as exc:
        raise ParamError([Problem(label, exc.where, NO_VALUE, exc.rule)]) from None
    if not isinstance(data, dict):
        raise ParamError([Problem(label, "(file)", type(data).__name__, f"must be a mapping: {what}")])
    return data


DESIGN_FILE_KEYS = ["design", "params", "site", "title", "notes"]


@dataclass(frozen=True)
class DesignDocument:
    """A design file as written: which design builds it, its raw parameters, and the site it names."""

    design: str
    params: dict[str, Any]
    site: str | None = None


def read_parameter_file(path: Path, keys: list[str], name_key: str, name_rule: str
                        ) -> tuple[str, dict[str, Any], str, dict[str, Any], list[Problem]]:
    """A parameter file's common frame (a design file, a plan file): the file's label, its top-level mapping,
    the name under ``name_key``, the raw ``params`` mapping, and the problems found so far — a top-level key
    not in ``keys``, a missing name (``name_rule`` says what it names), ``params`` not a mapping."""
    label = display_path(path)
    data = read_yaml_mapping(path, f"with '{name_key}' and 'params'")
    problems = [Problem(label, k, data[k], _did_you_mean("top-level key", k, keys)) for k in sorted(set(data) - set(keys))]
    name = data.get(name_key)
    if not isinstance(name, str) or not name:
        problems.append(Problem(label, name_key, name, f"required: {name_rule}"))
    params = data.get("params") or {}
    if not isinstance(params, dict):
        problems.append(Problem(label, "params", params, "must be a mapping of field: value"))
    return label, data, str(name), params, problems


def read_design_file(path: Path) -> DesignDocument:
    """The design file's design name, raw params and site name, or ParamError."""
    label, data, design, params, problems = read_parameter_file(
        path, DESIGN_FILE_KEYS, "design", "the name of the design module that builds this file")
    site = data.get("site")
    if site is not None and (not isinstance(site, str) or not site):
        problems.append(Problem(label, "site", site, "a site name under sites/ or the path of a site file"))
    if problems:
        raise ParamError(problems)
    return DesignDocument(str(design), dict(params), site)


def read_small_file(path: Path) -> bytes:
    """The file's bytes, refusing folders and anything larger than a parameter file may be."""
    with path.open("rb") as fh:
        data = fh.read(MAX_YAML_BYTES + 1)
    if len(data) > MAX_YAML_BYTES:
        raise YamlInputError("(file)", f"larger than the {MAX_YAML_BYTES:,} bytes a parameter file may have")
    return data


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
    if kind == "finite_number":
        return f"must be a finite number{unit} (not NaN or infinity)"
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
