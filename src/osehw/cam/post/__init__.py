"""Post-processors: toolpath commands → G-code text, one jinja2 template per controller.

The move list is reduced to blocks here, in one dialect-neutral pass (modal
feed, unchanged coordinates omitted, Z translated to the machine's zero);
each controller's template decides what the blocks look like and what goes
around them. Every program is for one tool: the caller splits jobs by tool.

Dialect choices (each template's header repeats the ones its operator needs):

- GRBL 1.1: only words GRBL 1.1 lists as supported (GRBL wiki, "Grbl v1.1
  Commands"); no M6, canned cycles, cutter compensation, O-words or line
  numbers; comments in parentheses only; G4 P in seconds.
- LinuxCNC 2.9: no ``T1 M6`` — a T word names a tool-table entry, and a
  machine without that entry stops with an error, so the tool is stated in
  the header and in a ``(MSG, ...)`` the operator sees; G64 P0.01 keeps
  path blending within 0.01 mm; G4 P in seconds (LinuxCNC G-code reference).
- Mach3: like LinuxCNC without MSG/G64 P; G91.1 fixes incremental I/J
  regardless of the "IJ mode" setting; G4 P is in seconds, which needs
  Mach3's "G04 Dwell param in ms" option unticked (its default) — the
  header says so.
"""

from __future__ import annotations

import math
import re
import textwrap
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import jinja2

from osehw.cam.ops.moves import Arc, Line, Operation, Rapid
from osehw.cam.shop import FeedsAndSpeeds, Machine, Tool
from osehw.core.errors import OsehwError


class PostError(OsehwError, ValueError):
    """A program that this post-processor cannot write correctly."""


@dataclass(frozen=True)
class ProgramHeader:
    """What a program's header states and what its preamble needs.

    stock_* [mm]; estimated_time_s [s]; spinup_s [s] is the dwell after
    starting the spindle (a VFD spindle ramps up in a few seconds).
    """

    title: str
    parts: tuple[tuple[str, int], ...]
    material: str
    stock_x: float
    stock_y: float
    stock_thickness: float
    tool: Tool
    feeds: FeedsAndSpeeds
    z_zero: str
    estimated_time_s: float
    machine: Machine
    spinup_s: float = 4.0


@dataclass(frozen=True)
class PostProcessor:
    """One controller dialect.

    allowed_g / allowed_m: the G and M numbers this post may emit; a rendered
    program using any other is refused (a guard against template mistakes).
    """

    name: str
    template: str
    description: str
    extension: str  # the program file's extension, as the controller's own tools expect it
    allowed_g: frozenset[str]
    allowed_m: frozenset[str]
    comment_width: int = 70


_REGISTRY: dict[str, PostProcessor] = {}


def register(post_processor: PostProcessor) -> PostProcessor:
    """Add a post-processor under its controller name; a second one of the same name raises."""
    if post_processor.name in _REGISTRY:
        raise KeyError(f"post-processor '{post_processor.name}' is already registered")
    _REGISTRY[post_processor.name] = post_processor
    return post_processor


def get_post(name: str) -> PostProcessor:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise PostError(
            f"no post-processor for controller '{name}', must be one of {', '.join(sorted(_REGISTRY))}"
        ) from None


def registered() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))


_COMMON_G = frozenset({"0", "1", "2", "3", "4", "17", "21", "54", "90", "94"})
register(PostProcessor(
    name="grbl", template="grbl.nc.j2", description="GRBL 1.1", extension="nc",
    allowed_g=_COMMON_G, allowed_m=frozenset({"2", "3", "5"})))
register(PostProcessor(
    name="linuxcnc", template="linuxcnc.ngc.j2", description="LinuxCNC 2.9", extension="ngc",
    allowed_g=_COMMON_G | {"40", "49", "64", "80", "91.1"}, allowed_m=frozenset({"3", "5", "30"})))
register(PostProcessor(
    name="mach3", template="mach3.tap.j2", description="Mach3", extension="tap",
    allowed_g=_COMMON_G | {"40", "49", "80", "91.1"}, allowed_m=frozenset({"3", "5", "30"})))


# ---------------------------------------------------------------- formatting

def fmt(value: float, decimals: int = 3) -> str:
    """Fixed ``decimals`` places, trailing zeros and a bare point stripped, never "-0".

    >>> fmt(1.5), fmt(-0.0001), fmt(12.0), fmt(-2.34567)
    ('1.5', '0', '12', '-2.346')
    """
    if not math.isfinite(value):
        raise PostError(f"non-finite number {value!r} in a program")
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text


