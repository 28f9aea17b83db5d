"""Derived transitions are computed once per referential version and read back after."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from test_engine_support import office_referential

import careerpath.domain.engine as engine_module
from careerpath.data.engine_cache import FileDerivedStore
from careerpath.domain.engine import DERIVED_PER_ROLE, Engine, engine_for, use_derived_store


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = FileDerivedStore(tmp_path / "cache")
    use_derived_store(store)
    engine_module._CACHE.clear()
    yield store
    use_derived_store(None)
    engine_module._CACHE.clear()


def test_an_engine_from_stored_transitions_has_the_same_graph(store: FileDerivedStore) -> None:
    fresh = Engine(office_referential())
    store.save(fresh.version, DERIVED_PER_ROLE, fresh.derived_transitions)
    loaded = store.load(fresh.version, DERIVED_PER_ROLE)
    assert loaded is not None
    again = Engine(office_referential(), derived=loaded)
    assert nx.to_dict_of_dicts(again.graph) == nx.to_dict_of_dicts(fresh.graph)


def test_the_second_process_on_a_version_reads_instead_of_building(
    store: FileDerivedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = engine_for(office_referential())
    assert store.path(first.version, DERIVED_PER_ROLE).is_file()
    engine_module._CACHE.clear()  # as a new worker would start

    def no_build(*_: object, **__: object) -> None:
        raise AssertionError("derived transitions were rebuilt")

    monkeypatch.setattr(engine_module, "derived_targets", no_build)
    second = engine_for(office_referential())
    assert second is not first
    assert nx.to_dict_of_dicts(second.graph) == nx.to_dict_of_dicts(first.graph)


@pytest.mark.parametrize("content", [b"", b"not numpy at all", None])
def test_a_damaged_or_foreign_cache_file_is_rebuilt(
    store: FileDerivedStore, content: bytes | None
) -> None:
    version = office_referential().version
    path = store.path(version, DERIVED_PER_ROLE)
    path.parent.mkdir(parents=True, exist_ok=True)
    if content is None:
        np.save(path, np.zeros((2, 3), dtype=np.float64))  # the wrong shape and type
    else:
        path.write_bytes(content)
    assert store.load(version, DERIVED_PER_ROLE) is None
    engine = engine_for(office_referential())
    assert engine.graph.number_of_edges() > 0
    assert store.load(version, DERIVED_PER_ROLE) is not None, "the good file replaced it"
