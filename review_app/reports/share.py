"""What a published report shows when it is shared: Open Graph tags, a 1200x630 tile, and a
one-page summary (an infographic for community groups) as PDF and PNG.

The pictures are HTML pages (templates/share/) drawn by WeasyPrint, as the report's PDF is, in
the site's Source Sans Pro, and turned into PNG by pypdfium2: one template gives a PDF and its
PNG, the bars are charts.py's, and text wraps by a layout engine instead of being placed pixel
by pixel (as with Pillow alone). They are drawn from titles and numbers only, never from the
text of a comment.
"""

import base64
import io
import re
from datetime import date
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from flask import current_app, render_template
from flask_babel import get_locale, gettext as _, ngettext

from ..labels import theme_label
from ..rounds.models import Round, RoundStatus
from ..security import public_url
from ..templating import format_date
from ..timeutil import utcnow
from .charts import bar_chart_layout, stacked_bar_layout
from .models import OLD_STATUSES, ReportVersion, ResponseStatus
from . import services
from .services import pdf_of, stored_file, versions

TILE_WIDTH, TILE_HEIGHT = 1200, 630
TILE_THEMES = 5  # bars on a tile: more are not readable in a feed
TILE_CHART_WIDTH = 270  # charts.py's units, drawn 540 px wide: its 13-unit text is 26 px
SUMMARY_THEMES = 5  # themes on the one-page summary: more would not fit its page
PIXELS_PER_POINT = 96 / 72  # the tile's page is 1200x630 CSS pixels, drawn 1:1
SUMMARY_SCALE = 150 / 72  # the summary's PNG: a letter page at 150 dots per inch, sharp when printed
OG_LOCALES = {"en": "en_US", "es": "es_US"}
FONT_FAMILY = "Source Sans Pro"  # share.css names it too
FONTS = {400: "sourcesanspro-regular-webfont.woff2", 700: "sourcesanspro-bold-webfont.woff2"}
STANCES = (("support", "#008817"), ("oppose", "#d54309"), ("mixed", "#8e704f"), ("unclear", "#71767a"))


@dataclass(frozen=True)
class ShareMeta:
    """What a page's Open Graph and Twitter card tags say (templates/share/_meta.html)."""

    title: str
    description: str
    url: str  # absolute, from PUBLIC_BASE_URL
    image: str | None = None  # a TILE_WIDTH x TILE_HEIGHT PNG
    image_alt: str = ""
    locale: str = "en_US"


# ---- drawing -------------------------------------------------------------------------------------

def tile_png(title: str, status: str, caption: str, rows, kicker: str = "", footer: str = "") -> bytes:
    """A 1200x630 PNG of a title, a status line and a bar chart of rows [(label, number)]: what a
    page shows when shared. kicker: a short line above the title; footer: where to read more."""
    html = render_template("share/tile.html", title=title, status=status, caption=caption, kicker=kicker,
                           footer=footer, chart=bar_chart_layout(rows, width=TILE_CHART_WIDTH), font_family=FONT_FAMILY)
    return png_of(draw_pdf(html), PIXELS_PER_POINT)


def draw_pdf(html: str) -> bytes:
    """A page of templates/share/ as a tagged PDF, with its own stylesheet and the site's font."""
    return pdf_of(html, ("share.css",), font_faces())


@cache
def font_faces() -> str:
    """@font-face rules with the font files inline: data: URLs are the only links WeasyPrint follows."""
    folder = Path(current_app.static_folder) / "uswds" / "fonts" / "source-sans-pro"
    rules = []
    for weight, name in FONTS.items():
        data = base64.b64encode((folder / name).read_bytes()).decode()
        rules.append(f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; font-style: normal; '
                     f'src: url(data:font/woff2;base64,{data}) format("woff2"); }}')
    return "\n".join(rules)


def png_of(pdf: bytes, scale: float) -> bytes:
    """The PDF's first page as PNG, with the page's text as the picture's description (an iTXt
    chunk), so the file says in words what it shows."""
    import pypdfium2
    from PIL.PngImagePlugin import PngInfo

    with services.DRAWING:  # PDFium is not thread-safe: one drawing at a time in each process
        document = pypdfium2.PdfDocument(pdf)
        try:
            page = document[0]
            text = page.get_textpage().get_text_bounded()
            image = page.render(scale=scale).to_pil()
        finally:
            document.close()
    info = PngInfo()
    info.add_itxt("Description", " ".join(text.split()))
    out = io.BytesIO()
    image.convert("RGB").save(out, "PNG", pnginfo=info, optimize=True)
    return out.getvalue()


