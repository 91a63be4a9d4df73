"""The collector: fetches the pages of configured sources and turns them into listings.

Only hosts named in the setting WILDLIFE_TRADE_COLLECTOR_HOSTS (host or host:port) are ever contacted, redirects
included; nothing else leaves the machine. Two parsers:

- `json_items`: a JSON document with a list of items; `config = {"items": "data.items", "fields": {"title": "name",
  "text": "desc", ...}, "next": "next"}` (dotted paths; `next` names a field holding the next page's URL);
- `html_microdata`: HTML pages that mark products with schema.org microdata (itemscope itemtype=".../Product",
  itemprop name, description, url, sku, price, seller, image) — the markup shops publish for search engines.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wildlife.audit.services import audit_record
from wildlife.trade.choices import CollectorParser, CollectorRunStatus, ListingSource
from wildlife.trade.importers import ListingInput, RowError, row_to_input
from wildlife.trade.models import CollectorSource, ScanBatch

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT_SECONDS = 10
MAX_PAGES = 50
USER_AGENT = "zhoucun-wildlife-monitor/1.0"


class CollectorError(Exception):
    """A page could not be fetched or read; the message is for the user."""


def allowed_hosts() -> set[str]:
    return {str(h).strip().lower() for h in getattr(settings, "WILDLIFE_TRADE_COLLECTOR_HOSTS", []) if str(h).strip()}


def host_allowed(url: str) -> bool:
    """True when `url` is http(s) on a host (or host:port) of the allow list."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    hosts = allowed_hosts()
    host = parts.hostname.lower()
    try:
        port = parts.port
    except ValueError:
        return False
    return host in hosts or (port is not None and f"{host}:{port}" in hosts)


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        if not host_allowed(newurl):
            raise CollectorError(_("重定向到未允许的主机：%(url)s") % {"url": newurl[:200]})
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str) -> bytes:
    """The body of `url` (≤ 5 MB) from an allowed host; CollectorError otherwise."""
    if not host_allowed(url):
        raise CollectorError(_("主机不在允许的采集名单中：%(url)s") % {"url": url[:200]})
    # no proxies from the environment: the allow list must be what is contacted
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _CheckedRedirects())
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json, text/html"})  # noqa: S310 - scheme checked above
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            body: bytes = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise CollectorError(_("抓取失败（HTTP %(code)d）：%(url)s") % {"code": exc.code, "url": url[:200]}) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise CollectorError(_("无法连接：%(url)s") % {"url": url[:200]}) from exc
    if len(body) > MAX_BYTES:
        raise CollectorError(_("页面超过 5 MB：%(url)s") % {"url": url[:200]})
    return body


def _decode(body: bytes) -> str:
    from wildlife.core.imports import decode_text

    text = decode_text(body)
    if text is None:
        raise CollectorError(_("无法识别页面编码"))
    return text


# --- parsers -------------------------------------------------------------------------------------------------------


