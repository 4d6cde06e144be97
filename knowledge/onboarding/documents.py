"""The onboarding documents an agency opens in a spreadsheet, fills and sends back.

The center asks for each new service's information with the request form of Annex 1
(002 p.4), and the agency answers with a template that reads back into a knowledge pack.
Agencies work in Excel, not JSON, so both are .xlsx; a filled template is checked cell by
cell and then by the pack's own validation, so it obeys the same rules as a JSON pack.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import astuple, dataclass, replace
from datetime import date, datetime
from functools import cache
from importlib import resources
from io import BytesIO
from typing import Any, Final
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from knowledge.errors import InvalidPack
from knowledge.model import LANGS
from knowledge.pack.validate import parse_pack
from knowledge.problems import Problem, marked

MAX_WORKBOOK_BYTES: Final = 20 * 1024 * 1024

_ = marked  # the problems of a filled template: translated when shown to the agency
SHEET_MISSING: Final = _('the sheet "{sheet}" is missing')
UNKNOWN_ROW: Final = _('unknown row "{key}"')
ROW_TWICE: Final = _('the row "{key}" is there twice')
ROW_MISSING: Final = _('the row "{key}" is missing')
REGISTER_NO_CHANGED: Final = _('the register number must stay "{expected}", found "{found}"')
AGENCY_CHANGED: Final = _('the agency must stay "{expected}", found "{found}"')
NO_SECTION_KEY: Final = _("a text without its section key")
UNKNOWN_SECTION: Final = _('unknown section "{key}" (one of: {sections})')
SECTION_TWICE: Final = _('the section "{key}" is there twice (first in row {first})')
ID_TWICE: Final = _('the id "{key}" is already used in row {first}')
MADE_ID_TWICE: Final = _('the id "{key}" made for this row is already used in row {first}')
NO_QUESTION: Final = _("the entry has no question: write one in Kazakh (B) or Russian (C)")
NO_ANSWER: Final = _("the entry has no answer: write it in Kazakh (D) or Russian (E)")
TOO_LARGE: Final = _("larger than {mb} MB")
NOT_A_WORKBOOK: Final = _("not an .xlsx workbook")

_BOLD: Final = Font(bold=True)
_WRAP: Final = Alignment(wrap_text=True, vertical="top")
_THIN: Final = Side(style="thin")
_BOX: Final = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_EDITABLE: Final = Protection(locked=False)
_TEXT_FORMAT: Final = "@"  # register numbers and phones stay text, leading zeros kept


# --- Annex 1: the request form --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RequestRow:
    """One service of the request form, in the order of Annex 1's columns."""

    register_no: str
    name_kk: str
    name_ru: str
    standard: str = ""  # the act approving the standard: its number and date
    regulation: str = ""  # the act approving the regulation: its number and date
    changes: str = ""  # changes of legal acts
    web_page: str = ""
    responsible: str = ""  # full name and position
    phone_email: str = ""


REQUEST_TITLE: Final = {
    "kk": "Мемлекеттік көрсетілетін қызметтер туралы ақпарат беру туралы сұрау салу",
    "ru": "Запрос о предоставлении информации о государственных услугах",
}
REQUEST_SHEETS: Final = {"kk": "Қазақша", "ru": "Русский"}
# Annex 1's column headings; the Kazakh ones as in the order's own text (002, annex 1).
REQUEST_HEADERS: Final = {
    "kk": (
        "Р/с №",
        "Мемлекеттік көрсетілетін қызметтің тізілімдегі №",
        "Мемлекеттік көрсетілетін қызметтің атауы",
        "Мемлекеттік көрсетілетін қызмет стандарты (оның деректемелерін көрсете отырып: "
        "актінің нөмірі мен күні)",
        "Мемлекеттік көрсетілетін қызмет регламенті (оның деректемелерін көрсете отырып)",
        "Нормативтік құқықтық актілердің өзгерістері",
        "Мемлекеттік көрсетілетін қызмет туралы ақпарат орналасқан интернет-ресурс",
        "Жауапты тұлғаның тегі, аты, әкесінің аты, лауазымы",
        "Жауапты тұлғаның байланыс телефоны, электрондық пошта мекенжайы",
    ),
    "ru": (
        "№ п/п",
        "№ государственной услуги в реестре",
        "Наименование государственной услуги",
        "Стандарт государственной услуги (с указанием реквизитов: номер и дата акта)",
        "Регламент государственной услуги (с указанием реквизитов)",
        "Изменения нормативных правовых актов",
        "Интернет-ресурс, на котором размещена информация о государственной услуге",
        "Фамилия, имя, отчество, должность ответственного лица",
        "Контактный телефон, адрес электронной почты ответственного лица",
    ),
}
REQUEST_FOOTER: Final = {"kk": ("Орындаушы", "Күні"), "ru": ("Исполнитель", "Дата")}
# The executor nobody registered a full name for: a line to fill by hand, never a login.
EXECUTOR_BLANK: Final = {
    "kk": "______________________________ (тегі, аты, әкесінің аты, лауазымы)",
    "ru": "______________________________ (фамилия, имя, отчество, должность)",
}
_REQUEST_WIDTHS: Final = (6, 14, 40, 32, 32, 28, 28, 30, 28)


