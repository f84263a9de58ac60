"""Django's own error answers (no route matched, CSRF refused) use the API's error shape under /api/."""

import pytest
from rest_framework.test import APIClient


@pytest.mark.django_db
def test_an_api_url_no_route_matches_answers_json_404(api_client):
    response = api_client.get("/api/settlement/lines/-1/phases/")  # <int:line_id> takes no sign
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到 / not found", "code": "not_found"}


@pytest.mark.django_db
def test_a_session_login_without_its_csrf_token_answers_json_403():
    client = APIClient(enforce_csrf_checks=True)
    response = client.post("/api/auth/login/", {"username": "x", "password": "y"}, format="json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "CSRF 校验失败 / CSRF verification failed: CSRF cookie not set.",
        "code": "csrf_failed",
    }


@pytest.mark.django_db
def test_a_body_django_refuses_to_read_answers_json_400(demo_parties, login, settings):
    """Found by the API contract test: more fields than DATA_UPLOAD_MAX_NUMBER_FIELDS was an HTML 400."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2
    response = login("op_finance").post(
        "/api/reconciliation/exceptions/bulk-resolve/", {"a": "1", "b": "2", "c": "3"}, format="multipart"
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "请求无法解析 / the request could not be read", "code": "bad_request"}