def _dig(data: Any, path: str) -> Any:
    for part in [p for p in path.split(".") if p]:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def parse_json_items(body: bytes, config: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """(rows as {field: value}, next page URL or "")."""
    try:
        document = json.loads(_decode(body))
    except json.JSONDecodeError as exc:
        raise CollectorError(_("JSON 格式错误：第 %(line)d 行") % {"line": exc.lineno}) from exc
    items = _dig(document, str(config.get("items", ""))) if config.get("items") else document
    if not isinstance(items, list):
        raise CollectorError(_("按配置 items=%(path)s 没有找到列表") % {"path": config.get("items", "")})
    fields: dict[str, str] = dict(config.get("fields") or {})
    rows: list[dict[str, Any]] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        if fields:
            rows.append({name: _dig(item, path) for name, path in fields.items()})
        else:
            rows.append(dict(item))
    next_url = _dig(document, str(config["next"])) if config.get("next") else None
    return rows, str(next_url) if isinstance(next_url, str) else ""


class _Microdata(HTMLParser):
    """schema.org Product items; nested scopes (offers, seller) are flattened as "offers.price", "seller.name"."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[dict[str, Any]] = []
        self.next_url = ""
        # stack entries: (tag, scope dict or None, prop name or None, text parts or None, prefix)
        self._stack: list[tuple[str, dict[str, Any] | None, str | None, list[str] | None, str]] = []
        self._scope: dict[str, Any] | None = None
        self._prefix = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("rel") == "next" and a.get("href"):
            self.next_url = a["href"]
        if tag == "link" and a.get("rel") == "next" and a.get("href"):
            self.next_url = a["href"]
        prop = a.get("itemprop") or None
        opens_scope = "itemscope" in a
        saved = (self._scope, self._prefix)
        if opens_scope and "product" in a.get("itemtype", "").lower() and self._scope is None:
            self._scope = {}
            self.items.append(self._scope)
            self._prefix = ""
            prop = None
        elif opens_scope and self._scope is not None and prop:
            self._prefix = f"{self._prefix}{prop}."
            prop = None
        value_now = None
        if prop and self._scope is not None:
            for attribute in ("content", "href", "src", "datetime", "value"):
                if a.get(attribute):
                    value_now = a[attribute]
                    break
            if value_now is not None:
                self._put(prop, value_now)
                prop = None
        if tag in self.VOID:  # no children and no end tag: nothing stays open
            self._scope, self._prefix = saved
            return
        self._stack.append((tag, saved[0], prop, [] if prop else None, saved[1]))

    def _put(self, prop: str, value: str) -> None:
        assert self._scope is not None
        key = f"{self._prefix}{prop}"
        value = " ".join(value.split())
        if key in self._scope and key in ("image", "image.url"):
            existing = self._scope[key]
            self._scope[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
        elif key not in self._scope:
            self._scope[key] = value

    def handle_data(self, data: str) -> None:
        for _tag, _scope, _prop, parts, _prefix in self._stack:
            if parts is not None:
                parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if all(entry[0] != tag for entry in self._stack):
            return  # a stray end tag closes nothing
        while self._stack:
            open_tag, scope, prop, parts, prefix = self._stack.pop()
            if prop and parts is not None and self._scope is not None:
                self._put(prop, "".join(parts))
            self._scope, self._prefix = scope, prefix
            if open_tag == tag:
                break


MICRODATA_FIELDS = {
    "title": ("name",),
    "text": ("description",),
    "url": ("url",),
    "external_id": ("sku", "productID", "productId"),
    "price": ("offers.price", "price"),
    "seller_name": ("offers.seller.name", "seller.name", "brand.name"),
    "seller_account": ("offers.seller.identifier", "seller.identifier", "offers.seller.url", "seller.url"),
    "seller_phone": ("offers.seller.telephone", "seller.telephone"),
    "location_text": ("offers.availableAtOrFrom.name", "offers.areaServed", "areaServed"),
    "captured_at": ("offers.validFrom", "releaseDate", "datePublished"),
    "image_urls": ("image",),
}


def parse_html_microdata(body: bytes, base_url: str) -> tuple[list[dict[str, Any]], str]:
    parser = _Microdata()
    parser.feed(_decode(body))
    parser.close()
    rows: list[dict[str, Any]] = []
    for item in parser.items:
        row: dict[str, Any] = {}
        for name, keys in MICRODATA_FIELDS.items():
            for key in keys:
                if item.get(key):
                    row[name] = item[key]
                    break
        if row.get("url"):
            row["url"] = urllib.parse.urljoin(base_url, str(row["url"]))
        if row.get("image_urls"):
            images = row["image_urls"] if isinstance(row["image_urls"], list) else [row["image_urls"]]
            row["image_urls"] = [urllib.parse.urljoin(base_url, str(i)) for i in images]
        rows.append(row)
    next_url = urllib.parse.urljoin(base_url, parser.next_url) if parser.next_url else ""
    return rows, next_url


# --- a run --------------------------------------------------------------------------------------------------------

IDENTITY_MAPPING = {name: name for name in ("title", "text", "url", "external_id", "seller_account", "seller_name", "seller_phone", "price", "captured_at", "location_text", "image_urls")}


@dataclass
class CollectorOutcome:
    pages: int = 0
    items: int = 0
    created: int = 0
    duplicates: int = 0
    flagged: int = 0
    errors: list[str] = field(default_factory=list)


def collect_pages(source: CollectorSource) -> tuple[list[ListingInput], CollectorOutcome]:
    """Fetch and parse every configured URL (and its next pages, up to MAX_PAGES)."""
    outcome = CollectorOutcome()
    inputs: list[ListingInput] = []
    queue = source.url_list()
    seen: set[str] = set()
    number = 1
    while queue and outcome.pages < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        try:
            body = fetch(url)
            if source.parser == CollectorParser.JSON_ITEMS:
                rows, next_url = parse_json_items(body, source.config or {})
            else:
                rows, next_url = parse_html_microdata(body, url)
        except CollectorError as exc:
            outcome.errors.append(str(exc))
            continue
        outcome.pages += 1
        if next_url and next_url not in seen:
            queue.append(next_url if next_url.startswith(("http://", "https://")) else urllib.parse.urljoin(url, next_url))
        for row in rows:
            number += 1
            outcome.items += 1
            item, problems = row_to_input(row, IDENTITY_MAPPING, number)
            if item is None:
                outcome.errors.extend(_page_error(url, p) for p in problems)
                continue
            inputs.append(item)
    return inputs, outcome


def _page_error(url: str, problem: RowError) -> str:
    from wildlife.trade.importers import FIELD_LABELS

    label = str(FIELD_LABELS.get(problem.field, problem.field))
    return _("%(url)s 第 %(n)d 项 %(field)s: %(message)s") % {"url": url[:120], "n": problem.row - 1, "field": label, "message": problem.message}


def collector_run(*, actor: Any, source_id: int, scan_batch: ScanBatch | None = None) -> CollectorOutcome:
    """Fetch a source now: store and scan its listings, record the outcome on the source."""
    from wildlife.trade.services import listings_store

    source = CollectorSource.objects.select_related("platform").get(pk=source_id)
    inputs, outcome = collect_pages(source)
    stored = listings_store(actor=actor, platform=source.platform, inputs=inputs, source=ListingSource.COLLECTOR, scan_batch=scan_batch)
    outcome.created, outcome.duplicates, outcome.flagged = len(stored.created), stored.duplicates, stored.flagged
    status = CollectorRunStatus.OK if not outcome.errors else (CollectorRunStatus.PARTIAL if outcome.pages else CollectorRunStatus.FAILED)
    message = _("页面 %(p)d，条目 %(i)d，新增 %(c)d，重复 %(d)d，命中待审 %(f)d") % {
        "p": outcome.pages, "i": outcome.items, "c": outcome.created, "d": outcome.duplicates, "f": outcome.flagged,
    }
    if outcome.errors:
        message += "；" + outcome.errors[0]
    with transaction.atomic():
        CollectorSource.objects.filter(pk=source.pk).update(last_run_at=timezone.now(), last_status=status, last_message=message[:1000])
        if scan_batch is not None:
            ScanBatch.objects.filter(pk=scan_batch.pk).update(
                total=outcome.items, created_count=outcome.created, duplicate_count=outcome.duplicates,
                scanned_count=outcome.created, flagged_count=outcome.flagged, error_count=len(outcome.errors), message=message[:1000],
            )
        audit_record(action="trade_collector_run", actor=actor, obj=source, detail={"pages": outcome.pages, "items": outcome.items, "created": outcome.created, "errors": len(outcome.errors)})
    return outcome
