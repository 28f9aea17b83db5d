"""granian's server, as Reflex creates it, respawns failed workers."""

from __future__ import annotations

import granian.server

from careerpath.cli.supervision import enable_worker_respawn


def test_reflex_s_granian_server_respawns_failed_workers() -> None:
    assert enable_worker_respawn({})
    server = granian.server.Server(target="careerpath.ui.app:app", workers=2)
    assert server.respawn_failed_workers is True
    assert server.respawn_interval == 1.0


def test_respawning_can_be_turned_off() -> None:
    assert not enable_worker_respawn({"GRANIAN_RESPAWN_FAILED_WORKERS": "false"})
