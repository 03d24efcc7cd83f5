"""HTTP exchanges: TLS settings, pinning, timeouts and retries, decided once per client.

Every request of a client goes through ``Transport.send``: typed calls, raw ones, logins, and
streamed uploads and downloads alike, so all of them share the retry policy, the debug log,
the proxies, TLS and the error messages.

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
(which may hold the request with its headers) is chained to them; their words come from
``failures.py``.
"""

from __future__ import annotations

import http.client
import os
import time
from collections.abc import Iterator, Mapping
from typing import Any, Protocol
from urllib.parse import quote, urlencode

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.utils import get_environ_proxies

from .errors import ConnectionFailedError, TLSError
from .failures import connection_failure
from .neterrors import connection_reason
from .redact import log, redact_pairs
from .reply import Reply
from .retry import RetryPolicy
from .tls import PinnedAdapter

__all__ = ["USER_AGENT", "Body", "Reply", "StreamedReply", "Transport", "encode_cookies"]

_FORM = "application/x-www-form-urlencoded"
_NO_URLLIB3_RETRIES = urllib3.Retry(total=0, read=False, redirect=False)
# Ticket characters sent as they are; anything else is percent-encoded (PVE unescapes cookies).
_COOKIE_SAFE = ":@+/=!"
USER_AGENT = "pvegen-client"
Timeout = float | tuple[float, float] | None


