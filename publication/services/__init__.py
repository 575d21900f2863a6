"""The publication stage's writers, split by concept: ``approval`` (the chain of sign-offs),
``anonymisation`` (the check before publication), ``publishing`` (decision, copies, press statement,
publication and its tasks) and ``media``."""
