"""On PostgreSQL, history tables (django-simple-history) accept INSERT only.

A trigger refuses UPDATE and DELETE on every historical table, so that the audit trail cannot be
rewritten, not even through the admin or a shell. The one UPDATE allowed is the database clearing
`history_user_id` when a user row is deleted (ON DELETE SET NULL) with every other column equal;
users are anonymised rather than deleted, so this is rare. TRUNCATE (used by test teardown) is not
a row event and is not blocked.

Installed after every `migrate` (post_migrate, connected in OpsConfig.ready), so history models
added later get the guard too; `python manage.py install_history_guards` does it by hand.
"""

from django.db import connection as default_connection

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION portal_history_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.history_user_id IS NULL AND OLD.history_user_id IS NOT NULL
       AND (to_jsonb(NEW) - 'history_user_id') = (to_jsonb(OLD) - 'history_user_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'history table % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER_NAME = "portal_history_append_only"


def history_tables(models) -> list[str]:
    return sorted({m._meta.db_table for m in models if m.__name__.startswith("Historical") and not m._meta.abstract})


def install_history_guards(models=None, connection=None) -> list[str]:
    """Create the trigger on every history table; returns the tables (empty when not PostgreSQL)."""
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return []
    if models is None:
        from django.apps import apps

        models = apps.get_models()
    existing = set(connection.introspection.table_names())
    tables = [t for t in history_tables(models) if t in existing]
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON {quoted}")
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER_NAME} BEFORE UPDATE OR DELETE ON {quoted} "
                f"FOR EACH ROW EXECUTE FUNCTION portal_history_append_only()"
            )
    return tables


def install_after_migrate(sender, app_config=None, using="default", **kwargs):
    """post_migrate hook: run once per migrate (when core's signal fires; ops has no models, so no
    signal of its own)."""
    if app_config is None or app_config.label != "core":
        return
    from django.db import connections

    install_history_guards(connection=connections[using])
