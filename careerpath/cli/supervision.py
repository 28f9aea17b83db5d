"""Keep serving when a backend worker dies: granian replaces it, inside the server.

Reflex 0.10 starts granian itself (`reflex run --env prod` → `run_granian_backend_prod`) and
passes no respawn option, so one worker killed by the kernel or a crash stopped the whole
app (« Unexpected exit from worker-1 », then « Reflex app stopped »). granian 2.x can replace
a failed worker (`respawn_failed_workers`); `enable_worker_respawn` makes it the default of
the server class Reflex instantiates, from rxconfig.py (read by the `reflex run` process).

granian gives up (and the app stops) when a worker fails again within 5.5 s of its
replacement: a crash loop is for the outer supervisor, systemd or the container runtime
(deploy/), which restarts the whole app and watches `/_health`.

`GRANIAN_RESPAWN_FAILED_WORKERS=false` turns respawning off; `GRANIAN_RESPAWN_INTERVAL`
(seconds, default 1 here) sets the pause before a replacement starts.
"""

from __future__ import annotations

import os
from typing import Any

DEFAULT_RESPAWN_INTERVAL = 1.0
_OFF = {"0", "false", "no", "off"}


def enable_worker_respawn(env: dict[str, str] | None = None) -> bool:
    """Make granian's server respawn failed workers by default; False when turned off."""
    env = dict(os.environ) if env is None else env
    if env.get("GRANIAN_RESPAWN_FAILED_WORKERS", "").strip().lower() in _OFF:
        return False
    try:
        import granian.server as granian_server
    except ImportError:  # uvicorn/gunicorn stack: nothing to do here
        return False
    base: Any = granian_server.Server
    if getattr(base, "careerpath_respawns", False):
        return True
    interval = float(env.get("GRANIAN_RESPAWN_INTERVAL") or DEFAULT_RESPAWN_INTERVAL)

    class RespawningServer(base):  # type: ignore[misc]
        careerpath_respawns = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("respawn_failed_workers", True)
            kwargs.setdefault("respawn_interval", interval)
            super().__init__(*args, **kwargs)

    RespawningServer.__name__ = RespawningServer.__qualname__ = base.__name__
    granian_server.Server = RespawningServer
    return True
