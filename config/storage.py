from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]  # whitenoise has no type hints
    """Hashed, compressed static files; ``import`` statements in JS modules are rewritten too.

    GOV.UK Frontend's stylesheet refers to assets this service deliberately does not ship (the crest:
    it is not a GOV.UK service). Such a reference is left as written instead of failing
    ``collectstatic`` — which would stop the production image from building."""

    support_js_module_import_aggregation = True
    manifest_strict = False

    def url_converter(self, name, hashed_files, template=None):  # type: ignore[no-untyped-def]
        convert = super().url_converter(name, hashed_files, template)

        def keep_missing(matchobj):  # type: ignore[no-untyped-def]
            try:
                return convert(matchobj)
            except ValueError:
                return matchobj.group(0)

        return keep_missing
