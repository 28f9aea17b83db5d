#!/usr/bin/env python3
"""Convert the old translation patterns to gettext, and put their English in the catalog.

Usage (from the project root, inside the virtualenv):

    python scripts/i18n_convert.py            # rewrite careerpath/, update the .po, report
    python scripts/i18n_convert.py --check    # change nothing; exit 1 if something would change
    python scripts/i18n_convert.py FILE…      # only these files
    python scripts/i18n_convert.py --add "Texte" "Text"   # one pair into the catalog

What it rewrites (string literals only; implicit concatenation and multi-line calls are fine):

1. UI: `tr("Texte", "Text")` → `t("Texte")`, and `tr` → `t` in the
   `from careerpath.ui.i18n import …` line;
2. handlers, services, CLI: `"Texte" if locale == "fr" else "Text"` (also `== "en"`,
   `!=`, any expression for the locale such as `self.locale`) → `gettext("Texte", locale)`,
   importing `gettext` from `careerpath.i18n`;
3. tables: `{"fr": "Texte", "en": "Text"}` → `by_locale("Texte")` (still looked up as
   `T[code][locale]`), and `{"fr": {"k": "Texte"}, "en": {"k": "Text"}}` →
   `by_locale_table({"k": N_("Texte")})` (still `T[locale][key]`);
4. `@rx.page(title="Titre")` → `title=page_title("Titre")` (its English is then listed as
   missing: add it with --add), and `"en" if x == "en" else "fr"` → `as_locale(x)`.

Each pair French → English is added to `careerpath/locale/en/LC_MESSAGES/messages.po`
(an existing different English is kept and reported). The catalog is written back sorted,
without source locations, so branches merge it cleanly (`*.po merge=union`) and a second run
changes nothing. Changed files are then passed through `ruff check --select I --fix` and
`ruff format` when ruff is available.

Refused, with file:line and the reason, and left untouched (exit status 1): f-strings or
other non-literal arguments (write `t("Bonjour {name}", name=…)` or
`gettext("… {n} …", locale, n=…)` by hand), wrong argument counts, keyword arguments, and a
file that already binds the name `t` (it would shadow the new function).

At the end it extracts every marked message (the same Babel extraction as
`pybabel extract -F babel.cfg`) and lists the French msgids that still have no English;
`tests/unit/test_i18n_catalog.py` fails on the same list.
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "careerpath"
PO_PATH = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "messages.po"
UI_I18N = "careerpath.ui.i18n"
CORE_I18N = "careerpath.i18n"

sys.path.insert(0, str(ROOT))


_LOCALE_CODE = re.compile(r"^[a-z]{2}(?:[-_][A-Za-z]{2})?$")


@dataclass
class Report:
    converted: int = 0
    files: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Edit:
    start: int  # byte offsets in the file
    end: int
    text: str


def _offsets(source: bytes) -> list[int]:
    starts = [0]
    for index, byte in enumerate(source):
        if byte == 0x0A:
            starts.append(index + 1)
    return starts


def _span(node: ast.AST, lines: list[int]) -> tuple[int, int]:
    start = lines[node.lineno - 1] + node.col_offset  # type: ignore[attr-defined]
    end = lines[node.end_lineno - 1] + node.end_col_offset  # type: ignore[attr-defined]
    return start, end


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _why_not_literal(node: ast.AST) -> str:
    if isinstance(node, ast.JoinedStr):
        return "an f-string cannot be a msgid: use a {placeholder} and pass its value by name"
    return f"not a string literal ({type(node).__name__}): convert by hand"


def _locale_test(test: ast.AST) -> tuple[ast.AST, bool] | None:
    """(locale expression, True when the body is French) for `loc == "fr"` and friends."""
    if not (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Eq | ast.NotEq)
    ):
        return None
    left, right = test.left, test.comparators[0]
    lang = _literal(right)
    expr = left
    if lang is None:
        lang, expr = _literal(left), right
    if lang not in ("fr", "en"):
        return None
    french_first = (lang == "fr") == isinstance(test.ops[0], ast.Eq)
    return expr, french_first


def _locale_flags(tree: ast.Module) -> dict[int, tuple[ast.AST, bool]]:
    """For each `"x" if fr else "y"`, the locale test its name was bound to in its function:
    `fr = locale == "fr"`, `ref, fr = x, ctx.locale == "fr"` (bound once in that function)."""
    found: dict[int, tuple[ast.AST, bool]] = {}
    scopes = [
        tree,
        *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)),
    ]
    for scope in scopes:
        tests: dict[str, tuple[ast.AST, bool]] = {}
        seen: dict[str, int] = {}
        for node in ast.walk(scope):
            if not isinstance(node, ast.Assign) or len(node.targets) != 1:
                continue
            target, value = node.targets[0], node.value
            pairs: list[tuple[ast.AST, ast.AST]] = []
            if isinstance(target, ast.Name):
                pairs = [(target, value)]
            elif isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
                pairs = list(zip(target.elts, value.elts, strict=False))
            for name, expr in pairs:
                if isinstance(name, ast.Name):
                    seen[name.id] = seen.get(name.id, 0) + 1
                    test = _locale_test(expr)
                    if test is not None:
                        tests[name.id] = test
        for node in ast.walk(scope):
            if (
                isinstance(node, ast.IfExp)
                and isinstance(node.test, ast.Name)
                and node.test.id in tests
                and seen.get(node.test.id) == 1
            ):
                found[id(node)] = tests[node.test.id]
    return found


def _is_english_test(node: ast.IfExp) -> bool:
    """`"en" if x == "en" else "fr"` exactly (other shapes differ for unknown values)."""
    test = node.test
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.ops[0], ast.Eq)
        and _literal(test.comparators[0]) == "en"
        and _literal(node.body) == "en"
        and _literal(node.orelse) == "fr"
    )


def _page_title(node: ast.Call) -> ast.Constant | None:
    """The literal `title=` of an `rx.page(...)` decorator, if French-looking."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr == "page"):
        return None
    for keyword in node.keywords:
        if keyword.arg == "title" and _literal(keyword.value) is not None:
            return keyword.value  # type: ignore[return-value]
    return None


