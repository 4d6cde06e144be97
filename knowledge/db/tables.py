"""Tables of the knowledge base. Texts are data per language, so each has a kk and ru column."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class AgencyRow(Base):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_kk: Mapped[str | None] = mapped_column(Text)
    name_ru: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, index=True)


class ServiceRow(Base):
    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    register_no: Mapped[str] = mapped_column(String(32), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    name_kk: Mapped[str | None] = mapped_column(Text)
    name_ru: Mapped[str | None] = mapped_column(Text)
    # {"kk": [...], "ru": [...]} exactly as the pack gave it (None when absent).
    keywords: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # {section: {"kk": ..., "ru": ...}} in the pack's order (None when absent).
    card: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default="live")
    position: Mapped[int] = mapped_column(Integer, index=True)

    agency: Mapped[AgencyRow] = relationship(lazy="joined")


class EntryRow(Base):
    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    # {"kk": [...], "ru": [...]} as the pack gave it.
    questions: Mapped[dict[str, Any]] = mapped_column(JSON)
    answer_kk: Mapped[str | None] = mapped_column(Text)
    answer_ru: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, index=True)


class UnansweredRow(Base):
    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(2))
    channel: Mapped[str] = mapped_column(String(16))
    decision: Mapped[str] = mapped_column(String(16))
    # [{"entry": id, "score": float}, ...] best first.
    candidates: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class KbRevisionRow(Base):
    """One row whose counter moves on every change of the base, so matchers know to rebuild."""

    __tablename__ = "kb_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
