"""The form engine: forms as data (``spec``), Django forms built from them (``sections``), GOV.UK
section pages (``pages``) and the "check your answers" summary (``summary``)."""
