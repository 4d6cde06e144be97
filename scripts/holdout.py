"""How the engine does on questions it has not seen: leave-out checks on a knowledge pack.

The dev set is what the thresholds were tuned on; these two checks use the pack's own
questions instead, each asked of an index that does not hold it:

- leave one variant out: the k-th phrasing of every entry (per language) is taken out of
  the pack and asked; the answer should be its entry (accuracy, wrong answers);
- leave one service out: a whole service is taken out and its questions asked; nothing
  should be answered (false answers).

    python scripts/holdout.py [--pack PACK] [--fitted]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_pack import entries_from_pack  # noqa: E402

from knowledge.matching.index import build_index  # noqa: E402
from knowledge.matching.matcher import OUT_OF_SCOPE, Matcher  # noqa: E402
from knowledge.matching.params import Params, fitted_params  # noqa: E402
from knowledge.model import Decision  # noqa: E402

DEFAULT_PACK = Path(__file__).resolve().parents[2] / "shared" / "packs" / "demo.json"


PARAMS: list[Params | None] = [None]  # --fitted: the fitted parameters


def _matcher(pack: dict[str, Any]) -> Matcher:
    return Matcher(build_index(entries_from_pack(pack)), params=PARAMS[0])


def leave_one_variant_out(pack: dict[str, Any]) -> tuple[int, int, int]:
    """(asked, answered right, answered wrong)."""
    most = max(len(qs) for s in pack["services"] for f in s["faq"]
               for qs in f["questions"].values())
    asked = right = wrong = 0
    for k in range(most):
        reduced = copy.deepcopy(pack)
        held: list[tuple[str, str]] = []
        for service in reduced["services"]:
            for faq in service["faq"]:
                for questions in faq["questions"].values():
                    if len(questions) > 1 and k < len(questions):
                        held.append((questions.pop(k), faq["id"]))
        matcher = _matcher(reduced)
        for text, expected in held:
            answer = matcher.ask(text)
            asked += 1
            if answer.decision == Decision.ANSWER:
                right += answer.entry == expected
                wrong += answer.entry != expected
    return asked, right, wrong


def leave_one_service_out(pack: dict[str, Any]) -> tuple[int, int, int]:
    """(asked, answered though the service is not in the index, told out of scope)."""
    asked = answered = out_of_scope = 0
    for number in range(len(pack["services"])):
        reduced = copy.deepcopy(pack)
        service = reduced["services"].pop(number)
        matcher = _matcher(reduced)
        for faq in service["faq"]:
            for questions in faq["questions"].values():
                for text in questions:
                    answer = matcher.ask(text)
                    asked += 1
                    answered += answer.decision == Decision.ANSWER
                    out_of_scope += answer.reason == OUT_OF_SCOPE
    return asked, answered, out_of_scope


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pack", type=Path, default=DEFAULT_PACK)
    parser.add_argument("--fitted", action="store_true",
                        help="the parameters scripts/fit wrote (as UCC_MATCHER__FITTED=1)")
    args = parser.parse_args(argv)
    PARAMS[0] = fitted_params() if args.fitted else None
    pack = json.loads(args.pack.read_text(encoding="utf-8"))
    asked, right, wrong = leave_one_variant_out(pack)
    print(f"leave one variant out: {asked} questions, answer accuracy {100 * right / asked:.1f}%,"
          f" wrong answers {100 * wrong / asked:.1f}%")
    asked, answered, out_of_scope = leave_one_service_out(pack)
    print(f"leave one service out: {asked} questions, false answers "
          f"{100 * answered / asked:.1f}%, out of scope {100 * out_of_scope / asked:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
