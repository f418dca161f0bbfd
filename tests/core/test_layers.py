"""The apps import one way (.importlinter): a lower app importing a higher one fails here and in CI."""

from pathlib import Path

from django.conf import settings
from importlinter.cli import lint_imports


def test_import_contracts_are_kept(capsys):
    config = str(Path(settings.BASE_DIR) / ".importlinter")
    assert lint_imports(config_filename=config, no_cache=True) == 0, capsys.readouterr().out
    assert "0 broken" in capsys.readouterr().out


def test_every_app_of_ours_sits_in_a_layer():
    """A new app outside the contract could import anything: each local app must be given a layer."""
    from configparser import ConfigParser

    from django.apps import apps

    config = ConfigParser()
    config.read(Path(settings.BASE_DIR) / ".importlinter")
    layered = {
        name.strip()
        for line in config["importlinter:contract:layers"]["layers"].splitlines()
        for name in line.split("|")
        if name.strip()
    }
    ours = {c.name for c in apps.get_app_configs() if Path(c.path) == Path(settings.BASE_DIR) / c.name}
    assert ours - layered == set()
