from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The site shell: pages that belong to no feature (home, privacy notice, 403, audit trail)."""

    name = "portal"
    verbose_name = _("サイト")
