"""Benchmark the answer engine on a synthetic knowledge base against brute-force rapidfuzz.

One process: build a synthetic base (``synthetic_pack.py``), time ``build_index``, read the
peak RSS, then time ``Matcher.ask`` one query at a time over citizen-style perturbations
of the base's own questions (Kazakh letters dropped, typos, dropped words, two-word
fragments, Latin transliteration), and the same queries through a brute-force baseline:
``rapidfuzz.process.extractOne`` with ``token_set_ratio`` over every normalised variant.
Prints a table and, as the last line, one JSON object with the figures.

    ./scripts/bench [--entries 10000] [--queries 1000] [--baseline-queries N] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import random
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_pack import synthetic_entries  # noqa: E402

from knowledge.matching.index import build_index  # noqa: E402
from knowledge.matching.matcher import Matcher  # noqa: E402
from knowledge.matching.params import fitted_params  # noqa: E402
from knowledge.model import Answer, EntryInfo  # noqa: E402
from knowledge.text.analyse import query_tokens  # noqa: E402

# Targets on the 2-core reference machine.
TARGET_P95_MS = 2.0
TARGET_SPEEDUP = 10.0
TARGET_BUILD_S = 10.0
TARGET_RSS_MB = 300.0

# ---- how citizens type

KK_PLAIN = str.maketrans("қәіұүөғңһҚӘІҰҮӨҒҢҺ", "каиууогнхКАИУУОГНХ")
RU_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}
# The 2021 Kazakh Latin alphabet and the chat Latin people actually type.
KK_LATIN_2021 = {
    **RU_LATIN, "ә": "ä", "ғ": "ğ", "қ": "q", "ң": "ñ", "ө": "ö", "ұ": "ū", "ү": "ü",
    "һ": "h", "і": "ı", "ж": "j", "ш": "ş", "щ": "ş", "й": "i", "х": "h", "ю": "iu", "я": "ia",
}
KK_LATIN_CHAT = {
    **RU_LATIN, "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "і": "i", "ж": "zh", "х": "h", "й": "i",
}
CYRILLIC = "абвгдежзиклмнопрстуфхцчшыэюя"


def _translit(text: str, table: dict[str, str]) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        lat = table.get(low)
        if lat is None:
            out.append(ch)
        else:
            out.append(lat.capitalize() if ch != low else lat)
    return "".join(out)


def _words(text: str) -> list[str]:
    return text.split()


def _bare(word: str) -> str:
    return word.strip("?,.!;:«»\"")


def _typo(text: str, rng: random.Random) -> str:
    words = _words(text)
    spots = [i for i, w in enumerate(words) if len(_bare(w)) >= 4]
    if not spots:
        return text
    i = rng.choice(spots)
    word = _bare(words[i])
    tail = words[i][len(word):] if words[i].startswith(word) else ""
    pos = rng.randrange(1, len(word) - 1)
    op = rng.choice(("sub", "del", "swap", "ins"))
    if op == "sub":
        word = word[:pos] + rng.choice(CYRILLIC) + word[pos + 1:]
    elif op == "del":
        word = word[:pos] + word[pos + 1:]
    elif op == "swap":
        word = word[:pos - 1] + word[pos] + word[pos - 1] + word[pos + 1:]
    else:
        word = word[:pos] + rng.choice(CYRILLIC) + word[pos:]
    words[i] = word + tail
    return " ".join(words)


def _drop_word(text: str, rng: random.Random) -> str:
    words = _words(text)
    if len(words) < 3:
        return text
    del words[rng.randrange(len(words))]
    return " ".join(words)


def _fragment(text: str, rng: random.Random, service_words: frozenset[str]) -> str:
    """Two words of the question, one of them naming the service ("трактора стоит")."""
    words = [_bare(w) for w in _words(text) if len(_bare(w)) >= 3]
    if len(words) <= 2:
        return " ".join(words) or text
    named = [i for i, w in enumerate(words) if w.lower() in service_words]
    first = rng.choice(named or range(len(words)))
    second = rng.choice([i for i in range(len(words)) if i != first])
    return " ".join(words[i] for i in sorted((first, second)))


STYLES: dict[str, tuple[tuple[str, float], ...]] = {
    "kk": (("no_kazakh_letters", 0.3), ("typo", 0.2), ("word_drop", 0.15), ("fragment", 0.15),
           ("latin", 0.1), ("no_kazakh_letters+typo", 0.1)),
    "ru": (("typo", 0.35), ("word_drop", 0.25), ("fragment", 0.2), ("latin", 0.15),
           ("typo+word_drop", 0.05)),
}


def perturb(
    text: str, lang: str, style: str, rng: random.Random,
    service_words: frozenset[str] = frozenset(),
) -> str:
    for step in style.split("+"):
        if step == "no_kazakh_letters":
            text = text.translate(KK_PLAIN)
        elif step == "typo":
            text = _typo(text, rng)
        elif step == "word_drop":
            text = _drop_word(text, rng)
        elif step == "fragment":
            text = _fragment(text, rng, service_words)
        elif step == "latin":
            table = RU_LATIN if lang == "ru" else rng.choice((KK_LATIN_2021, KK_LATIN_CHAT))
            text = _translit(text, table)
    if rng.random() < 0.5:
        text = text.lower()
    if rng.random() < 0.5:
        text = text.rstrip("?")
    return text


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    entry: int  # index of the entry it was sampled from
    lang: str
    style: str


def _service_words(entry: EntryInfo) -> frozenset[str]:
    texts = [*entry.service.name.values()]
    texts += [w for words in entry.service.keywords.values() for w in words]
    return frozenset(_bare(w) for text in texts for w in text.lower().split())


def make_queries(entries: Sequence[EntryInfo], n: int, seed: int) -> list[Query]:
    """``n`` distinct citizen-style queries sampled from the entries' variants."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[Query] = []
    while len(out) < n:
        e = rng.randrange(len(entries))
        pool = [(lang, q) for lang, qs in entries[e].questions.items() for q in qs]
        lang, question = rng.choice(pool)
        styles, weights = zip(*STYLES[lang], strict=True)
        style = rng.choices(styles, weights)[0]
        text = perturb(question, lang, style, rng, _service_words(entries[e]))
        if text.strip() and text not in seen:
            seen.add(text)
            out.append(Query(text, e, lang, style))
    return out


