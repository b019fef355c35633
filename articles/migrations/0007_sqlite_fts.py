"""Word search on SQLite: an FTS5 index over articles' title and text, kept in step by
triggers. PostgreSQL searches its own ``search_vector`` column instead (0002), so this
migration does nothing there.

The index is external-content: it stores only the index, reading the text from
articles_article, so the triggers must hand it the old values on update and delete. A
later migration that makes SQLite rebuild articles_article (Django copies the table for
most column changes) drops these triggers: it must create them again (CREATE[1:4]).
"""

from __future__ import annotations

from django.db import migrations

CREATE = [
    """CREATE VIRTUAL TABLE articles_article_fts USING fts5(
        title, text,
        content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts(rowid, title, text)
        VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    # Only a change of the indexed columns touches the index, not every status update.
    """CREATE TRIGGER articles_article_fts_update AFTER UPDATE OF title, text
    ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_article_fts(rowid, title, text)
        VALUES (new.id, new.title, new.text);
    END""",
    "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')",
]

DROP = [
    "DROP TRIGGER IF EXISTS articles_article_fts_update",
    "DROP TRIGGER IF EXISTS articles_article_fts_delete",
    "DROP TRIGGER IF EXISTS articles_article_fts_insert",
    "DROP TABLE IF EXISTS articles_article_fts",
]


def _run_on_sqlite(statements: list[str]):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_reading")]

    operations = [migrations.RunPython(_run_on_sqlite(CREATE), _run_on_sqlite(DROP))]
