"""The commands' one-line descriptions in Vietnamese (``hoso --help`` and each group's ``--help``).

click takes a command's description from its docstring, in English; :func:`apply` gives each
command of the tree its Vietnamese line, said instead when the language is ``vi`` (the
listings of ``hoso --help`` and of each group, and the first line of a group's own help).
A command not listed here keeps its English line.
"""

from __future__ import annotations

from typing import Any

import click

from web.cli.lang import lang

#: Each command's path (as typed after ``hoso``) and its description in Vietnamese.
HELPS_VI: dict[str, str] = {
    "": "hoso: hồ sơ kết nạp Đảng, từ khi phát hiện quần chúng đến khi là đảng viên chính thức.",
    "init": "Tạo hoặc nâng cấp cơ sở dữ liệu (chạy lại nhiều lần vẫn vậy).",
    "setup": "Tạo quản trị viên đầu tiên và tổ chức gốc trong cơ sở dữ liệu trống.",
    "demo": "Nạp huyện mẫu vào cơ sở dữ liệu trống.",
    "run": "Chạy ứng dụng web.",
    "serve": "Chạy ứng dụng web dưới gunicorn (vận hành thật; cần HOSO_SECRET_KEY).",
    "audit": "Lịch sử chống sửa đổi.",
    "audit verify": (
        "Kiểm tra mã băm và liên kết của mọi sự kiện, đối chiếu từng hồ sơ với sự kiện."
    ),
    "audit anchor": "In đầu chuỗi sự kiện để cất giữ nơi không ai sửa được.",
    "case": "Hồ sơ của quần chúng.",
    "case list": "Liệt kê hồ sơ.",
    "case show": "Xem một hồ sơ hôm nay, hoặc vào một ngày đã qua.",
    "case fire": "Thực hiện một bước (TRIGGER) trên hồ sơ; FIELDS là các cặp tên=giá trị.",
    "case new": "Đưa một người vào danh sách quần chúng của chi bộ; FIELDS là các cặp tên=giá trị.",
    "docs": "Các biểu mẫu của hồ sơ dưới dạng PDF, như trang hồ sơ cung cấp.",
    "docs render": "Ghi biểu mẫu CODE của hồ sơ (1-KNĐ, 9-KNĐ...) ra tệp PDF.",
    "docs packet": "Ghi mọi biểu mẫu của hồ sơ, theo thứ tự của hồ sơ, thành một tệp PDF.",
    "remind": (
        "Gửi thư nhắc hạn cho bí thư, cấp ủy viên và người giúp đỡ: việc quá hạn, sắp đến hạn."
    ),
    "report": "Báo cáo.",
    "report targets": "Chỉ tiêu và kết quả: theo tổ chức, tỷ lệ doanh nghiệp, định mức.",
    "report statistics": "Thống kê kết nạp trong năm: theo đối tượng, giới tính, dân tộc, tuổi...",
    "import": "Đưa những người trong FILE (XLSX hoặc CSV) vào danh sách quần chúng của chi bộ.",
    "org": "Cây tổ chức: xem, nhập từ tệp.",
    "org list": "Các tổ chức trong phạm vi quản trị, dạng cây, kèm mã số.",
    "org import": "Tạo các tổ chức trong FILE (XLSX hoặc CSV) trong phạm vi quản trị.",
    "worker": "Chạy các tác vụ làm sau (PostgreSQL); trên SQLite chúng chạy ngay.",
    "user": "Người dùng và vai trò, với tư cách quản trị viên (--as).",
    "user list": "Người dùng trong phạm vi quản trị, kèm vai trò.",
    "user create": "Tạo người dùng NEW_USERNAME với mật khẩu (hỏi hai lần, hoặc đọc từ đầu vào).",
    "user passwd": "Đặt mật khẩu cho người dùng TARGET (hỏi hai lần, hoặc đọc từ đầu vào).",
    "user grant": "Cấp cho người dùng TARGET vai trò ROLE tại ORGANISATION (mã số, #mã hoặc tên).",
    "user revoke": "Thu hồi vai trò ROLE tại ORGANISATION của người dùng TARGET.",
    "user deactivate": "Khóa tài khoản TARGET: không đăng nhập được nữa (lịch sử vẫn giữ).",
    "user activate": "Mở lại tài khoản TARGET.",
    "user import": (
        "Tạo người dùng trong FILE (XLSX hoặc CSV) và cấp vai trò trong phạm vi quản trị."
    ),
    "backup": "Sao lưu cơ sở dữ liệu, tệp tải lên và cấu hình vào TARGET (tệp .tar.gz).",
    "restore": (
        "Khôi phục bản sao lưu SOURCE vào cơ sở dữ liệu trống này rồi kiểm tra chuỗi sự kiện."
    ),
}


def apply(command: click.Command, path: str = "") -> None:
    """Give `command` and every command under it its Vietnamese description (by its path)."""
    command.help_vi = HELPS_VI.get(path)  # type: ignore[attr-defined]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            apply(sub, f"{path} {name}".strip())


def _vi(command: click.Command) -> str | None:
    return getattr(command, "help_vi", None) if lang() == "vi" else None


def _short_help(original: Any) -> Any:
    def get_short_help_str(self: click.Command, limit: int = 45) -> str:
        said = _vi(self)
        return said if said else original(self, limit)

    return get_short_help_str


def _help_text(original: Any) -> Any:
    def format_help_text(self: click.Command, ctx: click.Context, formatter: Any) -> None:
        said = _vi(self)
        if said is None or not isinstance(self, click.Group):
            # A command's own help keeps its English details (the options' meaning, exit codes).
            return original(self, ctx, formatter)
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(said)

    return format_help_text


click.Command.get_short_help_str = _short_help(click.Command.get_short_help_str)  # type: ignore[method-assign]
click.Command.format_help_text = _help_text(click.Command.format_help_text)  # type: ignore[method-assign]
