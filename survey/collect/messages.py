"""The one catalogue of every interface string respondents see, in Mongolian and English.

Questionnaire texts come from the questionnaire file; everything else on a respondent page (buttons,
progress, errors, the pages of a closed or unknown link) comes from here. A questionnaire may declare a
language the catalogue does not have; its interface then falls back to English, the lingua franca of the
teams that would add such a language.
"""

from __future__ import annotations

from typing import Final

from survey.web.i18n import FALLBACK, LANGUAGES, Catalogue, language_name

__all__ = ["CATALOGUE", "FALLBACK", "LANGUAGES", "MESSAGES", "language_name", "translate"]

# Placeholders are filled with str.format. Mongolian case endings depend on the vowels of the word they
# follow, so no ending is ever glued to a placeholder: numbers and dates stand on their own
# ("Зөвшөөрөгдөх утга: 18–27").
MESSAGES: Final[dict[str, dict[str, str]]] = {
    # -- language -----------------------------------------------------------------------------------
    "language": {"mn": "Хэл", "en": "Language"},
    # -- navigation and progress ----------------------------------------------------------------------
    "start": {"mn": "Эхлэх", "en": "Start"},
    "next": {"mn": "Үргэлжлүүлэх", "en": "Next"},
    "back": {"mn": "Буцах", "en": "Back"},
    "submit": {"mn": "Илгээх", "en": "Submit"},
    "progress": {"mn": "Хуудас {current} / {total}", "en": "Page {current} of {total}"},
    "required": {"mn": "заавал", "en": "required"},
    "choose": {"mn": "— Сонгоно уу —", "en": "— Choose —"},
    "multi_hint": {"mn": "Тохирох бүгдийг сонгоно уу.", "en": "Choose all that apply."},
    "date_hint": {"mn": "Жишээ нь: 2001-09-23", "en": "For example: 2001-09-23"},
    "consent_yes": {"mn": "Тийм, оролцохыг зөвшөөрч байна", "en": "Yes, I agree to take part"},
    "consent_no": {"mn": "Үгүй, оролцохгүй", "en": "No, I do not want to take part"},
    "panel_code_saved": {
        "mn": "Таны код хадгалагдсан. Өөрчлөхгүй бол хоосон үлдээнэ үү.",
        "en": "Your code is saved. Leave this empty to keep it.",
    },
    "privacy": {
        "mn": (
            "Таны хариулт нэргүй. Бид Таны нэр, IP хаяг, утас, төхөөрөмжийн мэдээллийг хадгалахгүй. "
            "Зөвхөн зогссон газраасаа үргэлжлүүлэх боломж олгох нэг күүки ашиглана."
        ),
        "en": (
            "Your answers are anonymous. We do not store your name, IP address, phone or device "
            "details. One cookie is used, only so that you can continue where you stopped."
        ),
    },
    # -- field errors -----------------------------------------------------------------------------------
    "error": {"mn": "Алдаа", "en": "Error"},
    "error_summary": {"mn": "Дараах хариултыг засна уу", "en": "Please correct these answers"},
    "err_required": {"mn": "Энэ асуултад хариулна уу.", "en": "Please answer this question."},
    "err_consent": {
        "mn": "Судалгаанд оролцох эсэхээ сонгоно уу.",
        "en": "Please say whether you agree to take part.",
    },
    "err_integer": {
        "mn": "Бүхэл тоо бичнэ үү (жишээ нь 25).",
        "en": "Enter a whole number (for example 25).",
    },
    "err_decimal": {
        "mn": "Тоо бичнэ үү (жишээ нь 2,5).",
        "en": "Enter a number (for example 2.5).",
    },
    "err_range": {
        "mn": "Зөвшөөрөгдөх утга: {min}–{max}.",
        "en": "Enter a number from {min} to {max}.",
    },
    "err_min": {"mn": "Хамгийн бага утга: {min}.", "en": "Enter {min} or more."},
    "err_max": {"mn": "Хамгийн их утга: {max}.", "en": "Enter {max} or less."},
    "err_date": {
        "mn": "Огноог ОООО-СС-ӨӨ хэлбэрээр бичнэ үү (жишээ нь 2001-09-23).",
        "en": "Enter the date as YYYY-MM-DD (for example 2001-09-23).",
    },
    "err_date_range": {
        "mn": "Зөвшөөрөгдөх огноо: {min} – {max}.",
        "en": "Enter a date from {min} to {max}.",
    },
    "err_date_min": {"mn": "Хамгийн эрт огноо: {min}.", "en": "Enter {min} or later."},
    "err_date_max": {"mn": "Хамгийн хожуу огноо: {max}.", "en": "Enter {max} or earlier."},
    "err_too_long": {
        "mn": "Хамгийн ихдээ {max} тэмдэгт бичнэ үү (одоо {length}).",
        "en": "Use at most {max} characters (now {length}).",
    },
    "err_choice": {"mn": "Жагсаалтаас сонгоно уу.", "en": "Choose one of the options."},
    "err_constraint": {
        "mn": "Энэ хариултыг хүлээн авах боломжгүй. Шалгаад дахин оруулна уу.",
        "en": "This answer cannot be accepted. Please check it and try again.",
    },
    "err_panel_code": {
        "mn": "Кодод үсэг эсвэл тоо байх ёстой.",
        "en": "The code must contain letters or digits.",
    },
    "err_panel_code_locked": {
        "mn": (
            "Кодыг дахин өөрчлөх боломжгүй. Өмнө оруулсан кодоо хэвээр үлдээхийн тулд энэ талбарыг "
            "хоосон үлдээнэ үү."
        ),
        "en": "This code cannot be changed again. Leave this empty to keep the code you gave before.",
    },
    # -- end pages --------------------------------------------------------------------------------------
    "thanks_title": {"mn": "Баярлалаа!", "en": "Thank you!"},
    "thanks_complete": {
        "mn": "Таны хариултууд хадгалагдлаа. Цаг гаргаж оролцсонд баярлалаа.",
        "en": "Your answers have been saved. Thank you for your time.",
    },
    "thanks_declined": {
        "mn": "Та оролцохгүй байхаар сонгосон тул өөр асуулт асуухгүй. Баярлалаа.",
        "en": "You chose not to take part, so we will not ask anything else. Thank you.",
    },
    "thanks_generic": {
        "mn": "Энэ судалгаанд оролцсонд баярлалаа.",
        "en": "Thank you for taking part in this survey.",
    },
    "another_person": {
        "mn": "Өөр хүн энэ төхөөрөмжөөс бөглөх",
        "en": "Someone else will answer on this device",
    },
    # -- pages about the link ---------------------------------------------------------------------------
    "closed_title": {"mn": "Судалгаа хаагдсан", "en": "This survey is closed"},
    "closed_body": {
        "mn": "Энэ судалгаа дууссан тул хариулт хүлээн авахаа больсон. Сонирхсонд баярлалаа.",
        "en": "This survey has ended and no longer accepts answers. Thank you for your interest.",
    },
    "not_open_title": {"mn": "Судалгаа хараахан эхлээгүй", "en": "This survey has not started yet"},
    "not_open_body": {
        "mn": "Энэ судалгаа одоогоор хариулт хүлээн авахгүй байна. Дараа дахин оролдоно уу.",
        "en": "This survey does not accept answers yet. Please come back later.",
    },
    "opens_at": {"mn": "Эхлэх хугацаа: {when}", "en": "It opens on {when}."},
    "unknown_title": {"mn": "Холбоос ажиллахгүй байна", "en": "This link does not work"},
    "unknown_body": {
        "mn": "Холбоосоо шалгаад дахин оролдоно уу. Холбоосыг танд илгээсэн хүнээс асууж болно.",
        "en": "Please check the link and try again, or ask whoever sent it to you.",
    },
    # -- refusals ---------------------------------------------------------------------------------------
    "forbidden_title": {
        "mn": "Эндээс үргэлжлүүлэх боломжгүй",
        "en": "This form cannot continue here",
    },
    "forbidden_body": {
        "mn": "Энэ хариултыг өөр цонх эсвэл төхөөрөмжөөс эхлүүлсэн байна. "
        "Судалгааны холбоосыг дахин нээж үргэлжлүүлнэ үү.",
        "en": "These answers were started in another window or on another device. "
        "Open the survey link again to continue.",
    },
    "conflict_title": {"mn": "Хариулт аль хэдийн илгээгдсэн", "en": "Already submitted"},
    "conflict_body": {
        "mn": "Таны хариултууд аль хэдийн илгээгдсэн тул өөрчлөх боломжгүй.",
        "en": "Your answers were already submitted and can no longer be changed.",
    },
    "busy_title": {"mn": "Түр хүлээнэ үү", "en": "Please wait a moment"},
    "busy_body": {
        "mn": "Яг одоо олон хүн зэрэг хариулж байна. Нэг минутын дараа дахин оролдоно уу.",
        "en": "Many people are answering right now. Please try again in a minute.",
    },
    "bad_request_title": {"mn": "Маягтыг уншиж чадсангүй", "en": "The form could not be read"},
    "bad_request_body": {
        "mn": "Илгээсэн мэдээлэл буруу байна. Судалгааны холбоосыг дахин нээнэ үү.",
        "en": "What was sent is not valid. Please open the survey link again.",
    },
    "too_large_title": {"mn": "Хэт их мэдээлэл", "en": "Too much data"},
    "too_large_body": {
        "mn": "Илгээсэн мэдээлэл хэт их байна. Хариултаа богиносгоод дахин илгээнэ үү.",
        "en": "What was sent is too large. Please shorten your answers and send them again.",
    },
    "retry": {"mn": "Судалгааны холбоос руу буцах", "en": "Back to the survey"},
    # -- why a form was refused (shown under bad_request_body) ------------------------------------------
    "why_content_type": {
        "mn": "Маягтыг энгийн вэб маягтаар илгээх ёстой.",
        "en": "The form must be sent as an ordinary web form.",
    },
    "why_encoding": {
        "mn": "Маягтын текст UTF-8 кодчилолтой биш байна.",
        "en": "The form text is not valid UTF-8.",
    },
    "why_too_many_fields": {
        "mn": "Маягтад хэт олон талбар байна (хамгийн ихдээ {max}).",
        "en": "The form has too many fields (at most {max}).",
    },
    "why_unknown_field": {
        "mn": "Энэ хуудсанд «{name}» гэсэн асуулт байхгүй.",
        "en": 'This page has no question "{name}".',
    },
    "why_repeated_field": {
        "mn": "«{name}» асуултад нэгээс олон хариулт ирсэн.",
        "en": 'Question "{name}" was sent more than once.',
    },
    "why_response_id": {
        "mn": "Маягтын хариултын дугаар буруу байна.",
        "en": "The form's response number is missing or not valid.",
    },
    "why_field_too_long": {
        "mn": "Нэг талбарын утга хэт урт байна.",
        "en": "A field's value is too long.",
    },
}


CATALOGUE: Final = Catalogue(MESSAGES)
#: ``translate(key, language, **params)``: see :meth:`survey.web.i18n.Catalogue.translate`.
translate: Final = CATALOGUE.translate