# ---- a report's words and numbers ----------------------------------------------------------------

def status_of(theme: dict) -> str:
    """A theme's status in a report's content: a ResponseStatus, or "" while not decided."""
    status = (theme["response"] or {}).get("status") or ""
    status = OLD_STATUSES.get(status, status)  # versions published before the statuses changed
    return status if status in set(ResponseStatus) else ""


def status_counts(content: dict) -> list[tuple[str, str, int]]:
    """(key, label, themes) for each status of the city's answers, "not decided" last and only when some are."""
    counts = dict.fromkeys([*ResponseStatus, ""], 0)
    for t in content["themes"]:
        counts[status_of(t)] += 1
    rows = [(str(s), _(s), counts[s]) for s in ResponseStatus]
    return rows + ([("", _("not decided"), counts[""])] if counts[""] else [])


def report_description(content: dict) -> str:
    """One line: the voices heard, the themes, and how many themes the city gave each status."""
    voices = content["participation"]["voices"]
    themes = len(content["themes"])
    statuses = ", ".join(f"{label}: {count}" for _key, label, count in status_counts(content))
    return " ".join((ngettext("%(num)d voice heard.", "%(num)d voices heard.", voices),
                     ngettext("The city's answers on %(num)d theme:", "The city's answers on %(num)d themes:", themes),
                     statuses + "."))


def version_line(version: ReportVersion) -> str:
    return _("City report, version %(number)d, published %(date)s", number=version.number,
             date=format_date(version.published_at))


def top_themes(content: dict, count: int) -> list[dict]:
    return sorted(content["themes"], key=lambda t: -t["voices"])[:count]


def report_meta(round_: Round, version: ReportVersion, latest: bool) -> ShareMeta:
    """The tags of a report page: the latest version's address, or this version's."""
    number = None if latest else version.number
    return ShareMeta(
        title=_("What we heard and what we will do: %(title)s", title=version.content["round"]["title"]),
        description=report_description(version.content),
        url=public_url("reports.public_report", slug=round_.slug, number=number),
        image=public_url("reports.report_tile", slug=round_.slug, number=version.number),
        image_alt=_("%(title)s. %(status)s. A bar chart of voices by theme.",
                    title=version.content["round"]["title"], status=version_line(version)),
        locale=OG_LOCALES.get(str(get_locale()), "en_US"))


def round_meta(round_: Round) -> ShareMeta:
    """The tags of a round's page: its report's, once there is one."""
    published = versions(round_)
    if published:
        return replace(report_meta(round_, published[0], latest=True), title=round_.title,
                       url=public_url("comments.round_page", slug=round_.slug))
    if round_.accepting_comments:
        phase = _("Open for comments")
    elif round_.status == RoundStatus.OPEN:
        phase = _("Not open yet") if round_.opens_at and round_.opens_at > utcnow() else _("Closed on %(date)s", date=format_date(round_.closes_at))
    else:
        phase = _("Closed: the city reviews what it heard")
    summary = " ".join((round_.summary or "").split())
    description = phase + "." + (" " + summary[:250] if summary else "")
    return ShareMeta(title=round_.title, description=description,
                     url=public_url("comments.round_page", slug=round_.slug),
                     locale=OG_LOCALES.get(str(get_locale()), "en_US"))


# ---- an action of the published plan -------------------------------------------------------------

NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def _number_in(text: str | None) -> float | None:
    """The first number written in an indicator's value ("27%" -> 27, "$4.2M a year" -> 4.2)."""
    found = NUMBER.search(text or "")
    return float(found.group().replace(",", "")) if found else None


def action_status_line(row: dict) -> str:
    """"In progress · now 27% (3 December 2026) · target 70% by June 2027": what a tile and the tags say."""
    from .forms import STATUS_LABELS

    parts = [str(STATUS_LABELS[row["status"]]) if row["status"] in STATUS_LABELS else _("Not decided")]
    if row["value"]:
        measured = f" ({_due(row['measured_on'])})" if row["measured_on"] else ""
        parts.append(_("now %(value)s", value=row["value"]) + measured)
    if row["response"].get("target"):
        parts.append(_("target %(target)s", target=row["response"]["target"]))
    return " · ".join(parts)


