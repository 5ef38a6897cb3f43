from django.conf import settings

from .fragments import navigation_sections, shared_objects


def site(request):
    # Callables, called only by a template that needs them: the menu's sections only when
    # its cached copy is missing. Teasers and the menu are cached per version of the shared
    # objects (articles/fragments.py).
    return {
        "site": settings.NEWSROOM,
        "nav_sections": navigation_sections,
        "shared_version": shared_objects.current,
        "fragment_lifetime": settings.ARTICLE_FRAGMENT_TIMEOUT,
    }
