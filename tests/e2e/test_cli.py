"""The ``ucc`` command line end to end: a real subprocess on a private SQLite database."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.texts.i18n import gettext_for
from knowledge.status.providers import token_digest
from tests.conftest import PRODUCT_DEMO_PACK, SHARED_DEMO_PACK, SHARED_LOOKALIKES_PACK
from tests.e2e.conftest import Cli, describe
from tests.factories import clone, entry, pack, service

EXIT_OK = 0
EXIT_INVALID = 2
BATCH_KEYS = {"id", "lang", "decision", "entry", "score", "candidates"}
DECISIONS = {"answer", "clarify", "escalate"}


def write_json(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def assert_refused(result: subprocess.CompletedProcess[str]) -> None:
    """Exit 2, problems on stderr, no traceback."""
    assert result.returncode == EXIT_INVALID, describe(result)
    assert result.stderr.strip(), describe(result)
    assert "Traceback" not in result.stderr, describe(result)


def stderr_paths(stderr: str) -> set[str]:
    """The JSON paths that open the problem lines (``services[1].agency: ...``)."""
    return {line.split(": ", 1)[0] for line in stderr.splitlines() if ": " in line}


def translate(lang: str, message: str) -> str:
    return gettext_for(lang).gettext(message)


# ---------------------------------------------------------------- kb validate


def test_kb_validate_accepts_the_shared_demo_pack(cli: Cli) -> None:
    result = cli("kb", "validate", SHARED_DEMO_PACK)
    assert result.returncode == EXIT_OK, describe(result)
    assert ": valid (" in result.stdout, describe(result)
    assert result.stderr == ""


def invalid_pack() -> dict[str, Any]:
    """Duplicate ids and codes, an unknown agency, missing languages and wrong types."""
    doc = pack(
        service("00301002", faq=[
            entry("mvd.passport.fee", "Төлқұжат қанша тұрады?", None),
            entry("mvd.passport.fee", None, "Сколько стоит паспорт?"),
        ]),
        service("00301003", agency="ghost", faq=[entry("ghost.one", "Бір?", None)]),
        service("00301004", name={}, faq=[{"id": "mvd.no-langs", "questions": {},
                                           "answer": {}}]),
        service("00301005", keywords="паспорт", faq=[entry("mvd.typed", None, "Что?")]),
    )
    doc["services"][3]["register_no"] = 301005
    doc["agencies"].append({"code": "mvd", "name": {"kk": "ІІМ", "ru": "МВД"}})
    return doc


INVALID_PACK_PATHS = {
    "agencies[2].code",  # duplicate code
    "services[0].faq[1].id",  # duplicate id
    "services[1].agency",  # unknown agency
    "services[2].name",  # no language at all
    "services[2].faq[0].questions",  # no question in any language
    "services[2].faq[0].answer",  # no answer in any language
    "services[3].register_no",  # a number, not a string
    "services[3].keywords",  # a string, not an object
}


def test_kb_validate_refuses_an_invalid_pack_naming_each_problem_by_its_json_path(
    cli: Cli, tmp_path: Path
) -> None:
    result = cli("kb", "validate", write_json(tmp_path / "bad.json", invalid_pack()))
    assert_refused(result)
    missing = INVALID_PACK_PATHS - stderr_paths(result.stderr)
    assert not missing, f"paths not reported: {sorted(missing)}\n{describe(result)}"
    assert "duplicate" in result.stderr
    assert '"ghost"' in result.stderr
    assert "valid (" not in result.stdout


def test_kb_validate_of_a_file_that_is_not_json_names_the_line_and_column(
    cli: Cli, tmp_path: Path
) -> None:
    text = '{\n  "format": "ucc-knowledge-pack",\n  "version": 1,\n  agencies: []\n}\n'
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        line, column = exc.lineno, exc.colno
    else:  # pragma: no cover - the text above is broken on purpose
        pytest.fail("the sample should not parse")
    (tmp_path / "x.json").write_text(text, encoding="utf-8")
    result = cli("kb", "validate", tmp_path / "x.json")
    assert_refused(result)
    assert re.search(rf"\bline {line}\b", result.stderr), describe(result)
    assert re.search(rf"\bcolumn {column}\b", result.stderr), describe(result)


def test_kb_validate_of_a_missing_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    result = cli("kb", "validate", tmp_path / "no-such-pack.json")
    assert_refused(result)
    assert "no-such-pack.json" in result.stderr


def write_raw(path: Path, text: str) -> Path:
    """A pack's text as is: escapes such as a lone ``\\ud800`` stay the file's own."""
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("shipped", [SHARED_DEMO_PACK, SHARED_LOOKALIKES_PACK, PRODUCT_DEMO_PACK],
                         ids=["shared-demo", "shared-lookalikes", "product-demo"])
def test_kb_validate_accepts_every_shipped_pack_within_the_limits(
    cli: Cli, shipped: Path
) -> None:
    result = cli("kb", "validate", shipped)
    assert result.returncode == EXIT_OK, describe(result)


@pytest.mark.parametrize("text", ["[" * 100_000, '{"format": "ucc-knowledge-pack", "agencies": '
                                  + "[" * 50_000 + "]" * 50_000 + "}"],
                         ids=["unclosed", "inside-a-pack"])
def test_kb_validate_refuses_json_nested_too_deeply_naming_the_file_and_the_place(
    cli: Cli, tmp_path: Path, text: str
) -> None:
    result = cli("kb", "validate", write_raw(tmp_path / "deep.json", text))
    assert_refused(result)
    assert re.search(r"deep\.json: nested deeper than \d+ levels at line 1 column \d+",
                     result.stderr), describe(result)


def test_kb_validate_refuses_a_number_too_long_to_read_naming_its_place(
    cli: Cli, tmp_path: Path
) -> None:
    text = '{"format": "ucc-knowledge-pack",\n "version": ' + "1" * 5000 + "}"
    result = cli("kb", "validate", write_raw(tmp_path / "long.json", text))
    assert_refused(result)
    assert re.search(r"long\.json: .*\bline 2 column 13\b", result.stderr), describe(result)


LONE_SURROGATE = "\\ud800"  # as the file spells it: six characters, no code point behind them


def surrogate_pack() -> str:
    """A pack otherwise valid whose one answer holds a lone surrogate."""
    doc = pack(service(faq=[entry("mvd.passport.fee", "Қанша?", "Сколько?"),
                            entry("mvd.passport.term", "Қашан?", "Когда?",
                                  answer={"kk": "MARK", "ru": "Ответ."})]))
    return json.dumps(doc, ensure_ascii=False).replace("MARK", f"Жауап {LONE_SURROGATE}.")


def test_kb_validate_refuses_a_lone_surrogate_naming_its_json_path(
    cli: Cli, tmp_path: Path
) -> None:
    result = cli("kb", "validate", write_raw(tmp_path / "s.json", surrogate_pack()))
    assert_refused(result)
    assert "services[0].faq[1].answer.kk: " in result.stderr, describe(result)
    assert "U+D800" in result.stderr, describe(result)
    assert "valid (" not in result.stdout


def test_kb_import_refuses_a_lone_surrogate_and_imports_nothing(
    seeded_cli: Cli, tmp_path: Path
) -> None:
    before = seeded_cli("kb", "export", "-")
    result = seeded_cli("kb", "import", write_raw(tmp_path / "s.json", surrogate_pack()))
    assert_refused(result)
    assert "services[0].faq[1].answer.kk" in stderr_paths(result.stderr), describe(result)
    after = seeded_cli("kb", "export", "-")
    assert after.returncode == EXIT_OK, describe(after)
    assert after.stdout == before.stdout


def oversized_pack() -> dict[str, Any]:
    """Every field over its limit by one: what a channel can send, what the base can store."""
    doc = pack(service(
        name={"kk": "а" * 501, "ru": "Паспорт"},
        keywords={"ru": ["паспорт"] * 101},
        card={"documents": {"ru": "д" * 4097}},
        faq=[{"id": "x" * 129, "questions": {"kk": ["с" * 501]},
              "answer": {"kk": "ж" * 16_385, "ru": "Ответ."}}],
    ))
    doc["agencies"][0]["code"] = "m" * 65
    doc["services"][0]["agency"] = "m" * 65
    doc["services"][0]["register_no"] = "1" * 33
    return doc


OVERSIZED_PATHS = {
    "agencies[0].code": "64",
    "services[0].register_no": "32",
    "services[0].name.kk": "500",
    "services[0].keywords.ru": "100",
    "services[0].card.documents.ru": "4096",
    "services[0].faq[0].id": "128",
    "services[0].faq[0].questions.kk[0]": "500",
    "services[0].faq[0].answer.kk": "16384",
}


def test_kb_validate_refuses_every_field_over_its_limit_naming_the_path_and_the_limit(
    cli: Cli, tmp_path: Path
) -> None:
    result = cli("kb", "validate", write_json(tmp_path / "big.json", oversized_pack()))
    assert_refused(result)
    lines = dict(line.split(": ", 1) for line in result.stderr.splitlines() if ": " in line)
    for path, limit in OVERSIZED_PATHS.items():
        assert path in lines, f"{path} not reported\n{describe(result)}"
        assert re.search(rf"\b{limit}\b", lines[path]), f"{path}: not {limit}\n{describe(result)}"


def test_kb_import_of_a_file_over_the_size_limit_is_refused_and_imports_nothing(
    seeded_cli: Cli, tmp_path: Path
) -> None:
    doc = pack(service(faq=[entry("mvd.passport.fee", "Қанша?", "Сколько?",
                                  answer={"kk": "Жауап.", "ru": "o" * 30_000_000})]))
    before = seeded_cli("kb", "export", "-")
    result = seeded_cli("kb", "import", write_json(tmp_path / "huge.json", doc))
    assert_refused(result)
    assert "huge.json: larger than 20 MB" in result.stderr, describe(result)
    after = seeded_cli("kb", "export", "-")
    assert after.stdout == before.stdout


def test_kb_validate_of_bytes_that_are_not_utf8_names_the_line_and_column(
    cli: Cli, tmp_path: Path
) -> None:
    text = json.dumps(pack(), ensure_ascii=False, indent=2).encode("utf-8")
    at = text.index("Выдача".encode())
    (tmp_path / "latin1.json").write_bytes(text[:at] + b"\xc2\x41" + text[at:])
    line = text[:at].count(b"\n") + 1
    column = len(text[:at].rsplit(b"\n", 1)[-1].decode("utf-8")) + 1
    result = cli("kb", "validate", tmp_path / "latin1.json")
    assert_refused(result)
    assert f"latin1.json: not UTF-8 at line {line} column {column}" in result.stderr, describe(
        result)


def test_kb_validate_of_a_binary_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "photo.json").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    result = cli("kb", "validate", tmp_path / "photo.json")
    assert_refused(result)
    assert "photo.json: not UTF-8 at line 1 column 1" in result.stderr, describe(result)


# ---------------------------------------------------------------- kb import / export


def test_kb_import_then_export_gives_back_the_shared_demo_byte_for_byte(
    cli: Cli, tmp_path: Path
) -> None:
    imported = cli("kb", "import", SHARED_DEMO_PACK)
    assert imported.returncode == EXIT_OK, describe(imported)
    assert "imported" in imported.stdout
    exported = cli("kb", "export", tmp_path / "out.json")
    assert exported.returncode == EXIT_OK, describe(exported)
    assert (tmp_path / "out.json").read_bytes() == SHARED_DEMO_PACK.read_bytes()


def test_export_import_export_of_the_product_demo_is_byte_identical(
    seeded_cli: Cli, tmp_path: Path, product_pack: dict[str, Any]
) -> None:
    first = seeded_cli("kb", "export", tmp_path / "first.json")
    assert first.returncode == EXIT_OK, describe(first)
    first_bytes = (tmp_path / "first.json").read_bytes()
    assert json.loads(first_bytes) == product_pack

    other_db = tmp_path / "other.sqlite3"
    imported = seeded_cli("kb", "import", tmp_path / "first.json", database=other_db)
    assert imported.returncode == EXIT_OK, describe(imported)
    second = seeded_cli("kb", "export", "-", database=other_db)
    assert second.returncode == EXIT_OK, describe(second)
    assert second.stdout.encode("utf-8") == first_bytes


def test_an_invalid_import_is_refused_and_changes_nothing(
    seeded_cli: Cli, tmp_path: Path, product_pack: dict[str, Any]
) -> None:
    bad = clone(product_pack)
    # Valid changes that would show if anything were written ...
    bad["services"][0]["faq"][0]["answer"]["ru"] = "ИЗМЕНЕНО"
    bad["services"].append(service("99900001", faq=[entry("new.entry", "Жаңа?", "Новый?")]))
    # ... next to two problems that must refuse the whole pack.
    bad["services"].append(service("99900002", agency="ghost",
                                   faq=[entry("new.entry", "Тағы?", "Ещё?")]))
    before = seeded_cli("kb", "export", "-")
    assert before.returncode == EXIT_OK, describe(before)

    result = seeded_cli("kb", "import", write_json(tmp_path / "bad.json", bad))
    assert_refused(result)
    last = len(bad["services"]) - 1
    assert {f"services[{last}].agency", f"services[{last}].faq[0].id"} <= stderr_paths(
        result.stderr
    ), describe(result)

    after = seeded_cli("kb", "export", "-")
    assert after.returncode == EXIT_OK, describe(after)
    assert after.stdout == before.stdout


DRAFT_KEY = "mvd.fishing-permit.fee"
DRAFT_QUESTION = "Сколько стоит разрешение на любительскую рыбалку?"


def draft_pack() -> dict[str, Any]:
    """One service the product demo does not know, asked about in words nothing else uses."""
    return pack(service(
        "99900010",
        name={"kk": "Әуесқойлық балық аулауға рұқсат беру",
              "ru": "Выдача разрешения на любительскую рыбалку"},
        keywords={"kk": ["балық аулау"], "ru": ["рыбалка", "разрешение на рыбалку"]},
        card={},
        faq=[entry(DRAFT_KEY, "Балық аулауға рұқсат қанша тұрады?", DRAFT_QUESTION,
                   answer={"kk": "Рұқсат 1 АЕК тұрады.", "ru": "Разрешение стоит 1 МРП."})],
    ))


def test_a_draft_import_keeps_its_services_out_of_answers_until_imported_live(
    seeded_cli: Cli, tmp_path: Path
) -> None:
    path = write_json(tmp_path / "draft.json", draft_pack())
    staged = seeded_cli("kb", "import", "--draft", path)
    assert staged.returncode == EXIT_OK, describe(staged)

    asked = seeded_cli("ask", "--json", DRAFT_QUESTION)
    assert asked.returncode == EXIT_OK, describe(asked)
    verdict = json.loads(asked.stdout)
    assert verdict["entry"] != DRAFT_KEY
    assert DRAFT_KEY not in [c["entry"] for c in verdict["candidates"]]

    # The same question is answered from that entry once the service is live.
    live = seeded_cli("kb", "import", path)
    assert live.returncode == EXIT_OK, describe(live)
    asked = seeded_cli("ask", "--json", DRAFT_QUESTION)
    assert asked.returncode == EXIT_OK, describe(asked)
    verdict = json.loads(asked.stdout)
    assert (verdict["decision"], verdict["entry"]) == ("answer", DRAFT_KEY), asked.stdout


# ---------------------------------------------------------------- kb stats / seed-demo


def expected_stats(doc: dict[str, Any]) -> dict[str, list[int]]:
    """agency -> [services, live, entries, q kk, q ru, a kk, a ru] for a pack imported live."""
    rows = {a["code"]: [0] * 7 for a in doc["agencies"]}
    for svc in doc["services"]:
        row = rows[svc["agency"]]
        row[0] += 1
        row[1] += 1
        for item in svc["faq"]:
            row[2] += 1
            row[3] += len(item["questions"].get("kk", []))
            row[4] += len(item["questions"].get("ru", []))
            row[5] += bool(item["answer"].get("kk"))
            row[6] += bool(item["answer"].get("ru"))
    return rows


def test_kb_stats_prints_counts_per_agency_and_the_entries_lacking_a_language(
    seeded_cli: Cli, product_pack: dict[str, Any]
) -> None:
    result = seeded_cli("kb", "stats")
    assert result.returncode == EXIT_OK, describe(result)
    lines = result.stdout.splitlines()
    table = {
        words[0]: [int(w) for w in words[1:]]
        for words in (line.split() for line in lines)
        if len(words) == 8 and all(w.isdigit() for w in words[1:])
    }
    assert table == expected_stats(product_pack), result.stdout

    assert "entries lacking a language: 2" in result.stdout
    lacking = [line.strip() for line in lines[lines.index("entries lacking a language: 2") + 1:]]
    assert sorted(lacking) == [
        "enpf.pension-statement.certificate: no ru",
        "mvd.address-certificate.for-child: no kk",
    ]


def test_kb_seed_demo_loads_the_product_demo_into_an_empty_base_and_then_does_nothing(
    cli: Cli, product_pack: dict[str, Any]
) -> None:
    first = cli("kb", "seed-demo")
    assert first.returncode == EXIT_OK, describe(first)
    assert "imported" in first.stdout

    second = cli("kb", "seed-demo")
    assert second.returncode == EXIT_OK, describe(second)
    assert "imported" not in second.stdout
    assert "not empty" in second.stdout

    exported = cli("kb", "export", "-")
    assert exported.returncode == EXIT_OK, describe(exported)
    assert json.loads(exported.stdout) == product_pack


# ---------------------------------------------------------------- ask


@pytest.mark.parametrize(
    ("question", "expected", "lang"),
    [
        ("паспорт қанша тұрады", "mvd.passport.fee", "kk"),
        ("сколько стоит загранпаспорт", "mvd.passport.fee", "ru"),
        ("Балабақшаға кезекке тұру тегін бе?", "edu.kindergarten-queue.fee", "kk"),
        ("Адресная справка платная?", "mvd.address-certificate.fee", "ru"),
    ],
    ids=["passport-fee-kk", "passport-fee-ru", "kindergarten-fee-kk", "address-fee-ru"],
)
def test_ask_json_finds_the_entry_that_answers_a_clear_question(
    seeded_cli: Cli, question: str, expected: str, lang: str
) -> None:
    result = seeded_cli("ask", "--json", question)
    assert result.returncode == EXIT_OK, describe(result)
    verdict = json.loads(result.stdout)
    assert set(verdict) == BATCH_KEYS - {"id"}
    assert verdict["decision"] in {"answer", "clarify"}, result.stdout
    assert expected in [c["entry"] for c in verdict["candidates"]], result.stdout
    if verdict["decision"] == "answer":
        assert verdict["entry"] == expected, result.stdout
    assert verdict["lang"] == lang


def test_ask_without_json_prints_the_verdict_and_the_answer_text(
    seeded_cli: Cli, product_answers: dict[str, dict[str, str]]
) -> None:
    result = seeded_cli("ask", "Сколько стоит загранпаспорт?")
    assert result.returncode == EXIT_OK, describe(result)
    first, *rest = result.stdout.splitlines()
    assert first.startswith("[answer mvd.passport.fee "), result.stdout
    assert first.endswith(" ru]"), result.stdout
    assert product_answers["mvd.passport.fee"]["ru"] in rest


def test_an_off_topic_question_is_escalated_and_listed_verbatim_as_unanswered(
    seeded_cli: Cli,
) -> None:
    question = "какой смартфон купить"
    asked = seeded_cli("ask", "--json", question)
    assert asked.returncode == EXIT_OK, describe(asked)
    verdict = json.loads(asked.stdout)
    assert verdict["decision"] == "escalate", asked.stdout
    assert verdict["entry"] is None

    listed = seeded_cli("unanswered", "list")
    assert listed.returncode == EXIT_OK, describe(listed)
    rows = [line for line in listed.stdout.splitlines() if line.startswith("#")]
    assert len(rows) == 1, listed.stdout
    assert json.dumps(question, ensure_ascii=False) in rows[0]
    assert " cli " in rows[0]


def test_ask_registers_what_it_says_it_passed_on_with_its_reference(seeded_cli: Cli) -> None:
    """Issue 18 (3): "passed to the staff" is said only of a question that was: it is an
    escalation (channel cli) in the operators' triage, and its reference is printed with
    how to learn the answer, since no answer can come back to the terminal."""
    asked = seeded_cli("ask", "какие документы нужны")  # the base's words, no entry
    assert asked.returncode == EXIT_OK, describe(asked)
    listed = seeded_cli("escalations", "list")
    [row] = [line for line in listed.stdout.splitlines() if line.startswith("Q-")]
    reference = row.split()[0]
    assert " open cli ru - triage " in row, row
    assert reference in asked.stdout, asked.stdout
    assert translate("ru", "Your question has been passed to the contact center's staff under "
                           "the number {reference}.").format(reference=reference) in asked.stdout
    as_json = json.loads(seeded_cli("ask", "--json", "какие документы нужны").stdout)
    assert as_json["reference"].startswith("Q-")


def test_chat_passes_none_of_these_on_with_a_reference_like_the_other_channels(
    seeded_cli: Cli,
) -> None:
    """Issue 18 (3): in the terminal chat, "0 — none of these" and a question nobody can
    answer become escalations (channel terminal) with references the chat shows."""
    result = seeded_cli("chat", "--lang", "ru", stdin="паспорт\n0\nкакие документы нужны\n")
    assert result.returncode == EXIT_OK, describe(result)
    listed = seeded_cli("escalations", "list").stdout
    rows = [line for line in listed.splitlines() if line.startswith("Q-")]
    assert len(rows) == 2 and all(" terminal " in row for row in rows), listed
    for row in rows:
        assert row.split()[0] in result.stdout, result.stdout


def test_chat_says_a_picked_answer_exists_only_in_the_other_language_as_telegram_does(
    cli: Cli, tmp_path: Path,
) -> None:
    """Issue 20: the terminal chat gives what Telegram gives — after a numbered pick too,
    an answer kept only in Russian is shown with the word that it exists only in Russian."""
    only_ru = {"ru": "Паспорт стоит 9 МРП."}
    doc = pack(service(faq=[
        entry("mvd.passport.fee", "Төлқұжат қанша тұрады?", "Сколько стоит паспорт?",
              answer=only_ru),
        entry("mvd.passport.term", "Төлқұжат қашан дайын болады?", "Когда готов паспорт?",
              answer={"ru": "Паспорт готов через 10 дней."}),
    ]))
    pack_file = tmp_path / "pack.json"
    pack_file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert cli("kb", "import", pack_file).returncode == EXIT_OK
    result = cli("chat", "--lang", "kk", stdin="төлқұжат\n1\n")
    assert result.returncode == EXIT_OK, describe(result)
    notice = translate("kk", "This answer exists only in Russian.")
    lines = result.stdout.splitlines()
    assert any(line.strip().startswith("1.") for line in lines), result.stdout  # a list
    picked = next(n for n, line in enumerate(lines) if "Паспорт" in line and "МРП" in line
                  or "10 дней" in line)
    assert notice in lines[picked - 1], result.stdout


# ---------------------------------------------------------------- ask --batch


BATCH = [
    {"id": "q1", "text": "Паспорт қанша тұрады?", "lang": "kk",
     "expect": "mvd.passport.fee", "style": "formal"},
    {"id": 2, "text": "сколько стоит загранпаспорт", "expect": "mvd.passport.fee",
     "extra": {"nested": [1, 2, 3]}},
    {"id": "q3", "text": "какой смартфон купить", "expect": None, "style": "off-topic"},
    {"id": "q4", "text": "", "style": "empty"},
    {"text": "Балабақшаға кезекке тұру тегін бе?", "id": "q5", "lang": "ru"},
    {"id": "q6", "text": "👍👍👍", "expect": None},
    {"id": "q7", "text": "Адресная справка платная?", "expect": "mvd.address-certificate.fee"},
]


def test_ask_batch_answers_every_line_in_order_with_the_documented_keys(
    seeded_cli: Cli, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl",
                         [json.dumps(row, ensure_ascii=False) for row in BATCH])
    result = seeded_cli("ask", "--batch", source, "--out", tmp_path / "out.jsonl")
    assert result.returncode == EXIT_OK, describe(result)

    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(BATCH)
    out = [json.loads(line) for line in lines]
    assert [row["id"] for row in out] == [row["id"] for row in BATCH]
    for row in out:
        assert set(row) == BATCH_KEYS, row
        assert row["lang"] in {"kk", "ru"}, row
        assert row["decision"] in DECISIONS, row
        assert 0.0 <= row["score"] <= 1.0, row
        candidates = row["candidates"]
        assert isinstance(candidates, list), row
        assert len(candidates) <= 5, row
        for candidate in candidates:
            assert set(candidate) == {"entry", "score"}, row
            assert isinstance(candidate["entry"], str), row
            assert 0.0 <= candidate["score"] <= 1.0, row
        scores = [c["score"] for c in candidates]
        assert scores == sorted(scores, reverse=True), row
        if row["decision"] == "answer":
            assert row["entry"] == candidates[0]["entry"], row
            assert row["score"] == candidates[0]["score"], row
        else:
            assert row["entry"] is None, row
        if row["decision"] == "clarify":
            assert candidates, row

    by_id = {row["id"]: row for row in out}
    for asked in BATCH:
        if asked.get("expect"):
            got = by_id[asked["id"]]
            assert got["decision"] in {"answer", "clarify"}, got
            assert asked["expect"] in [c["entry"] for c in got["candidates"]], got
    for key in ("q3", "q4", "q6"):
        assert by_id[key]["decision"] == "escalate", by_id[key]
    assert by_id["q1"]["lang"] == "kk"
    assert by_id[2]["lang"] == "ru"


def test_ask_batch_with_a_malformed_line_is_refused_naming_the_line_and_writes_nothing(
    seeded_cli: Cli, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [
        '{"id": "q1", "text": "паспорт қанша тұрады"}',
        '{"id": "q2", "text": "сколько стоит загранпаспорт"}',
        '{"id": "q3", "text": "паспорт',
        '{"id": "q4", "text": "какой смартфон купить"}',
    ])
    result = seeded_cli("ask", "--batch", source, "--out", tmp_path / "out.jsonl")
    assert_refused(result)
    assert re.search(r"(:|line )3\b", result.stderr), describe(result)
    assert not (tmp_path / "out.jsonl").exists()


def test_ask_batch_refuses_lines_that_would_crash_it_naming_each_and_writes_nothing(
    seeded_cli: Cli, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [
        '{"id": "q1", "text": "паспорт қанша тұрады"}',
        "[" * 100_000,  # deeper than json.loads recurses
        '{"id": "q3", "text": "паспорт \\ud800"}',  # a lone surrogate: no character
        '{"id": ' + "1" * 5000 + ', "text": "паспорт"}',  # an integer Python will not read
        '{"id": {"a": [1, 2]}, "text": "паспорт"}',  # an id that cannot be echoed as one
    ])
    result = seeded_cli("ask", "--batch", source, "--out", tmp_path / "out.jsonl")
    assert_refused(result)
    for line in (2, 3, 4, 5):
        assert f"in.jsonl:{line}: " in result.stderr, describe(result)
    assert "in.jsonl:1: " not in result.stderr, describe(result)
    assert not (tmp_path / "out.jsonl").exists()


def test_ask_batch_with_a_missing_input_file_is_refused(seeded_cli: Cli, tmp_path: Path) -> None:
    result = seeded_cli("ask", "--batch", tmp_path / "nowhere.jsonl",
                        "--out", tmp_path / "out.jsonl")
    assert_refused(result)
    assert "nowhere.jsonl" in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


# ---------------------------------------------------------------- chat


def clarify_pick(stdout: str) -> str | None:
    """The title offered as number 1 after the first clarify prompt, if one was shown."""
    for lang in ("kk", "ru"):
        header = translate(lang, "Did you mean one of these? Reply with its number:")
        if header in stdout:
            after = stdout.split(header, 1)[1]
            match = re.search(r"^\s*1\. (.+)$", after, flags=re.MULTILINE)
            assert match, stdout
            return match.group(1).strip()
    return None


def test_chat_greets_answers_picks_from_a_clarify_list_switches_language_and_says_goodbye(
    seeded_cli: Cli,
    product_answers: dict[str, dict[str, str]],
    entry_by_title: Callable[[str, str], str | None],
) -> None:
    stdin = "паспорт туралы\n1\n/lang ru\nсколько стоит загранпаспорт\n/quit\n"
    result = seeded_cli("chat", stdin=stdin)
    assert result.returncode == EXIT_OK, describe(result)
    out = result.stdout
    assert translate("kk", "Hello! I answer questions about public services in Kazakh and "
                           "Russian.") in out
    title = clarify_pick(out)
    if title is not None:  # the citizen picked 1: that entry's answer is shown
        picked = entry_by_title(title, "kk") or entry_by_title(title, "ru")
        assert picked is not None, f"{title!r} is not a question of the pack\n{out}"
        assert any(text in out for text in product_answers[picked].values()), out
    else:  # answered straight away: some passport answer is shown
        assert any(
            text in out for key, answer in product_answers.items()
            if key.startswith("mvd.passport.") for text in answer.values()
        ), out
    assert translate("ru", "Language changed.") in out
    assert product_answers["mvd.passport.fee"]["ru"] in out
    assert out.rstrip().endswith(translate("ru", "Goodbye!")), out


def test_chat_ends_with_success_when_its_input_closes(
    seeded_cli: Cli, product_answers: dict[str, dict[str, str]]
) -> None:
    result = seeded_cli("chat", "--lang", "ru", stdin="Сколько стоит загранпаспорт?\n")
    assert result.returncode == EXIT_OK, describe(result)
    assert translate("ru", "Hello! I answer questions about public services in Kazakh and "
                           "Russian.") in result.stdout
    assert product_answers["mvd.passport.fee"]["ru"] in result.stdout
    assert "Traceback" not in result.stderr


def test_status_provider_add_prints_a_token_once_and_import_lands_whole(
    cli: Cli, tmp_path: Path
) -> None:
    added = cli("status", "provider", "add", "egov")
    token = added.stdout.strip().splitlines()[-1]
    good = tmp_path / "stages.csv"
    good.write_text("application_no,provider,stage,iin,updated_at\n"
                    "KZ-1,egov,received,951212400158,2026-12-01\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("application_no,provider,stage,iin,updated_at\n"
                   "KZ-1,egov,ready,,\nKZ-2,egov,lost,951212400159,\n", encoding="utf-8")

    first, again, refused = (cli("status", "import", good), cli("status", "import", good),
                             cli("status", "import", bad))

    assert added.returncode == 0 and len(token) >= 40, describe(added)
    assert token not in cli("status", "provider", "list").stdout
    assert "1 added, 0 changed" in first.stdout, describe(first)
    assert "0 added, 0 changed, 1 unchanged" in again.stdout, describe(again)
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        "row 3, column stage: unknown stage 'lost' (known: received, in_review, "
        "documents_requested, ready, issued, refused)",
        "row 3, column iin: not a valid IIN (12 digits with the control digit)",
        "refused: 2 problem(s); nothing was changed",
    ], describe(refused)
    assert "951212400159" not in refused.stdout + refused.stderr


def accepted_tokens(cli: Cli, *tokens: str) -> list[str]:
    """Which of ``tokens`` the providers' endpoint would take (it looks up their hash)."""
    with sqlite3.connect(cli.database) as db:
        stored = {row[0] for row in db.execute("SELECT token_sha256 FROM status_providers")}
    return [token for token in tokens if token_digest(token) in stored]


