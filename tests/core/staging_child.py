"""A child process for tests/test_output.py: writes one output folder through StagedOutput and can be
killed (SIGKILL, for real) at the N-th line osehw/core/staging.py executes.

usage: python staging_child.py OUT_ROOT NAME TAG N_FILES KILL_AT [fallback] [hold SECONDS READY_FILE]

KILL_AT = 0 never kills; the child then prints how many lines of output.py it ran.
"fallback" makes the atomic exchange unavailable, as on systems without renameat2.
"hold" keeps the folder locked for SECONDS after touching READY_FILE (a racing writer).
"""

import os
import signal
import sys
import time
from pathlib import Path

import osehw.core.staging as output

root, name, tag, n_files, kill_at = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
rest = sys.argv[6:]
if "fallback" in rest:
    output.exchange = lambda a, b: False
hold = float(rest[rest.index("hold") + 1]) if "hold" in rest else 0.0
ready = Path(rest[rest.index("hold") + 2]) if "hold" in rest else None

count = 0
target = output.__file__


def tracer(frame, event, arg):
    global count
    if frame.f_code.co_filename != target:
        return None
    if event == "line":
        count += 1
        if count == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
    return tracer


sys.settrace(tracer)
try:
    with output.StagedOutput(root, name) as stage:
        for i in range(n_files):
            stage.file(f"sub{i % 3}/file{i}.txt").write_text(f"{tag} {i}\n" * 50)
        if ready is not None:
            ready.touch()
            time.sleep(hold)
        stage.write_manifest({"tag": tag})
except output.OutputPathError as exc:
    sys.settrace(None)
    print(f"error: {exc}", file=sys.stderr)
    sys.exit(2)
sys.settrace(None)
print(count)
