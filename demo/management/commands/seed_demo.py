"""Demo data for a city: `seed_demo --scale 1` is a city of ~300 groups and ~60 departments."""

import time
from importlib import import_module

import factory.random
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.search import search_indexes_suspended
from demo import factories
from demo.context import DemoContext
from organizations.models import Organization

# demo.mfa last: the demo coordinators and admin get a known two-factor secret.
STEPS = [
    "demo.organizations",
    "demo.listings",
    "demo.matching",
    "demo.projects",
    "demo.proposals",
    "matching.evaluation",
    "demo.mfa",
]


class Command(BaseCommand):
    help = "Load deterministic demo data (same --seed, same data)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="1 = a city of about 300 groups")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--if-empty", action="store_true", help="do nothing when organizations exist")

    def handle(self, *args, scale, seed, if_empty, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more")
        if Organization.objects.exists():
            if if_empty:
                self.stdout.write("seed_demo: data already present; nothing done.")
                return
            raise CommandError("The database already has organizations; seed_demo needs an empty one.")
        factory.random.reseed_random(seed)
        factories.reset_sequences()
        ctx = DemoContext(scale=scale, seed=seed, out=self.stdout)
        started = time.monotonic()
        with transaction.atomic(), search_indexes_suspended():
            for step in STEPS:
                self.stdout.write(f"{step} …")
                step_started = time.monotonic()
                import_module(step).seed(ctx)
                self.stdout.write(f"{step} done in {time.monotonic() - step_started:.1f}s")
        summary = ", ".join(f"{k} {v}" for k, v in ctx.counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"seed_demo: scale {scale}, seed {seed}: {summary} in {time.monotonic() - started:.1f}s")
        )
