"""Server time of the console's knowledge and curation pages on a big base: a synthetic
10,000-entry pack (2,000 services) and 2,000 unanswered questions (mostly distinct), each
page asked through aiohttp's in-process client by a signed-in operator (the index built
once beforehand, as the running console keeps it). Prints the median and the 95th
percentile a page.

    python scripts/bench_console_knowledge.py [--entries 10000] [--rounds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_pack import synthetic_pack  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.console.server import create_console  # noqa: E402
from knowledge.credentials import set_password  # noqa: E402
from knowledge.db.tables import UnansweredRow  # noqa: E402
from knowledge.pack.io import import_pack  # noqa: E402
from knowledge.staff import SYSTEM, Role, add_staff  # noqa: E402

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
WORDS = ("паспорт справка участок трактор лицензия пособие пенсия виза билет поезд налог "
         "штраф брак рождение школа садик аптека прописка машина номер кредит субсидия "
         "где когда сколько можно нужно ли").split()
QUERIES = ("сколько стоит справка", "жер учаскесіне рұқсат қанша тұрады",
           "какие документы нужны для лицензии", "трактор тіркеу мерзімі")


async def bench(entries: int, rounds: int) -> None:
    folder = Path(tempfile.mkdtemp())
    app = await create_app(Settings(  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{folder / 'bench.sqlite3'}", _env_file=None))
    async with app.uow() as uow:
        await import_pack(uow, synthetic_pack(entries), draft=False, commit=False)
        await add_staff(uow, "bench", Role.OPERATOR, app.clock)
        await set_password(uow, "bench", "bench password", SYSTEM)
        rng = random.Random(7)
        for n in range(2000):  # mostly distinct, some asked again: the worst case to group
            text = (" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9)))
                    if n % 4 else f"как получить справку номер {n % 40}")
            uow.unanswered.add(UnansweredRow(
                text=text + "?", lang="ru", channel="telegram", decision="escalate",
                candidates=[], created_at=app.clock.now()))
        await uow.commit()
        await app.matchers.get(uow)
    client: TestClient = TestClient(TestServer(await create_console(app)))  # type: ignore[type-arg]
    await client.start_server()
    page = await (await client.get("/signin")).text()
    found = TOKEN.search(page)
    assert found
    await client.post("/signin", data={"name": "bench", "password": "bench password",
                                       "csrf_token": found.group(1)})
    pages = {
        "services list": ["/knowledge"],
        "services list, page 40": ["/knowledge?offset=1000"],
        "search": [f"/knowledge?q={q}" for q in QUERIES],
        "ask as a citizen": [f"/knowledge?ask={q}&lang_as=auto" for q in QUERIES],
        "service card": ["/knowledge/services/" + synthetic_pack(entries)["services"][7][
            "register_no"]],
        "curation": ["/curation"],
    }
    for name, urls in pages.items():
        times = []
        for n in range(rounds):
            url = urls[n % len(urls)]
            started = time.perf_counter()
            response = await client.get(url)
            await response.read()
            times.append((time.perf_counter() - started) * 1000)
            assert response.status == 200, (url, response.status)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{name:24} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms")
    await client.close()
    await app.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(bench(args.entries, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
