"""Viewer admission (seed 000 section 5.1): the event's gate, the viewer upsert, the access token.

Every successful call upserts the Viewer on (eventId, clientViewerId) in one statement; refused
calls (bad input, wrong password or code, throttled) change no row.
"""

from __future__ import annotations

import dataclasses
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from golive.access import (
    admission_inputs,
    admission_writer,
    complimentary,
    entitlements,
    payment_posture,
    person_writer,
    repository,
)
from golive.access.decide import Action, Reason, Standing, Target, evaluate, standing_from
from golive.access.device import device_type
from golive.access.entitlements import GrantSpec
from golive.access.event_passwords import check_password
from golive.access.forms import clean_form_data, registrant_identity
from golive.access.gates import Gate, gate_for
from golive.access.grant_models import GrantFacts, GrantSource, ScopeKind, SubjectKind
from golive.access.hooks import open_checkout_url
from golive.access.models import Viewer
from golive.access.payment_posture import Device, DevicePayment
from golive.access.repository import AdmissionWrite, ViewerState
from golive.access.schemas import RegistrationRequest
from golive.access.signed_in import SignedInViewer, account_and_device_grants
from golive.email import service as email_service
from golive.email.models import EmailStatus
from golive.email.templates import access_code_email
from golive.events.models import AccessType, Event
from golive.platform.context import AppContext
from golive.platform.db import utcnow
from golive.platform.errors import Forbidden, ServiceUnavailable
from golive.platform.ratelimit import network_key

VIEWER_TOKEN_PURPOSE = "viewer"
CODE_REQUEST_SCOPE = "viewer-email-code"
ACCESS_CODE_EMAIL = "access_code"

# The gates whose viewers give no email of their own: only a payment's email can bring them back.
EMAILLESS_GATES = frozenset({AccessType.ANONYMOUS, AccessType.PASSWORD})
# The gates a signed-in account with a verified email clears by itself.
ACCOUNT_CLEARS = frozenset({AccessType.EMAIL, AccessType.ACCOUNT})


@dataclass(frozen=True)
class Visitor:
    """Where an admission call comes from, and the account it is signed in with, if any."""

    ip: str
    user_agent: str
    account: SignedInViewer | None = None


@dataclass(frozen=True)
class ViewerIdentity:
    """Who a viewer token speaks for."""

    viewer_id: str
    event_id: str


@dataclass(frozen=True)
class PaidOverlay:
    requires_payment: bool
    checkout_url: str | None


@dataclass(frozen=True)
class Admission:
    viewer: ViewerState
    access_verified: bool
    token: str | None
    overlay: PaidOverlay
    code_sent: bool
    payment: DevicePayment


# --- tokens and the playback check (used by other domains) ------------------------------------


def issue_viewer_token(ctx: AppContext, viewer_id: str, event_id: str) -> str:
    return ctx.tokens.dumps(VIEWER_TOKEN_PURPOSE, {"vid": viewer_id, "eid": event_id})


def read_viewer_token(ctx: AppContext, token: str) -> ViewerIdentity | None:
    """The identity in a viewer token, or None when it is forged, foreign or older than viewer_token_minutes."""
    payload = ctx.tokens.loads(VIEWER_TOKEN_PURPOSE, token, ctx.settings.viewer_token_minutes * 60)
    if payload is None or not isinstance(payload.get("vid"), str) or not isinstance(payload.get("eid"), str):
        return None
    return ViewerIdentity(viewer_id=payload["vid"], event_id=payload["eid"])


async def get_viewer(session: AsyncSession, viewer_id: str) -> Viewer | None:
    return await repository.get_viewer(session, viewer_id)


def admits_viewers(event: Event) -> bool:
    return event.status in admission_inputs.ADMITTING_STATUSES


def gate_target(gate: Gate) -> Target:
    return Target(
        ScopeKind.EVENT, gate.event_id, gate.status, gate.access_type, gate.is_paid_event, gate.content_rating
    )


