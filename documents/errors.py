"""What can go wrong when a form is made; each error names the form and says what is wrong."""

from __future__ import annotations

from documents.keys import describe_key


class DocumentError(Exception):
    """Base of every error of the documents package."""


class UnknownForm(DocumentError):
    """No form has this code."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(f"unknown form {code!r} (không có mẫu {code!r})")


class MissingData(DocumentError):
    """The case lacks data that the form needs; ``keys`` are the dotted keys of the dossier."""

    def __init__(self, code: str, keys: list[str]):
        self.code = code
        self.keys = list(keys)
        labels = ", ".join(describe_key(key) for key in self.keys)
        super().__init__(
            f"Mẫu {code} thiếu dữ liệu: {labels} (form {code} lacks {', '.join(self.keys)})"
        )


class RenderError(DocumentError):
    """The PDF could not be made (a template or WeasyPrint failed); names the form(s)."""

    def __init__(self, codes: str | list[str], reason: str):
        self.codes = [codes] if isinstance(codes, str) else list(codes)
        self.reason = reason
        super().__init__(f"cannot render {', '.join(self.codes) or 'the document'}: {reason}")


class FetchRefused(DocumentError, ValueError):
    """A template or stylesheet asked for a resource outside the package's own files."""

    def __init__(self, url: str):
        self.url = url
        shown = url if len(url) <= 120 else url[:117] + "..."
        super().__init__(
            f"refused to fetch {shown!r}: forms may load only their own fonts and stylesheet "
            "(documents/fonts, documents/static) and data: URIs"
        )
