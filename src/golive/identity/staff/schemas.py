from __future__ import annotations

from datetime import datetime

from pydantic import EmailStr, Field

from golive.identity.staff.models import AdminRole, AdminStatus
from golive.platform.schemas import CamelModel, InputModel


class LoginRequest(InputModel):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=256)


class AdminOut(CamelModel):
    admin_id: str
    name: str
    email: str
    role: AdminRole
    status: AdminStatus
    last_login_at: datetime | None
    created_at: datetime


class LoginResponse(CamelModel):
    admin: AdminOut
    token: str
    expires_at: datetime


class AdminCreate(InputModel):
    name: str = Field(min_length=1, max_length=120)
    email: EmailStr = Field(
        description="A deliverable address: special-use and reserved domains (localhost, .test, .invalid, ...) are 422"
    )
    password: str = Field(min_length=10, max_length=256)
    role: AdminRole = AdminRole.EDITOR


class AdminUpdate(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    role: AdminRole | None = None
    status: AdminStatus | None = None
    password: str | None = Field(default=None, min_length=10, max_length=256)
