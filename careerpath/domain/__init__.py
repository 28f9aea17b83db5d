"""Pure domain core: the referential model, assessments and the recommendation engine.

Nothing here imports Reflex, sqlmodel or any database driver: the core is fed plain
dataclasses and returns plain dataclasses, so it can be tested and benchmarked alone.
"""
