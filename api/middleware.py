from django.middleware.http import ConditionalGetMiddleware


class PublicDataConditionalGetMiddleware(ConditionalGetMiddleware):
    """ETag (a hash of the body) and 304 Not Modified for the API's data and the feeds only: their
    bodies are the same for everyone, unlike HTML pages with a CSRF token or a CSP nonce."""

    prefixes = ("/api/", "/feeds/")

    def process_response(self, request, response):
        if not request.path.startswith(self.prefixes) or response.get("Content-Type", "").startswith("text/html"):
            return response
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "public, max-age=60"
        return super().process_response(request, response)