def request_form(rows: list[RequestRow], *, executor: str | None, on: date) -> bytes:
    """Annex 1 as a workbook: a sheet in Kazakh and one in Russian, one row per service;
    ``executor`` is the center's person by full name and position (None: a blank)."""
    book = Workbook()
    book.remove(book.active)
    for lang in LANGS:
        sheet = book.create_sheet(REQUEST_SHEETS[lang])
        sheet.append([REQUEST_TITLE[lang]])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1,
                          end_column=len(_REQUEST_WIDTHS))
        sheet["A1"].font = Font(bold=True, size=13)
        sheet["A1"].alignment = Alignment(horizontal="center", wrap_text=True)
        sheet.append([])
        sheet.append(list(REQUEST_HEADERS[lang]))
        for number, row in enumerate(rows, start=1):
            fields = astuple(row)
            name = row.name_kk if lang == "kk" else row.name_ru
            sheet.append([number, row.register_no, name, *fields[3:]])
            sheet.cell(sheet.max_row, 2).number_format = _TEXT_FORMAT
        for line in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
            for cell in line:
                cell.alignment, cell.border = _WRAP, _BOX
        for cell in sheet[3]:
            cell.font = _BOLD
        executor_label, date_label = REQUEST_FOOTER[lang]
        sheet.append([])
        sheet.append([None, executor_label, executor or EXECUTOR_BLANK[lang]])
        sheet.append([None, date_label, on])
        sheet.cell(sheet.max_row - 1, 2).font = _BOLD
        sheet.cell(sheet.max_row, 2).font = _BOLD
        sheet.cell(sheet.max_row, 3).number_format = "DD.MM.YYYY"
        sheet.cell(sheet.max_row, 3).alignment = Alignment(horizontal="left")
        _widths(sheet, _REQUEST_WIDTHS)
        _landscape(sheet, repeat_rows="3:3")
    return _saved(book)


# --- the service's information: a template that reads back into a pack ---------------

INFO_SHEETS: Final = ("README", "service", "card", "faq")
_DATA_SHEETS: Final = INFO_SHEETS[1:]
# Each sheet's title, as the agency's people read it in both languages (Excel allows 31
# characters); a template sent out under the old English titles (the keys) still reads.
SHEET_TITLES: Final[dict[str, str]] = {
    "README": "Нұсқаулық — Инструкция",
    "service": "Қызмет — Услуга",
    "card": "Сипаттама — Описание",
    "faq": "Сұрақ-жауап — Вопросы и ответы",
}

_PLAIN_TITLE: Final = re.compile(r"\w+")  # Excel quotes any other sheet title in a reference
_PLACE: Final = re.compile(r"('[^']+'|\w+)!([A-Z]+)(\d*)(?::[A-Z]+)?")

