"""Builders of small knowledge packs and entries for tests."""

from __future__ import annotations

import copy
from typing import Any

from knowledge.model import EntryInfo, ServiceInfo


def pack(
    *services: dict[str, Any], agencies: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "format": "ucc-knowledge-pack",
        "version": 1,
        "agencies": agencies if agencies is not None else [
            {"code": "mvd", "name": {"kk": "ІІМ", "ru": "МВД"}},
            {"code": "mju", "name": {"kk": "Әділет министрлігі", "ru": "Минюст"}},
        ],
        "services": list(services) or [service()],
    }


def service(register_no: str = "00301002", agency: str = "mvd", **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "register_no": register_no,
        "agency": agency,
        "name": {"kk": "Төлқұжат беру", "ru": "Выдача паспорта"},
        "keywords": {"kk": ["төлқұжат"], "ru": ["паспорт", "загранпаспорт"]},
        "card": {"fee": {"kk": "9 АЕК", "ru": "9 МРП"}},
        "faq": [entry("mvd.passport.fee", "Төлқұжат қанша тұрады?", "Сколько стоит паспорт?")],
    }
    base.update(extra)
    return base


def entry(key: str, kk: str | None, ru: str | None, answer: dict[str, str] | None = None) -> dict[
    str, Any
]:
    questions: dict[str, list[str]] = {}
    if kk:
        questions["kk"] = [kk]
    if ru:
        questions["ru"] = [ru]
    answer = answer or {"kk": "Жауап.", "ru": "Ответ."}
    return {"id": key, "questions": questions, "answer": answer}


def clone(doc: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(doc)


def entry_info(
    key: str,
    questions: dict[str, list[str]],
    *,
    register_no: str = "1",
    service_name: dict[str, str] | None = None,
    keywords: dict[str, list[str]] | None = None,
    answer: dict[str, str] | None = None,
) -> EntryInfo:
    svc = ServiceInfo(
        register_no=register_no,
        agency="a",
        name=service_name or {"kk": "Қызмет", "ru": "Услуга"},
        keywords=keywords or {},
    )
    return EntryInfo(key, svc, questions, answer or {"kk": "Жауап", "ru": "Ответ"})
