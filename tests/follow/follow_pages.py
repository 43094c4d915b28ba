"""Feeds and article pages written for the follow tests (synthetic Arabic reports)."""

from __future__ import annotations

from email.utils import format_datetime
from datetime import datetime, timezone

ARTICLES = {
    "kafranbel": {
        "title": "مقتل ثلاثة مدنيين بقصف مدفعي على كفرنبل",
        "date": "2024-03-05",
        "paras": [
            "قصفت قوات النظام السوري بالمدفعية الثقيلة بلدة كفرنبل في ريف إدلب الجنوبي صباح اليوم، "
            "ما أدى إلى مقتل ثلاثة مدنيين بينهم طفل وإصابة خمسة آخرين بجروح، بحسب ما أفاد المرصد السوري لحقوق الإنسان.",
            "وقال ناشطون إن القصف استهدف الأحياء السكنية وسط البلدة، وإن فرق الدفاع المدني عملت "
            "على انتشال الضحايا من تحت الأنقاض ونقل الجرحى إلى مشفى ميداني قريب.",
        ],
    },
    "douma": {
        "title": "غارات جوية على مدينة دوما في الغوطة الشرقية",
        "date": "2024-03-04",
        "paras": [
            "شنت طائرات حربية غارات جوية على مدينة دوما في الغوطة الشرقية بريف دمشق أمس، "
            "ما أسفر عن مقتل سبعة أشخاص وإصابة العشرات، وفق ما ذكرت مصادر محلية.",
            "وأضافت المصادر أن الغارات طالت سوقا شعبيا ومبنى سكنيا، وأن حصيلة الضحايا مرشحة للارتفاع "
            "بسبب وجود حالات خطرة بين المصابين.",
        ],
    },
    "taiz": {  # served in windows-1256, declared only in the page
        "title": "اشتباكات عنيفة في مدينة تعز",
        "date": None,   # no date in the page: the feed's pubDate is used
        "paras": [
            "اندلعت اشتباكات عنيفة بين قوات الحكومة اليمنية ومسلحي جماعة الحوثي في الأحياء الشرقية "
            "لمدينة تعز فجر اليوم، ما أدى إلى مقتل أربعة مقاتلين من الطرفين.",
            "وأفاد سكان بأن أصوات الانفجارات سمعت في أرجاء المدينة، وأن الاشتباكات استمرت عدة ساعات "
            "قبل أن يسود هدوء حذر.",
        ],
    },
    "broken": {
        "title": "انفجار سيارة مفخخة في مدينة الباب",
        "date": "2024-03-05",
        "paras": [
            "انفجرت سيارة مفخخة في مدينة الباب بريف حلب الشرقي ظهر اليوم، ما أدى إلى مقتل ستة مدنيين "
            "وإصابة آخرين، بحسب ما أفاد الدفاع المدني السوري.",
            "وأوضح الدفاع المدني أن الانفجار وقع قرب دوار السنتر المزدحم بالمارة، وأن فرقه نقلت المصابين "
            "إلى مشافي المدينة.",
        ],
    },
    "aleppo": {
        "title": "قصف صاروخي على أحياء حلب الغربية",
        "date": "2024-03-03",
        "paras": [
            "سقطت عدة قذائف صاروخية على حي الحمدانية في مدينة حلب مساء أمس، ما أسفر عن إصابة ثمانية مدنيين "
            "بجروح متفاوتة، وفق وكالة سانا.",
            "واتهمت الوكالة فصائل المعارضة المسلحة بإطلاق القذائف من مواقعها في الريف الغربي للمدينة.",
        ],
    },
    "idlib-new": {
        "title": "غارة بطائرة مسيرة على سراقب",
        "date": "2024-03-06",
        "paras": [
            "استهدفت طائرة مسيرة سيارة مدنية على أطراف مدينة سراقب في ريف إدلب الشرقي اليوم، ما أدى إلى "
            "مقتل شخصين كانا على متنها، بحسب ناشطين.",
            "وتشهد المنطقة تصعيدا عسكريا منذ أيام وسط نزوح عشرات العائلات نحو المخيمات الحدودية.",
        ],
    },
}


def article_html(key: str, charset: str = "utf-8") -> str:
    a = ARTICLES[key]
    meta = (f'<meta property="article:published_time" content="{a["date"]}T08:00:00+02:00">'
            if a["date"] else "")
    paras = "\n".join(f"<p>{p}</p>" for p in a["paras"])
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="{charset}">
<title>{a["title"]} | شبكة أخبار المرصد</title>{meta}</head>
<body>
<header><nav><a href="/">الرئيسية</a> | <a href="/syria">سوريا</a> | <a href="/yemen">اليمن</a> | <a href="/sport">رياضة</a></nav></header>
<main><article><h1>{a["title"]}</h1>
{paras}
</article>
<aside><h3>الأكثر قراءة</h3><ul><li><a href="/x1">ارتفاع أسعار الخبز</a></li><li><a href="/x2">نتائج الدوري</a></li></ul></aside>
</main>
<footer>جميع الحقوق محفوظة © 2024 شبكة أخبار المرصد</footer>
</body></html>"""


def rfc822(day: str) -> str:
    return format_datetime(datetime.fromisoformat(day + "T10:00:00").replace(tzinfo=timezone.utc))


def rss(base: str, items: list[tuple[str, str, str]]) -> bytes:
    """items: (path, title, YYYY-MM-DD)."""
    body = "".join(f"""
    <item><title>{t}</title><link>{base}{p}</link><guid>{base}{p}</guid>
      <pubDate>{rfc822(d)}</pubDate><description>{t}</description></item>""" for p, t, d in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>شبكة أخبار المرصد</title><link>{base}/</link>
<description>آخر الأخبار</description>{body}
</channel></rss>""".encode("utf-8")


def atom(base: str, items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(f"""
  <entry><title>{t}</title><link href="{base}{p}"/><id>{base}{p}</id>
    <updated>{d}T10:00:00Z</updated><summary>{t}</summary></entry>""" for p, t, d in items)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>وكالة أنباء الشمال</title>
<id>{base}/atom</id><updated>2024-03-05T10:00:00Z</updated>{body}
</feed>""".encode("utf-8")


# A feed cut off in the middle of its first item: no entry can be read from it.
MALFORMED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>موقع معطوب</title>
<item><title>خبر بلا رابط <description>نص""".encode("utf-8")
