import pytest

from nlp.components.language import detect_language


@pytest.mark.parametrize(
    "text, lang",
    [
        ("No me gusta nada esta propuesta de la policía.", "es"),
        ("Tôi ủng hộ chính sách này nhưng cần dịch sang tiếng Việt.", "und"),
        ("Waxaan taageersanahay siyaasaddan cusub. Fadlan tarjuma dukumeentiga.", "und"),
        ("Hospital-based violence intervention programs save lives.", "en"),
        ("no no no, I do not like it", "en"),
        ("ok", "en"),
        # short Spanish verdicts, as the training comments write them: one Spanish-only word or letter decides
        ("A favor 👍", "es"),
        ("voten q no", "es"),
        ("Nah, no me convence.", "es"),
        ("nooo vótenlo abajo", "es"),
        ("Broken taillights cause crashes. Vote no.", "en"),  # "no" is a word of both
        ("Waxaan rabaa in la joojiyo booliska", "und"),  # "la" alone does not make Somali Spanish
    ],
)
def test_language(text, lang):
    assert detect_language(text) == lang
