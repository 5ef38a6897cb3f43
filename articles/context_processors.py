from django.conf import settings

from .fragments import navigation_sections, shared_objects


def site(request):
    # Callables: the template calls them only if it shows the menu and its cached copy is
    # missing.
    return {
        "site": settings.NEWSROOM,
        "nav_sections": navigation_sections,
        "navigation_version": shared_objects.current,
        "navigation_timeout": settings.ARTICLE_FRAGMENT_TIMEOUT,
    }
