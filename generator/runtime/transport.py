"""HTTP exchanges: TLS settings, pinning, timeouts and retries, decided once per client.

Every call of ``requests.Session.request`` re-merges environment settings (proxies, netrc, CA
bundle variables), cookies and hooks, and builds a Response around urllib3's; that is most of
its CPU cost. Here all of it is resolved once per origin: requests' ``HTTPAdapter`` (which knows
TLS contexts, CA bundles, proxies and the pinning adapter) hands out the urllib3 connection pool
once, and each call then goes straight to that pool. TLS verification is fixed here too:
requests lets ``REQUESTS_CA_BUNDLE`` override a ``verify`` given to a session, which would
silently turn ``verify=False`` or a CA path into something else.

Retries follow ``RetryPolicy``: a call that failed before it was sent (the connection could
not be made) may be repeated whatever its method; one that may have reached the server only
when it is a GET. Errors are raised outside the ``except`` blocks, so no library exception
(which may hold the request with its headers) is chained to them.
"""

from __future__ import annotations

import os
import socket
import ssl
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_environ_proxies

from .errors import ConnectionFailedError, TimeoutError, TLSError
from .redact import log, redact_pairs
from .retry import RetryPolicy
from .tls import PinnedAdapter

__all__ = ["COOKIE_SAFE", "USER_AGENT", "Reply", "Transport"]

_FORM = "application/x-www-form-urlencoded"
_NO_HEADERS: Mapping[str, str] = CaseInsensitiveDict()
_NO_URLLIB3_RETRIES = urllib3.Retry(total=0, read=False, redirect=False)
# Ticket characters sent as they are; anything else is percent-encoded (PVE unescapes cookies).
COOKIE_SAFE = ":@+/=!"
USER_AGENT = "pvegen-client"


