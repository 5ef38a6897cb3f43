from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's storage, each file's address worked out once per worker.

    Every page links the same few files; finding each one's hashed name in the manifest and
    joining it to STATIC_URL was a twentieth of the CPU of an article page rendered from its
    cached pieces. A new collectstatic comes with a restart, and so with a new storage.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}

    def url(self, name, force=False):
        key = (name, force, settings.DEBUG)  # under DEBUG, Django links the unhashed files
        if key not in self._urls:
            self._urls[key] = super().url(name, force)
        return self._urls[key]
