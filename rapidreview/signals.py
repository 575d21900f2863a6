"""The rapid review's own signal, for the stage its decision leads into.

The hand-over itself is ``cases.signals.stage_entered``, sent when the rapid review moves the case
into the stage its outcome leads to (``rapidreview.handover``). ``outcome_revised`` covers what a move
cannot say: the rapid review recorded an outcome but the case did not enter that outcome's stage now
— it is already there (a new decision version with another learning type), already past the rapid
review (the Panel takes a national review over a commissioning local review), or not yet at it.

Keyword arguments sent: ``case``, ``stage`` (the stage the outcome leads to), ``outcome``, ``on`` (the
date of the decision), ``by`` and ``reason`` (why the outcome changed, for the receiver's audit)."""

from __future__ import annotations

from django.dispatch import Signal

outcome_revised = Signal()