async def device_grants(ctx: AppContext, gate: Gate, viewer: ViewerState) -> tuple[GrantFacts, ...]:
    """The admitted browser's grants on the event: those its admission's own write read back (the hot path),
    else a read of them."""
    if viewer.grants is not None:
        return viewer.grants
    async with ctx.db.sessionmaker() as session:
        held = await entitlements.grants_of(
            session, [(SubjectKind.GUEST, viewer.client_viewer_id)], ScopeKind.EVENT, gate.event_id
        )
    return tuple(held)


async def device_standing(ctx: AppContext, gate: Gate, viewer: ViewerState) -> Standing:
    """`decide`'s answer for the admitted browser."""
    return standing_from(gate_target(gate), await device_grants(ctx, gate, viewer))


# --- the paid overlay: the checkout of a paid event -------------------------------------------


async def paid_overlay(ctx: AppContext, gate: Gate, viewer: ViewerState, owes_payment: bool) -> PaidOverlay:
    """What an admitted viewer still owes: for a paid event not yet paid, the payment, and the viewer's
    checkout if one is open. Admission opens none: the viewer's "Pay" does (POST .../checkout)."""
    if not owes_payment:
        return PaidOverlay(requires_payment=False, checkout_url=None)
    url = await open_checkout_url.call(ctx, gate.event_id, viewer.viewer_id)  # commerce builds on access
    return PaidOverlay(requires_payment=True, checkout_url=url)


# --- admission --------------------------------------------------------------------------------


async def admit(ctx: AppContext, body: RegistrationRequest, visitor: Visitor) -> Admission:
    """Runs the event's gate for this browser. Sent only eventId and clientViewerId, it is the re-entry check."""
    gate = await gate_for(ctx.db, body.event_id, ctx.settings.public_cache_seconds)
    admission_inputs.check_admitting(gate)
    _check_rating(gate, visitor)
    admission_inputs.check_inputs_fit(gate, body)
    email = admission_inputs.normalized_email(body.email)

    if gate.access_type == AccessType.FORM and body.form_data is not None:
        cleaned = clean_form_data(gate.form_fields, body.form_data)
        form_email, name = registrant_identity(gate.form_fields, cleaned)
        admission = _admission_values(
            gate, body, visitor, verified=True, email=form_email, name=name, form_data=cleaned
        )
        if form_email is not None:
            return await _register_person(ctx, gate, body, visitor, admission, form_email)
        return await _finish(ctx, gate, visitor, await _upsert_alone(ctx, admission))
    if gate.access_type == AccessType.PASSWORD and body.password is not None:
        await check_password(ctx, gate, body.client_viewer_id, body.password, visitor.ip)
        return await _finish(
            ctx, gate, visitor, await _upsert_alone(ctx, _admission_values(gate, body, visitor, verified=True))
        )
    account = visitor.account
    if account is not None and account.email_verified and gate.access_type in ACCOUNT_CLEARS and email is None:
        # the account's proved address clears an email gate as its emailed code would, and the account gate
        proved = _admission_values(gate, body, visitor, verified=True, email=account.email, name=account.name or None)
        return await _finish(ctx, gate, visitor, await _upsert_alone(ctx, proved))
    if email is not None:
        async with ctx.db.sessionmaker() as session:
            if body.code is not None:
                return await _admit_with_code(ctx, session, gate, body, visitor, email, body.code)
            return await _request_code(ctx, session, gate, body, visitor, email)
    # Anonymous events admit on any call; the other gates answer the re-entry check.
    verified = gate.access_type == AccessType.ANONYMOUS
    return await _finish(
        ctx, gate, visitor, await _upsert_alone(ctx, _admission_values(gate, body, visitor, verified=verified))
    )


