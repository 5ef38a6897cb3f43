"""Screenshots of the writing screens for a person to review, in docs/screenshots/.

Taken only when asked, so a test run changes no committed file:
``SCREENSHOTS=1 pytest -m browser tests/test_browser_writing*.py``
"""

import io
import os
from pathlib import Path

from PIL import Image

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def keep_screenshot(page, name, full_page=False):
    """In 128 colours: small enough to commit, clear enough to judge."""
    if not os.environ.get("SCREENSHOTS"):
        return
    shot = Image.open(io.BytesIO(page.screenshot(full_page=full_page)))
    shot.convert("RGB").quantize(colors=128).save(SCREENSHOTS / f"{name}.png", optimize=True)
