"""Write (or load) a seeded synthetic corpus of any size; see corpus/generate.py.

manage.py generate_corpus --articles 500 --seed 1 --out /tmp/corpus
manage.py generate_corpus --articles 500 --seed 1 --load
"""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from corpus.bulk_load import bulk_load
from corpus.generate import CorpusSize, generate_corpus

DEFAULTS = CorpusSize()


class Command(BaseCommand):
    help = "Generate a synthetic corpus as natural-key fixtures (--out DIR) or load it (--load)."

    def add_arguments(self, parser):
        for name, default in vars(DEFAULTS).items():
            parser.add_argument(f"--{name}", type=int, default=default, help=f"default {default}")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same bytes.")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--out", type=Path, help="Folder to write the fixture files into.")
        target.add_argument(
            "--load", action="store_true", help="Bulk-load into the database (temporary files)."
        )

    def handle(self, *args, seed, out, load, verbosity, **options):
        size = CorpusSize(**{name: options[name] for name in vars(DEFAULTS)})
        progress = self.progress(size.articles) if verbosity >= 1 else None
        try:
            if load:
                with tempfile.TemporaryDirectory(prefix="sitrep-corpus-") as tmp:
                    result = generate_corpus(
                        out_dir=Path(tmp), size=size, seed=seed, progress=progress
                    )
                    loaded = bulk_load(paths=result.files, show_progress=verbosity >= 1)
                    self.stdout.write(self.style.SUCCESS(f"Loaded {loaded.summary()}."))
                return
            result = generate_corpus(out_dir=out, size=size, seed=seed, progress=progress)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{n:,} {name}" for name, n in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Wrote {counts} to {out}/"))
        if verbosity >= 2:
            for path in result.files:
                self.stdout.write(f"  {path}")

    def progress(self, total: int):
        def report(done: int) -> None:
            # stderr keeps stdout clean for the summary a script may parse.
            end = "\n" if done == total else ""
            self.stderr.write(f"\rgenerated {done:,}/{total:,} articles", str, ending=end)
            self.stderr.flush()

        return report