# Titles of the card's sections, with what the agency should write in each (001 p.10).
SECTION_TITLES: Final[dict[str, tuple[str, str]]] = {
    "provider": ("Көрсетілетін қызметті беруші (өтінішті кім қабылдайды, нәтижені кім береді)",
                 "Услугодатель (кто принимает заявление и выдаёт результат)"),
    "term": ("Қызмет көрсету мерзімі (құжаттарды тапсырған сәттен бастап; күтудің ең ұзақ "
             "уақыты)",
             "Срок оказания услуги (с момента сдачи документов; наибольшее время ожидания)"),
    "form": ("Қызмет көрсету нысаны (электрондық немесе қағаз жүзінде)",
             "Форма оказания услуги (электронная или бумажная)"),
    "result": ("Қызмет көрсету нәтижесі және оны беру тәсілі",
               "Результат оказания услуги и способ его выдачи"),
    "fee": ("Қызмет ақысы (мөлшері, тегін немесе ақылы, төлеу тәсілі)",
            "Стоимость (размер, бесплатно или платно, способ оплаты)"),
    "schedule": ("Жұмыс кестесі", "График работы"),
    "documents": ("Қажетті құжаттар тізбесі", "Перечень необходимых документов"),
    "refusal_grounds": ("Қызмет көрсетуден бас тарту негіздері",
                        "Основания для отказа в оказании услуги"),
    "appeal": ("Шағымдану тәртібі", "Порядок обжалования"),
    "where": ("Қайда және қалай жүгінуге болады", "Куда и как обращаться"),
    "contacts": ("Байланыс ақпараты", "Контактная информация"),
    "other": ("Қосымша ақпарат (жеке келе алмайтындарға, мекенжайлар, ЭЦҚ, мәртебесі, "
              "анықтама телефондары)",
              "Дополнительная информация (для тех, кто не может прийти лично, адреса, ЭЦП, "
              "статус онлайн, телефоны справочных служб)"),
}

# The service sheet: key, what it is in Kazakh and Russian, and whether the agency fills it.
SERVICE_ROWS: Final[tuple[tuple[str, str, str, bool], ...]] = (
    ("register_no", "Тізілімдегі нөмірі (өзгертпеңіз)", "Номер в реестре (не изменять)", False),
    ("agency", "Мемлекеттік органның коды (өзгертпеңіз)",
     "Код государственного органа (не изменять)", False),
    ("name_kk", "Қызметтің қазақша атауы (өзгертпеңіз)",
     "Наименование на казахском (не изменять)", False),
    ("name_ru", "Қызметтің орысша атауы (өзгертпеңіз)",
     "Наименование на русском (не изменять)", False),
    ("keywords_kk", "Азаматтар қызметті қалай атайды: қазақша, үтір арқылы",
     "Как называют услугу граждане: на казахском, через запятую", True),
    ("keywords_ru", "Азаматтар қызметті қалай атайды: орысша, үтір арқылы",
     "Как называют услугу граждане: на русском, через запятую", True),
)
_SERVICE_REQUIRED: Final = ("register_no", "agency", "name_kk", "name_ru")
# Read by the importer, never by people: the agency's code (its name is in the letter).
_HIDDEN_ROWS: Final = ("agency",)

# Column A of the data sheets holds the codes the importer reads rows by (a row's key, a
# card section's key, an entry's id): hidden, headed in words both languages share, so
# people read only names in their language. A template sent out with the codes shown and
# headed "key" / "id" reads the same: the columns did not move.
CODE_HEADER: Final = "Код"
FAQ_HEADERS: Final = (
    CODE_HEADER,
    "Сұрақтар, қазақ тілінде (әрқайсысы жаңа жолдан) / Вопросы на казахском (каждый с новой "
    "строки)",
    "Сұрақтар, орыс тілінде (әрқайсысы жаңа жолдан) / Вопросы на русском (каждый с новой "
    "строки)",
    "Жауап, қазақ тілінде / Ответ на казахском",
    "Жауап, орыс тілінде / Ответ на русском",
)
FAQ_BLANK_ROWS: Final = 12

