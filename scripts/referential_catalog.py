#!/usr/bin/env python3
"""Keep the curated referential's English catalog in step with the bundle.

Usage (from the project root, inside the virtualenv):

    python scripts/referential_catalog.py                  # rewrite the catalog, report
    python scripts/referential_catalog.py --merge FILE.json  # add {"French": "English"} pairs
    python scripts/referential_catalog.py --check          # exit 1 if it would change

The catalog, `careerpath/locale/en/LC_MESSAGES/referential.po`, lists every text of
`careerpath/data/curated/` that `careerpath.services.referential_text.localized` translates
(bundle order, one entry per distinct French text). Existing English is kept; a text the
bundle no longer has is dropped; a new one gets an empty `msgstr` (shown in French until
someone writes its English). It prints how many entries still lack their English.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from careerpath.data.importers.bundle import read_bundle
from careerpath.i18n import REFERENTIAL_DOMAIN, catalog_path
from careerpath.services.referential import CURATED_BUNDLE
from careerpath.services.referential_text import texts_of


def build(extra: dict[str, str]) -> tuple[bytes, int, int]:
    path = catalog_path("en", REFERENTIAL_DOMAIN)
    known: dict[str, str] = {}
    if path.exists():
        with path.open("rb") as handle:
            for message in read_po(handle, locale="en", domain=REFERENTIAL_DOMAIN):
                if message.id and message.string:
                    known[str(message.id)] = str(message.string)
    known.update(extra)
    catalog = Catalog(
        locale="en",
        domain=REFERENTIAL_DOMAIN,
        project="careerpath",
        header_comment="# English of the curated referential (careerpath/data/curated).\n"
        "# Written by scripts/referential_catalog.py; msgids are the bundle's French texts.",
    )
    texts = texts_of(read_bundle(CURATED_BUNDLE).referential)
    for text in texts:
        catalog.add(text, known.get(text, ""))
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False, no_location=True)
    missing = sum(1 for text in texts if not known.get(text))
    return buffer.getvalue(), len(texts), missing


def _undated(po: bytes) -> bytes:
    return re.sub(rb'"POT-Creation-Date: [^"]*"\n', b"", po)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--merge", type=Path)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    extra = json.loads(args.merge.read_text("utf-8")) if args.merge else {}
    content, total, missing = build(extra)
    path = catalog_path("en", REFERENTIAL_DOMAIN)
    current = path.read_bytes() if path.exists() else b""
    # The header's creation date changes on every run: compare without it.
    same = _undated(current) == _undated(content)
    if args.check:
        print(
            f"{total} texts, {missing} without English; catalog {'up to date' if same else 'stale'}"
        )
        return 0 if same else 1
    if not same:
        path.write_bytes(content)
    print(f"{path}: {total} texts, {missing} without English")
    return 0


if __name__ == "__main__":
    sys.exit(main())
