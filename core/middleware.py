"""Request-wide rules that need no feature app: private pages are not cached, NUL is refused."""

from django.core.exceptions import BadRequest


class PrivatePagesMiddleware:
    """Pages for a logged-in user may show personal data (contact persons, records, the user's own
    details): `Cache-Control: private, no-store` keeps them out of shared proxies and off the disk
    of a shared computer. Responses that chose their own caching (downloads) keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response


class RejectNulMiddleware:
    """A NUL character in the path, a query string or a form field is a 400, whatever the view.

    No text the portal stores or searches may contain NUL, and PostgreSQL refuses it in a query with an
    error (a 500) wherever a view passes the value on unchecked: checking once here covers every view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())
