from django.conf import settings

from .models import Section


def site(request):
    return {
        "site": settings.NEWSROOM,
        "nav_sections": Section.objects.all(),
    }
