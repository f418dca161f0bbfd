"""What matching announces to the apps above it (which it may not import)."""

from django.dispatch import Signal

# Sent inside the 成立 transaction with `match` and `actor`: projects starts the collaboration
# project (projects.services.project_create_from_match); an error in a receiver undoes the 成立.
match_established = Signal()
