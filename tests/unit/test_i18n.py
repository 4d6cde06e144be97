"""The gettext catalogs follow the code: every text extracted, translated, compiled.

After changing a user-facing string, run ``scripts/i18n all`` and translate what it marks.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from bot.texts.i18n import gettext_for

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
POT = LOCALES / "messages.pot"
LANGS = ("kk", "ru")
# The same extraction as `scripts/i18n extract`: keep the two in step.
SOURCES = ("bot", "handlers", "knowledge")
KEYWORDS = ("_", "gettext", "ngettext:1,2", "lazy_gettext")

PLURAL_FORMS = {
    "kk": "nplurals=2; plural=(n != 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 "
          "&& (n%100<10 || n%100>=20) ? 1 : 2);",
}
KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")

MessageKey = tuple[str | tuple[str, ...], str | None]


def _read_po(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def _po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / "messages.po"


def _key(message: Message) -> MessageKey:
    msgid = tuple(message.id) if isinstance(message.id, list | tuple) else message.id
    return msgid, message.context


def _keys(catalog: Catalog) -> set[MessageKey]:
    return {_key(m) for m in catalog if m.id}


def _forms(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _placeholders(text: str) -> set[str]:
    """The ``{fields}`` of a str.format text, with their conversion and format spec."""
    fields = set()
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            fields.add(f"{{{name}{'!' + conversion if conversion else ''}"
                       f"{':' + spec if spec else ''}}}")
    return fields


def _translated(catalog: Catalog) -> dict[MessageKey, tuple[str, ...]]:
    """What `pybabel compile` puts in the .mo: the non-fuzzy messages with a translation."""
    return {
        _key(m): _forms(m.string)
        for m in catalog
        if m.id and not m.fuzzy and all(_forms(m.string))
    }


@pytest.fixture(scope="module")
def pot() -> Catalog:
    return _read_po(POT)


@pytest.fixture(scope="module")
def live_messages(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """Extract the code as it is now, with the settings of ``scripts/i18n extract``."""
    out = tmp_path_factory.mktemp("i18n") / "messages.pot"
    argv = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--no-default-keywords"]
    for keyword in KEYWORDS:
        argv += ["-k", keyword]
    argv += ["--add-comments=TRANSLATORS:", "-o", str(out)]
    argv += [str(ROOT / source) for source in SOURCES if (ROOT / source).is_dir()]
    CommandLineInterface().run(argv)  # type: ignore[no-untyped-call]
    return _read_po(out)


def test_every_string_marked_in_the_code_is_in_the_committed_pot(
    pot: Catalog, live_messages: Catalog
) -> None:
    assert _keys(live_messages), "the extraction found no strings at all"
    missing = _keys(live_messages) - _keys(pot)
    assert not missing, f"run scripts/i18n all: not in messages.pot: {sorted(map(str, missing))}"


def test_the_pot_holds_no_string_that_left_the_code(
    pot: Catalog, live_messages: Catalog
) -> None:
    stale = _keys(pot) - _keys(live_messages)
    assert not stale, f"run scripts/i18n all: gone from the code: {sorted(map(str, stale))}"


@pytest.mark.parametrize("lang", LANGS)
def test_each_catalog_has_the_headers_of_its_language(lang: str) -> None:
    catalog = _read_po(_po_path(lang))
    headers = dict(catalog.mime_headers)
    assert headers["Language"] == lang
    assert headers["Plural-Forms"] == PLURAL_FORMS[lang]
    assert catalog.charset.lower() == "utf-8"
    assert "charset=utf-8" in headers["Content-Type"].lower()
    assert not catalog.fuzzy, "a fuzzy header makes pybabel compile skip the catalog"


@pytest.mark.parametrize("lang", LANGS)
def test_each_catalog_translates_every_message_of_the_pot(pot: Catalog, lang: str) -> None:
    catalog = _read_po(_po_path(lang))
    missing = _keys(pot) - _keys(catalog)
    assert not missing, f"{lang}: run scripts/i18n update, missing {sorted(map(str, missing))}"
    extra = _keys(catalog) - _keys(pot)
    assert not extra, f"{lang}: run scripts/i18n update, not in the pot {sorted(map(str, extra))}"
    nplurals = catalog.num_plurals
    problems = []
    for message in catalog:
        if not message.id:
            continue
        forms = _forms(message.string)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not forms or not all(form.strip() for form in forms):
            problems.append(f"untranslated: {message.id!r}")
        elif message.pluralizable and len(forms) != nplurals:
            problems.append(f"{len(forms)} plural forms instead of {nplurals}: {message.id!r}")
    assert not problems, f"{lang}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_the_placeholders_of_the_source(lang: str) -> None:
    catalog = _read_po(_po_path(lang))
    problems = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        source = set().union(*(_placeholders(form) for form in _forms(message.id)))
        translated = [_placeholders(form) for form in _forms(message.string)]
        if message.pluralizable:
            # a plural form may leave the count out ("one file"), but adds nothing
            ok = all(t <= source for t in translated) and set().union(*translated) == source
        else:
            ok = translated[0] == source
        if not ok:
            problems.append(f"{message.id!r}: {sorted(source)} vs {translated}")
    assert not problems, f"{lang}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_translations_pass_babels_own_checks(lang: str) -> None:
    catalog = _read_po(_po_path(lang))
    problems = [
        f"{message.id!r}: {error}" for message, errors in catalog.check() for error in errors
    ]
    assert not problems, f"{lang}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_the_compiled_mo_matches_its_po(lang: str) -> None:
    po = _read_po(_po_path(lang))
    mo_path = _po_path(lang).with_suffix(".mo")
    assert mo_path.is_file(), f"run scripts/i18n compile: no {mo_path}"
    with mo_path.open("rb") as fh:
        mo = read_mo(fh)
    assert _translated(mo) == _translated(po), f"run scripts/i18n compile: {mo_path} is stale"
    assert mo.plural_forms == po.plural_forms
    assert mo.charset.lower() == po.charset.lower()


def test_the_kazakh_catalog_is_written_with_kazakh_letters() -> None:
    text = "".join(
        form for m in _read_po(_po_path("kk")) if m.id for form in _forms(m.string)
    )
    assert KAZAKH_LETTERS & set(text), "no ә ғ қ ң ө ұ ү һ і anywhere: is this Kazakh?"


def test_the_russian_catalog_has_no_kazakh_letters() -> None:
    problems = [
        m.id for m in _read_po(_po_path("ru"))
        if m.id and KAZAKH_LETTERS & set("".join(_forms(m.string)))
    ]
    assert not problems, f"Kazakh letters in the Russian catalog: {problems}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_running_bot_answers_in_the_language_of_the_catalog(lang: str) -> None:
    translations = gettext_for(lang)
    checked = 0
    for message in _read_po(_po_path(lang)):
        if not isinstance(message.id, str) or message.context or message.fuzzy:
            continue  # plural and context forms are compiled the same way
        if not message.string:
            continue  # untranslated: the test of the catalog reports it
        assert translations.gettext(message.id) == message.string
        assert message.string != message.id
        checked += 1
    assert checked, f"{lang}: no plain message to look up"


def test_the_running_bot_says_goodbye_in_kazakh_and_russian() -> None:
    assert gettext_for("kk").gettext("Goodbye!") == "Сау болыңыз!"
    assert gettext_for("ru").gettext("Goodbye!") == "До свидания!"
