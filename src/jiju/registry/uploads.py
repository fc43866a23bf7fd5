"""Uploaded files: every upload view checks its file's size here, and every reader takes its limits here.

The limits live in settings (`JIJU_UPLOAD_LIMITS` per kind of upload, `JIJU_READING_LIMITS` for
what a file may hold); docs/operations.md says how to change them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from jiju.ingest.guard import Limits

KINDS = {
    "registry": "底册导入文件",
    "department": "部门数据文件",
    "report": "报表模板",
    "rating": "评分表",
    "targets": "目标任务文件",
}


class TooLarge(ValueError):
    """An upload over its kind's size limit, refused before it is read; the message is in Chinese."""


def reading_limits() -> Limits:
    """The limits every file reader applies, from settings."""
    return Limits(**settings.JIJU_READING_LIMITS)


def upload_data(upload: UploadedFile, kind: str) -> bytes:
    """The uploaded file's bytes, once its size is within the limit for `kind` (a key of `KINDS`)."""
    limit = settings.JIJU_UPLOAD_LIMITS[kind]
    if upload.size is not None and upload.size > limit:
        raise TooLarge(
            f"文件过大（{_size(upload.size)}）：{KINDS[kind]}最大 {_size(limit)}，文件未读取；"
            "请删除多余的行列或工作表后再上传"
        )
    return upload.read()


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"