README_TEXT: Final = {
    "kk": (
        "Бұл файлды мемлекеттік көрсетілетін қызмет туралы ақпаратты Бірыңғай байланыс "
        "орталығына беру үшін толтырыңыз. «{service}» парағындағы тізілімдегі нөмірді және "
        "қызмет атауын өзгертпеңіз; «Азаматтар қызметті қалай атайды» жолдарына азаматтар "
        "қызметті қалай атайтынын үтір арқылы жазыңыз. «{card}» парағында әр бөлімнің мәтінін "
        "қазақ (D) және орыс (E) тілдерінде жазыңыз, қажет емес бөлімді бос "
        "қалдырыңыз. «{faq}» парағында бір жолға бір сұрақ пен оның жауабын жазыңыз; сұрақ "
        "бірнеше түрлі қойылса, әр нұсқасын сол ұяшықта жаңа жолдан жазыңыз (Alt+Enter). Әр "
        "жазбада кемінде бір сұрақ пен жауап болуы керек; бір тілдегі мәтін болмаса, оның "
        "бағанын бос қалдыруға болады. Парақтардың A бағаны жасырын: онда бағдарлама оқитын "
        "кодтар тұр, оларды өзгертпеңіз."
    ),
    "ru": (
        "Заполните этот файл, чтобы передать Единому контакт-центру информацию о "
        "государственной услуге. На листе «{service}» не меняйте номер в реестре и "
        "наименование услуги; в строках «Как называют услугу "
        "граждане» перечислите это через запятую. На листе «{card}» напишите текст каждого "
        "раздела на казахском (D) и русском (E) языках, ненужный раздел оставьте пустым. На "
        "листе «{faq}» в каждой строке — один вопрос и ответ на него; если вопрос задают "
        "по-разному, пишите каждый вариант с новой строки в той же ячейке (Alt+Enter). В "
        "каждой записи нужен хотя бы один вопрос и ответ; если текста на одном из языков нет, "
        "его столбец можно оставить пустым. Столбец A на листах скрыт: в нём коды, которые "
        "читает программа, не меняйте их."
    ),
}


@cache
def card_sections() -> tuple[str, ...]:
    """The card's section keys, in order, as the pack's schema defines them."""
    schema = json.loads(resources.files("knowledge.pack").joinpath("schema.json").read_text())
    return tuple(schema["$defs"]["card"]["properties"])


def information_template(register_no: str, agency_code: str, name_kk: str, name_ru: str) -> bytes:
    """A workbook for the responsible person to fill with the service's card and questions."""
    book = Workbook()
    readme = book.active
    readme.title = SHEET_TITLES["README"]
    readme.append(["Мемлекеттік көрсетілетін қызмет туралы ақпарат / "
                   "Информация о государственной услуге"])
    readme.append([f"{register_no} — {name_kk} / {name_ru}"])
    readme.append([])
    readme.append([README_TEXT["kk"].format_map(SHEET_TITLES)])
    readme.append([])
    readme.append([README_TEXT["ru"].format_map(SHEET_TITLES)])
    readme["A1"].font = Font(bold=True, size=13)
    for row in (2, 4, 6):
        readme.cell(row, 1).alignment = _WRAP
    _widths(readme, (110,))

    service = book.create_sheet(SHEET_TITLES["service"])
    service.append([CODE_HEADER, "Мәні / Значение", "Түсіндірме", "Пояснение"])
    prefilled = {"register_no": register_no, "agency": agency_code,
                 "name_kk": name_kk, "name_ru": name_ru}
    for key, about_kk, about_ru, editable in SERVICE_ROWS:
        service.append([key, prefilled.get(key), about_kk, about_ru])
        value = service.cell(service.max_row, 2)
        value.number_format = _TEXT_FORMAT
        if editable:
            value.protection = _EDITABLE
        if key in _HIDDEN_ROWS:
            service.row_dimensions[service.max_row].hidden = True
    _table(service, (16, 60, 40, 40))
    _hide_codes(service)
    _protect(service)

    card = book.create_sheet(SHEET_TITLES["card"])
    card.append([CODE_HEADER, "Бөлім", "Раздел", "Мәтін, қазақ тілінде / Текст на казахском",
                 "Мәтін, орыс тілінде / Текст на русском"])
    for key in card_sections():
        title_kk, title_ru = SECTION_TITLES.get(key, (key, key))
        card.append([key, title_kk, title_ru])
        for column in (4, 5):
            card.cell(card.max_row, column).protection = _EDITABLE
    _table(card, (16, 34, 34, 60, 60))
    _hide_codes(card)
    _protect(card)

    faq = book.create_sheet(SHEET_TITLES["faq"])
    faq.append(list(FAQ_HEADERS))
    for _row in range(FAQ_BLANK_ROWS):
        faq.append([None] * len(FAQ_HEADERS))
    for line in faq.iter_rows(min_row=2, max_row=faq.max_row, max_col=len(FAQ_HEADERS)):
        for cell in line:
            cell.number_format = _TEXT_FORMAT
    _table(faq, (26, 45, 45, 60, 60))
    _hide_codes(faq)
    return _saved(book)