def _binds_t(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "t" and isinstance(node.ctx, ast.Store):
            return True
        if isinstance(node, ast.arg) and node.arg == "t":
            return True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "t":
            return True
        if (
            isinstance(node, ast.ImportFrom)
            and node.module != UI_I18N
            and any((a.asname or a.name) == "t" for a in node.names)
        ):
            return True
    return False


def convert_source(
    path: Path, source: bytes, pairs: dict[str, str], report: Report
) -> bytes | None:
    """The converted source, or None when nothing changed (refusals go to the report)."""
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as error:
        report.refused.append(f"{path}:{error.lineno}: cannot parse: {error.msg}")
        return None
    lines = _offsets(source)
    edits: list[Edit] = []
    uses_tr_left = False
    core_names: set[str] = set()
    ui_names: set[str] = set()
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    binds_t = _binds_t(tree)
    flags = _locale_flags(tree)

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr":
            problem = None
            if node.keywords or len(node.args) != 2:
                problem = "tr() takes exactly two positional arguments (French, English)"
            elif binds_t:
                problem = "this file binds the name `t`; rename it, then run the tool again"
            else:
                for arg in node.args:
                    if _literal(arg) is None:
                        problem = _why_not_literal(arg)
                        break
            if problem:
                report.refused.append(f"{where}:{node.lineno}: tr(): {problem}")
                uses_tr_left = True
                continue
            french, english = _literal(node.args[0]), _literal(node.args[1])
            assert french is not None and english is not None
            start, end = _span(node, lines)
            fr_start, fr_end = _span(node.args[0], lines)
            edits.append(Edit(start, end, "t(" + source[fr_start:fr_end].decode() + ")"))
            _add_pair(pairs, french, english, where, node.lineno, report)
        elif isinstance(node, ast.IfExp):
            found = _locale_test(node.test)
            if found is None and isinstance(node.test, ast.Name):
                found = flags.get(id(node))  # `fr = locale == "fr"` … `"x" if fr else "y"`
            if found is None:
                continue
            expr, french_first = found
            fr_node, en_node = (
                (node.body, node.orelse) if french_first else (node.orelse, node.body)
            )
            french, english = _literal(fr_node), _literal(en_node)
            codes = [x for x in (french, english) if x is not None and _LOCALE_CODE.match(x)]
            if len(codes) == 2 or (french is not None and french == english):
                # choosing a locale code, not translating a sentence:
                # `"en" if x == "en" else "fr"` is `as_locale(x)`
                if (french, english) == ("fr", "en") and _is_english_test(node):
                    start, end = _span(node, lines)
                    loc_start, loc_end = _span(expr, lines)
                    text = "as_locale(" + source[loc_start:loc_end].decode() + ")"
                    edits.append(Edit(start, end, text))
                    core_names.add("as_locale")
                continue
            if french is None or english is None:
                bad = fr_node if french is None else en_node
                if isinstance(bad, ast.Constant | ast.JoinedStr):
                    report.refused.append(
                        f"{where}:{node.lineno}: locale conditional: {_why_not_literal(bad)}"
                    )
                continue
            start, end = _span(node, lines)
            fr_start, fr_end = _span(fr_node, lines)
            loc_start, loc_end = _span(expr, lines)
            text = (
                "gettext("
                + source[fr_start:fr_end].decode()
                + ", "
                + source[loc_start:loc_end].decode()
                + ")"
            )
            edits.append(Edit(start, end, text))
            core_names.add("gettext")
            _add_pair(pairs, french, english, where, node.lineno, report)

        elif isinstance(node, ast.Call) and (title := _page_title(node)) is not None:
            start, end = _span(title, lines)
            text = "page_title(" + source[start:end].decode() + ")"
            edits.append(Edit(start, end, text))
            ui_names.add("page_title")
        elif isinstance(node, ast.Dict):
            edit = _convert_table(node, source, lines, pairs, where, report)
            if edit is not None:
                edits.append(edit[0])
                core_names.update(edit[1])

    if not edits:
        return None
    # Outermost edits win (a tr() inside a converted conditional would be nested).
    edits.sort(key=lambda e: (e.start, -e.end))
    kept: list[Edit] = []
    for edit in edits:
        if kept and edit.start < kept[-1].end:
            continue
        kept.append(edit)
    out = bytearray(source)
    for edit in reversed(kept):
        out[edit.start : edit.end] = edit.text.encode()
    report.converted += len(kept)
    text = out.decode()
    text = _fix_imports(text, keep_tr=uses_tr_left, add_core=core_names, add_ui=ui_names)
    return text.encode()


def _fix_imports(
    text: str, *, keep_tr: bool, add_core: set[str], add_ui: set[str] | None = None
) -> str:
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    imported: set[str] = set()
    last_import_line = 0
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            last_import_line = node.end_lineno or node.lineno
        if isinstance(node, ast.ImportFrom) and node.module in (CORE_I18N, UI_I18N):
            imported.update(a.asname or a.name for a in node.names)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == UI_I18N:
            names = [a.asname and f"{a.name} as {a.asname}" or a.name for a in node.names]
            if "tr" in names:
                new = [n for n in names if n != "tr" or keep_tr]
                if "t" not in new:
                    new.append("t")
                first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
                lines[first : last + 1] = [f"from {UI_I18N} import {', '.join(sorted(new))}\n"]
                break
    wanted = sorted(add_core - imported)
    if wanted:  # ruff's import sorting merges it with an existing line
        lines.insert(last_import_line, f"from {CORE_I18N} import {', '.join(wanted)}\n")
    wanted_ui = sorted((add_ui or set()) - imported)
    if wanted_ui:
        lines.insert(last_import_line, f"from {UI_I18N} import {', '.join(wanted_ui)}\n")
    return "".join(lines)


def _convert_table(
    node: ast.Dict,
    source: bytes,
    lines: list[int],
    pairs: dict[str, str],
    where: object,
    report: Report,
) -> tuple[Edit, set[str]] | None:
    """`{"fr": "Texte", "en": "Text"}` → `by_locale("Texte")`;
    `{"fr": {"k": "Texte"}, "en": {"k": "Text"}}` → `by_locale_table({"k": N_("Texte")})`.

    Both keep the shape the code looks up (`T[code][locale]`, `T[locale][key]`)."""
    if any(k is None for k in node.keys):
        return None
    keys = [_literal(k) for k in node.keys]  # type: ignore[arg-type]
    if sorted(k or "" for k in keys) != ["en", "fr"]:
        return None
    by = dict(zip(keys, node.values, strict=True))
    fr_node, en_node = by["fr"], by["en"]

    def src(n: ast.AST) -> str:
        a, b = _span(n, lines)
        return source[a:b].decode()

    start, end = _span(node, lines)
    french, english = _literal(fr_node), _literal(en_node)
    if french is not None and english is not None:
        if _LOCALE_CODE.match(french) and _LOCALE_CODE.match(english):
            return None  # {"fr": "fr-FR", "en": "en-GB"} names languages, not sentences
        _add_pair(pairs, french, english, where, node.lineno, report)
        return Edit(start, end, f"by_locale({src(fr_node)})"), {"by_locale"}
    if isinstance(fr_node, ast.Dict) and isinstance(en_node, ast.Dict):
        fr_items = dict(zip([_literal(k) for k in fr_node.keys if k], fr_node.values, strict=False))
        en_items = dict(zip([_literal(k) for k in en_node.keys if k], en_node.values, strict=False))
        problem = None
        if None in fr_items or set(fr_items) != set(en_items) or len(fr_items) != len(fr_node.keys):
            problem = "the French and English tables do not have the same literal keys"
        elif any(_literal(v) is None for v in [*fr_items.values(), *en_items.values()]):
            problem = "a value of the table is not a string literal: convert by hand"
        if problem:
            report.refused.append(f"{where}:{node.lineno}: {{'fr': …, 'en': …}} table: {problem}")
            return None
        parts = []
        for key_node, value in zip(fr_node.keys, fr_node.values, strict=True):
            key = _literal(key_node)  # type: ignore[arg-type]
            french, english = _literal(value), _literal(en_items[key])
            assert french is not None and english is not None
            _add_pair(pairs, french, english, where, value.lineno, report)
            parts.append(f"{src(key_node)}: N_({src(value)})")  # type: ignore[arg-type]
        text = "by_locale_table({" + ", ".join(parts) + "})"
        return Edit(start, end, text), {"by_locale_table", "N_"}
    bad = fr_node if french is None else en_node
    report.refused.append(
        f"{where}:{node.lineno}: {{'fr': …, 'en': …}} table: {_why_not_literal(bad)}"
    )
    return None


def _add_pair(
    pairs: dict[str, str], french: str, english: str, where: object, line: int, report: Report
) -> None:
    known = pairs.get(french)
    if known and known != english:
        report.conflicts.append(
            f"{where}:{line}: {french!r} is already translated {known!r}; kept it, not {english!r}"
        )
        return
    pairs[french] = english


# The catalog ---------------------------------------------------------------------------


def read_catalog():  # type: ignore[no-untyped-def]
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    if PO_PATH.exists():
        with PO_PATH.open("rb") as handle:
            return read_po(handle, locale="en", domain="messages")
    return Catalog(
        locale="en",
        domain="messages",
        project="careerpath",
        version="1",
        copyright_holder="careerpath",
        msgid_bugs_address="",
        creation_date=_FIXED_DATE,
        revision_date=_FIXED_DATE,
        language_team="English",
        fuzzy=False,
    )


def write_catalog(catalog, check: bool) -> bool:  # type: ignore[no-untyped-def]
    """Write the catalog sorted and without locations; True when its text changed."""
    import io

    from babel.messages.pofile import write_po

    catalog.revision_date = _FIXED_DATE
    catalog.creation_date = _FIXED_DATE
    catalog.last_translator = "careerpath"
    catalog.language_team = "English"
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=100,
        no_location=True,
        omit_header=False,
        sort_output=True,
        ignore_obsolete=True,
        include_previous=False,
    )
    new = buffer.getvalue()
    old = PO_PATH.read_bytes() if PO_PATH.exists() else b""
    if new == old:
        return False
    if not check:
        PO_PATH.parent.mkdir(parents=True, exist_ok=True)
        PO_PATH.write_bytes(new)
    return True


