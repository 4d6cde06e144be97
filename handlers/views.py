"""What the citizen sees: texts and keyboards built from domain results, through gettext."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.channels.telegram.render import quote
from bot.texts.i18n import gettext_for
from handlers.callbacks import (
    AskAbout,
    BrowseAgencies,
    BrowseServices,
    Feedback,
    LangChoice,
    NoneOfThese,
    PickEntry,
    ShowCard,
)
from knowledge.catalog import AgencyItem, ServiceItem
from knowledge.choices import service_labels
from knowledge.model import CARD_SECTIONS, EntryInfo, Lang, other_lang

Gettext = Callable[[str], str]
PAGE_SIZE: Final = 6
BUTTON_TEXT_LIMIT: Final = 60
LABELLED_BUTTON_LIMIT: Final = 80  # a choice with its service's name: one line on a phone


def texts_of(lang: str) -> Gettext:
    return gettext_for(lang).gettext


def pick_text(texts: dict[str, str], lang: str) -> tuple[str, bool]:
    """A data text in ``lang``, or in the other language (and True) when it lacks one."""
    if texts.get(lang):
        return texts[lang], False
    return texts.get("ru" if lang == "kk" else "kk", ""), True


def shorten(text: str, limit: int = BUTTON_TEXT_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def menu_buttons(lang: str) -> dict[str, str]:
    """The main menu's labels, by action."""
    _ = texts_of(lang)
    return {
        "ask": _("❓ Ask a question"),
        "browse": _("📚 Services"),
        "complaint": _("📝 Complaint"),
        "lang": _("🌐 Language"),
        "help": _("ℹ️ Help"),
        "status": _("📄 Application status"),
    }


def menu_labels(action: str) -> set[str]:
    """A menu button's label in every language (a citizen may press an older keyboard)."""
    return {menu_buttons(lang)[action] for lang in ("kk", "ru")}


def menu_keyboard(lang: str) -> ReplyKeyboardMarkup:
    labels = menu_buttons(lang)
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=labels["ask"]), KeyboardButton(text=labels["browse"])],
            [KeyboardButton(text=labels["status"]), KeyboardButton(text=labels["complaint"])],
            [KeyboardButton(text=labels["lang"]), KeyboardButton(text=labels["help"])],
        ],
        resize_keyboard=True,
    )


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text="Қазақша", callback_data=LangChoice(lang="kk").pack()),
        InlineKeyboardButton(text="Русский", callback_data=LangChoice(lang="ru").pack()),
    ]])


def missing_language_note(lang: str, shown: str) -> str:
    _ = texts_of(lang)
    if shown == "ru":
        return _("This answer exists only in Russian.")
    return _("This answer exists only in Kazakh.")


def answer_view(entry: EntryInfo, lang: Lang) -> tuple[str, InlineKeyboardMarkup]:
    """The answer text in the citizen's language, a card button and 👍 / 👎."""
    _ = texts_of(lang)
    shown, text = entry.answer_in(lang)
    html = quote(text)
    if shown != lang:
        html = f"<i>{quote(missing_language_note(lang, shown))}</i>\n\n{html}"
    buttons = [
        [InlineKeyboardButton(text=_("📋 Full service card"),
                              callback_data=ShowCard(service=entry.service.id).pack())],
        [
            InlineKeyboardButton(text="👍", callback_data=Feedback(entry=entry.id,
                                                                  helpful=True).pack()),
            InlineKeyboardButton(text="👎", callback_data=Feedback(entry=entry.id,
                                                                  helpful=False).pack()),
        ],
    ]
    return html, InlineKeyboardMarkup(inline_keyboard=buttons)


def entry_title(entry: EntryInfo, lang: Lang) -> str:
    for code in (lang, other_lang(lang)):
        questions = entry.questions.get(code)
        if questions:
            return questions[0]
    return entry.key


