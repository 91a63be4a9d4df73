"""Safe opening of uploaded geometry files (GeoJSON, Shapefile zip, GeoPackage).

Debian 12 ships GDAL 3.6, which cannot block file and network access triggered by crafted spatial references or
layer definitions (Django's check gis.W001; GDAL 3.9 added the switches). The settings silence that warning on the
promise kept here: GDAL never sees an uploaded file before Python has checked it.

* Size: the upload, every archive member and the total uncompressed size are capped; members are streamed with a
  byte counter, so a zip that lies about its sizes (a zip bomb) is stopped while extracting.
* Names: archive members may not be absolute, contain "..", be symbolic links or be encrypted, and only the
  Shapefile parts .shp/.shx/.dbf/.prj/.cpg are accepted. Members are written under fixed names in a fresh private
  directory, so nothing an uploader names reaches the file system.
* Contents: magic numbers are checked (a text file renamed .gpkg is refused); GeoJSON is parsed with `json` first,
  its "crs" member may only name WGS-84/CRS84/CGCS2000 (never a link) and a clean copy without it is what GDAL
  reads; .prj must be WKT without URLs, paths or PROJ grid/init references; a GeoPackage is first opened with
  `sqlite3` (read-only, untrusted schema) to check it is a GeoPackage whose feature tables, spatial reference
  definitions, metadata and schema hold no references to other files, URLs or GDAL virtual file systems.

Residual risk (docs/deploy.md): a GDAL parser bug reachable through well-formed input; upgrading to GDAL ≥ 3.9 and
running the application as an unprivileged user without outbound network access remove most of it.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FORMAT_GEOJSON = "geojson"
FORMAT_SHAPEFILE = "shapefile"
FORMAT_GEOPACKAGE = "gpkg"

SHAPEFILE_PARTS = frozenset({".shp", ".shx", ".dbf", ".prj", ".cpg"})
REQUIRED_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf")
MAX_ARCHIVE_MEMBERS = 20
MAX_COMPRESSION_RATIO = 200  # Shapefiles compress 3–20×; beyond this the archive is treated as a bomb
MAX_TEXT_PART_BYTES = 64 * 1024  # .prj / .cpg are a few hundred bytes
GPKG_APPLICATION_IDS = frozenset({0x47504B47, 0x47503130, 0x47503131})  # "GPKG", "GP10", "GP11"
SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGIC = b"PK\x03\x04"
COPY_CHUNK = 1024 * 1024

# names of WGS-84 / CGCS2000 a GeoJSON "crs" member may carry (anything else is refused, links always)
ALLOWED_GEOJSON_CRS_NAMES = frozenset(
    {
        "urn:ogc:def:crs:ogc:1.3:crs84",
        "urn:ogc:def:crs:ogc::crs84",
        "urn:ogc:def:crs:epsg::4326",
        "urn:ogc:def:crs:epsg:4326",
        "epsg:4326",
        "urn:ogc:def:crs:epsg::4490",
        "epsg:4490",
    }
)

WKT_KEYWORDS = (
    "GEOGCS[",
    "PROJCS[",
    "GEOCCS[",
    "COMPD_CS[",
    "VERT_CS[",
    "LOCAL_CS[",
    "GEOGCRS[",
    "GEODCRS[",
    "PROJCRS[",
    "COMPOUNDCRS[",
    "VERTCRS[",
    "BOUNDCRS[",
)

# references to other files, URLs or GDAL virtual file systems; any match refuses the file
_REFERENCE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"/vsi[a-z0-9_]*", re.IGNORECASE), "GDAL 虚拟文件系统路径"),
    (re.compile(r"\b(?:https?|ftps?|file|sftp|ssh|smb|gdal|jdbc|ldap|s3|gs|az)\s*:", re.IGNORECASE), "网址或外部资源"),
    (re.compile(r"\\\\"), "网络共享路径"),
    (re.compile(r"\b[A-Za-z]:[\\/]"), "Windows 文件路径"),
    (re.compile(r"\.\.[\\/]"), "上级目录路径"),
    (re.compile(r"""(?:^|[\s"'\[(,=])/[A-Za-z0-9_.~-]"""), "文件路径"),
    (re.compile(r"\+?\b(?:init|nadgrids|geoidgrids|hgridshift|vgridshift|xy_grids|z_grids)\s*=", re.IGNORECASE), "PROJ 外部网格/初始化文件"),
    (re.compile(r"\b(?:attach|load_extension|readfile|writefile|edit)\s*\(", re.IGNORECASE), "SQL 外部访问函数"),
    (re.compile(r"\battach\s+(?:database\s+)?['\"]", re.IGNORECASE), "附加数据库"),
)