_ASCII_FOR = {"×": "x", "Ø": "D", "ø": "D", "°": " deg", "µ": "u", "–": "-", "—": "-",
              "²": "^2", "³": "^3", "±": "+/-", "≤": "<=", "≥": ">=", "→": "->"}


def comment_text(text: str) -> str:
    """Make ``text`` safe inside a ( ) comment on every controller.

    ASCII only (GRBL rejects other bytes), no parentheses (comments do not
    nest), no ';' (some readers, pygcode among them, take it as a line
    comment even inside parentheses), no control characters.
    """
    out = "".join(_ASCII_FOR.get(ch, ch) for ch in text)
    out = unicodedata.normalize("NFKD", out).encode("ascii", "ignore").decode("ascii")
    out = out.replace("(", "[").replace(")", "]").replace(";", ",")
    out = re.sub(r"[\x00-\x1f\x7f]+", " ", out)
    return " ".join(out.split())


def _comment_lines(text: str, width: int) -> list[str]:
    clean = comment_text(text)
    return textwrap.wrap(clean, width) if clean else []


def _duration(seconds: float) -> str:
    total = int(round(seconds))
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


# ---------------------------------------------------------------- moves → blocks

@dataclass(frozen=True)
class Block:
    """One line of motion or a comment: ``kind`` is rapid | line | arc_cw | arc_ccw | comment | spindle."""

    kind: str
    words: tuple[tuple[str, str], ...] = ()
    text: str = ""


@dataclass
class _State:
    z_offset: float
    pos: dict[str, str] = field(default_factory=dict)
    exact_x: float = 0.0
    exact_y: float = 0.0
    feed: str | None = None


def _axis_words(state: _State, x: float | None, y: float | None, z: float | None,
                force_xy: bool = False) -> list[tuple[str, str]]:
    words: list[tuple[str, str]] = []
    for axis, value, offset in (("X", x, 0.0), ("Y", y, 0.0), ("Z", z, state.z_offset)):
        if value is None:
            continue
        text = fmt(value + offset)
        if text != state.pos.get(axis) or (force_xy and axis in "XY"):
            words.append((axis, text))
        state.pos[axis] = text
        if axis == "X":
            state.exact_x = value
        elif axis == "Y":
            state.exact_y = value
    return words


def _feed_word(state: _State, feed: float) -> list[tuple[str, str]]:
    if feed <= 0:
        raise PostError(f"cutting move with feed {feed!r} mm/min")
    text = fmt(feed, 0)
    if text == state.feed:
        return []
    state.feed = text
    return [("F", text)]


def blocks_for(operations: Sequence[Operation], z_offset: float, rpm: float,
               safe_z: float, width: int = 70) -> list[Block]:
    """Reduce operations to blocks: Z shifted by ``z_offset`` [mm], modal feed, no unchanged axes.

    The program starts at ``safe_z`` [mm, stock frame] (the template's first
    move) and the blocks end with a retract there if the last move did not.
    """
    state = _State(z_offset=z_offset)
    state.pos["Z"] = fmt(safe_z + z_offset)
    blocks: list[Block] = []
    current_rpm = fmt(rpm, 0)
    for op in operations:
        for line in _comment_lines(f"{op.kind} {op.part} {op.feature} depth {fmt(op.depth)}", width):
            blocks.append(Block("comment", text=line))
        if op.spindle_rpm > 0 and fmt(op.spindle_rpm, 0) != current_rpm:
            current_rpm = fmt(op.spindle_rpm, 0)
            blocks.append(Block("spindle", (("S", current_rpm),)))
        for move in op.moves:
            if isinstance(move, Rapid):
                words = _axis_words(state, move.x, move.y, move.z)
                if words:
                    blocks.append(Block("rapid", tuple(words)))
            elif isinstance(move, Line):
                words = _axis_words(state, move.x, move.y, move.z)
                if words:
                    blocks.append(Block("line", tuple(words + _feed_word(state, move.feed))))
            elif isinstance(move, Arc):
                # I/J are taken from the start point as printed (rounded), not the
                # exact one, so the controller's start and end radii agree to
                # about 0.001 mm (GRBL refuses > 0.005 mm, LinuxCNC a bit more).
                start = (state.pos.get("X"), state.pos.get("Y"))
                i = move.i if start[0] is None else state.exact_x + move.i - float(start[0])
                j = move.j if start[1] is None else state.exact_y + move.j - float(start[1])
                # X and Y always: GRBL refuses an arc with no axis word in its plane.
                words = _axis_words(state, move.x, move.y, move.z, force_xy=True)
                words += [("I", fmt(i)), ("J", fmt(j))]
                kind = "arc_cw" if move.clockwise else "arc_ccw"
                blocks.append(Block(kind, tuple(words + _feed_word(state, move.feed))))
            else:
                raise PostError(f"{op.part}/{op.feature}: unknown move {move!r}")
    retract = _axis_words(state, None, None, safe_z)
    if retract:
        blocks.append(Block("rapid", tuple(retract)))
    return blocks


