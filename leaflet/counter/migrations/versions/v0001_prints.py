"""The prints table, without any digest of a patient's leaflet.

A history written before Alembic kept it (``pdf_sha256`` on every row, a
table without a key): its rows are copied over, the stock ones with their
PDF's digest, the personalised ones without it, and the old table dropped
(SQLite's ``secure_delete`` overwrites what it held).

Revision ID: 0001
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

LEGACY = "prints_before_0001"


def upgrade() -> None:
    legacy = sa.inspect(op.get_bind()).has_table("prints")
    if legacy:
        op.execute("DROP INDEX IF EXISTS prints_by_leaflet")
        op.rename_table("prints", LEGACY)
    table = op.create_table(
        "prints",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("leaflet", sa.Text, nullable=False),
        sa.Column("revision", sa.Text, nullable=False),
        sa.Column("lang", sa.Text, nullable=False),
        sa.Column("catalog_digest", sa.Text, nullable=False),
        sa.Column("review", sa.Text, nullable=False),
        sa.Column("edition", sa.Text, nullable=False),
        sa.Column("paper", sa.Text, nullable=False),
        sa.Column("personalised", sa.Boolean, nullable=False),
        sa.Column("directions", sa.Text),
        sa.Column("count", sa.Integer),
        sa.Column("stock_sha256", sa.Text),
    )
    op.create_index("prints_by_leaflet", "prints", ["leaflet", "lang", "time"])
    op.create_index("prints_by_time", "prints", ["time"])
    if legacy and table is not None:
        _copy_legacy(table)
        op.drop_table(LEGACY)


def _copy_legacy(table: sa.Table) -> None:
    """The old rows in time order; a personalised one loses its PDF's digest."""
    old = sa.table(LEGACY, *(sa.column(name) for name in (
        "time", "leaflet", "revision", "lang", "catalog_digest", "review", "edition", "paper", "personalised",
        "pdf_sha256")))
    bind = op.get_bind()
    rows = bind.execute(sa.select(old).order_by(old.c.time, sa.text("rowid"))).mappings().all()
    copied = [{**{k: v for k, v in row.items() if k != "pdf_sha256"},
               "time": dt.datetime.fromisoformat(row["time"]).astimezone(dt.UTC),
               "personalised": bool(row["personalised"]),
               "stock_sha256": None if row["personalised"] else row["pdf_sha256"]} for row in rows]
    if copied:
        op.bulk_insert(table, copied)


def downgrade() -> None:
    op.drop_table("prints")
