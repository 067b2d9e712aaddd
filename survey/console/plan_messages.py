"""The console's words for planning (survey.console.planning) and for the interval widths of the monitoring
page (survey.console.monitoring), in Mongolian and English; part of the one console catalogue
(:data:`survey.console.messages.CATALOGUE`), kept beside the pages that use them.

A wave is a "судалгаа" (the survey before, the survey after), a respondent an "оролцогч", a confidence
interval an "итгэх завсар", a percentage point a "нэгж хувь", as on the report. Numbers come as
placeholders after a noun or before a noun that carries the case ending, never with an ending glued on.
"""

from __future__ import annotations

from typing import Final

__all__ = ["PLAN_MESSAGES"]

PLAN_MESSAGES: Final[dict[str, dict[str, str]]] = {
    # -- the planning page ---------------------------------------------------------------------------
    "nav.plan": {"mn": "Төлөвлөх", "en": "Plan"},
    "plan.title": {"mn": "Кампанит ажил төлөвлөх", "en": "Plan a campaign"},
    "plan.lead": {
        "mn": (
            "Хэдэн оролцогч хэрэгтэйг, эсвэл байгаа оролцогчдоороо хамгийн багадаа ямар хэмжээний "
            "өөрчлөлтийг илрүүлж болохыг тооцоолно."
        ),
        "en": (
            "How many respondents each survey needs, or the smallest change the respondents you will "
            "have can detect."
        ),
    },
    "plan.from_new_campaign": {
        "mn": "Хэдэн оролцогч хэрэгтэйг урьдчилан тооцоолох уу?",
        "en": "How many respondents will the campaign need?",
    },
    "plan.from_new_campaign_link": {"mn": "Төлөвлөх хуудсыг нээх", "en": "Open the planner"},
    "plan.question": {"mn": "Асуулт", "en": "Question"},
    "plan.question.n": {
        "mn": "Нэг судалгаанд хэдэн оролцогч хэрэгтэй вэ?",
        "en": "How many respondents does each survey need?",
    },
    "plan.question.detect": {
        "mn": "Байгаа оролцогчдоороо хамгийн багадаа ямар өөрчлөлтийг илрүүлэх вэ?",
        "en": "What is the smallest change our respondents can detect?",
    },
    "plan.outcome": {"mn": "Хэмжих үзүүлэлт", "en": "Outcome"},
    "plan.outcome.smd": {
        "mn": "Оноо эсвэл хэмжүүр (стандартчилсан ялгаа)",
        "en": "A score or a scale (standardised difference)",
    },
    "plan.outcome.proportion": {
        "mn": "Хүмүүсийн хувь (өмнө ба дараа)",
        "en": "A share of people (before and after)",
    },
    "plan.field.effect": {"mn": "Илрүүлэх нөлөө (d)", "en": "Effect to detect (d)"},
    "plan.hint.effect": {
        "mn": (
            "Дундажийн ялгааг стандарт хазайлтад хуваасан хэмжээ: 0.2 бага, 0.5 дунд, 0.8 их "
            "(Cohen). Жишээ нь 0.3."
        ),
        "en": (
            "The difference of the means in standard deviations: 0.2 small, 0.5 medium, 0.8 large "
            "(Cohen). For example 0.3."
        ),
    },
    "plan.field.p_pre": {"mn": "Өмнөх хувь", "en": "Share before"},
    "plan.hint.p_pre": {
        "mn": "Кампанит ажлын өмнө хүлээгдэж буй хувь, 0-ээс 1-ийн хооронд: 40 хувь бол 0.4.",
        "en": "The share expected before the campaign, between 0 and 1: 0.4 for 40 %.",
    },
    "plan.field.p_post": {"mn": "Дараах хувь", "en": "Share after"},
    "plan.hint.p_post": {
        "mn": "Кампанит ажлын дараа хүрэхийг хүсэж буй хувь: 50 хувь бол 0.5.",
        "en": "The share hoped for after the campaign: 0.5 for 50 %.",
    },
    "plan.field.n": {"mn": "Нэг судалгааны оролцогчид", "en": "Respondents per survey"},
    "plan.hint.n": {
        "mn": (
            "Нэг судалгаанд бүрэн хариулах оролцогчдын тоо (панелд хоёуланд нь хариулсан хүмүүс, "
            "харьцуулах бүлэгтэй бол бүлэг тус бүрт)."
        ),
        "en": (
            "Complete responses expected in each survey (in a panel, people answering both; with a "
            "comparison group, in each group)."
        ),
    },
    "plan.field.power": {"mn": "Шалгуурын хүч", "en": "Power"},
    "plan.hint.power": {
        "mn": "Бодит өөрчлөлтийг илрүүлэх магадлал; ихэвчлэн 0.8.",
        "en": "The chance of detecting a real change; usually 0.8.",
    },
    "plan.field.alpha": {"mn": "Ач холбогдлын түвшин (α)", "en": "Significance level (alpha)"},
    "plan.hint.alpha": {
        "mn": "Хоёр талт шалгуур; ихэвчлэн 0.05.",
        "en": "Two-sided test; usually 0.05.",
    },
    "plan.field.correlation": {
        "mn": "Өмнөх ба дараах хариултын корреляц",
        "en": "Correlation of before and after",
    },
    "plan.hint.correlation": {
        "mn": (
            "Панелд: нэг хүний өмнөх ба дараах хариултын корреляц, туршилтын судалгаанаас. Оноонд "
            "хоосон орхивол d нь өөрчлөлтийн стандарт хазайлтаар (d_z) илэрхийлэгдэнэ."
        ),
        "en": (
            "Panel only: the correlation of a person's answers before and after, from a pilot. Left "
            "empty for a score, d is in the standard deviation of the changes (d_z)."
        ),
    },
    "plan.field.icc": {
        "mn": "Кластерын доторх корреляц (ICC)",
        "en": "Intraclass correlation (ICC)",
    },
    "plan.hint.icc": {
        "mn": (
            "Оролцогчдыг сум, сургууль, аймгаар бүлэглэн сонгосон бол: нэг бүлгийн хүмүүсийн "
            "хариулт хэр төстэй вэ, жишээ нь 0.05. Үгүй бол хоосон орхино."
        ),
        "en": (
            "When respondents are drawn in clusters (villages, schools, aimags): how alike the "
            "answers within a cluster are, for example 0.05. Otherwise leave it empty."
        ),
    },
    "plan.field.cluster_size": {"mn": "Нэг кластерын оролцогчид", "en": "Respondents per cluster"},
    "plan.hint.cluster_size": {
        "mn": "Нэг кластераас нэг судалгаанд оролцох дундаж тоо, ICC-тэй хамт өгнө.",
        "en": "The mean number a cluster gives to one survey; given together with the ICC.",
    },
    "plan.unused": {
        "mn": "Энэ тооцоонд ашиглахгүй утгууд",
        "en": "Values this plan does not use",
    },
    "plan.unused_hint": {
        "mn": "Асуулт, загвар эсвэл үзүүлэлтийг өөрчилбөл эдгээр утга хэрэг болно.",
        "en": "They are used when you change the question, the design or the outcome.",
    },
    "plan.submit": {"mn": "Тооцоолох", "en": "Calculate"},
    # -- the answer ----------------------------------------------------------------------------------
    "plan.result.n": {
        "mn": "Нэг судалгаанд {n} оролцогч хэрэгтэй.",
        "en": "{n} respondents per survey.",
    },
    # A comparison design has two groups in each survey, and the number is for each group (as the CLI's
    # "per arm and wave").
    "plan.result.n.comparison": {
        "mn": "Судалгаа бүрт бүлэг тус бүрээс {n} оролцогч хэрэгтэй.",
        "en": "{n} respondents per group in each survey.",
    },
    "plan.result.detect_smd": {
        "mn": "Хамгийн бага илрүүлэх нөлөө: d = {effect}.",
        "en": "Smallest detectable effect: d = {effect}.",
    },
    "plan.result.detect_proportion": {
        "mn": "Хамгийн бага илрүүлэх өсөлт: {points} нэгж хувь (өмнө нь {p_pre}, дараа нь {p_post}).",
        "en": "Smallest detectable rise: {points} percentage points (from {p_pre} to {p_post}).",
    },
    "plan.total.independent": {
        "mn": "Өмнөх ба дараах судалгаанд өөр өөр хүмүүс, тус бүрд нь {n}, нийт {all} оролцогч.",
        "en": "Different people before and after: {n} in each survey, {all} in all.",
    },
    "plan.total.panel": {
        "mn": (
            "Хоёр судалгаанд хоёуланд нь хариулах {n} оролцогч. Зарим нь дахин хариулахгүй тул "
            "илүү олон хүнийг урина уу."
        ),
        "en": ("{n} respondents answering both surveys. Invite more: some will not answer twice."),
    },
    "plan.total.comparison": {
        "mn": (
            "Кампанит ажлын бүлэг ба харьцуулах бүлэг, өмнө ба дараа: дөрвөн бүлэг тус бүрд {n}, "
            "нийт {all} оролцогч."
        ),
        "en": (
            "The campaign group and the comparison group, before and after: {n} in each of the four, "
            "{all} in all."
        ),
    },
    "plan.detail.clusters.comparison": {
        "mn": (
            "Кластер: судалгаа бүрт бүлэг тус бүрээс {clusters}, тус бүр {size} оролцогчтой, ICC {icc}; "
            "кластерын улмаас дисперс {deff} дахин өснө."
        ),
        "en": (
            "Clusters: {clusters} per group in each survey, of {size} respondents each, ICC {icc}, "
            "design effect {deff}."
        ),
    },
    "plan.detail.clusters": {
        "mn": (
            "Кластер: нэг судалгаанд {clusters}, тус бүр {size} оролцогчтой, ICC {icc}; кластерын "
            "улмаас дисперс {deff} дахин өснө."
        ),
        "en": (
            "Clusters: {clusters} per survey of {size} respondents each, ICC {icc}, design effect "
            "{deff}."
        ),
    },
    "plan.detail.power": {
        "mn": "Энэ тоогоор хүрэх хүч: {power}.",
        "en": "Power with this number: {power}.",
    },
    "plan.detail.test": {
        "mn": "Шалгуур: {test}, α {alpha}, чөлөөний зэрэг {df}.",
        "en": "Test: {test}, alpha {alpha}, {df} degrees of freedom.",
    },
    "plan.detail.test_z": {
        "mn": "Шалгуур: {test}, α {alpha}.",
        "en": "Test: {test}, alpha {alpha}.",
    },
    "plan.test.smd.independent": {
        "mn": "хоёр түүврийн хоёр талт t шалгуур",
        "en": "two-sided two-sample t test",
    },
    "plan.test.smd.panel": {"mn": "хосолсон хоёр талт t шалгуур", "en": "two-sided paired t test"},
    "plan.test.smd.comparison": {
        "mn": "ялгаануудын ялгааны хоёр талт t шалгуур",
        "en": "two-sided t test of the difference in differences",
    },
    "plan.test.proportion.independent": {
        "mn": "хоёр хувийн хоёр талт шалгуур (нэгтгэсэн, тасралтгүй байдлын засваргүй)",
        "en": "two-sided test of two proportions (pooled, no continuity correction)",
    },
    "plan.test.proportion.panel": {
        "mn": "Макнемарын хоёр талт шалгуур",
        "en": "two-sided McNemar test",
    },
    "plan.test.proportion.comparison": {
        "mn": "ялгаануудын ялгааны хоёр талт t шалгуур",
        "en": "two-sided t test of the difference in differences",
    },
    "plan.assumptions": {"mn": "Юунд тулгуурласан бэ", "en": "What this rests on"},
    "plan.assume.design.independent": {
        "mn": "Өмнө ба дараа нь өөр өөр хүмүүсийг ижил аргаар санамсаргүй сонгоно.",
        "en": "Different people are drawn before and after, at random and in the same way.",
    },
    "plan.assume.design.panel": {
        "mn": "Өмнө ба дараа нь ижил хүмүүс хариулж, хариултууд нь панелийн кодоор холбогдоно.",
        "en": "The same people answer before and after, linked by their panel code.",
    },
    "plan.assume.design.comparison": {
        "mn": (
            "Кампанит ажилд хамрагдаагүй харьцуулах бүлгийг ижил хугацаанд, ижил аргаар судална; "
            "хоёр бүлгийн өөрчлөлтийн ялгааг кампанит ажлын нөлөө гэж үзнэ."
        ),
        "en": (
            "A comparison group the campaign does not reach is surveyed at the same times in the same "
            "way; the difference between the two groups' changes is the campaign's effect."
        ),
    },
    "plan.assume.smd.independent": {
        "mn": "Хоёр судалгааны стандарт хазайлт ойролцоо; d нь дундажийн ялгааг түүнд хуваасан хэмжээ.",
        "en": "Both surveys have about the same standard deviation; d is the difference of the means in it.",
    },
    "plan.assume.smd.comparison": {
        "mn": (
            "Дөрвөн бүлгийн стандарт хазайлт ойролцоо; d нь ялгаануудын ялгааг нэг бүлгийн стандарт "
            "хазайлтад хуваасан хэмжээ."
        ),
        "en": (
            "The four groups have about the same standard deviation; d is the difference in "
            "differences in one group's standard deviation."
        ),
    },
    "plan.assume.smd.panel_dz": {
        "mn": "d нь дундаж өөрчлөлтийг өөрчлөлтүүдийн стандарт хазайлтад хуваасан хэмжээ (d_z).",
        "en": "d is the mean change over the standard deviation of the changes (d_z).",
    },
    "plan.assume.smd.panel_r": {
        "mn": (
            "d нь нэг судалгааны стандарт хазайлтаар илэрхийлэгдэнэ; нэг хүний өмнөх ба дараах "
            "хариултын корреляц {r}, хоёр судалгааны стандарт хазайлт ойролцоо."
        ),
        "en": (
            "d is in one survey's standard deviation; a person's answers before and after correlate "
            "at {r}, and both surveys have about the same standard deviation."
        ),
    },
    "plan.assume.proportion.independent": {
        "mn": "Хоёр судалгааны хувийг хэвийн ойролцооллоор харьцуулна (Fleiss, Levin, Paik 2003).",
        "en": "The two shares are compared with the normal approximation (Fleiss, Levin & Paik 2003).",
    },
    "plan.assume.proportion.panel": {
        "mn": (
            "Нэг хүний өмнөх ба дараах хариултын корреляц {r}; үүнээс хариултаа өөрчлөх хүмүүсийн "
            "хувийг тооцно (Connor 1987)."
        ),
        "en": (
            "A person's answers before and after correlate at {r}; from it follows the share of "
            "people who change their answer (Connor 1987)."
        ),
    },
    "plan.assume.proportion.comparison": {
        "mn": "Харьцуулах бүлгийн хувь өөрчлөгдөхгүй, өмнөх хувьтай ижил хэвээр байна.",
        "en": "The comparison group's share stays where it was before.",
    },
    "plan.assume.clusters": {
        "mn": (
            "Кластерууд бүтнээрээ орно; шалгуурын чөлөөний зэрэг нь оролцогчдынх биш, кластеруудынх "
            "(Donner, Klar 2000)."
        ),
        "en": (
            "Clusters come whole, and the test has the clusters' degrees of freedom, not the "
            "respondents' (Donner & Klar 2000)."
        ),
    },
    "plan.assume.panel_attrition": {
        "mn": "Энэ тоо нь хоёр судалгаанд хоёуланд нь хариулсан хүмүүсийн тоо.",
        "en": "This number counts the people who answer both surveys.",
    },
    "plan.assume.complete": {
        "mn": "Тоо бүр бүрэн хариултын тоо; тайлан ижил шалгуур, ижил чөлөөний зэргийг ашиглана.",
        "en": (
            "Every number counts complete responses; the report uses the same test with the same "
            "degrees of freedom."
        ),
    },
    "plan.methods_link": {
        "mn": "Төлөвлөлт болон тайлангийн аргуудыг хэрхэн унших вэ",
        "en": "How the plan and the report's methods are read",
    },
    # -- the methods help page (survey.console.methods), from docs/analysis.md ---------------------------
    "help.title": {"mn": "Аргуудыг хэрхэн унших вэ", "en": "How the methods are read"},
    "help.lead": {
        "mn": (
            "Төлөвлөх хуудас юунд тулгуурладаг, кампанит ажлын тайлангийн тоонуудыг хэрхэн унших "
            "тухай товч тайлбар."
        ),
        "en": "What the planning page assumes, and how to read the numbers of a campaign's report.",
    },
    "help.plan": {"mn": "Төлөвлөлт юунд тулгуурладаг вэ", "en": "What the plan assumes"},
    "help.plan.counts": {
        "mn": (
            "Төлөвлөлт судалгаа бүрийн бүрэн хариултыг тоолно (панелд хоёуланд нь хариулсан хүмүүс, "
            "харьцуулах бүлэгтэй бол бүлэг тус бүр). Түүний хүч буюу өөрчлөлт бодитой бол түүнийг "
            "илрүүлэх магадлал нь тайлангийн хэрэглэх шалгуурынх болно."
        ),
        "en": (
            "The plan counts complete responses per survey (for a panel, people who answer both; with "
            "a comparison group, each group). Its power, the chance of finding the change you plan "
            "for if it is real, is that of the test the report will run."
        ),
    },
    "help.plan.assumes": {
        "mn": (
            "Судалгаа бүрт ижил аргаар санамсаргүй сонгосон, хариултын хэлбэлзэл ойролцоо түүвэр гэж "
            "үзнэ. Панелд нэг хүний өмнөх ба дараах хариултын корреляц хэрэгтэй; харьцуулах бүлэгтэй "
            "бол кампанит ажилгүйгээр хоёр бүлэг адилхан өөрчлөгдөх байсан гэж үзнэ."
        ),
        "en": (
            "It assumes random samples drawn alike in each survey, their answers about as spread. "
            "A panel needs the correlation of a person's answers before and after; with a comparison "
            "group, both groups would have changed alike without the campaign."
        ),
    },
    "help.effect": {"mn": "Өөрчлөлтийн хэмжээ", "en": "The size of a change"},
    "help.clusters": {"mn": "Кластер ба дизайны нөлөө", "en": "Clusters and the design effect"},
    "help.clusters.body": {
        "mn": (
            "Оролцогчид кластераар (сургууль, сум) хамрагдвал нэг кластерын хүмүүс төстэй хариулна. "
            "Нэг кластерт m оролцогч, кластерын доторх корреляц ICC байхад дизайны нөлөө "
            "1\u00a0+\u00a0(m\u00a0−\u00a01)\u00a0×\u00a0ICC нь ижил нарийвчлалд хэд дахин олон оролцогч хэрэгтэйг заана; шалгуур "
            "хүмүүсийг биш, кластеруудыг тоолно."
        ),
        "en": (
            "When respondents come in clusters (a school, a soum), people of one cluster answer "
            "alike. For clusters of m respondents with intraclass correlation ICC, the design effect "
            "1\u00a0+\u00a0(m\u00a0−\u00a01)\u00a0×\u00a0ICC says how many times more respondents the same precision needs; the "
            "test counts clusters, not people."
        ),
    },
    "help.outcomes": {"mn": "Олон үр дүн", "en": "Several outcomes"},
    "help.outcomes.families": {
        "mn": (
            "Олон үр дүн, олон асуултыг зэрэг шалгахад аль нэг нь санамсаргүйгээр өөрчлөгдсөн мэт "
            "харагдаж болно. Тиймээс тайлан p утгыг бүлэг тус бүрийн дотор (тодорхойлсон үр дүнгүүд, "
            "мэдлэгийн асуултууд, хандлагын асуултууд) Холмын аргаар тохируулна. Үр дүнгийн хажуугийн "
            "итгэх завсар нь тохируулаагүй, тухайн үр дүнгийнх."
        ),
        "en": (
            "With many outcomes and questions tested at once, one can look changed by chance. The "
            "report therefore adjusts the p-values with Holm's method within each family (the "
            "declared outcomes, the knowledge questions, the attitude questions). The interval beside "
            "an outcome is its own, not adjusted."
        ),
    },
    "help.back": {"mn": "Төлөвлөх хуудас руу буцах", "en": "Back to planning"},
    "plan.share": {
        "mn": "Энэ тооцоог хамт ажиллагсадтайгаа хуваалцах:",
        "en": "Share this plan with colleagues:",
    },
    "plan.share_link": {"mn": "тооцооны холбоос", "en": "the plan's link"},
    # -- the planning form's messages ----------------------------------------------------------------
    "plan.error.summary": {
        "mn": "Тооцоолж чадсангүй: тэмдэглэсэн утгуудыг засна уу ({count}).",
        "en": "No plan yet: correct the values marked ({count}).",
    },
    "plan.error.question": {
        "mn": "Асуултуудын аль нэгийг сонгоно уу.",
        "en": "Choose one of the questions.",
    },
    "plan.error.design": {
        "mn": "Загваруудын аль нэгийг сонгоно уу.",
        "en": "Choose one of the designs.",
    },
    "plan.error.outcome": {
        "mn": "Үзүүлэлтүүдийн аль нэгийг сонгоно уу.",
        "en": "Choose one of the outcomes.",
    },
    "plan.error.empty": {"mn": "Утга оруулна уу.", "en": "Give a value."},
    "plan.error.too_long": {
        "mn": "Хэт урт байна: тоо {length} тэмдэгтээс богино байна.",
        "en": "Too long: a number has fewer than {length} characters.",
    },
    "plan.error.not_number": {
        "mn": "Тоо оруулна уу, жишээ нь 0.3.",
        "en": "Give a number, for example 0.3.",
    },
    "plan.error.effect": {
        "mn": "Нөлөө нь 0 биш, -10-аас 10-ын хооронд байна, жишээ нь 0.3.",
        "en": "The effect is not 0 and lies between -10 and 10, for example 0.3.",
    },
    "plan.error.proportion": {
        "mn": "Хувийг 0-ээс 1-ийн хооронд бичнэ үү: 40 хувь бол 0.4.",
        "en": "Give the share between 0 and 1: 0.4 for 40 %.",
    },
    "plan.error.same_proportions": {
        "mn": "Дараах хувь өмнөхөөсөө ялгаатай байх ёстой: өөрчлөлтгүй бол илрүүлэх зүйл алга.",
        "en": "The share after must differ from the share before: without a change there is nothing to detect.",
    },
    "plan.error.n": {
        "mn": "Оролцогчдын тоо 2-оос 1 000 000 000 хүртэлх бүхэл тоо байна.",
        "en": "The number of respondents is a whole number from 2 to 1,000,000,000.",
    },
    "plan.error.n_too_small": {
        "mn": "Энэ тооны оролцогчоор энэ хүчээр ямар ч өсөлтийг илрүүлэх боломжгүй.",
        "en": "So few respondents cannot detect any rise with this power.",
    },
    "plan.error.n_clusters": {
        "mn": "Эдгээр оролцогч хоёр кластерт ч хүрэхгүй: шалгуурт дор хаяж хоёр кластер хэрэгтэй.",
        "en": "These respondents make fewer than two clusters: the test needs at least two.",
    },
    "plan.error.power": {
        "mn": "Хүч 0-ээс 1-ийн хооронд байна, ихэвчлэн 0.8.",
        "en": "Power lies between 0 and 1, usually 0.8.",
    },
    "plan.error.power_alpha": {
        "mn": "Хүч нь α-аас их байх ёстой: өөрчлөлт байхгүй үед ч шалгуур α магадлалаар татгалзана.",
        "en": "Power must exceed alpha: a test rejects with probability alpha even when nothing changed.",
    },
    "plan.error.alpha": {
        "mn": "α 0-ээс 1-ийн хооронд байна, ихэвчлэн 0.05.",
        "en": "Alpha lies between 0 and 1, usually 0.05.",
    },
    "plan.error.correlation": {
        "mn": "Корреляц -1-ээс 1-ийн хооронд байна, жишээ нь 0.5.",
        "en": "The correlation lies between -1 and 1, for example 0.5.",
    },
    "plan.error.correlation_needed": {
        "mn": (
            "Панелд хувийг харьцуулахад нэг хүний өмнөх ба дараах хариултын корреляц хэрэгтэй "
            "(туршилтын судалгаанаас); аюулгүй анхдагч утга байхгүй."
        ),
        "en": (
            "A panel's shares need the correlation of a person's answers before and after (from a "
            "pilot); no default is safe."
        ),
    },
    "plan.error.correlation_fit": {
        "mn": "Энэ корреляц өмнөх ба дараах хувьтай нийцэхгүй байна: бага утга оруулж үзнэ үү.",
        "en": "This correlation does not fit the shares before and after: try a smaller one.",
    },
    "plan.error.icc": {
        "mn": "ICC 0-ээс 1-ийн хооронд байна, ихэвчлэн 0.01-ээс 0.1.",
        "en": "The ICC lies between 0 and 1, usually 0.01 to 0.1.",
    },
    "plan.error.cluster_size": {
        "mn": "Нэг кластерын оролцогчдын тоо 1-ээс их байна.",
        "en": "A cluster gives more than 1 respondent.",
    },
    "plan.error.cluster_pair": {
        "mn": "ICC болон нэг кластерын оролцогчдын тоог хамт өгнө үү.",
        "en": "Give the ICC and the respondents per cluster together.",
    },
    "plan.error.too_many": {
        "mn": "Энэ нөлөө хэт бага: илрүүлэхэд нэг тэрбумаас олон оролцогч хэрэгтэй.",
        "en": "This effect is too small: more than a billion respondents would be needed.",
    },
    "plan.error.no_plan": {
        "mn": "Эдгээр утгаар тооцоолох боломжгүй байна: утгуудаа шалгана уу.",
        "en": "These values give no plan: check them.",
    },
    # -- interval widths on the monitoring page ------------------------------------------------------
    "monitor.width.title": {"mn": "Итгэх завсрын өргөн", "en": "How precise the result is so far"},
    "monitor.width.lead_post": {
        "mn": (
            "Үзүүлэлт бүрийн хувьд тайланд гарах өөрчлөлтийн итгэх завсрын одоогийн өргөн "
            "(энэ судалгаа болон түүний өмнөх судалгааны одоогийн бүрэн хариултаар)."
        ),
        "en": (
            "For each outcome, the current width of the interval the report will show for the change "
            "(from the complete responses of this survey and its survey before, so far)."
        ),
    },
    "monitor.width.lead_pre": {
        "mn": "Үзүүлэлт бүрийн хувьд энэ судалгааны дундаж эсвэл хувийн итгэх завсрын одоогийн өргөн.",
        "en": "For each outcome, the current width of the interval of this survey's mean or share.",
    },
    "monitor.width.outcome": {"mn": "Үзүүлэлт", "en": "Outcome"},
    "monitor.width.current": {"mn": "Одоогийн өргөн", "en": "Width now"},
    "monitor.width.target": {"mn": "Зорилтот өргөн", "en": "Target width"},
    "monitor.width.more": {
        "mn": "Хэрэгтэй нэмэлт бүрэн хариулт",
        "en": "More complete responses needed",
    },
    "monitor.width.points": {"mn": "{value} нэгж хувь", "en": "{value} percentage points"},
    "monitor.width.scale": {"mn": "{value} оноо", "en": "{value} points"},
    "monitor.width.reached": {"mn": "Хүрсэн", "en": "Reached"},
    "monitor.width.unreachable": {
        "mn": "Зөвхөн энэ судалгаагаар хүрэхгүй",
        "en": "Not reachable by this survey alone",
    },
    "monitor.width.hidden": {
        "mn": "5-аас цөөн хариулт: тоог харуулахгүй",
        "en": "Fewer than 5 responses: no numbers shown",
    },
    "monitor.width.none": {
        "mn": "Одоогоор тооцоолох боломжгүй",
        "en": "Not computable yet",
    },
    "monitor.width.target_label": {
        "mn": "Зорилтот өргөн: {outcome}",
        "en": "Target width: {outcome}",
    },
    "monitor.width.update": {"mn": "Зорилтыг шинэчлэх", "en": "Update the targets"},
    "monitor.width.target_hint": {
        "mn": (
            "Хувь ба мэдлэгийн оноог нэгж хувиар, хэмжүүрийг онооны нэгжээр бичнэ. Анхдагч утга нь "
            "хэмжүүрийн хүрээний аравны нэг: хувьд 10 нэгж хувь (±5), 5 онооны хэмжүүрт 0.4 оноо."
        ),
        "en": (
            "Shares and knowledge scores in percentage points, scales in scale points. The default is a "
            "tenth of the outcome's range: 10 percentage points (±5) for a share, 0.4 points on a "
            "5-point scale."
        ),
    },
    "monitor.width.target_error": {
        "mn": "Зорилтот өргөн нь 0-ээс их тоо байна; анхдагч утгыг ашиглав.",
        "en": "A target width is a number above 0; the default is used instead.",
    },
    "monitor.width.assumption": {
        "mn": (
            "«Хэрэгтэй нэмэлт» тооцоо: одоогийн стандарт хазайлт (хувийн хэлбэлзэл) өөрчлөгдөхгүй, "
            "завсрын өргөн нь хариултын тооны квадрат язгуураар багасна; бусад судалгаа одоогийнхоороо "
            "үлдэнэ. Панелд шинэ хариулт бүр өмнөх судалгааны хариулттай холбогдоно гэж үзнэ."
        ),
        "en": (
            "\u201cMore needed\u201d assumes the current standard deviation (the spread of a share) "
            "holds and the width shrinks with the square root of the number of responses, the other "
            "surveys staying as they are; in a panel, that each new response is matched with one "
            "before."
        ),
    },
    "monitor.width.no_outcome": {
        "mn": "Асуулгад үзүүлэлт тодорхойлоогүй байна.",
        "en": "The questionnaire declares no outcome.",
    },
}
