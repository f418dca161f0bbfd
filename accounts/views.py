"""The user's own profile, and the coordinators' pages that deactivate or anonymise users."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods

from core.exceptions import TransitionError
from core.forms import ConfirmForm

from . import services
from .forms import ProfileForm
from .models import SecurityEvent, User
from .roles import is_coordinator_or_admin
from .security import log_event
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


def _require_coordinator(user):
    if not is_coordinator_or_admin(user):
        raise PermissionDenied


@login_required
def user_list(request):
    """Coordinators find a user to deactivate or anonymise."""
    _require_coordinator(request.user)
    qs = User.objects.order_by("family_name_kana", "given_name_kana", "email")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(email__icontains=q) | Q(family_name__icontains=q) | Q(given_name__icontains=q))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    log_event(SecurityEvent.Kind.PERSONAL_DATA_VIEW, request=request, detail={"list": "users", "q": q[:100]})
    return render(request, "accounts/user_list.html", {"page": page, "q": q})


# Lazy: the page's language is known only when a request shows them.
USER_ACTIONS = {
    "deactivate": (
        services.user_deactivate,
        pgettext_lazy("page title", "利用者の停止"),
        gettext_lazy("ログインできなくなり、すべてのセッションが終了します。"),
    ),
    "anonymize": (
        services.user_anonymize,
        pgettext_lazy("page title", "利用者の匿名化"),
        gettext_lazy(
            "氏名・メールアドレス・電話番号を消去し、ログインできなくします。記録の作成者欄は「退会済み 利用者」と表示されます。"
        ),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def user_action(request, pk, action):
    _require_coordinator(request.user)
    service, title, explanation = USER_ACTIONS[action]
    target = get_object_or_404(User, pk=pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, user=target, request=request)
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("%(title)sを行いました。") % {"title": title})
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_confirm.html",
        {"target": target, "form": form, "title": title, "explanation": explanation, "action": action},
    )
