from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: security headers, health checks and the public page cache.

    Knows nothing of the site's content: the site tells the page cache what changed
    (``ops.pagecache.pages``) and when pages change on their own (``PAGE_CACHE_NEXT_CHANGE``).
    """

    name = "ops"
    verbose_name = "Drift"
