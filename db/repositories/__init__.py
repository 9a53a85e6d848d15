"""Repositories: the write side of storage, one per area, held by ``db.uow.SqlUnitOfWork``."""
