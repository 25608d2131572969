"""`GET /account-info/v3/details` (`/account-info/<version>/details`): the portal id the
tracking script URL needs."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .portal import Portal
from .versions import Api
from .web import ApiRequest, ApiResponse, Route, ok


def _details(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    config = portal.config
    offset = datetime.now(ZoneInfo(config.time_zone)).utcoffset()
    offset_ms = int(offset.total_seconds() * 1000) if offset is not None else 0
    sign = "-" if offset_ms < 0 else "+"
    hours, minutes = divmod(abs(offset_ms) // 60_000, 60)
    return ok(
        {
            "portalId": portal.portal_id,
            "accountType": "STANDARD",
            "timeZone": config.time_zone,
            "companyCurrency": config.company_currency,
            "additionalCurrencies": list(config.currencies[1:]),
            "utcOffset": f"{sign}{hours:02d}:{minutes:02d}",
            "utcOffsetMilliseconds": offset_ms,
            "uiDomain": config.ui_domain,
            "dataHostingLocation": "eu1" if "-eu1." in config.ui_domain else "na1",
        }
    )


ROUTES = Api("/account-info/v3", "/account-info/<version>").routes(
    (Route("/details", ("GET",), _details),)
)
