from django.utils.text import slugify
from unidecode import unidecode


def norwegian_slugify(text, max_length=None):
    """ASCII slug that keeps Norwegian letters readable: æ→ae, ø→o, å→a ("bånd" → "band")."""
    slug = slugify(unidecode(text or ""))
    if max_length:
        slug = slug[:max_length].rstrip("-")
    return slug
