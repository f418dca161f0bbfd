from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("協働事業提案制度")

    def ready(self):
        from projects import sections

        from .selectors import project_origin_section

        sections.register(project_origin_section)
