"""`careerpath run` with Redis down: a French message and retries, then a clear refusal."""

from __future__ import annotations

import io
import socket
import time

from careerpath.cli.main import main
from careerpath.cli.serve import wait_for_redis


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_redis_down_at_start_is_retried_then_refused_in_french() -> None:
    url = f"redis://:secret@127.0.0.1:{_closed_port()}/0"
    out = io.StringIO()
    started = time.monotonic()
    assert not wait_for_redis(url, attempts=3, pause=0.1, out=out)
    assert time.monotonic() - started < 10
    text = out.getvalue()
    assert text.count("nouvel essai") == 2
    assert "careerpath ne démarre pas : Redis ne répond pas" in text
    assert "secret" not in text and "***" in text
    assert "Unable to connect" not in text


def test_redis_up_is_accepted_at_once() -> None:
    assert wait_for_redis("redis://127.0.0.1:6379/6", attempts=1, out=io.StringIO())


def test_run_stops_with_exit_1_when_redis_stays_down(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CAREERPATH_REDIS_URL", f"redis://127.0.0.1:{_closed_port()}/0")
    import careerpath.cli.serve as serve

    monkeypatch.setattr(
        serve, "wait_for_redis", lambda url, lang: wait_for_redis(url, lang, 2, 0.01)
    )
    assert main(["run"]) == 1
    assert "careerpath ne démarre pas" in capsys.readouterr().err
