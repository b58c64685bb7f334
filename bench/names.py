"""Name pools for the benchmark generator: people and businesses in the scripts the group uses.

Names come in every script (design.md): Latin with accents, Vietnamese, Greek, Cyrillic,
Arabic, Chinese, Japanese, Korean. Each pool knows how its people write a full name
(family first or last, with or without a space) and, for Latin-script names, an ASCII
slug for the email address.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Pool:
    given: tuple[str, ...]
    family: tuple[str, ...]
    family_first: bool = False
    separator: str = " "

    def name(self, rng: random.Random) -> tuple[str, str, str]:
        """(full name, given, family)."""
        given, family = rng.choice(self.given), rng.choice(self.family)
        parts = (family, given) if self.family_first else (given, family)
        return self.separator.join(parts), given, family


LATIN = Pool(
    given=(
        "Zoë",
        "José",
        "Léa",
        "François",
        "Björn",
        "Małgorzata",
        "Søren",
        "Inês",
        "Chloé",
        "Ángel",
        "Daniel",
        "Priya",
        "Marcus",
        "Hannah",
        "Greg",
        "Olga",
        "Raj",
        "Sarah",
        "Ahmed",
        "Emily",
        "Jürgen",
        "Renée",
        "Çağla",
        "Dóra",
        "Tomás",
        "Aoife",
        "Noël",
        "Zuzana",
        "Luís",
        "Oskar",
    ),
    family=(
        "Lefèvre",
        "Núñez",
        "Müller",
        "Kowalski",
        "Dubois",
        "García",
        "O'Neill",
        "Okafor",
        "Raman",
        "Thompson",
        "Walsh",
        "Patel",
        "Haddad",
        "Becker",
        "Østergaard",
        "Łukasik",
        "Şahin",
        "Nováková",
        "Brontë",
        "Smith",
        "MacLeod",
        "Fernández",
        "Côté",
        "Gauthier",
        "Ström",
        "Papp",
        "Costa",
        "Rossi",
        "Schäfer",
        "Wójcik",
    ),
)
VIETNAMESE = Pool(
    given=("Thị Mai", "Văn Hùng", "Thu Thảo", "Minh Đức", "Ngọc Linh", "Quốc Bảo", "Thanh Hương", "Đình Khoa"),
    family=("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng", "Võ", "Bùi"),
    family_first=True,
)
GREEK = Pool(
    given=("Γιώργος", "Ελένη", "Νίκος", "Μαρία", "Δημήτρης", "Σοφία", "Κώστας", "Αθηνά"),
    family=("Παπαδόπουλος", "Καραγιάννη", "Οικονόμου", "Γεωργίου", "Βασιλείου", "Αντωνίου"),
)
CYRILLIC = Pool(
    given=("Ольга", "Дмитрий", "Анна", "Сергей", "Наталья", "Иван", "Ёлка", "Юлия"),
    family=("Смирнова", "Иванов", "Кузнецова", "Попов", "Соколова", "Лебедев", "Новикова"),
)
ARABIC = Pool(
    given=("أحمد", "فاطمة", "يوسف", "ليلى", "عمر", "مريم", "خالد", "نور"),
    family=("حداد", "العلي", "منصور", "الخطيب", "سليمان", "الحسن"),
)
CHINESE = Pool(
    given=("伟", "娜", "敏", "静", "磊", "洋", "艳", "军"),
    family=("王", "李", "张", "刘", "陈", "杨", "赵"),
    family_first=True,
    separator="",
)
JAPANESE = Pool(
    given=("健", "花子", "翔太", "さくら", "大輔", "美咲", "蓮", "陽菜"),
    family=("佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本"),
    family_first=True,
)
KOREAN = Pool(
    given=("민준", "서연", "지훈", "하은", "도윤", "수아", "예준"),
    family=("김", "이", "박", "최", "정", "강"),
    family_first=True,
    separator="",
)

# Mostly Latin, as in a Canadian city; every other script is well represented.
POOLS = (
    (LATIN, 0.55),
    (VIETNAMESE, 0.08),
    (GREEK, 0.06),
    (CYRILLIC, 0.07),
    (ARABIC, 0.07),
    (CHINESE, 0.07),
    (JAPANESE, 0.05),
    (KOREAN, 0.05),
)

CATEGORIES = (
    "Accountant",
    "Realtor",
    "Graphic designer",
    "Mobile web developer",
    "Insurance broker",
    "Printer",
    "Physiotherapist",
    "Auto repair",
    "Managed IT",
    "Family lawyer",
    "Mortgage broker",
    "Florist",
    "Photographer",
    "Caterer",
    "Chiropractor",
    "Financial planner",
    "Electrician",
    "Plumber",
    "Landscaper",
    "Interior designer",
    "Copywriter",
    "Travel agent",
    "Dentist",
    "Optometrist",
    "Personal trainer",
    "Bookkeeper",
    "Signage",
    "Event planner",
    "Home inspector",
    "Cleaning services",
    "HR consultant",
    "Translator",
    "Video producer",
    "Roofer",
    "Painter",
    "Moving company",
    "Bakery",
    "Coffee roaster",
    "Brewery",
    "Dog groomer",
    "Tutoring",
    "Music lessons",
    "Massage therapist",
    "Hair salon",
    "Tailor",
    "Jeweller",
    "Locksmith",
    "Web hosting",
    "SEO consultant",
    "Social media manager",
    "Business coach",
    "Notary",
    "Estate planner",
    "Pharmacist",
    "Veterinarian",
    "Architect",
    "Solar installer",
    "Security systems",
    "Courier",
    "Office furniture",
    "Promotional products",
    "Car dealer",
)

BUSINESS_SUFFIXES = (
    "& Associates",
    "Studio",
    "Group",
    "Solutions",
    "& Co.",
    "Services",
    "Consulting",
    "Works",
    "Clinic",
    "Partners",
)
PROSPECTS = (
    "Becker Landscaping",
    "Waterloo Climbing Co.",
    "Mitchell Family Law",
    "Grand River Runners",
    "Café Olé",
    "Boulangerie Saint-Jacques",
    "Northfield Dental",
    "Huron Bike Shop",
    "Kitchener Makerspace",
    "Smith & Daughters",
    "Cornerstone Church",
    "Lakeside Daycare",
    "Phở Saigon",
    "Taverna Ελληνικά",
    "Книжный клуб",
    "مطعم الأرز",
    "和風キッチン",
    "한빛 마트",
    "上海小馆",
    "Uptown Yoga",
    "Bridgeport Hardware",
    "Maple Leaf Movers",
)
BODY_SENTENCES = (
    "Does anyone know a good **bookkeeper** for a two-person shop?",
    "Thanks to everyone who came on Tuesday — great energy in the room.",
    "I can offer a free one-hour review to anyone in the circle this month.",
    "Looking for an introduction to the facilities manager at the hospital.",
    "Here's the [link](https://example.org/slides) to my education-moment slides.",
    "- coffee at 7:15\n- 60-second round\n- referrals",
    "Who would like to co-host the summer barbecue?",
    "Xin chào! Tôi có thể giới thiệu một khách hàng mới.",
    "Ευχαριστώ πολύ για τη σύσταση!",
    "Спасибо за рекомендацию, клиент уже позвонил.",
    "شكراً جزيلاً على الإحالة",
    "谢谢大家的推荐。",
    "紹介ありがとうございました。",
    "소개해 주셔서 감사합니다.",
)
THREAD_TITLES = (
    "Ask: a good {c} for a new client",
    "Offer: free session from our {c}",
    "Ideas for the next meeting",
    "Announcement: new member in {c}",
    "Who knows someone at the city?",
    "Summer social",
    "Referral etiquette",
    "Looking for a {c}",
    "Welcome our visitors",
    "Slides from the education moment",
)
VOID_REASONS = ("entered twice", "wrong receiver", "prospect was already a client", "test entry")


def ascii_slug(text: str) -> str:
    """Accent-free lower-case letters of `text`, or '' when the script has no ASCII form."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalpha())
