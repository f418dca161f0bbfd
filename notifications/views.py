from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import PreferencesForm
from .models import Notification


@login_required
def notification_list(request):
    qs = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page, "notices": page.object_list})


@login_required
@require_POST
def notification_read(request, pk):
    notice = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notice_mark_read(user=request.user, notice=notice)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)  # a URL, never a view name to reverse
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request):
    n = services.notices_mark_all_read(user=request.user)
    messages.success(request, _("%(n)s件のお知らせを既読にしました。") % {"n": n})
    return redirect("notifications:list")


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, initial=services.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, deliveries=form.cleaned_data)
        messages.success(request, _("通知の設定を保存しました。"))
        return redirect("notifications:preferences")
    return render(request, "notifications/notification_preferences.html", {"form": form})
