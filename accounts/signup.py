"""allauth's sign-up form, doing the same work whether or not the address already has an account.

With ACCOUNT_PREVENT_ENUMERATION allauth answers both cases alike, but only a new account hashes
the password (hundreds of milliseconds), so the response time told which addresses exist. Kept
apart from accounts.forms, which allauth's own form module imports (ACCOUNT_SIGNUP_FORM_CLASS).
"""

from allauth.account.forms import SignupForm
from django.contrib.auth.hashers import make_password


class PortalSignupForm(SignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))  # the hash a new account would cost
        return super().try_save(request)
