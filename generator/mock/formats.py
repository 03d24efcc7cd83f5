"""PVE's response formats: how the ``data`` of an answer (or an error) is written for ``/api2/FORMAT``.

- ``json``: ``{"data": ...}`` (plus ``errors``; plus attributes such as ``total``, ``changes``).
- ``extjs``: the same with ``success`` 1/0, and failures reported in the body with HTTP 200.
- ``html``: PVE's debugging portal (pve-http-server's Formatter::HTML): a page with breadcrumbs of
  the path, the call's description, and the data as pretty, key-sorted JSON, or, for an index whose
  schema links its children (``{node}``), one linked entry per child. Without a valid login it
  redirects to the portal's login form (``/api2/html/access/ticket``).
- ``text``: plain text for reading in a terminal: ``key: value`` lines, one block per list item.
  (Current PVE servers have no ``text`` formatter and answer 501; the user's notes name it, so the
  mock serves one.)
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

from .errors import ApiError
from .exchange import Answer

FORMATS = ("json", "extjs", "html", "text")
HTML_TYPE = "text/html;charset=UTF-8"
TEXT_TYPE = "text/plain;charset=UTF-8"
PORTAL = "/api2/html"
LOGIN_PAGE = f"{PORTAL}/access/ticket"


@dataclass(frozen=True)
class Page:
    """What the html format shows besides the data: where the page is, and what the call is."""

    url_path: str  # /api2/html/nodes/pve1
    description: str | None = None
    child_key: str | None = None  # an index linking its children by this key ("node" for "{node}")


def encode(
    fmt: str | None,
    status: int,
    reason: str,
    data: Any,
    errors: dict[str, str] | None = None,
    attributes: dict[str, Any] | None = None,
    page: Page | None = None,
) -> Answer:
    """An answer in ``fmt``; ``extjs`` reports failures in the body with HTTP 200, as PVE does.
    ``attributes`` (``total``, ``changes``) go beside ``data`` on success."""
    payload: dict[str, Any] = {"data": data}
    if errors:
        payload["errors"] = errors
    if status == 200 and attributes:
        payload.update({k: v for k, v in attributes.items() if v})
    if fmt == "html":
        return Answer(status, reason, _html_page(payload, status, reason, page or Page(PORTAL)), HTML_TYPE)
    if fmt == "text":
        return Answer(status, reason, _text(payload, status, reason).encode("utf-8"), TEXT_TYPE)
    if fmt == "extjs":
        payload["success"] = 1 if status == 200 else 0
        if status != 200:
            payload["message"] = reason
            payload["status"] = status
        status, reason = 200, "OK"
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return Answer(status, reason, body)


def encode_error(fmt: str | None, err: ApiError, page: Page | None = None) -> Answer:
    if err.status == 401 and fmt == "html":
        return Answer(301, "Moved", b"", HTML_TYPE, {"Location": LOGIN_PAGE})  # to the portal's login form
    if err.status in (401, 501):
        return Answer(err.status, err.message, b"")  # PVE answers these with an empty body
    return encode(fmt, err.status, err.message, None, err.errors, page=page)


# -- html -------------------------------------------------------------------------------------
def _html_page(payload: dict[str, Any], status: int, reason: str, page: Page) -> bytes:
    parts: list[str] = []
    if status >= 400:
        parts.append(f'<div class="alert alert-danger">Error {status}: {html.escape(reason)}</div>')
    if page.description:
        parts.append(f"<h3>Description</h3><p>{html.escape(page.description)}</p>")
    items = payload.get("data")
    if status == 200 and page.child_key and isinstance(items, list):
        parts.append(_children(page, items))
    else:
        parts.append(f"<pre>{html.escape(_pretty(payload))}</pre>")
    return _document(page.url_path, "".join(parts))


def _children(page: Page, items: list[Any]) -> str:
    key = page.child_key or ""
    base = page.url_path.rstrip("/")
    entries = []
    for item in sorted((i for i in items if isinstance(i, dict) and key in i), key=lambda i: str(i[key])):
        value = html.escape(str(item[key]))
        entries.append(
            f'<a class="list-group-item" href="{base}/{value}"><h4 class="list-group-item-heading">{value}</h4>'
            f'<pre class="list-group-item">{html.escape(_pretty(item))}</pre></a>'
        )
    return f'<div class="list-group">{"".join(entries)}</div>'


def _document(url_path: str, content: str) -> bytes:
    crumbs = [f'<li><a href="{PORTAL}">Home</a></li>']
    href = PORTAL
    for part in url_path.split("/")[3:]:
        if part:
            href += "/" + html.escape(part)
            crumbs.append(f'<li><a href="{href}">{html.escape(part)}</a></li>')
    text = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Proxmox VE API</title></head><body>'
        f'<nav class="navbar"><a class="navbar-brand" href="{PORTAL}">Proxmox VE API</a> '
        f'<a href="{LOGIN_PAGE}">Logout</a></nav>'
        f'<ol class="breadcrumb container">{"".join(crumbs)}</ol>'
        f'<div class="container">{content}</div></body></html>\n'
    )
    return text.encode("utf-8")


def login_form(url_path: str) -> Answer:
    """The portal's login page (``GET /api2/html/access/ticket``)."""
    form = (
        f'<form role="form" method="POST" action="{LOGIN_PAGE}"><label>Please sign in</label>'
        '<input type="text" name="username" placeholder="Enter user name" required autofocus>'
        '<input type="password" name="password" placeholder="Password" required>'
        '<button type="submit">Sign in</button></form>'
    )
    return Answer(200, "OK", _document(url_path, form), HTML_TYPE)


def logged_in(ticket: str) -> Answer:
    """After a portal login: back to the portal with the ticket as cookie (PVE answers 301 here)."""
    cookie = f"PVEAuthCookie={ticket}; path=/; secure; SameSite=Lax"
    return Answer(301, "Moved", b"", HTML_TYPE, {"Location": PORTAL, "Set-Cookie": cookie})


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=3, sort_keys=True, ensure_ascii=False)


# -- text -------------------------------------------------------------------------------------
def _text(payload: dict[str, Any], status: int, reason: str) -> str:
    lines: list[str] = []
    if status >= 400:
        lines.append(f"ERROR {status}: {reason}")
        lines += [f"{name}: {message.rstrip()}" for name, message in sorted((payload.get("errors") or {}).items())]
        return "\n".join(lines) + "\n"
    lines += _text_value(payload.get("data"))
    for key in sorted(k for k in payload if k != "data"):
        lines += ["", f"{key}:", *str(payload[key]).splitlines()]
    return "\n".join(lines) + "\n" if lines else ""


def _text_value(data: Any) -> list[str]:
    if isinstance(data, dict):
        return [f"{key}: {_scalar(data[key])}" for key in sorted(data)]
    if isinstance(data, list):
        lines: list[str] = []
        for index, item in enumerate(data):
            if isinstance(item, dict) and index:
                lines.append("")
            lines += _text_value(item) if isinstance(item, dict) else [_scalar(item)]
        return lines
    return [] if data is None else [_scalar(data)]


def _scalar(value: Any) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "" if value is None else str(value)
