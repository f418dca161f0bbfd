"""The security log moves to accounts and the data requests to privacy (#15: core imports no feature
app). The tables are renamed here and keep their rows; the models leave core's state, and
accounts 0002 and privacy 0001 take them into theirs without touching the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_capped_free_text"),
    ]

    operations = [
        migrations.AlterModelTable(name="securityevent", table="accounts_securityevent"),
        migrations.AlterModelTable(name="datarequest", table="privacy_datarequest"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DataRequest"),
                migrations.DeleteModel(name="SecurityEvent"),
            ]
        ),
    ]
