import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    ["/", "/channels/new/", "/channels/result/1/", "/connections/",
     "/connections/add/", "/audit/", "/audit/1/"],
)  # fmt: skip
def test_every_page_requires_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_it_signs_in_with_a_password(client, admin_user):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": "pw-alice-1"}
    )
    assert response.status_code == 302
