"""Importing candidates from a spreadsheet: the file's side of ``hoso import`` and the upload page.

Reading is pure and separate from storing: ``table`` reads an XLSX or CSV file as numbered rows of
cells, ``sheet`` finds the header, matches each column to an ``identify`` field (``fields``),
turns each row's cells into raw values (``values``) and says what is wrong with a row as a
``problems.Problem`` naming the row, the field and why. ``cells`` resolves the cells a file names
among the importer's cells, and ``result`` is what an import did.

The use case, ``workflow.services.importing.import_candidates``, runs every good row through the
case use case's own ``identify`` (policy, machine, rules, event) inside ONE unit of work.
"""
