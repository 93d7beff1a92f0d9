"""Alembic's environment for the print history: migrations run on the connection, inside
the transaction, that ``leaflet.counter.history`` hands over (``config.attributes``), so
they hold its lock. Tables are altered in batch mode, which SQLite needs."""

from alembic import context

from leaflet.counter.history import metadata

context.configure(connection=context.config.attributes["connection"], target_metadata=metadata,
                  render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