def _action_chart(row: dict) -> tuple[str, list]:
    """The indicator from baseline to now to target, when at least two of them are numbers; else
    what residents said about the draft action; else nothing."""
    response = row["response"]
    points = [(_("Baseline: %(value)s", value=response.get("baseline")), _number_in(response.get("baseline"))),
              (_("Now: %(value)s", value=row["value"]), _number_in(row["value"])),
              (_("Target: %(value)s", value=response.get("target")), _number_in(response.get("target")))]
    points = [(label, number) for label, number in points if number is not None]
    if len(points) >= 2:
        return response.get("indicator") or _("Indicator"), points
    feedback = row.get("draft_feedback")
    if feedback and feedback["comments"]:
        return _("Residents on the draft"), [(_("Comments"), feedback["comments"]), (_("Supports"), feedback["supports"])]
    return "", []


def action_tile(round_: Round, version: ReportVersion, row: dict) -> bytes:
    """An action's tile in the reader's language: its theme, status and indicator, drawn again
    after each progress update. Titles and numbers only, never a comment's words."""
    def draw():
        caption, rows = _action_chart(row)
        return tile_png(theme_label(row["theme"]), action_status_line(row), caption, rows, kicker=round_.title,
                        footer=_host_and_path("reports.action_page", slug=round_.slug, action_id=row["id"]))

    last = row["updates"][0].id if row["updates"] else 0
    return stored_file(version, f"action-{row['id']}", draw, changes=str(last))


def action_meta(round_: Round, row: dict) -> ShareMeta:
    """The tags of an action's page on the tracker."""
    title, status = _("%(action)s: %(title)s", action=theme_label(row["theme"]), title=round_.title), action_status_line(row)
    return ShareMeta(
        title=title, description=status + ". " + _("The city's action tracker."),
        url=public_url("reports.action_page", slug=round_.slug, action_id=row["id"]),
        image=public_url("reports.action_tile", slug=round_.slug, action_id=row["id"]),
        image_alt=_("%(title)s. %(status)s.", title=title, status=status),
        locale=OG_LOCALES.get(str(get_locale()), "en_US"))


# ---- a report's files ----------------------------------------------------------------------------

def report_tile(round_: Round, version: ReportVersion) -> bytes:
    """The version's tile in the reader's language, drawn once per edition."""
    content = version.content

    def draw():
        rows = [(theme_label(t["key"]), t["voices"]) for t in top_themes(content, TILE_THEMES)]
        status = " · ".join((_("City report, version %(number)d", number=version.number), format_date(version.published_at),
                             ngettext("%(num)d voice heard", "%(num)d voices heard", content["participation"]["voices"])))
        return tile_png(content["round"]["title"], status, _("Voices by theme"), rows,
                        kicker=content["round"]["department"], footer=_host_and_path("reports.public_report", slug=round_.slug))

    return stored_file(version, "tile", draw)


def _host_and_path(endpoint: str, **values) -> str:
    """A page's public address without its scheme, as a picture prints it."""
    return public_url(endpoint, **values).split("://", 1)[-1]


def infographic_pdf(round_: Round, version: ReportVersion) -> bytes:
    """The one-page summary as a tagged PDF in the reader's language, drawn once per edition."""
    return stored_file(version, "infographic.pdf", lambda: draw_pdf(_infographic_html(round_, version)))


def infographic_png(round_: Round, version: ReportVersion) -> bytes:
    """The one-page summary's PDF as a PNG, drawn once per edition."""
    return stored_file(version, "infographic.png",
                       lambda: png_of(infographic_pdf(round_, version), SUMMARY_SCALE))


def _due(day: str | None) -> str:
    return format_date(date.fromisoformat(day)) if day else ""


def _infographic_html(round_: Round, version: ReportVersion) -> str:
    content = version.content
    themes = top_themes(content, SUMMARY_THEMES)
    return render_template(
        "share/infographic.html", font_family=FONT_FAMILY, round=content["round"], lang=round_.lang, version=version, version_line=version_line(version),
        participation=content["participation"], themes=themes, more=len(content["themes"]) - len(themes),
        chart=bar_chart_layout([(theme_label(t["key"]), t["voices"]) for t in themes]),
        stances=[(t, stacked_bar_layout([(key, key, t["stance"].get(key, 0)) for key, _colour in STANCES]))
                 for t in themes],
        stance_colours=dict(STANCES), statuses=status_counts(content),
        answers=[(theme_label(t["key"]), _(status_of(t)) if status_of(t) else _("not decided"),
                  (t["response"] or {}).get("department") or "", _due((t["response"] or {}).get("target_date")))
                 for t in themes],
        report_url=public_url("reports.public_report", slug=round_.slug, number=version.number),
        contact=current_app.config.get("CONTACT_EMAIL", ""))
