"""Cutting order: inside features before the outline that frees a part, tools grouped, short travel.

Rules, in order of precedence:

1. **Inside before outside.** Every operation that is not an outside
   profile (drill, helical bore, pocket, inside profile, engrave) of a part
   comes before that part's outside profile, whatever tools they use: once
   the outline is cut the part is held by tabs alone and may shift.
2. **One program per tool.** Operations are grouped by tool, tools in this
   order: v-bit (labels are engraved while the sheet is whole and flat, as
   WikiHouse's layer order puts labels first), drills, then end mills from
   the smallest to the largest (the small tool does the fine inside work,
   the large one the outlines). When rule 1 needs a tool earlier than this
   order gives (a part whose outline is cut with a smaller tool than one of
   its inside features), the tool order is changed to satisfy it; if no
   single order of tools can (two parts demand opposite orders), the job is
   split into two stages, all inside work first, then all outlines, and a
   tool may appear once in each.
3. **Short travel within a tool.** Inside work first, then outlines (rule
   1 within one tool); each set ordered by nearest neighbour from where the
   tool is (the origin for the first), then improved on the entry and exit
   points of the operations by 2-opt (reverse a run) and Or-opt (move a run
   of 1-3 operations elsewhere) until neither shortens the path. On an open
   path from a fixed start 2-opt alone stalls in cases Or-opt fixes (from
   x = 10: 11, 13, 8 costs 8 mm; no reversal helps; moving 8 first gives 7).
   Ties break by input position, so the result is deterministic.

Operations are not reversed or re-entered at another point: their moves
are kept as made. Without tool profiles, tool kinds are guessed from the
operations (an engrave op's tool is a v-bit, a drill op's a drill) and end
mills keep their first-appearance order.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np

from osehw.cam.ops.moves import Operation
from osehw.cam.shop import Tool

OUTSIDE = "profile_outside"
_KIND_RANK = {"vbit": 0, "drill": 1, "flat": 2, "ball": 2}

XY = tuple[float, float]


def op_endpoints(op: Operation) -> tuple[XY, XY]:
    """(first XY the operation moves to, XY where it ends) [mm]."""
    x: float | None = None
    y: float | None = None
    start: XY | None = None
    for move in op.moves:
        if move.x is not None:
            x = move.x
        if move.y is not None:
            y = move.y
        if start is None and x is not None and y is not None:
            start = (x, y)
    if start is None or x is None or y is None:
        raise ValueError(f"{op.part}: operation '{op.feature}' never moves in XY")
    return start, (x, y)


def travel_length(ops: Sequence[Operation], start: XY | None = None) -> float:
    """XY rapid distance between consecutive operations [mm] (end of one to start of the next).

    With ``start`` (e.g. the origin) the leg from there to the first operation counts too.
    """
    total = 0.0
    here = start
    for op in ops:
        s, e = op_endpoints(op)
        if here is not None:
            total += math.dist(here, s)
        here = e
    return total


def _tool_rank(ops: Sequence[Operation], tools: Mapping[str, Tool] | None) -> dict[str, tuple]:
    """Default sort key of each tool id used in ``ops``."""
    first_seen: dict[str, int] = {}
    kinds: dict[str, set[str]] = {}
    for index, op in enumerate(ops):
        first_seen.setdefault(op.tool, index)
        kinds.setdefault(op.tool, set()).add(op.kind)
    rank: dict[str, tuple] = {}
    for tool_id, seen in first_seen.items():
        if tools is not None and tool_id in tools:
            t = tools[tool_id]
            rank[tool_id] = (_KIND_RANK.get(t.kind, 3), t.diameter, tool_id)
        elif kinds[tool_id] == {"engrave"}:
            rank[tool_id] = (0, 0.0, seen)
        elif kinds[tool_id] == {"drill"}:
            rank[tool_id] = (1, 0.0, seen)
        else:
            rank[tool_id] = (2, 0.0, seen)
    return rank


def _tool_order(ops: Sequence[Operation], rank: Mapping[str, tuple]) -> list[str] | None:
    """Tool order honouring "inside before outside" per part, or None if none exists.

    Kahn's topological sort of the tools, picking the best-ranked free tool
    each time; an edge a → b means some part has inside work with tool a and
    its outline with tool b.
    """
    tools_used = sorted(rank, key=lambda t: rank[t])
    inside: dict[str, set[str]] = {}
    outside: dict[str, set[str]] = {}
    for op in ops:
        (outside if op.kind == OUTSIDE else inside).setdefault(op.part, set()).add(op.tool)
    after: dict[str, set[str]] = {t: set() for t in tools_used}
    for part, outline_tools in outside.items():
        for a in inside.get(part, ()):
            for b in outline_tools:
                if a != b:
                    after[a].add(b)
    needed = {t: 0 for t in tools_used}
    for a in tools_used:
        for b in after[a]:
            needed[b] += 1
    order: list[str] = []
    free = [t for t in tools_used if needed[t] == 0]
    while free:
        free.sort(key=lambda t: rank[t])
        t = free.pop(0)
        order.append(t)
        for b in sorted(after[t], key=lambda u: rank[u]):
            needed[b] -= 1
            if needed[b] == 0:
                free.append(b)
    return order if len(order) == len(tools_used) else None


def _route(ops: list[Operation], here: XY) -> list[Operation]:
    """Nearest neighbour from ``here``, then 2-opt and Or-opt moves until none shortens the path."""
    n = len(ops)
    if n <= 1:
        return list(ops)
    ends = [op_endpoints(op) for op in ops]
    starts = np.array([s for s, _ in ends])
    stops = np.array([e for _, e in ends])
    # cost[a, b]: rapid from the end of op a to the start of op b. Row n is the
    # start point, column n the free end of the open path (cost 0).
    cost = np.zeros((n + 1, n + 1))
    cost[:n, :n] = np.hypot(stops[:, None, 0] - starts[None, :, 0], stops[:, None, 1] - starts[None, :, 1])
    cost[n, :n] = np.hypot(starts[:, 0] - here[0], starts[:, 1] - here[1])
    left = list(range(n))
    order: list[int] = []
    at = n
    while left:
        best = min(left, key=lambda k: (round(float(cost[at, k]), 9), k))
        order.append(best)
        left.remove(best)
        at = best
    for _round in range(200):
        if not (_two_opt(order, cost) or _or_opt(order, cost)):
            break
    return [ops[k] for k in order]


def _two_opt(order: list[int], cost: np.ndarray) -> bool:
    """Apply the best run reversal that shortens the path; True if one did.

    Operations keep their own direction, so reversing the run i..j changes
    its inner legs from cost[o_k, o_k+1] to cost[o_k+1, o_k]: prefix sums of
    forward and backward leg costs give every candidate's gain in O(1).
    """
    n = len(order)
    end = cost.shape[0] - 1  # index of the start point (row) and the free end (column)
    o = np.array(order)
    fwd = np.concatenate(([0.0], np.cumsum(cost[o[:-1], o[1:]])))  # fwd[k] = legs o0→…→ok
    bwd = np.concatenate(([0.0], np.cumsum(cost[o[1:], o[:-1]])))
    after = np.append(o[1:], end)  # successor of each position (free end after the last)
    best_gain = 1e-9
    best: tuple[int, int] | None = None
    for i in range(n - 1):
        j = np.arange(i + 1, n)
        before = end if i == 0 else o[i - 1]
        old = cost[before, o[i]] + (fwd[j] - fwd[i]) + cost[o[j], after[j]]
        new = cost[before, o[j]] + (bwd[j] - bwd[i]) + cost[o[i], after[j]]
        gain = old - new
        k = int(np.argmax(gain))
        if gain[k] > best_gain:
            best_gain = float(gain[k])
            best = (i, int(j[k]))
    if best is None:
        return False
    i, j = best
    order[i:j + 1] = order[i:j + 1][::-1]
    return True


def _or_opt(order: list[int], cost: np.ndarray) -> bool:
    """Move one run of 1-3 operations to where it shortens the path most; True if one moved."""
    n = len(order)
    end = cost.shape[0] - 1
    best_gain = 1e-9
    best: tuple[int, int, int] | None = None
    for length in (1, 2, 3):
        for i in range(n - length + 1):
            run = order[i:i + length]
            rest = order[:i] + order[i + length:]
            before = end if i == 0 else order[i - 1]
            nxt = end if i + length == n else order[i + length]
            inner = sum(cost[run[k], run[k + 1]] for k in range(length - 1))
            removed = cost[before, run[0]] + inner + cost[run[-1], nxt] - cost[before, nxt]
            prev = np.array([end] + rest)
            succ = np.array(rest + [end])
            added = cost[prev, run[0]] + inner + cost[run[-1], succ] - cost[prev, succ]
            gain = removed - added
            gain[i] = 0.0  # putting it back where it was
            k = int(np.argmax(gain))
            if gain[k] > best_gain:
                best_gain = float(gain[k])
                best = (i, length, k)
    if best is None:
        return False
    i, length, k = best
    run = order[i:i + length]
    rest = order[:i] + order[i + length:]
    order[:] = rest[:k] + run + rest[k:]
    return True


def order_operations(ops: Sequence[Operation], tools: Mapping[str, Tool] | None = None,
                     start: XY = (0.0, 0.0)) -> list[Operation]:
    """Operations in cutting order (see the module docstring for the rules).

    Parameters
    ----------
    ops : operations of one sheet (or one part), in any order.
    tools : tool profiles by id, to order tools by kind and diameter.
    start : XY [mm] where the machine starts (the sheet origin).
    """
    ops = list(ops)
    if not ops:
        return []
    rank = _tool_rank(ops, tools)
    tool_order = _tool_order(ops, rank)
    if tool_order is not None:
        stages = [[(t, [op for op in ops if op.tool == t]) for t in tool_order]]
    else:
        by_rank = sorted(rank, key=lambda t: rank[t])
        inside = [(t, [op for op in ops if op.tool == t and op.kind != OUTSIDE]) for t in by_rank]
        outside = [(t, [op for op in ops if op.tool == t and op.kind == OUTSIDE]) for t in by_rank]
        stages = [inside, outside]
    result: list[Operation] = []
    here = start
    for stage in stages:
        for _tool, group in stage:
            for subset in ([op for op in group if op.kind != OUTSIDE],
                           [op for op in group if op.kind == OUTSIDE]):
                routed = _route(subset, here)
                if routed:
                    here = op_endpoints(routed[-1])[1]
                result.extend(routed)
    return result


def check_order(ops: Sequence[Operation]) -> list[str]:
    """Violations of "inside before outside" in ``ops`` (empty when the order is sound)."""
    freed: set[str] = set()
    problems: list[str] = []
    for op in ops:
        if op.kind == OUTSIDE:
            freed.add(op.part)
        elif op.part in freed:
            problems.append(f"{op.part}: {op.kind} '{op.feature}' comes after the outline that frees the part")
    return problems
