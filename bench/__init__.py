"""`make bench`: a repeatable load benchmark of the portal's busiest pages on PostgreSQL."""
