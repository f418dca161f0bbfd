from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("団体・担当課")

    def ready(self):
        from core.sitesearch import register

        from .sitesearch import SECTIONS

        for section in SECTIONS:
            register(section)
