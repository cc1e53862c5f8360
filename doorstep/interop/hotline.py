"""12345 files (12345工单文件): read the usual export layout (xlsx or CSV) into rows, and write
the reply file (回单). Parsing only; `services.hotline_import` does the writes."""

import csv
import io
import re
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from doorstep.core.cells import escape_cell
from doorstep.core.redact import redact

from .services import HotlineRow, RowError

# Column headings as 12345 systems export them, with the spellings seen in the wild.
COLUMNS: dict[str, tuple[str, ...]] = {
    "order_no": ("工单编号", "工单号", "编号"),
    "called_at": ("来电时间", "受理时间", "来电日期"),
    "caller_name": ("来电人", "来电人姓名", "诉求人", "联系人"),
    "caller_phone": ("联系电话", "来电号码", "联系方式", "电话"),
    "content": ("诉求内容", "反映内容", "诉求描述", "工单内容"),
    "address": ("事发地址", "诉求地址", "地址", "发生地址"),
    "deadline": ("办理时限", "办结时限", "处理时限", "截止时间"),
    "category": ("分类", "诉求分类", "问题分类", "工单分类"),
}
ALIASES = {alias: key for key, names in COLUMNS.items() for alias in names}
ALIASES |= {key: key for key in COLUMNS}  # the push API may also use the English keys
REPLY_HEADERS = ["工单编号", "办理结果", "办理单位/人", "办结时间"]
MAX_ROWS = 5000
MAX_CELL = 5000  # characters; a longer cell makes that row an error, not the whole file
# Python's csv refuses fields over 128 KB with an exception; read them and refuse per row.
csv.field_size_limit(16 * 1024 * 1024)


class FileError(Exception):
    """The file as a whole cannot be read (wrong type, no header)."""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日",
    "%Y%m%d",
)


PERSONAL_COLUMNS = {"caller_name", "caller_phone"}


def raw_without_personal_data(values: dict[str, Any]) -> dict[str, str]:
    """The row as received, for the record: the caller's name and phone dropped (they are kept
    encrypted on the order), phones and ID numbers in any other column masked."""
    return {
        str(k).strip(): redact(_cell(v))[:2000]
        for k, v in values.items()
        if k and ALIASES.get(str(k).strip()) not in PERSONAL_COLUMNS
    }


def parse_datetime(text: str) -> datetime | None:
    text = re.sub(r"\s+", " ", text.strip().replace("T", " "))
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(text)


def row_from_mapping(number: int, values: dict[str, Any]) -> HotlineRow | RowError:
    """Check one order; the reason for a bad row is said in Chinese with its row number."""
    fields = {ALIASES[k.strip()]: _cell(v) for k, v in values.items() if k and k.strip() in ALIASES}
    order_no = fields.get("order_no", "")
    raw = raw_without_personal_data(values)

    def bad(reason: str) -> RowError:
        return RowError(
            number, order_no, _("第 %(row)s 行：%(reason)s") % {"row": number, "reason": reason}
        )

    if any(len(_cell(v)) > MAX_CELL for v in values.values()):
        return bad(_("有单元格超过 %(n)s 字，请检查该行。") % {"n": MAX_CELL})
    if not order_no:
        return bad(_("缺少工单编号。"))
    if len(order_no) > 64:
        return bad(_("工单编号过长。"))
    if not fields.get("content"):
        return bad(_("缺少诉求内容。"))
    try:
        called = parse_datetime(fields.get("called_at", ""))
    except ValueError:
        return bad(_("来电时间“%(value)s”不是有效的日期时间。") % {"value": fields["called_at"]})
    try:
        deadline_at = parse_datetime(fields.get("deadline", ""))
    except ValueError:
        return bad(_("办理时限“%(value)s”不是有效的日期。") % {"value": fields["deadline"]})
    return HotlineRow(
        order_no=order_no,
        content=fields["content"][:5000],
        called_at=timezone.make_aware(called) if called else None,
        caller_name=fields.get("caller_name", ""),
        caller_phone=fields.get("caller_phone", ""),
        address=fields.get("address", ""),
        deadline=deadline_at.date() if deadline_at else None,
        category=fields.get("category", ""),
        raw=raw,
    )


def _rows_from_table(table: list[list[Any]]) -> list[tuple[int, HotlineRow | RowError]]:
    """The first row naming 工单编号 is the header; data rows are numbered as in the file."""
    index = next(
        (
            i
            for i, header in enumerate(table[:10])
            if any(ALIASES.get(_cell(h)) == "order_no" for h in header)
        ),
        None,
    )
    if index is None:
        raise FileError(_("文件中找不到表头“工单编号”，请使用 12345 导出的工单表。"))
    names = [_cell(h) for h in table[index]]
    out: list[tuple[int, HotlineRow | RowError]] = []
    for offset, values in enumerate(table[index + 1 :], start=index + 2):
        if not any(_cell(v) for v in values):
            continue
        out.append((offset, row_from_mapping(offset, dict(zip(names, values, strict=False)))))
        if len(out) > MAX_ROWS:
            raise FileError(_("一次最多导入 %(n)s 条工单。") % {"n": MAX_ROWS})
    return out


def read_orders(name: str, content: bytes) -> list[tuple[int, HotlineRow | RowError]]:
    """Rows of an xlsx or CSV (UTF-8 with or without BOM, or GB18030) 12345 export."""
    lower = name.lower()
    if lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:
            raise FileError(_("无法读取该 Excel 文件，请确认是 .xlsx 格式。")) from None
        sheet = book.worksheets[0]
        table = [list(r) for r in sheet.iter_rows(values_only=True)]
        book.close()
        return _rows_from_table(table)
    if lower.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise FileError(_("无法识别 CSV 文件的编码。"))
        return _rows_from_table([list(r) for r in csv.reader(io.StringIO(text))])
    raise FileError(_("只支持 .xlsx 或 .csv 文件。"))


def reply_xlsx(rows: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "回单"
    sheet.append(REPLY_HEADERS)
    for row in rows:
        sheet.append([escape_cell(row[h]) for h in REPLY_HEADERS])
    for column, width in zip("ABCD", (22, 60, 24, 20), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def reply_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REPLY_HEADERS)
    for row in rows:
        writer.writerow([escape_cell(row[h]) for h in REPLY_HEADERS])
    return out.getvalue().encode("utf-8-sig")
