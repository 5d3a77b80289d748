"""Run G-code programs through LinuxCNC 2.9's own planner (package linuxcnc-uspace), headless, and
time them on the simulated servo clock.

A simulated machine (``LIB:basic_sim.tcl``: trivkins, motors looped back) is configured from an
osehw machine profile the way the configuration wizards write it: every axis and
[TRAJ]MAX_LINEAR_VELOCITY at ``max_rapid``, every axis at ``acceleration``, a 1 ms servo period,
no homing, work zero at machine zero. The display program is a small driver (written next to the
configuration) that, for each program, returns to X0 Y0 Z0 by MDI, runs the program in AUTO and
waits until the interpreter is idle. Two HAL integrators on the servo thread count time:
``integ.0`` every period (the whole program, dwells included) and ``integ.1`` the periods in
which motion is not in position (the planner moving). Both count servo periods, not wall time,
so a late servo thread on a loaded machine does not change them; the run itself takes about as
long as the programs do (real time).

rtapi_app refuses to run as root: as root, give a user (``runuser`` is used).
Run by benchmarks/bench_estimate.py --linuxcnc.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

DRIVER = r'''#!/usr/bin/python3
import json, os, subprocess, time
import linuxcnc

def getp(pin):
    return float(subprocess.run(["halcmd", "-s", "getp", pin], capture_output=True, text=True).stdout.strip())

s, c, e = linuxcnc.stat(), linuxcnc.command(), linuxcnc.error_channel()
out = open(os.environ["LCNC_RESULT"], "a")
errors = []

def log(**kw):
    out.write(json.dumps(kw) + "\n"); out.flush()

def poll():
    time.sleep(0.02); s.poll()
    err = e.poll()
    if err and err[0] in (linuxcnc.NML_ERROR, linuxcnc.OPERATOR_ERROR):
        errors.append(err[1])

def set_mode(mode):
    c.mode(mode); c.wait_complete()
    while s.task_mode != mode:
        poll(); c.mode(mode)

def settled():
    # idle, nothing queued, in position: the program (or MDI command) has finished
    return s.interp_state == linuxcnc.INTERP_IDLE and s.queue == 0 and s.inpos

def wait_done(limit_s):
    # the first of 10 settled polls in a row (0.2 s) marks the end; returns the clocks read then
    t0, mark, run = time.time(), None, 0
    while time.time() - t0 < limit_s:
        poll()
        if settled():
            if mark is None:
                mark = (getp("integ.0.out"), getp("integ.1.out"))
            run += 1
            if run >= 10:
                return mark
        else:
            mark, run = None, 0
    return mark

try:
    c.state(linuxcnc.STATE_ESTOP_RESET); c.wait_complete()
    c.state(linuxcnc.STATE_ON); c.wait_complete()
    for path in os.environ["LCNC_PROGRAMS"].split(":"):
        errors.clear()
        set_mode(linuxcnc.MODE_MDI)
        c.mdi("G90 G21 G0 X0 Y0 Z0"); c.wait_complete(60)
        wait_done(120)
        set_mode(linuxcnc.MODE_AUTO)
        c.program_open(path); c.wait_complete()
        t0, m0, w0 = getp("integ.0.out"), getp("integ.1.out"), time.time()
        c.auto(linuxcnc.AUTO_RUN, 0); c.wait_complete()
        while (s.interp_state == linuxcnc.INTERP_IDLE and getp("integ.1.out") == m0
               and time.time() - w0 < 5):
            poll()  # wait for the run to start (a short program may be over by the first poll)
        t1, m1 = wait_done(7200) or (float("nan"), float("nan"))
        log(program=path, sim_s=t1 - t0, moving_s=m1 - m0, wall_s=time.time() - w0, errors=list(errors),
            position=list(s.actual_position[:3]), line=s.motion_line)
except Exception as exc:
    log(error=repr(exc))
'''

TIMING_HAL = """# servo-period clocks: integ.0 counts every period, integ.1 the periods in which motion moves
loadrt integ count=2
loadrt not names=not.moving
loadrt conv_bit_float names=cbf.moving
addf not.moving servo-thread
addf cbf.moving servo-thread
addf integ.0 servo-thread
addf integ.1 servo-thread
setp integ.0.in 1.0
net inpos motion.in-position => not.moving.in
net moving not.moving.out => cbf.moving.in
net movingf cbf.moving.out => integ.1.in
"""


def ini_text(vmax_mm_s: float, accel_mm_s2: float, folder: Path) -> str:
    axes = []
    for k, ax in enumerate("XYZ"):
        limits = (f"MAX_VELOCITY = {vmax_mm_s!r}\nMAX_ACCELERATION = {accel_mm_s2!r}\n"
                  "MIN_LIMIT = -10000\nMAX_LIMIT = 10000\n")
        axes.append(f"[AXIS_{ax}]\n{limits}[JOINT_{k}]\nTYPE = LINEAR\nHOME = 0.0\n{limits}"
                    "FERROR = 1000\nMIN_FERROR = 1000\nHOME_SEQUENCE = 0\n")
    return f"""[EMC]
