"""Demo data for the listings app (seed_demo step)."""


def seed(ctx):
    """Nothing yet: this app's demo data lands with its issue."""
