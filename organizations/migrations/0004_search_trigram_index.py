"""GIN indexes for the Japanese search of organizations and departments (PostgreSQL only).

Trigrams (pg_trgm) serve query words of three or more characters, the array of one- and
two-character grams serves shorter words; see core.search. A no-op on SQLite.
"""

from django.db import migrations

from core.search import search_index_operations


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_profile_claims_and_membership_history")]

    operations = [
        *search_index_operations("organizations_organization"),
        *search_index_operations("organizations_department"),
    ]
