from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class PortalAccountAdapter(DefaultAccountAdapter):
    """allauth's mails speak as the portal: its name and address, not the request's host."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {"PORTAL_NAME": settings.PORTAL_NAME, "CITY_NAME": settings.CITY_NAME, **context}
        super().send_mail(template_prefix, email, context)
