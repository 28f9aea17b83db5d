"""The Reflex application: the document's language, shared head tags, pages registered by import."""

import asyncio
import gc
import logging

import reflex as rx

from careerpath.api.http import api_app, with_security_headers

# Importing the services registers the sqlmodel tables that `reflex db makemigrations` reads.
from careerpath.services import accounts, assessments, class_poll, referential  # noqa: F401
from careerpath.services import collective as _collective_tables  # noqa: F401
from careerpath.services import transfer as _transfer_tables  # noqa: F401
from careerpath.ui.components.auth_script import auth_head_components
from careerpath.ui.components.head import head_components
from careerpath.ui.i18n import language_script
from careerpath.ui.pages import (  # noqa: F401  (register their @rx.page)
    account,
    admin,
    bilan,
    classroom,
    collective,
    counsellors,
    home,
    not_found,
    plan,
    results,
    schools,
    transfer,
    workspace,
)
from careerpath.ui.pwa import pwa_head_components
from careerpath.ui.socket_guard import install as install_socket_guard
from careerpath.ui.state_store import install as install_state_store
from careerpath.ui.trouble import backend_exception_handler, trouble_head_components

install_socket_guard()  # before rx.App: Reflex builds its event namespace from it
install_state_store()  # the disk state manager: expiry scan once a minute, closed tabs leave memory

app = rx.App(
    html_lang="fr",
    # /api/v1/… (and the deprecated /api/…) on the app's one port, then the security
    # headers around everything, Reflex pages included.
    api_transformer=[api_app(), with_security_headers],
    # Reflex's overlay is an English toast; our French banner lives in the page frame instead
    # (inside the event-loop provider, where it can read the connection state).
    app_wraps={(5, "Overlay"): lambda stateful: None},
    # A failed event (Redis out of reach, a bug) shows a French banner, not an English toast.
    backend_exception_handler=backend_exception_handler,
    head_components=[
        # First: <html lang> follows the device's language before anything paints.
        language_script(),
        rx.el.meta(name="theme-color", content="#0d7377"),
        rx.el.link(rel="icon", href="/icon.svg", type="image/svg+xml"),
        *pwa_head_components(),
        *head_components(),
        *auth_head_components(),
        *trouble_head_components(),
    ],
)


async def warm_engine() -> None:
    """At the worker's start, load the referential and build its engine in a thread (the
    derived transitions come from the cache file of this version), so that the first
    request does not pay for it and the event loop serves meanwhile."""
    try:
        await asyncio.to_thread(referential.warm_up)
    except Exception:  # noqa: BLE001  (a failed warm-up only delays the first request)
        logging.getLogger(__name__).exception("engine warm-up failed")


def freeze_start_up_objects() -> None:
    """At the worker's start, before it serves anyone (a plain function: Reflex calls it
    during the lifespan's start-up): what the worker holds for good by then (the app and
    its pages; the referential and its engine when the server process preloaded them,
    careerpath/cli/preload.py) leaves the garbage collector's generations, so a full
    collection, which holds every request of the worker while it runs, walks only what
    came after. Nothing of a user exists yet to be frozen with it."""
    gc.collect()
    gc.freeze()


app.register_lifespan_task(freeze_start_up_objects)
app.register_lifespan_task(warm_engine)
