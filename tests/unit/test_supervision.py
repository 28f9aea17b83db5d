"""granian's server, as Reflex creates it, respawns failed workers, again and again; only a
crash loop stops it. granian's own serve loop runs here, with stand-in workers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import granian.server
import pytest
from granian.server.common import AbstractWorker

from careerpath.cli.supervision import (
    CrashLoopGate,
    CrashLoopPolicy,
    FailedWorkers,
    enable_worker_respawn,
)


@pytest.fixture(autouse=True)
def _restore_granian_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(granian.server, "Server", granian.server.Server)


def test_reflex_s_granian_server_respawns_failed_workers() -> None:
    assert enable_worker_respawn({})
    server = granian.server.Server(target="careerpath.ui.app:app", workers=2)
    assert server.respawn_failed_workers is True
    assert server.respawn_interval == 1.0
    assert isinstance(server.interrupt_children, FailedWorkers)
    assert isinstance(server.respawned_wrks, CrashLoopGate)


def test_respawning_can_be_turned_off() -> None:
    assert not enable_worker_respawn({"GRANIAN_RESPAWN_FAILED_WORKERS": "false"})


# -- the policy and the two attributes granian's loop reads ---------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_crash_loop_is_more_failures_of_one_worker_than_the_limit_within_the_window() -> None:
    clock = Clock()
    policy = CrashLoopPolicy(limit=3, window=60, clock=clock)
    for _ in range(3):
        policy.record_failure(0)
        assert not policy.in_crash_loop(0)
    policy.record_failure(1)  # another slot counts apart
    assert not policy.in_crash_loop(1)
    policy.record_failure(0)
    assert policy.in_crash_loop(0)
    clock.now += 61  # spaced failures are forgotten: no loop, however many over time
    assert policy.recent_failures(0) == 0
    policy.record_failure(0)
    assert not policy.in_crash_loop(0)


def test_a_failure_appended_between_the_loop_s_copy_and_its_clear_is_kept() -> None:
    failed = FailedWorkers(CrashLoopPolicy())
    failed.append(0)
    assert list(failed) == [0]  # the serve loop's `workers = list(self.interrupt_children)`
    failed.append(1)  # another watcher thread, before the loop's clear()
    failed.clear()
    assert list(failed) == [1]
    failed.clear()
    assert not failed
    failed.append(2)
    failed.clear()  # no copy handed out: clear means clear
    assert not failed


def test_the_gate_answers_granian_s_crash_loop_test_by_the_policy() -> None:
    reports: list[str] = []
    policy = CrashLoopPolicy(limit=1)
    gate = CrashLoopGate(policy, reports.append)
    gate[0] = time.monotonic()  # granian's record of a replacement: not a loop by itself
    cycle = time.monotonic()
    policy.record_failure(0)
    assert not cycle - gate.get(0, 0) <= 5.5
    policy.record_failure(0)
    assert cycle - gate.get(0, 0) <= 5.5
    assert reports == ["worker-1 failed 2 times within 60 s: a crash loop, the app stops"]


def test_the_crash_limit_comes_from_the_environment() -> None:
    assert enable_worker_respawn({"CAREERPATH_WORKER_CRASH_LIMIT": "2"})
    server = granian.server.Server(target="careerpath.ui.app:app")
    assert server.crash_policy.limit == 2
    assert enable_worker_respawn({"CAREERPATH_WORKER_CRASH_LIMIT": "many"})
    assert granian.server.Server(target="careerpath.ui.app:app").crash_policy.limit == 10


# -- granian's serve loop, with stand-in workers ---------------------------------------------


class StandInProcess:
    def __init__(self) -> None:
        self.dead = threading.Event()

    def start(self) -> None:
        pass

    def join(self, timeout: float | None = None) -> None:
        self.dead.wait(timeout)

    def is_alive(self) -> bool:
        return not self.dead.is_set()


class StandInWorker(AbstractWorker):  # type: ignore[misc]
    """A worker process as granian sees it; `crash()` is a SIGKILL."""

    inner: StandInProcess

    def _spawn(self, target: Any, args: Any) -> None:
        self.inner = StandInProcess()

    def _id(self) -> int:
        return id(self)

    def terminate(self) -> None:
        self.interrupt_by_parent = True
        self.inner.dead.set()

    def kill(self) -> None:
        self.terminate()

    def crash(self) -> None:
        self.inner.dead.set()


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return condition()


@pytest.fixture
def serving() -> Iterator[Callable[..., tuple[Any, threading.Thread]]]:
    """A granian server whose loop runs in a thread; stopped at the end."""
    started: list[Any] = []

    def start(workers: int = 1, loop: bool = True, **env: str) -> tuple[Any, threading.Thread]:
        assert enable_worker_respawn(env)
        server = granian.server.Server(target="careerpath.ui.app:app", workers=workers)
        server._spawn_worker = lambda idx, target, callback_loader: StandInWorker(
            server, idx, target, None
        )
        server._spawn_workers(None, None)
        serve = threading.Thread(target=server._serve_loop, args=(None, None), daemon=True)
        if loop:
            serve.start()
        started.append(server)
        return server, serve

    yield start
    for server in started:
        server.interrupt_signal = True
        server.main_loop_interrupt.set()
        server._stop_workers()


def replaced(server: Any, old: list[Any], *slots: int) -> bool:
    """Whether the workers of `slots` (default: all) are new and alive, the others kept."""
    slots = slots or tuple(range(len(old)))
    return len(server.wrks) == len(old) and all(
        (new is not was if idx in slots else new is was) and new.is_alive()
        for idx, (new, was) in enumerate(zip(server.wrks, old, strict=True))
    )


def test_a_worker_killed_again_right_after_its_replacement_is_replaced_again(
    serving: Callable[..., tuple[Any, threading.Thread]],
) -> None:
    """granian alone calls a failure within 5.5 s of a replacement a crash loop and stops."""
    server, loop = serving(workers=1)
    for _ in range(5):
        old = list(server.wrks)
        old[0].crash()
        assert wait_for(lambda old=old: replaced(server, old)), "the worker was replaced"
        assert loop.is_alive()


def test_every_worker_killed_at_once_is_replaced_every_time(
    serving: Callable[..., tuple[Any, threading.Thread]],
) -> None:
    server, loop = serving(workers=4)
    for _ in range(6):
        old = list(server.wrks)
        for worker in old:
            worker.crash()
        assert wait_for(lambda old=old: replaced(server, old)), "every worker was replaced"
        assert loop.is_alive()


def test_a_crash_loop_stops_the_loop_for_the_outer_supervisor(
    serving: Callable[..., tuple[Any, threading.Thread]],
) -> None:
    server, loop = serving(workers=2, CAREERPATH_WORKER_CRASH_LIMIT="3")
    for _ in range(3):
        old = list(server.wrks)
        old[1].crash()
        assert wait_for(lambda old=old: replaced(server, old, 1))
    server.wrks[1].crash()  # the fourth failure within the minute
    loop.join(timeout=5)
    assert not loop.is_alive()
    assert server.interrupt_children  # granian's shutdown() then exits with status 1


def test_a_respawn_comes_round_again_for_a_failure_its_wake_up_missed(
    serving: Callable[..., tuple[Any, threading.Thread]],
) -> None:
    server, loop = serving(workers=2, loop=False)
    server.interrupt_children.append(1)  # a watcher, after the loop's copy…
    server.main_loop_interrupt.clear()  # …and before the loop cleared the wake-up
    server._respawn_workers([0], None, None)
    assert server.main_loop_interrupt.is_set()  # the loop comes round for worker-2
