"""Independent pieces of one step run at once in forked processes, their results in input order.

``fork_map(task, count)`` returns ``[task(0), …, task(count - 1)]``. The task may be any callable
(a closure over CadQuery-free data, a bound method): the workers are forked from this process, so
they inherit it and everything it reads, and only the index goes out and the result (pickled) comes
back. ``Background(task)`` starts one ``task()`` in a forked process and lets this one go on (it may
call OCC meanwhile: the worker was forked before); ``.result()`` waits for its value.

A task must not call OCC (CadQuery: booleans, meshing, STEP, hidden lines): OCC runs its work on a
thread pool of its own, whose threads a forked process does not have, so a child that uses OCC after
its parent did waits for them forever (seen: a boolean in the geometry analysis). CAM after
recognition reads shapely features only; that is what runs here.

Where processes cannot be forked (Windows, macOS's default, a daemon process), or one worker is asked
for, the pieces run here one after the other: the result is the same either way, so outputs stay
byte-identical however many cores there are.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from typing import Callable, Generic, TypeVar

T = TypeVar("T")

_TASKS: dict[int, Callable[[int], object]] = {}  # set just before a pool forks; read in its workers


def default_workers() -> int:
    """Processes a step may use when none are asked for: ``$OSEHW_WORKERS`` when set (the test suite sets 1:
    pytest-xdist already keeps every core busy), else one per core."""
    value = os.environ.get("OSEHW_WORKERS", "")
    return max(1, int(value)) if value.isdigit() else os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


def _run(key: int, index: int) -> object:
    return _TASKS[key](index)


def _quiet_worker() -> None:
    # A thread of the parent (a status line's refresher) may have held the terminal's stream lock when
    # the worker was forked; the worker never prints, and must not block flushing that stream at exit.
    sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")


def fork_map(task: Callable[[int], T], count: int, workers: int | None = None) -> list[T]:
    """``[task(i) for i in range(count)]``, in up to ``workers`` forked processes (None: one per core)."""
    n = min(count, workers or default_workers())
    if n <= 1 or not can_fork():
        return [task(i) for i in range(count)]
    from concurrent.futures import ProcessPoolExecutor

    key = id(task)
    _TASKS[key] = task
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_quiet_worker) as pool:
            return list(pool.map(_run, [key] * count, range(count)))  # type: ignore[arg-type]
    finally:
        del _TASKS[key]


class Background(Generic[T]):
    """``task()`` started in one forked process, while this one goes on (with OCC, if it likes: the
    worker is forked before and never calls it); ``result()`` waits for it and returns its value (or
    raises its error). Where no process can be forked, or ``workers`` is 1, the task runs here at
    ``result()``: the value is the same either way."""

    def __init__(self, task: Callable[[], T], workers: int | None = None) -> None:
        self._task = task
        self._pool = None
        self._future = None
        if (workers or default_workers()) > 1 and can_fork():
            from concurrent.futures import ProcessPoolExecutor

            self._key = id(self)
            _TASKS[self._key] = lambda _: task()
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                                             initializer=_quiet_worker)
            self._future = self._pool.submit(_run, self._key, 0)

    def abandon(self) -> None:
        """The caller failed meanwhile: let the worker finish and drop its result (or error). It is not
        killed: it may have forked workers of its own (fork_map), which a killed parent would leave
        waiting forever on their queue."""
        if self._pool is None:
            return
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None
        self._task = lambda: None  # type: ignore[assignment,return-value]
        _TASKS.pop(self._key, None)

    def result(self) -> T:
        if self._pool is None:
            value = self._task()
        else:
            try:
                value = self._future.result()  # type: ignore[union-attr]
            finally:
                self._pool.shutdown()
                self._pool = None
                del _TASKS[self._key]
        self._task = lambda: value  # asked again: the same value, not a second run
        return value
