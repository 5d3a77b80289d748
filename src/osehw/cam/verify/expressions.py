"""LinuxCNC / RS274NGC parameters and expressions, evaluated so the word reader sees plain numbers.

Programs from other CAM (and hand-written LinuxCNC programs) use parameters:
``#<xscale> = 1.0``, ``#1 = [#<xscale> * 25.4]``, ``G1 X[#1 + 2]``. The word reader
(:mod:`osehw.cam.verify.tokens`) reads none of this, so :func:`substitute` evaluates every ``#…`` reference and
``[…]`` expression of a line and writes the number in its place, and carries
out the line's parameter settings.

Rules, from the LinuxCNC 2.9 manual, "Overview: Parameters" and "Expressions"
(the same as NIST RS274NGC v3 §3.3.2–3.3.3):

- numbered ``#1``…``#5399``, named local ``#<name>`` and global ``#<_name>``
  parameters; names are case-insensitive and spaces inside are ignored;
- ``#n = value`` settings on a line all take effect after the line's other
  references are read;
- binary operators by precedence: ``**``; ``* / MOD``; ``+ -``;
  ``EQ NE GT GE LT LE``; ``AND OR XOR``; unary functions ``ABS ACOS ASIN
  COS EXP FIX FUP ROUND LN SIN SQRT TAN`` on a bracketed argument (degrees
  for the trigonometric ones) and ``ATAN[y]/[x]``.

An unset parameter reads as 0 (as in LinuxCNC, which only warns); anything
else this evaluator cannot read is an :class:`ExpressionError`, which the
parser reports as an unreadable line.
"""

from __future__ import annotations

import math
import re
from typing import Callable

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")
_WORD = re.compile(r"[A-Z]+")
_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "ABS": abs, "ACOS": lambda v: math.degrees(math.acos(v)), "ASIN": lambda v: math.degrees(math.asin(v)),
    "COS": lambda v: math.cos(math.radians(v)), "EXP": math.exp, "FIX": math.floor, "FUP": math.ceil,
    "ROUND": lambda v: float(math.floor(v + 0.5)), "LN": math.log, "SIN": lambda v: math.sin(math.radians(v)),
    "SQRT": math.sqrt, "TAN": lambda v: math.tan(math.radians(v)),
}
_BINARY: list[dict[str, Callable[[float, float], float]]] = [  # loosest binding first
    {"AND": lambda a, b: float(bool(a) and bool(b)), "OR": lambda a, b: float(bool(a) or bool(b)),
     "XOR": lambda a, b: float(bool(a) != bool(b))},
    {"EQ": lambda a, b: float(a == b), "NE": lambda a, b: float(a != b), "GT": lambda a, b: float(a > b),
     "GE": lambda a, b: float(a >= b), "LT": lambda a, b: float(a < b), "LE": lambda a, b: float(a <= b)},
    {"+": lambda a, b: a + b, "-": lambda a, b: a - b},
    {"*": lambda a, b: a * b, "/": lambda a, b: a / b, "MOD": lambda a, b: math.fmod(a, b)},
    {"**": lambda a, b: a ** b},
]


class ExpressionError(ValueError):
    """A parameter reference or expression that cannot be evaluated (says what and where)."""


class _Reader:
    """Recursive-descent reader over one line with comments already removed (upper case, no spaces)."""

    def __init__(self, text: str, params: dict[str, float]) -> None:
        self.text, self.i, self.params = text, 0, params

    def peek(self, s: str) -> bool:
        return self.text.startswith(s, self.i)

    def expect(self, s: str) -> None:
        if not self.peek(s):
            raise ExpressionError(f"expected '{s}' at column {self.i + 1} of {self.text!r}")
        self.i += len(s)

    def parameter(self) -> str:
        """The key of the parameter after '#': '5', '<name>' or the value of '#[expr]' / '##5'."""
        self.expect("#")
        if self.peek("<"):
            end = self.text.find(">", self.i)
            if end < 0:
                raise ExpressionError(f"unclosed parameter name in {self.text!r}")
            name = self.text[self.i + 1:end]
            self.i = end + 1
            return f"<{name}>"
        return _key(self.value())

    def value(self) -> float:
        """A real value: number, parameter, [expression], function or unary sign."""
        t = self.text
        if self.peek("["):
            self.i += 1
            v = self.expression(0)
            self.expect("]")
            return v
        if self.peek("#"):
            return self.params.get(self.parameter(), 0.0)
        if self.peek("-") or self.peek("+"):
            sign = -1.0 if t[self.i] == "-" else 1.0
            self.i += 1
            return sign * self.value()
        m = _NUMBER.match(t, self.i)
        if m and m.start() == self.i:
            self.i = m.end()
            return float(m.group(0))
        w = _WORD.match(t, self.i)
        if w:
            name = w.group(0)
            if name == "ATAN":
                self.i = w.end()
                y = self.value()
                self.expect("/")
                return math.degrees(math.atan2(y, self.value()))
            if name in _FUNCTIONS:
                self.i = w.end()
                try:
                    return float(_FUNCTIONS[name](self.value()))
                except (ValueError, OverflowError) as exc:
                    raise ExpressionError(f"{name} of an invalid argument in {t!r}: {exc}") from None
            if name == "EXISTS":
                raise ExpressionError(f"EXISTS[] is not evaluated by this verifier ({t!r})")
        raise ExpressionError(f"cannot read a value at column {self.i + 1} of {t!r}")

    def expression(self, level: int) -> float:
        if level == len(_BINARY):
            return self.value()
        left = self.expression(level + 1)
        while True:
            op = next((o for o in sorted(_BINARY[level], key=len, reverse=True) if self.peek(o)), None)
            if op is None or (op == "*" and self.peek("**")):
                return left
            self.i += len(op)
            right = self.expression(level + 1)
            try:
                left = _BINARY[level][op](left, right)
            except (ZeroDivisionError, OverflowError, ValueError) as exc:
                raise ExpressionError(f"{op} failed in {self.text!r}: {exc}") from None


def _key(number: float) -> str:
    n = round(number)
    if abs(number - n) > 1e-6 or n < 1:
        raise ExpressionError(f"parameter number {number:g} is not a positive whole number")
    return str(n)


_COMMENT = re.compile(r"\([^)]*\)|;.*")


def uses_parameters(line: str) -> bool:
    """Whether the line (outside comments) has a parameter or an expression."""
    code = _COMMENT.sub("", line)
    return "#" in code or "[" in code


def substitute(line: str, params: dict[str, float]) -> str:
    """The line with every reference and expression replaced by its number; settings applied to ``params``.

    Comments are dropped (a line of only settings becomes empty). Raises
    :class:`ExpressionError` when a part of the line cannot be evaluated.
    """
    code = "".join(_COMMENT.sub("", line).upper().split())
    reader = _Reader(code, params)
    out: list[str] = []
    settings: list[tuple[str, float]] = []
    while reader.i < len(code):
        if reader.peek("#"):
            key = reader.parameter()
            if reader.peek("="):
                reader.i += 1
                settings.append((key, reader.expression(0)))
            else:
                raise ExpressionError(f"a parameter reference must follow a word letter: {line.strip()!r}")
        elif code[reader.i].isalpha():
            out.append(code[reader.i])
            reader.i += 1
            rest = code[reader.i:reader.i + 2]
            if rest[:1] in ("#", "[") or rest in ("-#", "-[", "+#", "+["):
                out.append(f"{reader.value():.6f}")
        else:
            out.append(code[reader.i])
            reader.i += 1
    for key, value in settings:  # all settings of a line take effect after its reads
        params[key] = value
    return "".join(out)
