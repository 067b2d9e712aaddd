"""The one catalogue of every interface string of the program leads' report, in Mongolian and English.

Questionnaire texts (outcome labels, item wording) come from the questionnaire, in the page's language;
everything else on the report page (headings, sentences about a change, notes, caveats, the plot's
words, the explanations of each statistical term) comes from here. The report JSON keeps its technical
English; the page writes each note from its code and parameters (``Note``, ``Flag`` in
``survey.analysis.results``), never from that English.

Placeholders are filled with :meth:`str.format`. Mongolian case endings depend on the vowels of the word
they follow, so no ending is ever glued to a placeholder: numbers stand on their own, or before a noun
or a postposition ("{low} ба {high} хооронд").

Long because it is data: every string of the report in two languages, in one file for a translator;
a key without both languages fails at import (survey.web.i18n.Catalogue).
"""

from __future__ import annotations

from typing import Final

from survey.web.i18n import Catalogue

__all__ = ["CATALOGUE", "MESSAGES"]

MESSAGES: Final[dict[str, dict[str, str]]] = {
    # -- the page around the report -----------------------------------------------------------------
    "document_title": {
        "mn": "{campaign}: кампанит ажлын тайлан",
        "en": "{campaign}: campaign report",
    },
    "language": {"mn": "Хэл", "en": "Language"},
    "back": {"mn": "← Бүх кампанит ажил", "en": "← All campaigns"},
    "heading": {"mn": "{campaign}: юу өөрчлөгдсөн бэ", "en": "{campaign}: what changed"},
    "survey_title": {"mn": "Судалгаа: {title}", "en": "Survey: {title}"},
    "design.independent": {
        "mn": "Кампанит ажлын өмнө ба дараа өөр өөр хүмүүс хариулсан.",
        "en": "Different people answered before and after the campaign.",
    },
    "design.panel": {
        "mn": "Кампанит ажлын өмнө ба дараа нэг хүмүүс хариулсан бөгөөд хариулт бүрийг тухайн хүний "
        "өөрөө зохиосон кодоор холбосон.",
        "en": "The same people answered before and after the campaign, their answers linked by a "
        "code each person made up.",
    },
    "design.comparison": {
        "mn": "Кампанит ажилд хамрагдсан хүмүүс болон хамрагдаагүй харьцуулах бүлэг кампанит ажлын "
        "өмнө ба дараа хариулсан.",
        "en": "People the campaign reached and a comparison group it did not reach answered before "
        "and after the campaign.",
    },
    "intervals_are": {
        "mn": "Энэ тайлангийн бүх завсар нь {level} итгэх завсар. Нэр томьёоны тайлбар хуудасны "
        "төгсгөлд бий.",
        "en": "Every interval in this report is a {level} interval. The terms are explained at the "
        "end of the page.",
    },
    "no_data": {
        "mn": "Энэ кампанит ажилд харьцуулах хариулт хараахан алга.",
        "en": "This campaign has no answers to compare yet.",
    },
    # -- groups of respondents ----------------------------------------------------------------------
    "group.pre": {"mn": "Кампанит ажлын өмнө", "en": "Before the campaign"},
    "group.post": {"mn": "Кампанит ажлын дараа", "en": "After the campaign"},
    "group.campaign_pre": {"mn": "Кампанит ажлын бүлэг, өмнө", "en": "Campaign group, before"},
    "group.campaign_post": {"mn": "Кампанит ажлын бүлэг, дараа", "en": "Campaign group, after"},
    "group.comparison_pre": {"mn": "Харьцуулах бүлэг, өмнө", "en": "Comparison group, before"},
    "group.comparison_post": {"mn": "Харьцуулах бүлэг, дараа", "en": "Comparison group, after"},
    "group.matched pairs": {
        "mn": "Өмнө ба дараа холбогдсон хүмүүс",
        "en": "People matched before and after",
    },
    "group.change": {"mn": "Хүн бүрийн өөрчлөлт", "en": "Each person's change"},
    # -- who answered -------------------------------------------------------------------------------
    "waves.caption": {"mn": "Хэн хариулсан бэ", "en": "Who answered"},
    "col.group": {"mn": "Бүлэг", "en": "Group"},
    "col.wave": {"mn": "Судалгааны шат", "en": "Survey round"},
    "col.version": {"mn": "Асуулгын хувилбар", "en": "Questionnaire version"},
    "col.complete": {"mn": "Бүрэн бөглөсөн", "en": "Complete answers"},
    "fewer_than": {"mn": "цөөн ({min} хүрэхгүй)", "en": "fewer than {min}"},
    # -- a change in words (survey.reports.words.change_sentence) ------------------------------------
    "change.rose": {
        "mn": "Өссөн: {measure} өмнө нь {before} байсан бол дараа нь {after} болсон. Өөрчлөлт нь "
        "{diff} {unit}; {level} итгэх завсар {low} ба {high} хооронд байна.",
        "en": "Rose from {before} to {after} {measure}: a change of {diff} {unit}, with a {level} "
        "interval from {low} to {high}.",
    },
    "change.fell": {
        "mn": "Буурсан: {measure} өмнө нь {before} байсан бол дараа нь {after} болсон. Өөрчлөлт нь "
        "{diff} {unit}; {level} итгэх завсар {low} ба {high} хооронд байна.",
        "en": "Fell from {before} to {after} {measure}: a change of {diff} {unit}, with a {level} "
        "interval from {low} to {high}.",
    },
    "change.unclear": {
        "mn": "Тодорхой өөрчлөлт алга: {measure} өмнө нь {before}, дараа нь {after}; өөрчлөлт нь "
        "{diff} {unit}. Гэвч {level} итгэх завсар {low} ба {high} хооронд буюу өөрчлөлтгүй байх "
        "боломжийг багтааж байна.",
        "en": "No clear change: the {level} interval runs from {low} to {high} {unit}, which "
        "includes no change ({before} before, {after} after {measure}, a change of {diff}).",
    },
    "change.no_interval": {
        "mn": "Дүгнэлт хийх боломжгүй: {measure} өмнө нь {before}, дараа нь {after} боловч "
        "хариултуудад хэлбэлзэл байхгүй тул итгэх завсар тооцогдоогүй.",
        "en": "No conclusion can be drawn: from {before} to {after} {measure}, but the answers do "
        "not vary, so no interval can be computed.",
    },
    "did.rose": {
        "mn": "Харьцуулах бүлгээс илүү өссөн: кампанит ажлын бүлгийн өөрчлөлтөөс харьцуулах бүлгийн "
        "өөрчлөлтийг хасахад {diff} {unit}; {level} итгэх завсар {low} ба {high} хооронд байна.",
        "en": "Rose more than in the comparison group: the campaign group's change minus the "
        "comparison group's change is {diff} {unit}, with a {level} interval from {low} to {high}.",
    },
    "did.fell": {
        "mn": "Харьцуулах бүлэгтэй харьцуулахад буурсан: кампанит ажлын бүлгийн өөрчлөлтөөс "
        "харьцуулах бүлгийн өөрчлөлтийг хасахад {diff} {unit}; {level} итгэх завсар {low} ба "
        "{high} хооронд байна.",
        "en": "Fell compared with the comparison group: the campaign group's change minus the "
        "comparison group's change is {diff} {unit}, with a {level} interval from {low} to {high}.",
    },
    "did.unclear": {
        "mn": "Харьцуулах бүлгээс тодорхой ялгаа алга: кампанит ажлын бүлгийн өөрчлөлтөөс "
        "харьцуулах бүлгийн өөрчлөлтийг хасахад {diff} {unit} боловч {level} итгэх завсар {low} "
        "ба {high} хооронд буюу ялгаагүй байх боломжийг багтааж байна.",
        "en": "No clear difference from the comparison group: the campaign group's change minus the "
        "comparison group's change is {diff} {unit}, and the {level} interval, from {low} to "
        "{high}, includes no difference.",
    },
    "did.no_interval": {
        "mn": "Дүгнэлт хийх боломжгүй: хоёр бүлгийн өөрчлөлтийн зөрүү {diff} {unit} боловч "
        "хариултуудад хэлбэлзэл байхгүй тул итгэх завсар тооцогдоогүй.",
        "en": "No conclusion can be drawn: the difference between the two groups' changes is "
        "{diff} {unit}, but the answers do not vary, so no interval can be computed.",
    },
    "did.levels": {
        "mn": "Кампанит ажлын бүлэг: өмнө нь {campaign_before}, дараа нь {campaign_after}. "
        "Харьцуулах бүлэг: өмнө нь {comparison_before}, дараа нь {comparison_after}.",
        "en": "Campaign group: {campaign_before} before, {campaign_after} after. Comparison group: "
        "{comparison_before} before, {comparison_after} after.",
    },
    # -- the change taking into account who answered (independent samples) --------------------------
    "adjusted.rose": {
        "mn": "Хариулагчдын бүрэлдэхүүнийг тооцвол: {diff} {unit} буюу өссөн ({level} итгэх завсар "
        "{low} ба {high} хооронд).",
        "en": "Taking into account who answered: rose by {diff} {unit} ({level} interval {low} to "
        "{high}).",
    },
    "adjusted.fell": {
        "mn": "Хариулагчдын бүрэлдэхүүнийг тооцвол: {diff} {unit} буюу буурсан ({level} итгэх "
        "завсар {low} ба {high} хооронд).",
        "en": "Taking into account who answered: fell by {diff} {unit} ({level} interval {low} to "
        "{high}).",
    },
    "adjusted.unclear": {
        "mn": "Хариулагчдын бүрэлдэхүүнийг тооцвол: тодорхой өөрчлөлт алга, {diff} {unit} ({level} "
        "итгэх завсар {low} ба {high} хооронд буюу өөрчлөлтгүй байх боломжийг багтаана).",
        "en": "Taking into account who answered: no clear change, {diff} {unit} ({level} interval "
        "{low} to {high}, which includes no change).",
    },
    "adjusted.no_interval": {
        "mn": "Хариулагчдын бүрэлдэхүүнийг тооцвол: өөрчлөлт нь {diff} {unit} боловч итгэх завсар "
        "тооцох боломжгүй.",
        "en": "Taking into account who answered: a change of {diff} {unit}, but no interval can be "
        "computed.",
    },
    "change.none": {
        "mn": "Тооцоолол харуулах боломжгүй: аль нэг бүлэгт хариулагч хэт цөөн, эсвэл өгөгдөл алга.",
        "en": "No estimate can be shown: a group has too few people, or no answers.",
    },
    "change.not_comparable": {
        "mn": "Харьцуулах боломжгүй: судалгааны шатуудын хооронд асуултууд нь өөрчлөгдсөн.",
        "en": "Cannot be compared: its questions changed between the survey rounds.",
    },
    "verdict.rose": {"mn": "Өссөн", "en": "Rose"},
    "verdict.fell": {"mn": "Буурсан", "en": "Fell"},
    "verdict.unclear": {"mn": "Тодорхой өөрчлөлтгүй", "en": "No clear change"},
    "verdict.none": {"mn": "Тооцоогүй", "en": "No estimate"},
    # What the numbers of a kind of outcome are (after the "after" number in English; the subject
    # of the sentence in Mongolian), and the unit of their difference.
    "measure.score": {"mn": "зөв хариултын хувь", "en": "correct"},
    "measure.item": {"mn": "зөв хариулсан хүмүүсийн хувь", "en": "answering correctly"},
    "measure.proportion": {"mn": "хүмүүсийн хувь", "en": "of people"},
    "measure.scale": {"mn": "дундаж оноо", "en": "on average"},
    "unit.percent": {"mn": "нэгж хувь", "en": "percentage points"},
    "unit.scale": {"mn": "оноо (1–{points} хэмжүүр)", "en": "on a 1–{points} scale"},
    "unit.scale_plain": {"mn": "оноо", "en": "points"},
    # -- standardised effects -----------------------------------------------------------------------
    "effect.hedges_g": {"mn": "Хеджесийн g", "en": "Hedges' g"},
    "effect.cohens_h": {"mn": "Коэны h", "en": "Cohen's h"},
    "effect.d_z": {"mn": "Коэны dz", "en": "Cohen's dz"},
    "effect.d_av": {"mn": "Коэны dav", "en": "Cohen's dav"},
    "effect.standardized_difference_in_differences": {
        "mn": "өөрчлөлтийн стандартчилсан зөрүү",
        "en": "standardised difference of changes",
    },
    "std.line": {
        "mn": "Стандартчилсан нөлөө ({name}): {estimate}; {level} итгэх завсар {low} ба {high} "
        "хооронд. {size}",
        "en": "Standardised effect ({name}): {estimate}, with a {level} interval from {low} to "
        "{high}. {size}",
    },
    "std.none": {
        "mn": "Стандартчилсан нөлөө ({name}) тооцох боломжгүй.",
        "en": "No standardised effect ({name}) can be computed.",
    },
    "size.below": {
        "mn": "Коэны жишгээр «бага» гэх хэмжээнд ч хүрэхгүй нөлөө.",
        "en": "The estimate is below what Cohen's conventions call small.",
    },
    "size.small": {
        "mn": "Коэны жишгээр бага хэмжээний нөлөө.",
        "en": "By Cohen's conventions the estimate is small.",
    },
    "size.medium": {
        "mn": "Коэны жишгээр дунд хэмжээний нөлөө.",
        "en": "By Cohen's conventions the estimate is medium.",
    },
    "size.large": {
        "mn": "Коэны жишгээр их хэмжээний нөлөө.",
        "en": "By Cohen's conventions the estimate is large.",
    },
    "size.word.small": {"mn": "бага", "en": "small"},
    "size.word.medium": {"mn": "дунд", "en": "medium"},
    "size.word.large": {"mn": "их", "en": "large"},
    # -- how many people are behind a number --------------------------------------------------------
    "sizes.two": {
        "mn": "Хариулсан хүний тоо: өмнө нь {before}, дараа нь {after}.",
        "en": "People who answered: {before} before, {after} after.",
    },
    "sizes.panel": {
        "mn": "Хоёр удаа хариулж, кодоороо холбогдсон хүний тоо: {matched}.",
        "en": "People who answered both times and were matched by their code: {matched}.",
    },
    "sizes.comparison": {
        "mn": "Хариулсан хүний тоо: кампанит ажлын бүлэг өмнө нь {campaign_before}, дараа нь "
        "{campaign_after}; харьцуулах бүлэг өмнө нь {comparison_before}, дараа нь "
        "{comparison_after}.",
        "en": "People who answered: campaign group {campaign_before} before, {campaign_after} "
        "after; comparison group {comparison_before} before, {comparison_after} after.",
    },
    # -- reverse-coded statements -------------------------------------------------------------------
    "reverse.item": {
        "mn": "Урвуу утгатай өгүүлбэр: хэмжүүрт эсрэгээр нь тооцдог тул буурах нь сайн.",
        "en": "Reverse-coded statement: it counts reversed in the scale, so a fall is good.",
    },
    "reverse.scale": {
        # {end} is the full stop, left out when the last statement quoted already ends a sentence.
        "mn": "Энэ хэмжүүрт эсрэгээр нь тооцсон өгүүлбэрүүд (тэдгээртэй санал нийлэх нь хүсээгүй "
        "хариулт): {items}{end}",
        "en": "Counted reversed in this scale, because agreeing with them is the less desirable "
        "answer: {items}{end}",
    },
    "list.and": {"mn": " ба ", "en": " and "},
    # -- the forest plot ----------------------------------------------------------------------------
    "plot.heading": {"mn": "Стандартчилсан нөлөө", "en": "Standardised effects"},
    "plot.title": {
        "mn": "Стандартчилсан нөлөө ба тэдгээрийн {level} итгэх завсар",
        "en": "Standardised effects with their {level} intervals",
    },
    "plot.panel.means": {"mn": "Дундаж ба оноо: {name}", "en": "Averages and scores: {name}"},
    "plot.panel.shares": {"mn": "Хүмүүсийн хувь: {name}", "en": "Shares of people: {name}"},
    "plot.axis": {"mn": "Стандартчилсан нөлөө ({name})", "en": "Standardised effect ({name})"},
    "plot.fall": {"mn": "← бууралт", "en": "← fall"},
    "plot.rise": {"mn": "өсөлт →", "en": "rise →"},
    "plot.row": {
        "mn": "{estimate}; итгэх завсар {low} ба {high} хооронд",
        "en": "{estimate}, interval {low} to {high}",
    },
    "plot.desc_row": {
        "mn": "{label}: {name} {estimate}; {level} итгэх завсар {low} ба {high} хооронд.",
        "en": "{label}: {name} {estimate}, {level} interval from {low} to {high}.",
    },
    "plot.desc_guides": {
        "mn": "Бүдэг шугамууд нь Коэны жишгээр бага (0,2), дунд (0,5), их (0,8) нөлөөг заана.",
        "en": "Faint lines mark what Cohen's conventions call small (0.2), medium (0.5) and large "
        "(0.8) effects.",
    },
    "plot.desc_group": {
        "mn": "{label}: өөрчлөлт {estimate}; {level} итгэх завсар {low} ба {high} хооронд.",
        "en": "{label}: a change of {estimate}, {level} interval from {low} to {high}.",
    },
    "plot.empty_groups": {
        "mn": "Ангилал бүрийн өөрчлөлтийг харуулах боломжгүй.",
        "en": "No group's change can be shown.",
    },
    "plot.empty": {
        "mn": "Стандартчилсан нөлөө харуулах боломжгүй.",
        "en": "No standardised effect can be shown.",
    },
    "plot.legend": {
        "mn": "Цэг нь тооцоолсон утга, түүний хэвтээ шугам нь {level} итгэх завсар, тасархай шугам "
        "нь өөрчлөлтгүй байдал (тэг). Бүдэг шугамууд нь Коэны жишгээр бага (0,2), дунд (0,5), их "
        "(0,8) нөлөөг заана: эдгээр нь ерөнхий жишиг, үнэлэмж биш.",
        "en": "A dot is the estimate, its line the {level} interval, the dashed line no change "
        "(zero). Faint lines mark what Cohen's conventions call small (0.2), medium (0.5) and large "
        "(0.8): rules of thumb, not verdicts.",
    },
    "plot.not_plotted": {
        "mn": "Стандартчилсан нөлөө тооцдоггүй тул графикт ороогүй: {items}. Тэдгээрийн өөрчлөлт "
        "дээрх тайлбар болон доорх хүснэгтэд бий.",
        "en": "Not in the plot, because no standardised effect is computed for them: {items}. Their "
        "change is given above and in the table below.",
    },
    # -- caveats ------------------------------------------------------------------------------------
    "caveats.heading": {
        "mn": "Энэ загвараар юуг хэлж болох, юуг хэлж болохгүй вэ",
        "en": "What this design can and cannot claim",
    },
    "caveat.independent": {
        "mn": "Өмнө ба дараа нь өөр өөр хүмүүс хариулсан. Хариулагчдын бүрэлдэхүүн (нас, газар, "
        "хэнд хүрсэн) өөрчлөгдсөн бол тэр нь кампанит ажлын нөлөө мэт харагдаж болно.",
        "en": "Different people answered before and after. If the kind of people who answered "
        "changed (age, place, who was reached), that change can look like an effect of the "
        "campaign.",
    },
    "caveat.panel": {
        "mn": "Нэг хүмүүс өмнө ба дараа нь хариулсан тул зөвхөн хоёр удаа хариулж, кодоороо "
        "холбогдсон хүмүүсийг харьцуулсан. Дараагийн шатанд оролцоогүй хүмүүс үлдсэн хүмүүсээс "
        "ялгаатай байж болно. Кампанит ажлаас өөр шалтгаанаар (цаг хугацаа, бусад үйл явдал) "
        "гарсан өөрчлөлтийг ч энэ загвар ялгаж чадахгүй.",
        "en": "The same people answered before and after, so only those who answered both times "
        "and were matched by their code are compared; those who dropped out may differ from those "
        "who stayed. Nor can this design tell the campaign from anything else that happened in "
        "the meantime.",
    },
    "caveat.comparison": {
        "mn": "Нөлөө нь кампанит ажлын бүлгийн өөрчлөлтөөс харьцуулах бүлгийн өөрчлөлтийг хассан "
        "дүн. Кампанит ажил байгаагүй бол хоёр бүлэг адилхан өөрчлөгдөх байсан гэж үздэг; үүнийг "
        "өгөгдлөөр батлах боломжгүй.",
        "en": "The effect is the change in the campaign group minus the change in the comparison "
        "group. It assumes both groups would have changed alike without the campaign; nothing in "
        "the data can prove that.",
    },
    "caveats.flags": {"mn": "Анхааралтай унших зүйлс", "en": "Read with care"},
    "flag.incomparable_items": {
        "mn": "Судалгааны шатуудын хооронд өөрчлөгдсөн тул харьцуулалтаас хассан асуултын тоо: "
        "{count}. Тэдгээрийг доор жагсаасан.",
        "en": "Questions left out of the comparison because they changed between the survey "
        "rounds: {count}. They are listed below.",
    },
    "flag.missing_wave": {
        "mn": "{group}: энэ шатны судалгаа алга тул нөлөөг тооцох боломжгүй.",
        "en": "{group}: this survey round is missing, so the effects cannot be estimated.",
    },
    "flag.small_sample": {
        "mn": "Хариулагч цөөн (бүлэгт {threshold} хүрэхгүй) тул итгэх завсар өргөн: {subjects}.",
        "en": "Few people answered (fewer than {threshold} in a group), so the intervals are "
        "wide: {subjects}.",
    },
    "flag.small_sample_many": {
        "mn": "Хариулагч цөөн (бүлэгт {threshold} хүрэхгүй) тул нийт {total} үзүүлэлт, асуултаас "
        "{count} нь өргөн итгэх завсартай.",
        "en": "Few people answered (fewer than {threshold} in a group) for {count} of the {total} "
        "outcomes and questions, so their intervals are wide.",
    },
    "flag.small_cell": {
        "mn": "Аль нэг бүлэгт {threshold} хүрэхгүй хүн байгаа тул тоог нь харуулаагүй: {subjects}.",
        "en": "A group has fewer than {threshold} people, so no numbers are shown for it: "
        "{subjects}.",
    },
    "flag.small_cell_many": {
        "mn": "Аль нэг бүлэгт {threshold} хүрэхгүй хүн байгаа тул нийт {total} үзүүлэлт, "
        "асуултаас {count} нь тоогоо харуулаагүй.",
        "en": "For {count} of the {total} outcomes and questions a group has fewer than "
        "{threshold} people, so no numbers are shown for it.",
    },
    "flag.skipped_reading": {
        "mn": "Алгассан асуултыг буруу хариулт биш, хариулаагүй гэж тооцвол дараах үр дүнгийн "
        "дүгнэлт өөр гарна: {subjects}. Тэдгээрийг болгоомжтой уншина уу.",
        "en": "Counting skipped questions as not answered, rather than as wrong, changes the "
        "conclusion for: {subjects}. Read them with care.",
    },
    "flag.skipped_reading_many": {
        "mn": "Алгассан асуултыг буруу хариулт биш, хариулаагүй гэж тооцвол нийт {total} "
        "үзүүлэлт, асуултаас {count} нь өөр дүгнэлттэй гарна. Тэдгээрийг болгоомжтой уншина уу.",
        "en": "Counting skipped questions as not answered, rather than as wrong, changes the "
        "conclusion for {count} of the {total} outcomes and questions. Read them with care.",
    },
    "flag.low_reliability": {
        "mn": "{subject}: өгүүлбэрүүдэд өгсөн хариулт хоорондоо сул уялдаатай ({group}: "
        "Кронбахын альфа {alpha}, босго {threshold}) тул нэг зүйлийг хэмжиж чадахгүй байж "
        "магадгүй.",
        "en": "{subject}: its statements are answered with little consistency ({group}: "
        "Cronbach's alpha {alpha}, below {threshold}), so they may not measure one thing.",
    },
    "flag.low_match_rate": {
        "mn": "Кодоор холбогдсон хүн цөөн: цөөн хариулагчтай шатны зөвхөн {rate} (босго "
        "{threshold}). Холбогдсон хүмүүс нийт хариулагчдыг төлөөлөхгүй байж магадгүй.",
        "en": "Only {rate} of the smaller survey round could be matched by code (below "
        "{threshold}): the matched people may not represent everyone who answered.",
    },
    "flag.duplicate_panel_keys": {
        "mn": "Судалгааны шат {wave}: өмнө ашиглагдсан кодтой хариултын тоо {count}; код бүрийн "
        "сүүлийн хариултыг авсан.",
        "en": "Survey round {wave}: {count} answers used a code already used; the last answers of "
        "each code are kept.",
    },
    # -- notes of the whole report ------------------------------------------------------------------
    "notes.heading": {"mn": "Тэмдэглэл", "en": "Notes"},
    "note.panel_matched": {
        "mn": "Өмнө ба дараа хоёуланд нь хариулж, кодоороо холбогдсон хүний тоо {matched} (цөөн "
        "хариулагчтай шатны {rate}; өмнө нь {pre}, дараа нь {post} хүн бүрэн хариулсан).",
        "en": "{matched} people answered both before and after and were matched by their code "
        "({rate} of the smaller survey round; {pre} answered before, {post} after).",
    },
    "note.panel_attrition": {
        "mn": "Өмнө хариулсан хүмүүсийн {attrition} нь дараагийн шатанд олдоогүй.",
        "en": "Of those who answered before, {attrition} were not found after.",
    },
    "note.panel_no_keys": {
        "mn": "Судалгааны шат {wave}: код алга тул хэнийг ч холбох боломжгүй.",
        "en": "Survey round {wave}: there are no codes, so no one can be matched.",
    },
    "note.panel_without_key": {
        "mn": "Судалгааны шат {wave}: кодгүй бүрэн хариултын тоо {count}; тэдгээрийг холбох "
        "боломжгүй.",
        "en": "Survey round {wave}: {count} complete answers have no code and cannot be matched.",
    },
    "note.panel_nothing_to_match": {
        "mn": "Холбох хариулт алга: аль нэг шатанд бүрэн хариулт байхгүй.",
        "en": "No one can be matched: a survey round has no complete answers.",
    },
    "note.unused_wave": {
        "mn": "Судалгааны шат {wave} энэ загварт ашиглагдаагүй.",
        "en": "Survey round {wave} is not used by this design.",
    },
    "note.cluster_item_not_choice": {
        "mn": "Судалгааны шат {wave}: бүлэглэх асуулт нь асуулгын энэ хувилбарт сонголттой асуулт "
        "биш тул бүлэглээгүй.",
        "en": "Survey round {wave}: the grouping question is not a choice question in this "
        "version of the questionnaire, so its answers are not grouped.",
    },
    "note.clusters": {
        "mn": "Хариулагчдыг «{item}» асуултаар бүлэглэсэн (бүлгийн тоо {count}); нэг бүлгийн "
        "хүмүүс ижил төстэй хариулах хандлагыг итгэх завсарт тооцсон.",
        "en": "People are grouped by the question “{item}” ({count} groups); the intervals allow "
        "for people in the same group answering alike.",
    },
    "note.clusters_unnamed": {
        "mn": "Хариулагчдыг бүлэглэсэн (бүлгийн тоо {count}); нэг бүлгийн хүмүүс ижил төстэй "
        "хариулах хандлагыг итгэх завсарт тооцсон.",
        "en": "People are grouped ({count} groups); the intervals allow for people in the same "
        "group answering alike.",
    },
    "note.few_clusters": {
        "mn": "Бүлгийн тоо {threshold} хүрэхгүй үед ийм итгэх завсар хэт нарийн гарч болно.",
        "en": "With fewer than {threshold} groups, such intervals can be too narrow.",
    },
    "note.covariate_left_out": {
        "mn": "«{item}» асуулт судалгааны шат бүрт ижил асуугдаагүй тул хариулагчдын бүрэлдэхүүнийг "
        "тооцсон үнэлгээнд ороогүй.",
        "en": "“{item}” is not taken into account in the estimates adjusted for who answered: it "
        "was not asked alike in every survey round.",
    },
    "note.subgroup_left_out": {
        "mn": "«{item}» асуулт судалгааны шат бүрт ижил асуугдаагүй тул түүгээр ангилж нөлөөг "
        "тооцоогүй.",
        "en": "The effects are not broken down by “{item}”: it was not asked alike in every survey "
        "round.",
    },
    # -- notes of one outcome or item ---------------------------------------------------------------
    "note.adjusted_failed": {
        "mn": "Эдгээр хариултаар хариулагчдын бүрэлдэхүүнийг тооцсон үнэлгээ гаргах боломжгүй.",
        "en": "No estimate that takes into account who answered can be computed from these answers.",
    },
    "note.adjusted_dropped": {
        "mn": "Бүрэлдэхүүнийг тооцоход ашигласан асуултад хариулаагүй {count} хүнийг тэр үнэлгээнд "
        "оруулаагүй.",
        "en": "{count} people who did not answer a question used to take into account who answered "
        "are left out of that estimate.",
    },
    "note.adjusted_few": {
        "mn": "Бүрэлдэхүүнийг тооцсон үнэлгээ нь харгалзан үзсэн шинж чанаруудын тоонд харьцуулахад "
        "цөөн хүнд тулгуурласан тул тогтворгүй байж болно.",
        "en": "The estimate that takes into account who answered rests on few people for the number "
        "of characteristics it allows for, so it may be unstable.",
    },
    "note.interaction_untestable": {
        "mn": "«{item}» асуултын ангилал хооронд өөрчлөлт ялгаатай эсэхийг эдгээр хариултаар шалгах "
        "боломжгүй.",
        "en": "Whether the change differs between the groups of “{item}” cannot be tested with these "
        "answers.",
    },
    "note.interaction_few_clusters": {
        "mn": "«{item}»: бүлгийн тоо ердөө {count} ({threshold} хүрэхгүй) тул ангилал хооронд "
        "өөрчлөлт ялгаатай эсэхийг шалгах тест ялгааг хэт амархан илрүүлж болзошгүй.",
        "en": "“{item}”: with only {count} clusters (fewer than {threshold}), the test of whether the "
        "change differs between its groups can find a difference too easily.",
    },
    "note.hidden_with": {
        "mn": "Цөөн хүнтэй бүлгийн тоог нийт дүнгээс тооцоолж олохоос сэргийлж харуулаагүй.",
        "en": "Not shown, so that the numbers of a smaller group cannot be worked out from the "
        "totals.",
    },
    "note.outcome_items_left_out": {
        "mn": "Нийт {declared} асуултаас {used} асуултаар тооцсон; өөрчлөгдсөн тул хассан: {items}.",
        "en": "Computed on {used} of its {declared} questions; left out because they changed: "
        "{items}.",
    },
    "note.outcome_defined_differently": {
        "mn": "Асуулгын {version} дугаар хувилбарт үүнийг өөрөөр тодорхойлсон; {used} дугаар "
        "хувилбарын тодорхойлолтыг ашигласан.",
        "en": "Version {version} of the questionnaire defines this differently; the definition "
        "of version {used} is used.",
    },
    "note.alpha_needs_two_items": {
        "mn": "Харьцуулж болох өгүүлбэр 2 хүрэхгүй тул найдвартай байдлыг тооцоогүй.",
        "en": "Its reliability is not computed: fewer than 2 of its statements can be compared.",
    },
    "note.alpha_undefined": {
        "mn": "{group}: найдвартай байдлыг тооцох боломжгүй (хариултуудад хэлбэлзэл хангалтгүй).",
        "en": "{group}: its reliability cannot be computed (the answers vary too little).",
    },
    "note.partial_credit": {
        "mn": "Олон сонголттой асуулт: бүх сонголтыг зөв хийсэн хүнийг л зөв хариулсан гэж тооцсон.",
        "en": "A question with several answers to choose: counted correct only when every choice "
        "is right.",
    },
    # For the "corrected" scoring of multi-choice items on main (stats): the item's row is the share
    # answering every choice right, while the knowledge score corrects for guessing.
    "note.guessing_corrected": {
        "mn": "Олон сонголттой асуулт: бүх сонголтыг зөв хийсэн хүнийг л зөв хариулсан гэж тооцсон; "
        "мэдлэгийн оноонд таамаглан хариулсныг засварласан.",
        "en": "A question with several answers to choose: counted correct only when every choice "
        "is right; the knowledge score corrects it for guessing.",
    },
    "note.skipped_reading": {
        "mn": "Алгассан асуултыг буруу хариулт биш, хариулаагүй гэж тооцвол дүгнэлт «{verdict}» "
        "болж өөрчлөгдөнө: өөрчлөлт нь {diff} {unit}; {level} итгэх завсар {low} ба {high} "
        "хооронд байна.",
        "en": "Counted as not answered rather than as wrong, skipped questions change the "
        "conclusion to “{verdict}”: a change of {diff} {unit}, with a {level} interval from {low} "
        "to {high}.",
    },
    "note.too_few": {
        "mn": "Бүлэгт {min} хүрэхгүй хүн байгаа тул тоог нь харуулаагүй.",
        "en": "A group has fewer than {min} people, so its numbers are not shown.",
    },
    "note.no_respondents": {
        "mn": "Хариулагчгүй бүлэг: {groups}. Тооцоолол хийгээгүй.",
        "en": "No one answered in: {groups}. No estimate.",
    },
    "note.small_sample": {
        "mn": "Хариулагч цөөн ({sizes}) тул итгэх завсар өргөн.",
        "en": "Few people answered ({sizes}), so the interval is wide.",
    },
    "note.cluster_unlabelled": {
        "mn": "Бүлэглэх асуултад хариулаагүй {count} хүнийг нөлөөний тооцооноос хассан.",
        "en": "{count} people who did not answer the grouping question are left out of the effect.",
    },
    "note.cluster_fallback": {
        "mn": "Бүлэг 2 хүрэхгүй тул итгэх завсарт бүлэглэлтийг тооцоогүй.",
        "en": "Fewer than two groups: the interval does not allow for grouping.",
    },
    # -- who answered before and after (the covariates' balance) ------------------------------------
    "balance.heading": {
        "mn": "Хэн хариулсан бэ: өмнө ба дараа",
        "en": "Who answered, before and after",
    },
    "balance.intro": {
        "mn": "Өмнө ба дараа нь өөр өөр хүмүүс хариулсан тул тэдний шинж чанарыг энд харьцуулав. "
        "Ялгаатай бол үр дүнгийн карт бүрт тэр ялгааг тооцсон өөрчлөлтийг мөн өгсөн.",
        "en": "Different people answered before and after, so here they are compared. Where they "
        "differ, each outcome's card also gives the change taking that difference into account.",
    },
    "col.answer": {"mn": "Хариулт", "en": "Answer"},
    "balance.share": {"mn": "{n} ({share})", "en": "{n} ({share})"},
    "balance.mean": {"mn": "Дундаж (стандарт хазайлт)", "en": "Average (standard deviation)"},
    "balance.mean_sd": {"mn": "{mean} ({sd})", "en": "{mean} ({sd})"},
    "balance.not_answered": {"mn": "Хариулаагүй", "en": "Not answered"},
    "balance.differs": {
        "mn": "Стандартчилсан зөрүү {d}: хоёр шатны хариулагчид энэ талаараа мэдэгдэхүйц ялгаатай "
        "({threshold} ба түүнээс дээш).",
        "en": "Standardised difference {d}: the two rounds' people differ noticeably in this "
        "({threshold} or more).",
    },
    "balance.alike": {
        "mn": "Стандартчилсан зөрүү {d}: хоёр шатны хариулагчид энэ талаараа ойролцоо ({threshold} "
        "хүрэхгүй).",
        "en": "Standardised difference {d}: the two rounds' people are alike in this (under "
        "{threshold}).",
    },
    "balance.no_difference": {
        "mn": "Стандартчилсан зөрүүг тооцох боломжгүй.",
        "en": "No standardised difference can be computed.",
    },
    # -- where did it change (changes by group) ------------------------------------------------------
    "groups.heading": {"mn": "Хаана, хэнд өөрчлөгдсөн бэ", "en": "Where did it change?"},
    "groups.intro": {
        "mn": "Үр дүн бүрийн өөрчлөлтийг хүмүүсийн ангилал тус бүрээр, {level} итгэх завсрын хамт "
        "харуулав. Ангилал хооронд өөрчлөлт ялгаатай эсэхийг график бүрийн доорх шалгалт хэлнэ: нэг "
        "ангиллын завсар тэгийг багтааж, нөгөөгийнх багтаахгүй байх нь ялгааг нотлохгүй.",
        "en": "Each outcome's change within groups of people, with its {level} interval. Whether "
        "the change differs between the groups is told by the test under each plot: one group's "
        "interval including zero while another's does not is no proof of a difference.",
    },
    "groups.not_adjusted": {
        "mn": "Эдгээр нь ангилал доторх өөрчлөлт бөгөөд хариулагчдын бүрэлдэхүүний ялгааг тооцоогүй.",
        "en": "These are the changes within each group, not adjusted for who answered.",
    },
    "groups.everyone": {"mn": "Бүх хариулагч", "en": "Everyone"},
    "groups.differ": {
        "mn": "{item}: ангилал хооронд өөрчлөлт ялгаатай (харилцан нөлөөллийн шалгалт, "
        "тохируулсан {p}).",
        "en": "{item}: the change differs between the groups (test of interaction, adjusted {p}).",
    },
    "groups.cannot_tell": {
        "mn": "{item}: ангилал хооронд өөрчлөлт ялгаатай эсэхийг хариултаар ялгах боломжгүй "
        "(харилцан нөлөөллийн шалгалт, тохируулсан {p}).",
        "en": "{item}: the answers cannot tell whether the change differs between the groups (test "
        "of interaction, adjusted {p}).",
    },
    "groups.axis_percent": {
        "mn": "Өөрчлөлт, нэгж хувиар",
        "en": "Change, in percentage points",
    },
    "groups.axis_scale": {"mn": "Өөрчлөлт: {unit}", "en": "Change, {unit}"},
    "groups.axis_percent_did": {
        "mn": "Өөрчлөлтийн зөрүү, нэгж хувиар",
        "en": "Difference of changes, in percentage points",
    },
    "groups.axis_scale_did": {
        "mn": "Өөрчлөлтийн зөрүү: {unit}",
        "en": "Difference of changes, {unit}",
    },
    "groups.plot_title": {
        "mn": "{label}: ангилал бүрийн өөрчлөлт ба түүний итгэх завсар",
        "en": "{label}: the change in each group, with its interval",
    },
    "groups.numbers": {"mn": "Тоогоор", "en": "The numbers"},
    "col.people_four": {
        "mn": "Хүний тоо (кампанит ажлын бүлэг өмнө · дараа · харьцуулах бүлэг өмнө · дараа)",
        "en": "People (campaign group before · after · comparison group before · after)",
    },
    "col.p_groups": {
        "mn": "Тохируулсан p (ангиллуудын дунд)",
        "en": "Adjusted p (across the groups)",
    },
    "more.print": {
        "mn": "Цаасан дээр энэ хэсэг ордоггүй.",
        "en": "On paper this part is left out.",
    },
    "more.print_link": {
        "mn": "Энэ хэсгийг хамт хэвлэх",
        "en": "Print it too",
    },
    # -- questions left out -------------------------------------------------------------------------
    "left_out.heading": {
        "mn": "Харьцуулалтаас хассан асуултууд",
        "en": "Questions left out of the comparison",
    },
    "left_out.changed": {
        "mn": "{label}: асуулгын {first} ба {changed} дугаар хувилбарын хооронд өөрчлөгдсөн.",
        "en": "{label}: changed between versions {first} and {changed} of the questionnaire.",
    },
    "left_out.missing": {
        "mn": "{label}: асуулгын {versions} дугаар хувилбарт ороогүй.",
        "en": "{label}: not asked in version {versions} of the questionnaire.",
    },
    # -- tables -------------------------------------------------------------------------------------
    "details.heading": {"mn": "Дэлгэрэнгүй тоо", "en": "The numbers in detail"},
    "family.outcomes": {"mn": "Үр дүнгийн үзүүлэлтүүд", "en": "Outcomes"},
    "family.knowledge": {
        "mn": "Мэдлэгийн асуултууд (зөв хариулсан хүмүүсийн хувь)",
        "en": "Knowledge questions (share answering correctly)",
    },
    "family.attitude": {
        "mn": "Хандлагын өгүүлбэрүүд (санал нийлэлтийн дундаж оноо)",
        "en": "Attitude statements (average agreement)",
    },
    "col.outcome": {"mn": "Үзүүлэлт", "en": "Outcome"},
    "col.question": {"mn": "Асуулт", "en": "Question"},
    "col.people": {"mn": "Хүний тоо", "en": "People"},
    "col.people_before_after": {"mn": "Хүний тоо (өмнө · дараа)", "en": "People (before · after)"},
    "col.before": {"mn": "Өмнө", "en": "Before"},
    "col.after": {"mn": "Дараа", "en": "After"},
    "col.change": {"mn": "Өөрчлөлт", "en": "Change"},
    "col.change_did": {"mn": "Өөрчлөлтийн зөрүү", "en": "Difference of changes"},
    "col.interval": {"mn": "Итгэх завсар ({level})", "en": "{level} interval"},
    "col.p": {"mn": "Тохируулсан p", "en": "Adjusted p"},
    # An interval in a table cell, under a column that says what it is.
    "interval": {"mn": "{low} … {high}", "en": "{low} to {high}"},
    "tables.units": {
        "mn": "Хувь нь хүмүүсийн эзлэх хувь; түүний өөрчлөлтийг нэгж хувиар илэрхийлсэн. Дундаж нь "
        "хариултын хэмжүүрийн (жишээ нь 1–5) оноо. 5 хүрэхгүй хүнтэй бүлгийн тоог харуулаагүй.",
        "en": "Percentages are shares of people, and their changes are in percentage points. "
        "Averages are on the answer scale (such as 1–5). No group of fewer than 5 people is shown.",
    },
    "tables.marks": {
        "mn": "▲ өссөн, ▼ буурсан: итгэх завсар бүхэлдээ тэгээс дээш эсвэл доош байна. Тэмдэггүй "
        "мөрөнд тодорхой өөрчлөлт алга.",
        "en": "▲ rose, ▼ fell: the whole interval lies above or below zero. A row without a mark "
        "shows no clear change.",
    },
    "tables.did": {
        "mn": "Өөрчлөлтийн зөрүү = кампанит ажлын бүлгийн өөрчлөлт хасах харьцуулах бүлгийн "
        "өөрчлөлт.",
        "en": "Difference of changes = the campaign group's change minus the comparison group's "
        "change.",
    },
    # -- reliability --------------------------------------------------------------------------------
    "reliability.caption": {
        "mn": "Хэмжүүрийн найдвартай байдал: Кронбахын альфа, хаалтад {level} итгэх завсар",
        "en": "Reliability of the scales: Cronbach's alpha, its {level} interval in brackets",
    },
    "col.scale": {"mn": "Хэмжүүр", "en": "Scale"},
    "not_shown": {"mn": "харуулаагүй", "en": "not shown"},
    # -- the terms, explained -----------------------------------------------------------------------
    "terms.heading": {"mn": "Нэр томьёоны тайлбар", "en": "What the terms mean"},
    "term.interval": {
        "mn": "Итгэх завсар ({level})",
        "en": "Interval ({level} confidence interval)",
    },
    "term.interval.body": {
        "mn": "Хариултад нийцэх өөрчлөлтийн хүрээ. Судалгааг олон дахин давтвал ийм завсрын {level} "
        "нь бодит өөрчлөлтийг агуулна. Завсар тэгийг багтааж байвал хариултаар өсөлт, бууралтыг "
        "ялгах боломжгүй тул энэ тайланд «тодорхой өөрчлөлт алга» гэж бичдэг; «өссөн», «буурсан» "
        "гэж зөвхөн завсар бүхэлдээ тэгээс дээш эсвэл доош байхад бичнэ.",
        "en": "The range of changes that fit the answers. If the survey were repeated many times, "
        "{level} of such intervals would contain the true change. When the interval includes zero, "
        "the answers cannot tell a rise from a fall, and this report says “no clear change”; it "
        "says “rose” or “fell” only when the whole interval lies above or below zero.",
    },
    "term.percentage_points": {"mn": "Нэгж хувь", "en": "Percentage points"},
    "term.percentage_points.body": {
        "mn": "Хоёр хувийн зөрүү: 46 хувиас 61 хувь болбол 15 нэгж хувиар өссөн гэсэн үг.",
        "en": "The difference between two percentages: from 46% to 61% is a rise of 15 percentage "
        "points.",
    },
    "term.standardised": {"mn": "Стандартчилсан нөлөө", "en": "Standardised effect"},
    "term.standardised.body": {
        "mn": "Өөрчлөлтийг хүмүүсийн хариултын хэлбэлзэлд (стандарт хазайлтад) хуваасан хэмжээ; "
        "ингэснээр өөр өөр нэгжээр хэмжсэн өөрчлөлтийг зэрэгцүүлж болно. Хеджесийн g нь өөр өөр "
        "хүмүүсийн дунджийг, Коэны h нь хүмүүсийн хувийг, Коэны dz нь нэг хүмүүсийн өөрчлөлтийг "
        "харьцуулна. Харьцуулах бүлэгтэй загварт хоёр бүлгийн өөрчлөлтийн зөрүүг кампанит ажлын "
        "өмнөх хариултын хэлбэлзэлд хуваадаг.",
        "en": "The change divided by how much answers vary between people (the standard "
        "deviation), so that changes measured in different units can be set side by side. "
        "Hedges' g compares the averages of different people, Cohen's h compares shares of "
        "people, and Cohen's dz compares the changes of the same people. With a comparison group, "
        "the difference between the two groups' changes is divided by the spread of answers "
        "before the campaign.",
    },
    "term.conventions": {"mn": "Коэны жишиг: бага, дунд, их", "en": "Cohen's conventions"},
    "term.conventions.body": {
        "mn": "Коэн (1988) стандартчилсан нөлөөний 0,2 хэмжээг бага, 0,5 хэмжээг дунд, 0,8 "
        "хэмжээг их гэж нэрлэсэн. Энэ бол сэтгэл судлалаас гаралтай ерөнхий жишиг бөгөөд "
        "өөрчлөлт таны кампанит ажилд ач холбогдолтой эсэхийг шийдэхгүй: олон хүний бага "
        "өөрчлөлт ч их ач холбогдолтой байж болно.",
        "en": "Cohen (1988) called standardised effects of 0.2 small, 0.5 medium and 0.8 large. "
        "These are rules of thumb from psychology, not a judgement of whether a change matters for "
        "your campaign: a small change in many people can matter a great deal.",
    },
    "term.p": {"mn": "Тохируулсан p утга", "en": "Adjusted p"},
    "term.p.body": {
        "mn": "Бодит өөрчлөлт байгаагүй бол ийм буюу үүнээс их өөрчлөлт санамсаргүйгээр гарах "
        "магадлал: бага байх тусам өөрчлөлтийн нотолгоо хүчтэй. Олон асуултыг зэрэг шалгадаг тул "
        "санамсаргүй тохиолдлыг өөрчлөлт гэж андуурахгүйн тулд p утгыг хүснэгт бүрийн дотор "
        "{method} тохируулсан. Үүнийг итгэх завсартай хамт уншина уу: p утга өөрчлөлт хэр их "
        "болохыг хэлдэггүй.",
        "en": "How likely a change at least this large would be by chance if nothing had really "
        "changed: the smaller, the stronger the evidence of a change. Because many questions are "
        "tested at once, each p is adjusted within its table ({method}) so that chance findings "
        "are not taken for changes. Read it with the interval: p says nothing about how large the "
        "change is.",
    },
    "method.holm": {"mn": "Холмын аргаар", "en": "Holm's method"},
    "method.bh": {"mn": "Бенжамини–Хохбергийн аргаар", "en": "the Benjamini–Hochberg method"},
    "term.reverse": {"mn": "Урвуу утгатай өгүүлбэр", "en": "Reverse-coded statements"},
    "term.reverse.body": {
        "mn": "Зарим өгүүлбэртэй санал нийлэх нь хүсээгүй хариулт байдаг (жишээ нь «Тусламж хүсэхээс "
        "ичнэ»). Ийм өгүүлбэрийн мөрөнд хүмүүсийн өгсөн хариултыг шууд харуулдаг тул тэдгээрийн "
        "хувьд буурах нь сайн; харин хэмжүүрийн оноонд эсрэгээр нь тооцдог.",
        "en": "Some statements are worded so that agreeing is the less desirable answer (“I would "
        "be too ashamed to ask for help”). Their rows show the answers as people gave them, so for "
        "them a fall is good; in the scale's score they count reversed.",
    },
    "term.reliability": {"mn": "Кронбахын альфа", "en": "Cronbach's alpha"},
    "term.reliability.body": {
        "mn": "Хэмжүүрийн өгүүлбэрүүдэд хүмүүс хэр уялдаатай хариулсныг 0-ээс 1 хүртэлх тоогоор "
        "харуулна. 0,7 хүрэхгүй бол өгүүлбэрүүд нэг зүйлийг хэмжихгүй байж магадгүй.",
        "en": "How consistently people answer a scale's statements, from 0 to 1. Below 0.7 the "
        "statements may not measure one thing.",
    },
    "term.balance": {
        "mn": "Хариулагчдын бүрэлдэхүүн, стандартчилсан зөрүү",
        "en": "Who answered, and the standardised difference",
    },
    "term.balance.body": {
        "mn": "Өмнө ба дараа нь өөр хүмүүс хариулбал, жишээ нь дараагийн шатанд боловсрол өндөртэй "
        "хүн олон байвал, кампанит ажилгүйгээр ч мэдлэг «өссөн» мэт харагдана. Тайлан хариулагчдын "
        "шинж чанарыг харьцуулж, ижил шинжтэй хүмүүсийн дундах өөрчлөлтийг мөн тооцдог. "
        "Стандартчилсан зөрүү нь хоёр шатны хариулагчид хэр ялгаатайг хэмжинэ: 0,1 ба түүнээс дээш "
        "бол мэдэгдэхүйц ялгаа.",
        "en": "When different people answer before and after, a change in who answered (more "
        "university graduates after, say) can look like a rise in knowledge without any campaign. "
        "The report compares who answered, and also gives each change among people of the same "
        "description. The standardised difference measures how different the two rounds' people "
        "are: 0.1 or more is a noticeable difference.",
    },
    "term.groups": {
        "mn": "Ангилал хоорондын ялгаа (харилцан нөлөөлөл)",
        "en": "Differences between groups (interaction)",
    },
    "term.groups.body": {
        "mn": "Ангилал бүрийн өөрчлөлтийг өөрийн итгэх завсартай харуулдаг. Өөрчлөлт ангилал "
        "хооронд ялгаатай эсэхийг харилцан нөлөөллийн шалгалт хэлнэ; жижиг p нь ялгааг илтгэнэ. "
        "Олон ангилал, олон шалгалтыг зэрэг харахад аль нэг нь санамсаргүйгээр онцгой харагдаж "
        "болох тул ангилал бүрийн p утгыг, мөн энэ хэсгийн шалгалтуудын p утгыг {method} "
        "тохируулсан. 5 хүрэхгүй хүнтэй ангиллыг харуулдаггүй.",
        "en": "Each group's change is shown with its own interval. Whether the change differs "
        "between the groups is told by the test of interaction: a small p is evidence of a "
        "difference. With many groups and many tests, one of them is bound to look special by "
        "chance, so each group's p, and each test's p across this section, is adjusted "
        "({method}). No group of fewer than 5 people is shown.",
    },
    "term.skipped": {"mn": "Алгассан асуулт", "en": "Skipped questions"},
    "term.skipped.body": {
        "mn": "Хүнд харагдсан боловч хариулаагүй орхисон мэдлэгийн асуултыг буруу хариулт гэж "
        "тооцдог. Өмнөх хариултаас шалтгаалан харагдаагүй, эсвэл судалгааг дуусгаагүй хүн хүрч "
        "амжаагүй асуултыг тооцдоггүй. Алгассан асуултыг хариулаагүй гэж тооцоход дүгнэлт өөр "
        "гарвал тайланд тэр тухай бичнэ.",
        "en": "A knowledge question someone was shown and left unanswered counts as a wrong "
        "answer. A question not shown to them (because of an earlier answer), or one they never "
        "reached because they stopped before it, does not count. Where counting skipped questions "
        "as not answered would change a conclusion, the report says so.",
    },
    "term.privacy": {"mn": "5 хүрэхгүй хүнтэй бүлэг", "en": "Groups of fewer than 5"},
    "term.privacy.body": {
        "mn": "Хэн нэгнийг таних боломжгүй байлгахын тулд 5 хүрэхгүй хүнтэй бүлгийн тоог энэ "
        "тайланд харуулдаггүй.",
        "en": "No number of a group of fewer than 5 people is shown, so that no one can be "
        "recognised.",
    },
}

#: The report's catalogue (see :class:`survey.web.i18n.Catalogue`).
CATALOGUE: Final = Catalogue(MESSAGES)
