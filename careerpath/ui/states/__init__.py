"""UI states: hold what a screen shows and call services."""
