"""Grouping unanswered questions compares a question only with groups whose head is of a
length that could be similar: the groups are exactly those of comparing with every head."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from knowledge.curation import GroupingMemo, group_unanswered
from knowledge.db.tables import UnansweredRow
from knowledge.escalations.routing import normalise, similar

WORDS = ("паспорт справка жер учаскесі трактор лицензия пособие пенсия виза билет поезд "
         "налог штраф брак қанша тұрады сколько стоит где можно").split()


def _every_head(rows: list[UnansweredRow]) -> list[tuple[int, ...]]:
    groups: list[tuple[str, list[int]]] = []
    for row in rows:
        key = normalise(row.text)
        for head, members in groups:
            if key == head or similar(key, head):
                members.append(row.id)
                break
        else:
            groups.append((key, [row.id]))
    return sorted(tuple(members) for _head, members in groups)


def test_length_pruning_changes_no_group() -> None:
    rng = random.Random(5)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 8))) for _ in range(300)]
    texts += [text + rng.choice(("", "?", "!", " ма", "а")) for text in texts[:150]]
    texts += ["", "?", "ok", "Ok!"]
    rows = [UnansweredRow(id=n, text=text, lang="ru", channel="telegram", decision="escalate",
                          candidates=[], created_at=datetime(2026, 12, 1, tzinfo=UTC))
            for n, text in enumerate(texts, 1)]
    grouped = sorted(group.ids for group in group_unanswered(rows))
    assert grouped == _every_head(rows)
    assert len(grouped) < len(rows)  # some did group


def test_the_memo_groups_again_only_when_the_questions_change() -> None:
    rows = [UnansweredRow(id=n, text=text, lang="ru", channel="telegram", decision="escalate",
                          candidates=[], created_at=datetime(2026, 12, 1, tzinfo=UTC))
            for n, text in enumerate(("Где купить билет?", "Где купить билет?"), 1)]
    memo = GroupingMemo()
    first = memo.group(rows)
    assert memo.group(list(reversed(rows))) is first  # the same questions: kept
    more = memo.group([*rows, UnansweredRow(
        id=3, text="Как вырастить помидоры?", lang="ru", channel="telegram",
        decision="escalate", candidates=[], created_at=datetime(2026, 12, 1, tzinfo=UTC))])
    assert more is not first and [g.count for g in more] == [2, 1]
