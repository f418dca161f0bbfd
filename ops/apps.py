from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the site: backup and restore, the append-only guards of the history tables."""

    name = "ops"
    verbose_name = _("運用")

    def ready(self):
        from ops.history_guards import install_after_migrate

        post_migrate.connect(install_after_migrate, dispatch_uid="ops.history_guards")
