from django.db import models
from django.utils.translation import gettext_lazy as _


class OpenDataFile(models.Model):
    """The last nightly export of one open-data file (stats.opendata): what the download page shows."""

    name = models.SlugField(_("データセット"), unique=True)
    rows = models.PositiveIntegerField(_("行数"))
    size = models.PositiveBigIntegerField(_("サイズ（バイト）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    generated_at = models.DateTimeField(_("書き出した日時"))

    class Meta:
        verbose_name = _("オープンデータのファイル")
        verbose_name_plural = _("オープンデータのファイル")

    def __str__(self):
        return f"{self.name} ({self.generated_at:%Y-%m-%d %H:%M})"
