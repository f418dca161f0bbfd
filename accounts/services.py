"""Account writes that are not allauth's own."""

from django.db import transaction


@transaction.atomic
def profile_update(*, user, data: dict) -> None:
    """A user updates their own names, readings and phone."""
    fields = ["family_name", "given_name", "family_name_kana", "given_name_kana", "phone"]
    for name in fields:
        setattr(user, name, data.get(name, getattr(user, name)) or "")
    user.full_clean(exclude=["password"])
    user.save(update_fields=fields)
