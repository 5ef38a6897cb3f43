from django.apps import AppConfig
from django.db.backends.signals import connection_created


class OpsConfig(AppConfig):
    """Operations: security headers, health checks and the public page cache.

    Knows nothing of the site's content: the site tells the page cache what changed
    (``ops.pagecache.pages``) and when pages change on their own (``PAGE_CACHE_NEXT_CHANGE``).
    """

    name = "ops"
    verbose_name = "Drift"

    def ready(self):
        from .outage import outage_log

        # A new connection after refused requests means the database answers again.
        connection_created.connect(outage_log.database_answered, dispatch_uid="outage")
