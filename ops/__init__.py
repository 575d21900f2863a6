"""Operations: the embedded default's private broker, health and readiness endpoints, production
fail-closed checks and structured logs (docs/adr/0007-embedded-broker-and-supervision.md).

``ops.environment`` and ``ops.embedded`` import nothing from Django so that settings can use them."""