VERSION = 1.1
MACHINE = osehw-timing
[DISPLAY]
DISPLAY = {folder / "driver.py"}
[TASK]
TASK = milltask
CYCLE_TIME = 0.001
[RS274NGC]
PARAMETER_FILE = sim.var
[EMCIO]
EMCIO = io
CYCLE_TIME = 0.100
TOOL_TABLE = tool.tbl
[EMCMOT]
EMCMOT = motmod
COMM_TIMEOUT = 1.0
SERVO_PERIOD = 1000000
[HAL]
HALFILE = LIB:basic_sim.tcl -no_use_hal_manualtoolchange
HALFILE = timing.hal
[TRAJ]
COORDINATES = XYZ
LINEAR_UNITS = mm
ANGULAR_UNITS = degree
DEFAULT_LINEAR_VELOCITY = {vmax_mm_s!r}
MAX_LINEAR_VELOCITY = {vmax_mm_s!r}
NO_FORCE_HOMING = 1
[KINS]
KINEMATICS = trivkins coordinates=XYZ
JOINTS = 3
""" + "".join(axes)


def available() -> bool:
    return shutil.which("linuxcnc") is not None and shutil.which("halcmd") is not None


def run(programs: list[Path], vmax_mm_s: float, accel_mm_s2: float, user: str | None = None,
        timeout_s: float = 7200.0) -> list[dict]:
    """One LinuxCNC session timing ``programs`` in order; one dict per program (see module doc)."""
    folder = Path(tempfile.mkdtemp(prefix="osehw-lcnc-"))
    try:
        (folder / "driver.py").write_text(DRIVER)
        (folder / "driver.py").chmod(0o755)
        (folder / "timing.hal").write_text(TIMING_HAL)
        (folder / "sim.var").write_text("")
        (folder / "tool.tbl").write_text("")
        (folder / "sim.ini").write_text(ini_text(vmax_mm_s, accel_mm_s2, folder))
        # the session's first program starts up to ~1 s late (interpreter start-up): a short dwell
        # goes first and is not reported
        warmup = folder / "warmup.ngc"
        warmup.write_text("%\nG4 P0.1\nM2\n%\n")
        copies = [str(warmup)]
        for k, p in enumerate(programs):
            dst = folder / f"p{k:03d}.ngc"
            dst.write_text(p.read_text())
            copies.append(str(dst))
        result = folder / "result.jsonl"
        env = dict(os.environ, LCNC_PROGRAMS=":".join(copies), LCNC_RESULT=str(result))
        cmd = ["linuxcnc", str(folder / "sim.ini")]
        if os.geteuid() == 0:
            if not user:
                raise RuntimeError("rtapi_app refuses to run as root: give a user (--linuxcnc-user)")
            os.chmod(folder, 0o777)
            for f in folder.iterdir():
                f.chmod(0o777)
            cmd = ["runuser", "-u", user, "--", "env", f"LCNC_PROGRAMS={env['LCNC_PROGRAMS']}",
                   f"LCNC_RESULT={result}", *cmd]
        subprocess.run(cmd, env=env, cwd=folder, timeout=timeout_s, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        rows = [json.loads(line) for line in result.read_text().splitlines()] if result.exists() else []
        by_copy = dict(zip(copies[1:], programs))
        rows = [r for r in rows if r.get("program") != str(warmup)]
        for r in rows:
            if "program" in r:
                r["program"] = str(by_copy[r["program"]])
        return rows
    finally:
        shutil.rmtree(folder, ignore_errors=True)