def _fixed_date():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime(2026, 12, 1, tzinfo=UTC)


_FIXED_DATE = _fixed_date()


def missing_english() -> list[str]:
    """French msgids marked in the code that the catalog does not translate."""
    from careerpath.i18n_catalog import extract_messages  # noqa: PLC0415

    catalog = read_catalog()
    missing = []
    for message in extract_messages():
        entry = catalog.get(message.id, context=message.context)
        if entry is None or entry.fuzzy or not _has_text(entry.string):
            missing.append(f"{message.where}: {message.id!r}")
    return missing


def _has_text(value: object) -> bool:
    if isinstance(value, tuple | list):
        return all(bool(v) for v in value)
    return bool(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="change nothing")
    parser.add_argument(
        "--add",
        nargs=2,
        action="append",
        default=[],
        metavar=("FRENCH", "ENGLISH"),
        help="add (or correct) one translation in the catalog",
    )
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.files] or sorted(PACKAGE.rglob("*.py"))
    catalog = read_catalog()
    pairs: dict[str, str] = {
        m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and m.string
    }
    before = dict(pairs)
    for french, english in args.add:
        pairs[french] = english
    report = Report()
    for path in paths:
        if path.name in ("i18n.py", "i18n_catalog.py") and path.parent in (PACKAGE, PACKAGE / "ui"):
            continue
        source = path.read_bytes()
        converted = convert_source(path, source, pairs, report)
        if converted is not None and converted != source:
            report.files.append(path)
            if not args.check:
                path.write_bytes(converted)
    for french, english in pairs.items():
        if before.get(french) != english:
            entry = catalog.get(french)
            if entry is None:
                catalog.add(french, english, flags=_flags(french))
            else:
                entry.string = english
                entry.flags.discard("fuzzy")
    catalog_changed = write_catalog(catalog, args.check)
    if report.files and not args.check:
        _ruff(report.files)

    verb = "would convert" if args.check else "converted"
    print(f"{verb} {report.converted} call(s) in {len(report.files)} file(s)")
    for path in report.files:
        print(f"  {path.relative_to(ROOT)}")
    if catalog_changed:
        print(f"{'would update' if args.check else 'updated'} {PO_PATH.relative_to(ROOT)}")
    for line in report.conflicts:
        print(f"conflict: {line}")
    for line in report.refused:
        print(f"REFUSED: {line}", file=sys.stderr)
    missing = [] if args.check else missing_english()
    for line in missing:
        print(f"no English yet: {line}", file=sys.stderr)
    if missing:
        print(
            f"{len(missing)} message(s) without English: write their msgstr in "
            f"{PO_PATH.relative_to(ROOT)}",
            file=sys.stderr,
        )
    changed = bool(report.files) or catalog_changed
    return 1 if report.refused or missing or (args.check and changed) else 0


def _flags(message: str) -> list[str]:
    return ["python-brace-format"] if "{" in message else []


def _ruff(files: list[Path]) -> None:
    ruff = shutil.which("ruff")
    if ruff is None:
        print("ruff not found: check the imports' order by hand", file=sys.stderr)
        return
    names = [str(p) for p in files]
    subprocess.run([ruff, "check", "--select", "I", "--fix", "--quiet", *names], check=False)
    # `fr = locale == "fr"` left unused once its conditionals became gettext calls.
    subprocess.run(
        [ruff, "check", "--select", "F841", "--fix", "--unsafe-fixes", "--quiet", *names],
        check=False,
        capture_output=True,
    )
    subprocess.run([ruff, "format", "--quiet", *names], check=False)


if __name__ == "__main__":
    sys.exit(main())
