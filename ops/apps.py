from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: security headers, health checks and the public page cache."""

    name = "ops"
    verbose_name = "Drift"
