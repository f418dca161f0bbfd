from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """APPI: a group's data export and its requests to correct or delete personal data."""

    name = "privacy"
    verbose_name = _("個人情報")