def read_information(
    data: bytes, *, register_no: str, agency_code: str, agency_name: Mapping[str, str]
) -> dict[str, Any]:
    """A filled template as a knowledge pack of that one service, or ``InvalidPack`` naming
    every problem at once as ``sheet!CELL: message``.

    ``agency_name`` (``{kk, ru}``, from the agency registry) goes into the pack's
    ``agencies``: importing a pack sets the agency's name, and the template has none.
    """
    book = _open(data)
    sheets = {key: _sheet(book, key) for key in _DATA_SHEETS}
    problems = [Problem.at("$", SHEET_MISSING, sheet=SHEET_TITLES[key])
                for key, sheet in sheets.items() if sheet is None]
    titles = {key: sheet.title for key, sheet in sheets.items() if sheet is not None}
    reading = _Reading(register_no, agency_code, problems, titles)
    service = reading.service(sheets["service"])
    if sheets["card"] is not None:
        card = reading.card(sheets["card"])
        if card:
            service["card"] = card
    service["faq"] = reading.faq(sheets["faq"]) if sheets["faq"] is not None else []
    doc = {
        "format": "ucc-knowledge-pack",
        "version": 1,
        "agencies": [{"code": agency_code,
                      "name": {lang: agency_name[lang] for lang in LANGS
                               if agency_name.get(lang)}}],
        "services": [service],
    }
    try:  # the pack's own rules, so a template obeys what a JSON pack obeys
        checked = parse_pack(json.dumps(doc, ensure_ascii=False))
    except InvalidPack as refused:
        taken = {problem.where for problem in problems}
        for problem in refused.problems:
            cell = reading.place(problem.where)
            if cell not in taken:  # a cell already named keeps its message
                problems.append(replace(problem, where=cell))
        raise InvalidPack(sorted(problems, key=_in_sheet_order)) from None
    if problems:
        raise InvalidPack(sorted(problems, key=_in_sheet_order))
    return checked


