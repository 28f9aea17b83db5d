"""Reusable UI pieces: functions returning Reflex components."""
