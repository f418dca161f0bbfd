from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("団体・担当課")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core.sitesearch import register

        from .selectors import REFERENCE_MODELS, forget_reference_choices
        from .sitesearch import SECTIONS

        for section in SECTIONS:
            register(section)
        for model in REFERENCE_MODELS:
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_reference_choices, sender=model, dispatch_uid=f"reference-choices-{model.__name__}"
                )
