from django.utils import formats, timezone
from django.utils.text import slugify
from unidecode import unidecode


def norwegian_slugify(text, max_length=None):
    """ASCII slug that keeps Norwegian letters readable: æ→ae, ø→o, å→a ("bånd" → "band")."""
    slug = slugify(unidecode(text or ""))
    if max_length:
        slug = slug[:max_length].rstrip("-")
    return slug


def oslo_time(moment):
    """`12. september 2023 kl. 14.05` in the site's time zone."""
    return formats.date_format(timezone.localtime(moment), r"j. F Y \k\l. H.i")
