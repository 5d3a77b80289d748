"""fork_map: the same results in the same order as a plain loop, wherever the pieces ran."""

import os

import pytest

from osehw.core.parallel import can_fork, fork_map


def test_results_come_back_in_input_order_from_other_processes():
    table = {i: i * i for i in range(7)}  # a closure over local data: inherited by the fork, never pickled
    got = fork_map(lambda i: (table[i], os.getpid()), 7, workers=2)
    assert [v for v, _ in got] == [0, 1, 4, 9, 16, 25, 36]
    if can_fork():
        assert os.getpid() not in {pid for _, pid in got}


def test_one_worker_runs_here_and_gives_the_same():
    got = fork_map(lambda i: (3 * i + 1, os.getpid()), 5, workers=1)
    assert got == [(1, os.getpid()), (4, os.getpid()), (7, os.getpid()), (10, os.getpid()), (13, os.getpid())]
    assert fork_map(lambda i: i, 0) == []


def test_a_workers_error_reaches_the_caller():
    def task(i):
        if i == 2:
            raise ValueError("piece 2 failed")
        return i

    with pytest.raises(ValueError, match="piece 2 failed"):
        fork_map(task, 4, workers=2)



def test_the_default_worker_count_follows_osehw_workers(monkeypatch):
    import os

    from osehw.core.parallel import default_workers

    monkeypatch.setenv("OSEHW_WORKERS", "3")
    assert default_workers() == 3
    monkeypatch.setenv("OSEHW_WORKERS", "0")
    assert default_workers() == 1
    monkeypatch.delenv("OSEHW_WORKERS")
    assert default_workers() == (os.cpu_count() or 1)


def test_background_runs_in_another_process_while_this_one_goes_on(tmp_path):
    from osehw.core.parallel import Background

    flag = tmp_path / "parent-went-on"

    def task():
        import time

        for _ in range(500):  # the task sees the parent's file: it ran at the same time, not after
            if flag.exists():
                return os.getpid(), True
            time.sleep(0.01)
        return os.getpid(), False

    job = Background(task, workers=2)
    flag.write_text("x")
    pid, saw_parent = job.result()
    if can_fork():
        assert pid != os.getpid() and saw_parent
    else:
        assert pid == os.getpid()


def test_background_with_one_worker_runs_here_at_result_and_errors_reach_the_caller():
    from osehw.core.parallel import Background

    ran = []
    job = Background(lambda: ran.append(os.getpid()) or 7, workers=1)
    assert ran == []  # not yet: it runs when asked for
    assert job.result() == 7 and ran == [os.getpid()]

    def fail():
        raise ValueError("background failed")

    with pytest.raises(ValueError, match="background failed"):
        Background(fail, workers=2).result()


def test_an_abandoned_background_task_with_workers_of_its_own_ends_cleanly():
    """The caller fails while the task (itself running fork_map) works: abandon() returns, leaving no
    process behind (a killed task would orphan its own workers)."""
    import multiprocessing

    from osehw.core.parallel import Background

    job = Background(lambda: fork_map(lambda i: sum(range(200_000 * (i + 1))), 4, workers=2), workers=2)
    job.abandon()
    assert multiprocessing.active_children() == []
