"""A local stand-in of the Stripe HTTP API (the parts GoLive calls), run on a loopback port so the real
`stripe` library talks to it over HTTP: Products, Prices, Checkout Sessions, PaymentIntents, Refunds.

It answers like Stripe (form-encoded requests with nested keys, JSON objects and Stripe's error body),
records every request, and can be told to fail, so tests see what the library really sent.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.live_server import free_port

API_KEY = "sk_test_standin_" + "k" * 24


def _id(prefix: str) -> str:
    return f"{prefix}_test_{secrets.token_hex(12)}"


def nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding back into objects: line_items[0][price_data][currency]=usd."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node: Any = root
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            following = None if last else parts[index + 1]
            container: Any = [] if following is not None and following.isdigit() else {}
            if isinstance(node, list):
                position = int(part)
                while len(node) <= position:
                    node.append(None)
                if last:
                    node[position] = value
                else:
                    node[position] = node[position] if node[position] is not None else container
                    node = node[position]
            else:
                if last:
                    node[part] = value
                else:
                    node = node.setdefault(part, container)
    return root


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, Any]
    idempotency_key: str | None


@dataclass
class Failure:
    path_prefix: str
    status: int
    times: int
    code: str = "resource_missing"


@dataclass
class StripeStandIn:
    base_url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    products: dict[str, dict[str, Any]] = field(default_factory=dict)
    prices: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    charges: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    _idempotent: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- what tests do ------------------------------------------------------------------------------

    def fail(self, path_prefix: str, status: int = 500, times: int = 1, code: str = "api_error") -> None:
        """The next `times` requests under path_prefix answer `status` (the library retries 5xx twice)."""
        self.failures.append(Failure(path_prefix, status, times, code))

    def made(self, path: str, method: str = "POST") -> list[Recorded]:
        return [r for r in self.requests if r.path == path and r.method == method]

    def pay(self, session_id: str, *, paid: bool = True, email: str = "payer@example.com") -> dict[str, Any]:
        """The customer finished Stripe's hosted page: the session completes with a payment intent."""
        session = self.sessions[session_id]
        intent_id = _id("pi")
        charge_id = _id("ch")
        metadata = dict(session.get("payment_intent_data", {}).get("metadata", {}))
        charge = {
            "id": charge_id,
            "object": "charge",
            "amount": session["amount_total"],
            "amount_refunded": 0,
            "currency": session["currency"],
            "payment_intent": intent_id,
            "metadata": metadata,
            "paid": paid,
            "refunded": False,
            "receipt_url": f"https://pay.stripe.test/receipts/{charge_id}",
            "payment_method_details": {"type": "card", "card": {"brand": "visa", "last4": "4242"}},
            "status": "succeeded" if paid else "pending",
        }
        self.charges[charge_id] = charge
        self.intents[intent_id] = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": session["amount_total"],
            "currency": session["currency"],
            "metadata": metadata,
            "latest_charge": charge_id,
            "status": "succeeded" if paid else "processing",
        }
        session.update(
            status="complete",
            payment_status="paid" if paid else "unpaid",
            payment_intent=intent_id,
            customer_details={"email": email},
        )
        return dict(session)

    def charge_of(self, session_id: str) -> dict[str, Any]:
        intent = self.intents[self.sessions[session_id]["payment_intent"]]
        return dict(self.charges[intent["latest_charge"]])

    # --- the HTTP API -------------------------------------------------------------------------------

    async def handle(self, request: Request) -> JSONResponse:
        if request.headers.get("authorization") != f"Bearer {API_KEY}":
            return _error(401, "invalid_request_error", "api_key_invalid", "Invalid API Key provided")
        body = (await request.body()).decode()
        params = nest(parse_qsl(body or request.url.query, keep_blank_values=True))
        path = request.url.path
        key = request.headers.get("idempotency-key")
        with self._lock:
            self.requests.append(Recorded(request.method, path, params, key))
            for failure in self.failures:
                if failure.times > 0 and path.startswith(failure.path_prefix):
                    failure.times -= 1
                    kind = "api_error" if failure.status >= 500 else "invalid_request_error"
                    return _error(failure.status, kind, failure.code, "The stand-in was told to fail")
            if key and key in self._idempotent:
                return JSONResponse(self._idempotent[key])
            answer = self._route(request.method, path, params)
            if isinstance(answer, JSONResponse):
                return answer
            if key:
                self._idempotent[key] = answer
            return JSONResponse(answer)

    def _route(self, method: str, path: str, params: dict[str, Any]) -> dict[str, Any] | JSONResponse:
        parts = path.strip("/").split("/")
        if method == "POST" and path == "/v1/products":
            product = {
                "id": _id("prod"),
                "object": "product",
                "name": params["name"],
                "metadata": params.get("metadata", {}),
            }
            self.products[product["id"]] = product
            return product
        if method == "POST" and parts[:2] == ["v1", "products"] and len(parts) == 3:
            found = self.products.get(parts[2])
            if found is None:
                return _error(404, "invalid_request_error", "resource_missing", "No such product")
            found.update({key: value for key, value in params.items() if key in ("name", "metadata")})
            return found
        if method == "POST" and path == "/v1/prices":
            if params.get("product") not in self.products:
                return _error(400, "invalid_request_error", "resource_missing", "No such product")
            price = {
                "id": _id("price"),
                "object": "price",
                "product": params["product"],
                "unit_amount": int(params["unit_amount"]),
                "currency": params["currency"],
            }
            self.prices[price["id"]] = price
            return price
        if method == "POST" and path == "/v1/checkout/sessions":
            return self._create_session(params)
        if method == "GET" and parts[:3] == ["v1", "checkout", "sessions"] and len(parts) == 4:
            found = self.sessions.get(parts[3])
            return found if found else _error(404, "invalid_request_error", "resource_missing", "No such session")
        if method == "GET" and parts[:2] == ["v1", "payment_intents"] and len(parts) == 3:
            intent = self.intents.get(parts[2])
            if intent is None:
                return _error(404, "invalid_request_error", "resource_missing", "No such payment_intent")
            answer = dict(intent)
            if "latest_charge" in (params.get("expand") or []):
                answer["latest_charge"] = self.charges[intent["latest_charge"]]
            return answer
        if method == "POST" and path == "/v1/refunds":
            return self._refund(params)
        return _error(404, "invalid_request_error", "resource_missing", f"Unrecognized request URL ({method} {path})")

    def _create_session(self, params: dict[str, Any]) -> dict[str, Any] | JSONResponse:
        item = params["line_items"][0]
        if "price" in item:
            price = self.prices.get(item["price"])
            if price is None:
                return _error(400, "invalid_request_error", "resource_missing", "No such price")
            amount, currency = price["unit_amount"], price["currency"]
        else:
            amount, currency = int(item["price_data"]["unit_amount"]), item["price_data"]["currency"]
        session_id = _id("cs")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "amount_total": amount,
            "currency": currency,
            "client_reference_id": params.get("client_reference_id"),
            "customer": None,
            "customer_details": None,
            "customer_email": params.get("customer_email"),
            "expires_at": int(params.get("expires_at") or time.time() + 86400),
            "metadata": params.get("metadata", {}),
            "mode": params["mode"],
            "payment_intent": None,
            "payment_intent_data": params.get("payment_intent_data", {}),
            "payment_status": "unpaid",
            "status": "open",
            "success_url": params["success_url"],
            "cancel_url": params["cancel_url"],
            "line_items": params["line_items"],
            "url": f"https://checkout.stripe.test/c/pay/{session_id}",
        }
        self.sessions[session_id] = session
        return session

    def _refund(self, params: dict[str, Any]) -> dict[str, Any] | JSONResponse:
        intent = self.intents.get(params.get("payment_intent", ""))
        if intent is None:
            return _error(400, "invalid_request_error", "resource_missing", "No such payment_intent")
        charge = self.charges[intent["latest_charge"]]
        amount = int(params.get("amount") or charge["amount"] - charge["amount_refunded"])
        if charge["amount_refunded"] + amount > charge["amount"]:
            return _error(400, "invalid_request_error", "charge_already_refunded", "Charge has already been refunded.")
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] >= charge["amount"]
        refund = {
            "id": _id("re"),
            "object": "refund",
            "amount": amount,
            "charge": charge["id"],
            "currency": charge["currency"],
            "metadata": params.get("metadata", {}),
            "payment_intent": intent["id"],
            "status": "succeeded",
        }
        self.refunds[refund["id"]] = refund
        return refund


def _error(status: int, kind: str, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"type": kind, "code": code, "message": message}}, status_code=status)


@contextmanager
def stripe_standin() -> Iterator[StripeStandIn]:
    standin = StripeStandIn()
    methods = ["GET", "POST", "DELETE"]
    app = Starlette(routes=[Route("/{path:path}", standin.handle, methods=methods)])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the Stripe stand-in did not start")
        time.sleep(0.02)
    standin.base_url = f"http://127.0.0.1:{port}"
    try:
        yield standin
    finally:
        server.should_exit = True
        thread.join(timeout=10)
