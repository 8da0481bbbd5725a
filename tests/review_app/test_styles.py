"""Every class a template uses is styled: by the U.S. Web Design System or by our own CSS."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "review_app" / "static"
STYLESHEETS = [STATIC / "uswds" / "css" / "uswds.min.css", STATIC / "site.css", STATIC / "print.css",
               STATIC / "share.css"]  # share.css: the pictures of a report (templates/share/)

CLASS_ATTRIBUTE = re.compile(r"""\bclass_?=(["'])(.*?)\1""", re.S)
JINJA_TAG = re.compile(r"\{%.*?%\}", re.S)
TOKEN_WITH_EXPRESSION = re.compile(r"\S*\{\{.*?\}\}\S*", re.S)  # "depth-{{ c.depth }}": built at run time
SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z](?:[\w-]|\\.)*)")


def template_classes() -> dict[str, set[str]]:
    """Each literal class in templates/, with the templates that use it."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for _quote, value in CLASS_ATTRIBUTE.findall(path.read_text(encoding="utf-8")):
            value = TOKEN_WITH_EXPRESSION.sub(" ", JINJA_TAG.sub(" ", value))
            for name in value.split():
                found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def defined_classes() -> set[str]:
    names = set()
    for sheet in STYLESHEETS:
        css = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        css = re.sub(r"url\([^)]*\)", "", css)  # file names are not selectors
        names.update(name.replace("\\", "") for name in SELECTOR_CLASS.findall(css))
    return names


def test_the_collector_reads_literal_classes_and_skips_jinja():
    html = """<a class="usa-button{% if x %} usa-current{% endif %} depth-{{ c.depth }}" class_="usa-input">"""
    value = [v for _q, v in CLASS_ATTRIBUTE.findall(html)]
    tokens = [t for v in value for t in TOKEN_WITH_EXPRESSION.sub(" ", JINJA_TAG.sub(" ", v)).split()]
    assert tokens == ["usa-button", "usa-current", "usa-input"]
    assert {"usa-button", "mobile-lg:grid-col-6", "site-meta"} <= defined_classes()


def test_every_class_in_a_template_has_a_style():
    defined = defined_classes()
    missing = {name: sorted(where) for name, where in template_classes().items() if name not in defined}
    assert not missing, f"classes with no style in uswds.min.css, site.css, print.css or share.css: {missing}"


def test_templates_use_the_design_system():
    used = template_classes()
    for component in ("usa-header", "usa-footer", "usa-alert", "usa-button", "usa-form-group", "usa-table",
                      "usa-card", "usa-pagination", "usa-accordion", "usa-step-indicator", "usa-tag", "usa-summary-box"):
        assert component in used, component
