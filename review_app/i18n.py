"""The interface in English and Spanish (Flask-Babel).

The language is the one a resident chose with the switch on every page (kept in a cookie),
else the best match of the browser's Accept-Language, else English. Policy text and comments
are never translated: they stay in the language they were written in.
"""

from functools import lru_cache
from pathlib import Path

from babel import support
from flask import Blueprint, Flask, redirect, request
from flask_babel import Babel, get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path

from .security import safe_next_url

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANGUAGES = {"en": "English", "es": "Español"}
COOKIE = "civic_lang"

babel = Babel()
bp = Blueprint("i18n", __name__)


def N_(text: str) -> str:
    """Mark text for translation where it is defined; it is translated with _() where it is shown."""
    return text


@lru_cache(maxsize=None)
def _wtforms_catalog(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class Form(FlaskForm):
    """The base of every form here: WTForms' own messages ("Invalid email address.") come in the
    page's language, read from disk once per process (Flask-WTF reads them on every request)."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _wtforms_catalog(str(get_locale()))


def select_locale() -> str:
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


@bp.get("/language/<code>")
def choose(code: str):
    """The language switch: a plain link, so it works without JavaScript."""
    response = redirect(safe_next_url(request.args.get("next")) or "/")
    if code in LANGUAGES:
        response.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=request.is_secure)
    return response


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS))
    app.register_blueprint(bp)
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.context_processor(lambda: {"current_locale": str(get_locale() or "en")})
