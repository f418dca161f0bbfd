"""Print recall@3 and MRR of partner suggestions over the evaluation pairs (seeded by seed_demo)."""

import json

from django.core.management.base import BaseCommand

from matching.evaluation import evaluate


class Command(BaseCommand):
    help = "Measure partner suggestions on the evaluation pairs: recall@3, MRR and each pair's rank."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="one JSON line instead of a table")

    def handle(self, *args, json_output=False, **options):
        result = evaluate()
        if options.get("json"):
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        for title, rank in result["ranks"]:
            self.stdout.write(f"{rank or '-':>3}  {title}")
        self.stdout.write(f"pairs {result['pairs']}, recall@3 {result['recall_at_3']:.2f}, MRR {result['mrr']:.2f}")
