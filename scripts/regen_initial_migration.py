"""Regenerate the single initial migration from the models (pre-release only).

Until the first release the schema has one migration, regenerated from the
models with Alembic autogenerate against an empty PostgreSQL database; after a
release, new changes get ordinary follow-up revisions instead.

    .venv/bin/python scripts/regen_initial_migration.py
"""

from __future__ import annotations

import re
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from siyu.dbsetup import MIGRATIONS, alembic_config

ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TMP = "siyu_regen_migration"


def main() -> None:
    admin = create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{TMP}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{TMP}"'))
    url = ADMIN.rsplit("/", 1)[0] + "/" + TMP
    for old in (MIGRATIONS / "versions").glob("0001_*.py"):
        old.unlink()
    command.revision(alembic_config(url), message="initial schema", autogenerate=True, rev_id="0001")
    path = next((MIGRATIONS / "versions").glob("0001_*.py"))
    src = path.read_text()
    src = re.sub(r"Create Date: .*\n", "", src)
    src = src.replace(
        "def upgrade() -> None:\n",
        "def upgrade() -> None:\n"
        "    if op.get_bind().dialect.name == 'postgresql':\n"
        "        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')  # catalog search index\n",
        1,
    )
    Path(path).write_text(src)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{TMP}" WITH (FORCE)'))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
