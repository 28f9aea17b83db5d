"""The app's one translation mechanism: gettext catalogs (Babel), French msgids.

Every user-facing sentence is written in French in the code and marked for extraction;
English comes from `careerpath/locale/en/LC_MESSAGES/messages.po` (committed). There is no
French catalog: French is the msgid itself.

- `gettext("Texte {n}", locale, n=3)`, `ngettext("{n} semaine", "{n} semaines", n, locale)`
  and `pgettext("context", "Texte", locale)` for services, the engine's sentences, the PDF,
  the API and the CLI (the locale is always passed explicitly);
- `N_("Texte")` marks a constant whose translation is looked up later with `gettext`;
- the UI's reactive `t("Texte")` lives in `careerpath.ui.i18n` (it reads this catalog);
- `format_decimal`, `format_percent`, `format_date`… are Babel's CLDR formatting.

The `.mo` file is not committed nor built by a script: the catalog is compiled from the
`.po` in memory the first time a process needs it (Babel's own `write_mo`, a few
milliseconds), so the committed `.po` is the only source and can never disagree with a
stale binary after a merge (`.po` files merge by union, see `.gitattributes`).

Workflow (see scripts/i18n_convert.py and the README):
`pybabel extract -F babel.cfg -k t -k page_title -k by_locale -k N_plural:1,2 -o messages.pot .` then
`pybabel update -i messages.pot -d careerpath/locale -D messages -l en`, write the English,
and `tests/unit/test_i18n_catalog.py` fails while a French msgid lacks its English.

Only Babel and the standard library are imported here: every layer may use it.
"""

from __future__ import annotations

import gettext as _gettext
import io
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Final, Literal

from babel import Locale as _BabelLocale
from babel import dates as _dates
from babel import numbers as _numbers
from babel import units as _units
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

Locale = Literal["fr", "en"]
"""The app's languages: French first, English second."""

LOCALES: Final[tuple[Locale, ...]] = ("fr", "en")
DEFAULT_LOCALE: Final[Locale] = "fr"
ENGLISH: Final[Locale] = "en"
DOMAIN: Final = "messages"
LOCALE_DIR: Final = Path(__file__).resolve().parent / "locale"


def as_locale(value: object) -> Locale:
    """'en', 'en-GB', 'EN_us' → 'en'; anything else → 'fr' (the default)."""
    return "en" if str(value or "").strip().lower().startswith("en") else "fr"


REFERENTIAL_DOMAIN: Final = "referential"
"""The catalog of the curated referential's texts (titles, labels, descriptors), French
msgids as the bundle writes them: see `careerpath.services.referential_text`."""


def catalog_path(locale: Locale = "en", domain: str = DOMAIN) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{domain}.po"


@lru_cache(maxsize=8)
def translations(locale: Locale, domain: str = DOMAIN) -> _gettext.NullTranslations:
    """The compiled catalog of one language (French: the msgids themselves)."""
    path = catalog_path(locale, domain)
    if locale == DEFAULT_LOCALE or not path.exists():
        return _gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def N_(message: str) -> str:  # noqa: N802  (gettext's conventional name)
    """Mark a French constant for extraction; translate it later with `gettext`."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Mark a singular/plural pair for extraction; pass both to `ngettext` later."""
    return singular, plural


def by_locale(message: str) -> dict[Any, str]:
    """{"fr": message, "en": its English}: for tables looked up as `TABLE[code][locale]`.

    Keyed by `Locale`; typed `Any` so that tables annotated `dict[str, dict[str, str]]` or
    `dict[str, dict[Locale, str]]` both accept it after a conversion by the tool."""
    return {locale: gettext(message, locale) for locale in LOCALES}


def by_locale_table(table: dict[str, str]) -> dict[Any, dict[str, str]]:
    """{key: N_("Texte")} → {"fr": {key: "Texte"}, "en": {key: "Text"}} (`TABLE[locale][key]`)."""
    return {locale: {k: gettext(v, locale) for k, v in table.items()} for locale in LOCALES}


def referential_gettext(text: str, locale: Locale) -> str:
    """A text of the curated referential (a title, a label, a descriptor) in `locale`, from
    the `referential` catalog; as written when the catalog lacks it."""
    if locale == DEFAULT_LOCALE or not text:
        return text
    return translations(locale, REFERENTIAL_DOMAIN).gettext(text)


def _fill(text: str, params: dict[str, object]) -> str:
    return text.format(**params) if params else text


def gettext(message: str, locale: Locale, /, **params: object) -> str:
    """The message in `locale`, its `{placeholders}` filled from `params`."""
    text = message if locale == DEFAULT_LOCALE else translations(locale).gettext(message)
    return _fill(text, params)


def pgettext(context: str, message: str, locale: Locale, /, **params: object) -> str:
    """`gettext` for a French word that translates differently in two places."""
    text = message if locale == DEFAULT_LOCALE else translations(locale).pgettext(context, message)
    return _fill(text, params)


