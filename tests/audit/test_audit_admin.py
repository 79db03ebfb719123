import pytest

pytestmark = pytest.mark.django_db

ADMIN = "/admin/channels_ui/auditentry/"


def test_the_admin_lists_entries(admin_client, make_entry):
    make_entry("Listed in admin")
    assert "Listed in admin" in admin_client.get(ADMIN).content.decode()


def test_the_admin_filters_by_company_and_outcome(admin_client, make_entry):
    make_entry("Listed in admin")
    response = admin_client.get(
        ADMIN, {"subdomain": "acme", "outcome__exact": "created"}
    )
    assert (response.status_code, "Listed in admin" in response.content.decode()) == (
        200,
        True,
    )


def test_the_admin_offers_no_add_page(admin_client):
    assert admin_client.get(f"{ADMIN}add/").status_code == 403


def test_the_admin_refuses_a_change(admin_client, make_entry):
    entry = make_entry("Kept")
    admin_client.post(f"{ADMIN}{entry.pk}/change/", {"label": "Changed"})
    entry.refresh_from_db()
    assert entry.label == "Kept"


def test_the_admin_change_page_has_no_form_to_save(admin_client, make_entry):
    entry = make_entry()
    html = admin_client.get(f"{ADMIN}{entry.pk}/change/").content.decode()
    assert 'name="_save"' not in html


def test_the_admin_refuses_a_delete(admin_client, make_entry):
    entry = make_entry()
    assert admin_client.post(f"{ADMIN}{entry.pk}/delete/").status_code == 403


def test_the_admin_offers_no_bulk_action(admin_client, make_entry):
    make_entry()
    assert 'name="action"' not in admin_client.get(ADMIN).content.decode()
