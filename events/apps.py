from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("交流の場")

    def ready(self):
        from core.sitesearch import register

        from .sitesearch import SECTIONS

        for section in SECTIONS:
            register(section)