class _Reading:
    """Reads the template's sheets, remembering which cell each JSON path came from."""

    def __init__(self, register_no: str, agency_code: str, problems: list[Problem],
                 titles: Mapping[str, str]) -> None:
        self.register_no, self.agency_code = register_no, agency_code
        self.problems = problems
        self.titles = titles
        self.cells: dict[str, str] = {}

    def at(self, key: str, cell: str) -> str:
        """A cell as Excel writes it, ``'Қызмет — Услуга'!B2``: the sheet as it is titled."""
        title = self.titles.get(key, SHEET_TITLES[key])
        quoted = title if _PLAIN_TITLE.fullmatch(title) else f"'{title}'"
        return f"{quoted}!{cell}"

    def place(self, path: str) -> str:
        """The cell a pack problem's JSON path points at; the path itself when none does."""
        trimmed = path
        while trimmed:
            if trimmed in self.cells:
                return self.cells[trimmed]
            trimmed = re.sub(r"(\[\d+\]|\.?[^.\[]+)$", "", trimmed)
        return path

    def service(self, sheet: Any) -> dict[str, Any]:
        service: dict[str, Any] = {"register_no": self.register_no, "agency": self.agency_code}
        self.cells["services[0]"] = "$"  # only when the sheet is missing: named already
        for field in ("name", "keywords"):  # until a row of the sheet is found for it
            self.cells[f"services[0].{field}"] = self.at("service", "A:A")
        if sheet is None:
            return service
        values = self._service_rows(sheet)
        for key, expected, message in (("register_no", self.register_no, REGISTER_NO_CHANGED),
                                       ("agency", self.agency_code, AGENCY_CHANGED)):
            cell, found = values.get(key, ("", expected))
            if found != expected:
                self.problems.append(Problem.at(cell, message, expected=expected, found=found))
            self.cells[f"services[0].{key}"] = cell or self.at("service", "A:A")
        self._names_and_keywords(service, values)
        return service

    def _service_rows(self, sheet: Any) -> dict[str, tuple[str, str]]:
        """The service sheet's rows: key -> (cell, text); a row unknown, twice or missing is
        a problem."""
        values: dict[str, tuple[str, str]] = {}
        known = {key for key, *_about in SERVICE_ROWS}
        for row, (key, value) in _rows(sheet, columns=2):
            if not key:
                continue
            if key not in known:
                self.problems.append(Problem.at(self.at("service", f"A{row}"), UNKNOWN_ROW,
                                                key=key))
            elif key in values:
                self.problems.append(Problem.at(self.at("service", f"A{row}"), ROW_TWICE,
                                                key=key))
            else:
                values[key] = (self.at("service", f"B{row}"), value)
        for key in _SERVICE_REQUIRED:
            if key not in values:
                self.problems.append(Problem.at(self.at("service", "A:A"), ROW_MISSING, key=key))
        return values

    def _names_and_keywords(
        self, service: dict[str, Any], values: dict[str, tuple[str, str]]
    ) -> None:
        name = {lang: values[f"name_{lang}"] for lang in LANGS if f"name_{lang}" in values}
        service["name"] = {lang: text for lang, (_cell, text) in name.items() if text}
        keywords = {lang: values[f"keywords_{lang}"] for lang in LANGS
                    if f"keywords_{lang}" in values}
        words = {lang: _split(text, ",\n;") for lang, (_cell, text) in keywords.items()}
        if any(words.values()):
            service["keywords"] = {lang: found for lang, found in words.items() if found}
        for field, cells in (("name", name), ("keywords", keywords)):
            for lang, (cell, _text) in cells.items():
                self.cells[f"services[0].{field}.{lang}"] = cell
            if cells:
                self.cells[f"services[0].{field}"] = next(iter(cells.values()))[0]

    def card(self, sheet: Any) -> dict[str, dict[str, str]]:
        card: dict[str, dict[str, str]] = {}
        sections, seen = card_sections(), dict[str, int]()
        for row, (key, _title_kk, _title_ru, text_kk, text_ru) in _rows(sheet, columns=5):
            texts = {"kk": text_kk, "ru": text_ru}
            if not key:
                if any(texts.values()):
                    self.problems.append(Problem.at(self.at("card", f"A{row}"), NO_SECTION_KEY))
                continue
            if key not in sections:
                self.problems.append(Problem.at(self.at("card", f"A{row}"), UNKNOWN_SECTION,
                                                key=key, sections=", ".join(sections)))
                continue
            if key in seen:
                self.problems.append(Problem.at(self.at("card", f"A{row}"), SECTION_TWICE,
                                                key=key, first=seen[key]))
                continue
            seen[key] = row
            path = f"services[0].card.{key}"
            self.cells[path] = self.at("card", f"D{row}")
            self.cells[f"{path}.kk"] = self.at("card", f"D{row}")
            self.cells[f"{path}.ru"] = self.at("card", f"E{row}")
            if any(texts.values()):
                card[key] = {lang: text for lang, text in texts.items() if text}
        return card

    def faq(self, sheet: Any) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []
        rows_of: dict[str, int] = {}
        for row, cells in _rows(sheet, columns=5):
            given, questions_kk, questions_ru, answer_kk, answer_ru = cells
            if not any((given, questions_kk, questions_ru, answer_kk, answer_ru)):
                continue
            key = given or f"{self.agency_code}.{self.register_no}.{row}"
            if key in rows_of:
                self.problems.append(Problem.at(
                    self.at("faq", f"A{row}"), ID_TWICE if given else MADE_ID_TWICE, key=key,
                    first=rows_of[key]))
            rows_of.setdefault(key, row)
            questions = {lang: _split(text, "\n")
                         for lang, text in (("kk", questions_kk), ("ru", questions_ru))}
            questions = {lang: found for lang, found in questions.items() if found}
            if not questions:
                self.problems.append(Problem.at(self.at("faq", f"B{row}"), NO_QUESTION))
            answer = {lang: text for lang, text in (("kk", answer_kk), ("ru", answer_ru))
                      if text}
            if not answer:
                self.problems.append(Problem.at(self.at("faq", f"D{row}"), NO_ANSWER))
            path = f"services[0].faq[{len(entries)}]"
            for suffix, column in (("", "A"), (".id", "A"), (".questions", "B"),
                                   (".questions.kk", "B"), (".questions.ru", "C"),
                                   (".answer", "D"), (".answer.kk", "D"), (".answer.ru", "E")):
                self.cells[path + suffix] = self.at("faq", f"{column}{row}")
            entries.append({"id": key, "questions": questions, "answer": answer})
        return entries


