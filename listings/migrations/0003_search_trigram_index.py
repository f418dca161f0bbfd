"""GIN indexes for the Japanese search of listings (PostgreSQL only).

Trigrams (pg_trgm) serve query words of three or more characters, the array of one- and
two-character grams serves shorter words; see core.search. A no-op on SQLite.
"""

from django.db import migrations

from core.search import search_index_operations


class Migration(migrations.Migration):
    dependencies = [("listings", "0002_listing_relations")]

    operations = search_index_operations("listings_listing")