class Body(Protocol):
    """A request body sent as it is read: its exact length first, then its blocks. It must be
    iterable more than once (each try starts from the beginning), as ``MultipartBody`` is."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[bytes]: ...


def encode_cookies(cookies: Mapping[str, str]) -> str:
    """The ``Cookie`` header for ``cookies`` (PVE's ticket cookie keeps ``:@+/=!`` as they are)."""
    return "; ".join(f"{name}={quote(value, safe=_COOKIE_SAFE)}" for name, value in cookies.items())


class _Prepared:
    """A request ready to send: method, full URL, headers and body, built once for all tries."""

    __slots__ = ("body", "headers", "method", "url")

    def __init__(self, method: str, url: str, headers: dict[str, str], body: bytes | Body | None) -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body


class StreamedReply(Reply):
    """An answer whose body is read as it arrives (``iter_bytes``) or at once (``read``); close it
    (or use it as a context manager) when done, so its connection goes back to the pool."""

    __slots__ = ("_describe", "_finished", "_response")

    def __init__(self, response: Any, describe: str) -> None:
        super().__init__(response.status, response.reason or "", b"", response.headers)
        self._response = response
        self._describe = describe
        self._finished = False

    def iter_bytes(self, chunk_size: int) -> Iterator[bytes]:
        """The body in blocks of up to ``chunk_size`` bytes; ``ConnectionFailedError`` when the
        answer breaks off (the request did reach the server: it answered)."""
        received = 0
        try:
            for block in self._response.stream(chunk_size, decode_content=True):
                received += len(block)
                yield block
        except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as err:
            failure = ConnectionFailedError(
                f"{self._describe}: the answer broke off after {received} bytes: {connection_reason(err)}", sent=True
            )
        else:
            self._finished = True
            return
        raise failure  # outside the except block: nothing of urllib3 is chained

    def read(self) -> bytes:
        """The whole (rest of the) body; for small answers such as an upload's."""
        self.body = b"".join(self.iter_bytes(1 << 16))
        return self.body

    def close(self) -> None:
        if not self._finished:
            self._response.close()  # an unread body is not drained: the connection is dropped
        self._response.release_conn()

    def __enter__(self) -> StreamedReply:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
        body: bytes | Body | None = None,
        headers: Mapping[str, str],
        cookies: Mapping[str, str] | None = None,
        timeout: Timeout,
        describe: str,
        stream: bool = False,
    ) -> Reply:
        """Send one request (retrying as the policy allows). The answer is read whole, or with
        ``stream=True`` handed back as a ``StreamedReply`` whose body is still to be read.

        ``form`` is sent url-encoded; ``body`` (with its ``Content-Type`` in ``headers``) as it
        is, with an exact ``Content-Length``."""
        prepared = self._prepare(method, url, query, form, body, headers, cookies)
        policy = self.retry
        retry = 0
        while True:
            started = time.perf_counter()
            reply, failure = self._exchange(prepared, timeout, describe, stream)
            if log.isEnabledFor(10):  # DEBUG; checked first so the hot path builds no strings
                self._log(describe, query, form, body, reply, failure, started)
            if failure is not None:
                if (
                    retry < policy.attempts
                    and not isinstance(failure, TLSError)
                    and policy.may_retry_error(method, failure.sent)
                ):
                    retry = self._wait(retry, describe, str(failure), None)
                    continue
                raise failure
            assert reply is not None
            if retry < policy.attempts and policy.may_retry_status(method, reply.status):
                if isinstance(reply, StreamedReply):
                    reply.close()
                retry = self._wait(retry, describe, f"HTTP {reply.status}", reply.headers.get("Retry-After"))
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
        body: bytes | Body | None,
        headers: Mapping[str, str],
        cookies: Mapping[str, str] | None,
    ) -> _Prepared:
        fields = dict(headers)
        fields["User-Agent"] = USER_AGENT
        if cookies:
            fields["Cookie"] = encode_cookies(cookies)
        if form is not None:
            body = urlencode(form).encode("utf-8")
            fields["Content-Type"] = _FORM
        if body is not None:
            fields["Content-Length"] = str(len(body))
        elif method != "GET":
            fields["Content-Length"] = "0"
        return _Prepared(method, f"{url}?{urlencode(query)}" if query else url, fields, body)

    def _exchange(
        self, prepared: _Prepared, timeout: Timeout, describe: str, stream: bool
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
                preload_content=not stream,
                decode_content=True,
                chunked=False,  # the length is always known: PVE's proxy wants it
            )
        except urllib3.exceptions.MaxRetryError as err:
            return None, self._failure(err.reason or err, prepared.url, describe, timeout)
        except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as err:
            if isinstance(err, urllib3.exceptions.ClosedPoolError):
                self._pools.clear()  # the pool manager dropped the pool: take a new one
            return None, self._failure(err, prepared.url, describe, timeout)
        if stream:
            return StreamedReply(response, describe), None
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

    def _timeout_for(self, timeout: Timeout) -> urllib3.Timeout:
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

    def _wait(self, retry: int, describe: str, why: str, retry_after: str | None) -> int:
        delay = self.retry.delay(retry, retry_after)
        log.info("%s: %s; retry %d of %d in %.2f s", describe, why, retry + 1, self.retry.attempts, delay)
        self.retry.sleep(delay)
        return retry + 1

    def _log(
        self,
        describe: str,
        query: list[tuple[str, str]] | None,
        form: list[tuple[str, str]] | None,
        body: bytes | Body | None,
        reply: Reply | None,
        failure: ConnectionFailedError | None,
        started: float,
    ) -> None:
        params = redact_pairs(query if query else form)
        if body is not None and form is None:
            params = f"{params}, " if params else ""
            params += f"body of {len(body)} bytes"
        outcome = f"HTTP {reply.status}" if reply is not None else f"failed: {failure}"
        elapsed = (time.perf_counter() - started) * 1000
        log.debug("%s%s -> %s (%.1f ms)", describe, f" [{params}]" if params else "", outcome, elapsed)

    def _failure(self, err: BaseException, url: str, describe: str, timeout: Timeout) -> ConnectionFailedError:
        # a certificate is read for the error message only over a direct connection, not a proxy
        return connection_failure(err, url, describe, timeout, direct=not self._proxies_for(url))


def _effective_verify(verify: bool | str) -> bool | str:
    # requests' own rule for verify=True (honour REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE), but
    # never letting the environment override an explicit False or CA path.
    if verify is True:
        return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    return verify
