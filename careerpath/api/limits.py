"""The API's bounds on a request, defined once (the guard enforces them, messages cite them)."""

MAX_BODY_BYTES = 256 * 1024
"""A request body: at most 256 KB, counted while it is read."""
MAX_ADDRESS_CHARS = 8 * 1024
"""Path and query together (the server itself refuses beyond its 408 KB request buffer)."""
BODY_TIMEOUT_SECONDS = 10.0
"""The whole body must arrive within this time once the route starts reading it."""
