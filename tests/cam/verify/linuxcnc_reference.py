"""LinuxCNC's own interpreter (``rs274``, package linuxcnc-uspace) as a second reading of a program.

``rs274 -g FILE`` prints the canonical machining commands LinuxCNC's
interpreter makes of a program: STRAIGHT_TRAVERSE / STRAIGHT_FEED (end X Y Z
…) and ARC_FEED (first end, second end, first centre, second centre,
rotation, end of the normal axis …), in the units of the last
USE_LENGTH_UNITS, with every offset applied. Nothing here shares code with
osehw's parser; tests that need it skip where rs274 is not installed.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

RS274 = shutil.which("rs274")
_CALL = re.compile(r"\b(STRAIGHT_TRAVERSE|STRAIGHT_FEED|ARC_FEED|USE_LENGTH_UNITS|SELECT_PLANE)\((.*)\)")


@dataclass
class Reading:
    feed_length: float  # [mm] G1/G2/G3 path length from the first fully known position
    rapid_ends: int
    feed_ends: int
    x_range: tuple[float, float]  # [mm] of every cutting move's end (rapids start from LinuxCNC's 0, 0, 0)
    y_range: tuple[float, float]
    z_range: tuple[float, float]
    error: str  # the interpreter's error message, if it stopped on one


def read(path: Path) -> Reading:
    done = subprocess.run([RS274, "-g", str(path)], capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    scale, plane = 1.0, "XY"
    pos: list[float] | None = None
    feed = 0.0
    rapids = feeds = 0
    ends: list[list[float]] = []
    for line in done.stdout.splitlines():
        m = _CALL.search(line)
        if not m:
            continue
        name, args = m.group(1), m.group(2)
        if name == "USE_LENGTH_UNITS":
            scale = 25.4 if "INCHES" in args else (10.0 if "CM" in args else 1.0)
            continue
        if name == "SELECT_PLANE":
            plane = args.replace("CANON_PLANE_", "")
            continue
        v = [float(a) for a in args.split(",")]
        if name in ("STRAIGHT_TRAVERSE", "STRAIGHT_FEED"):
            end = [v[0] * scale, v[1] * scale, v[2] * scale]
            if name == "STRAIGHT_FEED" and pos is not None:
                feed += math.dist(pos, end)
            rapids += name == "STRAIGHT_TRAVERSE"
            feeds += name == "STRAIGHT_FEED"
        else:
            e1, e2, c1, c2, turns, normal_end = (x * scale if k != 4 else x for k, x in enumerate(v[:6]))
            idx = {"XY": (0, 1, 2), "XZ": (2, 0, 1), "YZ": (1, 2, 0)}[plane]
            end = [0.0, 0.0, 0.0]
            end[idx[0]], end[idx[1]], end[idx[2]] = e1, e2, normal_end
            if pos is not None:
                s1, s2 = pos[idx[0]], pos[idx[1]]
                r0, r1 = math.hypot(s1 - c1, s2 - c2), math.hypot(e1 - c1, e2 - c2)
                a0, a1 = math.atan2(s2 - c2, s1 - c1), math.atan2(e2 - c2, e1 - c1)
                sweep = (a1 - a0) % (2 * math.pi) if turns > 0 else (a0 - a1) % (2 * math.pi)
                if sweep < 1e-12:
                    sweep = 2 * math.pi
                sweep += 2 * math.pi * (abs(turns) - 1)
                planar = sweep * (r0 + r1) / 2
                feed += math.hypot(planar, end[idx[2]] - pos[idx[2]])
            feeds += 1
        if name != "STRAIGHT_TRAVERSE":
            ends.append(end)
        pos = end
    err = "\n".join(line for line in done.stdout.splitlines() + done.stderr.splitlines()
                    if "error" in line.lower() or "unknown" in line.lower())
    rng = [(min(e[k] for e in ends), max(e[k] for e in ends)) if ends else (0.0, 0.0) for k in range(3)]
    return Reading(feed, rapids, feeds, rng[0], rng[1], rng[2], err)
