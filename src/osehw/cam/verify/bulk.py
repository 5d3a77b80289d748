"""The whole program at once: words to numbers and the modal state as numpy columns, for clean programs.

osehw's own programs use a small part of the language: mm (G21), absolute
distances (G90), the XY plane (G17), incremental arc centres (I/J), G0–G4, feed,
spindle and program-end codes. :func:`read_clean` reads such a program without a
Python loop over its lines:

1. comments (``( … )``, ``;``) and ``%`` … are cut with one regular expression; the
   rest is turned into bytes and classified (letter, digit, point, sign, space,
   line end) with numpy;
2. each letter starts a word whose number runs to the next letter or line end;
   the number is checked (one sign, first; one point; no space inside; the rules
   of :mod:`osehw.cam.verify.tokens`) and all numbers are converted in one numpy
   cast from bytes, which rounds as ``float()`` does;
3. the modal state (motion mode, position, feed, speed, spindle on/off, the
   stops before each move) is a forward fill of each column along the lines,
   and arcs' centres, radii and sweeps are computed for all arcs at once with the
   formulas of :func:`osehw.cam.verify.parse._arc_geometry`.

It reads only what it can prove it reads as the line-by-line reader
(:func:`osehw.cam.verify.parse.parse_program`) does: anything else in the
program — another word or code, a word the dialect refuses, an arc that does not
close, a move before G21/G90, a block the word reader would refuse — and it
returns None, and the program is read line by line, which reports what it finds.
tests/cam/verify/test_bulk.py checks both readers give the same moves.
"""

from __future__ import annotations

import math
import re

import numpy as np

from osehw.cam.verify.dialect import check_word, simulated
from osehw.cam.verify.parse import ARC_RADIUS_TOLERANCE, MAX_BLEND_TOLERANCE
from osehw.cam.verify.table import MoveTable

_CUT = re.compile(r"\([^)\n]*\)|;[^\n]*|%[^\n]*")
_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")  # str.splitlines() breaks there too
MAX_NUMBER = 24  # characters in a number (sign, digits, point)

# byte classes
_OTHER, _LETTER, _DIGIT, _POINT, _SIGN, _SPACE, _NEWLINE = range(7)
_CLASS = np.full(256, _OTHER, np.int8)
_CLASS[ord("A"):ord("Z") + 1] = _LETTER
_CLASS[ord("a"):ord("z") + 1] = _LETTER
_CLASS[ord("0"):ord("9") + 1] = _DIGIT
_CLASS[ord(".")] = _POINT
_CLASS[ord("+")] = _SIGN
_CLASS[ord("-")] = _SIGN
_CLASS[ord(" ")] = _SPACE
_CLASS[ord("\t")] = _SPACE
_CLASS[ord("\n")] = _NEWLINE

# what a clean program may hold: word letters, and G/M codes (tenths) with their modal group
_LETTERS = "GMXYZIJFSPNT"
_G_GROUP = {0: "motion", 10: "motion", 20: "motion", 30: "motion", 40: "dwell", 170: "plane", 210: "units",
            900: "distance", 911: "arc distance", 940: "feed mode", 540: "coordinates", 400: "compensation",
            490: "tool length", 610: "path", 640: "path"}
_M_GROUP = {0: "stop", 10: "stop", 20: "stop", 300: "stop", 30: "spindle", 40: "spindle", 50: "spindle",
            60: "tool change", 70: "coolant", 80: "coolant", 90: "coolant"}
_UNSIGNED = tuple(ord(ch) for ch in "GMNT")
_WHOLE = tuple(ord(ch) for ch in "NT")
_CODES = (ord("G"), ord("M"))


