"""The legal pages' footer: every page names the licence, and links this site's source when it is configured."""

import pytest


def test_every_page_names_the_licence_and_no_source_link_unless_configured(client):
    html = client.get("/privacy").get_data(as_text=True)
    assert 'href="https://www.gnu.org/licenses/agpl-3.0.html"' in html
    assert "source code" not in html


@pytest.mark.parametrize("app_config", [{"SOURCE_CODE_URL": "https://code.example.org/civic-review"}])
def test_the_footer_links_the_configured_source_code(client):
    html = client.get("/").get_data(as_text=True)
    assert """<a href="https://code.example.org/civic-review">This site's source code</a>""" in html
