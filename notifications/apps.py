from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("通知")

    def ready(self):
        from .models import Notification
        from .services import forget_unread_of_notice

        post_save.connect(forget_unread_of_notice, sender=Notification, dispatch_uid="notices-unread-save")
        post_delete.connect(forget_unread_of_notice, sender=Notification, dispatch_uid="notices-unread-delete")
