"""Signals partnerships sends so that higher layers can react without being imported here."""

from django.dispatch import Signal

# Sent with partnership=... whenever closure days change (the working calendar changed).
calendar_changed = Signal()
