"""The interface in English and Spanish; residents' and officials' own text stays as written."""

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from jinja2 import Environment
from sqlalchemy import select

from nlp import THEMES
from review_app.analysis.models import CommentAnalysis
from review_app.extensions import db
from review_app.i18n import TRANSLATIONS
from review_app.labels import THEME_LABELS

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
    with open(TRANSLATIONS / "es/LC_MESSAGES/messages.po", "rb") as handle:
        catalogue = read_po(handle)
    po = entries(catalogue)
    untranslated = sorted(str(i) for i in wanted if not po.get(i) or (isinstance(po[i], tuple) and not all(po[i])))
    assert untranslated == [], "run pybabel update and translate these"
    guessed = sorted(str(m.id) for m in catalogue if m.id and m.fuzzy and (tuple(m.id) if isinstance(m.id, list) else m.id) in wanted)
    assert guessed == [], "pybabel update guessed these from similar texts: check them and remove the fuzzy flag"
    assert read(read_mo, TRANSLATIONS / "es/LC_MESSAGES/messages.mo") == po, "run: pybabel compile -d review_app/translations"


# ---- no English left outside _() in templates -------------------------------------------------------

# Words that are the same in both languages (names, formats); kept short on purpose.
SAME_IN_EVERY_LANGUAGE = {"Civic Review", "CSV", "JSON", "PDF", "PNG", "API", "UTC"}
NOT_TRANSLATED = {"dev/mail.html"}  # the development outbox, never shown in production
VISIBLE_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
TRANSLATORS = {"_", "gettext", "ngettext", "_l", "N_"}
HOLE = "\x00"  # where an expression or a tag ({{ }}, {% %}) stood


