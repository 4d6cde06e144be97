# ruff: noqa: E501 - the mutation table quotes source lines as they stand
"""Break each behaviour the command-line tests prove, one at a time, and show which tests
fail: evidence that the tests, run in-process through ``bot.cli.main`` since they stopped
being subprocesses, still catch what they caught. Every test must fail under at least one
mutation.

    .venv/bin/python scripts/cli_mutations.py            # every mutation (a few minutes)
    .venv/bin/python scripts/cli_mutations.py "NAME" …   # some of them

Each mutation edits one source file, runs the tests and puts the file back (also when
interrupted). Not part of the suite: it rewrites the tree while it runs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
TESTS = ["tests/e2e/test_cli.py", "tests/e2e/test_cli_escalations.py",
         "tests/e2e/test_cli_onboarding.py"]


class Mutation(NamedTuple):
    name: str
    path: str
    old: str
    new: str


MUTATIONS = [
    Mutation('exit status of refused input', 'bot/cli/__init__.py',
             '        print(f"refused: {len(exc.problems)} problem(s); nothing was changed", file=sys.stderr)\n        return EXIT_INVALID',
             '        print(f"refused: {len(exc.problems)} problem(s); nothing was changed", file=sys.stderr)\n        return EXIT_OK'),
    Mutation('problems to stdout', 'bot/cli/__init__.py',
             '        for problem in exc.problems:\n            print(problem, file=sys.stderr)',
             '        for problem in exc.problems:\n            print(problem)'),
    Mutation('invalid input message lost', 'bot/cli/__init__.py',
             '        print(str(exc), file=sys.stderr)\n        return EXIT_INVALID',
             "        print('error', file=sys.stderr)\n        return EXIT_INVALID"),
    Mutation("validate's verdict", 'bot/cli/kb.py',
             ': valid (',
             ': checked ('),
    Mutation('import does not commit', 'knowledge/pack/io.py',
             '    if commit:',
             '    if False:'),
    Mutation('export not byte-exact', 'bot/cli/kb.py',
             '        sys.stdout.write(text)',
             '        sys.stdout.write(text.rstrip())'),
    Mutation('draft flag ignored', 'bot/cli/kb.py',
             'report = await import_pack(uow, doc, draft=args.draft)',
             'report = await import_pack(uow, doc, draft=False)'),
    Mutation('stats miss incomplete entries', 'bot/cli/kb.py',
             '    for key, langs in stats.incomplete:\n',
             '    for key, langs in stats.incomplete[:0]:\n'),
    Mutation('seed-demo ignores a full base', 'bot/cli/kb.py',
             '        if not await uow.knowledge.is_empty():',
             '        if False:'),
    Mutation('ask --json drops candidates', 'bot/cli/ask.py',
             '        candidates=[asdict(c) for c in answer.candidates],',
             '        candidates=[],'),
    Mutation('ask prints no answer text', 'bot/cli/ask.py',
             '                              reference=reference):\n        print(line)',
             '                              reference=reference)[:0]:\n        print(line)'),
    Mutation('batch out of order', 'bot/cli/ask.py',
             '            for row in rows:',
             '            for row in reversed(rows):'),
    Mutation('batch accepts malformed lines', 'bot/cli/ask.py',
             '            problems.append(f"{path}:{n}: not valid JSON ({exc.msg})")',
             '            pass'),
    Mutation('batch missing input not refused', 'bot/cli/ask.py',
             '        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from None',
             '        return []'),
    Mutation('unanswered not listed verbatim', 'bot/cli/ask.py',
             '        text = row.text.replace("\\n", " ")',
             '        text = row.text.replace("\\n", " ").upper()'),
    Mutation('chat ignores /lang', 'bot/runners/terminal.py',
             '                self.lang = words[1]  # type: ignore[assignment]',
             '                pass'),
    Mutation('chat fails at end of input', 'bot/cli/ask.py',
             '        if not line:\n            return EXIT_OK',
             '        if not line:\n            return 1'),
    Mutation('provider token not printed', 'bot/cli/status.py',
             '    say(token)\n',
             '    say(token[:4])\n'),
    Mutation('status import not whole', 'bot/cli/status.py',
             '    result = await feed(app, parse_csv(data, app.status_desk.stages))',
             "    result = await feed(app, parse_csv(data.split(b'\\n', 2)[0] + b'\\n' + data.split(b'\\n', 2)[1], app.status_desk.stages))"),
    Mutation('answer not passed on', 'bot/cli/escalations.py',
             '    queued = await app.notifier.pending_escalation_outcomes(uow)',
             '    queued = 0'),
    Mutation('notice files not written', 'bot/cli/refusals.py',
             '            (out / item.filename).write_bytes(item.data)',
             '            pass'),
    Mutation('notice not mailed', 'bot/cli/refusals.py',
             '        queue_notice_email(uow, notice, address, today=today, clock=app.clock,',
             '        (lambda *a, **k: None)(uow, notice, address, today=today, clock=app.clock,'),
    Mutation('report not mailed', 'bot/cli/reports.py',
             '            letters = (await queue_report_emails(uow, report, app.settings.qc_email,',
             '            letters = (await queue_report_emails(uow, report, None,'),
    Mutation('report files not written', 'bot/cli/reports.py',
             '            (out / item.filename).write_bytes(item.data)',
             '            pass'),
    Mutation('bad month accepted', 'knowledge/reports/monthly.py',
             '        return date(int(year), int(month), 1)\n    except ValueError:',
             '        return date(int(year), min(max(int(month), 1), 12), 1)\n    except ValueError:'),
    Mutation('erase not committed', 'bot/cli/privacy.py',
             '            raise InvalidInput(f"no citizen {args.address} on {args.channel}")\n        await uow.commit()',
             '            raise InvalidInput(f"no citizen {args.address} on {args.channel}")'),
    Mutation('purge not committed', 'bot/cli/privacy.py',
             '        done = await purge_older_than(uow, app.clock.now() - timedelta(days=days))\n        await uow.commit()',
             '        done = await purge_older_than(uow, app.clock.now() - timedelta(days=days))'),
    Mutation('overdue shown as days left', 'bot/cli/onboarding.py',
             'left = f"{working_days(-days)} OVERDUE" if days < 0 else working_days(days)',
             'left = working_days(abs(days))'),
    Mutation('a step not committed', 'bot/cli/onboarding.py',
             '            clock=app.clock, deadlines=app.deadlines, note=args.note)\n        await uow.commit()',
             '            clock=app.clock, deadlines=app.deadlines, note=args.note)'),
    Mutation('no invite printed', 'bot/cli/users.py',
             '        print(f"invite (one use): {invite_link(app.settings, member.invite_code)}")',
             '        pass'),
    Mutation('agency edit not saved', 'bot/cli/agencies.py',
             '(add_agency, "added") if args.agency_command == "add" else (edit_agency,',
             '(add_agency, "added") if args.agency_command == "add" else (list_agencies,'),
    Mutation('unknown agency accepted for a user', 'knowledge/staff.py',
             '            raise KnowledgeError(f"no agency with code {agency_code!r}")',
             '            raise KnowledgeError("refused")'),
]


def failed_tests(mutation: Mutation) -> list[str]:
    """The test functions that fail with ``mutation`` applied."""
    file = ROOT / mutation.path
    text = file.read_text(encoding="utf-8")
    if mutation.old not in text:
        raise SystemExit(f"{mutation.name}: not found in {mutation.path}")
    file.write_text(text.replace(mutation.old, mutation.new, 1), encoding="utf-8")
    try:
        out = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rf", "-n", "2",
             *TESTS], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False).stdout
    finally:
        file.write_text(text, encoding="utf-8")
    return sorted({re.sub(r"\[.*", "", line.split("::")[1].split(" ")[0])
                   for line in out.splitlines() if line.startswith("FAILED")})


def main(only: list[str]) -> int:
    caught: set[str] = set()
    for mutation in MUTATIONS:
        if only and mutation.name not in only:
            continue
        failed = failed_tests(mutation)
        caught.update(failed)
        print(f"{mutation.name}: {len(failed)} failed: {', '.join(failed) or '-'}",
              flush=True)
    if only:
        return 0
    tests = set()
    for target in TESTS:
        tests |= set(re.findall(r"^(?:async )?def (test_\w+)", (ROOT / target).read_text(),
                                re.MULTILINE))
    missed = sorted(tests - caught)
    print(f"{len(tests)} tests, {len(MUTATIONS)} mutations; caught by none: "
          f"{', '.join(missed) or 'none'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
