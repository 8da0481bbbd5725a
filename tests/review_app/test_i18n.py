"""The interface in English and Spanish; residents' and officials' own text stays as written."""

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sqlalchemy import select

from review_app.analysis.models import CommentAnalysis
from review_app.extensions import db
from review_app.i18n import TRANSLATIONS

ROOT = Path(__file__).resolve().parents[2]
SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}


def test_the_browser_preference_chooses_spanish_and_the_policy_text_stays_as_written(client, make_round, make_comment):
    round_ = make_round()
    make_comment(round_, body="Please publish the body camera footage.")

    page = client.get(f"/rounds/{round_.slug}", headers=SPANISH).get_data(as_text=True)

    assert '<html lang="es">' in page
    assert "Comente sobre esta política" in page and "Lo que dijeron los residentes" in page
    assert "Comment on this policy" not in page
    assert "Please publish the body camera footage." in page and "Body of section 1." in page  # not translated
    english = client.get(f"/rounds/{round_.slug}", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert '<html lang="en">' in english and "Comment on this policy" in english


def test_the_switch_on_every_page_keeps_the_choice_over_the_browser_preference(client, make_round):
    round_ = make_round()
    page = client.get(f"/rounds/{round_.slug}").get_data(as_text=True)
    assert f'href="/language/es?next=/rounds/{round_.slug}"' in page and 'lang="es" hreflang="es">Español</a>' in page

    response = client.get(f"/language/es?next=/rounds/{round_.slug}")

    assert response.status_code == 302 and response.headers["Location"] == f"/rounds/{round_.slug}"
    page = client.get(f"/rounds/{round_.slug}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Comente sobre esta política" in page and '<strong aria-current="true" lang="es">Español</strong>' in page
    client.get("/language/en")
    assert "Comment on this policy" in client.get(f"/rounds/{round_.slug}", headers=SPANISH).get_data(as_text=True)


def test_the_switch_ignores_unknown_languages_and_foreign_next_addresses(client):
    for url in ["/language/xx?next=/rounds", "/language/es?next=//evil.example", "/language/es?next=https://evil.example/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"] in ("/", "/rounds"), url
    assert "civic_lang=xx" not in str(client.get("/language/xx").headers.get("Set-Cookie"))


def test_form_errors_and_dates_are_in_spanish(client, make_round):
    round_ = make_round()
    page = client.post(f"/rounds/{round_.slug}/comments", data={"body": "", "idempotency_key": "k"},
                       headers=SPANISH).get_data(as_text=True)
    assert "Escriba su comentario antes de enviarlo." in page and "Hay un problema" in page
    home = client.get("/", headers=SPANISH).get_data(as_text=True)
    assert " de 20" in home and "se cierra el" in home  # "se cierra el 24 de diciembre de 2026"


def test_a_comment_in_spanish_gets_themes_and_stance_and_counts_in_the_summary(client, make_round):
    from review_app.reports.summary import build_summary

    round_ = make_round()
    client.post(f"/rounds/{round_.slug}/comments", headers=SPANISH, data={
        "body": "No estoy de acuerdo con esta propuesta. Que quiten a los policías armados de las escuelas de nuestros hijos.",
        "idempotency_key": "es-1"})
    analysis = db.session.scalar(select(CommentAnalysis))
    assert analysis.lang == "es" and not analysis.needs_human_review and "schools_youth" in analysis.themes
    themes = {t.key: t for t in build_summary(round_).themes}
    assert themes["schools_youth"].voices == 1  # no resident drops out of the summary for their language


def test_every_interface_text_has_a_spanish_translation_and_the_compiled_catalogue_is_current(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run([Path(sys.executable).parent / "pybabel", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_",
                    "--no-location", "--omit-header", "-o", str(template), "."], cwd=ROOT, check=True,
                   capture_output=True)
    def entries(catalogue) -> dict:
        """{message id: translation}, plural forms as tuples."""
        plain = lambda value: tuple(value) if isinstance(value, (list, tuple)) else value  # noqa: E731
        return {plain(m.id): plain(m.string) for m in catalogue if m.id}

    def read(reader, path):
        with open(path, "rb") as handle:
            return entries(reader(handle))

    wanted = read(read_po, template)
    po = read(read_po, TRANSLATIONS / "es/LC_MESSAGES/messages.po")
    untranslated = sorted(str(i) for i in wanted if not po.get(i) or (isinstance(po[i], tuple) and not all(po[i])))
    assert untranslated == [], "run pybabel update and translate these"
    assert read(read_mo, TRANSLATIONS / "es/LC_MESSAGES/messages.mo") == po, "run: pybabel compile -d review_app/translations"
