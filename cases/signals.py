"""The stage hand-over signal (DESIGN.md, "How a stage hands over").

``case_transition`` sends ``stage_entered`` once for every move of a case into a stage, inside the
transaction that moved it, so a receiver's records are written (or rolled back) with the move. The app
that owns the stage opens its own records in a receiver; the stage that led there never does.

Keyword arguments sent: ``case`` (the locked Case, already in its new stage), ``stage`` (the stage key
entered), ``previous`` (the stage key left), ``outcome`` (the recorded outcome that led there, e.g. a
rapid review decision's outcome key, or ``""``), ``on`` (the date of the decision that led there, or
``None``) and ``by`` (the person who made the move)."""

from __future__ import annotations

from django.dispatch import Signal

stage_entered = Signal()
