"""The console's words for field collection (survey.console.field, and its hooks in the campaign and
monitoring pages), in Mongolian and English; part of the one console catalogue
(:data:`survey.console.messages.CATALOGUE`), kept in their own module beside the pages that use them.

An enumerator is a "ярилцлага авагч" (the one who takes the interview). The names of ODK Collect's menus
are the app's own and come as placeholders, so that no sentence glues a case ending to them.
"""

from __future__ import annotations

from typing import Final

__all__ = ["APP_MENUS", "FIELD_MESSAGES"]

#: ODK Collect's and KoboCollect's own names of the menus the steps name (the apps show them so).
APP_MENUS: Final = {
    "add_project": "Add project",
    "scan": "Configure with QR code",
    "download": "Download form",
    "send": "Ready to send",
}

FIELD_MESSAGES: Final[dict[str, dict[str, str]]] = {
    # -- the wave card and the monitoring page -------------------------------------------------------
    "wave.field": {"mn": "Хээрийн цуглуулга", "en": "Field collection"},
    "monitor.channels": {"mn": "Ирсэн замаар нь", "en": "By channel"},
    "monitor.channel": {"mn": "Зам", "en": "Channel"},
    "monitor.channel.web": {"mn": "Вэб маягт", "en": "Web form"},
    "monitor.channel.field": {"mn": "Хээрийн төхөөрөмж", "en": "Field devices"},
    "monitor.channel.field_wave": {"mn": "Шатны хаягаар", "en": "The wave's address"},
    "monitor.awaiting": {"mn": "Шалгах", "en": "To review"},
    "monitor.channels_hint": {
        "mn": (
            "Хээрийн төхөөрөмжөөс ирсэн ярилцлагыг хаягаар нь (шатных эсвэл ярилцлага авагчийнх) "
            "задлав. Төхөөрөмж зөвхөн дууссан ярилцлагыг илгээдэг. Дуусаагүй болон татгалзсан хариулт "
            "вэб маягтаас ирнэ."
        ),
        "en": (
            "Field interviews are broken down by the address they came through: the wave's, or an "
            "enumerator's own. Devices send finished interviews only: unfinished and declined "
            "responses come from the web form."
        ),
    },
    "monitor.review_waiting": {
        "mn": "Судлаачийн шалгалт хүлээж буй ярилцлага: {count}.",
        "en": "Interviews awaiting your review: {count}.",
    },
    "monitor.review_go": {"mn": "Шалгах", "en": "Review them"},
    "monitor.median_web": {
        "mn": "Бөглөх хугацааг зөвхөн вэб маягтаар тооцно: хээрийн ярилцлагын хугацааг төхөөрөмж илгээдэггүй.",
        "en": "The time to complete counts web responses only: field devices do not send how long an "
        "interview took.",
    },
    # -- the field page -----------------------------------------------------------------------------
    "field.title": {"mn": "Хээрээс мэдээлэл цуглуулах", "en": "Field collection"},
    "field.intro": {
        "mn": (
            "Ярилцлага авагчид ODK Collect эсвэл KoboCollect програмтай таблетаар сүлжээгүй газар "
            "ярилцлага авч, сүлжээнд орохоороо илгээнэ. Ярилцлага энэ шатанд шууд ирж, вэб маягтын "
            "хариултын адил шалгагдан, тайлан болон экспортод орно."
        ),
        "en": (
            "Enumerators interview people offline on tablets with ODK Collect or KoboCollect, and send "
            "the interviews when they are back in range. The interviews come straight into this "
            "wave, are checked like web answers, and go into the report and the exports."
        ),
    },
    "field.steps_title": {"mn": "Таблетыг хэрхэн тохируулах вэ", "en": "Setting up a tablet"},
    "field.step_project": {
        "mn": "Програмын төслийн дүрс дээр дарж «{add_project}» сонгоно (програмыг анх нээхэд «{scan}»).",
        "en": "In the app, tap the project icon, then “{add_project}” (when the app first starts: “{scan}”).",
    },
    "field.step_scan": {
        "mn": "Доорх тохиргооны кодыг уншуулна. Код уншуулах боломжгүй бол серверийн хаягийг гараар бичнэ.",
        "en": "Scan the settings code below. If scanning is not possible, type the server address.",
    },
    "field.step_download": {
        "mn": "«{download}» цэснээс энэ шатны асуулгыг татна. Асуулга монгол, англи хоёр хэлтэй.",
        "en": "Under “{download}”, get this wave's questionnaire, in Mongolian and English.",
    },
    "field.step_send": {
        "mn": "Дууссан ярилцлагуудыг сүлжээнд орохоороо «{send}» цэснээс илгээнэ.",
        "en": "Back in range, send the finished interviews from “{send}”.",
    },
    "field.not_open": {
        "mn": (
            "Энэ шат нээгдээгүй байна. Таблет асуулгыг татаж болох ч шат нээгдэх хүртэл ярилцлага "
            "илгээж чадахгүй (ярилцлагууд таблет дээр хадгалагдана)."
        ),
        "en": (
            "This wave is not open. Tablets can download the questionnaire, but cannot send interviews "
            "until the wave is opened (the interviews stay on the tablet)."
        ),
    },
    "field.closed": {
        "mn": (
            "Энэ шат хаагдсан. Таблетаас ирэх ярилцлагыг хүлээж авахгүй: тэдгээр таблет дээр "
            "хадгалагдсаар байна. Хүлээн авахын тулд шатыг дахин нээнэ үү."
        ),
        "en": (
            "This wave is closed. Interviews that tablets send are refused and stay on the tablets; "
            "open the wave again to receive them."
        ),
    },
    "field.loopback_title": {
        "mn": "Таблет энэ хаягт хүрэхгүй",
        "en": "Tablets cannot reach these addresses",
    },
    "field.loopback": {
        "mn": (
            "Хээрийн хаягууд {address} хаягаар эхэлж байгаа тул таблетаас хүрэх боломжгүй. "
            "Серверийн нийтэд нээлттэй хаягийг SURVEY_BASE_URL тохиргоонд бичээд серверийг дахин "
            "эхлүүлнэ үү, жишээ нь:"
        ),
        "en": (
            "The field addresses begin with {address}, an address only this computer can open: "
            "tablets cannot reach it. Set the server's public address in SURVEY_BASE_URL and start "
            "the server again, for example:"
        ),
    },
    "field.no_xform_title": {
        "mn": "Энэ асуулгыг таблетад ашиглах боломжгүй",
        "en": "This questionnaire cannot be used on tablets",
    },
    "field.no_xform": {
        "mn": (
            "Асуулгыг ODK-ийн маягт (XForm) болгож чадсангүй, тиймээс таблет үүнийг татаж чадахгүй. "
            "Асуулгын файлыг засаад шинэ хувилбараар нь шат нэмнэ үү. Шалтгаан (англиар):"
        ),
        "en": (
            "The questionnaire cannot be made into an ODK form (XForm), so tablets cannot download it. "
            "Fix the questionnaire file and add a wave on its new version. The reason:"
        ),
    },
    "field.wave_address": {"mn": "Шатны серверийн хаяг", "en": "The wave's server address"},
    "field.wave_address_hint": {
        "mn": (
            "Энэ хаягийг мэдсэн хэн ч энэ шатанд ярилцлага илгээж чадна: зөвхөн багийнхаа "
            "ярилцлага авагчдад өгнө үү. Ярилцлага авагч бүрд тусдаа хаяг өгвөл экспортод тэдний нэр "
            "харагдах бөгөөд хаягийг тус тусад нь хүчингүй болгож болно."
        ),
        "en": (
            "Anyone who has this address can send interviews to this wave: give it only to your "
            "team. An address of each enumerator's own puts her name in the exports and can be "
            "withdrawn on its own."
        ),
    },
    "field.server_address": {"mn": "Серверийн хаяг", "en": "Server address"},
    "field.copied": {"mn": "Хаягийг хууллаа.", "en": "Address copied."},
    "field.settings_code": {
        "mn": "ODK Collect, KoboCollect-ийн тохиргооны код: {who}",
        "en": "Settings code for ODK Collect and KoboCollect: {who}",
    },
    "field.settings_svg": {
        "mn": "Тохиргооны кодыг татах (SVG, хэвлэхэд)",
        "en": "Download the settings code (SVG, for print)",
    },
    "field.settings_png": {
        "mn": "Тохиргооны кодыг татах (PNG)",
        "en": "Download the settings code (PNG)",
    },
    "field.enumerators": {"mn": "Ярилцлага авагчдын хаяг", "en": "Enumerators' addresses"},
    "field.enumerators_hint": {
        "mn": (
            "Ярилцлага авагч бүрд тусдаа хаяг үүсгэвэл түүний илгээсэн ярилцлага бүрт нэр нь "
            "бичигдэнэ. Таблет алдагдвал тэр хаягийг хүчингүй болгоход бусад нь хэвээр ажиллана."
        ),
        "en": (
            "An address of her own writes the enumerator's name on every interview she sends. If a "
            "tablet is lost, withdraw its address: the others keep working."
        ),
    },
    "field.enumerator_name": {"mn": "Ярилцлага авагчийн нэр", "en": "Enumerator's name"},
    "field.add_enumerator": {"mn": "Хаяг үүсгэх", "en": "Make her address"},
    "field.no_enumerators": {
        "mn": "Одоогоор ярилцлага авагчийн хаяг алга.",
        "en": "No enumerator has an address yet.",
    },
    "field.enumerator_since": {"mn": "Үүсгэсэн: {date}", "en": "Made on {date}"},
    "field.revoke": {"mn": "Хүчингүй болгох", "en": "Withdraw"},
    "field.revoke_confirm": {
        "mn": (
            "{name} гэсэн ярилцлага авагчийн хаягийг хүчингүй болгох уу? Тэр таблет цаашид "
            "ярилцлага илгээж чадахгүй."
        ),
        "en": "Withdraw {name}'s address? That tablet will no longer be able to send interviews.",
    },
    "field.revoked_list": {"mn": "Хүчингүй болсон хаягууд", "en": "Withdrawn addresses"},
    "field.revoked_on": {
        "mn": "{name}: хүчингүй болсон огноо {date}",
        "en": "{name}: withdrawn on {date}",
    },
    "field.revoked": {
        "mn": "Хаягийг хүчингүй болголоо: {name}.",
        "en": "The address was withdrawn: {name}.",
    },
    "field.made": {"mn": "Хаяг үүсгэлээ: {name}.", "en": "The address was made: {name}."},
    "field.everyone": {"mn": "бүх ярилцлага авагч", "en": "every enumerator"},
    # -- the review page ----------------------------------------------------------------------------
    "review.title": {"mn": "Шалгах ярилцлагууд", "en": "Interviews to review"},
    "review.intro": {
        "mn": (
            "Эдгээр ярилцлагын зарим хариулт маягтын дүрэмд нийцээгүй (жишээ нь, зөвшөөрөгдөх "
            "хязгаараас гадуур тоо). Тийм ярилцлагыг шалгах хүртэл тайланд оруулахгүй. Хариултыг "
            "зөвшөөрвөл тэр нь хариулт болно; татгалзвал хасагдаж, ярилцлагын бусад хариулт тайланд "
            "орно."
        ),
        "en": (
            "Some answers of these interviews break a rule of the form (a number outside its range, "
            "for example). Such an interview stays out of the report until it is reviewed. Accepting "
            "makes them answers; rejecting leaves them out, and the rest of the interview goes into "
            "the report."
        ),
    },
    "review.none": {
        "mn": "Шалгалт хүлээж буй ярилцлага алга.",
        "en": "No interview waits for review.",
    },
    "review.more": {
        "mn": "Дараа нь шалгах ярилцлага: {count}. Эдгээрийг шалгасны дараа харагдана.",
        "en": "{count} more wait, shown once these are reviewed.",
    },
    "review.received": {"mn": "Ирсэн: {time} UTC", "en": "Received {time} UTC"},
    "review.by": {"mn": "Ярилцлага авагч: {name}", "en": "Enumerator: {name}"},
    "review.question": {"mn": "Асуулт", "en": "Question"},
    "review.sent": {"mn": "Ирсэн утга", "en": "Sent"},
    "review.why": {"mn": "Шалтгаан", "en": "Why"},
    "review.code_hidden": {
        "mn": "(кодыг бичсэн хэлбэрээр нь хадгалдаггүй)",
        "en": "(a code is never kept as typed)",
    },
    "review.empty": {"mn": "(хоосон)", "en": "(empty)"},
    "review.no_value": {
        "mn": "Энэ утгыг хариулт болгож хадгалах боломжгүй: зөвшөөрсөн ч асуулт хариултгүй үлдэнэ.",
        "en": "This cannot be stored as an answer: accepted or not, the question stays unanswered.",
    },
    "review.accept": {"mn": "Зөвшөөрөх", "en": "Accept"},
    "review.reject": {"mn": "Татгалзах", "en": "Reject"},
    "review.decided": {"mn": "Шийдвэрийг хадгаллаа.", "en": "The decision was saved."},
    "review.already": {
        "mn": "Энэ ярилцлагыг өөр хүн аль хэдийн шалгасан байна.",
        "en": "Someone else has already reviewed this interview.",
    },
    "review.reason.err_required": {
        "mn": "Заавал хариулах асуулт хоосон.",
        "en": "A required question is empty.",
    },
    "review.reason.err_consent": {
        "mn": "Зөвшөөрлийн асуулт хоосон.",
        "en": "The consent question is empty.",
    },
    "review.reason.err_integer": {"mn": "Бүхэл тоо биш.", "en": "Not a whole number."},
    "review.reason.err_decimal": {"mn": "Тоо биш.", "en": "Not a number."},
    "review.reason.err_range": {
        "mn": "Зөвшөөрөгдөх хязгаараас гадуур ({min}–{max}).",
        "en": "Outside the allowed range ({min}–{max}).",
    },
    "review.reason.err_min": {
        "mn": "Хамгийн бага утгаас бага ({min}).",
        "en": "Below the minimum ({min}).",
    },
    "review.reason.err_max": {
        "mn": "Хамгийн их утгаас их ({max}).",
        "en": "Above the maximum ({max}).",
    },
    "review.reason.err_date": {"mn": "Огноо биш.", "en": "Not a date."},
    "review.reason.err_date_range": {
        "mn": "Зөвшөөрөгдөх хугацаанаас гадуур ({min} – {max}).",
        "en": "Outside the allowed dates ({min} – {max}).",
    },
    "review.reason.err_date_min": {
        "mn": "Хамгийн эрт огнооноос өмнө ({min}).",
        "en": "Before {min}.",
    },
    "review.reason.err_date_max": {
        "mn": "Хамгийн хожуу огнооноос хойш ({max}).",
        "en": "After {max}.",
    },
    "review.reason.err_too_long": {
        "mn": "Хэт урт: {length} тэмдэгт, хамгийн ихдээ {max}.",
        "en": "Too long: {length} characters, at most {max}.",
    },
    "review.reason.err_choice": {"mn": "Жагсаалтад байхгүй утга.", "en": "Not one of the choices."},
    "review.reason.err_panel_code": {
        "mn": "Кодод үсэг эсвэл тоо алга.",
        "en": "The code has no letter or digit.",
    },
    # -- refusals, the audit log --------------------------------------------------------------------
    "error.enumerator_name": {
        "mn": "Ярилцлага авагчийн нэр 1–{max} тэмдэгттэй, удирдах тэмдэгтгүй байна.",
        "en": "An enumerator's name has 1 to {max} characters, none of them a control character.",
    },
    "error.enumerator_unknown": {
        "mn": "Энэ нэртэй, ашиглагдаж буй хаяг алга: {name}.",
        "en": "No address in use has this name: {name}.",
    },
    "error.review_unknown": {
        "mn": "Шалгах ярилцлагыг олсонгүй.",
        "en": "The interview to review was not found.",
    },
    "audit.field_edit": {
        "mn": "Хээрийн ярилцлагыг засварлаж дахин илгээсэн",
        "en": "Field interview edited and sent again",
    },
    "audit.field_review": {
        "mn": "Хээрийн ярилцлагын хариултыг шалгасан",
        "en": "Review of a field interview's answers",
    },
    "audit.detail.response": {"mn": "хариулт", "en": "response"},
    "audit.detail.instance": {"mn": "instanceID", "en": "instanceID"},
    "audit.detail.replaces": {"mn": "орлосон", "en": "replaces"},
    "audit.detail.decision": {"mn": "шийдвэр", "en": "decision"},
}
