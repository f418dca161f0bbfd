"""Model fields that store text tidied (core.japanese.tidy_text / tidy_phone): the one place where
titles, free text and phone numbers are normalised, on every save (forms, services, admin, bulk loads).

The database column is exactly Django's, so deconstruct() names Django's own class: migrations see no
change when a field starts being tidied.
"""

from django.db import models

from core.japanese import tidy_phone, tidy_text


class _Tidied:
    tidy = staticmethod(tidy_text)
    django_path: str

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = self.tidy(value)
            setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, self.django_path, args, kwargs


class TidyCharField(_Tidied, models.CharField):
    django_path = "django.db.models.CharField"


class TidyTextField(_Tidied, models.TextField):
    django_path = "django.db.models.TextField"


class PhoneField(_Tidied, models.CharField):
    tidy = staticmethod(tidy_phone)
    django_path = "django.db.models.CharField"
