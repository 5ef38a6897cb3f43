from django.conf import settings

from .fragments import navigation_sections


def site(request):
    return {
        "site": settings.NEWSROOM,
        "nav_sections": navigation_sections,  # called by the template, if it shows them
    }