def choice_text(title: str, label: str | None, lang: Lang) -> str:
    """A choice's button: its question, and its service's short name when the choices span
    services (``knowledge.choices``)."""
    if label is None:
        return shorten(title)
    _ = texts_of(lang)
    room = max(BUTTON_TEXT_LIMIT // 2, LABELLED_BUTTON_LIMIT - len(label) - 3)
    # TRANSLATORS: a choice among questions of several services, e.g. "Сколько стоит?
    # (адресной справки)"; {service} is the service's name in short
    return _("{question} (service: {service})").format(question=shorten(title, room),
                                                        service=label)


def choices_view(choices: Sequence[EntryInfo], lang: Lang) -> tuple[str, InlineKeyboardMarkup]:
    _ = texts_of(lang)
    labels = service_labels(choices, lang)
    rows = [
        [InlineKeyboardButton(text=choice_text(entry_title(entry, lang), label, lang),
                              callback_data=PickEntry(entry=entry.id).pack())]
        for entry, label in zip(choices, labels, strict=True)
    ]
    rows.extend(ask_about_rows(choices, lang))
    rows.append([InlineKeyboardButton(text=_("None of these: pass my question to a person"),
                                      callback_data=NoneOfThese().pack())])
    return quote(_("Did you mean one of these?")), InlineKeyboardMarkup(inline_keyboard=rows)


def ask_about_rows(
    choices: Sequence[EntryInfo], lang: Lang
) -> list[list[InlineKeyboardButton]]:
    """When the choices span several services, the citizen may say which one the question
    is about: it goes to that agency, not only to the best guess's."""
    _ = texts_of(lang)
    services = {entry.service.id: entry.service for entry in choices if entry.service.id}
    if len(services) < 2:  # one service: "none of these" goes to its agency anyway
        return []
    return [
        [InlineKeyboardButton(
            text=shorten(_("👤 To a person, on the service: {service}").format(
                service=pick_text(dict(service.name), lang)[0])),
            callback_data=AskAbout(service=service_id).pack())]
        for service_id, service in services.items()
    ]


def escalated_text(reference: str, lang: Lang, *, to_agency: bool) -> str:
    """Where the question went: an agency's queue, or the operators' triage (no agency has
    it yet, and the citizen is not told otherwise)."""
    _ = texts_of(lang)
    if not to_agency:
        return quote(_(
            "I could not find the answer in the knowledge base. Your question has been "
            "passed to the contact center's staff. Reference number: {reference}. The answer "
            "will come in this chat."
        ).format(reference=reference))
    return quote(_(
        "I could not find the answer in the knowledge base. Your question has been passed "
        "to the agency responsible for the service. Reference number: {reference}. "
        "The answer will come in this chat."
    ).format(reference=reference))


def section_titles(lang: str) -> dict[str, str]:
    _ = texts_of(lang)
    return {
        "provider": _("Who provides it"),
        "term": _("Term"),
        "form": _("Form"),
        "result": _("Result"),
        "fee": _("Fee"),
        "schedule": _("Working hours"),
        "documents": _("Documents"),
        "refusal_grounds": _("Grounds for refusal"),
        "appeal": _("How to appeal"),
        "where": _("Where and how to apply"),
        "contacts": _("Contacts"),
        "other": _("Other"),
    }


def card_text(name: dict[str, str], card: dict[str, dict[str, str]], lang: Lang) -> str:
    """The service card, section by section, each in the citizen's language when it exists."""
    _ = texts_of(lang)
    title, _missing = pick_text(name, lang)
    lines = [f"<b>{quote(title)}</b>"]
    titles = section_titles(lang)
    missing_any = False
    for section in CARD_SECTIONS:
        texts = card.get(section)
        if not texts:
            continue
        text, missing = pick_text(texts, lang)
        missing_any = missing_any or missing
        lines.append(f"\n<b>{quote(titles[section])}</b>\n{quote(text)}")
    if len(lines) == 1:
        lines.append(quote(_("The card of this service has not been filled in yet.")))
    if missing_any:
        lines.append("\n<i>" + quote(missing_language_note(lang, other_lang(lang))) + "</i>")
    return "\n".join(lines)


def _pager(
    page: int, pages: int, make: Callable[[int], str]
) -> list[InlineKeyboardButton]:
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(text="◀", callback_data=make(page - 1)))
    if pages > 1:
        row.append(InlineKeyboardButton(text=f"{page + 1}/{pages}",
                                        callback_data=make(page)))
    if page < pages - 1:
        row.append(InlineKeyboardButton(text="▶", callback_data=make(page + 1)))
    return row


def agencies_view(
    agencies: Sequence[AgencyItem], page: int, lang: Lang
) -> tuple[str, InlineKeyboardMarkup]:
    _ = texts_of(lang)
    pages = max(1, -(-len(agencies) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    rows = [
        [InlineKeyboardButton(text=shorten(pick_text(a.name, lang)[0]),
                              callback_data=BrowseServices(agency=a.id).pack())]
        for a in agencies[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    ]
    pager = _pager(page, pages, lambda p: BrowseAgencies(page=p).pack())
    if pager:
        rows.append(pager)
    return quote(_("Choose an agency:")), InlineKeyboardMarkup(inline_keyboard=rows)


def services_view(
    agency: AgencyItem, services: Sequence[ServiceItem], page: int, lang: Lang
) -> tuple[str, InlineKeyboardMarkup]:
    _ = texts_of(lang)
    pages = max(1, -(-len(services) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    rows = [
        [InlineKeyboardButton(text=shorten(pick_text(s.name, lang)[0]),
                              callback_data=ShowCard(service=s.id).pack())]
        for s in services[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    ]
    pager = _pager(page, pages, lambda p: BrowseServices(agency=agency.id, page=p).pack())
    if pager:
        rows.append(pager)
    rows.append([InlineKeyboardButton(text=_("◀ Agencies"),
                                      callback_data=BrowseAgencies().pack())])
    title = pick_text(agency.name, lang)[0]
    text = f"<b>{quote(title)}</b>\n" + quote(_("Choose a service:"))
    return text, InlineKeyboardMarkup(inline_keyboard=rows)
