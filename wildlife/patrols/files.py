"""Checks on uploaded photos and training materials: size, extension and the file's own first bytes must agree."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_PHOTO_BYTES = 15 * 1024 * 1024
MAX_MATERIAL_BYTES = 30 * 1024 * 1024
MAX_FILES_PER_UPLOAD = 10

IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


@dataclass(frozen=True)
class CheckedFile:
    upload: Any
    name: str
    mime_type: str
    size: int


def _head(upload: Any, n: int = 16) -> bytes:
    upload.seek(0)
    head: bytes = upload.read(n)
    upload.seek(0)
    return head


def _is_office_zip(upload: Any) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        upload.seek(0)


def _matches(extension: str, head: bytes, upload: Any) -> bool:
    if extension in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension in (".docx", ".xlsx", ".pptx"):
        return head.startswith(b"PK\x03\x04") and _is_office_zip(upload)
    return False


def check_upload(upload: Any, *, kind: str, field_name: str = "files") -> CheckedFile:
    """A photo (`kind="photo"`: JPEG/PNG/WebP) or a material (`kind="material"`: also PDF and Office files)."""
    name = PurePath(str(upload.name or "")).name[:200] or "file"
    extension = PurePath(name).suffix.lower()
    allowed = dict(IMAGE_TYPES) if kind == "photo" else {**IMAGE_TYPES, **DOCUMENT_TYPES}
    limit = MAX_PHOTO_BYTES if kind == "photo" else MAX_MATERIAL_BYTES
    if extension not in allowed:
        raise ValidationError(
            {field_name: [_("「%(name)s」类型不支持，允许：%(types)s") % {"name": name, "types": "、".join(sorted(allowed))}]}
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size <= 0:
        raise ValidationError({field_name: [_("「%(name)s」是空文件。") % {"name": name}]})
    if size > limit:
        raise ValidationError(
            {field_name: [_("「%(name)s」过大（上限 %(mb)d MB）。") % {"name": name, "mb": limit // (1024 * 1024)}]}
        )
    if not _matches(extension, _head(upload), upload):
        raise ValidationError({field_name: [_("「%(name)s」的内容与扩展名不符。") % {"name": name}]})
    return CheckedFile(upload=upload, name=name, mime_type=allowed[extension], size=size)


def check_uploads(uploads: list[Any], *, kind: str, field_name: str = "files") -> list[CheckedFile]:
    if len(uploads) > MAX_FILES_PER_UPLOAD:
        raise ValidationError({field_name: [_("一次最多上传 %(n)d 个文件。") % {"n": MAX_FILES_PER_UPLOAD}]})
    return [check_upload(u, kind=kind, field_name=field_name) for u in uploads]
