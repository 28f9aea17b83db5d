"""Data layer: sqlmodel tables, repositories, and importers that turn files into referentials."""
