from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("マッチング")

    def ready(self):
        from core.sitesearch import register

        from .sitesearch import SECTIONS

        for section in SECTIONS:
            register(section)
