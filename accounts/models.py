from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import BooleanField, CharField, Value
from django.utils.translation import gettext_lazy as _

from core.fields import PhoneField, TidyCharField


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


# Membership roles that sign for their party (OrganizationMembership.Role.REPRESENTATIVE and
# DepartmentMembership.Role.MANAGER; their values, so that accounts imports no feature app).
SIGNING_ROLES = ("representative", "manager")  # organization role, department role


class _Role:
    """A role attribute of a user, read from memberships together with all the others (one query).

    The values stay in the instance's __dict__, so they are computed once per user object, that is once
    per request (the authentication middleware loads the user anew for each request). A non-data
    descriptor: once set, the instance's value is returned without calling __get__. Code that changes
    a user's memberships during a request pops the names it changed from __dict__; reading any of
    them then reloads them all.
    """

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        instance.load_roles()
        return instance.__dict__[self.name]


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
    family_name = TidyCharField(_("姓"), max_length=50, blank=True)
    given_name = TidyCharField(_("名"), max_length=50, blank=True)
    family_name_kana = models.CharField(_("姓（よみがな）"), max_length=50, blank=True)
    given_name_kana = models.CharField(_("名（よみがな）"), max_length=50, blank=True)
    phone = PhoneField(_("電話番号"), max_length=30, blank=True)
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

    organization_ids: set[int] = _Role()
    department_ids: set[int] = _Role()
    is_coordinator: bool = _Role()
    # The parties the user acts for (accounts.roles.party_ids_of reads this cache), their names (an
    # organization's or a department's name, as Party.name) for choice lists, and the parties the
    # user may sign for (a group's representative, a department's manager).
    _party_ids: set[int] = _Role()
    organization_party_ids: set[int] = _Role()  # the groups' parties only (who may apply as a group)
    party_names: dict[int, str] = _Role()
    authorised_party_ids: set[int] = _Role()

    def load_roles(self) -> None:
        """Organizations, departments, their parties and names, the roles held in them, and whether one
        department is a coordinating section: one UNION ALL query over both membership tables.
        Ask through accounts.roles; accounts.roles.reset_roles forgets the result."""
        kind = CharField()
        organizations = self.organization_memberships.values_list(
            Value("organization", output_field=kind),
            "organization_id",
            "organization__party_id",
            "organization__name",
            Value(False, output_field=BooleanField()),
            "role",
        )
        departments = self.department_memberships.values_list(
            Value("department", output_field=kind),
            "department_id",
            "department__party_id",
            "department__name",
            "department__is_coordinating_section",
            "role",
        )
        # Departments before organizations, each by party id (the order of the parties' choice lists).
        rows = sorted(organizations.order_by().union(departments.order_by(), all=True), key=lambda r: (r[0], r[2]))
        self.__dict__.update(
            organization_ids={pk for key, pk, *_rest in rows if key == "organization"},
            department_ids={pk for key, pk, *_rest in rows if key == "department"},
            is_coordinator=any(coordinating for *_rest, coordinating, _role in rows),
            _party_ids={party for _key, _pk, party, *_rest in rows},
            organization_party_ids={party for key, _pk, party, *_rest in rows if key == "organization"},
            party_names={party: name for _key, _pk, party, name, *_rest in rows},
            authorised_party_ids={party for _key, _pk, party, *_rest, role in rows if role in SIGNING_ROLES},
        )

    @property
    def is_group_member(self) -> bool:
        return bool(self.organization_ids)

    @property
    def is_department_staff(self) -> bool:
        return bool(self.department_ids)
