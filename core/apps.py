from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("共通")

    def ready(self):
        from core import checks, observability  # noqa: F401 - checks register themselves
        from core.history_guards import install_after_migrate

        observability.connect_task_signals()
        post_migrate.connect(install_after_migrate, dispatch_uid="core.history_guards")