def _check_rating(gate: Gate, visitor: Visitor) -> None:
    """A profile limited below the event's age rating is refused before anything is written: the rule's first
    question, asked of decide's own rule (with no grants, a rating refusal is the only one it answers first)."""
    limit = visitor.account.max_rating if visitor.account is not None else None
    if limit is None:
        return
    decision = evaluate(gate_target(gate), (), Action.WATCH, utcnow(), limit)
    if decision.reason == Reason.RATING_RESTRICTED:
        raise Forbidden(decision.message, code="not_admitted", details={"reason": decision.reason.value})


async def _register_person(
    ctx: AppContext, gate: Gate, body: RegistrationRequest, visitor: Visitor, admission: AdmissionWrite, email: str
) -> Admission:
    """One person is one registration per event. An address nobody registered with registers this device;
    a device that already holds the address's registration updates its answers (on every device of that
    person); any other device must prove the address with the emailed code, as "continue with your
    email" does, and changes nothing until it does. Parallel submissions of one address make one person
    (PostgreSQL: an advisory lock per address, then the write before the check; SQLite: the writer thread
    takes them one at a time)."""
    viewer = await person_writer.register_person(ctx.db, admission, email)
    if viewer is None:  # another device registered the address: this one proves it with the emailed code
        async with ctx.db.sessionmaker() as session:
            return await _request_code(ctx, session, gate, body, visitor, email)
    return await _finish(ctx, gate, visitor, viewer)


async def _upsert_alone(ctx: AppContext, admission: AdmissionWrite) -> ViewerState:
    """The hot path: one autocommitted statement, no transaction round trips around it."""
    return await admission_writer.upsert_viewer_alone(ctx.db, admission)


async def _upsert_in(session: AsyncSession, admission: AdmissionWrite, payment_id: str | None = None) -> ViewerState:
    """The same upsert inside a unit of work (with the code spent in the same commit); with a payment, the
    browser's own payment grant on it (a payer's new device)."""
    connection = await session.connection()
    viewer = await repository.upsert_viewer(connection, admission)
    if payment_id is not None:
        spec = GrantSpec(
            SubjectKind.GUEST,
            admission.client_viewer_id,
            ScopeKind.EVENT,
            admission.event_id,
            GrantSource.PAYMENT,
            payment_id,
            created_by=f"viewer:{viewer.viewer_id}",
        )
        await entitlements.hold(connection, spec)
    viewer = await _with_grants(session, admission, viewer, read=True)
    await session.commit()
    return viewer


async def _with_grants(
    session: AsyncSession, admission: AdmissionWrite, viewer: ViewerState, *, read: bool = False
) -> ViewerState:
    """The device's grants read in the admission's own unit of work, so its answer needs no session of its own;
    an answer that stands on its write (`repository.answered_by_its_write`) has the gate grant it just held,
    unless `read` (the unit of work held other grants too)."""
    held_gate = repository.held_gate_grant(admission, viewer.viewer_id)
    if held_gate is not None and not read and repository.answered_by_its_write(admission):
        return repository.with_grants(viewer, (held_gate,))
    held = await entitlements.grants_of(
        session, [(SubjectKind.GUEST, viewer.client_viewer_id)], ScopeKind.EVENT, admission.event_id
    )
    return repository.with_grants(viewer, tuple(held))


def _admission_values(
    gate: Gate,
    body: RegistrationRequest,
    visitor: Visitor,
    *,
    verified: bool,
    email: str | None = None,
    name: str | None = None,
    form_data: dict[str, Any] | None = None,
) -> AdmissionWrite:
    user_agent = visitor.user_agent.replace("\x00", "")[:512]
    return AdmissionWrite(
        event_id=gate.event_id,
        client_viewer_id=body.client_viewer_id,
        access_mode=gate.access_type,
        verified=verified,
        event_is_paid=gate.is_paid_event,
        device_type=device_type(user_agent),
        user_agent=user_agent,
        ip_address=visitor.ip[:45],
        email=email,
        name=name,
        form_data=form_data,
    )


