"""Importers: read a referential from files (our CSV bundle, ROME 4.0, ESCO) into the domain model.

Importers only read and validate; they never touch the database. Writing is the repository's
job, in one transaction, after validation has passed.
"""
