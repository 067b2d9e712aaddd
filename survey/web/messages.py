"""Interface strings of the pages every area shares: the error pages.

The specific reason of an error (``NotFound("no campaign \\"x\\"")``) is written for researchers in
English by the code that raises it; the page around it (title, what it means, where to go next) is in the
reader's language, and the reason is marked ``lang="en"`` on a Mongolian page.
"""

from __future__ import annotations

from typing import Final

from survey.web.i18n import Catalogue

__all__ = ["CATALOGUE"]

MESSAGES: Final[dict[str, dict[str, str]]] = {
    "error_title.400": {"mn": "Хүсэлт буруу байна", "en": "Bad request"},
    "error_title.401": {"mn": "Нэвтрэх шаардлагатай", "en": "Sign-in needed"},
    "error_title.403": {"mn": "Зөвшөөрөлгүй", "en": "Not allowed"},
    "error_title.404": {"mn": "Олдсонгүй", "en": "Not found"},
    "error_title.405": {"mn": "Зөвшөөрөлгүй үйлдэл", "en": "Method not allowed"},
    "error_title.408": {"mn": "Хүсэлт хэт удаан ирлээ", "en": "Request too slow"},
    "error_title.409": {"mn": "Зөрчилтэй байна", "en": "Conflict"},
    "error_title.413": {"mn": "Хэт том байна", "en": "Too large"},
    "error_title.415": {"mn": "Дэмжигдээгүй төрөл", "en": "Unsupported type"},
    "error_title.422": {"mn": "Тооцоолох боломжгүй", "en": "Cannot compute"},
    "error_title.429": {"mn": "Хэт олон хүсэлт", "en": "Too many requests"},
    "error_title.500": {"mn": "Алдаа гарлаа", "en": "Something went wrong"},
    "error_title.other": {"mn": "Алдаа", "en": "Error"},
    "error_body.400": {
        "mn": "Илгээсэн мэдээлэлд алдаа байна. Доорх тайлбарыг уншаад дахин оролдоно уу.",
        "en": "Something in the request is not valid. Read the reason below and try again.",
    },
    "error_body.401": {
        "mn": "Энэ хуудсыг үзэхийн тулд нэвтэрнэ үү.",
        "en": "Please sign in to see this page.",
    },
    "error_body.403": {
        "mn": "Таны эрх энэ хуудсыг үзэх, энэ үйлдлийг хийхэд хүрэхгүй байна. Шаардлагатай бол "
        "байгууллагынхаа админд хандана уу.",
        "en": "Your account may not see this page or do this. Ask your organisation's administrator "
        "if you need it.",
    },
    "error_body.404": {
        "mn": "Энэ хаягаар хуудас, мэдээлэл олдсонгүй. Хаягаа шалгана уу.",
        "en": "There is nothing at this address. Please check it.",
    },
    "error_body.405": {
        "mn": "Энэ хаяг ийм хүсэлт хүлээж авдаггүй.",
        "en": "This address does not take this kind of request.",
    },
    "error_body.408": {
        "mn": "Хүсэлт бүрэн ирэхгүй удсан тул зогсоолоо. Дахин илгээнэ үү.",
        "en": "The request did not arrive in time and was dropped. Please send it again.",
    },
    "error_body.409": {
        "mn": "Энэ нь аль хэдийн хадгалагдсан мэдээлэлтэй зөрчилдөж байна.",
        "en": "This conflicts with what is already stored.",
    },
    "error_body.413": {
        "mn": "Илгээсэн мэдээлэл хэт том байна.",
        "en": "What was sent is too large.",
    },
    "error_body.415": {
        "mn": "Илгээсэн мэдээллийн төрлийг хүлээж авах боломжгүй.",
        "en": "What was sent is not of a kind this address takes.",
    },
    "error_body.422": {
        "mn": "Одоогийн өгөгдлөөр энэ тооцоог хийх боломжгүй байна.",
        "en": "The data so far cannot support this computation.",
    },
    "error_body.429": {
        "mn": "Хэт олон хүсэлт ирлээ. Түр хүлээгээд дахин оролдоно уу.",
        "en": "Too many requests. Please wait a little and try again.",
    },
    "error_body.500": {
        "mn": "Серверт алдаа гарлаа. Хадгалагдсан мэдээлэл устаагүй. Дахин оролдоно уу.",
        "en": "The server ran into an error. Nothing already saved was lost. Please try again.",
    },
    "error_body.other": {
        "mn": "Хүсэлтийг биелүүлэх боломжгүй байна.",
        "en": "The request could not be carried out.",
    },
    "error_reason": {"mn": "Шалтгаан", "en": "Reason"},
    "error_home": {"mn": "Нүүр хуудас руу буцах", "en": "Go to the start page"},
}

CATALOGUE: Final = Catalogue(MESSAGES)
