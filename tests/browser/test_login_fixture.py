import pytest

pytestmark = pytest.mark.browser


def test_the_login_fixture_gives_the_browser_a_real_session(page, login, transactional_db, live_server):
    """The session the fixture creates is the one Django reads on the next request."""
    from django.contrib.sessions.models import Session

    from tests.factories import UserFactory

    user = UserFactory()
    login(page, user)
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    session = Session.objects.get(session_key=cookie["value"])
    assert session.get_decoded()["_auth_user_id"] == str(user.pk)
