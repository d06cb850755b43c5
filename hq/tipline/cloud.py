"""The WhatsApp Cloud API as the relay calls it: send a text or a template, fetch a media file.

Runs on the relay's worker thread (blocking ``requests``). Errors are reported by HTTP status or
exception class only: the API's error text can quote the recipient's number, so it is never logged
or stored (``CloudError.code``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

SEND_TIMEOUT_S = 15.0
MEDIA_TIMEOUT_S = 60.0
CHUNK_BYTES = 64 * 1024


class CloudError(Exception):
    """A Cloud API call failed. ``code`` is safe to store: an HTTP status or an exception's class."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class TooLargeMedia(CloudError):
    pass


@dataclass(frozen=True)
class MediaInfo:
    url: str
    mime_type: str  # as the API claims it; the relay does not trust it (hq.tipline.media sniffs)
    file_size: int | None


class CloudAPI:
    def __init__(self, graph_url: str, phone_number_id: str, access_token: str):
        self._graph = graph_url.rstrip("/")
        self._phone_id = phone_number_id
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {access_token}"

    def __repr__(self) -> str:
        return f"CloudAPI({self._graph!r})"

    def close(self) -> None:
        self._session.close()

    def _post(self, body: dict[str, Any]) -> str:
        try:
            r = self._session.post(f"{self._graph}/{self._phone_id}/messages", json=body, timeout=SEND_TIMEOUT_S)
        except requests.RequestException as exc:
            raise CloudError(type(exc).__name__) from None
        if r.status_code >= 300:
            raise CloudError(f"http_{r.status_code}")
        try:
            return str(r.json()["messages"][0]["id"])
        except (ValueError, KeyError, IndexError, TypeError):
            return ""

    def send_text(self, to: str, text: str) -> str:
        """Send a text reply (inside the 24-hour window); returns WhatsApp's message id."""
        return self._post(
            {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, "type": "text",
             "text": {"preview_url": False, "body": text}}
        )  # fmt: skip

    def send_template(self, to: str, name: str, language: str, params: list[str]) -> str:
        """Send an approved template (outside the 24-hour window, when free text is not allowed)."""
        components = [{"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}] if params else []
        return self._post(
            {"messaging_product": "whatsapp", "to": to, "type": "template",
             "template": {"name": name, "language": {"code": language}, "components": components}}
        )  # fmt: skip

    def media_info(self, media_id: str) -> MediaInfo:
        try:
            r = self._session.get(f"{self._graph}/{media_id}", timeout=SEND_TIMEOUT_S)
        except requests.RequestException as exc:
            raise CloudError(type(exc).__name__) from None
        if r.status_code != 200:
            raise CloudError(f"http_{r.status_code}")
        try:
            data = r.json()
            size = data.get("file_size")
            return MediaInfo(str(data["url"]), str(data.get("mime_type", "")), int(size) if size is not None else None)
        except (ValueError, KeyError, TypeError):
            raise CloudError("bad_media_info") from None

    def download(self, url: str, max_bytes: int) -> bytes:
        """The file's bytes, refused (``TooLargeMedia``) as soon as it passes ``max_bytes``."""
        try:
            with self._session.get(url, timeout=MEDIA_TIMEOUT_S, stream=True) as r:
                if r.status_code != 200:
                    raise CloudError(f"http_{r.status_code}")
                declared = r.headers.get("Content-Length")
                if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                    raise TooLargeMedia("too_large")
                parts: list[bytes] = []
                total = 0
                for chunk in r.iter_content(CHUNK_BYTES):
                    total += len(chunk)
                    if total > max_bytes:
                        raise TooLargeMedia("too_large")
                    parts.append(chunk)
                return b"".join(parts)
        except requests.RequestException as exc:
            raise CloudError(type(exc).__name__) from None


__all__ = ["CloudAPI", "CloudError", "MediaInfo", "TooLargeMedia"]
