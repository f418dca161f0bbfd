from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from listings.selectors import newest_listings


@never_cache
def healthz(request):
    """Liveness probe for the load balancer: no templates, no session."""
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    return render(request, "core/home.html", {"newest": newest_listings(limit=6)})


def privacy(request):
    return render(request, "core/privacy.html")


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
