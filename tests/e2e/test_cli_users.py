"""``ucc users remove``: an administrator takes a person's role away; nobody else may, and a
removed person can no longer act on the command line either."""

from __future__ import annotations

from tests.e2e.conftest import Cli, ok, refused

EXIT_OK, EXIT_INVALID = 0, 2
OPERATOR, AGENCY, ADMIN = "Айгүл Серікова", "Дана Ахметова", "Нұрлан Әбенов"


def people(cli: Cli) -> None:
    """A bound operator (#1), an invited agency member (#2), a bound administrator (#3)."""
    ok(cli, "agency", "add", "mvd", "--name-kk", "ІІМ", "--name-ru", "МВД", "--kind", "central")
    ok(cli, "users", "add", OPERATOR, "--role", "operator", "--telegram-id", "5550001")
    ok(cli, "users", "add", AGENCY, "--role", "agency", "--agency", "mvd")
    ok(cli, "users", "add", ADMIN, "--role", "admin", "--telegram-id", "5550003")


def listing(cli: Cli) -> list[list[str]]:
    return [line.split() for line in ok(cli, "users", "list").splitlines()]


def test_an_administrator_removes_a_person_and_says_what_was_undone(cli: Cli) -> None:
    people(cli)
    out = ok(cli, "users", "remove", OPERATOR, "--by", "admin")
    assert out.splitlines() == [
        f"operator #1 {OPERATOR} removed",
        "Telegram account 5550001 unbound: its next message gets a citizen's answer",
    ]
    out = ok(cli, "users", "remove", AGENCY)
    assert out.splitlines() == [f"agency #2 {AGENCY} removed", "invite withdrawn"]
    assert listing(cli) == [
        ["#1", "operator", "-", "removed", *OPERATOR.split()],
        ["#2", "agency", "mvd", "removed", *AGENCY.split()],
        ["#3", "admin", "-", "telegram", *ADMIN.split()],
    ]
    # removed once, the name is no longer an active person's
    assert f"no active user named {OPERATOR!r}" in refused(cli, "users", "remove", OPERATOR)


def test_only_an_administrator_may_remove_a_person(cli: Cli) -> None:
    people(cli)
    for who in (OPERATOR, AGENCY):
        problem = refused(cli, "users", "remove", ADMIN, "--as", who)
        assert "only an administrator may do this" in problem, problem
    assert [row[3] for row in listing(cli)] == ["telegram", "invited", "telegram"]
    # a registered administrator may, in their own name
    assert f"agency #2 {AGENCY} removed" in ok(cli, "users", "remove", AGENCY, "--as", ADMIN)


def test_an_unknown_name_is_refused_and_nothing_changes(cli: Cli) -> None:
    people(cli)
    problem = refused(cli, "users", "remove", "Нет Такого")
    assert problem.strip() == "no active user named 'Нет Такого' (ucc users list)"
    assert [row[3] for row in listing(cli)] == ["telegram", "invited", "telegram"]


def test_a_removed_operator_can_no_longer_act_as_themselves(cli: Cli) -> None:
    people(cli)
    ok(cli, "escalations", "queue", "--as", OPERATOR)  # works while they are staff
    ok(cli, "users", "remove", OPERATOR)
    for command in (["escalations", "queue"], ["escalations", "list"],
                    ["users", "remove", AGENCY]):
        problem = refused(cli, *command, "--as", OPERATOR)
        assert f"no active user named {OPERATOR!r}" in problem, (command, problem)


def test_of_two_people_with_one_name_the_number_says_which_is_removed(cli: Cli) -> None:
    people(cli)
    ok(cli, "users", "add", OPERATOR, "--role", "operator", "--telegram-id", "5550004")
    problem = refused(cli, "users", "remove", OPERATOR)
    assert f"2 active users are named {OPERATOR!r} (#1, #4)" in problem, problem
    assert ok(cli, "users", "remove", "#4").splitlines()[0] == f"operator #4 {OPERATOR} removed"
    assert [row[3] for row in listing(cli)] == ["telegram", "invited", "telegram", "removed"]
    assert "no active user #4" in refused(cli, "users", "remove", "#4")


def test_a_person_has_a_full_name_and_a_position_given_at_add_and_changed_by_edit(
    cli: Cli,
) -> None:
    ok(cli, "users", "add", "aigul", "--role", "operator", "--telegram-id", "5550001",
       "--full-name", "Серікова Айгүл Нұрланқызы", "--position", "бас маман")
    assert listing(cli) == [["#1", "operator", "-", "telegram", "aigul", "—",
                             "Серікова", "Айгүл", "Нұрланқызы,", "бас", "маман"]]
    out = ok(cli, "users", "edit", "aigul", "--position", "главный специалист")
    assert out.splitlines() == [
        "operator #1 aigul: Серікова Айгүл Нұрланқызы, главный специалист"]
    ok(cli, "users", "edit", "#1", "--full-name", "Серікова Айгүл")
    assert listing(cli)[0][5:] == ["—", "Серікова", "Айгүл,", "главный", "специалист"]


def test_only_an_administrator_edits_a_person_and_an_edit_must_change_something(
    cli: Cli,
) -> None:
    people(cli)
    problem = refused(cli, "users", "edit", AGENCY, "--full-name", "X", "--as", OPERATOR)
    assert "only an administrator may do this" in problem, problem
    assert "--full-name or --position" in refused(cli, "users", "edit", AGENCY)
    assert "no active user named 'Нет Такого'" in refused(
        cli, "users", "edit", "Нет Такого", "--position", "x")


def test_passwd_sets_a_console_password_that_only_its_hash_keeps(cli: Cli) -> None:
    people(cli)
    done = cli("users", "passwd", AGENCY, stdin="a long enough secret\n")
    assert done.stdout.strip() == f"password set for #2 {AGENCY}; their console sessions ended"
    # too short, and somebody else's password by a non-administrator: refused
    short = cli("users", "passwd", AGENCY, stdin="short\n")
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
    other = cli("users", "passwd", ADMIN, "--as", OPERATOR, stdin="a long enough secret\n")
    assert other.returncode == 2 and "only an administrator may do this" in other.stderr


def test_a_signin_link_is_printed_once_for_the_center_only(cli: Cli) -> None:
    people(cli)
    out = ok(cli, "users", "signin-link", AGENCY)
    assert out.startswith("sign-in link (one use, valid 24 hours): "
                          "http://127.0.0.1:8081/signin/link/")
    assert "only the contact center's staff" in refused(
        cli, "users", "signin-link", AGENCY, "--as", AGENCY)