async def _finish(
    ctx: AppContext, gate: Gate, visitor: Visitor, viewer: ViewerState, *, code_sent: bool = False
) -> Admission:
    """The answer, from `decide`: a token only for a viewer who cleared the event's current gate (the browser
    or the account it is signed in with)."""
    if visitor.account is None:
        grants = await device_grants(ctx, gate, viewer)
    else:
        grants = await account_and_device_grants(ctx, gate, viewer, visitor.account)
    answer = standing_from(
        gate_target(gate), grants, max_rating=visitor.account.max_rating if visitor.account else None
    )
    device = Device(viewer.viewer_id, viewer.client_viewer_id)
    payment = await payment_posture.admitted_payment(ctx, gate, device, grants)
    if not answer.cleared_gate:
        return Admission(viewer, False, None, PaidOverlay(False, None), code_sent, payment)
    if code_sent:  # busy with the emailed code: the paywall comes after it
        overlay = PaidOverlay(requires_payment=answer.owes_payment, checkout_url=None)
    else:
        overlay = await paid_overlay(ctx, gate, viewer, answer.owes_payment)
    token = issue_viewer_token(ctx, viewer.viewer_id, gate.event_id)
    return Admission(viewer, True, token, overlay, code_sent, payment)


# --- email codes -------------------------------------------------------------------------------


def _code_hash(ctx: AppContext, event_id: str, email: str, code: str) -> str:
    """Codes are stored as keyed digests: a leaked table reveals no usable code."""
    return ctx.tokens.mac("email-code", f"{event_id}:{email}:{code}")


def _refuse_code(code: str, message: str) -> Forbidden:
    return Forbidden(message, code=code, details={"fields": {"code": message}})


async def _request_code(
    ctx: AppContext, session: AsyncSession, gate: Gate, body: RegistrationRequest, visitor: Visitor, email: str
) -> Admission:
    """A code for an address that may have one (`_may_receive_code`); the answer says codeSent either
    way, so the endpoint does not reveal who registered or paid."""
    settings = ctx.settings
    window = settings.email_code_request_window_seconds

    message = "Too many codes requested; wait before asking for another"
    budgets = [
        (f"email:{gate.event_id}:{email}", settings.email_code_max_requests),
        (f"ip:{network_key(visitor.ip)}", settings.email_code_max_requests_per_ip),
    ]
    await ctx.limiter.acquire(CODE_REQUEST_SCOPE, budgets, window, message)

    viewer = await _upsert_in(session, _admission_values(gate, body, visitor, verified=False))
    if (await device_standing(ctx, gate, viewer)).watch.entitled:
        return await _finish(ctx, gate, visitor, viewer)  # this browser already cleared the gate (and paid)
    code = f"{secrets.randbelow(10**6):06d}"
    expires_at = utcnow() + timedelta(minutes=settings.email_code_minutes)
    if not await _may_receive_code(session, gate, email):
        # A code nobody receives (not even six digits): wrong guesses at this address are then answered
        # exactly like guesses at an address that got a real code, so neither reveals who registered or paid.
        decoy = _code_hash(ctx, gate.event_id, email, secrets.token_hex(16))
        await repository.store_email_code(session, gate.event_id, email, decoy, expires_at)
        await session.commit()
        return await _finish(ctx, gate, visitor, viewer, code_sent=True)

    await repository.store_email_code(
        session, gate.event_id, email, _code_hash(ctx, gate.event_id, email, code), expires_at
    )
    await session.commit()
    page = body.return_path or f"/e/{gate.event_id}"
    link = f"{settings.base_url}{page}?{urlencode({'email': email, 'code': code})}"
    content = access_code_email(title=gate.title, code=code, link=link, minutes=settings.email_code_minutes)
    outgoing = email_service.OutgoingEmail(
        to=email, email_type=ACCESS_CODE_EMAIL, content=content, event_id=gate.event_id, viewer_id=viewer.viewer_id
    )
    sent = await email_service.send_email(ctx, outgoing)
    if sent.status == EmailStatus.FAILED:
        raise ServiceUnavailable(
            "We could not send the email right now; please try again in a minute", code="email_not_sent"
        )
    return await _finish(ctx, gate, visitor, viewer, code_sent=True)


