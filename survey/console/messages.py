"""The one catalogue of every interface string of the researchers' console, in Mongolian and English.

Data stay as they are stored (campaign and wave keys, e-mail addresses, item keys, the importer's lines
about sheets and rows); every word around them comes from here, including the words for roles, designs,
statuses, phases, question types and the reasons a form is refused (``error.<reason>``, where ``reason``
is what :mod:`survey.console.service` returns, often the ``reason`` of the database layer's error).

Long because it is data: every string in two languages. One catalogue, so that a translator works in
one file; a key without both languages fails at import (survey.web.i18n.Catalogue).
"""

from __future__ import annotations

from typing import Final

from survey.console.field_messages import FIELD_MESSAGES
from survey.console.plan_messages import PLAN_MESSAGES
from survey.console.problem_messages import PROBLEM_MESSAGES
from survey.web.i18n import Catalogue, language_name

__all__ = ["CATALOGUE", "MESSAGES", "language_name"]

# Placeholders are filled with str.format. Mongolian case endings depend on the vowels of the word they
# follow, so no ending is ever glued to a placeholder: "Хувилбар {version}", never "{version}-р хувилбар".
MESSAGES: Final[dict[str, dict[str, str]]] = {
    # -- the frame ------------------------------------------------------------------------------------
    "nav.label": {"mn": "Консолын цэс", "en": "Console"},
    "nav.menu": {"mn": "Цэс", "en": "Menu"},
    "nav.skip": {"mn": "Үндсэн агуулга руу шилжих", "en": "Skip to the content"},
    "nav.campaigns": {"mn": "Кампанит ажил", "en": "Campaigns"},
    "nav.questionnaires": {"mn": "Асуулга", "en": "Questionnaires"},
    "nav.teams": {"mn": "Багууд", "en": "Teams"},
    "nav.users": {"mn": "Хэрэглэгчид", "en": "Accounts"},
    "nav.account": {"mn": "Миний бүртгэл", "en": "My account"},
    "nav.audit": {"mn": "Аудитын бүртгэл", "en": "Audit log"},
    "nav.sign_out": {"mn": "Гарах", "en": "Sign out"},
    "form.optional": {"mn": "заавал биш", "en": "optional"},
    "frame.teams": {"mn": "{count} баг", "en": "{count} teams"},
    "frame.no_team": {"mn": "Багт ороогүй", "en": "In no team"},
    "copy.done": {"mn": "Хууллаа.", "en": "Copied."},
    # -- words for stored codes -------------------------------------------------------------------------
    "role.admin": {"mn": "Админ", "en": "Administrator"},
    "role.researcher": {"mn": "Судлаач", "en": "Researcher"},
    "role.analyst": {"mn": "Шинжээч", "en": "Analyst"},
    "role.viewer": {"mn": "Тайлан үзэгч", "en": "Viewer (reports)"},
    "role.installation_admin": {"mn": "Системийн админ", "en": "Installation administrator"},
    "team.default_name": {"mn": "Үндсэн баг", "en": "Default team"},
    "design.independent": {"mn": "Бие даасан түүвэр", "en": "Independent samples"},
    "design.independent.hint": {
        "mn": "Кампанит ажлын өмнө болон дараа өөр өөр хүмүүс хариулна.",
        "en": "Different people answer before and after the campaign.",
    },
    "design.panel": {"mn": "Панел", "en": "Panel"},
    "design.panel.hint": {
        "mn": "Өмнө болон дараа нь ижил хүмүүс хариулж, хариултууд нь нууц кодоор холбогдоно.",
        "en": "The same people answer before and after, their answers linked by a pseudonymous code.",
    },
    "design.comparison": {"mn": "Харьцуулах бүлэгтэй", "en": "With a comparison group"},
    "design.comparison.hint": {
        "mn": "Кампанит ажилд хамрагдаагүй харьцуулах бүлэг мөн өмнө болон дараа нь хариулна.",
        "en": "A comparison group the campaign did not reach also answers before and after.",
    },
    "status.draft": {"mn": "Ноорог", "en": "Draft"},
    "status.open": {"mn": "Нээлттэй", "en": "Open"},
    "status.closed": {"mn": "Хаалттай", "en": "Closed"},
    "phase.pre": {"mn": "Кампанит ажлын өмнө", "en": "Before the campaign"},
    "phase.post": {"mn": "Кампанит ажлын дараа", "en": "After the campaign"},
    "arm.campaign": {"mn": "Кампанит ажлын бүлэг", "en": "Campaign group"},
    "arm.comparison": {"mn": "Харьцуулах бүлэг", "en": "Comparison group"},
    "wave.pre": {"mn": "Өмнөх судалгаа", "en": "Survey before the campaign"},
    "wave.post": {"mn": "Дараах судалгаа", "en": "Survey after the campaign"},
    "wave.pre.comparison": {
        "mn": "Өмнөх судалгаа, харьцуулах бүлэг",
        "en": "Survey before, comparison group",
    },
    "wave.post.comparison": {
        "mn": "Дараах судалгаа, харьцуулах бүлэг",
        "en": "Survey after, comparison group",
    },
    "version.number": {"mn": "Хувилбар {version}", "en": "Version {version}"},
    "version.latest": {
        "mn": "Хувилбар {version} (хамгийн сүүлийн)",
        "en": "Version {version} (latest)",
    },
    "counts.complete": {"mn": "Бүрэн", "en": "Complete"},
    "counts.partial": {"mn": "Дуусаагүй", "en": "Unfinished"},
    "counts.declined": {"mn": "Татгалзсан", "en": "Declined"},
    "type.choice": {"mn": "нэг сонголт", "en": "one choice"},
    "type.multi": {"mn": "олон сонголт", "en": "several choices"},
    "type.likert": {"mn": "Ликертийн хэмжүүр", "en": "Likert scale"},
    "type.integer": {"mn": "бүхэл тоо", "en": "whole number"},
    "type.decimal": {"mn": "бутархай тоо", "en": "decimal number"},
    "type.text": {"mn": "чөлөөт хариулт", "en": "free text"},
    "type.date": {"mn": "огноо", "en": "date"},
    "type.consent": {"mn": "зөвшөөрөл", "en": "consent"},
    "type.note": {"mn": "тайлбар бичвэр", "en": "note"},
    "type.panel_code": {"mn": "панелын код", "en": "panel code"},
    # -- sign-in ----------------------------------------------------------------------------------------
    "sign_in.title": {"mn": "Нэвтрэх", "en": "Sign in"},
    "sign_in.email": {"mn": "Имэйл хаяг", "en": "Email"},
    "sign_in.password": {"mn": "Нууц үг", "en": "Password"},
    "sign_in.submit": {"mn": "Нэвтрэх", "en": "Sign in"},
    "sign_in.no_account": {
        "mn": "Бүртгэл байхгүй бол системийн админд хандаж үүсгүүлнэ үү.",
        "en": "No account? Ask an administrator to create one.",
    },
    "sign_in.refused.wrong": {
        "mn": "Имэйл хаяг эсвэл нууц үг буруу байна.",
        "en": "The email address or the password is wrong.",
    },
    "sign_in.refused.too_long": {
        "mn": "Имэйл хаяг хэт урт байна: хамгийн ихдээ {limit} тэмдэгт байна.",
        "en": "The email address is too long: it has at most {limit} characters.",
    },
    "sign_in.refused.account_limit": {
        "mn": (
            "Энэ бүртгэлээр олон удаа буруу нэвтрэх оролдлого хийсэн тул түр түгжсэн. "
            "{minutes} минутын дараа дахин оролдоно уу, эсвэл администратороос шинэ нууц үг "
            "тохируулж өгөхийг хүснэ үү: шинэ нууц үгээр шууд нэвтэрч болно."
        ),
        "en": (
            "This account is locked for now after too many failed sign-ins. Try again in "
            "{minutes} min, or ask an administrator to set a new password: it works at once."
        ),
    },
    "sign_in.refused.address_limit": {
        "mn": (
            "Таны сүлжээнээс олон удаа буруу нэвтрэх оролдлого хийсэн байна. "
            "{minutes} минутын дараа дахин оролдоно уу."
        ),
        "en": "Too many failed sign-ins from your network. Try again in {minutes} min.",
    },
    # -- the campaign list -----------------------------------------------------------------------------
    "campaigns.title": {"mn": "Кампанит ажлууд", "en": "Campaigns"},
    "campaigns.new": {"mn": "Шинэ кампанит ажил", "en": "New campaign"},
    "campaigns.campaign": {"mn": "Кампанит ажил", "en": "Campaign"},
    "campaigns.design": {"mn": "Загвар", "en": "Design"},
    "campaigns.questionnaire": {"mn": "Асуулга", "en": "Questionnaire"},
    "campaigns.waves": {"mn": "Судалгааны шатууд", "en": "Waves"},
    "campaigns.report": {"mn": "Тайлан", "en": "Report"},
    "campaigns.read_report": {"mn": "Тайлан унших", "en": "Read the report"},
    "campaigns.no_waves": {"mn": "Шат нэмээгүй", "en": "No wave yet"},
    "campaigns.none": {"mn": "Одоогоор кампанит ажил алга.", "en": "No campaign yet."},
    "campaigns.team": {"mn": "Баг", "en": "Team"},
    "campaigns.no_team": {
        "mn": (
            "Та одоогоор ямар ч багт ороогүй тул кампанит ажил харагдахгүй. Багийн админ эсвэл "
            "системийн админ таныг багтаа нэмэх хэрэгтэй."
        ),
        "en": (
            "You are in no team yet, so no campaign shows here. A team's administrator, or the "
            "installation's, adds you to a team."
        ),
    },
    "campaigns.see_teams": {"mn": "Багууд", "en": "Teams"},
    # -- a new campaign --------------------------------------------------------------------------------
    "new_campaign.title": {"mn": "Шинэ кампанит ажил", "en": "New campaign"},
    "new_campaign.key": {"mn": "Товч нэр", "en": "Key"},
    "new_campaign.key_hint": {
        "mn": (
            "Жижиг латин үсэг, тоо, «-», «_» тэмдэгт ашиглана, жишээ нь tip-2027. Судалгааны шатууд "
            "энэ нэрээр нэрлэгдэнэ."
        ),
        "en": "Lower-case letters, digits, - and _, for example tip-2027. Waves are named after it.",
    },
    "new_campaign.questionnaire": {"mn": "Асуулга", "en": "Questionnaire"},
    "new_campaign.team": {"mn": "Баг", "en": "Team"},
    "new_campaign.team_hint": {
        "mn": "Кампанит ажлыг зөвхөн энэ багийн гишүүд харж, ажиллуулна.",
        "en": "Only this team's members see the campaign and work on it.",
    },
    "new_campaign.design": {"mn": "Судалгааны загвар", "en": "Design"},
    "new_campaign.cluster": {"mn": "Кластерын асуулт", "en": "Cluster item"},
    "new_campaign.cluster_hint": {
        "mn": (
            "Хариулагчдыг бүлэглэдэг асуултын товч нэр (жишээ нь aimag): итгэх интервалыг кластерт "
            "тохируулан тооцно."
        ),
        "en": "An item key such as aimag, for cluster-robust intervals.",
    },
    "new_campaign.create": {"mn": "Кампанит ажил үүсгэх", "en": "Create campaign"},
    "new_campaign.no_questionnaire": {
        "mn": "Эхлээд асуулга нийтлэх шаардлагатай:",
        "en": "Publish a questionnaire first:",
    },
    # -- a campaign ------------------------------------------------------------------------------------
    "campaign.report": {"mn": "Тайлан унших", "en": "Read the report"},
    "campaign.facts": {
        "mn": "Загвар: {design}. Асуулга: {questionnaire}.",
        "en": "Design: {design}. Questionnaire: {questionnaire}.",
    },
    "campaign.cluster": {"mn": "Кластерын асуулт: {item}.", "en": "Clustered by {item}."},
    "campaign.team": {"mn": "Баг: {team}.", "en": "Team: {team}."},
    "campaign.loopback_title": {
        "mn": "Холбоос зөвхөн энэ компьютер дээр нээгдэнэ",
        "en": "These links open only on this computer",
    },
    "campaign.loopback": {
        "mn": (
            "Оролцогчдын холбоос {address} хаягаар эхэлж байгаа тул тэдний утсан дээр нээгдэхгүй. "
            "Серверийн нийтэд нээлттэй хаягийг SURVEY_BASE_URL тохиргоонд бичээд серверийг дахин "
            "эхлүүлнэ үү, жишээ нь:"
        ),
        "en": (
            "The respondent links begin with {address}, an address only this computer can open: "
            "respondents' phones cannot. Set SURVEY_BASE_URL to the server's public address and "
            "restart the server, for example:"
        ),
    },
    "campaign.waves": {"mn": "Судалгааны шатууд", "en": "Waves"},
    "campaign.no_waves": {
        "mn": "Одоогоор шат алга. Эхлээд кампанит ажлын өмнөх судалгааны шатыг нэмнэ үү.",
        "en": "No wave yet. Add the survey before the campaign first.",
    },
    "campaign.add_wave": {"mn": "Шат нэмэх", "en": "Add a wave"},
    "campaign.phase": {"mn": "Хэзээ", "en": "When"},
    "campaign.arm": {"mn": "Бүлэг", "en": "Group"},
    "campaign.version": {"mn": "Асуулгын хувилбар", "en": "Questionnaire version"},
    "campaign.wave_key": {"mn": "Шатны товч нэр", "en": "Wave key"},
    "campaign.add": {"mn": "Шат нэмэх", "en": "Add wave"},
    "campaign.export": {"mn": "Өгөгдөл татах", "en": "Export"},
    "campaign.format": {"mn": "Формат", "en": "Format"},
    "campaign.export_waves": {"mn": "Шат", "en": "Waves"},
    "campaign.all_waves": {"mn": "Бүх шат", "en": "All waves"},
    "campaign.labels_in": {"mn": "Шошгоны хэл", "en": "Labels in"},
    "campaign.include_partial": {
        "mn": "Дуусаагүй болон татгалзсан хариултыг оруулах",
        "en": "Include unfinished and declined responses",
    },
    "campaign.download": {"mn": "Татах", "en": "Download"},
    "campaign.export_hint": {
        "mn": (
            "Өөрөөр сонгоогүй бол зөвхөн бүрэн хариултууд орно. Мөр бүр нэг хариулт бөгөөд түүнийг "
            "асуулгын аль хувилбар дээр бөглөснийг заана. Өгөгдөл татах бүрийг бүртгэнэ."
        ),
        "en": (
            "Complete responses only unless asked; one row per response, with the questionnaire "
            "version it was answered on. Every export is logged."
        ),
    },
    "format.csv": {"mn": "CSV (UTF-8)", "en": "CSV (UTF-8)"},
    "format.xlsx": {"mn": "Excel (.xlsx, кодын дэвтэртэй)", "en": "Excel (.xlsx, with codebook)"},
    "format.sav": {"mn": "SPSS (.sav, шошготой)", "en": "SPSS (.sav, labelled)"},
    "format.codebook-csv": {"mn": "Кодын дэвтэр (CSV)", "en": "Codebook (CSV)"},
    "format.codebook-json": {"mn": "Кодын дэвтэр (JSON)", "en": "Codebook (JSON)"},
    # -- a wave on its campaign's page ----------------------------------------------------------------
    "wave.link": {"mn": "Оролцогчдод өгөх холбоос", "en": "Respondent link"},
    "wave.copy": {"mn": "Хуулах", "en": "Copy"},
    "wave.copied": {"mn": "Холбоосыг хууллаа.", "en": "Link copied."},
    "wave.link_open": {
        "mn": "Энэ холбоосоор одоо хариулт авч байна.",
        "en": "The link accepts answers now.",
    },
    "wave.link_not_open": {
        "mn": "Шатыг нээсний дараа энэ холбоосоор хариулт авна.",
        "en": "The link accepts answers once the wave is open.",
    },
    "wave.qr_alt": {"mn": "Холбоосын QR код: {wave}", "en": "QR code of the link: {wave}"},
    "wave.qr_svg": {
        "mn": "QR код татах (SVG, хэвлэхэд)",
        "en": "Download the QR code (SVG, for print)",
    },
    "wave.qr_png": {"mn": "QR код татах (PNG)", "en": "Download the QR code (PNG)"},
    "wave.monitor": {"mn": "Явцыг харах", "en": "Follow the collection"},
    "wave.open": {"mn": "Нээх", "en": "Open"},
    "wave.close": {"mn": "Хаах", "en": "Close"},
    "wave.close_confirm": {
        "mn": "Энэ шатыг хаах уу? Холбоос нь хариулт авахаа болино.",
        "en": "Close this wave? Its link stops accepting answers.",
    },
    # -- monitoring ------------------------------------------------------------------------------------
    "monitor.median": {"mn": "Бөглөх хугацааны медиан", "en": "Median time to complete"},
    "monitor.per_day": {
        "mn": "Өдөр бүр эхэлсэн хариулт (UTC)",
        "en": "Responses started per day (UTC)",
    },
    "monitor.peak": {"mn": "Нэг өдөрт хамгийн ихдээ: {count}", "en": "Most in one day: {count}"},
    "monitor.chart_label": {
        "mn": "Хариултын өдөр тутмын график, нийт өдөр: {days}, нэг өдөрт хамгийн ихдээ: {count}.",
        "en": "Responses per day over {days} days, at most {count} in one day.",
    },
    "monitor.day": {
        "mn": "бүрэн: {complete}, дуусаагүй: {partial}",
        "en": "{complete} complete, {partial} unfinished",
    },
    "monitor.days_table": {"mn": "Өдөр бүрийн тоо", "en": "The numbers per day"},
    "monitor.date": {"mn": "Огноо", "en": "Date"},
    "monitor.no_response": {"mn": "Одоогоор хариулт ирээгүй байна.", "en": "No response yet."},
    "monitor.drop_off": {
        "mn": "Хариулагчид аль хуудсанд зогссон бэ",
        "en": "Drop-off by page",
    },
    "monitor.page_column": {"mn": "Хуудас", "en": "Page"},
    "monitor.reached": {"mn": "Хүрсэн", "en": "Reached"},
    "monitor.stopped": {"mn": "Энд зогссон", "en": "Stopped here"},
    "monitor.stopped_hint": {
        "mn": (
            "«Энд зогссон»: хамгийн сүүлд энэ хуудсыг хадгалаад дуусгаагүй хариултууд; хаалтанд "
            "энэ хуудсанд хүрсэн хариултын хэдэн хувь болохыг заав."
        ),
        "en": (
            "“Stopped here”: unfinished responses whose last saved page is this one; in brackets, "
            "their share of the responses that reached the page."
        ),
    },
    "monitor.no_page": {"mn": "Одоогоор хадгалсан хуудас алга.", "en": "No page saved yet."},
    "monitor.updated": {"mn": "Шинэчилсэн цаг: {time} UTC.", "en": "Updated at {time} UTC."},
    "monitor.page": {"mn": "{number}. {title}", "en": "{number}. {title}"},
    "monitor.page_part": {
        "mn": "{number}. {title}, хэсэг {part}/{parts}",
        "en": "{number}. {title}, part {part} of {parts}",
    },
    "monitor.page_untitled": {"mn": "Гарчиггүй хэсэг", "en": "Untitled section"},
    "monitor.page_unknown": {
        "mn": "Асуулгын өөр хувилбарын хуудас ({key})",
        "en": "A page of another version ({key})",
    },
    "duration.hours": {"mn": "{hours} цаг {minutes} мин", "en": "{hours} h {minutes} min"},
    "duration.minutes": {"mn": "{minutes} мин {seconds} сек", "en": "{minutes} min {seconds} s"},
    # -- questionnaires ----------------------------------------------------------------------------------
    "questionnaires.title": {"mn": "Асуулгууд", "en": "Questionnaires"},
    "questionnaires.import": {"mn": "XLSForm оруулах", "en": "Import an XLSForm"},
    "questionnaires.key": {"mn": "Товч нэр", "en": "Key"},
    "questionnaires.name": {"mn": "Гарчиг", "en": "Title"},
    "questionnaires.latest": {"mn": "Сүүлийн хувилбар", "en": "Latest version"},
    "questionnaires.versions": {"mn": "Хувилбарын тоо", "en": "Versions"},
    "questionnaires.published": {"mn": "Нийтэлсэн", "en": "Published"},
    "questionnaires.sharing": {"mn": "Хэн ашиглах", "en": "Who may use it"},
    "questionnaires.none": {
        "mn": "Одоогоор нийтэлсэн асуулга алга:",
        "en": "No questionnaire is published yet:",
    },
    "questionnaire.facts": {
        "mn": "Асуулт: {questions}. Хэл: {languages}.",
        "en": "{questions} questions. Languages: {languages}.",
    },
    "questionnaire.outcomes": {
        "mn": "Үр дүнгийн хэмжүүр: {outcomes}.",
        "en": "Outcomes: {outcomes}.",
    },
    "questionnaire.versions": {"mn": "Хувилбарууд", "en": "Versions"},
    "questionnaire.shared": {
        "mn": "Эзэмшигч баг: {team}. Бүх баг ашиглаж болно.",
        "en": "Belongs to the team {team}; every team may use it.",
    },
    "questionnaire.kept": {
        "mn": "Эзэмшигч баг: {team}. Зөвхөн энэ баг ашиглана.",
        "en": "Belongs to the team {team}, and only that team uses it.",
    },
    "questionnaire.share": {"mn": "Бүх багт нээх", "en": "Share with every team"},
    "questionnaire.keep": {"mn": "Зөвхөн өөрийн багт үлдээх", "en": "Keep it to its own team"},
    "questionnaire.version": {"mn": "Хувилбар", "en": "Version"},
    "questionnaire.sha": {"mn": "SHA-256", "en": "SHA-256"},
    "questionnaire.preview": {"mn": "Урьдчилан харах", "en": "Preview"},
    "questionnaire.compare": {"mn": "Хувилбар харьцуулах", "en": "Compare versions"},
    "untranslated.title": {
        "mn": "Орчуулаагүй бичвэр ({count})",
        "en": "Untranslated texts ({count})",
    },
    "untranslated.lead": {
        "mn": "Сүүлийн хувилбарын эдгээр бичвэр орчуулгагүй тул оролцогчдод үндсэн хэлээр "
        "({language}) харагдана. Орчуулагч хүснэгтээс бичвэр бүрийг олж, орчуулгыг нэмээд шинэ "
        "хувилбар нийтэлнэ.",
        "en": "These texts of the latest version have no translation, so respondents read them in "
        "the default language ({language}). A translator can find each one here, add the "
        "translation and publish a new version.",
    },
    "untranslated.where": {"mn": "Бичвэр", "en": "Text"},
    "untranslated.language": {"mn": "Орчуулга дутуу хэл", "en": "Missing in"},
    "untranslated.shown": {"mn": "Оронд нь харагдах", "en": "Shown instead"},
    "untranslated.part.text": {"mn": "асуулт", "en": "question"},
    "untranslated.part.hint": {"mn": "тайлбар", "en": "hint"},
    "untranslated.part.constraint_message": {"mn": "алдааны мэдэгдэл", "en": "error message"},
    "untranslated.part.title": {"mn": "хэсгийн гарчиг", "en": "section title"},
    "untranslated.part.choice": {"mn": "хариулт {value}", "en": "choice {value}"},
    "preview.title": {
        "mn": "Хувилбар {version}: урьдчилан харах",
        "en": "Version {version}: preview",
    },
    "preview.intro": {
        "mn": (
            "Хуудас бүрийг оролцогчдод харагдах байдлаар нь, бүх асуултыг нөхцөлөөс үл хамааран "
            "харуулав; асуулт бүрийн доорх тэмдэглэл хэзээ харагдахыг заана. Энд юу ч хадгалагдахгүй."
        ),
        "en": (
            "Every page as respondents see it, with every question shown (the note under each says "
            "when it is shown). Nothing here is saved."
        ),
    },
    "preview.language": {"mn": "Асуулгын хэл:", "en": "Questionnaire language:"},
    "preview.page": {"mn": "Хуудас {number}", "en": "Page {number}"},
    "preview.correct": {"mn": "зөв хариулт:", "en": "correct:"},
    "preview.shown_if": {"mn": "харуулах нөхцөл:", "en": "shown if"},
    "diff.title": {"mn": "Хувилбарын харьцуулалт", "en": "Comparison of versions"},
    "diff.heading": {"mn": "Хувилбар {a} → хувилбар {b}", "en": "Version {a} → version {b}"},
    "diff.from": {"mn": "Аль хувилбараас", "en": "From"},
    "diff.to": {"mn": "Аль хувилбартай", "en": "To"},
    "diff.compare": {"mn": "Харьцуулах", "en": "Compare"},
    "diff.item": {"mn": "Асуулт", "en": "Item"},
    "diff.change": {"mn": "Өөрчлөлт", "en": "Change"},
    "diff.what": {"mn": "Юу өөрчлөгдсөн", "en": "What differs"},
    "diff.comparison": {"mn": "Өмнөх ба дараах харьцуулалт", "en": "Pre/post comparison"},
    "diff.added": {"mn": "Нэмэгдсэн", "en": "Added"},
    "diff.removed": {"mn": "Хасагдсан", "en": "Removed"},
    "diff.changed": {"mn": "Өөрчлөгдсөн", "en": "Changed"},
    "diff.equivalent": {"mn": "Утга нь ижил засвар", "en": "Equivalent (a cosmetic fix)"},
    "diff.breaks": {
        "mn": "Харьцуулах боломжгүй: энэ асуултыг харьцуулалтаас хасна",
        "en": "Breaks it: the item is left out",
    },
    "diff.new": {"mn": "Шинэ асуулт", "en": "New"},
    "diff.kept": {"mn": "Хэвээр харьцуулна", "en": "Kept"},
    "diff.outcome": {"mn": "Үр дүнгийн хэмжүүр: {key}", "en": "Outcome {key}"},
    "diff.questionnaire": {"mn": "Асуулга бүхэлдээ", "en": "The questionnaire"},
    "diff.none": {"mn": "Өөрчлөлт алга.", "en": "No changes."},
    "field.type": {"mn": "асуултын төрөл", "en": "question type"},
    "field.text": {"mn": "асуултын бичвэр", "en": "wording"},
    "field.text.in": {"mn": "асуултын бичвэр ({language})", "en": "wording ({language})"},
    "field.hint": {"mn": "зөвлөмж", "en": "hint"},
    "field.hint.in": {"mn": "зөвлөмж ({language})", "en": "hint ({language})"},
    "field.label": {"mn": "нэр", "en": "outcome name"},
    "field.label.in": {"mn": "нэр ({language})", "en": "outcome name ({language})"},
    "field.choices": {"mn": "сонголтууд", "en": "answer choices"},
    "field.scale": {"mn": "хэмжүүр", "en": "scale"},
    "field.correct": {"mn": "зөв хариулт", "en": "correct answer"},
    "field.scoring": {"mn": "оноо тооцох арга", "en": "scoring"},
    "field.reverse": {"mn": "урвуу кодлол", "en": "reverse coding"},
    "field.min": {"mn": "доод хязгаар", "en": "minimum"},
    "field.max": {"mn": "дээд хязгаар", "en": "maximum"},
    "field.max_length": {"mn": "хамгийн их урт", "en": "maximum length"},
    "field.required": {"mn": "заавал хариулах эсэх", "en": "required"},
    "field.show_if": {"mn": "харуулах нөхцөл", "en": "condition"},
    "field.section": {"mn": "хэсэг", "en": "section"},
    "field.kind": {"mn": "хэмжүүрийн төрөл", "en": "kind"},
    "field.items": {"mn": "асуултууд", "en": "items"},
    "field.item": {"mn": "асуулт", "en": "item"},
    "field.value": {"mn": "утга", "en": "value"},
    "field.min_answered": {"mn": "хариулсан байх доод хувь", "en": "minimum answered"},
    # -- XLSForm import ----------------------------------------------------------------------------------
    "xlsform.title": {"mn": "XLSForm оруулах", "en": "Import an XLSForm"},
    "xlsform.published": {
        "mn": "Нийтэллээ: {key}, хувилбар {version}.",
        "en": "Published {key} version {version}.",
    },
    "xlsform.unchanged": {
        "mn": (
            "{key}, хувилбар {version} өөрчлөгдөөгүй: яг ижил тодорхойлолт өмнө нь нийтлэгдсэн тул "
            "шинээр юу ч хадгалсангүй."
        ),
        "en": (
            "{key} version {version} unchanged: the same definition was already published, nothing "
            "new was stored."
        ),
    },
    "xlsform.open_questionnaire": {"mn": "Асуулгыг нээх", "en": "Open the questionnaire"},
    "xlsform.report": {"mn": "Оруулгын тайлан", "en": "Import report"},
    "xlsform.report_intro": {
        "mn": "Яг хэвээр нь шилжүүлж чадаагүй зүйлс, тэдгээрт юу болсныг доор англиар жагсаав.",
        "en": "What the import could not carry over exactly, and what became of it.",
    },
    "xlsform.sheet": {"mn": "Хуудас", "en": "Sheet"},
    "xlsform.row": {"mn": "Мөр", "en": "Row"},
    "xlsform.outcome": {"mn": "Юу болсон", "en": "What became of it"},
    "xlsform.all_carried": {
        "mn": "«{name}» файлын бүх зүйлийг яг хэвээр нь шилжүүллээ.",
        "en": "Everything in {name} was carried over exactly.",
    },
    "xlsform.questionnaire": {"mn": "Асуулга", "en": "The questionnaire"},
    "xlsform.not_yet": {
        "mn": "Асуулга (хараахан нийтлээгүй)",
        "en": "The questionnaire, not yet published",
    },
    "xlsform.facts": {
        "mn": "Асуулт: {questions}, хэсэг: {sections}. Хэл: {languages}.",
        "en": "{questions} questions in {sections} sections. Languages: {languages}.",
    },
    "xlsform.section": {"mn": "Хэсэг", "en": "Section"},
    "xlsform.section_title": {"mn": "Гарчиг", "en": "Title"},
    "xlsform.count": {"mn": "Асуултын тоо", "en": "How many"},
    "xlsform.items": {"mn": "Асуултууд", "en": "Items"},
    "xlsform.definition": {"mn": "Тодорхойлолт ({key}.yaml)", "en": "The definition ({key}.yaml)"},
    "xlsform.publish": {"mn": "Нийтлэх: {key}", "en": "Publish {key}"},
    "xlsform.publish_hint": {
        "mn": "Шинэ хувилбар үүснэ; яг ижил тодорхойлолт аль хэдийн нийтлэгдсэн бол юу ч өөрчлөгдөхгүй.",
        "en": "A new version, or nothing if this exact definition is already published.",
    },
    "xlsform.team": {"mn": "Эзэмшигч баг", "en": "Team"},
    "xlsform.team_hint": {
        "mn": "Асуулгын шинэ хувилбарыг зөвхөн энэ багийн админ, судлаачид нийтэлнэ.",
        "en": "Only this team's administrators and researchers publish its new versions.",
    },
    "xlsform.share": {
        "mn": "Бүх баг энэ асуулгыг харж, кампанит ажилдаа ашиглаж болно",
        "en": "Every team may see this questionnaire and run campaigns on it",
    },
    "xlsform.upload_another": {"mn": "Өөр файл оруулах", "en": "Upload another workbook"},
    "xlsform.upload": {"mn": "Файл оруулах", "en": "Upload a workbook"},
    "xlsform.workbook": {"mn": "XLSForm файл", "en": "XLSForm workbook"},
    "xlsform.workbook_hint": {
        "mn": ".xlsx, .xls эсвэл .ods файл, хамгийн ихдээ {megabytes} МБ.",
        "en": ".xlsx, .xls or .ods, at most {megabytes} MB.",
    },
    "xlsform.language": {
        "mn": "Хэлгүй label баганын хэл",
        "en": "Language of plain label columns",
    },
    "xlsform.language_hint": {
        "mn": (
            "Хэлний код, жишээ нь mn: label багана нь хэлээ заагаагүй, settings хуудсанд "
            "default_language байхгүй маягтад хэрэгтэй."
        ),
        "en": (
            "A language code such as mn, for a form whose labels name no language and whose settings "
            "sheet has no default_language."
        ),
    },
    "xlsform.import": {"mn": "Оруулаад урьдчилан харах", "en": "Import and preview"},
    "xlsform.nothing_yet": {
        "mn": (
            "«Нийтлэх» товчийг дартал юу ч нийтлэгдэхгүй. survey, choices, settings хуудсуудыг "
            "уншина; дэмжигдээгүй бүх зүйлийг тайланд жагсаана."
        ),
        "en": (
            "Nothing is published until you press Publish. The survey, choices and settings sheets "
            "are read; whatever is not supported is listed in the report."
        ),
    },
    # -- accounts and the audit log ------------------------------------------------------------------
    "users.title": {"mn": "Хэрэглэгчид", "en": "Accounts"},
    "users.created": {"mn": "Бүртгэл үүслээ: {email}.", "en": "Created {email}."},
    "users.email": {"mn": "Имэйл хаяг", "en": "Email"},
    "users.role": {"mn": "Үүрэг", "en": "Role"},
    "users.created_at": {"mn": "Үүсгэсэн", "en": "Created"},
    "users.last_sign_in": {"mn": "Сүүлд нэвтэрсэн", "en": "Last sign-in"},
    "users.status": {"mn": "Төлөв", "en": "Status"},
    "users.actions": {"mn": "Үйлдэл", "en": "Actions"},
    "users.you": {"mn": "Таны бүртгэл", "en": "Your account"},
    "users.new": {"mn": "Шинэ бүртгэл", "en": "New account"},
    "users.first_password": {"mn": "Анхны нууц үг", "en": "First password"},
    "users.create": {"mn": "Үүсгэх", "en": "Create"},
    "users.roles_hint": {
        "mn": (
            "Үүрэг багт хамаарна. Админ: судлаачийн бүх эрх, багийн гишүүдийг удирдана. Судлаач: "
            "асуулга, кампанит ажил, судалгааны шат, өгөгдөл татах. Шинжээч: үр дүн, өгөгдөл татах; "
            "кампанит ажлыг зөвхөн үзнэ. Тайлан үзэгч: тайлан."
        ),
        "en": (
            "A role holds in one team. Administrator: all a researcher does, and the team's members. "
            "Researcher: questionnaires, campaigns, waves, exports. Analyst: results and exports; "
            "campaigns read-only. Viewer: reports."
        ),
    },
    "users.teams": {"mn": "Баг ба үүрэг", "en": "Teams and roles"},
    "users.team": {"mn": "Баг", "en": "Team"},
    "users.team_role": {"mn": "{team}: {role}", "en": "{team}: {role}"},
    "users.no_team": {"mn": "Багт ороогүй", "en": "In no team"},
    "users.reset": {"mn": "Нууц үг шинэчлэх холбоос", "en": "Password reset link"},
    "users.reset_hint": {
        "mn": (
            "Нууц үгээ мартсан хүнд зориулж нэг удаагийн холбоос үүсгэнэ. Холбоос үүсгэмэгц тухайн "
            "хүний хуучин нууц үг ажиллахаа больж, бүх нэвтрэлт, API токен нь хүчингүй болно."
        ),
        "en": (
            "A one-time link for someone who lost their password. As soon as it is made, their old "
            "password stops working and all their sessions and API tokens end."
        ),
    },
    "reset.made_title": {
        "mn": "Нууц үг шинэчлэх холбоос: {email}",
        "en": "Password reset link for {email}",
    },
    "reset.made": {
        "mn": (
            "Энэ холбоосыг итгэлтэй сувгаар эзэнд нь өгнө үү. Дахин харагдахгүй тул одоо хуулж "
            "аваарай. Холбоос нэг удаа, ирэх {hours} цагийн дотор ажиллана."
        ),
        "en": (
            "Give this link to its owner through a channel you trust, and copy it now: it is not shown "
            "again. It works once, within {hours} hours."
        ),
    },
    "reset.link_label": {
        "mn": "Нууц үг шинэчлэх холбоос: {email}",
        "en": "The password reset link for {email}",
    },
    "reset.ended": {
        "mn": "Хуучин нууц үг, бүх нэвтрэлт дууссан. Хүчингүй болсон API токены тоо: {tokens}.",
        "en": "The old password and every session have ended. API tokens revoked: {tokens}.",
    },
    "account.active": {"mn": "Идэвхтэй", "en": "Active"},
    "account.title": {"mn": "Миний бүртгэл", "en": "My account"},
    "account.teams": {"mn": "Баг ба үүрэг", "en": "Teams and roles"},
    "account.no_team": {
        "mn": "Та одоогоор ямар ч багт ороогүй байна.",
        "en": "You are in no team yet.",
    },
    "account.see_teams": {"mn": "Багуудыг харах", "en": "See the teams"},
    "account.tokens": {"mn": "API токен", "en": "API tokens"},
    "account.tokens_intro": {
        "mn": "Скрипт, программ өгөгдлийг API-аар унших токен.",
        "en": "Tokens with which scripts and programs read data through the API.",
    },
    "account.manage_tokens": {"mn": "Токенуудаа удирдах", "en": "Manage your tokens"},
    "password.title": {"mn": "Нууц үг солих", "en": "Change your password"},
    "password.last_changed": {
        "mn": "Нууц үгээ сүүлд сольсон: {when} (UTC).",
        "en": "Last changed {when} (UTC).",
    },
    "password.warning": {
        "mn": (
            "Нууц үгээ сольмогц энэ хөтчөөс бусад бүх нэвтрэлт дуусч, таны бүх API токен хүчингүй "
            "болно. Скриптүүддээ шинэ токен үүсгэх шаардлагатай."
        ),
        "en": (
            "Changing your password signs you out everywhere but in this browser and ends all your "
            "API tokens: your scripts will need new ones."
        ),
    },
    "password.current": {"mn": "Одоогийн нууц үг", "en": "Current password"},
    "password.new": {"mn": "Шинэ нууц үг", "en": "New password"},
    "password.again": {"mn": "Шинэ нууц үгээ давтах", "en": "New password again"},
    "password.rule": {
        "mn": "Дор хаяж {min} тэмдэгт. Хэд хэдэн холбоогүй үгийг нийлүүлбэл санахад амар.",
        "en": "At least {min} characters; a few unrelated words are easy to remember.",
    },
    "password.change": {"mn": "Нууц үг солих", "en": "Change the password"},
    "password.changed": {
        "mn": (
            "Нууц үг солигдлоо. Дууссан бусад нэвтрэлтийн тоо: {sessions}; хүчингүй болсон API "
            "токены тоо: {tokens}."
        ),
        "en": (
            "Your password is changed. Other sessions ended: {sessions}. API tokens revoked: {tokens}."
        ),
    },
    "tokens.title": {"mn": "API токенууд", "en": "API tokens"},
    "tokens.intro": {
        "mn": (
            "Токен таны одоогийн баг, үүргийн эрхээр, сонгосон хүрээнд л уншина. Токен бүр тодорхой "
            "хугацаанд хүчинтэй бөгөөд хэдийд ч хүчингүй болгож болно."
        ),
        "en": (
            "A token reads with your current teams and roles, within the scope you choose. Each one "
            "expires, and you may revoke it at any time."
        ),
    },
    "tokens.issued_title": {"mn": "Шинэ токен: {name}", "en": "New token: {name}"},
    "tokens.issued": {
        "mn": (
            "Токеныг одоо хуулж, нууцлалтай газар хадгална уу: дахин харагдахгүй. Хүчинтэй хугацаа "
            "нь {when} өдөр дуусна."
        ),
        "en": "Copy the token now and keep it somewhere safe: it is not shown again. It expires on {when}.",
    },
    "tokens.secret_label": {"mn": "Шинэ токен: {name}", "en": "The new token {name}"},
    "tokens.use": {
        "mn": "Скрипт токеныг Authorization толгойд ингэж илгээнэ:",
        "en": "A script sends it in the Authorization header:",
    },
    "tokens.revoked": {
        "mn": "«{name}» токеныг хүчингүй болголоо.",
        "en": "The token “{name}” is revoked.",
    },
    "tokens.name": {"mn": "Нэр", "en": "Name"},
    "tokens.scope": {"mn": "Юу унших", "en": "What it may read"},
    "tokens.created": {"mn": "Үүсгэсэн", "en": "Created"},
    "tokens.expires": {"mn": "Дуусах огноо", "en": "Expires"},
    "tokens.last_used": {"mn": "Сүүлд ашигласан", "en": "Last used"},
    "tokens.revoke": {"mn": "Хүчингүй болгох", "en": "Revoke"},
    "tokens.none": {"mn": "Танд одоогоор токен алга.", "en": "You have no token yet."},
    "tokens.ends": {
        "mn": (
            "Нууц үгээ солих, шинэчлэх, бүртгэл идэвхгүй болох, эсвэл багаас хасагдах үед таны бүх "
            "токен хүчингүй болно."
        ),
        "en": (
            "All your tokens end when your password is changed or reset, when your account is "
            "disabled, or when you are taken out of a team."
        ),
    },
    "tokens.new": {"mn": "Шинэ токен", "en": "New token"},
    "tokens.name_hint": {
        "mn": "Юунд зориулсныг бичнэ үү, жишээ нь «R скрипт» эсвэл «Самбар».",
        "en": "What it is for, for example “R script” or “dashboard”.",
    },
    "tokens.expires_in": {"mn": "Хүчинтэй хугацаа", "en": "Expires in"},
    "tokens.expires_hint": {
        "mn": "Хамгийн ихдээ {max} хоног. Хугацаа дуусахад шинэ токен үүсгэнэ.",
        "en": "At most {max} days; make a new token when it ends.",
    },
    "tokens.create": {"mn": "Токен үүсгэх", "en": "Create the token"},
    "token.active": {"mn": "Хүчинтэй", "en": "Active"},
    "token.expired": {"mn": "Хугацаа дууссан", "en": "Expired"},
    "token.revoked": {"mn": "Хүчингүй болсон", "en": "Revoked"},
    "token.days": {"mn": "{days} хоног", "en": "{days} days"},
    "scope.campaigns": {"mn": "Кампанит ажил", "en": "Campaigns"},
    "scope.campaigns.hint": {
        "mn": "Асуулга, кампанит ажил, судалгааны шат, тайлангийн тоон үр дүн.",
        "en": "Questionnaires, campaigns, waves, and the reports' numbers.",
    },
    "scope.responses": {"mn": "Хариултууд", "en": "Responses"},
    "scope.responses.hint": {
        "mn": "Оролцогчдын хариултыг мөр мөрөөр нь (уншилт бүрийг бүртгэнэ).",
        "en": "The respondents' answers, row by row (every read is logged).",
    },
    "reset.title": {"mn": "Шинэ нууц үг тохируулах", "en": "Set a new password"},
    "reset.for": {"mn": "Бүртгэл: {email}", "en": "For the account {email}"},
    "reset.until": {
        "mn": "Холбоос {when} (UTC) хүртэл ажиллана.",
        "en": "This link works until {when} (UTC).",
    },
    "reset.submit": {"mn": "Нууц үг тохируулах", "en": "Set the password"},
    "reset.gone_title": {"mn": "Холбоос ажиллахгүй байна", "en": "This link no longer works"},
    "reset.gone": {
        "mn": (
            "Энэ холбоос ашиглагдсан, хугацаа нь дууссан, эсвэл шинэ холбоосоор солигдсон байна. "
            "Системийн админаас шинэ холбоос хүснэ үү."
        ),
        "en": (
            "This link has been used, has expired or was replaced by a newer one. Ask an "
            "administrator for a new link."
        ),
    },
    "reset.done": {
        "mn": "Шинэ нууц үг тохирлоо. Түүгээрээ нэвтэрнэ үү.",
        "en": "Your new password is set: sign in with it.",
    },
    "setup.title": {"mn": "Анхны админ үүсгэх", "en": "Set up the first administrator"},
    "setup.intro": {
        "mn": (
            "Энэ системд одоогоор админ алга. Серверийг эхлүүлэхэд бүртгэлд (log) хэвлэсэн "
            "тохируулгын кодыг оруулж, өөрийн бүртгэлийг үүсгэнэ үү."
        ),
        "en": (
            "This installation has no administrator yet. Give the set-up code the server printed in "
            "its log when it started, and create your account."
        ),
    },
    "setup.code": {"mn": "Тохируулгын код", "en": "Set-up code"},
    "setup.code_hint": {
        "mn": "Серверийн бүртгэлд «set-up code» гэсэн мөрөнд байгаа, жишээ нь 7KQ2-M9XD-4HRT.",
        "en": "On the server log's line with “set-up code”, for example 7KQ2-M9XD-4HRT.",
    },
    "setup.submit": {"mn": "Админ үүсгэх", "en": "Create the administrator"},
    "setup.once": {
        "mn": "Код нэг л удаа ажиллана. Админ үүссэний дараа энэ хуудас алга болно.",
        "en": "The code works once; once an administrator exists, this page is gone.",
    },
    "account.disabled": {"mn": "Идэвхгүй", "en": "Disabled"},
    "account.disable": {"mn": "Идэвхгүй болгох", "en": "Disable"},
    "account.enable": {"mn": "Идэвхжүүлэх", "en": "Enable"},
    "account.grant_admin": {
        "mn": "Системийн админ болгох",
        "en": "Make installation administrator",
    },
    "account.revoke_admin": {
        "mn": "Системийн админ эрхийг хасах",
        "en": "Remove as installation administrator",
    },
    "audit.title": {"mn": "Аудитын бүртгэл", "en": "Audit log"},
    "audit.intro": {
        "mn": "Өгөгдөл татсан, API-аар хариулт уншсан бүх үйлдэл; хамгийн сүүлийнх нь эхэндээ.",
        "en": "Every export and every API read of raw responses, newest first.",
    },
    "audit.when": {"mn": "Хэзээ (UTC)", "en": "When (UTC)"},
    "audit.who": {"mn": "Хэн", "en": "Who"},
    "audit.what": {"mn": "Юу хийсэн", "en": "What"},
    "audit.campaign": {"mn": "Кампанит ажил", "en": "Campaign"},
    "audit.details": {"mn": "Дэлгэрэнгүй", "en": "Details"},
    "audit.rows": {"mn": "Мөрийн тоо", "en": "Rows"},
    "audit.older": {"mn": "Өмнөх бичлэгүүд", "en": "Older entries"},
    "audit.none": {"mn": "Одоогоор бичлэг алга.", "en": "Nothing yet."},
    "audit.unfinished": {"mn": "дуусаагүй", "en": "unfinished"},
    "audit.export": {"mn": "Өгөгдөл татсан", "en": "Export"},
    "audit.api_responses": {"mn": "API-аар хариулт уншсан", "en": "API read of responses"},
    "audit.detail.format": {"mn": "формат", "en": "format"},
    "audit.detail.wave": {"mn": "шат", "en": "wave"},
    "audit.detail.include_partial": {
        "mn": "дуусаагүй хариулттай",
        "en": "with unfinished responses",
    },
    "audit.detail.language": {"mn": "хэл", "en": "language"},
    "audit.detail.limit": {"mn": "хязгаар", "en": "limit"},
    "audit.detail.cursor": {"mn": "үргэлжлэл", "en": "cursor"},
    "audit.detail.team": {"mn": "баг", "en": "team"},
    "audit.detail.member": {"mn": "гишүүн", "en": "member"},
    "audit.detail.role": {"mn": "үүрэг", "en": "role"},
    "audit.detail.token": {"mn": "токен", "en": "token"},
    "audit.detail.scopes": {"mn": "хүрээ", "en": "scope"},
    "audit.password_reset": {
        "mn": "Нууц үг шинэчлэх холбоос үүсгэсэн",
        "en": "Password reset link made",
    },
    "audit.installation_admin_granted": {
        "mn": "Системийн админ эрх олгосон",
        "en": "Made installation administrator",
    },
    "audit.installation_admin_removed": {
        "mn": "Системийн админ эрхийг хассан",
        "en": "Removed as installation administrator",
    },
    "audit.token_created": {"mn": "API токен үүсгэсэн", "en": "API token created"},
    "audit.token_revoked": {"mn": "API токен хүчингүй болгосон", "en": "API token revoked"},
    "audit.team_created": {"mn": "Баг үүсгэсэн", "en": "Team created"},
    "audit.team_member_added": {"mn": "Багт гишүүн нэмсэн", "en": "Member added to a team"},
    "audit.team_member_role": {"mn": "Гишүүний үүрэг өөрчилсөн", "en": "Member's role changed"},
    "audit.team_member_removed": {
        "mn": "Багаас гишүүн хассан",
        "en": "Member taken out of a team",
    },
    # -- teams ------------------------------------------------------------------------------------------
    "teams.title": {"mn": "Багууд", "en": "Teams"},
    "teams.intro": {
        "mn": (
            "Кампанит ажил бүр нэг багт хамаарна. Гишүүд тухайн багийн кампанит ажлыг багт эзэлж буй "
            "үүргийнхээ хэрээр харна; бусад баг юу ч харахгүй."
        ),
        "en": (
            "Every campaign belongs to one team. Members see the team's campaigns as their role in it "
            "allows; other teams see nothing of them."
        ),
    },
    "teams.team": {"mn": "Баг", "en": "Team"},
    "teams.your_role": {"mn": "Таны үүрэг", "en": "Your role"},
    "teams.members": {"mn": "Гишүүд", "en": "Members"},
    "teams.campaigns": {"mn": "Кампанит ажил", "en": "Campaigns"},
    "teams.none": {
        "mn": "Та одоогоор ямар ч багт ороогүй байна.",
        "en": "You are in no team yet.",
    },
    "teams.new": {"mn": "Шинэ баг", "en": "New team"},
    "teams.key": {"mn": "Товч нэр", "en": "Key"},
    "teams.key_hint": {
        "mn": (
            "Жижиг латин үсэг, тоо, «-», «_» тэмдэгт, жишээ нь iom-mongolia. Командын мөрөнд энэ "
            "нэрээр нэрлэнэ."
        ),
        "en": "Lower-case letters, digits, - and _, for example iom-mongolia; the command line uses it.",
    },
    "teams.name": {"mn": "Нэр", "en": "Name"},
    "teams.name_hint": {
        "mn": "Хүмүүс багийг юу гэж нэрлэдэг вэ, жишээ нь «ОУЦБ Монгол».",
        "en": "What people call the team, for example “IOM Mongolia”.",
    },
    "teams.create": {"mn": "Баг үүсгэх", "en": "Create the team"},
    "team.your_role": {"mn": "Таны үүрэг: {role}.", "en": "Your role: {role}."},
    "team.not_member": {
        "mn": "Та энэ багийн гишүүн биш: системийн админ учраас гишүүдийг удирдаж байна.",
        "en": "You are not a member: you manage its members as the installation's administrator.",
    },
    "team.members": {"mn": "Гишүүд", "en": "Members"},
    "team.added_at": {"mn": "Нэмсэн", "en": "Added"},
    "team.you": {"mn": "та", "en": "you"},
    "team.role_of": {"mn": "Үүрэг: {email}", "en": "Role of {email}"},
    "team.change_role": {"mn": "Үүрэг солих", "en": "Change the role"},
    "team.remove": {"mn": "Багаас хасах", "en": "Take out of the team"},
    "team.no_members": {"mn": "Одоогоор гишүүн алга.", "en": "No member yet."},
    "team.add": {"mn": "Гишүүн нэмэх", "en": "Add a member"},
    "team.add_button": {"mn": "Нэмэх", "en": "Add"},
    "team.add_hint": {
        "mn": (
            "Бүртгэлтэй хүнийг имэйл хаягаар нь нэмнэ. Бүртгэлгүй бол системийн админ эхлээд "
            "бүртгэл үүсгэнэ."
        ),
        "en": (
            "An account is added by its address; for someone without one, the installation's "
            "administrator creates it first."
        ),
    },
    "team.remove_hint": {
        "mn": (
            "Багаас хасагдсан хүн багийн кампанит ажлыг харахаа больж, түүний бүх API токен "
            "хүчингүй болно. Баг дор хаяж нэг админтай байна."
        ),
        "en": (
            "Someone taken out of the team no longer sees its campaigns, and all their API tokens "
            "end. A team keeps at least one administrator."
        ),
    },
    "team.rename": {"mn": "Багийн нэр", "en": "The team's name"},
    "team.rename_button": {"mn": "Нэр хадгалах", "en": "Save the name"},
    "team.campaigns": {"mn": "Багийн кампанит ажил", "en": "The team's campaigns"},
    "team.added": {"mn": "Багт нэмлээ: {email}.", "en": "Added {email}."},
    "team.removed": {
        "mn": "Гишүүнийг багаас хаслаа. Түүний API токенууд хүчингүй боллоо.",
        "en": "The member is out of the team, and their API tokens have ended.",
    },
    # -- why a form was refused (error.<reason>) -------------------------------------------------------
    "error.unexpected": {
        "mn": "Хүсэлтийг биелүүлж чадсангүй. Оруулсан утгаа шалгаад дахин оролдоно уу.",
        "en": "The request could not be carried out. Check what was entered and try again.",
    },
    "error.campaign_key_missing": {
        "mn": "Кампанит ажлын товч нэрийг бичнэ үү (жижиг латин үсэг, тоо, «-», «_»).",
        "en": "A campaign needs a key (lower-case letters, digits, - and _).",
    },
    "error.campaign_key_format": {
        "mn": (
            "Товч нэрэнд зөвхөн жижиг латин үсэг, тоо, «-», «_» орно; үсэг эсвэл тоогоор эхэлж, 63 "
            "тэмдэгтээс хэтрэхгүй."
        ),
        "en": (
            "A campaign key has lower-case letters, digits, - and _, starts with a letter or a digit "
            "and has at most 63 characters."
        ),
    },
    "error.campaign_key_reserved": {
        "mn": "«{key}» гэсэн нэрийг консол өөрөө ашигладаг тул өөр нэр сонгоно уу.",
        "en": "A campaign cannot be called “{key}”: the console uses that address. Choose another key.",
    },
    "error.questionnaire_unknown": {
        "mn": "«{questionnaire}» гэсэн асуулга нийтлэгдээгүй байна.",
        "en": "No questionnaire “{questionnaire}” has been published.",
    },
    "error.design_unknown": {
        "mn": "Судалгааны загварыг жагсаалтаас сонгоно уу.",
        "en": "Choose one of the designs.",
    },
    "error.cluster_unknown": {
        "mn": "«{questionnaire}» асуулгад «{cluster}» гэсэн асуулт байхгүй.",
        "en": "The questionnaire “{questionnaire}” has no item “{cluster}”.",
    },
    "error.panel_needs_code": {
        "mn": (
            "Панел загвар нь өмнөх ба дараах хариултыг панелын кодоор холбодог боловч "
            "«{questionnaire}» асуулгад панелын кодын асуулт байхгүй."
        ),
        "en": (
            "A panel campaign links answers before and after by a panel code, and the questionnaire "
            "“{questionnaire}” has no panel code item."
        ),
    },
    "error.campaign_exists": {
        "mn": "«{key}» нэртэй кампанит ажил аль хэдийн байна.",
        "en": "A campaign “{key}” already exists.",
    },
    "error.campaign_refused": {
        "mn": "Кампанит ажлыг үүсгэж чадсангүй.",
        "en": "The campaign could not be created.",
    },
    "error.version_not_number": {
        "mn": "Хувилбарыг тоогоор бичнэ үү.",
        "en": "The version is a number.",
    },
    "error.version_unknown": {
        "mn": "Асуулгад ийм хувилбар алга.",
        "en": "The questionnaire has no such version.",
    },
    "error.phase_unknown": {
        "mn": "Кампанит ажлын өмнө эсвэл дараа гэдгийг сонгоно уу.",
        "en": "Choose before or after the campaign.",
    },
    "error.arm_unknown": {
        "mn": "Кампанит ажлын бүлэг эсвэл харьцуулах бүлгийг сонгоно уу.",
        "en": "Choose the campaign group or the comparison group.",
    },
    "error.comparison_arm": {
        "mn": "Харьцуулах бүлэг зөвхөн харьцуулах бүлэгтэй загварын кампанит ажилд байдаг.",
        "en": "Only a campaign with a comparison group has waves for a comparison group.",
    },
    "error.wave_key_format": {
        "mn": (
            "Шатны товч нэрэнд зөвхөн жижиг латин үсэг, тоо, «-», «_» орно; үсэг эсвэл тоогоор "
            "эхэлнэ."
        ),
        "en": "A wave key has lower-case letters, digits, - and _, and starts with a letter or a digit.",
    },
    "error.wave_key_taken": {
        "mn": "«{key}» нэртэй шат аль хэдийн байна.",
        "en": "A wave “{key}” already exists.",
    },
    "error.wave_phase_taken": {
        "mn": "Энэ кампанит ажилд тэр үе, тэр бүлгийн шат аль хэдийн байна.",
        "en": "This campaign already has a wave at that time for that group.",
    },
    "error.wave_refused": {"mn": "Шатыг нэмж чадсангүй.", "en": "The wave could not be added."},
    "error.versions_not_numbers": {
        "mn": "Харьцуулах хувилбаруудыг тоогоор заана уу, жишээ нь ?a=1&b=2.",
        "en": "The versions to compare are numbers, for example ?a=1&b=2.",
    },
    "error.upload_missing": {
        "mn": "Оруулах файлаа (.xlsx) сонгоно уу.",
        "en": "Choose a workbook (.xlsx) to upload.",
    },
    "error.upload_empty": {"mn": "«{name}» файл хоосон байна.", "en": "{name} is empty."},
    "error.upload_too_large": {
        "mn": "Файлын хэмжээ {megabytes} МБ-аас их байна.",
        "en": "The upload is larger than {megabytes} MB.",
    },
    "error.import_failed": {
        "mn": "«{name}» файлыг оруулж чадсангүй:",
        "en": "{name} could not be imported:",
    },
    "error.nothing_to_publish": {
        "mn": "Нийтлэх зүйл алга: эхлээд файл оруулна уу.",
        "en": "Nothing to publish: upload a workbook first.",
    },
    "error.publish_failed": {"mn": "Юу ч нийтлэгдсэнгүй:", "en": "Nothing was published:"},
    "error.role_unknown": {
        "mn": "Үүргийг жагсаалтаас сонгоно уу.",
        "en": "Choose one of the roles.",
    },
    "error.email_invalid": {
        "mn": "«{email}» нь имэйл хаяг биш байна.",
        "en": "“{email}” is not an email address.",
    },
    "error.email_too_long": {
        "mn": "Имэйл хаяг хамгийн ихдээ {maximum} тэмдэгттэй байна.",
        "en": "An email address has at most {maximum} characters.",
    },
    "error.account_exists": {
        "mn": "«{email}» хаягтай бүртгэл аль хэдийн байна.",
        "en": "An account “{email}” already exists.",
    },
    "error.password_short": {
        "mn": "Нууц үг дор хаяж {min} тэмдэгттэй байх ёстой.",
        "en": "A password needs at least {min} characters.",
    },
    "error.password_weak": {
        "mn": "Энэ нууц үгийг таахад хялбар байна. Түгээмэл нууц үг, давталт, дараалал, өөрийн имэйл "
        "хаягаа бус, холбоогүй хэдэн үгээс бүрдсэн урт нууц үг сонгоно уу.",
        "en": "This password is too easy to guess. Choose a longer one, such as a few unrelated words, "
        "that is not a common password, a repeat, a sequence or your address.",
    },
    "error.password_long": {
        "mn": "Нууц үг хамгийн ихдээ {max} тэмдэгттэй байна.",
        "en": "A password may have at most {max} characters.",
    },
    "error.account_refused": {
        "mn": "Бүртгэлийг үүсгэж чадсангүй.",
        "en": "The account could not be created.",
    },
    "error.disable_self": {
        "mn": "Өөрийн бүртгэлийг идэвхгүй болгох боломжгүй.",
        "en": "You cannot disable your own account.",
    },
    "error.team_not_yours": {
        "mn": "Та зөвхөн админ эсвэл судлаачаар ажилладаг багтаа кампанит ажил үүсгэнэ.",
        "en": "Choose one of the teams where you are an administrator or a researcher.",
    },
    "error.team_unknown": {
        "mn": "Ийм баг алга. Жагсаалтаас сонгоно уу.",
        "en": "There is no such team; choose one of the list.",
    },
    "error.questionnaire_not_shared": {
        "mn": (
            "«{questionnaire}» асуулга өөр багт хамаардаг тул сонгосон багийн кампанит ажилд ашиглах "
            "боломжгүй."
        ),
        "en": (
            "The questionnaire “{questionnaire}” is kept to another team: the chosen team's "
            "campaigns cannot use it."
        ),
    },
    "error.questionnaire_key_taken": {
        "mn": "«{key}» нэртэй асуулга өөр багт байна. Асуулгад өөр товч нэр өгнө үү.",
        "en": "A questionnaire “{key}” belongs to another team; give this one another key.",
    },
    "error.questionnaire_in_use": {
        "mn": "Өөр багийн кампанит ажил ({teams}) энэ асуулгыг ашиглаж байгаа тул бүх багт нээлттэй хэвээр үлдэнэ.",
        "en": "Campaigns of other teams ({teams}) use this questionnaire, so it stays shared.",
    },
    "error.installation_admin_self": {
        "mn": "Өөрийн системийн админ эрхийг хасах боломжгүй: өөр админ үүнийг хийнэ.",
        "en": "You cannot remove yourself as installation administrator: another one can.",
    },
    "error.reset_self": {
        "mn": "Өөрийн нууц үгийг «Миний бүртгэл» хуудаснаас солино уу.",
        "en": "Change your own password on your account's page.",
    },
    "error.passwords_differ": {
        "mn": "Шинэ нууц үгийг хоёр удаа ижил бичнэ үү.",
        "en": "Type the same new password twice.",
    },
    "error.current_password_wrong": {
        "mn": "Одоогийн нууц үг буруу байна.",
        "en": "The current password is wrong.",
    },
    "error.password_attempts_limited": {
        "mn": "Хэт олон удаа буруу нууц үг оруулсан байна. Хэсэг хүлээгээд дахин оролдоно уу.",
        "en": "Too many wrong passwords just now. Wait a while and try again.",
    },
    "error.password_refused": {
        "mn": "Энэ нууц үгийг хүлээн авах боломжгүй.",
        "en": "This password cannot be accepted.",
    },
    "error.token_days_invalid": {
        "mn": "Хүчинтэй хугацааг жагсаалтаас сонгоно уу.",
        "en": "Choose how long the token lives from the list.",
    },
    "error.token_refused": {"mn": "Токен үүсгэж чадсангүй.", "en": "The token could not be made."},
    "error.token_name_missing": {
        "mn": "Токен юунд зориулсныг нэрэнд нь бичнэ үү.",
        "en": "Give the token a name saying what it is for.",
    },
    "error.token_name_invalid": {
        "mn": "Токены нэр хамгийн ихдээ {max} тэмдэгттэй, нэг мөр байна.",
        "en": "A token's name is one line of at most {max} characters.",
    },
    "error.token_scope_invalid": {
        "mn": "Токен юу уншихыг дор хаяж нэгийг сонгоно уу.",
        "en": "Choose at least one thing the token may read.",
    },
    "error.team_key_missing": {
        "mn": "Багийн товч нэрийг бичнэ үү (жижиг латин үсэг, тоо, «-», «_»).",
        "en": "A team needs a key (lower-case letters, digits, - and _).",
    },
    "error.team_key_format": {
        "mn": (
            "Товч нэрэнд зөвхөн жижиг латин үсэг, тоо, «-», «_» орно; үсэг эсвэл тоогоор эхэлж, 63 "
            "тэмдэгтээс хэтрэхгүй."
        ),
        "en": (
            "A team key has lower-case letters, digits, - and _, starts with a letter or a digit and "
            "has at most 63 characters."
        ),
    },
    "error.team_exists": {
        "mn": "«{key}» нэртэй баг аль хэдийн байна.",
        "en": "A team “{key}” already exists.",
    },
    "error.team_name_invalid": {
        "mn": "Багийн нэр хамгийн ихдээ {max} тэмдэгттэй, нэг мөр байна.",
        "en": "A team's name is one line of at most {max} characters.",
    },
    "error.team_refused": {"mn": "Багийг хадгалж чадсангүй.", "en": "The team could not be saved."},
    "error.member_email_missing": {
        "mn": "Нэмэх хүний имэйл хаягийг бичнэ үү.",
        "en": "Give the address of the account to add.",
    },
    "error.member_unknown": {
        "mn": "«{email}» хаягтай бүртгэл алга. Системийн админ эхлээд бүртгэл үүсгэнэ.",
        "en": "No account has the address “{email}”; the installation's administrator creates it first.",
    },
    "error.member_refused": {
        "mn": "Гишүүнийг өөрчилж чадсангүй.",
        "en": "The member could not be changed.",
    },
    "error.last_team_admin": {
        "mn": "Баг админгүй үлдэх тул болохгүй. Эхлээд өөр гишүүнийг админ болгоно уу.",
        "en": "The team would have no administrator left: make another member an administrator first.",
    },
    "error.setup_code_missing": {
        "mn": "Серверийн бүртгэлд хэвлэсэн тохируулгын кодыг оруулна уу.",
        "en": "Give the set-up code from the server's log.",
    },
    "error.setup_code_wrong": {
        "mn": (
            "Тохируулгын код буруу эсвэл аль хэдийн ашиглагдсан байна. Серверийг дахин эхлүүлбэл "
            "шинэ код хэвлэгдэнэ."
        ),
        "en": (
            "The set-up code is wrong or was used already. Restarting the server prints a new one."
        ),
    },
    "error.language_unknown": {
        "mn": "Хэлийг жагсаалтаас сонгоно уу.",
        "en": "Choose one of the languages.",
    },
    # -- the questionnaire editor (survey/console/editor.py) --------------------------------------------
    "questionnaires.new": {"mn": "Шинэ асуулга", "en": "New questionnaire"},
    "questionnaires.drafts": {"mn": "Ноорог асуулгууд", "en": "Drafts"},
    "drafts.team": {"mn": "Баг", "en": "Team"},
    "drafts.changed": {"mn": "Сүүлд өөрчилсөн", "en": "Last changed"},
    "drafts.open": {"mn": "Засварлах", "en": "Edit"},
    "questionnaire.edit": {
        "mn": "Засварлагч дээр шинэ хувилбар бэлтгэх",
        "en": "Prepare a new version in the editor",
    },
    "new.title": {"mn": "Шинэ асуулга", "en": "New questionnaire"},
    "new.intro": {
        "mn": (
            "Хоосноос эхлэх, нийтлэгдсэн асуулгыг хуулах, эсвэл YAML файл, XLSForm оруулах боломжтой. "
            "Юу ч шууд нийтлэгдэхгүй: эхлээд ноорог үүснэ."
        ),
        "en": (
            "Start blank, from a copy of a published questionnaire, or from a YAML file or an XLSForm. "
            "Nothing is published yet: you get a draft."
        ),
    },
    "new.blank": {"mn": "Хоосноос эхлэх", "en": "Start blank"},
    "new.team": {"mn": "Баг", "en": "Team"},
    "new.start": {"mn": "Ноорог үүсгэх", "en": "Create the draft"},
    "new.copy": {"mn": "Нийтлэгдсэн асуулгыг хуулах", "en": "Copy a published questionnaire"},
    "new.source": {"mn": "Асуулга", "en": "Questionnaire"},
    "new.copy_key": {"mn": "Шинэ түлхүүр нэр", "en": "New key"},
    "new.copy_key_hint": {
        "mn": (
            "Хоосон үлдээвэл тухайн асуулгын дараагийн хувилбар болно; шинэ нэр өгвөл тусдаа асуулга "
            "болно."
        ),
        "en": (
            "Leave it empty to make the next version of that questionnaire; a new key makes a separate "
            "questionnaire."
        ),
    },
    "new.start_copy": {"mn": "Хуулж ноорог үүсгэх", "en": "Copy into a draft"},
    "new.nothing_to_copy": {
        "mn": "Хуулах нийтлэгдсэн асуулга алга.",
        "en": "No published questionnaire to copy yet.",
    },
    "new.file": {"mn": "Файлаас эхлэх", "en": "Start from a file"},
    "new.file_label": {
        "mn": "YAML файл эсвэл XLSForm (.xlsx)",
        "en": "A YAML file or an XLSForm (.xlsx)",
    },
    "new.file_hint": {
        "mn": (
            "Хэмжээ нь {megabytes} МБ хүртэл. forms/ хавтасны YAML файл, эсвэл KoboToolbox, ODK дээр "
            "бэлтгэсэн XLSForm."
        ),
        "en": "Up to {megabytes} MB: a forms/ YAML file, or an XLSForm from KoboToolbox or ODK.",
    },
    "new.start_file": {"mn": "Оруулж ноорог үүсгэх", "en": "Import into a draft"},
    "editor.title": {"mn": "Асуулга засварлах: {key}", "en": "Editing {key}"},
    "editor.owner": {
        "mn": "Баг: {team}. Сүүлд өөрчилсөн: {who}, {when}.",
        "en": "Team: {team}. Last changed by {who}, {when}.",
    },
    "editor.always": {"mn": "Үргэлж харуулна", "en": "Always shown"},
    "editor.if_answer": {
        "mn": "{item}: хариулт нь «{answer}» бол",
        "en": "If {item} is “{answer}”",
    },
    "editor.if_answered": {"mn": "{item}: хариулсан бол", "en": "If {item} was answered"},
    "editor.consent.yes": {"mn": "Зөвшөөрсөн", "en": "Agreed"},
    "editor.consent.no": {"mn": "Татгалзсан", "en": "Declined"},
    "editor.as_written": {"mn": "Доор бичсэн нөхцөл", "en": "The condition written below"},
    "editor.condition": {"mn": "Харуулах нөхцөл", "en": "Show only if…"},
    "editor.condition_pick": {
        "mn": "Өмнөх асуултын хариултаас сонгох",
        "en": "Choose an answer to an earlier question",
    },
    "editor.condition_written": {"mn": "Эсвэл нөхцөлөө бичих", "en": "Or write the condition"},
    "editor.condition_hint": {
        "mn": "Энд бичсэн нөхцөл дээрх сонголтыг орлоно. Жишээ нь:",
        "en": "A condition written here replaces the one chosen above. For example:",
    },
    "editor.problems": {
        "mn": "Нийтлэхийн өмнө засах зүйлийн тоо: {count}.",
        "en": "To fix before publishing: {count}.",
    },
    "editor.ready": {
        "mn": "Асуулга нийтлэхэд бэлэн.",
        "en": "The questionnaire is ready to publish.",
    },
    "editor.preview": {"mn": "Урьдчилан харах", "en": "Preview"},
    "editor.open_item": {"mn": "Энэ асуултыг засах", "en": "Edit this item"},
    "editor.choice_properties": {
        "mn": "Шинж чанарууд (нэр = утга, таслалаар тусгаарлана)",
        "en": "Properties (name = value, separated by commas)",
    },
    "editor.choice_filter": {"mn": "Сонголтыг шүүх", "en": "Filter the choices"},
    "editor.choice_filter_hint": {
        "mn": (
            "Мөр бүрт «шинж чанар = өмнөх асуулт» гэж бичнэ: тухайн шинж чанар нь өмнөх асуултын "
            "хариулттай таарах сонголтууд л харагдана. Жишээ нь:"
        ),
        "en": (
            'One "property = earlier item" a line: only the choices whose property matches the answer to '
            "that item are offered. For example:"
        ),
    },
    "editor.constraint": {"mn": "Хариултын шалгуур", "en": "Answer check"},
    "editor.constraint_rule": {"mn": "Хариултад тавих нөхцөл", "en": "Rule the answer must meet"},
    "editor.constraint_hint": {
        "mn": "Асуултын түлхүүр нэр ({key}) нь шалгаж буй хариултыг заана. Жишээ нь:",
        "en": "The item's own key ({key}) names the answer being checked. For example:",
    },
    "editor.constraint_message_in": {
        "mn": "Нөхцөл биелээгүй үед харуулах мессеж ({language})",
        "en": "Message when the rule is not met ({language})",
    },
    "editor.calculations": {"mn": "Тооцоолсон утгууд", "en": "Calculated values"},
    "editor.calculations_hint": {
        "mn": (
            "Хариултуудаас тооцоолох утга: нөхцөлд болон бичвэрт ${key} хэлбэрээр ашиглана, "
            "хадгалагдахгүй. Жишээ нь:"
        ),
        "en": (
            "A value worked out from the answers, usable in conditions and in texts as ${key}; never "
            "stored. For example:"
        ),
    },
    "editor.new_calculation": {"mn": "Шинэ тооцоолсон утга", "en": "New calculated value"},
    "editor.expression": {"mn": "Томьёо", "en": "Expression"},
    "editor.add_calculation": {"mn": "Тооцоолсон утга нэмэх", "en": "Add the calculated value"},
    "editor.delete_calculation": {
        "mn": "Тооцоолсон утгыг устгах",
        "en": "Delete the calculated value",
    },
    "editor.all_pages": {"mn": "Бүх хуудсыг тайлбартай нь харах", "en": "All pages, with notes"},
    "editor.live_preview": {
        "mn": "Утасны дэлгэц дээр харагдах байдал",
        "en": "As a respondent sees it on a phone",
    },
    "editor.frame_title": {
        "mn": "Энэ ноорогийн оролцогчид харагдах хуудас",
        "en": "The respondent's page of this draft",
    },
    "try.title": {"mn": "«{key}» асуулгыг туршиж үзэх", "en": "Trying {key}"},
    "try.note": {
        "mn": "Оролцогчийн адил хариулж үзнэ үү. Энд оруулсан юу ч хадгалагдахгүй.",
        "en": "Answer as a respondent would. Nothing entered here is stored.",
    },
    "try.back": {"mn": "Засварлагч руу буцах", "en": "Back to the editor"},
    "try.restart": {"mn": "Эхнээс нь эхлэх", "en": "Start again"},
    "try.hidden_page": {
        "mn": "Одоогийн хариултуудаар бол оролцогч энэ хуудсыг харахгүй: нөхцөл нь үүнийг нууж байна.",
        "en": "With the answers given so far, a respondent would not see this page: its condition hides it.",
    },
    "try.blocked": {
        "mn": "Дараах алдааг засмагц асуулгыг урьдчилан харах боломжтой болно.",
        "en": "The questionnaire can be previewed once these problems are fixed.",
    },
    "editor.publish": {"mn": "Нийтлэх", "en": "Publish"},
    "editor.export_yaml": {"mn": "YAML файлаар татах", "en": "Download as YAML"},
    "editor.export_xlsx": {"mn": "XLSForm файлаар татах", "en": "Download as XLSForm"},
    "editor.undo": {"mn": "Сүүлийн өөрчлөлтийг буцаах", "en": "Undo the last change"},
    "editor.questionnaire": {"mn": "Асуулгын ерөнхий мэдээлэл", "en": "The questionnaire"},
    "editor.key": {"mn": "Түлхүүр нэр", "en": "Key"},
    "editor.key_hint": {
        "mn": (
            "Латин жижиг үсэг, тоо, доогуур зураасаар бичнэ, жишээ нь trafficking_knowledge. Хувилбар "
            "бүрт ижил байна."
        ),
        "en": (
            "Small Latin letters, digits and underscores, such as trafficking_knowledge. It stays the "
            "same across versions."
        ),
    },
    "editor.title_in": {"mn": "Гарчиг ({language})", "en": "Title ({language})"},
    "editor.description_in": {"mn": "Танилцуулга ({language})", "en": "Introduction ({language})"},
    "editor.save": {"mn": "Хадгалах", "en": "Save"},
    "editor.section": {"mn": "Хэсэг {number}", "en": "Section {number}"},
    "editor.section_settings": {"mn": "Хэсгийн тохиргоо", "en": "Section settings"},
    "editor.section_title_in": {
        "mn": "Хэсгийн гарчиг ({language})",
        "en": "Section title ({language})",
    },
    "editor.section_up": {"mn": "Хэсгийг дээш зөөх", "en": "Move the section up"},
    "editor.section_down": {"mn": "Хэсгийг доош зөөх", "en": "Move the section down"},
    "editor.section_delete": {"mn": "Хэсгийг устгах", "en": "Delete the section"},
    "editor.item_problems": {"mn": "Засах зүйл: {count}", "en": "To fix: {count}"},
    "editor.type": {"mn": "Асуултын төрөл", "en": "Question type"},
    "editor.text_in": {"mn": "Асуулт ({language})", "en": "Wording ({language})"},
    "editor.hint_in": {"mn": "Зөвлөмж ({language})", "en": "Hint ({language})"},
    "editor.required": {"mn": "Заавал хариулна", "en": "An answer is required"},
    "editor.choices": {"mn": "Хариултын сонголтууд", "en": "Answer choices"},
    "editor.named_list": {
        "mn": "Эдгээр сонголт «{name}» жагсаалтаас ирсэн; өөрчилбөл зөвхөн энэ асуултад хамаарна.",
        "en": "These choices come from the list {name}; a change applies to this question only.",
    },
    "editor.choices_hint": {
        "mn": (
            "Утга нь хариулт бүрт хадгалагдана (латин үсэг, тоо). Сонголтыг хасахдаа мөрийг нь хоосон "
            "болгоно."
        ),
        "en": (
            "The value is stored with each answer (Latin letters and digits). To remove a choice, "
            "empty its row."
        ),
    },
    "editor.choice_value": {"mn": "Сонголт {number}: утга", "en": "Choice {number}: value"},
    "editor.choice_label_in": {"mn": "Бичвэр ({language})", "en": "Label ({language})"},
    "editor.correct": {"mn": "Зөв хариулт", "en": "Correct answer"},
    "editor.no_correct": {
        "mn": "Зөв хариулт байхгүй (мэдлэгийн асуулт биш)",
        "en": "No correct answer (not a knowledge question)",
    },
    "editor.scoring": {"mn": "Оноо тооцох арга", "en": "Scoring"},
    "editor.scoring.": {"mn": "Анхдагч арга", "en": "The default"},
    "editor.scoring.all_or_nothing": {
        "mn": "Бүгдийг зөв сонгосон үед л оноо авна",
        "en": "All or nothing",
    },
    "editor.scoring.partial": {"mn": "Хэсэгчилсэн оноо", "en": "Partial credit"},
    "editor.scoring.corrected": {
        "mn": "Буруу сонголтыг хасч тооцно",
        "en": "Corrected for wrong choices",
    },
    "editor.scale": {"mn": "Ликертийн хэмжүүр", "en": "Likert scale"},
    "editor.no_scales": {
        "mn": "Доорх «Ликертийн хэмжүүрүүд» хэсэгт эхлээд хэмжүүр нэмнэ үү.",
        "en": "Add a scale under Likert scales below first.",
    },
    "editor.reverse": {
        "mn": "Урвуу кодлолтой (санал нийлэх нь таагүй хариулт)",
        "en": "Reverse-coded (agreeing is the unfavourable answer)",
    },
    "editor.min": {"mn": "Доод хязгаар", "en": "Minimum"},
    "editor.max": {"mn": "Дээд хязгаар", "en": "Maximum"},
    "editor.max_length": {"mn": "Тэмдэгтийн дээд тоо", "en": "Maximum characters"},
    "editor.up": {"mn": "Дээш зөөх", "en": "Move up"},
    "editor.down": {"mn": "Доош зөөх", "en": "Move down"},
    "editor.delete": {"mn": "Асуултыг устгах", "en": "Delete the question"},
    "editor.new_item": {"mn": "Шинэ асуултын төрөл", "en": "Type of the new question"},
    "editor.add_item": {"mn": "Асуулт нэмэх", "en": "Add a question"},
    "editor.add_section": {"mn": "Хэсэг нэмэх", "en": "Add a section"},
    "editor.scales": {"mn": "Ликертийн хэмжүүрүүд", "en": "Likert scales"},
    "editor.scales_hint": {
        "mn": "Мөр бүрт нэг хариулт бичнэ; эхнийх нь 1 гэж хадгалагдана.",
        "en": "One answer a line; the first is stored as 1.",
    },
    "editor.new_scale": {"mn": "Шинэ хэмжүүр", "en": "New scale"},
    "editor.scale_labels_in": {"mn": "Хариултууд ({language})", "en": "Answers ({language})"},
    "editor.add_scale": {"mn": "Хэмжүүр нэмэх", "en": "Add the scale"},
    "editor.delete_scale": {"mn": "Хэмжүүрийг устгах", "en": "Delete the scale"},
    "editor.agree5": {
        "mn": "Огт санал нийлэхгүй\nСанал нийлэхгүй\nТөвийг сахина\nСанал нийлнэ\nБүрэн санал нийлнэ",
        "en": "Strongly disagree\nDisagree\nNeither agree nor disagree\nAgree\nStrongly agree",
    },
    "editor.outcomes": {"mn": "Үр дүнгийн хэмжүүрүүд", "en": "Outcomes"},
    "editor.outcomes_hint": {
        "mn": (
            "Шинжилгээ кампанит ажлын өмнөх ба дараах байдлыг эдгээрээр харьцуулна: оноо (мэдлэгийн "
            "асуултын зөв хариултын хувь), хэмжүүр (Ликертийн асуултуудын дундаж), хувь (тодорхой "
            "хариулт өгсөн хүмүүсийн хувь)."
        ),
        "en": (
            "What the analysis compares before and after: a score (percent correct over knowledge "
            "questions), a scale (the mean of Likert questions) or a proportion (the share giving one "
            "answer)."
        ),
    },
    "editor.new_outcome": {"mn": "Шинэ үр дүн", "en": "New outcome"},
    "editor.kind": {"mn": "Төрөл", "en": "Kind"},
    "editor.kind.score": {"mn": "Оноо (зөв хариултын хувь)", "en": "Score (percent correct)"},
    "editor.kind.scale": {"mn": "Хэмжүүр (Ликертийн дундаж)", "en": "Scale (mean of Likert items)"},
    "editor.kind.proportion": {"mn": "Хувь (нэг хариулт)", "en": "Proportion (one answer)"},
    "editor.outcome_label_in": {"mn": "Нэр ({language})", "en": "Name ({language})"},
    "editor.outcome_items": {
        "mn": "Оноо эсвэл хэмжүүрт орох асуултууд",
        "en": "Questions in a score or a scale",
    },
    "editor.outcome_reverse": {
        "mn": "Урвуугаар тооцно (зөвхөн хэмжүүрт)",
        "en": "Count it reversed (scales only)",
    },
    "editor.no_items": {"mn": "Одоогоор асуулт алга.", "en": "No questions yet."},
    "editor.proportion_item": {"mn": "Хувь тооцох асуулт", "en": "Question of a proportion"},
    "editor.proportion_value": {"mn": "Тоолох хариултын утга", "en": "Answer value counted"},
    "editor.add_outcome": {"mn": "Үр дүн нэмэх", "en": "Add the outcome"},
    "editor.delete_outcome": {"mn": "Үр дүнг устгах", "en": "Delete the outcome"},
    "editor.discard": {"mn": "Ноорогийг устгах", "en": "Discard the draft"},
    "editor.discard_hint": {
        "mn": "Нийтэлсэн хувилбарууд хэвээр үлдэнэ.",
        "en": "Published versions stay as they are.",
    },
    "editor.stale": {
        "mn": (
            "Таныг засаж байх хооронд {who} энэ ноорогийг өөрчилсөн тул таны өөрчлөлт хадгалагдсангүй. "
            "Одоогийн байдлыг доор харуулав; өөрчлөлтөө дахин хийнэ үү."
        ),
        "en": (
            "{who} changed this draft while you were editing it, so your change was not saved. Here "
            "it is as it is now; make your change again."
        ),
    },
    "editor.preview_blocked": {
        "mn": "Урьдчилан харах боломжгүй байна",
        "en": "The preview has to wait",
    },
    "editor.publish_blocked": {"mn": "Одоогоор нийтлэх боломжгүй", "en": "Not publishable yet"},
    "editor.export_blocked": {
        "mn": "XLSForm болгох боломжгүй байна",
        "en": "Not ready for an XLSForm yet",
    },
    "editor.fix_first": {
        "mn": "Эхлээд засварлагч дээр дараах зүйлсийг засна уу (нийт {count}):",
        "en": "First fix these in the editor ({count} in all):",
    },
    "editor.back": {"mn": "Засварлагч руу буцах", "en": "Back to the editor"},
    "preview.draft_title": {"mn": "Ноорогийг урьдчилан харах", "en": "Preview of the draft"},
    "preview.pages": {"mn": "Хуудсууд", "en": "Pages"},
    "publish.title": {"mn": "«{key}» асуулгыг нийтлэх", "en": "Publish {key}"},
    "publish.first": {
        "mn": "«{key}» асуулгын анхны хувилбар нийтлэгдэнэ.",
        "en": "This publishes version 1 of {key}.",
    },
    "publish.next": {
        "mn": (
            "Доор «{key}» асуулгын өмнөх хувилбар ({previous}) ба нийтлэх гэж буй шинэ хувилбар "
            "({next}) хоорондын ялгааг харуулав."
        ),
        "en": "Version {next} of {key}, compared with version {previous}:",
    },
    "publish.breaking_effect": {
        "mn": (
            "«{key}» асуулт өөрчлөгдсөн: өөрчлөлтийг утга нь ижил гэж тэмдэглэхгүй бол өмнөх ба "
            "дараах хариултыг харьцуулахгүй."
        ),
        "en": (
            "Item {key} changed: pre and post answers will not be compared unless you mark the "
            "change equivalent."
        ),
    },
    "publish.equivalent_effect": {
        "mn": (
            "«{key}» асуултын өөрчлөлтийг утга нь ижил гэж тэмдэглэсэн: өмнөх ба дараах хариултыг "
            "харьцуулсаар байна."
        ),
        "en": "Item {key} is marked equivalent: pre and post answers are still compared.",
    },
    "publish.removed_effect": {
        "mn": "«{key}» асуулт хасагдсан тул өмнөх ба дараах харьцуулалтад орохгүй.",
        "en": "Item {key} is removed: it leaves pre/post comparisons.",
    },
    "publish.mark": {
        "mn": "Утга нь ижил (жишээ нь үсгийн алдааны засвар)",
        "en": "Equivalent: the meaning did not change (a typo fix)",
    },
    "publish.same": {
        "mn": "Сүүлийн хувилбараас өөрчлөлт алга: нийтэлбэл тэр хувилбар хэвээр үлдэнэ.",
        "en": "Nothing changed since the latest version: publishing keeps that version.",
    },
    "publish.immutable": {
        "mn": "Нийтэлсэн хувилбарыг дараа нь өөрчлөх боломжгүй; дараагийн өөрчлөлт шинэ хувилбар болно.",
        "en": "A published version never changes; later changes make a new version.",
    },
    "publish.confirm": {"mn": "«{key}» асуулгыг нийтлэх", "en": "Publish {key}"},
    "publish.foreign": {
        "mn": "«{key}» түлхүүр нэр өөр багийн асуулгад хамаарна. Засварлагч дээр түлхүүр нэрийг өөрчилнө үү.",
        "en": "The key {key} belongs to another team's questionnaire. Change the key in the editor.",
    },
    "error.draft_too_large": {
        "mn": "Ноорог {megabytes} МБ-аас их болох тул энэ өөрчлөлтийг хадгалсангүй.",
        "en": "The draft would be larger than {megabytes} MB: the change was not saved.",
    },
    # What survey.editor.edits.Unusable says: a form no draft can take (most often sent from a page
    # another change has made stale).
    "error.draft_no_section": {
        "mn": "Асуулгад ийм хэсэг алга (хэсгийн дугаар: {number}). Хуудсаа дахин ачаална уу.",
        "en": "The questionnaire has no section {number}. Please reload the page.",
    },
    "error.draft_no_item": {
        "mn": "Энэ хэсэгт ийм асуулт алга (хэсэг: {section}, асуулт: {number}). Хуудсаа дахин ачаална уу.",
        "en": "Section {section} has no question {number}. Please reload the page.",
    },
    "error.draft_no_item_type": {
        "mn": "Ийм төрлийн асуулт алга: «{type}». Жагсаалтаас төрлөө сонгоно уу.",
        "en": "There is no question type “{type}”. Choose a type from the list.",
    },
    "error.draft_no_scale": {
        "mn": "Ийм Ликертийн хэмжүүр алга: «{key}». Хуудсаа дахин ачаална уу.",
        "en": "There is no Likert scale “{key}”. Please reload the page.",
    },
    "error.draft_scale_taken": {
        "mn": "«{key}» түлхүүр нэртэй Ликертийн хэмжүүр аль хэдийн байна. Өөр түлхүүр нэр сонгоно уу.",
        "en": "There is already a Likert scale “{key}”. Choose another key.",
    },
    "error.draft_no_calculation": {
        "mn": "Ийм тооцоолсон утга алга: «{key}». Хуудсаа дахин ачаална уу.",
        "en": "There is no calculated value “{key}”. Please reload the page.",
    },
    "error.draft_calculation_taken": {
        "mn": "«{key}» түлхүүр нэртэй тооцоолсон утга аль хэдийн байна. Өөр түлхүүр нэр сонгоно уу.",
        "en": "There is already a calculated value “{key}”. Choose another key.",
    },
    "error.draft_no_outcome": {
        "mn": "Ийм үр дүнгийн хэмжүүр алга: «{key}». Хуудсаа дахин ачаална уу.",
        "en": "There is no outcome “{key}”. Please reload the page.",
    },
    "error.draft_no_outcome_kind": {
        "mn": "Ийм төрлийн үр дүнгийн хэмжүүр алга: «{kind}». Жагсаалтаас төрлөө сонгоно уу.",
        "en": "There is no kind of outcome “{kind}”. Choose a kind from the list.",
    },
    "error.draft_outcome_taken": {
        "mn": "«{key}» түлхүүр нэртэй үр дүнгийн хэмжүүр аль хэдийн байна. Өөр түлхүүр нэр сонгоно уу.",
        "en": "There is already an outcome “{key}”. Choose another key.",
    },
    "error.draft_nothing_to_undo": {
        "mn": "Буцаах өөрчлөлт алга.",
        "en": "There is no change to undo.",
    },
    "error.draft_source_missing": {
        "mn": "Хуулах асуулгаа сонгоно уу.",
        "en": "Choose the questionnaire to copy.",
    },
    # Field collection: its pages' words are kept beside them (survey/console/field_messages.py).
    **FIELD_MESSAGES,
    # Planning and the monitoring page's interval widths (survey/console/plan_messages.py).
    **PLAN_MESSAGES,
    # The questionnaire loader's problems (survey/console/problem_messages.py).
    **PROBLEM_MESSAGES,
}

CATALOGUE: Final = Catalogue(MESSAGES)