@lru_cache(maxsize=4096)
def plural_category(count: float, locale: Locale) -> str:
    """CLDR's plural category: French counts 0 and 1 as singular, English only 1.

    Cached: Babel evaluates the CLDR rule text on every call, and the same counts recur."""
    return str(_cldr(locale).plural_form(abs(count)))


def ngettext(singular: str, plural: str, count: int, locale: Locale, /, **params: object) -> str:
    """Singular or plural by the language's rule; `{n}` is the count unless given."""
    params.setdefault("n", count)
    if locale == DEFAULT_LOCALE:
        text = singular if plural_category(count, locale) == "one" else plural
    else:
        text = translations(locale).ngettext(singular, plural, count)
    return _fill(text, params)


# Numbers, percentages, money, dates: Babel's CLDR data ------------------------------------

_BABEL_LOCALE: Final[dict[Locale, str]] = {"fr": "fr_FR", "en": "en_GB"}


def babel_locale(locale: Locale) -> str:
    return _BABEL_LOCALE[locale]


@lru_cache(maxsize=8)
def _cldr(locale: Locale) -> _BabelLocale:
    """Babel's parsed locale, once per process (parsing it costs more than formatting)."""
    return _BabelLocale.parse(_BABEL_LOCALE[locale])


def format_decimal(value: float, locale: Locale, digits: int = 1, *, grouping: bool = True) -> str:
    """2.5 → '2,5' (fr) or '2.5' (en); at most `digits` decimals, none when round.

    `grouping=False` for a value a person edits in a form field (10099, not 10 099).
    """
    # -0.0 and 0.0 are one cache key: normalise before the cache (« -0 » never shows).
    return _format_decimal(value + 0.0 if value else 0.0, locale, digits, grouping)


@lru_cache(maxsize=4096)
def _format_decimal(value: float, locale: Locale, digits: int, grouping: bool) -> str:
    pattern = ("#,##0" if grouping else "0") + ("." + "#" * digits if digits > 0 else "")
    return str(_numbers.format_decimal(value, format=pattern, locale=_cldr(locale)))


def format_integer(value: float, locale: Locale) -> str:
    """12345 → '12 345' (narrow no-break space, fr) or '12,345' (en)."""
    return format_decimal(round(value), locale, digits=0)


def format_percent(value: float, locale: Locale) -> str:
    """72.4 (a percentage, not a ratio) → '72 %' (fr, narrow no-break space) or '72%'.

    Whole percents, truncated (72.9 is not yet 73 %) and at most 100.
    """
    whole = min(int(value), 100)
    pattern = "#,##0\u202f%" if locale == "fr" else "#,##0%"
    return str(_numbers.format_percent(whole / 100, format=pattern, locale=_cldr(locale)))


def format_euros(amount: float, locale: Locale) -> str:
    """1200 → '1 200 €' (fr) or '€1,200' (en), no cents."""
    return _format_euros(round(amount) + 0 if amount else 0, locale)


@lru_cache(maxsize=4096)
def _format_euros(amount: int, locale: Locale) -> str:
    return str(
        _numbers.format_currency(
            round(amount),
            "EUR",
            format="#,##0\u00a0¤" if locale == "fr" else "¤#,##0",
            locale=_cldr(locale),
            currency_digits=False,
        )
    )


_FIRST_OF_MONTH = re.compile(r"^1(?=\s)")


def format_duration(hours: float, locale: Locale) -> str:
    """A configured duration in words, exactly: 24 → '1 jour', 48 → '2 jours', 12 → '12
    heures', 1.5 → '90 minutes'; '1 day', '12 hours' in English (CLDR units, plurals
    included). Whole days when it is a whole number of days, else whole hours, else
    minutes (rounded, at least one for a duration above 0): never a rounded « 2 jours »
    for 36 hours."""
    minutes = max(1, round(hours * 60)) if hours > 0 else 0
    if minutes % (24 * 60) == 0 and minutes:
        value, unit = minutes // (24 * 60), "duration-day"
    elif minutes % 60 == 0:
        value, unit = minutes // 60, "duration-hour"
    else:
        value, unit = minutes, "duration-minute"
    return str(_units.format_unit(value, unit, length="long", locale=_cldr(locale)))


def format_date(day: date, locale: Locale) -> str:
    """'1er décembre 2026', '2 décembre 2026'; '1 December 2026' in English (CLDR long date).

    French writes the first day of a month as an ordinal (« le 1er »); CLDR has no such
    pattern, so that one rule is ours.
    """
    text = str(_dates.format_date(day, format="long", locale=_cldr(locale)))
    if locale == "fr" and day.day == 1:
        text = _FIRST_OF_MONTH.sub("1er", text)
    return text


def format_short_date(day: date, locale: Locale) -> str:
    """'01/12/2026' (fr) or '01/12/2026' (en-GB): CLDR's short date with a full year."""
    return str(_dates.format_date(day, format="dd/MM/y", locale=_cldr(locale)))


def format_list(items: list[str], locale: Locale) -> str:
    """['a', 'b', 'c'] → 'a, b et c' / 'a, b and c' (CLDR list patterns)."""
    from babel.lists import format_list as _format_list

    return str(_format_list(items, locale=_cldr(locale)))
