"""English, completely: every French message the code shows has its English in the catalog.

One mechanism: gettext catalogs through Babel (careerpath/i18n.py). The old `tr(fr, en)`
calls and `"…" if locale == "fr" else "…"` pairs must be gone (scripts/i18n_convert.py
rewrites them), and a French-looking string literal in a page must be marked for translation.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from datetime import date
from pathlib import Path

import pytest

from careerpath import i18n
from careerpath.i18n_catalog import extract_messages

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "careerpath"
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _convert_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("i18n_convert", ROOT / "scripts/i18n_convert.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["i18n_convert"] = module
    spec.loader.exec_module(module)
    return module


def _catalog():  # type: ignore[no-untyped-def]
    return _convert_tool().read_catalog()


def test_every_marked_french_message_has_its_english() -> None:
    catalog = _catalog()
    missing = []
    for message in extract_messages():
        entry = catalog.get(message.id, context=message.context)
        strings = entry.string if entry is not None else None
        ok = all(strings) if isinstance(strings, tuple | list) else bool(strings)
        if entry is None or entry.fuzzy or not ok:
            missing.append(f"{message.where}: {message.id!r}")
    assert not missing, (
        "French messages without English (write them in "
        "careerpath/locale/en/LC_MESSAGES/messages.po):\n" + "\n".join(missing)
    )


def test_translations_keep_the_placeholders_of_their_french() -> None:
    wrong = []
    for entry in _catalog():
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = {name for text in ids for name in PLACEHOLDER.findall(text)}
        for text in strings:
            if text and set(PLACEHOLDER.findall(text)) - wanted:
                wrong.append(f"{entry.id!r} → {text!r}")
    assert not wrong, "\n".join(wrong)


def test_no_old_translation_pattern_is_left() -> None:
    """No `tr(fr, en)`, no literal pair chosen by `locale == "fr"`: run the convert tool."""
    tool = _convert_tool()
    report = tool.Report()
    pairs: dict[str, str] = {}
    left = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in (PACKAGE / "i18n.py", PACKAGE / "ui" / "i18n.py"):
            continue
        if tool.convert_source(path, path.read_bytes(), pairs, report) is not None:
            left.append(str(path.relative_to(ROOT)))
    problems = left + report.refused
    assert not problems, "run python scripts/i18n_convert.py:\n" + "\n".join(problems)


def test_only_the_i18n_module_compares_locales() -> None:
    """`if locale == "fr": … else: …` is a second mechanism: use gettext/ngettext instead."""
    allowed = {PACKAGE / "i18n.py"}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and any(
                isinstance(c, ast.Constant) and c.value in ("fr", "en")
                for c in (node.left, *node.comparators)
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, "compare with careerpath.i18n.as_locale or translate:\n" + "\n".join(found)


FRENCH_HINT = re.compile(r"[àâçéèêëîïôûùüœÀÂÇÉÈÊÎÔÛ«»]|\b(?:vous|votre|vos|des|une|pour)\b")


def _unmarked_french_literals(path: Path) -> list[str]:
    """French-looking literals outside a marked call; `# i18n: ok` on the line (or the one
    above) says the French is meant (an autonym, a meta description)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text)
    marked: set[int] = set()
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in ("t", "gettext", "ngettext", "pgettext", "N_", "page_title"):
                for arg in ast.walk(node):
                    marked.add(id(arg))
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in marked
            and id(node) not in docstrings
            and FRENCH_HINT.search(node.value)
            and not any("# i18n: ok" in lines[i] for i in (node.lineno - 1, node.lineno - 2))
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:60]!r}")
    return found


def test_pages_and_components_mark_every_french_sentence() -> None:
    """A page's French literal outside t()/gettext() would show in French to English users."""
    files = [
        *(PACKAGE / "ui" / "pages").glob("*.py"),
        *(PACKAGE / "ui" / "components").glob("*.py"),
    ]
    found = [line for path in sorted(files) for line in _unmarked_french_literals(path)]
    assert not found, "\n".join(found)


def test_catalog_english_has_no_french_left() -> None:
    french = re.compile(r"[àâçéèêëîïôûùœ«»]|\b(?:vous|votre|vos|une|pour|avec|sur)\b")
    allowed = re.compile(r"VAE|CPF|référentiel|é(?=\w*\b(?:e|s)?\b)")  # names kept in French
    wrong = []
    for entry in _catalog():
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for text in strings:
            if text and french.search(allowed.sub("", text)) and not _is_proper_name(text):
                wrong.append(f"{entry.id!r} → {text!r}")
    assert not wrong, "\n".join(wrong)


def _is_proper_name(text: str) -> bool:
    """French names an English text may quote: diplomas, titles, French programmes."""
    return any(name in text for name in ("Titre professionnel", "France Travail", "«"))


def test_the_first_of_the_month_is_an_ordinal_in_french() -> None:
    assert i18n.format_date(date(2026, 12, 1), "fr") == "1er décembre 2026"
    assert i18n.format_date(date(2026, 12, 2), "fr") == "2 décembre 2026"
    assert i18n.format_date(date(2026, 12, 1), "en") == "1 December 2026"


@pytest.mark.parametrize(
    ("count", "fr", "en"),
    [(0, "0 semaine", "0 weeks"), (1, "1 semaine", "1 week"), (2, "2 semaines", "2 weeks")],
)
def test_plurals_follow_each_language_rule(count: int, fr: str, en: str) -> None:
    assert i18n.ngettext("{n} semaine", "{n} semaines", count, "fr") == fr
    assert i18n.ngettext("{n} semaine", "{n} semaines", count, "en") == en


