from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .services import profile_update


@login_required
def profile(request):
    """The user's own names, readings and phone; links to e-mail, password and 2-step login."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        profile_update(user=request.user, data=form.cleaned_data)
        messages.success(request, _("プロフィールを更新しました。"))
        return redirect("accounts:profile")
    return render(request, "accounts/user_profile.html", {"form": form})
