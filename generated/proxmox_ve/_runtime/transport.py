"""One HTTP exchange over requests, with TLS verification passed explicitly every time.

requests ignores ``Session.verify`` when REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE is set (the
environment wins over the session), so the choice (True, False or a CA-bundle path) goes on
every call instead. Retries, pinning and uploads plug in by replacing or wrapping Transport.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import requests

from .errors import ConnectionFailedError, TimeoutError

__all__ = ["Reply", "Transport"]


@dataclass(frozen=True)
class Reply:
    status: int
    reason: str
    body: bytes


class Transport:
    """Sends requests; ``verify`` is True, False or the path of a CA bundle."""

    def __init__(
        self, *, verify: bool | str = True, session: requests.Session | None = None
    ) -> None:
        self.verify = verify
        self.session = session if session is not None else requests.Session()

    def send(
        self,
        method: str,
        url: str,
        *,
        query: list[tuple[str, str]] | None = None,
        form: list[tuple[str, str]] | None = None,
        headers: Mapping[str, str],
        cookies: Mapping[str, str],
        timeout: float | tuple[float, float] | None,
        describe: str,
    ) -> Reply:
        try:
            response = self.session.request(
                method,
                url,
                params=query,
                data=form,
                headers=dict(headers),
                cookies=dict(cookies),
                timeout=timeout,
                verify=self.verify,
                allow_redirects=False,
            )
        except requests.Timeout:
            raise TimeoutError(f"{describe}: no answer within {timeout} s") from None
        except requests.exceptions.SSLError as err:
            raise ConnectionFailedError(f"{describe}: TLS failed: {_reason(err)}") from None
        except requests.RequestException as err:
            raise ConnectionFailedError(f"{describe}: {_reason(err)}") from None
        return Reply(response.status_code, response.reason or "", response.content)

    def close(self) -> None:
        self.session.close()

    def __repr__(self) -> str:
        return f"Transport(verify={self.verify!r})"


def _reason(err: Exception) -> str:
    # The innermost cause names the real problem (refused, certificate verify failed, ...).
    inner: BaseException = err
    while inner.__context__ is not None and inner.__context__ is not inner:
        inner = inner.__context__
    return type(inner).__name__ + (f": {inner}" if str(inner) else "")
