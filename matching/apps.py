from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("マッチング")

    def ready(self):
        from organizations.permissions import CONTACT_GRANTS

        from .permissions import accepted_match_with

        CONTACT_GRANTS.append(accepted_match_with)
