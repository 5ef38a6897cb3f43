"""Dependencies between the apps run one way: the newsroom uses the infrastructure.

``ops`` (page cache, generations, cache backends, security headers) knows nothing of
``articles``; the site feeds it through settings (``PAGE_CACHE_NEXT_CHANGE``) and by bumping
its generations (articles/freshness.py). Read from the source, so a lazy import inside a
function counts too.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("articles", "ops")


def imported_apps(package):
    """The other apps a package's modules import, with the first file that does."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in APPS and top != package:
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_ops_imports_nothing_of_the_newsroom():
    assert imported_apps("ops") == {}


@pytest.mark.parametrize("package", APPS)
def test_no_two_apps_import_each_other(package):
    for other in imported_apps(package):
        assert package not in imported_apps(other), f"{package} and {other} import each other"
