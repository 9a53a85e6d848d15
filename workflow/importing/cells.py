"""The party cells a file names, by id or by name, resolved among the importer's cells."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from workflow.importing.fields import fold
from workflow.importing.problems import Problem, missing
from workflow.importing.sheet import Sheet
from workflow.importing.values import cell_text


def cell_keys(cell_id: int, name: str) -> list[str]:
    """How a file may name a cell: its id, its name (folded), and its name without "Chi bộ"."""
    key = fold(name)
    keys = [str(cell_id), key]
    if key.startswith("chi bo "):
        keys.append(key.removeprefix("chi bo "))
    return keys


def cell_lookup(cells: Iterable[tuple[int, str]]) -> dict[str, int | None]:
    """Key → cell id for the cells in the importer's scope; a name two cells share → ``None``."""
    lookup: dict[str, int | None] = {}
    for cell_id, name in cells:
        for key in cell_keys(cell_id, name):
            if key in lookup and lookup[key] != cell_id:
                lookup[key] = None
            else:
                lookup[key] = cell_id
    return lookup


def resolve_cells(
    sheet: Sheet, lookup: Mapping[str, int | None], default: int | None = None
) -> None:
    """Replace each row's cell (a name or an id) by the cell's id; a row without one takes
    `default` (the importer's only cell); a cell outside the lookup refuses the row."""
    for row in sheet.rows:
        text = cell_text(row.values.get("cell"))
        if not text:
            if default is not None:
                row.values["cell"] = default
            else:
                row.values.pop("cell", None)
                row.problems.insert(0, missing("cell"))
            continue
        key = text if text.isdigit() else fold(text)
        if key not in lookup:
            row.problems.insert(
                0,
                Problem(
                    "unknown_cell",
                    "cell",
                    f"Không có chi bộ '{text}' trong phạm vi của đồng chí.",
                    f"There is no party cell '{text}' in your scope.",
                ),
            )
            row.values.pop("cell", None)
        elif lookup[key] is None:
            row.problems.insert(
                0,
                Problem(
                    "unknown_cell",
                    "cell",
                    f"Có nhiều chi bộ tên '{text}'; hãy ghi mã số của chi bộ.",
                    f"Several party cells are named '{text}'; give the cell's id.",
                ),
            )
            row.values.pop("cell", None)
        else:
            row.values["cell"] = lookup[key]
