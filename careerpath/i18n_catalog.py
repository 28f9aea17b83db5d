"""Which French messages the code marks for translation (Babel's extraction, as pybabel).

Used by `tests/unit/test_i18n_catalog.py` and `scripts/i18n_convert.py`; the command-line
equivalent is `pybabel extract -F babel.cfg -k t -k page_title -k by_locale -k N_plural:1,2 -o messages.pot .`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

PACKAGE = Path(__file__).resolve().parent
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "t": None,
    "page_title": None,
    "by_locale": None,
    "N_plural": (1, 2),
}
"""gettext's usual names, plus the UI's reactive `t("Texte")` and `page_title("Titre")`,
and `by_locale("Texte")` (a {"fr": …, "en": …} table entry)."""


@dataclass(frozen=True)
class Marked:
    id: str | tuple[str, ...]
    context: str | None
    where: str


def extract_messages(root: Path = PACKAGE) -> list[Marked]:
    """Every marked message under `root`, in file order."""
    found: list[Marked] = []
    method_map = [("**.py", "python")]
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(root), method_map=method_map, keywords=KEYWORDS, comment_tags=()
    ):
        if not message or (isinstance(message, tuple) and not all(message)):
            continue
        # Catalogs key plural messages by their singular.
        key = message[0] if isinstance(message, tuple) else message
        found.append(Marked(id=key, context=context, where=f"{root.name}/{filename}:{lineno}"))
    return found
