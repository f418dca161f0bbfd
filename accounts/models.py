from functools import cached_property

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in with an e-mail address.

    The role follows from memberships: a member of an organization is group staff, a member of a
    department is department staff, a member of a coordinating section is a coordinator; admins are
    superusers.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("メールアドレス"), unique=True)
    family_name = models.CharField(_("姓"), max_length=50, blank=True)
    given_name = models.CharField(_("名"), max_length=50, blank=True)
    family_name_kana = models.CharField(_("姓（よみがな）"), max_length=50, blank=True)
    given_name_kana = models.CharField(_("名（よみがな）"), max_length=50, blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    anonymized_at = models.DateTimeField(_("匿名化日時"), null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")
        ordering = ["family_name_kana", "given_name_kana", "email"]

    def __str__(self):
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.family_name or self.email

    @cached_property
    def organization_ids(self) -> set[int]:
        return set(self.organization_memberships.values_list("organization_id", flat=True))

    @cached_property
    def department_ids(self) -> set[int]:
        return set(self.department_memberships.values_list("department_id", flat=True))

    @cached_property
    def is_coordinator(self) -> bool:
        return self.department_memberships.filter(department__is_coordinating_section=True).exists()

    @property
    def is_group_member(self) -> bool:
        return bool(self.organization_ids)

    @property
    def is_department_staff(self) -> bool:
        return bool(self.department_ids)
