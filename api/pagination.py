from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Page-number pagination; every list orders by a unique key last, so pages never overlap."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
