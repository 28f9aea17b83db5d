"""Workers forked from a server process that preloaded the referential and its engine
(careerpath/cli/preload.py) find both ready, never build them again, and use database
connections of their own."""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from granian.server.common import AbstractServer

from careerpath.cli.preload import enable_worker_preload
from careerpath.data.database import engine_for
from careerpath.domain import engine as engine_module
from careerpath.domain.engine import engine_for as engine_of
from careerpath.services.assessments import AssessmentStore, new_device_id
from careerpath.services.referential import load_referential, preload_for_workers


def _in_child(work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """`work`'s answer, computed in a forked child (as granian forks a server's workers)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            answer = {"ok": True, **work()}
        except BaseException as problem:  # noqa: BLE001  (reported to the parent)
            answer = {"ok": False, "error": repr(problem)}
        os.write(write, json.dumps(answer).encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        text = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return dict(json.loads(text))


@pytest.fixture
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()


def test_a_forked_worker_inherits_the_referential_and_engine_and_opens_its_own_connections(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, unfrozen: None
) -> None:
    preload_for_workers(sqlite_url)
    assert engine_for(sqlite_url).pool.checkedin() == 0, "the server process keeps none open"
    referential = load_referential(sqlite_url)
    engine = engine_of(referential)
    parent_pool = engine_for(sqlite_url).pool
    assert gc.get_freeze_count() > 0, "what the workers share is out of the collector's reach"

    def worker() -> dict[str, Any]:
        def no_build(_referential: object) -> object:
            raise AssertionError("a preloaded worker built an engine")

        monkeypatch.setattr(engine_module, "_build", no_build)
        again = load_referential(sqlite_url)
        stored = AssessmentStore(sqlite_url).start(new_device_id(), "en_poste", "secretaire")
        return {
            "same_referential": again is referential,
            "same_engine": engine_of(again) is engine,
            "own_pool": engine_for(sqlite_url).pool is not parent_pool,
            "written": stored.id,
        }

    answer = _in_child(worker)
    assert answer == {
        "ok": True,
        "same_referential": True,
        "same_engine": True,
        "own_pool": True,
        "written": answer["written"],
    }
    # What the worker wrote is in the database the server process reads.
    assert AssessmentStore(sqlite_url).get(answer["written"]) is not None


def test_a_worker_forked_after_an_import_loads_the_new_version(
    sqlite_url: str, unfrozen: None
) -> None:
    """The inherited copy is only a head start: a worker checks the stored version at its
    first request, so a referential imported after the server started is the one served."""
    from careerpath.data import repository

    preload_for_workers(sqlite_url)
    old = load_referential(sqlite_url)
    store = engine_for(sqlite_url)
    with store.begin() as connection:
        connection.exec_driver_sql("UPDATE referential_info SET content_version = 'newer'")
    assert repository.stored_version(store) == "newer"

    answer = _in_child(lambda: {"version": load_referential(sqlite_url).version})
    assert answer == {"ok": True, "version": "newer"}
    assert old.version != "newer"


class _Spawner:
    """What granian's `_spawn_workers` reads of its server, with no worker to start."""

    workers = 0

    def __init__(self) -> None:
        self.wrks: list[object] = []
        self._metrics = SimpleNamespace(incr_spawn=lambda count: None)


def _spawn(server: _Spawner) -> None:
    """granian's `_spawn_workers`, as the server process calls it (patched or not)."""
    spawn: Any = AbstractServer._spawn_workers
    spawn(server, None, None)


@pytest.fixture
def restore_spawn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AbstractServer, "_spawn_workers", AbstractServer._spawn_workers)


def test_the_server_preloads_once_before_its_first_workers_and_survives_a_failure(
    restore_spawn: None,
) -> None:
    calls: list[str] = []
    assert enable_worker_preload(lambda: calls.append("preload"), env={})
    server = _Spawner()
    _spawn(server)
    _spawn(server)  # a reload
    assert calls == ["preload"]

    def broken() -> None:
        raise RuntimeError("database unreachable")

    assert enable_worker_preload(broken, env={})  # configured again: one wrapper, not two
    other = _Spawner()
    _spawn(other)
    assert other.careerpath_preloaded  # type: ignore[attr-defined]
    assert calls == ["preload"], "the earlier preload is replaced, not stacked"


def test_the_preload_can_be_turned_off_and_skips_the_development_reloader(
    restore_spawn: None,
) -> None:
    # granian's own method (rxconfig, imported by other tests, may have wrapped it already)
    spawn: Any = AbstractServer._spawn_workers
    before = getattr(spawn, "__wrapped__", spawn)
    assert not enable_worker_preload(lambda: None, env={"CAREERPATH_PRELOAD": "0"})
    assert AbstractServer._spawn_workers is before
    calls: list[str] = []
    assert enable_worker_preload(lambda: calls.append("preload"), env={})
    reloading = _Spawner()
    reloading.reload_on_changes = True  # type: ignore[attr-defined]  (`reflex run`, dev)
    _spawn(reloading)
    assert calls == [], "the reloader's workers must import edited code afresh"
    # turned off later (configured again): the patch is undone
    assert not enable_worker_preload(lambda: None, env={"CAREERPATH_PRELOAD": "off"})
    assert AbstractServer._spawn_workers is before


def test_an_unreachable_database_is_not_waited_for(postgres_url: str) -> None:
    from careerpath.data.database import answers_within

    assert answers_within(postgres_url, 2)
    # a port nothing listens on: refused at once, never the start's whole wait
    assert not answers_within("postgresql+psycopg://postgres@127.0.0.1:9/none", 2)
    assert answers_within("sqlite:///:memory:", 2)
