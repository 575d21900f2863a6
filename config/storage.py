from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]  # whitenoise has no type hints
    """Hashed, compressed static files; ``import`` statements in JS modules are rewritten too."""

    support_js_module_import_aggregation = True
    manifest_strict = False