def test_a_configured_duration_is_said_exactly_in_either_language() -> None:
    """Whole days, else whole hours, else minutes; the spaces are CLDR's (no-break before
    « jour » and « heure » in French)."""
    cases = {
        24: ("1\u00a0jour", "1 day"),
        48: ("2\u00a0jours", "2 days"),
        36: ("36\u00a0heures", "36 hours"),
        12: ("12\u00a0heures", "12 hours"),
        1: ("1\u00a0heure", "1 hour"),
        1.5: ("90 minutes", "90 minutes"),
        0.25: ("15 minutes", "15 minutes"),
        0.005: ("1 minute", "1 minute"),
    }
    for hours, (french, english) in cases.items():
        assert i18n.format_duration(hours, "fr") == french, hours
        assert i18n.format_duration(hours, "en") == english, hours


def test_numbers_are_printed_the_way_each_language_prints_them() -> None:
    assert i18n.format_decimal(2.5, "fr") == "2,5"
    assert i18n.format_decimal(2.5, "en") == "2.5"
    assert i18n.format_decimal(10099, "fr", grouping=False) == "10099"  # a form field's value
    assert i18n.format_percent(72.9, "fr") == "72\u202f%"
    assert i18n.format_percent(72.9, "en") == "72%"
    assert i18n.format_euros(1200, "fr") == "1\u202f200\u00a0€"
    assert i18n.format_euros(1200, "en") == "€1,200"


# The conversion tool --------------------------------------------------------------------

SAMPLE = """from careerpath.ui.i18n import tr


def page(locale):
    a = tr("Suivant", "Next")
    b = tr(
        "Vous êtes « prêt·e » : "
        "c'est l'essentiel.",
        'You are "ready": that\\'s it.',
    )
    c = "Aucun bilan" if locale == "fr" else "No review"
    d = "No role" if self.locale != "fr" else "Aucun métier"
    e = "en" if locale == "en" else "fr"
    return a, b, c, d, e
"""


def test_the_tool_converts_literals_multi_line_calls_and_locale_pairs(tmp_path: Path) -> None:
    tool = _convert_tool()
    path = tmp_path / "page.py"
    report = tool.Report()
    pairs: dict[str, str] = {}
    out = tool.convert_source(path, SAMPLE.encode(), pairs, report).decode()
    assert not report.refused
    assert 't("Suivant")' in out
    assert "tr(" not in out
    assert 'gettext("Aucun bilan", locale)' in out
    assert 'gettext("Aucun métier", self.locale)' in out
    assert "from careerpath.ui.i18n import t\n" in out
    assert "from careerpath.i18n import as_locale, gettext\n" in out
    assert "e = as_locale(locale)" in out  # choosing a code is not translating
    assert pairs["Vous êtes « prêt·e » : c'est l'essentiel."] == 'You are "ready": that\'s it.'
    assert pairs["Suivant"] == "Next"
    ast.parse(out)
    again = tool.Report()
    assert tool.convert_source(path, out.encode(), dict(pairs), again) is None  # idempotent
    assert again.converted == 0


def test_the_tool_marks_page_titles_and_reads_locale_choices(tmp_path: Path) -> None:
    tool = _convert_tool()
    source = (
        "import reflex as rx\n\n\n"
        '@rx.page(route="/x", title="Mon titre — careerpath")\n'
        "def x():\n"
        '    return "en" if lang == "en" else "fr"\n'
    )
    report = tool.Report()
    out = tool.convert_source(tmp_path / "x.py", source.encode(), {}, report).decode()
    assert 'title=page_title("Mon titre — careerpath")' in out
    assert "from careerpath.ui.i18n import page_title" in out
    assert "return as_locale(lang)" in out and "from careerpath.i18n import as_locale" in out


def test_the_tool_refuses_f_strings_and_says_why(tmp_path: Path) -> None:
    tool = _convert_tool()
    source = (
        "from careerpath.ui.i18n import tr\n"
        "x = tr(f'Bonjour {name}', f'Hello {name}')\n"
        "y = f'{n} semaines' if locale == 'fr' else f'{n} weeks'\n"
    )
    report = tool.Report()
    assert tool.convert_source(tmp_path / "x.py", source.encode(), {}, report) is None
    assert len(report.refused) == 2
    assert all("f-string" in line and "placeholder" in line for line in report.refused)


def test_the_tool_refuses_a_file_that_binds_t(tmp_path: Path) -> None:
    tool = _convert_tool()
    source = "from careerpath.ui.i18n import tr\nfor t in []:\n    x = tr('Oui', 'Yes')\n"
    report = tool.Report()
    assert tool.convert_source(tmp_path / "x.py", source.encode(), {}, report) is None
    assert "binds the name `t`" in report.refused[0]


def test_the_catalog_is_written_the_way_the_tool_writes_it() -> None:
    """Sorted and without locations: a second run of the tool would change nothing."""
    tool = _convert_tool()
    assert tool.write_catalog(tool.read_catalog(), check=True) is False


def test_the_i18n_module_sits_below_every_layer() -> None:
    """The domain uses it too: it may import Babel and the standard library only."""
    tree = ast.parse((PACKAGE / "i18n.py").read_text(encoding="utf-8"))
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [n for n in names if n.startswith("careerpath") or n.split(".")[0] == "reflex"]
