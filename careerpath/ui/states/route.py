"""The current page's route and query parameters, for the states' handlers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import reflex as rx


def page_params(state: rx.State) -> Mapping[str, Any]:
    """The page's parameters (`/bilan/etape/[etape]`'s `etape`, `?code=`): what
    `router.page.params` gives, read from the field Reflex keeps them in (`rx_router_page`,
    which also feeds its dynamic route vars). `router.page` is deprecated, and each access
    walks the call stack to word a warning (≈ 3 % of a busy worker's time)."""
    params: Mapping[str, Any] = state.rx_router_page.params
    return params
