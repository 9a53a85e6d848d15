"""The API's request and response bodies (marshmallow), which the OpenAPI document describes."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from workflow.states import State

#: Ids are 32-bit integers in storage: larger ones are answered 404, never 500.
MAX_ID = 2**31 - 1
#: Page sizes of the case list.
DEFAULT_LIMIT = 50
MAX_LIMIT = 200

_STATES = [s.value for s in State]


class CaseListQuery(ma.Schema):
    """Filters and the keyset cursor of ``GET /cases``."""

    q = fields.String(
        load_default="", validate=validate.Length(max=100), metadata={"description": "A name."}
    )
    state = fields.String(validate=validate.OneOf(_STATES))
    organisation = fields.Integer(
        validate=validate.Range(1, MAX_ID),
        metadata={"description": "Only cases of cells under this organisation."},
    )
    after = fields.String(
        validate=validate.Regexp(r"^[0-9]{1,10}$"),
        metadata={"description": "The `next` cursor of the previous page."},
    )
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT))


class CaseRowSchema(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    birth_date = fields.Date(allow_none=True)
    state = fields.String(required=True)
    version = fields.Integer(required=True)
    cell_id = fields.Integer(required=True)
    cell = fields.String(required=True)
    mentor = fields.String(allow_none=True)
    opened_on = fields.Date(allow_none=True)


class CaseListSchema(ma.Schema):
    items = fields.List(fields.Nested(CaseRowSchema), required=True)
    next = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Pass as `after` for the next page; null on the last page."},
    )


class ActionSchema(ma.Schema):
    """A transition or a fact the caller may try now, with the fields it takes."""

    name = fields.String(required=True)
    fields_ = fields.List(fields.String(), data_key="fields", required=True)


class CaseSchema(ma.Schema):
    id = fields.Integer(required=True)
    state = fields.String(required=True)
    version = fields.Integer(required=True, metadata={"description": "Also the ETag."})
    source = fields.String(allow_none=True)
    opened_on = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    person = fields.Dict(required=True)
    cell_id = fields.Integer(required=True)
    cell = fields.String(required=True)
    mentor = fields.String(allow_none=True)
    certificate_number = fields.String(allow_none=True)
    certificate_date = fields.Date(allow_none=True)
    decision_date = fields.Date(allow_none=True)
    ceremony_on = fields.Date(allow_none=True)
    votes = fields.List(fields.Dict())
    decisions = fields.List(fields.Dict())
    documents = fields.List(fields.Dict())
    transitions = fields.List(fields.Nested(ActionSchema), required=True)
    facts = fields.List(fields.Nested(ActionSchema), required=True)


class EventSchema(ma.Schema):
    id = fields.Integer(required=True)
    at = fields.String(required=True)
    action = fields.String(required=True)
    from_state = fields.String(allow_none=True)
    to_state = fields.String(allow_none=True)
    username = fields.String(required=True)
    role = fields.String(required=True)
    reason = fields.String(allow_none=True)
    data = fields.Dict(required=True)
    ruleset = fields.String(required=True)


#: A transition's or a fact's fields: the names the web form takes, with strings (dates as
#: YYYY-MM-DD or dd/mm/yyyy), whole numbers or booleans; the domain parses and judges them.
ACTION_BODY = {
    "required": False,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "additionalProperties": {
                    "oneOf": [
                        {"type": "string", "maxLength": 20000},
                        {"type": "integer", "minimum": 0, "maximum": MAX_ID},
                        {"type": "boolean"},
                    ],
                    "nullable": True,
                },
            },
            "example": {"reason": "Hồ sơ thiếu bản tự kiểm điểm."},
        }
    },
}


class DocumentFileSchema(ma.Schema):
    id = fields.Integer(required=True)
    number = fields.String(allow_none=True)
    issued_on = fields.Date(allow_none=True)
    url = fields.String(required=True)


class DocumentSchema(ma.Schema):
    """A form of the case's dossier: whether it is needed, on file, generated."""

    code = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.String(
        required=True, validate=validate.OneOf(["on_file", "generated", "missing"])
    )
    needed_for = fields.String(allow_none=True)
    on_file = fields.List(fields.Date(), required=True)
    generated = fields.List(fields.Nested(DocumentFileSchema), required=True)
    pdf = fields.String(required=True, metadata={"description": "The form as a PDF."})


class OrganisationSchema(ma.Schema):
    id = fields.Integer(required=True)
    parent_id = fields.Integer(allow_none=True)
    name = fields.String(required=True)
    type = fields.String(required=True)
    unit_kind = fields.String(allow_none=True)
    mass_kind = fields.String(allow_none=True)
    path = fields.String(required=True)
    depth = fields.Integer(required=True)


class YearQuery(ma.Schema):
    year = fields.Integer(validate=validate.Range(2000, 2100))


class ReportSchema(ma.Schema):
    """A report as ``hoso report ... --json`` prints it (docs/targets.md, docs/statistics.md)."""

    class Meta:
        unknown = ma.INCLUDE

    year = fields.Integer(required=True)
