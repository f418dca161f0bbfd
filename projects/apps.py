from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("協働事業")

    def ready(self):
        from matching.signals import match_established

        from .services import start_project_on_establish

        match_established.connect(start_project_on_establish, dispatch_uid="projects.start_project_on_establish")
