"""The `careerpath` command line: one module per group of sub-commands."""