def _words(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, int] | None:
    """(letter byte, value, line number) of every word, and the number of lines; None if not plain words."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if _OTHER_BREAKS.search(text):
        return None
    n_lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    try:
        raw = np.frombuffer(_CUT.sub("", text).encode("ascii"), np.uint8)
    except UnicodeEncodeError:
        return None
    cls = _CLASS[raw]
    if np.bincount(cls, minlength=7)[_OTHER]:
        return None
    # a space may stand between words and between a letter and its number, never inside a number
    gaps = np.flatnonzero(cls == _SPACE)
    if len(gaps):
        first = gaps[np.concatenate([[True], np.diff(gaps) > 1])]
        last = gaps[np.concatenate([np.diff(gaps) > 1, [True]])]
        before = cls[np.maximum(first - 1, 0)]
        after = cls[np.minimum(last + 1, len(cls) - 1)]
        after = np.where(last + 1 < len(cls), after, _NEWLINE)
        before = np.where(first > 0, before, _NEWLINE)
        number = (_DIGIT, _POINT)
        if (np.isin(before, number) & np.isin(after, (*number, _SIGN))).any() or (before == _SIGN).any():
            return None
        keep = cls != _SPACE
        raw, cls = raw[keep], cls[keep]
    n = len(raw)
    letters = np.flatnonzero(cls == _LETTER)
    if not len(letters):
        return np.zeros(0, np.uint8), np.zeros(0), np.zeros(0, np.int64), n_lines
    breaks = np.flatnonzero(cls == _NEWLINE)
    # a number right after a line end (or at the start) has no letter
    heads = np.concatenate([[0], breaks + 1])
    heads = heads[heads < n]
    if np.isin(cls[heads], (_DIGIT, _POINT, _SIGN)).any():
        return None
    starts = letters + 1
    ends = np.minimum(np.append(letters[1:], n), np.append(breaks, n)[np.searchsorted(breaks, letters)])
    width = ends - starts
    if not len(width) or width.min() < 1 or width.max() > MAX_NUMBER:
        return None  # a letter with no number, or a number too long to be one of ours
    letter = raw[letters] & 0xDF  # upper case
    # signs only first, and not on G/M codes or N/T; G/M codes at most one decimal; N/T whole
    signs = np.flatnonzero(cls == _SIGN)
    if len(signs) and ((cls[signs - 1] != _LETTER) | np.isin(raw[signs - 1] & 0xDF, _UNSIGNED)).any():
        return None
    points = np.flatnonzero(cls == _POINT)
    if len(points):
        word = np.searchsorted(letters, points) - 1
        if (np.diff(word) == 0).any():
            return None  # two points in one number
        of = letter[word]
        if np.isin(of, _WHOLE).any():
            return None
        code = np.isin(of, _CODES)
        if code.any() and (ends[word[code]] - points[code] != 2).any():
            return None  # G/M: one decimal after the point, and a digit before it (checked below)
    w = int(width.max())
    cols = np.arange(w)
    chars = raw[np.minimum(starts[:, None] + cols, n - 1)]
    chars[cols >= width[:, None]] = 0
    try:
        value = np.ascontiguousarray(chars).view(f"S{w}").ravel().astype(np.float64)
    except ValueError:
        return None  # not a number ("X-", "X.")
    if len(points) and code.any() and (points[code] == starts[word[code]]).any():
        return None  # "G.5"
    line = np.searchsorted(breaks, letters) + 1
    return letter, value, line, n_lines


def _ffill(values: np.ndarray, initial: float) -> np.ndarray:
    """Each entry replaced by the last non-NaN entry at or before it (``initial`` before the first)."""
    have = ~np.isnan(values)
    at = np.maximum.accumulate(np.where(have, np.arange(len(values)), -1))
    return np.where(at >= 0, values[np.maximum(at, 0)], initial)


def read_clean(text: str, dialect: str) -> tuple[MoveTable, list[tuple[int, float]], float, int] | None:
    """(moves, spindle events (line, rpm), dwell [s], lines read) of a clean program, or None (see module)."""
    got = _words(text)
    if got is None:
        return None
    letter, value, line, n_lines = got
    if not len(letter):
        return None
    # every letter and code known here, and accepted by the dialect and the verifier
    chars = letter.tobytes().decode("ascii")
    if any(ch not in _LETTERS for ch in set(chars)):
        return None
    is_g, is_m = letter == ord("G"), letter == ord("M")
    key = np.rint(value * 10).astype(np.int64)
    if (np.abs(value * 10 - key) > 1e-6)[is_g | is_m].any():
        return None
    g_keys, m_keys = set(key[is_g].tolist()), set(key[is_m].tolist())
    if not g_keys <= _G_GROUP.keys() or not m_keys <= _M_GROUP.keys():
        return None
    for ch in set(chars) - {"G", "M"}:
        if check_word(dialect, ch, 0.0) or not simulated(ch, 0.0):
            return None
    for lt, keys in (("G", g_keys), ("M", m_keys)):
        for kk in keys:
            if check_word(dialect, lt, kk / 10) or not simulated(lt, kk / 10):
                return None
    # one word per letter (codes: one per modal group) in a block
    group_names = sorted(set(_G_GROUP.values())) + [f"M {g}" for g in sorted(set(_M_GROUP.values()))]
    gid = {g: i for i, g in enumerate(group_names)}
    slot = np.full(len(letter), -1, np.int64)
    slot[is_g] = [gid[_G_GROUP[kk]] for kk in key[is_g].tolist()]
    slot[is_m] = [gid[f"M {_M_GROUP[kk]}"] for kk in key[is_m].tolist()]
    other = ~(is_g | is_m)
    slot[other] = len(group_names) + letter[other].astype(np.int64)
    combo = np.sort(line * 512 + slot)
    if (np.diff(combo) == 0).any():
        return None

    size = n_lines + 2
    col = {}
    for ch in "XYZIJFSPNT":
        sel = letter == ord(ch)
        if sel.any():
            a = np.full(size, np.nan)
            a[line[sel]] = value[sel]
            col[ch] = a
    nan = np.full(size, np.nan)
    get = lambda ch: col.get(ch, nan)  # noqa: E731

    def has_code(sel: np.ndarray, kk: int) -> np.ndarray:
        out = np.zeros(size, bool)
        out[line[sel & (key == kk)]] = True
        return out

    g = {kk: has_code(is_g, kk) for kk in g_keys}
    m = {kk: has_code(is_m, kk) for kk in m_keys}
    none = np.zeros(size, bool)
    gh = lambda kk: g.get(kk, none)  # noqa: E731
    mh = lambda kk: m.get(kk, none)  # noqa: E731

    # the controller stops reading after M2/M30
    ends = np.flatnonzero(mh(20) | mh(300))
    last = int(ends[0]) if len(ends) else n_lines
    live = np.arange(size) <= last

    # P only as a dwell or a blending tolerance, and a blend within the gouge tolerance
    dwell_line = gh(40)
    p = get("P")
    has_p = ~np.isnan(p) & live
    if (has_p & ~dwell_line & ~gh(640)).any():
        return None
    if (gh(640) & live & ~(p <= MAX_BLEND_TOLERANCE)).any():
        return None
    axes = ~np.isnan(get("X")) | ~np.isnan(get("Y")) | ~np.isnan(get("Z"))
    if (axes & dwell_line & live).any():
        return None
    motion_code = np.full(size, np.nan)
    for kk in (0, 10, 20, 30):
        motion_code[gh(kk)] = kk
    motion = _ffill(motion_code, -1.0)
    move_line = axes & ~dwell_line & live
    if (move_line & (motion < 0)).any():
        return None  # axis words with no motion mode
    arc_mode = (motion == 20) | (motion == 30)
    ij = ~np.isnan(get("I")) | ~np.isnan(get("J"))
    if (ij & arc_mode & ~axes & live).any():
        return None  # a full circle without axis words: GRBL refuses it, LinuxCNC reads it (line by line)
    rows = np.flatnonzero(move_line)
    if not len(rows):
        return None
    first = rows[0]
    for kk in (210, 900):
        seen = np.flatnonzero(gh(kk))
        if not len(seen) or seen[0] > first:
            return None  # the first move before G21 / G90
    arcs_at = rows[arc_mode[rows]]
    if len(arcs_at) and dialect == "mach3":
        seen = np.flatnonzero(gh(911))
        if not len(seen) or seen[0] > arcs_at[0]:
            return None

    # modal columns, each the value after the line's words took effect
    feed = _ffill(get("F"), 0.0)
    rpm = _ffill(get("S"), 0.0)
    s_seen = np.cumsum(~np.isnan(get("S"))) > 0
    switch = np.full(size, np.nan)
    switch[mh(30) | mh(40)] = 1.0
    switch[mh(50)] = 0.0
    spindle_cmd = _ffill(switch, 0.0) > 0
    before = np.concatenate([[False], spindle_cmd[:-1]])
    s_here = ~np.isnan(get("S")) & live
    s_event = s_here & before
    m_on = (mh(30) | mh(40)) & live
    m_event = m_on & s_seen
    stop = s_event | m_on | mh(50) | mh(0) | mh(10) | mh(60) | dwell_line
    events: list[tuple[int, float]] = []
    for ln in np.flatnonzero(s_event | m_event).tolist():
        rr = float(rpm[ln])
        if s_event[ln]:
            events.append((ln, rr))
        if m_event[ln]:
            events.append((ln, rr))
    dwell = float(np.maximum(p[dwell_line & live & has_p], 0.0).sum())

    # positions: absolute, so each axis is the last value given
    end = np.column_stack([_ffill(get(ax), math.nan)[rows] for ax in "XYZ"])
    start = np.vstack([np.full((1, 3), np.nan), end[:-1]])
    code = motion[rows]
    kind = np.where(code == 0, 0, np.where(code == 10, 1, 2)).astype(np.int8)
    stops = np.cumsum(stop)
    stop_before = np.concatenate([[True], stops[rows[1:]] - stops[rows[:-1]] > 0])
    n = len(rows)
    center = np.zeros((n, 2))
    sweep, r_start, r_end = np.zeros(n), np.zeros(n), np.zeros(n)
    arc = kind == 2
    if arc.any():
        ai = np.flatnonzero(arc)
        at = rows[ai]
        if not ij[at].all():
            return None  # no I/J (or an R): read line by line
        sx, sy, ex, ey = start[ai, 0], start[ai, 1], end[ai, 0], end[ai, 1]
        if np.isnan(sx).any() or np.isnan(sy).any():
            return None
        cx = sx + np.nan_to_num(get("I")[at])
        cy = sy + np.nan_to_num(get("J")[at])
        rs = np.hypot(sx - cx, sy - cy)
        re_ = np.hypot(ex - cx, ey - cy)
        if (rs < 1e-9).any() or (re_ < 1e-9).any() or (np.abs(rs - re_) > ARC_RADIUS_TOLERANCE).any():
            return None
        chord = np.hypot(ex - sx, ey - sy)
        a0, a1 = np.arctan2(sy - cy, sx - cx), np.arctan2(ey - cy, ex - cx)
        clockwise = code[ai] == 20
        sw = np.where(clockwise, np.mod(a0 - a1, 2 * math.pi), np.mod(a1 - a0, 2 * math.pi))
        sw = np.where((chord < 1e-9) | (sw < 1e-12), 2 * math.pi, sw)
        center[ai, 0], center[ai, 1] = cx, cy
        sweep[ai] = np.where(clockwise, -sw, sw)
        r_start[ai], r_end[ai] = rs, re_
    table = MoveTable(
        line=rows.astype(np.int64), kind=kind, start=start, end=end,
        feed=np.where(kind == 0, 0.0, feed[rows]), spindle_on=spindle_cmd[rows] & (rpm[rows] > 0),
        spindle_rpm=rpm[rows], center=center, sweep=sweep, r_start=r_start, r_end=r_end,
        stop_before=stop_before, home_z=np.zeros(n, bool))
    return table, events, dwell, last
