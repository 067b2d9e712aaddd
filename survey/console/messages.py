"""The one catalogue of every interface string of the researchers' console, in Mongolian and English.

Data stay as they are stored (campaign and wave keys, e-mail addresses, item keys, the importer's lines
about sheets and rows); every word around them comes from here, including the words for roles, designs,
statuses, phases, question types and the reasons a form is refused (``error.<reason>``, where ``reason``
is what :mod:`survey.console.service` returns, often the ``reason`` of the database layer's error).
"""

from __future__ import annotations

from typing import Final

from survey.web.i18n import Catalogue

__all__ = ["CATALOGUE", "MESSAGES", "language_name"]

# Placeholders are filled with str.format. Mongolian case endings depend on the vowels of the word they
# follow, so no ending is ever glued to a placeholder: "Хувилбар {version}", never "{version}-р хувилбар".
MESSAGES: Final[dict[str, dict[str, str]]] = {
    "language_name.mn": {"mn": "Монгол", "en": "Монгол"},
    "language_name.en": {"mn": "English", "en": "English"},
    # -- the frame ------------------------------------------------------------------------------------
    "nav.label": {"mn": "Консолын цэс", "en": "Console"},
    "nav.menu": {"mn": "Цэс", "en": "Menu"},
    "nav.skip": {"mn": "Үндсэн агуулга руу шилжих", "en": "Skip to the content"},
    "nav.campaigns": {"mn": "Кампанит ажил", "en": "Campaigns"},
    "nav.questionnaires": {"mn": "Асуулга", "en": "Questionnaires"},
    "nav.users": {"mn": "Хэрэглэгчид", "en": "Accounts"},
    "nav.audit": {"mn": "Аудитын бүртгэл", "en": "Audit log"},
    "nav.sign_out": {"mn": "Гарах", "en": "Sign out"},
    "form.optional": {"mn": "заавал биш", "en": "optional"},
    # -- words for stored codes -------------------------------------------------------------------------
    "role.admin": {"mn": "Админ", "en": "Administrator"},
    "role.researcher": {"mn": "Судлаач", "en": "Researcher"},
    "role.analyst": {"mn": "Шинжээч", "en": "Analyst"},
    "role.viewer": {"mn": "Тайлан үзэгч", "en": "Viewer (reports)"},
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
    "sign_in.refused.account_limit": {
        "mn": (
            "Энэ бүртгэлээр хэт олон удаа амжилтгүй нэвтрэх гэж оролдсон байна. 15 минут хүлээгээд "
            "дахин оролдох, эсвэл админаас шинэ нууц үг тохируулж өгөхийг хүснэ үү."
        ),
        "en": (
            "Too many failed sign-ins for this account. Wait 15 minutes and try again, or ask an "
            "administrator to set a new password."
        ),
    },
    "sign_in.refused.overall_limit": {
        "mn": (
            "Яг одоо энэ сервер дээр хэт олон амжилтгүй нэвтрэх оролдлого гарсан байна. Хэдэн минут "
            "хүлээгээд дахин оролдоно уу."
        ),
        "en": "Too many failed sign-ins on this server just now. Wait a few minutes and try again.",
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
            "Админ: бүх зүйл, хэрэглэгчид болон аудитын бүртгэл. Судлаач: асуулга, кампанит ажил, "
            "судалгааны шат, өгөгдөл татах. Шинжээч: үр дүн, өгөгдөл татах; кампанит ажлыг зөвхөн "
            "үзнэ. Тайлан үзэгч: тайлан."
        ),
        "en": (
            "Administrator: everything, accounts and the audit log. Researcher: questionnaires, "
            "campaigns, waves, exports. Analyst: results and exports; campaigns read-only. Viewer: "
            "reports."
        ),
    },
    "users.password_hint": {
        "mn": "Шинэ нууц үгийг серверийн командын мөрөөс тохируулна:",
        "en": "A new password is set on the server's command line:",
    },
    "account.active": {"mn": "Идэвхтэй", "en": "Active"},
    "account.disabled": {"mn": "Идэвхгүй", "en": "Disabled"},
    "account.disable": {"mn": "Идэвхгүй болгох", "en": "Disable"},
    "account.enable": {"mn": "Идэвхжүүлэх", "en": "Enable"},
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
    "error.account_exists": {
        "mn": "«{email}» хаягтай бүртгэл аль хэдийн байна.",
        "en": "An account “{email}” already exists.",
    },
    "error.password_short": {
        "mn": "Нууц үг дор хаяж {min} тэмдэгттэй байх ёстой.",
        "en": "A password needs at least {min} characters.",
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
    "error.language_unknown": {
        "mn": "Хэлийг жагсаалтаас сонгоно уу.",
        "en": "Choose one of the languages.",
    },
}

CATALOGUE: Final = Catalogue(MESSAGES)


def language_name(code: str) -> str:
    """The name of a language in that language (``Монгол``, ``English``), or its code if unknown."""
    texts = MESSAGES.get(f"language_name.{code}")
    return texts[code] if texts is not None and code in texts else code
