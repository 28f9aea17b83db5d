"""The HTTP API: the engine's JSON contract over HTTP, beside the Reflex app (same port)."""
