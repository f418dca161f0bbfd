from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListingsConfig(AppConfig):
    name = "listings"
    verbose_name = _("ニーズ・シーズ")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core.sitesearch import register

        from .selectors import FILTER_CHOICE_MODELS, forget_filter_choices
        from .sitesearch import SECTIONS

        for section in SECTIONS:
            register(section)
        for model in FILTER_CHOICE_MODELS:
            post_save.connect(forget_filter_choices, sender=model, dispatch_uid=f"filter-choices-save-{model.__name__}")
            post_delete.connect(
                forget_filter_choices, sender=model, dispatch_uid=f"filter-choices-delete-{model.__name__}"
            )