class _Prepared:
    """A request ready to send: method, full URL, headers and body, built once for all tries."""

    __slots__ = ("body", "headers", "method", "url")

    def __init__(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body


class Reply:
    """One HTTP answer: status, reason phrase, body and headers (case-insensitive)."""

    __slots__ = ("body", "headers", "reason", "status")

    def __init__(self, status: int, reason: str, body: bytes, headers: Mapping[str, str] = _NO_HEADERS) -> None:
        self.status = status
        self.reason = reason
        self.body = body
        self.headers = headers

    def __repr__(self) -> str:
        return f"Reply({self.status} {self.reason!r}, {len(self.body)} bytes)"


class Transport:
    """Sends requests for one client.

    ``verify`` is True (system/certifi CAs, or ``REQUESTS_CA_BUNDLE`` when set), False, or the
    path of a CA bundle. ``fingerprint`` pins the server certificate's SHA-256 fingerprint; with
    the default ``verify=True`` the pin replaces CA verification (self-signed PVE nodes), with a
    CA path both must pass. ``retry`` is the RetryPolicy (``NO_RETRIES`` to turn retries off).
    """

    def __init__(
        self,
        *,
        verify: bool | str = True,
        fingerprint: str | None = None,
        retry: RetryPolicy | None = None,
        pool_maxsize: int = 10,
    ) -> None:
        self.verify = verify
        self.fingerprint = fingerprint
        self.retry = retry if retry is not None else RetryPolicy()
        adapter_kwargs: dict[str, Any] = {"pool_connections": 4, "pool_maxsize": pool_maxsize}
        if fingerprint is not None:
            self.adapter: HTTPAdapter = PinnedAdapter(fingerprint, **adapter_kwargs)
            self._verify: bool | str = verify if isinstance(verify, str) else False
        else:
            self.adapter = HTTPAdapter(**adapter_kwargs)
            self._verify = _effective_verify(verify)
        self._proxies: dict[str, dict[str, str]] = {}
        self._pools: dict[str, tuple[Any, bool]] = {}  # origin -> (urllib3 pool, full-URL target)
        self._timeouts: dict[Any, urllib3.Timeout] = {}

    # -- one exchange, with retries ---------------------------------------------------
    def send(
        self,
        method: str,
        url: str,
        *,
        query: list[tuple[str, str]] | None = None,
        form: list[tuple[str, str]] | None = None,
        headers: Mapping[str, str],
        cookies: Mapping[str, str] | None = None,
        timeout: float | tuple[float, float] | None,
        describe: str,
    ) -> Reply:
        """Send one request (retrying as the policy allows) and read the whole answer."""
        prepared = self._prepare(method, url, query, form, headers, cookies)
        policy = self.retry
        retry = 0
        while True:
            started = time.perf_counter()
            reply, failure = self._exchange(prepared, timeout, describe)
            if log.isEnabledFor(10):  # DEBUG; checked first so the hot path builds no strings
                self._log(method, describe, query, form, reply, failure, started)
            if failure is not None:
                if (
                    retry < policy.attempts
                    and not isinstance(failure, TLSError)
                    and policy.may_retry_error(method, failure.sent)
                ):
                    retry = self._wait(retry, describe, str(failure))
                    continue
                raise failure
            assert reply is not None
            if retry < policy.attempts and policy.may_retry_status(method, reply.status):
                retry = self._wait(retry, describe, f"HTTP {reply.status}")
                continue
            return reply

    def close(self) -> None:
        self.adapter.close()

    def __repr__(self) -> str:
        pin = ", fingerprint=<pinned>" if self.fingerprint else ""
        return f"Transport(verify={self.verify!r}{pin})"

    def __reduce__(self) -> Any:
        raise TypeError("a Transport holds open connections and cannot be pickled")

    # -- internals --------------------------------------------------------------------
    def _prepare(
        self,
        method: str,
        url: str,
        query: list[tuple[str, str]] | None,
        form: list[tuple[str, str]] | None,
        headers: Mapping[str, str],
        cookies: Mapping[str, str] | None,
    ) -> _Prepared:
        fields = dict(headers)
        fields["User-Agent"] = USER_AGENT
        if cookies:
            fields["Cookie"] = "; ".join(f"{k}={quote(v, safe=COOKIE_SAFE)}" for k, v in cookies.items())
        body: bytes | None = None
        if form is not None:
            body = urlencode(form).encode("utf-8")
            fields["Content-Type"] = _FORM
            fields["Content-Length"] = str(len(body))
        elif method != "GET":
            fields["Content-Length"] = "0"
        return _Prepared(method, f"{url}?{urlencode(query)}" if query else url, fields, body)

    def _exchange(
        self,
        prepared: _Prepared,
        timeout: float | tuple[float, float] | None,
        describe: str,
    ) -> tuple[Reply | None, ConnectionFailedError | None]:
        try:
            pool, target = self._pool_for(prepared.url)
            response = pool.urlopen(
                prepared.method,
                target,
                body=prepared.body,
                headers=prepared.headers,
                retries=_NO_URLLIB3_RETRIES,  # retries are decided here, knowing what was sent
                redirect=False,
                assert_same_host=False,
                timeout=self._timeouts.get(timeout) or self._timeout_for(timeout),
                preload_content=True,
                decode_content=True,
            )
        except urllib3.exceptions.MaxRetryError as err:
            return None, _failure(err.reason or err, describe, timeout)
        except (urllib3.exceptions.HTTPError, OSError) as err:
            if isinstance(err, urllib3.exceptions.ClosedPoolError):
                self._pools.clear()  # the pool manager dropped the pool: take a new one
            return None, _failure(err, describe, timeout)
        return Reply(response.status, response.reason or "", response.data, response.headers), None

    def _pool_for(self, url: str) -> tuple[Any, str]:
        """The connection pool for ``url``'s origin (TLS and proxy settings applied once) and
        the target to request from it (the path, or the full URL through a plain HTTP proxy)."""
        end = url.find("/", url.find("//") + 2)
        origin, path = (url, "/") if end < 0 else (url[:end], url[end:])
        cached = self._pools.get(origin)
        if cached is None or cached[0].pool is None:
            probe = requests.PreparedRequest()
            probe.prepare(method="GET", url=origin + "/")
            proxies = self._proxies_for(url)
            # the pool's TLS settings (CA bundle, CERT_NONE, the pin) come from its pool key
            pool = self.adapter.get_connection_with_tls_context(probe, self._verify, proxies=proxies)
            full_url = self.adapter.request_url(probe, proxies) != "/"
            cached = self._pools[origin] = (pool, full_url)
        return cached[0], (url if cached[1] else path)

    def _timeout_for(self, timeout: float | tuple[float, float] | None) -> urllib3.Timeout:
        connect, read = timeout if isinstance(timeout, tuple) else (timeout, timeout)
        made = self._timeouts[timeout] = urllib3.Timeout(connect=connect, read=read)
        return made

    def _proxies_for(self, url: str) -> dict[str, str]:
        # Proxy variables are read once per origin (scheme://host:port), not once per call.
        end = url.find("/", url.find("//") + 2)
        origin = url if end < 0 else url[:end]
        proxies = self._proxies.get(origin)
        if proxies is None:
            proxies = self._proxies[origin] = get_environ_proxies(origin)
        return proxies

    def _wait(self, retry: int, describe: str, why: str) -> int:
        delay = self.retry.delay(retry)
        log.info("%s: %s; retry %d of %d in %.2f s", describe, why, retry + 1, self.retry.attempts, delay)
        self.retry.sleep(delay)
        return retry + 1

    def _log(
        self,
        method: str,
        describe: str,
        query: list[tuple[str, str]] | None,
        form: list[tuple[str, str]] | None,
        reply: Reply | None,
        failure: ConnectionFailedError | None,
        started: float,
    ) -> None:
        params = redact_pairs(query if query else form)
        outcome = f"HTTP {reply.status}" if reply is not None else f"failed: {failure}"
        elapsed = (time.perf_counter() - started) * 1000
        log.debug("%s%s -> %s (%.1f ms)", describe, f" [{params}]" if params else "", outcome, elapsed)


def _effective_verify(verify: bool | str) -> bool | str:
    # requests' own rule for verify=True (honour REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE), but
    # never letting the environment override an explicit False or CA path.
    if verify is True:
        return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    return verify


def _failure(err: BaseException, describe: str, timeout: float | tuple[float, float] | None) -> ConnectionFailedError:
    """The client's error for a failed exchange, and whether the request may have been sent."""
    reason = _reason(err)
    if isinstance(err, urllib3.exceptions.ProxyError) and isinstance(err.original_error, BaseException):
        err = err.original_error  # judged by what went wrong on the way to the proxy
    if isinstance(err, urllib3.exceptions.SSLError | ssl.SSLError):
        return TLSError(f"{describe}: TLS failed: {reason}", sent=False)
    if isinstance(err, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ClosedPoolError):
        return ConnectionFailedError(f"{describe}: {reason}", sent=False)
    if isinstance(err, urllib3.exceptions.ConnectTimeoutError):
        return TimeoutError(f"{describe}: could not connect within {timeout} s", sent=False)
    if isinstance(err, urllib3.exceptions.ReadTimeoutError | socket.timeout):
        return TimeoutError(
            f"{describe}: no answer within {timeout} s (the request may have reached the server)",
            sent=True,
        )
    return ConnectionFailedError(f"{describe}: {reason} (the request may have reached the server)", sent=True)


def _reason(err: BaseException) -> str:
    # The innermost cause names the real problem (refused, certificate verify failed, ...).
    inner: BaseException = err
    seen = {id(inner)}
    while True:
        nxt = inner.__cause__ or inner.__context__
        if nxt is None and inner.args and isinstance(inner.args[-1], BaseException):
            nxt = inner.args[-1]
        if nxt is None or id(nxt) in seen:
            break
        seen.add(id(nxt))
        inner = nxt
    return type(inner).__name__ + (f": {inner}" if str(inner) else "")
