"""Words that carry no meaning for matching: function words, greetings, politeness, fillers.

Question words (сколько, қанша, где, қайда…) are not here: they tell the aspect asked about.
Lists are in proper spelling and folded at load, so every typing style meets them.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from knowledge.text.fold import fold_word

RUSSIAN: Final = """
и в во на с со по для о об от до за из к ко у же ли бы а но или либо то это этот эта эти тот
та те так там тут вот уже ещё еще есть был была были быть будет будут я мы ты вы он она
они мне меня мой моя мои мое моё нам нас наш наша наши вам вас ваш ваша ваши ему ей им их
его её ее себя себе свой своя свои при над под про без через чтобы что-то кто-то какой-то
здравствуйте здравствуй привет приветствую салам
пожалуйста спасибо благодарю подскажите подскажи скажите скажи хотел хотела хотелось бы
хочу интересует интересно вопрос вопросом уважаемые уважаемый очень просто вообще
типа короче ну вот кстати заранее здрасте здрасьте доброго извините извиняюсь помогите
срочно вчера сегодня завтра теперь сейчас потом тоже также примерно вместе всё все
ребят ребята девушка добрый
""".split()

KAZAKH: Final = """
және мен пен бен да де та те ғой ғана тек әрі бірақ немесе әлде яки я яғни сол осы бұл ол мына
мен біз сен сіз олар маған бізге сізге оған оның менің біздің сіздің өз өзім өзіміз
сәлем сәлеметсіз сәлеметсізбе саламатсыз ассалаумағалейкум рақмет
рахмет көп алдын ала айтыңызшы айтып жіберіңізші көмектесіңізші өтінемін білгім
келеді келетін еді білейін деп едім сұрақ сұрағым бар қош келдіңіз ау ей
кеше бүгін ертең қазір енді сосын шамамен бірге барлық да бауырым апа аға
""".split()

# Greetings of two words: dropped only together ("добрый день", not "день" alone).
GREETING_PAIRS: Final = (
    ("добрый", "день"), ("добрый", "вечер"), ("доброе", "утро"), ("доброго", "дня"),
    ("қайырлы", "күн"), ("қайырлы", "таң"), ("қайырлы", "кеш"), ("хорошего", "дня"),
)

# Question particles glued or separate: "ма", "ме", "ба", "бе", "па", "пе".
PARTICLES: Final = "ма ме ба бе па пе ли".split()


@cache
def greeting_pairs_folded() -> frozenset[tuple[str, str]]:
    return frozenset((fold_word(a), fold_word(b)) for a, b in GREETING_PAIRS)


@cache
def stop_folded() -> frozenset[str]:
    return frozenset(fold_word(w) for w in (*RUSSIAN, *KAZAKH, *PARTICLES))
