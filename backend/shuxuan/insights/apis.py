from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shuxuan.insights.selectors import home_summary
from shuxuan.insights.serializers import HomeSerializer


class HomeView(APIView):
    @extend_schema(responses=HomeSerializer, summary="Figures for the caller's home page")
    def get(self, request: Request) -> Response:
        return Response(HomeSerializer(home_summary(user=request.user)).data)  # type: ignore[arg-type]
