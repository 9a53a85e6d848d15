"""Storage: SQLAlchemy 2 models, the engine and sessions, Alembic migrations, repositories."""
