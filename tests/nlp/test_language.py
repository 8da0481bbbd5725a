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
    ],
)
def test_language(text, lang):
    assert detect_language(text) == lang
