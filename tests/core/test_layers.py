"""The apps import one way (.importlinter): a lower app importing a higher one fails here and in CI."""

from pathlib import Path

from django.conf import settings
from importlinter.cli import lint_imports


def test_import_contracts_are_kept(capsys):
    config = str(Path(settings.BASE_DIR) / ".importlinter")
    assert lint_imports(config_filename=config, no_cache=True) == 0, capsys.readouterr().out
    assert "0 broken" in capsys.readouterr().out