# ---- measuring

def memory_mb() -> dict[str, float]:
    """Current and peak RSS in MB (from /proc, else getrusage's peak)."""
    out: dict[str, float] = {}
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
    except OSError:
        pass
    out.setdefault("VmHWM", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out.setdefault("VmRSS", out["VmHWM"])
    return out


def normalise(text: str) -> str:
    return " ".join(t.folded for t in query_tokens(text))


def time_calls(fn: Callable[[str], object], texts: Sequence[str]) -> tuple[list[float], list]:
    """Milliseconds of each call and its results."""
    times: list[float] = []
    results = []
    clock = time.perf_counter_ns
    for text in texts:
        t0 = clock()
        result = fn(text)
        times.append((clock() - t0) / 1e6)
        results.append(result)
    return times, results


def pct(times: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(times), q)) if len(times) else float("nan")


def engine_pick(answer: Answer) -> str | None:
    if answer.entry:
        return answer.entry
    return answer.candidates[0].entry if answer.candidates else None


def profile_asks(
    index: object, warm: Sequence[str], texts: Sequence[str], *, fitted: bool = False,
) -> str:
    """Top 25 lines by cumulative time of the ask loop, on a fresh matcher."""
    matcher = Matcher(index, params=fitted_params() if fitted else None)  # type: ignore[arg-type]
    for text in warm:
        matcher.ask(text, "kk")
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts:
        matcher.ask(text, "kk")
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else "")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--baseline-queries", type=int, default=None,
                        help="how many of the queries the baseline times (default: all)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--profile", action="store_true",
                        help="also profile the ask loop (top 25 by cumulative time); "
                             "done anyway when a latency target is missed")
    parser.add_argument("--profile-build", action="store_true",
                        help="also profile a second build_index (slow under cProfile)")
    parser.add_argument("--fitted", action="store_true",
                        help="the engine with scripts/fit's parameters (UCC_MATCHER__FITTED=1)")
    args = parser.parse_args(argv)
    n_base = min(args.baseline_queries or args.queries, args.queries)

    load_start = os.getloadavg()
    rss_start = memory_mb()
    t0 = time.perf_counter()
    entries = synthetic_entries(args.entries, args.seed)
    gen_s = time.perf_counter() - t0
    n_variants = sum(len(qs) for e in entries for qs in e.questions.values())
    n_services = len({e.service.register_no for e in entries})
    rss_data = memory_mb()

    gc.collect()
    t0 = time.perf_counter()
    index = build_index(entries)
    build_s = time.perf_counter() - t0
    rss_built = memory_mb()
    t0 = time.perf_counter()
    matcher = Matcher(index, params=fitted_params() if args.fitted else None)
    matcher_s = time.perf_counter() - t0

    queries = make_queries(entries, args.warmup + args.queries, args.seed)
    warm, timed = queries[: args.warmup], queries[args.warmup:]
    key_of = {e.key: i for i, e in enumerate(entries)}

    for q in warm:
        matcher.ask(q.text, "kk")
    times, answers = time_calls(lambda text: matcher.ask(text, "kk"), [q.text for q in timed])
    picks = [key_of.get(engine_pick(a) or "", -1) for a in answers]
    engine_hits = [p == q.entry for p, q in zip(picks, timed, strict=True)]
    decisions = Counter(str(a.decision) for a in answers)
    answered = [h for h, a in zip(engine_hits, answers, strict=True) if a.entry]

    # Brute force: every variant normalised the same way, the query too (inside the timing).
    t0 = time.perf_counter()
    choices: list[str] = []
    owner: list[int] = []
    for i, entry in enumerate(entries):
        for qs in entry.questions.values():
            for question in qs:
                choices.append(normalise(question))
                owner.append(i)
    norm_s = time.perf_counter() - t0

    def brute(text: str) -> int:
        found = process.extractOne(
            normalise(text), choices, scorer=fuzz.token_set_ratio, processor=None
        )
        return owner[found[2]] if found else -1

    for q in warm[:5]:
        brute(q.text)
    base_set = timed[:n_base]
    base_times, base_picks = time_calls(brute, [q.text for q in base_set])
    base_hits = [p == q.entry for p, q in zip(base_picks, base_set, strict=True)]

    p50, p95 = pct(times, 50), pct(times, 95)
    b50, b95 = pct(base_times, 50), pct(base_times, 95)
    speedup = b50 / p50 if p50 else float("inf")
    rss_mb = rss_built["VmHWM"]
    engine_top1 = sum(engine_hits) / len(engine_hits)
    engine_top1_base_set = sum(engine_hits[:n_base]) / n_base
    baseline_top1 = sum(base_hits) / len(base_hits)

    load_end = os.getloadavg()
    checks = [
        ("p95 <= 2 ms", p95 <= TARGET_P95_MS, f"{p95:.3f} ms"),
        ("speedup >= 10x", speedup >= TARGET_SPEEDUP, f"{speedup:.1f}x"),
        ("build <= 10 s", build_s <= TARGET_BUILD_S, f"{build_s:.2f} s"),
        ("RSS <= 300 MB", rss_mb <= TARGET_RSS_MB, f"{rss_mb:.0f} MB"),
    ]
    missed = [name for name, ok, _ in checks if not ok]
    if args.profile or any(name.startswith(("p95", "speedup")) for name in missed):
        print("== profile of the ask loop (fresh matcher, cumulative time, top 25) ==")
        print(profile_asks(index, [q.text for q in warm], [q.text for q in timed],
                           fitted=args.fitted))

    if args.profile_build:
        profiler = cProfile.Profile()
        profiler.runcall(build_index, entries)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        print("== profile of build_index (cumulative time, top 25) ==")
        print(out.getvalue())

    rows = [
        ("knowledge base", f"{len(entries)} entries, {n_services} services, "
                           f"{n_variants} question variants (generated in {gen_s:.1f} s)"),
        ("build_index", f"{build_s:.2f} s  (Matcher() {matcher_s * 1000:.0f} ms more)"),
        ("RSS", f"peak {rss_mb:.0f} MB after build (start {rss_start['VmRSS']:.0f} MB, "
                f"with data {rss_data['VmRSS']:.0f} MB, now {rss_built['VmRSS']:.0f} MB)"),
        ("engine ask", f"p50 {p50:.3f} ms  p95 {p95:.3f} ms  p99 {pct(times, 99):.3f} ms  "
                       f"max {max(times):.1f} ms  over {len(times)} queries "
                       f"(after {len(warm)} warm-up)"),
        ("baseline", f"p50 {b50:.2f} ms  p95 {b95:.2f} ms  over {len(base_times)} queries, "
                     f"extractOne/token_set_ratio over {len(choices)} variants "
                     f"(normalised in {norm_s:.1f} s)"),
        ("speedup", f"{speedup:.1f}x  (baseline p50 / engine p50)"),
        ("load average", f"{load_start[0]:.2f} at start, {load_end[0]:.2f} at end "
                         f"on {os.cpu_count()} CPUs (other work skews timings)"),
        ("engine top-1", f"{engine_top1:.1%} of {len(timed)}"
                         + (f" ({engine_top1_base_set:.1%} on the baseline's {n_base})"
                            if n_base < len(timed) else "")
                         + "  decisions: " + ", ".join(f"{k} {v}" for k, v in
                                                       sorted(decisions.items()))
                         + f" ({sum(answered)} of {len(answered)} answers right)"),
        ("baseline top-1", f"{baseline_top1:.1%} of {n_base}"),
    ]
    width = max(len(name) for name, _ in rows)
    print("== ucc-bot matching benchmark ==")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print("-- top-1 by query style (engine / baseline) --")
    styles = sorted({q.style for q in timed})
    for style in styles:
        eng = [h for h, q in zip(engine_hits, timed, strict=True) if q.style == style]
        base = [h for h, q in zip(base_hits, base_set, strict=True) if q.style == style]
        base_txt = f"{sum(base) / len(base):6.1%}" if base else "   n/a"
        print(f"  {style:<24} n={len(eng):4d}  {sum(eng) / len(eng):6.1%} / {base_txt}")
    print("-- targets --")
    for name, ok, value in checks:
        print(f"  {'PASS' if ok else 'MISS'}  {name:<16} {value}")
    print(json.dumps({
        "p50_ms": round(p50, 4),
        "p95_ms": round(p95, 4),
        "baseline_p50_ms": round(b50, 3),
        "baseline_p95_ms": round(b95, 3),
        "speedup": round(speedup, 2),
        "build_s": round(build_s, 3),
        "rss_mb": round(rss_mb, 1),
        "entries": len(entries),
        "variants": n_variants,
        "engine_top1": round(engine_top1, 4),
        "baseline_top1": round(baseline_top1, 4),
        "baseline_queries": len(base_times),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
