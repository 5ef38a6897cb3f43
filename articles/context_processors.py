from django.conf import settings

from .fragments import editor_in_chief, navigation_sections
from .freshness import shared_objects


def site(request):
    # Teasers and the menu are kept per version of the shared objects (articles/fragments.py);
    # while the shared cache is down there is no version, and nothing is kept. The menu's
    # sections and the editor's name are callables: read only when the template needs them.
    version = shared_objects.current()
    return {
        "site": settings.NEWSROOM,
        "site_url": settings.SITE_URL,
        "nav_sections": navigation_sections,
        "editor_in_chief": editor_in_chief,
        "shared_version": version,
        "fragment_lifetime": 0 if version is None else settings.ARTICLE_FRAGMENT_TIMEOUT,
    }
