"""The console's words for the questionnaire loader's problems (``problem.<code>``, one entry per code of
:data:`survey.questionnaire.load.PROBLEM_CODES`), in Mongolian and English; part of the one console catalogue
(:data:`survey.console.messages.CATALOGUE`). :func:`survey.console.editor.problem_views` fills them.

The loader's own English line (what ``survey forms check`` prints) stays the command line's; these are
the sentences a researcher reads in the console, each a whole sentence. The place in the definition
(``sections[0].items[2].correct``) is shown beside the sentence, so a sentence says what is wrong and
what to do, not where. Parameters that are words of the loader (an item type, a value type) arrive
already said in the page's language; keys, values and numbers stand in quotes or after a colon, never
with a case ending glued on.

Long because it is data: one entry per rule of the format, in two languages.
"""

from __future__ import annotations

from typing import Final

__all__ = ["PROBLEM_MESSAGES"]

PROBLEM_MESSAGES: Final[dict[str, dict[str, str]]] = {
    # -- the words a problem's parameters are said with -----------------------------------------------
    # msgspec's names for the types a value may have (the parameters ``expected`` and ``got``).
    "value_type.str": {"mn": "текст", "en": "a piece of text"},
    "value_type.int": {"mn": "бүхэл тоо", "en": "a whole number"},
    "value_type.float": {"mn": "тоо", "en": "a number"},
    "value_type.bool": {"mn": "true эсвэл false", "en": "true or false"},
    "value_type.null": {"mn": "хоосон утга", "en": "nothing"},
    "value_type.array": {"mn": "жагсаалт", "en": "a list"},
    "value_type.object": {
        "mn": "«нэр: утга» мөрүүдийн бүлэг",
        "en": "a group of “name: value” lines",
    },
    "value_type.bytes": {"mn": "хоёртын өгөгдөл", "en": "binary data"},
    "value_type.or": {"mn": "эсвэл", "en": "or"},
    # Where in a workbook the XLSForm importer found a problem.
    "problem.at_sheet": {"mn": "«{sheet}» хуудас", "en": "the {sheet} sheet"},
    "problem.at_row": {"mn": "«{sheet}» хуудас, мөр: {row}", "en": "{sheet} sheet, row {row}"},
    # -- reading the file --------------------------------------------------------------------------
    "problem.file_not_found": {"mn": "Файл олдсонгүй.", "en": "The file was not found."},
    "problem.file_is_directory": {
        "mn": "Энэ нь файл биш, хавтас байна.",
        "en": "This is a folder, not a file.",
    },
    "problem.file_permission": {
        "mn": "Файлыг унших эрх алга байна.",
        "en": "There is no permission to read the file.",
    },
    "problem.file_unreadable": {
        "mn": "Файлыг уншиж чадсангүй.",
        "en": "The file could not be read.",
    },
    "problem.key_not_file_name": {
        "mn": "Асуулгын түлхүүр нэр «{key}» боловч файлын нэр «{name}» байна: хоёрыг нь адил болгоно уу.",
        "en": "The questionnaire's key is “{key}” but the file is called “{name}”: rename one to match the other.",
    },
    "problem.definition_too_large": {
        "mn": "Асуулгын файл хэт том байна: дээд хэмжээ нь {max} байт.",
        "en": "The definition is too large: at most {max} bytes.",
    },
    "problem.not_utf8": {
        "mn": "Файл UTF-8 кодчилолтой текст биш байна (байт: {byte}). Файлаа UTF-8 кодчилолоор хадгална уу.",
        "en": "The file is not UTF-8 text (at byte {byte}). Save it as UTF-8.",
    },
    "problem.yaml_syntax": {
        "mn": "YAML бичлэг алдаатай байна. Мөр: {line}, багана: {column}. Догол мөр, хоёр цэг, хашилтаа шалгана уу.",
        "en": "The YAML is not written correctly at line {line}, column {column}. Check the indentation, the colons and the quotes.",
    },
    "problem.yaml_invalid": {
        "mn": "Файл зөв YAML бичлэг биш байна.",
        "en": "The file is not valid YAML.",
    },
    "problem.yaml_too_deep": {
        "mn": "YAML бичлэгийн давхарга хэт олон байна.",
        "en": "The YAML is nested too deeply.",
    },
    "problem.yaml_duplicate_key": {
        "mn": "«{key}» гэсэн нэр нэг бүлэгт хоёр удаа бичигдсэн байна. Мөр: {line}, багана: {column}.",
        "en": "The name “{key}” is written twice in one group (line {line}, column {column}).",
    },
    "problem.yaml_not_integer": {
        "mn": "«{value}» гэсэн утга бүхэл тоо биш байна. Мөр: {line}, багана: {column}.",
        "en": "“{value}” is not a whole number (line {line}, column {column}).",
    },
    "problem.yaml_not_number": {
        "mn": "«{value}» гэсэн утга тоо биш байна. Мөр: {line}, багана: {column}.",
        "en": "“{value}” is not a number (line {line}, column {column}).",
    },
    "problem.yaml_tag": {
        "mn": "«{tag}» гэсэн YAML тэмдэглэгээг энд ашиглах боломжгүй. Мөр: {line}, багана: {column}.",
        "en": "The YAML tag “{tag}” cannot be used here (line {line}, column {column}).",
    },
    # -- the shape of the definition ------------------------------------------------------------------
    "problem.definition_empty": {
        "mn": "Асуулгын файл хоосон байна.",
        "en": "The definition is empty.",
    },
    "problem.definition_not_mapping": {
        "mn": "Асуулга нь «нэр: утга» хэлбэрийн мөрүүдээс бүрдэх ёстой.",
        "en": "The definition must be made of “name: value” lines.",
    },
    "problem.too_many_values": {
        "mn": "Асуулга хэт том байна: утгын тоо {max} хүрэхгүй байх ёстой.",
        "en": "The definition is too large: it may hold at most {max} values.",
    },
    "problem.nested_too_deep": {
        "mn": "Бүтцийн давхарга хэт олон байна: дээд тал нь {max}.",
        "en": "The definition is nested too deeply: at most {max} levels.",
    },
    "problem.key_not_string": {
        "mn": "Нэр нь текст байх ёстой (одоо: {key}).",
        "en": "A name must be text, not {key}.",
    },
    "problem.key_nul": {
        "mn": "Нэг нэрэнд NUL тэмдэгт орсон байна: түүнийг устгана уу.",
        "en": "A name contains a NUL character: remove it.",
    },
    "problem.value_nul": {
        "mn": "Утгад NUL тэмдэгт орсон байна: түүнийг устгана уу.",
        "en": "The value contains a NUL character: remove it.",
    },
    "problem.lone_surrogate": {
        "mn": "Утгад буруу кодлогдсон тэмдэгт орсон байна.",
        "en": "The value contains a character that is not valid (a lone surrogate).",
    },
    "problem.value_unsupported": {
        "mn": "Энэ төрлийн утгыг асуулгад ашиглах боломжгүй (төрөл: {name}).",
        "en": "A value of this type cannot be used in a questionnaire (type: {name}).",
    },
    "problem.field_unknown": {
        "mn": "«{name}» гэсэн талбар энд байх ёсгүй.",
        "en": "There is no field “{name}” here.",
    },
    "problem.field_unknown_close": {
        "mn": "«{name}» гэсэн талбар энд байх ёсгүй. «{close}» гэж бичих байсан уу?",
        "en": "There is no field “{name}” here. Did you mean “{close}”?",
    },
    "problem.field_missing": {
        "mn": "Заавал бөглөх талбар алга байна: «{name}».",
        "en": "The required field “{name}” is missing.",
    },
    "problem.expected_type_got": {
        "mn": "Энд {expected} бичих ёстой, харин {got} бичигдсэн байна.",
        "en": "This should be {expected}, not {got}.",
    },
    "problem.expected_text_quotes": {
        "mn": "Энд {expected} бичих ёстой, харин {got} бичигдсэн байна: утгыг хашилтад бичнэ үү.",
        "en": "This should be {expected}, not {got}: put the value in quotes.",
    },
    "problem.not_one_of": {
        "mn": "«{value}» гэсэн утга энд тохирохгүй. Дараахын аль нэгийг бичнэ үү: {allowed}.",
        "en": "“{value}” cannot be used here. Write one of: {allowed}.",
    },
    "problem.structure_invalid": {
        "mn": "Энэ утгын бүтэц асуулгын хэлбэрт тохирохгүй байна.",
        "en": "This value does not fit the questionnaire format.",
    },
    # -- keys, languages, texts ----------------------------------------------------------------------
    "problem.key_invalid": {
        "mn": "«{key}» гэсэн нэр тохирохгүй байна: латин жижиг үсгээр эхэлж, латин жижиг үсэг, тоо, доогуур зураас ашиглана.",
        "en": "“{key}” cannot be used as a name: start with a lower-case Latin letter, then use lower-case Latin letters, digits and “_”.",
    },
    "problem.too_long": {
        "mn": "«{value}» хэт урт байна: {max} тэмдэгтээс ихгүй байх ёстой.",
        "en": "“{value}” is too long: at most {max} characters.",
    },
    "problem.reserved_word": {
        "mn": "«{key}» нь нөхцөлийн хэлний нөөц үг тул түлхүүр нэр болохгүй.",
        "en": "“{key}” is a word of the condition language, so it cannot be a key.",
    },
    "problem.languages_empty": {
        "mn": "Асуулгад дор хаяж нэг хэл заана уу.",
        "en": "Name at least one language.",
    },
    "problem.language_invalid": {
        "mn": "«{value}» гэсэн хэлний код тохирохгүй: «mn», «en» гэх мэт код бичнэ үү.",
        "en": "“{value}” is not a language code: write a code such as “mn” or “en”.",
    },
    "problem.language_unknown": {
        "mn": "«{value}» гэсэн хэл асуулгын хэлнүүдэд алга байна (хэлнүүд: {declared}).",
        "en": "The language “{value}” is not one of the questionnaire's languages ({declared}).",
    },
    "problem.text_missing": {
        "mn": "Үндсэн хэлний бичвэр алга байна ({language}).",
        "en": "The text in the main language ({language}) is missing.",
    },
    "problem.text_empty": {
        "mn": "Бичвэр хоосон байна ({language}).",
        "en": "The text is empty ({language}).",
    },
    # -- choices and scales ----------------------------------------------------------------------------
    "problem.choices_empty": {
        "mn": "Дор хаяж нэг хариултын сонголт шаардлагатай.",
        "en": "Add at least one answer choice.",
    },
    "problem.choice_value_invalid": {
        "mn": "«{value}» гэсэн утга тохирохгүй байна: латин үсэг, тоо, «_», «-» тэмдэгт ашиглана.",
        "en": "“{value}” cannot be a choice value: use Latin letters, digits, “_” and “-”.",
    },
    "problem.choice_duplicate": {
        "mn": "«{value}» гэсэн утга давхардсан байна.",
        "en": "The value “{value}” is used twice.",
    },
    "problem.choice_list_unknown": {
        "mn": "«{name}» гэсэн сонголтын жагсаалт тодорхойлогдоогүй байна.",
        "en": "There is no choice list “{name}”.",
    },
    "problem.labels_count": {
        "mn": "Хэмжүүр {points} түвшинтэй боловч {count} нэр бичигдсэн байна.",
        "en": "The scale has {points} points but {count} labels.",
    },
    "problem.label_empty": {
        "mn": "Хэмжүүрийн нэг түвшний нэр хоосон байна.",
        "en": "One of the scale's labels is empty.",
    },
    "problem.labels_missing": {
        "mn": "Хэмжүүрийн түвшний нэрс алга байна ({language}).",
        "en": "The scale's labels are missing ({language}).",
    },
    "problem.property_name_invalid": {
        "mn": "«{name}» гэсэн шинж чанарын нэр тохирохгүй: латин жижиг үсгээр эхэлж, латин жижиг үсэг, тоо, «_» ашиглана; «value» гэж нэрлэж болохгүй.",
        "en": "“{name}” cannot be a property name: start with a lower-case Latin letter, then use lower-case Latin letters, digits and “_”; “value” is taken.",
    },
    "problem.property_empty": {
        "mn": "Шинж чанарын утга хоосон байна.",
        "en": "The property's value is empty.",
    },
    "problem.property_too_long": {
        "mn": "Шинж чанарын утга хэт урт байна: {max} тэмдэгтээс ихгүй байх ёстой.",
        "en": "The property's value is too long: at most {max} characters.",
    },
    # -- sections and items --------------------------------------------------------------------------
    "problem.item_duplicate": {
        "mn": "«{key}» гэсэн түлхүүр нэр өөр асуултад аль хэдийн ашиглагдсан байна.",
        "en": "The key “{key}” is already used by another item.",
    },
    "problem.sections_empty": {
        "mn": "Асуулгад дор хаяж нэг хэсэг шаардлагатай.",
        "en": "Add at least one section.",
    },
    "problem.section_duplicate": {
        "mn": "«{key}» гэсэн түлхүүр нэр өөр хэсэгт аль хэдийн ашиглагдсан байна.",
        "en": "The key “{key}” is already used by another section.",
    },
    "problem.items_empty": {
        "mn": "Энэ хэсэгт дор хаяж нэг асуулт шаардлагатай.",
        "en": "Add at least one item to this section.",
    },
    "problem.panel_code_twice": {
        "mn": "Панел код зөвхөн нэг асуултад байж болно.",
        "en": "Only one item may be a panel code.",
    },
    "problem.not_allowed": {
        "mn": "Энэ талбар «{type}» төрлийн асуултад хамаарахгүй.",
        "en": "This field does not apply to items of the type “{type}”.",
    },
    "problem.scale_missing": {
        "mn": "Ликертийн асуултад хэмжүүр сонгох шаардлагатай.",
        "en": "Choose a scale for this Likert item.",
    },
    "problem.scale_unknown": {
        "mn": "«{name}» гэсэн хэмжүүр тодорхойлогдоогүй байна.",
        "en": "There is no Likert scale “{name}”.",
    },
    "problem.out_of_range": {
        "mn": "Утга нь доод тал нь {min}, дээд тал нь {max} байх ёстой (одоо: {value}).",
        "en": "The value must be from {min} to {max} (it is {value}).",
    },
    "problem.choices_missing": {
        "mn": "Энэ асуултад хариултын сонголтууд шаардлагатай.",
        "en": "This item needs answer choices.",
    },
    "problem.scoring_without_correct": {
        "mn": "Оноо тооцох арга зөвхөн зөв хариулттай мэдлэгийн асуултад хамаарна.",
        "en": "Only a knowledge item (one with a correct answer) has a way of scoring.",
    },
    "problem.correct_empty": {
        "mn": "Дор хаяж нэг зөв хариулт сонгоно уу.",
        "en": "Choose at least one correct answer.",
    },
    "problem.correct_not_single": {
        "mn": "Нэг сонголттой асуулт ганц зөв хариулттай байна: олон зөв хариулт хэрэгтэй бол олон сонголттой асуулт болгоно уу.",
        "en": "A one-choice item has one correct answer, not a list: make it a several-choice item for several.",
    },
    "problem.correct_not_list": {
        "mn": 'Олон сонголттой асуултын зөв хариултуудыг жагсаалтаар бичнэ үү, жишээ нь: ["{value}"].',
        "en": 'Write the correct answers of a several-choice item as a list, for example: ["{value}"].',
    },
    "problem.listed_twice": {
        "mn": "«{value}» хоёр удаа бичигдсэн байна.",
        "en": "“{value}” is listed twice.",
    },
    "problem.not_a_choice": {
        "mn": "«{value}» гэсэн утга хариултын сонголтуудад алга байна (сонголтууд: {choices}).",
        "en": "“{value}” is not one of the choices ({choices}).",
    },
    "problem.expected_integer": {
        "mn": "Бүхэл тоо бичнэ үү (одоо: {value}).",
        "en": "Write a whole number (it is {value}).",
    },
    "problem.expected_number": {
        "mn": "Тоо бичнэ үү (одоо: {value}).",
        "en": "Write a number (it is {value}).",
    },
    "problem.expected_date": {
        "mn": "Огноог ОООО-СС-ӨӨ хэлбэрээр бичнэ үү (одоо: {value}).",
        "en": "Write the date as YYYY-MM-DD (it is {value}).",
    },
    "problem.not_finite": {
        "mn": "Төгсгөлөг тоо бичнэ үү (одоо: {value}).",
        "en": "Write a finite number (it is {value}).",
    },
    "problem.bound_too_large": {
        "mn": "Хязгаар хэт их байна: утга нь -{bound} ба {bound} хоёрын хооронд байх ёстой.",
        "en": "The limit is too large: it must be from -{bound} to {bound}.",
    },
    "problem.min_above_max": {
        "mn": "Доод хязгаар ({min}) дээд хязгаараас ({max}) их байна.",
        "en": "The lowest value ({min}) is greater than the highest ({max}).",
    },
    # -- conditions, calculations, constraints, filters, piped texts ------------------------------------
    "problem.expression_syntax": {
        "mn": "Нөхцөлийн бичлэгт алдаа байна (байрлал: {position}).",
        "en": "The expression has an error (at position {position}).",
    },
    "problem.expression_too_deep": {
        "mn": "Нөхцөлийн бичлэг хэт олон давхар хаалттай байна.",
        "en": "The expression is nested too deeply.",
    },
    "problem.unknown_item": {
        "mn": "«{key}» гэсэн асуулт алга байна.",
        "en": "There is no item “{key}”.",
    },
    "problem.not_before": {
        "mn": "«{key}» асуулт үүнээс өмнө ирэх ёстой: нөхцөл зөвхөн өмнөх асуултын хариултаас хамаарна.",
        "en": "The item “{key}” must come before this one: a condition can only depend on earlier answers.",
    },
    "problem.note_no_answer": {
        "mn": "«{key}» бол тайлбар тул хариултгүй, нөхцөлд ашиглах боломжгүй.",
        "en": "“{key}” is a note, which has no answer a condition could use.",
    },
    "problem.panel_code_never_kept": {
        "mn": "«{key}» бол панел код тул хариулт нь хадгалагддаггүй, нөхцөлд ашиглах боломжгүй.",
        "en": "“{key}” is a panel code, whose answer is never kept, so a condition cannot use it.",
    },
    "problem.multi_needs_selected": {
        "mn": "«{key}» олон сонголттой асуулт тул хариултыг нь selected({key}, 'утга') гэж шалгана.",
        "en": "“{key}” is a several-choice item: test its answer with selected({key}, 'value').",
    },
    "problem.compared_not_a_choice": {
        "mn": "«{value}» гэсэн утга «{key}» асуултын сонголтуудад алга байна (сонголтууд: {choices}).",
        "en": "“{value}” is not one of the choices of “{key}” ({choices}).",
    },
    "problem.selected_not_choice": {
        "mn": "selected() зөвхөн сонголттой асуултад хэрэглэгдэнэ, харин «{key}» нь «{type}» төрлийн асуулт.",
        "en": "selected() needs a one-choice or several-choice item; “{key}” is of the type “{type}”.",
    },
    "problem.selected_calculation": {
        "mn": "«{key}» бол тооцоолсон утга тул selected() функцээр шалгах боломжгүй.",
        "en": "“{key}” is a calculated value, not a choice item, so selected() cannot test it.",
    },
    "problem.computed_not_before": {
        "mn": "«{key}» утгыг энэ асуултаас хойшхи хариултаас тооцдог тул энд ашиглах боломжгүй.",
        "en": "The value “{key}” is worked out from answers after this item, so it cannot be used here.",
    },
    "problem.calculation_is_item": {
        "mn": "«{key}» нэр асуултын түлхүүр нэртэй давхцаж байна: тооцоолсон утгыг өөрөөр нэрлэнэ үү.",
        "en": "“{key}” is also the key of an item: give the calculated value another name.",
    },
    "problem.calculation_reserved": {
        "mn": "«{key}» нь нөхцөлийн хэлний нөөц үг тул тооцоолсон утгын нэр болохгүй.",
        "en": "“{key}” is a word of the condition language, so it cannot name a calculated value.",
    },
    "problem.calculation_not_before": {
        "mn": "«{key}» нь үүнээс өмнө тооцоолсон утга биш байна: тооцоолсон утга зөвхөн өмнөх утгуудаас хамаарна.",
        "en": "“{key}” is not a calculated value before this one: a calculation can only use those before it.",
    },
    "problem.no_answer_to_compute": {
        "mn": "«{key}» нь «{type}» төрлийн асуулт тул тооцоолоход ашиглах хариултгүй.",
        "en": "“{key}” is of the type “{type}”, which has no answer to compute with.",
    },
    "problem.message_without_constraint": {
        "mn": "Мессеж бичсэн боловч хариултад тавих нөхцөл алга байна.",
        "en": "This message explains a constraint, but the item has none.",
    },
    "problem.filter_empty": {
        "mn": "Шүүлтэд дор хаяж нэг шинж чанар бичнэ үү.",
        "en": "Write at least one property to filter by.",
    },
    "problem.property_unknown": {
        "mn": "«{name}» гэсэн шинж чанар ямар ч сонголтод алга байна.",
        "en": "No choice has the property “{name}”.",
    },
    "problem.piped_not_key": {
        "mn": "«{text}» гэсэн орлуулах бичвэр асуулт заахгүй байна: хаалтан дотор асуултын түлхүүр нэрийг бичнэ үү.",
        "en": "The piped text “{text}” does not name an item: write an item's key between the braces.",
    },
    # -- outcomes ---------------------------------------------------------------------------------------
    "problem.not_knowledge": {
        "mn": "«{key}» асуулт зөв хариултгүй тул мэдлэгийн оноонд орохгүй.",
        "en": "“{key}” has no correct answer, so it cannot count in a knowledge score.",
    },
    "problem.scale_needs_likert": {
        "mn": "«{key}» Ликертийн асуулт биш тул хэмжүүрт орохгүй.",
        "en": "“{key}” is not a Likert item, so it cannot count in a scale.",
    },
    "problem.scales_differ": {
        "mn": "«{key}» асуулт «{scale}» хэмжүүртэй, харин «{other}» асуулт «{other_scale}» хэмжүүртэй: нэг үр дүнгийн асуултууд нэг хэмжүүртэй байна.",
        "en": "“{key}” uses the scale “{scale}” but “{other}” uses “{other_scale}”: the items of one outcome share one scale.",
    },
    "problem.min_answered_range": {
        "mn": "Хариулсан асуултын хамгийн бага хувь 0-ээс их, 1-ээс ихгүй байх ёстой (одоо: {value}).",
        "en": "The share of items that must be answered is more than 0 and at most 1 (it is {value}).",
    },
    "problem.outcome_items_empty": {
        "mn": "Үр дүнд дор хаяж нэг асуулт сонгоно уу.",
        "en": "Tick at least one item for this outcome.",
    },
    "problem.reverse_not_in_outcome": {
        "mn": "«{key}» асуулт энэ үр дүнд ороогүй байна.",
        "en": "“{key}” is not one of this outcome's items.",
    },
    "problem.reverse_not_marked": {
        "mn": "«{key}» асуулт урвуугаар тооцогдохоор тэмдэглэгдээгүй байна.",
        "en": "“{key}” is not marked as reversed in its item.",
    },
    "problem.reverse_not_listed": {
        "mn": "«{key}» асуулт урвуугаар тооцогдохоор тэмдэглэгдсэн боловч энд жагсаагдаагүй байна.",
        "en": "“{key}” is marked as reversed but is not listed here.",
    },
    "problem.proportion_item_missing": {
        "mn": "Хувь тооцох асуултаа сонгоно уу.",
        "en": "Choose the item whose answers the proportion counts.",
    },
    "problem.proportion_item_type": {
        "mn": "«{key}» нь «{type}» төрлийн асуулт: хувь тооцох асуулт нь сонголттой эсвэл зөвшөөрлийн асуулт байна.",
        "en": "“{key}” is of the type “{type}”: a proportion counts the answers of a choice or consent item.",
    },
    "problem.proportion_value_missing": {
        "mn": "Хувийг нь тооцох хариултын утгыг бичнэ үү.",
        "en": "Write the answer whose share is reported.",
    },
    "problem.proportion_values_empty": {
        "mn": "Хувийг нь тооцох дор хаяж нэг хариултын утга бичнэ үү.",
        "en": "Write at least one answer whose share is reported.",
    },
    "problem.not_used_by_kind": {
        "mn": "Энэ талбар энэ төрлийн үр дүнд хэрэглэгдэхгүй.",
        "en": "This field is not used by outcomes of this kind.",
    },
    # -- the analysis block: who answered, and groups ---------------------------------------------------
    "problem.too_many_variables": {
        "mn": "Энд хамгийн ихдээ {max} асуулт жагсаана (одоо: {count}).",
        "en": "List at most {max} items here (there are {count}).",
    },
    "problem.covariate_type": {
        "mn": "«{key}» нь «{type}» төрлийн асуулт: хариулагчдын бүрэлдэхүүнийг тооцохдоо нэг сонголттой, бүхэл эсвэл бутархай тоон асуулт ашиглана.",
        "en": "“{key}” is of the type “{type}”: who answered is described by a one-choice, whole-number or decimal item.",
    },
    "problem.subgroup_type": {
        "mn": "«{key}» нь «{type}» төрлийн асуулт: бүлэглэхдээ нэг сонголттой асуулт, эсвэл хязгаар заасан бүхэл тоон асуулт ашиглана.",
        "en": "“{key}” is of the type “{type}”: groups are formed by a one-choice item, or a whole-number item with bands.",
    },
    "problem.variable_knowledge": {
        "mn": "«{key}» бол мэдлэгийн асуулт: хүмүүсийн мэдлэг нь үр дүн болохоос хариулагчийг тодорхойлох шинж биш.",
        "en": "“{key}” is a knowledge item: what people know is an outcome, not a description of who answered.",
    },
    "problem.variable_outcome": {
        "mn": "«{key}» асуулт «{outcome}» үр дүнгийн асуулт тул хариулагчийг тодорхойлоход ашиглах боломжгүй.",
        "en": "“{key}” is the item of the outcome “{outcome}”: an outcome cannot describe who answered.",
    },
    "problem.subgroup_needs_bands": {
        "mn": "«{key}» бүхэл тоон асуулт тул бүлэг үүсгэх хязгааруудыг заана уу, жишээ нь: {example}.",
        "en": "“{key}” is a whole-number item: give it bands to form groups, for example: {example}.",
    },
    "problem.bands_not_integer": {
        "mn": "Бүлгийн хязгаар зөвхөн бүхэл тоон асуултад байна, харин «{key}» нь «{type}» төрлийн асуулт.",
        "en": "Only a whole-number item has bands; “{key}” is of the type “{type}”.",
    },
    "problem.bands_empty": {
        "mn": "Дор хаяж нэг тоо бичнэ үү: тоо бүр нэг бүлгийн эхлэл болно.",
        "en": "Write at least one number: each starts a band.",
    },
    "problem.too_many_bands": {
        "mn": "Хамгийн ихдээ {max} тоо бичнэ (одоо: {count}).",
        "en": "Write at most {max} numbers (there are {count}).",
    },
    "problem.bands_order": {
        "mn": "Тоонуудыг өсөх дарааллаар бичнэ үү: {value} нь өмнөх тооноос ({previous}) их байх ёстой.",
        "en": "List the numbers in increasing order: {value} does not come after {previous}.",
    },
    "problem.band_below_min": {
        "mn": "Эхний бүлэг асуултын доод хязгаараас ({min}) эхэлдэг тул {value} үүнээс их байх ёстой.",
        "en": "{value} is not above the item's lowest value {min}: the first band starts there.",
    },
    "problem.band_above_max": {
        "mn": "Асуултын дээд хязгаар {max} тул {value} тооноос эхлэх бүлэгт хариулт орохгүй.",
        "en": "{value} is above the item's highest value {max}: no answer can be in its band.",
    },
    # -- an XLSForm workbook (survey.questionnaire.xlsform.common.XLSFORM_PROBLEM_CODES) --------------
    "problem.xlsform_no_survey_sheet": {
        "mn": "Ажлын номонд «survey» нэртэй хуудас алга байна (хуудсууд: {sheets}).",
        "en": "The workbook has no sheet named “survey” (its sheets: {sheets}).",
    },
    "problem.xlsform_header_missing": {
        "mn": "Гарчгийн мөрөнд заавал байх багана алга байна: {columns}.",
        "en": "The header row lacks the column(s): {columns}.",
    },
    "problem.xlsform_name_duplicate": {
        "mn": "«{name}» гэсэн нэр нэг бүлэгт давхардсан байна (эхнийх нь мөр: {first}).",
        "en": "The name “{name}” is used twice in one group (first at row {first}).",
    },
    "problem.xlsform_group_no_name": {
        "mn": "Бүлэгт нэр (name) өгнө үү.",
        "en": "Give the group a name.",
    },
    "problem.xlsform_end_without_begin": {
        "mn": "«{kind}» мөрийн өмнө түүнийг эхлүүлэх мөр алга байна.",
        "en": "“{kind}” has no begin row before it.",
    },
    "problem.xlsform_repeat_not_ended": {
        "mn": "begin_repeat мөрийг end_repeat мөрөөр хаагаагүй байна.",
        "en": "A begin_repeat row has no end_repeat.",
    },
    "problem.xlsform_group_not_ended": {
        "mn": "Хаагаагүй begin_group мөрийн тоо: {count}. Тус бүрийг end_group мөрөөр хаана уу.",
        "en": "Groups begun and not ended: {count}. End each with an end_group row.",
    },
    "problem.xlsform_type_unknown": {
        "mn": "«{type_written}» гэсэн асуултын төрлийг таньсангүй.",
        "en": "The question type “{type_written}” is not known.",
    },
    "problem.xlsform_question_no_name": {
        "mn": "«{type_written}» төрлийн асуултад нэр (name) өгнө үү.",
        "en": "Give the “{type_written}” question a name.",
    },
    "problem.xlsform_list_missing": {
        "mn": "choices хуудсанд «{list}» гэсэн жагсаалт алга байна.",
        "en": "The choices sheet has no list “{list}”.",
    },
    "problem.xlsform_likert_not_select_one": {
        "mn": "likert багана зөвхөн select_one асуултад хэрэглэгдэнэ.",
        "en": "The likert column needs a select_one question.",
    },
    "problem.xlsform_relevant_untranslatable": {
        "mn": "«{source}» нөхцөлийг уншиж чадсангүй (байрлал: {position}). Хамаарахгүй асуултууд харагдах тул нөхцөлийг хасах боломжгүй.",
        "en": "The condition “{source}” cannot be read (at position {position}). It cannot be dropped: questions that do not apply would be shown.",
    },
    "problem.xlsform_no_label": {
        "mn": "«{name}» асуултад бичвэр (label) алга байна.",
        "en": "The question “{name}” has no label.",
    },
    "problem.xlsform_scale_lists_differ": {
        "mn": "«{scale}» хэмжүүр өөр мөрөнд «{other}» жагсаалт, энд «{list}» жагсаалт бөгөөд тэдгээрийн сонголтууд ялгаатай.",
        "en": "The Likert scale “{scale}” is the list “{other}” elsewhere but “{list}” here, and their choices differ.",
    },
    "problem.xlsform_range_not_numbers": {
        "mn": "range асуултын параметрүүд тоо байх ёстой.",
        "en": "The parameters of a range question must be numbers.",
    },
    "problem.xlsform_correct_single": {
        "mn": "select_one асуулт нэг л зөв хариулттай («{value}»): олон зөв хариулт хэрэгтэй бол select_multiple ашиглана уу.",
        "en": "A select_one question has one correct choice (“{value}”): use select_multiple for several.",
    },
    "problem.xlsform_correct_needs_choices": {
        "mn": "Зөв хариулт (correct) зөвхөн select_one эсвэл select_multiple асуултад байна.",
        "en": "Only a select_one or select_multiple question has a correct answer.",
    },
    "problem.xlsform_scoring_unknown": {
        "mn": "«{value}» гэсэн оноо тооцох арга алга; дараахын аль нэгийг бичнэ үү: {allowed}.",
        "en": "“{value}” is not a way of scoring; write one of: {allowed}.",
    },
    "problem.xlsform_reverse_not_yes_no": {
        "mn": "reverse баганад yes эсвэл no бичнэ үү (одоо: {value}).",
        "en": "Write yes or no in the reverse column (it is “{value}”).",
    },
    "problem.xlsform_outcome_no_name": {
        "mn": "Үр дүнд нэр (name) өгнө үү.",
        "en": "Give the outcome a name.",
    },
    "problem.xlsform_outcome_duplicate": {
        "mn": "«{name}» гэсэн үр дүн хоёр удаа бичигдсэн байна.",
        "en": "The outcome “{name}” is written twice.",
    },
    "problem.xlsform_label_twice": {
        "mn": "Нэг хэлний бичвэрийн багана хоёр байна ({language}).",
        "en": "Two label columns are for one language ({language}).",
    },
    "problem.xlsform_language_invalid": {
        "mn": "«{value}» гэсэн хэлний код тохирохгүй: «mn», «en» гэх мэт код бичнэ үү.",
        "en": "“{value}” is not a language code: write a code such as “mn” or “en”.",
    },
    "problem.xlsform_no_label_column": {
        "mn": "survey хуудсанд label багана алга байна.",
        "en": "The survey sheet has no label column.",
    },
    "problem.xlsform_label_no_language": {
        "mn": "label баганын хэл заагаагүй боловч асуулга хэд хэдэн хэлтэй ({languages}): label::Нэр (код) хэлбэрийн багана ашиглана уу.",
        "en": "The label column names no language, but the form is in {languages}: use label::Name (code) columns.",
    },
    "problem.xlsform_choices_header": {
        "mn": "choices хуудасны гарчигт list_name ба name багана байх ёстой.",
        "en": "The header of the choices sheet needs the columns list_name and name.",
    },
    "problem.xlsform_choice_duplicate": {
        "mn": "«{value}» сонголт «{list}» жагсаалтад хоёр удаа байна (эхнийх нь мөр: {first}). settings хуудасны allow_choice_duplicates үүнийг зөвшөөрнө.",
        "en": "The choice “{value}” is in the list “{list}” twice (first at row {first}); allow_choice_duplicates in the settings sheet allows it.",
    },
    "problem.xlsform_choice_collides": {
        "mn": "«{value}» сонголт «{stored}» болж хадгалагдах боловч «{list}» жагсаалтад ийм утга аль хэдийн бий.",
        "en": "The choice “{value}” would be stored as “{stored}”, which the list “{list}” already has.",
    },
    "problem.xlsform_choice_no_label": {
        "mn": "«{value}» сонголтод бичвэр (label) алга байна.",
        "en": "The choice “{value}” has no label.",
    },
    "problem.workbook_unreadable": {
        "mn": "Энэ файл уншигдах ажлын ном биш байна: .xlsx, .xls эсвэл .ods файл оруулна уу.",
        "en": "This file is not a readable workbook: upload an .xlsx, .xls or .ods file.",
    },
    "problem.workbook_xlsb": {
        "mn": ".xlsb ажлын номыг уншдаггүй: .xlsx хэлбэрээр хадгалаад дахин оруулна уу.",
        "en": "An .xlsb workbook is not read: save it as .xlsx and upload it again.",
    },
    "problem.workbook_encrypted": {
        "mn": "Ажлын ном нууц үгээр хамгаалагдсан байна: нууц үггүйгээр хадгалаад дахин оруулна уу.",
        "en": "The workbook is protected by a password: save it without one and upload it again.",
    },
    "problem.import_busy": {
        "mn": "Өөр ажлын номуудыг оруулж байна: нэг минутын дараа дахин оролдоно уу.",
        "en": "Other workbooks are being imported: please try again in a minute.",
    },
    "problem.import_too_slow": {
        "mn": "Ажлын номыг унших хугацаа хэт удаан байна: дээд тал нь {seconds} секунд.",
        "en": "Reading the workbook took too long: an import may take at most {seconds} seconds.",
    },
    "problem.import_too_large": {
        "mn": "Ажлын номыг уншихад хэт их санах ой шаардлагатай байна: дээд тал нь {megabytes} МБ. Асуулгад шаардлагагүй том хуудас байгаа эсэхийг шалгана уу.",
        "en": "Reading the workbook needs too much memory: an import may use at most {megabytes} MB. Is a sheet much larger than a questionnaire needs?",
    },
    "problem.import_crashed": {
        "mn": "Энэ ажлын номыг уншиж чадсангүй (дэлгэрэнгүйг серверийн бүртгэлээс харна уу).",
        "en": "This workbook could not be read (the server's log says more).",
    },
    "problem.uncoded": {
        "mn": "Асуулгын дүрэмд нийцэхгүй зүйл байна:",
        "en": "A rule is broken:",
    },
}
