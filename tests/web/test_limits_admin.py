"""The admin pages show why a grant to one's own account is refused (issue 11)."""

from __future__ import annotations

from sqlalchemy import text


def test_an_admin_granting_themselves_the_committee_is_refused_on_the_page(login, demo_runtime):
    with demo_runtime.engine.connect() as conn:
        (me,) = conn.execute(text("SELECT id FROM users WHERE username = 'admin'")).one()
        (org,) = conn.execute(
            text("SELECT organisation_id FROM role_grants WHERE user_id = :u"), {"u": me}
        ).first()
        before = conn.execute(text("SELECT count(*) FROM role_grants")).scalar()
    browser = login("admin")
    response = browser.post(
        f"/admin/users/{me}/grants",
        {"role": "committee", "organisation": str(org)},
        token_from=f"/admin/users/{me}",
    )
    assert response.status_code == 422
    assert "không tự cấp vai trò" in response.get_data(as_text=True)
    with demo_runtime.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM role_grants")).scalar() == before