def _open(data: bytes) -> Any:
    if len(data) > MAX_WORKBOOK_BYTES:
        raise InvalidPack([Problem.at("$", TOO_LARGE, mb=MAX_WORKBOOK_BYTES // (1024 * 1024))])
    try:
        with warnings.catch_warnings():
            # Excel features openpyxl does not read (data validation, slicers) only warn.
            warnings.simplefilter("ignore", UserWarning)
            return load_workbook(BytesIO(data), data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, ValueError, OSError, SyntaxError):
        raise InvalidPack([Problem.at("$", NOT_A_WORKBOOK)]) from None


def _rows(sheet: Any, *, columns: int) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Each row under the header, numbered as the spreadsheet shows it, as texts."""
    lines = sheet.iter_rows(min_row=2, max_col=columns, values_only=True)
    for row, values in enumerate(lines, start=2):
        yield row, tuple(_text(value) for value in values)


def _text(value: object) -> str:
    """A cell as the text a person sees: numbers without a trailing .0, line ends as \\n."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _split(text: str, separators: str) -> list[str]:
    parts = re.split(f"[{re.escape(separators)}]", text)
    return [part.strip() for part in parts if part.strip()]


def _sheet(book: Any, key: str) -> Any:
    """The sheet under its title, or under its old English one (the key); None if neither."""
    for title in (SHEET_TITLES[key], key):
        if title in book.sheetnames:
            return book[title]
    return None


def _in_sheet_order(problem: Problem) -> tuple[int, int, int]:
    """Workbook-wide problems first, then sheet by sheet, row by row, column by column."""
    match = _PLACE.fullmatch(problem.where)
    if match is None:
        return (-1, 0, 0)
    sheet, column, row = match.groups()
    keys = {**{title: key for key, title in SHEET_TITLES.items()},
            **{key: key for key in SHEET_TITLES}}
    key = keys.get(sheet.strip("'"), "")
    order = _DATA_SHEETS.index(key) if key in _DATA_SHEETS else len(_DATA_SHEETS)
    return (order, int(row or 0), ord(column[0]))


def _table(sheet: Any, widths: Iterable[int]) -> None:
    for line in sheet.iter_rows(min_row=1, max_row=sheet.max_row):
        for cell in line:
            cell.alignment, cell.border = _WRAP, _BOX
    for cell in sheet[1]:
        cell.font = _BOLD
    sheet.freeze_panes = "A2"
    _widths(sheet, widths)
    _landscape(sheet, repeat_rows="1:1")


def _hide_codes(sheet: Any) -> None:
    """Column A, the codes the importer reads, out of sight (Excel's "Unhide" shows it)."""
    sheet.column_dimensions["A"].hidden = True


def _protect(sheet: Any) -> None:
    """Keys and prefilled values locked, without a password: against slips, not people."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.formatCells = False


def _widths(sheet: Any, widths: Iterable[int]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _landscape(sheet: Any, *, repeat_rows: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = repeat_rows


def _saved(book: Any) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
