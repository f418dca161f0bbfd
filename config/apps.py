"""Japanese names for the third-party apps shown in the admin.

Django's way to rename an installed app is an AppConfig subclass named in INSTALLED_APPS; the models'
names are set in `ready()`, because these apps give some of their models no translatable name
(allauth's Authenticator, django-tasks' app) and the portal's catalogue is English-only. Only the
displayed names change: the models' options stay as their apps define them, so no migration follows.
"""

from allauth.account.apps import AccountConfig
from allauth.mfa.apps import MFAConfig
from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


def _name(model, singular, plural=None):
    model._meta.verbose_name = singular
    model._meta.verbose_name_plural = plural or singular


class PortalAccountConfig(AccountConfig):
    verbose_name = _("ログイン用メールアドレス（allauth）")

    def ready(self):
        super().ready()
        from allauth.account.models import EmailAddress, EmailConfirmation

        _name(EmailAddress, _("ログイン用メールアドレス"))
        _name(EmailConfirmation, _("メールアドレス確認の記録"))


class PortalMFAConfig(MFAConfig):
    verbose_name = _("二段階認証（allauth）")

    def ready(self):
        super().ready()
        from allauth.mfa.models import Authenticator

        _name(Authenticator, _("認証アプリ・リカバリーコード"))


class PortalAxesConfig(AxesAppConfig):
    verbose_name = _("ログイン試行の記録（django-axes）")

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog

        _name(AccessAttempt, _("ログイン失敗（ロック判定）"))
        _name(AccessAttemptExpiration, _("ログイン失敗の有効期限"))
        _name(AccessFailureLog, _("ログイン失敗の記録"))
        _name(AccessLog, _("ログインの記録"))


class PortalTasksConfig(TasksAppConfig):
    verbose_name = _("バックグラウンド処理（django-tasks）")

    def ready(self):
        super().ready()
        from django_tasks_db.models import DBTaskResult

        _name(DBTaskResult, _("処理の結果"))
