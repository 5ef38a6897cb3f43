import io

import brotli
import pytest
from django.core.management import call_command
from django.templatetags.static import static
from whitenoise import WhiteNoise


@pytest.fixture
def collected(settings, tmp_path):
    """STATIC_ROOT after a production collectstatic of our own files."""
    settings.STATIC_ROOT = tmp_path
    # Only our own files: compressing the admin's hundreds would make the test slow.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "ops.static_files.StaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", stdout=io.StringIO())
    return tmp_path


def hashed_stylesheet(root):
    [css] = [path for path in (root / "css").glob("site.*.css") if path.stem != "site"]
    return css


def test_collectstatic_writes_hashed_brotli_and_gzip_copies(collected):
    css = hashed_stylesheet(collected)
    assert css.with_name(css.name + ".br").exists()
    assert css.with_name(css.name + ".gz").exists()


def test_collected_stylesheet_points_at_the_collected_fonts(collected):
    stylesheet = hashed_stylesheet(collected).read_text(encoding="utf-8")
    fonts = list((collected / "fonts").glob("*.*.woff2"))
    assert len(fonts) == 4  # Source Serif 4 and Source Sans 3, upright and italic
    # Hashed names, so browsers may keep the fonts for good and a new file gets a new URL.
    assert all(f"../fonts/{font.name}" in stylesheet for font in fonts)


def test_pages_link_each_file_by_its_hashed_name_and_under_debug_by_its_own(collected, settings):
    hashed = f"{settings.STATIC_URL}css/{hashed_stylesheet(collected).name}"
    assert [static("css/site.css") for _ in range(2)] == [hashed, hashed]
    settings.DEBUG = True
    assert static("css/site.css") == f"{settings.STATIC_URL}css/site.css"
    settings.DEBUG = False
    assert static("css/site.css") == hashed


def test_whitenoise_serves_the_brotli_copy_to_browsers_that_accept_it(collected):
    css = hashed_stylesheet(collected)
    app = WhiteNoise(lambda environ, start_response: [], root=collected, prefix="/static/")

    def get(accept_encoding):
        answer = {}
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": f"/static/css/{css.name}",
            "HTTP_ACCEPT_ENCODING": accept_encoding,
        }
        body = b"".join(app(environ, lambda status, headers: answer.update(headers)))
        return answer, body

    headers, body = get("gzip, deflate, br")
    assert headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in headers["Vary"]
    assert brotli.decompress(body) == css.read_bytes()
    headers, _ = get("gzip")
    assert headers["Content-Encoding"] == "gzip"
