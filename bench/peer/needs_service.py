"""The peer of bench/api.sh: GET /v1/needs/{id} written the way a typical team
would write it with Debian 12's FastAPI, uvicorn, asyncpg and uvloop, reading the
same row of the same `needs` table (and its attributes) as `canopee serve`, and
answering the same JSON document.

What it does: checks the bearer token against one constant (PEER_TOKEN), reads
the need and its attributes in one round trip (the same LEFT JOIN as ours,
prepared once per connection by asyncpg's statement cache) from a pool opened at
startup, and returns the fields our API returns, validated by a Pydantic model
(FastAPI's response_model). 401 without the token, 404 for an unknown id.

What it does not do, and `canopee serve` does: look the token up in the
database (users, roles, a member's scope: a buyer sees only its own member's
needs), the ETag of the version, the request id and structured errors in French,
the per-address throttle, the request-size and time limits, the health routes,
and everything that is not this one route.

Run (bench/api.sh does it):
  PEER_DATABASE_URL=postgresql://… PEER_TOKEN=… python3 -m uvicorn needs_service:app \
    --app-dir bench/peer --workers 2 --loop uvloop --http httptools --no-access-log
"""

import datetime
import os
import secrets
from typing import Dict, Optional

import asyncpg
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

DATABASE_URL = os.environ["PEER_DATABASE_URL"]
TOKEN = os.environ["PEER_TOKEN"]

NEED = """
SELECT n.id, n.member_id, n.cpv, n.title, n.description, n.quantity, n.unit, n.reference_unit_price,
       n.department, n.period_start, n.period_end, n.recurring, n.status, n.version,
       n.reference_source, n.reference_date, n.reference_index, a.name, a.value
FROM needs n LEFT JOIN need_attributes a ON a.need_id = n.id
WHERE n.id = $1 ORDER BY a.name
"""


class Need(BaseModel):
    id: int
    member_id: int
    cpv: str
    title: str
    description: str
    quantity: str  # decimal text, as few decimals as needed: "12.5"
    unit: str
    reference_unit_price: str  # decimal text, 4 decimals: "7.8000"
    reference_source: str
    reference_date: Optional[datetime.date]
    reference_index: Optional[str]
    reference_missing: bool
    department: str
    period_start: datetime.date
    period_end: datetime.date
    recurring: bool
    attributes: Dict[str, str]
    status: str
    version: int


app = FastAPI(title="needs (peer of the Canopée benchmark)")
bearer = HTTPBearer()
pool: Optional[asyncpg.Pool] = None


@app.on_event("startup")
async def open_pool() -> None:
    global pool
    pool = await asyncpg.create_pool(DATABASE_URL)


@app.on_event("shutdown")
async def close_pool() -> None:
    await pool.close()


def authenticated(credentials: HTTPAuthorizationCredentials = Depends(bearer)) -> None:
    if not secrets.compare_digest(credentials.credentials, TOKEN):
        raise HTTPException(status_code=401, detail="invalid token")


def quantity_text(thousandths: int) -> str:
    whole, fraction = divmod(thousandths, 1000)
    return f"{whole}.{fraction:03d}".rstrip("0") if fraction else str(whole)


def price_text(ten_thousandths: int) -> str:
    whole, fraction = divmod(ten_thousandths, 10000)
    return f"{whole}.{fraction:04d}"


@app.get("/v1/needs/{need_id}", response_model=Need, dependencies=[Depends(authenticated)])
async def get_need(need_id: int) -> Need:
    async with pool.acquire() as connection:
        rows = await connection.fetch(NEED, need_id)
    if not rows:
        raise HTTPException(status_code=404, detail="need not found")
    n = rows[0]
    return Need(
        id=n["id"], member_id=n["member_id"], cpv=n["cpv"], title=n["title"], description=n["description"],
        quantity=quantity_text(n["quantity"]), unit=n["unit"],
        reference_unit_price=price_text(n["reference_unit_price"]), reference_source=n["reference_source"],
        reference_date=n["reference_date"], reference_index=n["reference_index"] or None,
        reference_missing=n["reference_unit_price"] == 0 and n["reference_source"] != "average_of_offers",
        department=n["department"], period_start=n["period_start"], period_end=n["period_end"],
        recurring=bool(n["recurring"]), attributes={r["name"]: r["value"] for r in rows if r["name"] is not None},
        status=n["status"], version=n["version"])
