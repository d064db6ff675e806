"""The SDK's aiohttp ``CloudAdapter``, taking an Activity the endpoint has already validated.

SDK workaround. ``HttpAdapterBase.process_request`` reads the request body and runs
``Activity.model_validate`` on it; :mod:`adapters.teams.endpoint` has already done both (it
must, to answer a malformed body with a 400 rather than the SDK's 500, and to dedupe before
the turn), so every turn paid for parsing and validating its Activity twice. It also wraps the
turn in an OpenTelemetry span and two metrics that cost CPU even when no exporter is set up
(the coach configures none). :meth:`CoachAdapter.process_parsed` is the rest of
``process_request`` unchanged: a request id, the service URL check, ``process_activity``, and
the synchronous answer to an invoke.

Upstream (microsoft/Agents-for-Python): let ``process_request`` (or a public sibling) take a
parsed ``Activity`` and claims; skip span and metric bookkeeping when telemetry is off.
"""

from __future__ import annotations

from http import HTTPStatus
from uuid import uuid4

from microsoft_agents.activity import Activity, DeliveryModes
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import Agent, ClaimsIdentity, HttpResponse
from microsoft_agents.hosting.core.http import HttpResponseFactory


class CoachAdapter(CloudAdapter):
    """``CloudAdapter`` plus :meth:`process_parsed`."""

    async def process_parsed(
        self, activity: Activity, identity: ClaimsIdentity, agent: Agent
    ) -> HttpResponse:
        """Run ``agent``'s turn for an already validated ``activity`` from ``identity``."""
        activity.request_id = str(uuid4())
        if not self._validate_service_url(identity, activity):
            return HttpResponseFactory.unauthorized(
                "Service URL is not allowed by the host validator."
            )
        try:
            invoke_response = await self.process_activity(identity, activity, agent.on_turn)
        except PermissionError:
            return HttpResponseFactory.unauthorized()
        if activity.type == "invoke" or activity.delivery_mode == DeliveryModes.expect_replies:
            # Invokes are answered in the HTTP response; without an answer, 501 as the SDK does.
            status = invoke_response.status if invoke_response else None
            return HttpResponseFactory.json(
                invoke_response.body if invoke_response else None,
                status or HTTPStatus.NOT_IMPLEMENTED,
            )
        return HttpResponseFactory.accepted()
