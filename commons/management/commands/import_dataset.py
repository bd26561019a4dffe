"""manage.py import_dataset <dataset-slug> <file.csv> [--by username]: import a file as the
dataset's next version, showing progress; a refused file prints its row and column and exits 1.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from commons import services
from commons.importing import ImportRefused
from commons.models import Dataset
from people.models import User


class Command(BaseCommand):
    help = "Import a CSV file as a dataset's next version (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dataset", help="the dataset's slug")
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument(
            "--by",
            help="username of the steward importing it (default: the dataset's only steward)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dataset = Dataset.objects.filter(slug=options["dataset"]).first()
        if dataset is None:
            raise CommandError(f"No dataset {options['dataset']!r}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        actor = self.importer(dataset, options["by"])

        def progress(rows: int, done: int, total: int) -> None:
            share = f" ({done * 100 // total} %)" if total else ""
            self.stdout.write(f"  {rows:,} rows, {done:,} bytes{share}")

        try:
            with path.open("rb") as source:
                version = services.import_version(
                    actor=actor,
                    dataset=dataset,
                    source=source,
                    file_name=path.name,
                    progress=progress,
                )
        except ImportRefused as error:
            raise CommandError(f"Nothing imported. {error.messages[0]}") from error
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(f"Nothing imported. {_text(error)}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{dataset.title}: version {version.number} imported "
                f"({version.row_count:,} rows, {version.cell_count:,} cells)."
            )
        )

    def importer(self, dataset: Dataset, username: str | None) -> User:
        people = User.objects.filter(is_active=True)
        if username:
            user = people.filter(username=username).first()
            if user is None:
                raise CommandError(f"No active user {username!r}.")
            return user
        stewards = list(
            people.filter(profile__organisation_id=dataset.steward_id, profile__is_steward=True)[:2]
        )
        if len(stewards) != 1:
            raise CommandError(
                "Name the steward importing it with --by (the dataset's organisation has "
                f"{'no steward' if not stewards else 'several stewards'})."
            )
        return stewards[0]


def _text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "Only a steward of the dataset's organisation can import it."
