"""Entry point of the `careerpath` command."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Each module exposes register(subparsers); listed here in the order `--help` shows them.
COMMAND_MODULES = (
    "careerpath.cli.serve",
    "careerpath.cli.referential",
    "careerpath.cli.recommend",
    "careerpath.cli.accounts",
    "careerpath.cli.groups",
    "careerpath.cli.purge",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="careerpath",
        description="careerpath: competencies, next roles and training plans for the assistant professions.",
    )
    parser.add_argument("--lang", choices=["fr", "en"], default="fr", help="language of messages")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
