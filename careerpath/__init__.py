"""careerpath: competencies, next roles and training plans for the assistant professions."""

__version__ = "0.1.0"
