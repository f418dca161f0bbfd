from django.shortcuts import get_object_or_404, render

from .models import Listing


def listing_detail(request, pk):
    listing = get_object_or_404(Listing.objects.published().with_related(), pk=pk)
    return render(request, "listings/listing_detail.html", {"listing": listing})
