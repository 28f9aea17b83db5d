"""No Reflex event handler runs database, engine or PDF work on the event loop.

One worker's event loop serves every user of that worker: a service call inside a handler
must go through `asyncio.to_thread` (or a nested function / lambda run that way). This
reads the states' source and names each service call made directly in a handler.
"""

from __future__ import annotations

import ast
from pathlib import Path

STATES = Path(__file__).resolve().parents[2] / "careerpath" / "ui" / "states"
# Pure, in-memory helpers that are fine on the loop (formatting, parsing a form, counting).
PURE = {
    "labels",
    "parse_constraints",
    "is_device_id",
    "new_device_id",
    "answered_count",
    "resume_step",
    "step_count",
    "role_title",
    "snapshot",
    "session_token",  # reads a cookie header
    "safe_next",
    "AccountError",  # an error's message
    "TokenError",  # an error's message
    "WorkspaceError",  # an error's message
    "value_uses",  # wording by situation
    "talk_to",
    "FoundRole",  # a view model
    "known_roles",  # filters codes of a referential in memory
    "class_poll.normalise_code",
    "class_poll.is_voter_token",
    "class_poll.new_voter_token",
    "school_poster.poster_filename",
    "allows_no_role",  # a rule on the situation
    "share_url",  # formats a link
    "transfer_url",  # formats a link
    "qr_svg_data_uri",  # a QR code of one short link (well under a millisecond of work)
    "CODE_LIFETIME",  # a constant
    "AdminRefused",  # an error's message
    "step_label",  # the words of a progress step
    "upload_limit",  # formats a size
    "is_denial",  # reads a refusal's code
}


def _service_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and (
                node.module.startswith("careerpath.services")
                or node.module == "careerpath.ui.states.offload"
            )
        ):
            names |= {alias.asname or alias.name for alias in node.names}
    names |= {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name in {"make_pdf"}
    }
    return names - PURE


def _root(node: ast.expr) -> str | None:
    """The imported name a call starts from (`x` of `x().y.z()`), or `module.function` when
    that function is listed as pure."""
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and f"{node.value.id}.{node.attr}" in PURE
    ):
        return None
    while isinstance(node, ast.Attribute | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _direct_calls(function: ast.AsyncFunctionDef, services: set[str]) -> list[str]:
    found: list[str] = []

    def visit(node: ast.AST, offloaded: bool) -> None:
        nested = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        if nested and node is not function:
            return  # run elsewhere (in a thread)
        if isinstance(node, ast.Call):
            is_to_thread = isinstance(node.func, ast.Attribute) and node.func.attr == "to_thread"
            if is_to_thread:
                for argument in [*node.args, *(k.value for k in node.keywords)]:
                    visit(argument, True)
                return
            root = _root(node.func)
            if root in services and not offloaded:
                found.append(f"{function.name}: {ast.unparse(node)[:60]}")
                return
        for child in ast.iter_child_nodes(node):
            visit(child, offloaded)

    visit(function, False)
    return found


def test_event_handlers_call_services_only_through_a_thread() -> None:
    problems: list[str] = []
    for path in sorted(STATES.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        services = _service_names(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.AsyncFunctionDef):
                problems += [f"{path.name} {p}" for p in _direct_calls(node, services)]
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Attribute | ast.Name) and ast.unparse(d) == "rx.event"
                for d in node.decorator_list
            ):
                # A sync handler runs on the loop too: it must not call services at all.
                calls = [
                    ast.unparse(c)[:60]
                    for c in ast.walk(node)
                    if isinstance(c, ast.Call) and _root(c.func) in services
                ]
                problems += [f"{path.name} {node.name}: {c}" for c in calls]
    assert problems == []


def test_the_check_sees_a_blocking_call() -> None:
    source = (
        "from careerpath.services.assessments import AssessmentStore\n"
        "class S:\n"
        "    async def load(self):\n"
        "        AssessmentStore().current('x')\n"
        "        await asyncio.to_thread(AssessmentStore().current, 'x')\n"
    )
    tree = ast.parse(source)
    [handler] = [n for n in ast.walk(tree) if isinstance(n, ast.AsyncFunctionDef)]
    assert _direct_calls(handler, _service_names(tree)) == ["load: AssessmentStore().current('x')"]