class _TextNodes(HTMLParser):
    """Visible text (and visible attributes) outside <code>, <pre>, <script> and <style>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip, self.found = 0, []

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("code", "pre", "script", "style")
        self.found += [value for name, value in attrs if name in VISIBLE_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        self.skip -= tag in ("code", "pre", "script", "style") and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.found.append(data)


def english_outside_gettext(source: str) -> list[str]:
    """Heuristic: words in a template's text nodes, and prose in its string literals ("Two words",
    "Capitalised"), that are not inside _() or ngettext()."""
    tokens = list(Environment(extensions=["jinja2.ext.i18n"]).lex(source))
    parts, literals, inside, previous = [], [], [], None
    for _, kind, value in tokens:
        if kind == "data":
            parts.append(value)
        elif kind in ("variable_begin", "block_begin"):
            before = parts[-1] if parts else ""
            # an expression that ends a tag name (<h{{ level }}>) or adds attributes (<div{{ attrs }}>)
            parts.append("1" if re.search(r"</?h$", before) else " " if re.search(r"<[a-zA-Z]+$", before) else HOLE)
        elif kind in ("variable_end", "block_end"):
            inside = []
        elif kind == "operator" and value in "([{":
            inside.append(value == "(" and previous in TRANSLATORS or (value != "(" and bool(inside) and inside[-1]))
        elif kind == "operator" and value in ")]}" and inside:
            inside.pop()
        elif kind == "string" and not (inside and inside[-1]):
            text = value[1:-1]
            looks_like_code = "<" in text or re.fullmatch(r"[a-z0-9 _:-]*-[a-z0-9 _:-]*", text)
            if not looks_like_code and (re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", text) or re.fullmatch(r"[A-Z][a-z]+[ .]?", text)):
                literals.append(text)
        if kind != "whitespace":
            previous = value if kind == "name" else None
    parser = _TextNodes()
    parser.feed("".join(parts))
    words = []
    for text in parser.found:
        for part in text.split(HOLE):
            for same in SAME_IN_EVERY_LANGUAGE:
                part = part.replace(same, "")
            if re.search(r"[A-Za-z]{2,}", part):
                words.append(part.strip())
    return words + literals


def test_no_template_shows_english_outside_gettext():
    templates = ROOT / "templates"
    left = {str(path.relative_to(templates)): found for path in sorted(templates.rglob("*.html"))
            if str(path.relative_to(templates)) not in NOT_TRANSLATED
            and (found := english_outside_gettext(path.read_text(encoding="utf-8")))}
    assert left == {}, "wrap these in _() (or ngettext) and translate them"


def test_the_heuristic_finds_english_text_and_prose_literals():
    assert english_outside_gettext("<p>Hello {{ name }}</p>") == ["Hello"]
    assert english_outside_gettext('<p title="Read more">{{ _("Hi") }}</p>') == ["Read more"]
    assert english_outside_gettext('{{ "Not sent" if x else _("Sent") }}') == ["Not sent"]
    assert english_outside_gettext('<code>flask db upgrade</code><p class="usa-button">{{ x }} · Civic Review</p>') == []


# ---- labels, messages and pages in Spanish -----------------------------------------------------------

def test_the_translatable_theme_labels_are_the_pipelines_labels():
    assert THEME_LABELS == THEMES


def test_theme_names_and_the_reports_fixed_labels_are_in_spanish(client, make_round, make_user, auth):
    from review_app.reports import services

    round_ = make_round(status="closed")
    db.session.add(CommentAnalysis(comment_id=_comment(round_).id, themes=["use_of_force"], stance="oppose",
                                   model_version="test"))
    db.session.commit()
    services.publish(round_, make_user(roles=["official"]), "")
    report = client.get(f"/rounds/{round_.slug}/report", headers=SPANISH).get_data(as_text=True)
    assert "Uso de la fuerza" in report and "Use of force" not in report
    assert "Quién participó" in report and "Who took part" not in report
    auth.login(make_user(roles=["moderator"]))
    queue = client.get("/moderation/", headers=SPANISH).get_data(as_text=True)
    assert "Cola de moderación" in queue and "Uso de la fuerza" in queue and "Moderation queue" not in queue


def _comment(round_, body="Please publish the body camera footage.", lang=None, **values):
    from review_app.comments.models import Comment

    comment = Comment(round_id=round_.id, body=body, status="published", receipt=body[:6] + str(round_.id),
                      display_name="Resident", **values)
    db.session.add(comment)
    db.session.commit()
    if lang:
        db.session.add(CommentAnalysis(comment_id=comment.id, lang=lang, model_version="test"))
        db.session.commit()
    return comment


def test_flash_messages_and_staff_pages_are_in_spanish(client, make_round, make_user, auth):
    round_ = make_round(status="open")
    comment = _comment(round_)
    auth.login(make_user(roles=["moderator"]))
    page = client.post(f"/moderation/comments/{comment.id}/decide", headers=SPANISH, follow_redirects=True,
                       data={"action": "hide", "reason": "spam", "note": ""}).get_data(as_text=True)
    assert f"El comentario {comment.id} ahora está ocultado." in page
    assert "Registro de moderación" in client.get("/moderation/log", headers=SPANISH).get_data(as_text=True)


def test_error_pages_are_in_spanish(client):
    page = client.get("/no-such-page", headers=SPANISH)
    assert page.status_code == 404
    text = page.get_data(as_text=True)
    assert "Página no encontrada" in text and "Not Found" not in text
    assert "Page not found" in client.get("/no-such-page").get_data(as_text=True)


def test_comments_and_policy_text_carry_their_language_in_the_spanish_interface(client, make_round):
    round_ = make_round()
    english = _comment(round_, "Please publish the body camera footage.", lang="en")
    spanish = _comment(round_, "Por favor publiquen los videos de las cámaras corporales.", lang="es")

    page = client.get(f"/rounds/{round_.slug}", headers=SPANISH).get_data(as_text=True)

    assert '<html lang="es">' in page
    assert re.search(r'<div class="comment-body" lang="en">\s*Please publish the body camera footage', page)
    assert re.search(r'<div class="comment-body" lang="es">\s*Por favor publiquen', page)
    assert re.search(r'<h1 lang="en">[^<]*' + re.escape(round_.title), page)  # the policy text is in English
    assert re.search(r'<div class="policy-text usa-prose" lang="en">\s*Body of section 1', page)
    thread = client.get(f"/rounds/{round_.slug}/comments/{spanish.id}", headers=SPANISH).get_data(as_text=True)
    assert re.search(r'<div class="comment-body" lang="es">\s*Por favor publiquen', thread)
    assert f'Conversación sobre <span lang="en">{round_.title}</span>' in thread  # the title inside a Spanish sentence
    assert english.lang == "en"
    in_english = client.get(f"/rounds/{round_.slug}/comments/{spanish.id}").get_data(as_text=True)
    assert f"Conversation on {round_.title}</h1>" in in_english  # no mark needed where the page is in English
