"""The shared kernel below the stages (DESIGN.md "How data flows"): the API door, pagination and
error responses, the serializer base, the form engine and "check your answers", messaging, the
case-page panel registry and the case door that ``cases`` registers for the engines.

It depends on nothing above ``partnerships`` and ``audit``: stages and engines import it, never the
reverse. What it needs from above (the notifications engine, the case door) is registered into it
from the ``AppConfig.ready()`` of the app that owns it."""