# ---------------------------------------------------------------- rendering

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(Path(__file__).parent)),
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
    autoescape=False,
)
_ENV.filters["fmt"] = fmt


def header_comments(header: ProgramHeader, width: int = 70) -> list[str]:
    """The header's comment lines (without parentheses), ASCII and wrapped to ``width``."""
    f = header.feeds
    zero = {"stock_top": "top of the stock",
            "spoilboard": "spoilboard surface under the stock"}.get(header.z_zero, header.z_zero)
    lines = [header.title, f"Machine: {header.machine.name}", "Parts:"]
    lines += [f"  {qty} x {label}" for label, qty in header.parts]
    lines += [
        f"Material: {header.material}",
        f"Stock: {fmt(header.stock_x)} x {fmt(header.stock_y)} x {fmt(header.stock_thickness)} mm",
        f"Tool: {header.tool.name} [{header.tool.id}]",
        f"Spindle {fmt(f.rpm, 0)} rpm; feed {fmt(f.feed, 0)}, plunge {fmt(f.plunge, 0)} mm/min",
        f"Chipload {fmt(f.chipload)} mm/tooth; stepdown {fmt(f.stepdown)}, stepover {fmt(f.stepover)} mm",
    ]
    if f.note:
        lines.append(f"Note: {f.note}")
    lines += [
        "XY zero: lower-left corner of the stock",
        f"Z zero: {zero}; safe Z {fmt(header.machine.safe_z)} mm above the stock",
        f"Estimated time: {_duration(header.estimated_time_s)}",
    ]
    out: list[str] = []
    for line in lines:
        # Item lines keep their indent; wrapped continuations get one more.
        indent = "  " if line.startswith("  ") else ""
        wrapped = _comment_lines(line, width - len(indent) - 2)
        out += [indent + ("  " if k else "") + w for k, w in enumerate(wrapped)]
    return out


_WORD = re.compile(r"([A-Z])\s*(-?[0-9.]+)")


def _check_words(program: str, post_processor: PostProcessor) -> None:
    for number, raw in enumerate(program.splitlines(), 1):
        code = re.sub(r"\([^)]*\)", "", raw)
        for letter, value in _WORD.findall(code):
            if letter == "G" and fmt(float(value), 1) not in post_processor.allowed_g:
                raise PostError(f"{post_processor.name}: line {number} '{raw}' uses G{value}, not in this dialect")
            if letter == "M" and fmt(float(value), 1) not in post_processor.allowed_m:
                raise PostError(f"{post_processor.name}: line {number} '{raw}' uses M{value}, not in this dialect")


def post(header: ProgramHeader, operations: Sequence[Operation]) -> str:
    """Render one program (one tool) for ``header.machine.controller``.

    Raises PostError when an operation uses another tool, a move has no
    feed, or the rendered text would use a word outside the dialect.
    """
    pp = get_post(header.machine.controller)
    others = sorted({op.tool for op in operations if op.tool != header.tool.id})
    if others:
        raise PostError(
            f"{header.title}: one program per tool; header tool is '{header.tool.id}' "
            f"but operations use {', '.join(others)}"
        )
    if header.z_zero in ("stock_top", "spoilboard") and header.z_zero != header.machine.z_zero:
        raise PostError(
            f"{header.title}: header Z zero '{header.z_zero}' disagrees with machine "
            f"'{header.machine.id}' Z zero '{header.machine.z_zero}'"
        )
    z_offset = header.stock_thickness if header.machine.z_zero == "spoilboard" else 0.0
    blocks = blocks_for(operations, z_offset, header.feeds.rpm, header.machine.safe_z, pp.comment_width)
    program = _ENV.get_template(pp.template).render(
        h=header,
        pp=pp,
        comments=header_comments(header, pp.comment_width),
        blocks=blocks,
        safe_z=fmt(header.machine.safe_z + z_offset),
        rpm=fmt(header.feeds.rpm, 0),
        spinup=fmt(header.spinup_s),
        tool_msg=comment_text(f"Load tool {header.tool.id}: {header.tool.name}"),
    )
    _check_words(program, pp)
    if not program.endswith("\n"):
        program += "\n"
    return program
