from __future__ import annotations

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shuxuan.insights.selectors import home_summary


class HomeView(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT, summary="Figures for the caller's home page")
    def get(self, request: Request) -> Response:
        return Response(home_summary(user=request.user))  # type: ignore[arg-type]
