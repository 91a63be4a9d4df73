"""Safe unpacking of uploaded archives (zip, tar/tgz) into a temporary directory.

python-dwca-reader would extract tar files with `tarfile.extractall()` and no filter (Python 3.11), which lets a
crafted archive write outside the target directory; so archives are unpacked here, member by member, after checking
names, types and sizes, and the readers are given the resulting directory.
"""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

from wildlife.surveys.importers.base import ImportFileError

MAX_MEMBERS = 20_000
MAX_TOTAL_BYTES = 4 * 1024**3  # uncompressed; an archive that expands beyond this is refused (zip bombs)
MAX_RATIO = 200  # compression ratio above which a large member is treated as a bomb


def _is_junk(name: str) -> bool:
    """macOS resource forks (__MACOSX/, ._name) that archivers add; they are not part of the data."""
    parts = PurePosixPath(name).parts
    return any(p == "__MACOSX" or p.startswith("._") or p == ".DS_Store" for p in parts)


def _safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name.replace("\\", "/"))
    drive_like = bool(path.parts) and ":" in path.parts[0]  # C:/... from an archive made on Windows
    if path.is_absolute() or drive_like or any(part == ".." for part in path.parts):
        raise ImportFileError(_("归档中含有不安全的路径“%(name)s”，已拒绝") % {"name": name[:100]})
    return path


def unpack(path: str | Path) -> tuple[Path, Path | None]:
    """(directory to read, temporary directory to delete afterwards or None) for a zip, tar(.gz) or directory."""
    source = Path(path)
    if source.is_dir():
        return source, None
    if zipfile.is_zipfile(source):
        target = Path(tempfile.mkdtemp(prefix="surveys-import-"))
        try:
            _unzip(source, target)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        return _content_root(target), target
    if tarfile.is_tarfile(source):
        target = Path(tempfile.mkdtemp(prefix="surveys-import-"))
        try:
            _untar(source, target)
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        return _content_root(target), target
    raise ImportFileError(_("文件不是 zip 或 tgz 归档，无法读取"))


def _content_root(target: Path) -> Path:
    # an archive holding a single folder: the data is in that folder (common, though not in the standard)
    entries = list(target.iterdir())
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return target


def _unzip(source: Path, target: Path) -> None:
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise ImportFileError(_("归档中文件过多（超过 %(n)d 个）") % {"n": MAX_MEMBERS})
            total = 0
            for info in members:
                total += info.file_size
                if total > MAX_TOTAL_BYTES:
                    raise ImportFileError(_("归档解压后过大（超过 %(gb)d GB）") % {"gb": MAX_TOTAL_BYTES // 1024**3})
                if info.compress_size and info.file_size > 50 * 1024**2 and info.file_size / info.compress_size > MAX_RATIO:
                    raise ImportFileError(_("归档中的“%(name)s”压缩比异常，已拒绝") % {"name": info.filename[:100]})
                mode = info.external_attr >> 16
                if stat.S_ISLNK(mode):
                    raise ImportFileError(_("归档中含有符号链接“%(name)s”，已拒绝") % {"name": info.filename[:100]})
                relative = _safe_relative(info.filename)
                if _is_junk(info.filename) or info.is_dir():
                    continue
                destination = target.joinpath(*relative.parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as src, destination.open("wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("zip 文件已损坏，无法解压")) from exc


def _untar(source: Path, target: Path) -> None:
    try:
        with tarfile.open(source, "r:*") as archive:
            total = 0
            count = 0
            for member in archive:
                count += 1
                if count > MAX_MEMBERS:
                    raise ImportFileError(_("归档中文件过多（超过 %(n)d 个）") % {"n": MAX_MEMBERS})
                if member.issym() or member.islnk() or member.isdev() or member.isfifo():
                    raise ImportFileError(_("归档中含有链接或设备文件“%(name)s”，已拒绝") % {"name": member.name[:100]})
                relative = _safe_relative(member.name)
                if member.isdir() or _is_junk(member.name) or not relative.parts or relative.parts == (".",):
                    continue
                total += member.size
                if total > MAX_TOTAL_BYTES:
                    raise ImportFileError(_("归档解压后过大（超过 %(gb)d GB）") % {"gb": MAX_TOTAL_BYTES // 1024**3})
                parts = [p for p in relative.parts if p != "."]
                destination = target.joinpath(*parts)
                destination.parent.mkdir(parents=True, exist_ok=True)
                handle = archive.extractfile(member)
                if handle is None:
                    continue
                with handle, destination.open("wb") as dst:
                    shutil.copyfileobj(handle, dst, 1 << 20)
                os.chmod(destination, 0o600)
    except tarfile.TarError as exc:
        raise ImportFileError(_("tgz 文件已损坏，无法解压")) from exc
