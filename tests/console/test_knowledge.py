"""The knowledge and curation pages: search and the citizen's test box through the engine,
a service's card, an entry's edit that changes nothing until another person of the center
approves it, agencies kept to their own services (by form and by URL, refusals audited)."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from knowledge.db.tables import AuditRow, EntryRow, KbProposalRow, UnansweredRow
from tests.console.conftest import MakeClient, form_token, sign_in
from tests.escalation_helpers import MARRIAGE, PASSPORT

EDIT = f"/knowledge/services/{PASSPORT}/entries/mvd.passport.fee/edit"
NEW_KK = "Төлқұжат 9 АЕК тұрады."


async def _refusals(app: App) -> list[tuple[str, str]]:
    async with app.uow() as uow:
        return [(who, action) for who, action in (await uow.session.execute(
            select(AuditRow.who, AuditRow.action).where(AuditRow.outcome == "denied")
            .order_by(AuditRow.id))).all()]


async def _answer_kk(app: App) -> str | None:
    async with app.uow() as uow:
        return await uow.session.scalar(select(EntryRow.answer_kk).where(
            EntryRow.key == "mvd.passport.fee"))


def _edit(token: str, answer_kk: str = NEW_KK) -> dict[str, str]:
    return {"csrf_token": token, "questions_kk": "Төлқұжат қанша тұрады?\nПаспорт бағасы?",
            "questions_ru": "Сколько стоит паспорт?", "answer_kk": answer_kk,
            "answer_ru": "Ответ."}


async def test_search_ranks_entries_and_finds_services(new_client: MakeClient) -> None:
    operator = await sign_in(await new_client(), "Айгүл")
    page = await (await operator.get("/knowledge", params={"q": "сколько стоит брак"})).text()
    assert "Неке қию қанша тұрады?" in page  # the entry, titled in the reader's language
    assert f"/knowledge/services/{MARRIAGE}" in page
    numbered = await (await operator.get("/knowledge", params={"q": PASSPORT})).text()
    assert "Төлқұжат беру" in numbered


async def test_services_are_listed_a_page_at_a_time(new_client: MakeClient) -> None:
    operator = await sign_in(await new_client(), "Айгүл")
    page = await (await operator.get("/knowledge")).text()
    assert PASSPORT in page and MARRIAGE in page and 'rel="next"' not in page


async def test_a_service_card_in_both_languages(new_client: MakeClient) -> None:
    dana = await sign_in(await new_client(), "Дана")
    card = await (await dana.get(f"/knowledge/services/{PASSPORT}")).text()
    for text in ("Төлқұжат беру", "Выдача паспорта", "ІІМ", PASSPORT,
                 "Төлқұжат қанша тұрады?", "Сколько стоит паспорт?", "Жауап.", "Ответ.",
                 EDIT):
        assert text in card, text
    other = await (await dana.get(f"/knowledge/services/{MARRIAGE}")).text()
    assert "Регистрация брака" in other and "/edit" not in other  # read, not edit
    assert (await dana.get("/knowledge/services/nope")).status == 404


async def test_ask_as_a_citizen_shows_decision_scores_and_reply(
        new_client: MakeClient, people: App) -> None:
    operator = await sign_in(await new_client(), "Айгүл")
    token = await form_token(operator, "/knowledge")
    page = await (await operator.post("/knowledge/ask", data={
        "csrf_token": token, "ask": "Сколько стоит регистрация брака?",
        "lang_as": "auto"})).text()
    assert 'class="decision decision-answer"' in page
    assert 'id="trial-reply"' in page and "Ответ." in page  # what the citizen would read
    assert "mju.marriage.fee" in page and "<meter" in page  # the candidates, scored
    in_kk = await (await operator.post("/knowledge/ask", data={
        "csrf_token": token, "ask": "Сколько стоит регистрация брака?",
        "lang_as": "kk"})).text()
    assert 'lang="kk" id="trial-reply"' in in_kk and "Жауап." in in_kk
    long = await operator.post("/knowledge/ask", data={
        "csrf_token": token, "ask": "Паспорт жоғалды, не істеймін? " * 150, "lang_as": "kk"})
    assert long.status == 200 and "decision-too_long" in await long.text()
    async with people.uow() as uow:
        assert list(await uow.session.scalars(select(UnansweredRow.id))) == []


async def test_an_edit_is_a_proposal_approved_by_another_person(
        new_client: MakeClient, people: App) -> None:
    operator = await sign_in(await new_client(), "Айгүл")
    proposed = await operator.post(EDIT, data=_edit(await form_token(operator, EDIT)),
                                   allow_redirects=False)
    assert proposed.status == 303
    target = proposed.headers["Location"]
    assert target.startswith("/curation/proposals/")
    assert await _answer_kk(people) == "Жауап."  # the base is unchanged
    mine = await (await operator.get(target)).text()
    assert "<del>Жауап.</del>" in mine and f"<ins>{NEW_KK}</ins>" in mine
    assert 'id="approve"' not in mine  # not for its author
    number = target.rsplit("/", 1)[-1].split("?")[0]
    refused = await operator.post(f"/curation/proposals/{number}/approve",
                                  data={"csrf_token": await form_token(operator, target)})
    assert refused.status == 409 and await _answer_kk(people) == "Жауап."
    admin = await sign_in(await new_client(), "Админ")
    approved = await admin.post(f"/curation/proposals/{number}/approve",
                                data={"csrf_token": await form_token(admin, target)},
                                allow_redirects=False)
    assert approved.status == 303
    assert await _answer_kk(people) == NEW_KK


async def test_a_refused_edit_says_why_and_keeps_the_texts(new_client: MakeClient) -> None:
    operator = await sign_in(await new_client(), "Айгүл")
    token = await form_token(operator, EDIT)
    form = _edit(token) | {"answer_ru": ""}
    page = await operator.post(EDIT, data=form)
    assert page.status == 409
    text = await page.text()
    assert 'class="error"' in text and NEW_KK in text


async def test_an_agency_edits_its_own_entries_only(
        new_client: MakeClient, people: App) -> None:
    dana = await sign_in(await new_client(), "Дана")
    own = await dana.post(EDIT, data=_edit(await form_token(dana, EDIT)),
                          allow_redirects=False)
    assert own.status == 303
    proposal = own.headers["Location"].split("?")[0]
    assert (await dana.get(proposal)).status == 200  # she follows her proposal
    erzhan = await sign_in(await new_client(), "Ержан")
    assert (await erzhan.get(EDIT)).status == 403  # by URL
    token = await form_token(erzhan, "/knowledge")
    assert (await erzhan.post(EDIT, data=_edit(token, "Басқа."))).status == 403
    assert (await erzhan.get(proposal)).status == 403
    assert (await erzhan.post(f"{proposal}/approve", data={"csrf_token": token})).status \
        == 403
    assert (await dana.post(f"{proposal}/approve", data={
        "csrf_token": await form_token(dana, proposal)})).status == 403  # the center's
    assert (await dana.get("/curation")).status == 403
    assert await _refusals(people) == [
        ("Ержан", "edit entry"), ("Ержан", "edit entry"), ("Ержан", "proposal"),
        ("Ержан", "proposal"), ("Дана", "approve proposal"), ("Дана", "curation")]
    async with people.uow() as uow:
        statuses = list(await uow.session.scalars(select(KbProposalRow.status)))
    assert statuses == ["pending"]


async def test_the_curation_page_lists_groups_gaps_and_proposals(
        new_client: MakeClient, people: App) -> None:
    async with people.uow() as uow:
        for text, decision in (("Как получить визу в Китай?", "out_of_scope"),
                               ("Как получить визу в Китай?", "out_of_scope"),
                               ("Паспорт жоғалды, не істеймін?", "escalate")):
            uow.unanswered.add(UnansweredRow(text=text, lang="ru", channel="telegram",
                                             decision=decision, candidates=[],
                                             created_at=people.clock.now()))
        await uow.commit()
    operator = await sign_in(await new_client(), "Айгүл")
    await operator.post(EDIT, data=_edit(await form_token(operator, EDIT)))
    page = await (await operator.get("/curation")).text()
    assert "Как получить визу в Китай?" in page and "Паспорт жоғалды" in page
    assert page.count('class="badge gap"') == 1
    assert "mvd.passport.fee" in page  # the proposal waiting
    rejected = await (await sign_in(await new_client(), "Админ")).get("/curation")
    assert rejected.status == 200


async def test_a_rejected_proposal_leaves_the_base(new_client: MakeClient, people: App) -> None:
    operator = await sign_in(await new_client(), "Айгүл")
    proposed = await operator.post(EDIT, data=_edit(await form_token(operator, EDIT)),
                                   allow_redirects=False)
    target = proposed.headers["Location"].split("?")[0]
    admin = await sign_in(await new_client(), "Админ")
    done = await admin.post(f"{target}/reject",
                            data={"csrf_token": await form_token(admin, target)})
    assert done.status == 200 and 'id="proposal-status"' in await done.text()
    assert await _answer_kk(people) == "Жауап."


async def _unanswered(app: App, *texts: str) -> list[int]:
    async with app.uow() as uow:
        rows = [UnansweredRow(text=text, lang="ru", channel="telegram", decision="escalate",
                              candidates=[{"entry": "mvd.passport.fee", "score": 0.2}],
                              created_at=app.clock.now()) for text in texts]
        for row in rows:
            uow.unanswered.add(row)
        await uow.commit()
        return [row.id for row in rows]


async def test_unanswered_questions_become_a_new_entry_once_approved(
        new_client: MakeClient, people: App) -> None:
    ids = await _unanswered(people, "Можно ли получить паспорт в другом городе?",
                            "Можно ли получить паспорт в другом городе?")
    operator = await sign_in(await new_client(), "Айгүл")
    curation_page = await (await operator.get("/curation")).text()
    link = f"/curation/propose?unanswered={ids[0]},{ids[1]}"
    assert link in curation_page
    form = await (await operator.get(link)).text()
    assert 'value="Можно ли получить паспорт в другом городе?"' in form  # their wording
    assert f'<option value="{PASSPORT}" selected' in form  # the closest entry's service
    made = await operator.post("/curation/propose", data={
        "csrf_token": await form_token(operator, link), "kind": "entry",
        "unanswered": f"{ids[0]},{ids[1]}", "register_no": PASSPORT,
        "question_kk": "Паспортты басқа қалада алуға бола ма?",
        "answer_kk": "Иә, кез келген ХҚКО-да.", "answer_ru": "Да, в любом ЦОН."},
        allow_redirects=False)
    assert made.status == 303, await made.text()
    target = made.headers["Location"].split("?")[0]
    page = await (await operator.get(target)).text()
    assert "<ins>Иә, кез келген ХҚКО-да.</ins>" in page
    assert "Можно ли получить паспорт" not in await (await operator.get("/curation")).text()
    admin = await sign_in(await new_client(), "Админ")
    await admin.post(f"{target}/approve", data={"csrf_token": await form_token(admin, target)})
    async with people.uow() as uow:
        answers = list(await uow.session.scalars(select(EntryRow.answer_ru)))
    assert "Да, в любом ЦОН." in answers


async def test_a_proposal_without_both_languages_is_refused_with_the_form_kept(
        new_client: MakeClient, people: App) -> None:
    ids = await _unanswered(people, "Можно ли получить паспорт в другом городе?")
    operator = await sign_in(await new_client(), "Айгүл")
    link = f"/curation/propose?unanswered={ids[0]}"
    refused = await operator.post("/curation/propose", data={
        "csrf_token": await form_token(operator, link), "kind": "entry",
        "unanswered": str(ids[0]), "register_no": PASSPORT, "answer_ru": "Да."})
    assert refused.status == 409
    assert 'class="error"' in await refused.text()


async def test_proposing_from_the_curation_page_is_the_centers(
        new_client: MakeClient, people: App) -> None:
    ids = await _unanswered(people, "Можно ли получить паспорт в другом городе?")
    dana = await sign_in(await new_client(), "Дана")
    assert (await dana.get(f"/curation/propose?unanswered={ids[0]}")).status == 403
    token = await form_token(dana, "/knowledge")
    assert (await dana.post("/curation/propose", data={
        "csrf_token": token, "kind": "variant", "unanswered": str(ids[0]),
        "entry_key": "mvd.passport.fee"})).status == 403
    assert await _refusals(people) == [("Дана", "propose"), ("Дана", "propose")]


async def test_the_card_shows_an_edit_waiting_for_review(new_client: MakeClient) -> None:
    operator = await sign_in(await new_client(), "Айгүл")
    proposed = await operator.post(EDIT, data=_edit(await form_token(operator, EDIT)),
                                   allow_redirects=False)
    target = proposed.headers["Location"].split("?")[0]
    card = await (await operator.get(f"/knowledge/services/{PASSPORT}")).text()
    assert f'class="badge waiting" href="{target}"' in card
