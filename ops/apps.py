from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_save


class OpsConfig(AppConfig):
    """Operations: security headers, health checks and the public page cache."""

    name = "ops"
    verbose_name = "Drift"

    def ready(self):
        from . import pagecache
        from .outage import outage_log

        # A new connection after refused requests means the database answers again.
        connection_created.connect(outage_log.database_answered, dispatch_uid="outage")

        for signal in (post_save, post_delete):
            signal.connect(pagecache.invalidate_pages_on_change, dispatch_uid="pagecache")
        m2m_changed.connect(
            pagecache.invalidate_pages_on_relation_change, dispatch_uid="pagecache"
        )
