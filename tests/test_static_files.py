import io

from django.core.management import call_command


def test_collectstatic_writes_hashed_brotli_and_gzip_copies(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    # Only our own files: compressing the admin's hundreds would make the test slow.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", stdout=io.StringIO())

    hashed = [path for path in (tmp_path / "css").glob("site.*.css") if path.stem != "site"]
    assert len(hashed) == 1
    assert hashed[0].with_name(hashed[0].name + ".br").exists()
    assert hashed[0].with_name(hashed[0].name + ".gz").exists()