def test_a_provider_token_is_rotated_once_shown_and_revoked(cli: Cli) -> None:
    old = cli("status", "provider", "add", "egov").stdout.strip().splitlines()[-1]

    rotated = cli("status", "provider", "rotate", "egov")
    new = rotated.stdout.strip().splitlines()[-1]

    assert rotated.returncode == 0 and len(new) >= 40 and new != old, describe(rotated)
    assert accepted_tokens(cli, old, new) == [new]
    assert new not in cli("status", "provider", "list").stdout

    revoked = cli("status", "provider", "revoke", "egov")

    assert revoked.returncode == 0, describe(revoked)
    assert new not in revoked.stdout
    assert accepted_tokens(cli, old, new) == []
    assert "egov (revoked)" in cli("status", "provider", "list").stdout
    assert cli("status", "provider", "revoke", "nobody").returncode == 2


# ---------------------------------------------------------------- run


def test_a_webhook_without_a_secret_is_refused_before_anything_starts(
    cli: Cli, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Unsigned updates would be executed as anyone, staff commands included."""
    monkeypatch.setenv("UCC_TELEGRAM_TOKEN", "123456:TEST-token")
    monkeypatch.delenv("UCC_WEBHOOK_SECRET", raising=False)
    for args in (["run", "--webhook", "https://ucc.example.kz"], ["run"]):
        if args == ["run"]:
            monkeypatch.setenv("UCC_WEBHOOK_BASE_URL", "https://ucc.example.kz")
        refused = cli(*args)
        assert_refused(refused)
        assert "UCC_WEBHOOK_SECRET" in refused.stderr
        assert "123456:TEST-token" not in refused.stderr + refused.stdout
