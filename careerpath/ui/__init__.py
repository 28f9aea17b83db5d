"""Reflex UI: pages, components and states. States call services; no business rule here."""
