from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingsConfig(AppConfig):
    name = "listings"
    verbose_name = _("ニーズ・シーズ")

    def ready(self):
        from core.sitesearch import register

        from .sitesearch import SECTIONS

        for section in SECTIONS:
            register(section)
