"""What goes between the Shopify Admin client and the store simulator: every GraphQL document
is recorded and forwarded over real HTTP, unless the test has it refused or its reply lost."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class Wire(httpx.BaseTransport):
    # An answer that `refuse` gives is sent back instead of forwarding the document.
    refuse: Callable[[str], dict[str, Any] | None] = lambda document: None
    # A document `lose` picks is forwarded, but its first reply is replaced by a 502, as a
    # proxy that lost the connection to Shopify after the request reached it would answer.
    lose: Callable[[str], bool] = lambda document: False
    documents: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)  # the requests whose reply was lost
    inner: httpx.HTTPTransport = field(default_factory=httpx.HTTPTransport)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        document = json.loads(body)["query"]
        self.documents.append(document)
        answer = self.refuse(document)
        if answer is not None:
            return httpx.Response(200, json=answer)
        response = self.inner.handle_request(request)
        if self.lose(document) and body.decode() not in self.lost:
            response.read()
            self.lost.append(body.decode())
            return httpx.Response(502, text="<html>502 Bad Gateway</html>")
        return response
