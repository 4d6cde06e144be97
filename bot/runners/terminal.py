"""The terminal chat: the same engine as the bots, for a quick local conversation.

A question nobody can answer is passed to a person as on every channel: an escalation
with its reference (channel ``terminal``; ``ucc ask``: ``cli``). Nothing can reach the
terminal later, so the reply says how to learn the answer instead of promising it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from bot.texts.i18n import gettext_for
from bot.texts.length import too_long_text
from bot.texts.scope import out_of_scope_text
from bot.texts.small_talk import small_talk_text
from knowledge.asking import MatcherCache, talk_of
from knowledge.choices import service_labels
from knowledge.citizens import citizen_for
from knowledge.clock import Clock
from knowledge.db.uow import UnitOfWork
from knowledge.dialogue import ask_once, escalate
from knowledge.length import TooLong, over_limit
from knowledge.matching.matcher import OUT_OF_SCOPE
from knowledge.model import Answer, Decision, EntryInfo, Lang
from knowledge.text.analyse import split_words

QUIT_WORDS = frozenset({"/quit", "/exit", "/шығу", "/выход"})
CHANNEL = "terminal"


def _entry_title(entry: EntryInfo, lang: Lang) -> str:
    for code in (lang, "ru" if lang == "kk" else "kk"):
        questions = entry.questions.get(code)
        if questions:
            return questions[0]
    return entry.key


def _choice(title: str, label: str | None, lang: Lang) -> str:
    """A numbered question, with its service in short when the choices span services."""
    if label is None:
        return title
    _ = gettext_for(lang).gettext
    return _("{question} (service: {service})").format(question=title, service=label)


def answer_lines(entry: EntryInfo, lang: Lang) -> list[str]:
    """An entry's answer in the citizen's language, or in the other one with a word that
    it exists only there (as Telegram says it), whether answered or picked from a list."""
    _ = gettext_for(lang).gettext
    shown_lang, text = entry.answer_in(lang)
    if shown_lang == lang:
        return [text]
    return [_("This answer exists only in Russian.") if shown_lang == "ru"
            else _("This answer exists only in Kazakh."), text]


def render_answer(
    answer: Answer, entries: dict[str, EntryInfo], lang: Lang, *,
    too_long: TooLong | None = None, reference: str | None = None,
) -> list[str]:
    """Lines to show for one verdict of the engine, in the citizen's language;
    ``too_long``: the question was over the limit, and not matched; ``reference``: the
    escalation it was passed on as."""
    _ = gettext_for(lang).gettext
    if too_long is not None:
        return [too_long_text(too_long, lang)]
    talk = talk_of(answer)
    if talk is not None:
        return [small_talk_text(talk, lang)]
    if answer.reason == OUT_OF_SCOPE:
        return [out_of_scope_text(lang)]
    if answer.reason in {"empty", "no_words"}:
        return [_(
            "Please write your question in words, for example: how much does a passport cost?"
        )]
    if answer.decision == Decision.ANSWER and answer.entry:
        return answer_lines(entries[answer.entry], lang)
    if answer.decision == Decision.CLARIFY:
        lines = [_("Did you mean one of these? Reply with its number:")]
        choices = [entries[c.entry] for c in answer.candidates]
        lines += [
            f"  {n}. {_choice(_entry_title(entry, lang), label, lang)}"
            for n, (entry, label) in enumerate(zip(choices, service_labels(choices, lang),
                                                   strict=True), 1)
        ]
        lines.append("  0. " + _("None of these: pass my question to a person"))
        return lines
    if reference is not None:
        return [_("I could not find an answer in the knowledge base."),
                _("Your question has been passed to the contact center's staff under the "
                  "number {reference}.").format(reference=reference),
                _("The answer cannot come back to this terminal: ask for it on the 1414 line, "
                  "giving the number.")]
    return [_("I could not find an answer in the knowledge base. Your question has been "
              "kept for the contact center's staff to improve the base.")]


class TerminalChat:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        matchers: MatcherCache,
        clock: Clock,
        lang: Lang,
        out: TextIO,
        *,
        address: str,
    ) -> None:
        self.uow_factory = uow_factory
        self.address = address  # who is at the terminal (the login name)
        self.matchers = matchers
        self.clock = clock
        self.lang: Lang = lang
        self.out = out
        self.pending: tuple[str, ...] = ()
        self.pending_question = ""

    def say(self, *lines: str) -> None:
        for line in lines:
            print(line, file=self.out)

    def greet(self) -> None:
        _ = gettext_for(self.lang).gettext
        self.say(_("Hello! I answer questions about public services in Kazakh and Russian."),
                 _("Commands: /lang kk or /lang ru to change the language, /quit to leave."))

    async def handle(self, line: str) -> bool:
        """Process one line; False when the citizen leaves."""
        text = line.strip()
        _ = gettext_for(self.lang).gettext
        if text.lower() in QUIT_WORDS:
            self.say(_("Goodbye!"))
            return False
        if text.lower().startswith("/lang"):
            words = text.split()
            if len(words) == 2 and words[1] in ("kk", "ru"):
                self.lang = words[1]  # type: ignore[assignment]
                self.say(gettext_for(self.lang).gettext("Language changed."))
            else:
                self.say(_("Use /lang kk or /lang ru."))
            return True
        too_long = over_limit(text, self.matchers.max_chars)
        async with self.uow_factory() as uow:
            matcher = await self.matchers.get(uow)
            entries = matcher.entries_by_key
            if self.pending and too_long is None and text.isdigit():
                choice = int(text)
                if 1 <= choice <= len(self.pending) and self.pending[choice - 1] in entries:
                    entry = entries[self.pending[choice - 1]]
                    self.pending = ()
                    self.say(*answer_lines(entry, self.lang))
                    return True
                if choice == 0:
                    self.pending = ()
                    citizen = await citizen_for(uow, CHANNEL, self.address, self.clock)
                    passed = await escalate(uow, self.matchers, citizen,
                                            self.pending_question, lang=self.lang,
                                            clock=self.clock)
                    await uow.commit()
                    self.say(*render_answer(_escalated(self.lang), entries, self.lang,
                                            reference=passed))
                    return True
            citizen = await citizen_for(uow, CHANNEL, self.address, self.clock)
            answer, reference = await ask_once(uow, self.matchers, citizen, text,
                                               fallback_lang=self.lang, clock=self.clock)
            await uow.commit()
        if too_long is not None or split_words(text):
            self.lang = answer.lang
        self.pending = tuple(c.entry for c in answer.candidates) \
            if answer.decision == Decision.CLARIFY else ()
        self.pending_question = text
        self.say(*render_answer(answer, entries, self.lang, too_long=too_long,
                                reference=reference))
        return True


def _escalated(lang: Lang) -> Answer:
    return Answer(Decision.ESCALATE, lang, None, 0.0, ())
