"""Whatever an editor types around photo references, only our own photos reach the page."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.markup import render_body
from tests.html import elements

PIECES = [
    "![alt](bilde:1)", "![](bilde:2)", "![x](https://annonse.example/p.gif)", "![x](/media/a.jpg)",
    "<img src=x onerror=alert(1)>", '<picture><source srcset="//evil 1x"></picture>',
    "javascript:alert(1)", "[lenke](javascript:alert(1))", "bilde:3", "![", "](", ")", "\n\n",
    "\n", "– ", "## ", "> ", "- ", " ", "tekst", '"', "'", "<", ">", "&",
]  # fmt: skip


def figure(image_id, alt_text):
    # What the library would give, plus a hostile attribute the sanitiser must still remove.
    return (
        f'<figure><img src="/media/versjoner/{image_id}-320.jpg" '
        f'srcset="/media/versjoner/{image_id}-320.jpg 320w" alt="{alt_text}" onerror="x()">'
        "<figcaption>Foto: NTB</figcaption></figure>"
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=25))
def test_body_never_loads_images_from_elsewhere_or_runs_script(pieces):
    html = render_body("".join(pieces), figure=figure)
    for element in elements(html):
        assert element["tag"] not in {"script", "iframe"}
        assert not [name for name in element["attrs"] if name.startswith("on")]
        for name in ("src", "srcset"):
            if name in element["attrs"]:
                assert element["attrs"][name].startswith("/media/versjoner/")
        assert "javascript:" not in element["attrs"].get("href", "")