@dataclass
class SpatialFile:
    """A checked upload, extracted into a private directory, ready for GDAL."""

    path: Path
    format: str
    original_name: str
    notes: list[str] = field(default_factory=list)

    def open(self) -> Any:
        """The file as a django.contrib.gis.gdal.DataSource (read-only)."""
        from django.contrib.gis.gdal import DataSource

        _harden_gdal()
        return DataSource(str(self.path), write=False)


def max_upload_bytes() -> int:
    megabytes = int(getattr(settings, "WILDLIFE_GEO_MAX_UPLOAD_MB", min(50, int(getattr(settings, "WILDLIFE_MAX_UPLOAD_MB", 50)))))
    return megabytes * 1024 * 1024


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "WILDLIFE_GEO_MAX_UNCOMPRESSED_MB", 200)) * 1024 * 1024


def find_reference(text: str) -> str | None:
    """A description of the first reference to another file/URL in `text`, or None."""
    for pattern, label in _REFERENCE_PATTERNS:
        match = pattern.search(text)
        if match:
            snippet = text[max(0, match.start() - 10) : match.end() + 20].strip().replace("\n", " ")
            return f"{label}「{snippet[:60]}」"
    return None


def _reject(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


@contextmanager
def checked_spatial_upload(upload: Any) -> Iterator[SpatialFile]:
    """Check `upload` (a Django UploadedFile or anything with .name, .size and .chunks()/.read()) and yield it
    extracted into a private temporary directory; the directory is removed afterwards, whatever happens."""
    name = os.path.basename(str(getattr(upload, "name", "") or ""))
    size = getattr(upload, "size", None)
    limit = max_upload_bytes()
    if size is not None and size > limit:
        raise _reject(_("文件过大：%(size).1f MB，上限 %(limit)d MB。") % {"size": size / 1048576, "limit": limit // 1048576})
    suffix = PurePosixPath(name.lower()).suffix
    if suffix in (".geojson", ".json"):
        kind = FORMAT_GEOJSON
    elif suffix == ".zip":
        kind = FORMAT_SHAPEFILE
    elif suffix == ".gpkg":
        kind = FORMAT_GEOPACKAGE
    else:
        raise _reject(_("不支持的文件类型「%(name)s」：请上传 GeoJSON (.geojson/.json)、Shapefile 压缩包 (.zip) 或 GeoPackage (.gpkg)。") % {"name": name})
    workdir = Path(tempfile.mkdtemp(prefix="wl-geo-"))
    os.chmod(workdir, 0o700)
    try:
        raw = workdir / "upload.bin"
        _store(upload, raw, limit)
        if kind == FORMAT_GEOJSON:
            result = _prepare_geojson(raw, workdir, name)
        elif kind == FORMAT_SHAPEFILE:
            result = _prepare_shapefile(raw, workdir, name)
        else:
            result = _prepare_geopackage(raw, workdir, name)
        yield result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _store(upload: Any, target: Path, limit: int) -> None:
    """Copy the upload to `target`, counting bytes (the declared size may be absent or wrong)."""
    written = 0
    chunks = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(COPY_CHUNK), b"")
    with open(target, "wb") as out:
        for chunk in chunks:
            written += len(chunk)
            if written > limit:
                raise _reject(_("文件过大：上限 %(limit)d MB。") % {"limit": limit // 1048576})
            out.write(chunk)
    if written == 0:
        raise _reject(_("文件为空。"))


# --- GeoJSON -------------------------------------------------------------------------------------------------------


def _refuse_constant(token: str) -> Any:
    raise ValueError(token)


def _prepare_geojson(raw: Path, workdir: Path, name: str) -> SpatialFile:
    try:
        text = raw.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _reject(_("GeoJSON 文件不是 UTF-8 编码（第 %(pos)d 字节）。") % {"pos": exc.start + 1}) from exc
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError as exc:
        raise _reject(_("GeoJSON 嵌套层级过深。")) from exc
    except ValueError as exc:
        position = getattr(exc, "lineno", None)
        if position:
            raise _reject(_("GeoJSON 格式错误：第 %(line)d 行 第 %(col)d 列：%(msg)s") % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}) from exc  # type: ignore[attr-defined]
        raise _reject(_("GeoJSON 含有非法数值（NaN/Infinity）。")) from exc
    if not isinstance(data, dict):
        raise _reject(_("GeoJSON 顶层应为对象 (FeatureCollection)。"))
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise _reject(_("GeoJSON 的 features 应为数组。"))
    elif kind == "Feature":
        features = [data]
    elif kind in ("Polygon", "MultiPolygon"):
        features = [{"type": "Feature", "properties": {}, "geometry": data}]
    else:
        raise _reject(_("GeoJSON 类型「%(type)s」不支持，应为 FeatureCollection。") % {"type": str(kind)[:40]})
    _check_geojson_crs(data.get("crs"), _("文件"))
    clean: list[dict[str, Any]] = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise _reject(_("第 %(n)d 个要素不是 GeoJSON Feature。") % {"n": number})
        _check_geojson_crs(feature.get("crs"), _("第 %(n)d 个要素") % {"n": number})
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise _reject(_("第 %(n)d 个要素的 properties 应为对象。") % {"n": number})
        geometry = feature.get("geometry")
        problem = _geojson_geometry_problem(geometry)
        if problem:
            raise _reject(_("第 %(n)d 个要素：%(problem)s") % {"n": number, "problem": problem})
        clean.append({"type": "Feature", "properties": properties, "geometry": geometry})
    if not clean:
        raise _reject(_("GeoJSON 中没有要素。"))
    target = workdir / "layer.geojson"
    # GDAL reads a clean copy: only type/properties/geometry, no "crs" member
    target.write_text(json.dumps({"type": "FeatureCollection", "features": clean}, ensure_ascii=False), encoding="utf-8")
    return SpatialFile(path=target, format=FORMAT_GEOJSON, original_name=name)


def _check_geojson_crs(crs: Any, where: str) -> None:
    if crs is None:
        return
    if not isinstance(crs, dict):
        raise _reject(_("%(where)s的 crs 成员格式错误。") % {"where": where})
    if crs.get("type") != "name":
        raise _reject(_("%(where)s的 crs 为「%(type)s」类型：不接受链接或外部引用的坐标系，请删除 crs 成员并在导入时选择坐标系。") % {"where": where, "type": str(crs.get("type"))[:20]})
    properties = crs.get("properties")
    crs_name = str(properties.get("name", "")) if isinstance(properties, dict) else ""
    if crs_name.strip().lower() not in ALLOWED_GEOJSON_CRS_NAMES:
        raise _reject(_("%(where)s的坐标系「%(name)s」不受支持：只接受 WGS-84 或 CGCS2000 经纬度（或删除 crs 成员后在导入时选择坐标系）。") % {"where": where, "name": crs_name[:60]})


def _geojson_geometry_problem(geometry: Any) -> str | None:
    """Structural problems GDAL would otherwise silently repair or misread (closure is checked here, on the raw
    coordinates, because GDAL's GeoJSON reader closes open rings itself)."""
    if geometry is None:
        return _("缺少几何 (geometry 为空)。")
    if not isinstance(geometry, dict):
        return _("geometry 应为对象。")
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    polygons: list[Any] | None
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates if isinstance(coordinates, list) else None
    else:
        return _("几何类型为 %(type)s，应为面 (Polygon 或 MultiPolygon)。") % {"type": str(kind)[:30]}
    if not polygons:
        return _("几何为空。")
    for p_index, polygon in enumerate(polygons, start=1):
        if not isinstance(polygon, list) or not polygon:
            return _("第 %(p)d 个面为空。") % {"p": p_index}
        for r_index, ring in enumerate(polygon, start=1):
            if not isinstance(ring, list):
                return _("第 %(p)d 个面 第 %(r)d 个环格式错误。") % {"p": p_index, "r": r_index}
            for position in ring:
                if (
                    not isinstance(position, list)
                    or len(position) < 2
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in position[:3])
                ):
                    return _("第 %(p)d 个面 第 %(r)d 个环含有无效坐标 %(pos)s。") % {"p": p_index, "r": r_index, "pos": str(position)[:40]}
            if len(ring) < 4:
                return _("第 %(p)d 个面 第 %(r)d 个环只有 %(k)d 个点（至少 4 个，首尾相同）。") % {"p": p_index, "r": r_index, "k": len(ring)}
            if ring[0][:2] != ring[-1][:2]:
                return _("第 %(p)d 个面 第 %(r)d 个环未闭合（首点 %(a)s 与末点 %(b)s 不同）。") % {
                    "p": p_index,
                    "r": r_index,
                    "a": ring[0][:2],
                    "b": ring[-1][:2],
                }
    return None


# --- Shapefile (zip) -----------------------------------------------------------------------------------------------


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if "\x00" in name:
        return _("文件名含有空字符")
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return _("使用了绝对路径")
    if "\\" in name:
        return _("文件名含有反斜杠")
    parts = PurePosixPath(name).parts
    if any(part == ".." for part in parts):
        return _("路径含有「..」（目录穿越）")
    mode = info.external_attr >> 16
    if mode and stat.S_ISLNK(mode):
        return _("是符号链接")
    if info.flag_bits & 0x1:
        return _("已加密")
    return None


def _prepare_shapefile(raw: Path, workdir: Path, name: str) -> SpatialFile:
    with open(raw, "rb") as head:
        if head.read(4) != ZIP_MAGIC:
            raise _reject(_("「%(name)s」不是有效的 zip 压缩包。") % {"name": name})
    try:
        archive = zipfile.ZipFile(raw)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _reject(_("「%(name)s」不是有效的 zip 压缩包。") % {"name": name}) from exc
    with archive:
        members: dict[str, zipfile.ZipInfo] = {}
        folders: set[str] = set()
        stems: set[str] = set()
        infos = archive.infolist()
        if len(infos) > MAX_ARCHIVE_MEMBERS * 3:
            raise _reject(_("压缩包中的文件过多（%(n)d 个）。") % {"n": len(infos)})
        declared_total = 0
        for info in infos:
            problem = _member_problem(info)
            if problem:
                raise _reject(_("压缩包成员「%(member)s」%(problem)s，已拒绝。") % {"member": info.filename[:80], "problem": problem})
            if info.is_dir() or info.filename.startswith("__MACOSX/"):
                continue  # folders and macOS resource forks are never extracted
            path = PurePosixPath(info.filename)
            extension = path.suffix.lower()
            if extension not in SHAPEFILE_PARTS:
                raise _reject(
                    _("压缩包成员「%(member)s」的类型不允许：只接受 .shp、.shx、.dbf、.prj、.cpg。") % {"member": info.filename[:80]}
                )
            if extension in members:
                raise _reject(_("压缩包中有多个 %(ext)s 文件：每次只导入一个 Shapefile 图层。") % {"ext": extension})
            if info.file_size > 0 and info.compress_size > 0 and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
                raise _reject(_("压缩包成员「%(member)s」压缩比异常（%(ratio)d 倍），疑似压缩炸弹，已拒绝。") % {"member": info.filename[:80], "ratio": info.file_size // max(1, info.compress_size)})
            declared_total += info.file_size
            members[extension] = info
            folders.add(str(path.parent))
            stems.add(path.stem.lower())
        if declared_total > max_uncompressed_bytes():
            raise _reject(_("压缩包解压后过大（%(size).1f MB，上限 %(limit)d MB）。") % {"size": declared_total / 1048576, "limit": max_uncompressed_bytes() // 1048576})
        missing = [ext for ext in REQUIRED_SHAPEFILE_PARTS if ext not in members]
        if missing:
            raise _reject(_("压缩包缺少 Shapefile 组成文件：%(missing)s（需要 .shp、.shx、.dbf）。") % {"missing": "、".join(missing)})
        if len(folders) > 1 or len(stems) > 1:
            raise _reject(_("压缩包中的 .shp/.shx/.dbf 等文件应位于同一目录并同名。"))
        budget = max_uncompressed_bytes()
        for extension, info in members.items():
            target = workdir / f"layer{extension}"
            budget -= _extract_member(archive, info, target, budget)
    _check_shp_header(workdir / "layer.shp")
    _check_dbf_header(workdir / "layer.dbf")
    notes: list[str] = []
    prj = workdir / "layer.prj"
    if prj.exists():
        _check_prj(prj)
    cpg = workdir / "layer.cpg"
    if cpg.exists():
        _check_cpg(cpg)
    else:
        encoding = _guess_dbf_encoding(workdir / "layer.dbf")
        # GDAL reads the attribute table in the code page named here (it would assume ISO-8859-1 otherwise)
        cpg.write_text(encoding, encoding="ascii")
        notes.append(_("压缩包中没有 .cpg 编码文件，属性表按 %(encoding)s 读取。") % {"encoding": encoding})
    return SpatialFile(path=workdir / "layer.shp", format=FORMAT_SHAPEFILE, original_name=name, notes=notes)


def _extract_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: int) -> int:
    """Stream one member to `target`, refusing it when it inflates past its declared size or the budget."""
    written = 0
    limit = min(info.file_size, budget)
    try:
        with archive.open(info) as source, open(target, "wb") as out:
            while True:
                chunk = source.read(COPY_CHUNK)
                if not chunk:
                    break
                written += len(chunk)
                if written > limit:
                    raise _reject(_("压缩包成员「%(member)s」解压后超过声明大小或总量上限，疑似压缩炸弹，已拒绝。") % {"member": info.filename[:80]})
                out.write(chunk)
    except NotImplementedError as exc:
        raise _reject(_("压缩包成员「%(member)s」使用了不支持的压缩方式，请用普通 zip 重新压缩。") % {"member": info.filename[:80]}) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        # zipfile never inflates past the declared size; a member that holds more fails its checksum here
        raise _reject(_("压缩包成员「%(member)s」已损坏或与声明大小不符，已拒绝。") % {"member": info.filename[:80]}) from exc
    return written


def _check_shp_header(path: Path) -> None:
    with open(path, "rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or int.from_bytes(header[0:4], "big") != 9994 or int.from_bytes(header[28:32], "little") != 1000:
        raise _reject(_(".shp 文件头无效：不是 Shapefile。"))


def _check_dbf_header(path: Path) -> None:
    with open(path, "rb") as handle:
        header = handle.read(32)
    if len(header) < 32 or header[0] not in (0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x43, 0x63, 0x83, 0x8B, 0xCB, 0xF5, 0xFB):
        raise _reject(_(".dbf 文件头无效：不是 dBASE 属性表。"))


def _read_text_part(path: Path, label: str) -> str:
    data = path.read_bytes()
    if len(data) > MAX_TEXT_PART_BYTES:
        raise _reject(_("%(label)s 文件过大。") % {"label": label})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _reject(_("%(label)s 文件不是文本。") % {"label": label}) from exc


def check_wkt(text: str, label: str) -> None:
    """Refuse coordinate-system text that is not WKT or refers to other files or URLs."""
    stripped = text.strip()
    reference = find_reference(stripped)
    if reference:
        raise _reject(_("%(label)s 含有外部引用：%(ref)s，已拒绝。") % {"label": label, "ref": reference})
    if stripped and not stripped.upper().startswith(WKT_KEYWORDS):
        raise _reject(_("%(label)s 不是 WKT 坐标系定义。") % {"label": label})


def _check_prj(path: Path) -> None:
    text = _read_text_part(path, ".prj")
    check_wkt(text, _("坐标系文件 (.prj)"))
    _refuse_projected(text, _("坐标系文件 (.prj)"))


def _refuse_projected(wkt: str, label: str) -> None:
    """Boundaries arrive as longitude/latitude; a projected system (e.g. CGCS2000 高斯-克吕格) must be converted first."""
    stripped = wkt.strip().upper()
    if stripped.startswith(("PROJCS[", "PROJCRS[")):
        name = re.match(r'\s*PROJC(?:S|RS)\["([^"]{0,80})"', wkt.strip(), re.IGNORECASE)
        raise _reject(
            _("%(label)s 表明数据使用投影坐标「%(name)s」：请先在 GIS 软件中转换为经纬度（CGCS2000 或 WGS-84）后再导入。")
            % {"label": label, "name": name.group(1) if name else "?"}
        )


def _check_cpg(path: Path) -> None:
    text = _read_text_part(path, ".cpg").strip()
    if not re.fullmatch(r"[A-Za-z0-9_.\- ]{1,30}", text):
        raise _reject(_("编码文件 (.cpg) 内容无效。"))


def _guess_dbf_encoding(path: Path) -> str:
    """UTF-8 when the attribute table decodes as UTF-8, else GB18030 (Chinese desktop GIS exports)."""
    data = path.read_bytes()
    header_length = int.from_bytes(data[8:10], "little") if len(data) >= 10 else 0
    body = data[header_length:]
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "GB18030"
    return "UTF-8"


# --- GeoPackage ----------------------------------------------------------------------------------------------------


def _prepare_geopackage(raw: Path, workdir: Path, name: str) -> SpatialFile:
    with open(raw, "rb") as head:
        if head.read(16) != SQLITE_MAGIC:
            raise _reject(_("「%(name)s」不是有效的 GeoPackage 文件（不是 SQLite 数据库）。") % {"name": name})
    target = workdir / "layer.gpkg"
    raw.rename(target)
    _inspect_geopackage(target, name)
    return SpatialFile(path=target, format=FORMAT_GEOPACKAGE, original_name=name)


def _inspect_geopackage(path: Path, name: str) -> None:
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise _reject(_("「%(name)s」无法作为 SQLite 数据库打开。") % {"name": name}) from exc
    try:
        # views and triggers of an untrusted file may not call functions with side effects
        connection.execute("PRAGMA trusted_schema = OFF")
        try:
            check = connection.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as exc:
            raise _reject(_("「%(name)s」不是有效的 GeoPackage 文件（数据库已损坏）。") % {"name": name}) from exc
        if not check or check[0] != "ok":
            raise _reject(_("「%(name)s」数据库校验失败：%(msg)s") % {"name": name, "msg": str(check[0] if check else "")[:80]})
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        schema = connection.execute("SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master").fetchall()
        tables = {row[1] for row in schema if row[0] in ("table", "view")}
        required = {"gpkg_spatial_ref_sys", "gpkg_contents", "gpkg_geometry_columns"}
        if application_id not in GPKG_APPLICATION_IDS or not required <= tables:
            raise _reject(_("「%(name)s」不是 GeoPackage：缺少 GeoPackage 标识或必需的元数据表。") % {"name": name})
        databases = [row[1] for row in connection.execute("PRAGMA database_list").fetchall()]
        if any(name not in ("main", "temp") for name in databases):
            raise _reject(_("GeoPackage 引用了其他数据库，已拒绝。"))
        for kind, object_name, _table, sql in schema:
            if kind == "table" and re.match(r"\s*CREATE\s+VIRTUAL\s+TABLE", sql, re.IGNORECASE):
                module = re.search(r"\bUSING\s+([A-Za-z0-9_]+)", sql, re.IGNORECASE)
                if not module or module.group(1).lower() != "rtree":
                    raise _reject(_("GeoPackage 含有不允许的虚拟表「%(table)s」（只允许空间索引 rtree），已拒绝。") % {"table": object_name[:60]})
            reference = find_reference(sql)
            if reference:
                raise _reject(_("GeoPackage 的表结构「%(table)s」含有外部引用：%(ref)s，已拒绝。") % {"table": object_name[:60], "ref": reference})
        contents = connection.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall()
        features = [row[0] for row in contents if str(row[1]).lower() == "features"]
        for table_name, data_type in contents:
            if str(data_type).lower() not in ("features", "attributes"):
                raise _reject(_("GeoPackage 图层「%(table)s」的类型为 %(type)s：只接受矢量要素图层。") % {"table": str(table_name)[:60], "type": str(data_type)[:20]})
            if table_name not in tables:
                raise _reject(_("GeoPackage 登记的图层「%(table)s」不存在。") % {"table": str(table_name)[:60]})
            reference = find_reference(str(table_name))
            if reference:
                raise _reject(_("GeoPackage 图层名含有外部引用：%(ref)s，已拒绝。") % {"ref": reference})
        if not features:
            raise _reject(_("GeoPackage 中没有矢量要素图层。"))
        # GDAL reads `definition` and, with the crs_wkt extension, `definition_12_063`
        columns = [row[1] for row in connection.execute("PRAGMA table_info(gpkg_spatial_ref_sys)").fetchall()]
        definition_columns = [c for c in columns if str(c).lower() in ("definition", "definition_12_063")]
        for column in definition_columns:
            rows = connection.execute(f'SELECT srs_id, "{column}" FROM gpkg_spatial_ref_sys').fetchall()  # noqa: S608 - column names from the file's own schema, quoted, allow-listed above
            for srs_id, definition in rows:
                if definition is None or str(definition).strip().lower() in ("", "undefined"):
                    continue
                check_wkt(str(definition), _("GeoPackage 坐标系定义 (srs_id=%(id)s)") % {"id": srs_id})
        layer_srs = connection.execute(
            "SELECT g.table_name, COALESCE(s.definition, '') FROM gpkg_geometry_columns g "
            "LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id"
        ).fetchall()
        for table_name, definition in layer_srs:
            _refuse_projected(str(definition), _("GeoPackage 图层「%(table)s」的坐标系") % {"table": str(table_name)[:60]})
        if "gpkg_metadata" in tables:
            for (metadata,) in connection.execute("SELECT COALESCE(metadata, '') FROM gpkg_metadata").fetchall():
                reference = find_reference(str(metadata))
                if reference:
                    raise _reject(_("GeoPackage 元数据 (gpkg_metadata) 含有外部引用：%(ref)s，已拒绝。请删除元数据后重新导出。") % {"ref": reference})
    except sqlite3.DatabaseError as exc:
        raise _reject(_("「%(name)s」不是有效的 GeoPackage 文件：%(msg)s") % {"name": name, "msg": str(exc)[:80]}) from exc
    finally:
        connection.close()


# --- GDAL ------------------------------------------------------------------------------------------------------------

_HARDENED = False


def _harden_gdal() -> None:
    """Defence in depth for what the checks above cannot see: make GDAL's network file systems refuse every file.
    (GDAL ≥ 3.9 offers real switches; on 3.6 this is what there is.)"""
    global _HARDENED
    if _HARDENED:
        return
    from django.contrib.gis.gdal.libgdal import lgdal

    for key, value in (
        (b"CPL_VSIL_CURL_ALLOWED_EXTENSIONS", b".wildlife-no-remote-files"),
        (b"GDAL_HTTP_TIMEOUT", b"1"),
        (b"OGR_SQLITE_ALLOW_EXTERNAL_ACCESS", b"NO"),
    ):
        lgdal.CPLSetConfigOption(key, value)
    os.environ.setdefault("PROJ_NETWORK", "OFF")
    _HARDENED = True


def open_bytes(name: str, content: bytes) -> IO[bytes]:
    """A named in-memory upload (for services called outside a request, and for tests)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