async def _may_receive_code(session: AsyncSession, gate: Gate, email: str) -> bool:
    """Email events: any address. Form events: an address that registered. Anonymous and password
    events: an address that paid, since the payment is what is restored. Every gate: an address an admin
    gave complimentary access."""
    if (
        gate.access_type == AccessType.EMAIL
        or await complimentary.address_grant(session, gate.event_id, email) is not None
    ):
        return True
    registrant = await repository.find_registrant(session, gate.event_id, email)
    if gate.access_type in EMAILLESS_GATES:
        return registrant is not None and registrant.payment_id is not None
    return registrant is not None


async def _admit_with_code(
    ctx: AppContext,
    session: AsyncSession,
    gate: Gate,
    body: RegistrationRequest,
    visitor: Visitor,
    email: str,
    code: str,
) -> Admission:
    """A right code admits this browser; the same person's row on another device lends its form data
    and payment, so a new device never pays or registers twice. On a paid password event the code
    stands in for the password: the payer cleared that gate before paying."""
    settings = ctx.settings
    attempt = await repository.spend_code_attempt(session, gate.event_id, email, settings.email_code_max_attempts)
    await session.commit()  # the attempt counts even when the code is wrong
    if attempt is None:
        raise await _why_no_code(session, gate, email)
    if not hmac.compare_digest(attempt.code_hash, _code_hash(ctx, gate.event_id, email, code)):
        left = settings.email_code_max_attempts - attempt.attempts
        hint = f"{left} attempt{'s' if left != 1 else ''} left" if left else "request a new code"
        raise _refuse_code("invalid_code", f"That code is not right; {hint}")
    if not await repository.mark_code_used(session, attempt.code_id):
        raise _refuse_code("code_used", "This code was already used; request a new one")

    found = await repository.find_registrant(session, gate.event_id, email)
    original = found.viewer if found is not None else None
    copied_payment = found.payment_id if found is not None else None  # only while its grant is active
    invitation = await complimentary.address_grant(session, gate.event_id, email)  # any gate, any price
    if invitation is None and gate.access_type == AccessType.FORM and original is None:
        raise _refuse_code("invalid_code", "No registration for this email; fill in the form")
    if invitation is None and gate.access_type in EMAILLESS_GATES and copied_payment is None:
        raise _refuse_code("no_purchase", "No payment for this event was made with this email")
    admission = _admission_values(
        gate,
        body,
        visitor,
        verified=True,
        email=email,
        name=original.name if original is not None else None,
        form_data=original.form_data if original is not None and original.form_data else None,
    )
    if invitation is None:
        return await _finish(ctx, gate, visitor, await _upsert_in(session, admission, copied_payment))
    if gate.access_type != AccessType.EMAIL and original is None:
        # the invitation, not the gate, lets this browser in: no gate grant outlives its revocation
        admission = dataclasses.replace(admission, verified=False)
    viewer = await repository.upsert_viewer(await session.connection(), admission)
    await complimentary.claim(session, invitation, body.client_viewer_id, viewer.viewer_id)
    await session.commit()
    return await _finish(ctx, gate, visitor, viewer)


async def _why_no_code(session: AsyncSession, gate: Gate, email: str) -> Forbidden:
    stored = await repository.get_email_code(session, gate.event_id, email)
    if stored is None:
        return _refuse_code("invalid_code", "That code is not right; request a new one")
    if stored.used_at is not None:
        return _refuse_code("code_used", "This code was already used; request a new one")
    if stored.expires_at <= utcnow():
        return _refuse_code("code_expired", "This code has expired; request a new one")
    return _refuse_code("code_attempts_exceeded", "Too many wrong codes; request a new one")
