"""What the field endpoints say to a device, in Mongolian and English.

ODK Collect, KoboCollect and Enketo show the message of an OpenRosa reply to the enumerator as it comes
(Collect beside the interview in its list of sent and failed forms), and OpenRosa clients do not reliably
say which language they read. A reply therefore carries both sentences, the Mongolian one first
(:func:`say`): the teams are Mongolian, their supervisors not always. Each sentence says what happened
and, when the interview was not taken, that it stays on the device and what to do.
"""

from __future__ import annotations

from typing import Final

from survey.web.i18n import LANGUAGES, Catalogue

__all__ = ["CATALOGUE", "MESSAGES", "say"]

MESSAGES: Final[dict[str, dict[str, str]]] = {
    # -- taken ----------------------------------------------------------------------------------------
    "received": {
        "mn": "Ярилцлагыг хүлээн авлаа.",
        "en": "The interview was received.",
    },
    "received_flagged": {
        "mn": (
            "Ярилцлагыг хүлээн авлаа. Маягтын дүрэмд нийцээгүй {count} хариултыг судлаач шалгана."
        ),
        "en": (
            "The interview was received. Answers that break a rule of the form: {count}; the "
            "researcher will check them."
        ),
    },
    "received_again": {
        "mn": "Энэ ярилцлагыг өмнө нь хүлээн авсан байна. Юу ч өөрчлөгдсөнгүй.",
        "en": "This interview had already been received; nothing changed.",
    },
    "edited": {
        "mn": "Засварласан ярилцлагыг хүлээн авлаа. Энэ нь өмнөх хувилбарыг орлоно.",
        "en": "The edited interview was received; it replaces the earlier version.",
    },
    "received_older": {
        "mn": (
            "Ярилцлагыг хүлээн авлаа. Түүний засварласан хувилбар өмнө нь ирсэн тул тэр хэвээр үлдэнэ."
        ),
        "en": "The interview was received; its edited version arrived earlier and is kept.",
    },
    # -- the address ------------------------------------------------------------------------------------
    "unknown_address": {
        "mn": "Энэ серверийн хаяг бүртгэлгүй байна. Хаягаа судлаачаасаа дахин асууна уу.",
        "en": "This server address is not known. Check it with your researcher.",
    },
    "revoked": {
        "mn": (
            "Энэ серверийн хаягийг хүчингүй болгосон. Шинэ хаягийг судлаачаасаа авна уу. Тэр "
            "хүртэл ярилцлагууд төхөөрөмж дээр хадгалагдана."
        ),
        "en": (
            "This server address was withdrawn. Ask your researcher for a new one; until then the "
            "interviews stay on the device."
        ),
    },
    # -- the request ------------------------------------------------------------------------------------
    "not_multipart": {
        "mn": "Ярилцлагыг multipart/form-data хэлбэрээр, xml_submission_file хэсэгтэй илгээнэ үү.",
        "en": "Send the interview as multipart/form-data with a part xml_submission_file.",
    },
    "bad_multipart": {
        "mn": "Илгээсэн multipart өгөгдлийг уншиж чадсангүй.",
        "en": "The multipart body could not be read.",
    },
    "no_xml_part": {
        "mn": "Илгээлтэд xml_submission_file хэсэг алга.",
        "en": "The submission has no part xml_submission_file.",
    },
    "many_xml_parts": {
        "mn": "Илгээлтэд xml_submission_file хэсэг нэгээс олон байна.",
        "en": "The submission has more than one part xml_submission_file.",
    },
    "too_large": {
        "mn": "Илгээлт хэт том байна: хамгийн ихдээ {megabytes} МБ.",
        "en": "The submission is too large: at most {megabytes} MB.",
    },
    "compressed": {
        "mn": "Ярилцлагыг шахалгүйгээр илгээнэ үү.",
        "en": "Send the interview uncompressed.",
    },
    "not_xml": {
        "mn": "Ярилцлагын файлыг XML хэлбэрээр уншиж чадсангүй.",
        "en": "The interview file could not be read as XML.",
    },
    "xml_declarations": {
        "mn": "Ярилцлагын файлд DTD эсвэл entity байна. Энэ сервер тэдгээрийг хүлээж авахгүй.",
        "en": "The interview file has a DTD or an entity, which this server does not accept.",
    },
    "xml_shape": {
        "mn": "Ярилцлагын файлын бүтэц маягтын бүтэцтэй таарахгүй байна.",
        "en": "The interview file is not shaped like an interview of this form.",
    },
    "no_instance_id": {
        "mn": "Ярилцлагад meta/instanceID алга.",
        "en": "The interview has no meta/instanceID.",
    },
    "unknown_element": {
        "mn": "Ярилцлагад энэ маягтад байхгүй «{name}» талбар байна.",
        "en": 'The interview has a field "{name}" that this form does not have.',
    },
    "repeated_element": {
        "mn": "Ярилцлагад «{name}» асуулт нэгээс олон удаа байна.",
        "en": 'The interview has the question "{name}" more than once.',
    },
    "value_too_long": {
        "mn": "Ярилцлагын нэг талбарын утга хэт урт байна (хамгийн ихдээ {max} тэмдэгт).",
        "en": "A field of the interview is too long (at most {max} characters).",
    },
    # -- the wave ---------------------------------------------------------------------------------------
    "other_form": {
        "mn": "Энэ хаяг «{expected}» маягтыг хүлээж авна. Ирсэн ярилцлага «{got}» маягтынх байна.",
        "en": 'This address takes the form "{expected}"; the interview is of the form "{got}".',
    },
    "other_version": {
        "mn": (
            "Ярилцлагыг маягтын «{got}» хувилбараар бөглөсөн байна. Энэ шат «{expected}» хувилбарыг "
            "хүлээж авна. Ярилцлага төхөөрөмж дээр хадгалагдана. Судлаачдаа хандана уу."
        ),
        "en": (
            'The interview was filled on version "{got}" of the form; this wave takes version '
            '"{expected}". The interview stays on the device; ask your researcher.'
        ),
    },
    "closed": {
        "mn": (
            "Судалгааны энэ шат хаагдсан тул ярилцлага хүлээж авахгүй. Ярилцлага төхөөрөмж дээр "
            "хадгалагдана. Шатыг дахин нээхийг судлаачаасаа хүснэ үү."
        ),
        "en": (
            "This wave of the survey is closed and takes no more interviews. The interview stays on "
            "the device; ask your researcher to open the wave again."
        ),
    },
    "not_open": {
        "mn": (
            "Судалгааны энэ шат хараахан нээгдээгүй байна. Ярилцлага төхөөрөмж дээр хадгалагдана. "
            "Шат нээгдсэний дараа дахин илгээнэ үү."
        ),
        "en": (
            "This wave of the survey is not open yet. The interview stays on the device; send it "
            "again once the wave is open."
        ),
    },
    "no_xform": {
        "mn": (
            "Энэ шатны асуулгыг хээрийн төхөөрөмжид зориулсан маягт (XForm) болгож чадсангүй. "
            "Судлаачдаа хандана уу."
        ),
        "en": "This wave's questionnaire cannot be made into a form for devices (XForm); ask your researcher.",
    },
    "busy": {
        "mn": "Яг одоо хэт олон ярилцлага ирж байна. Нэг минутын дараа дахин илгээнэ үү.",
        "en": "Too many interviews are arriving at once. Send again in a minute.",
    },
    "conflict": {
        "mn": (
            "Ийм instanceID-тэй ярилцлага өөр хариулттайгаар аль хэдийн ирсэн байна. Энэ хувилбарыг "
            "хадгалсангүй. Судлаачдаа хандана уу."
        ),
        "en": (
            "An interview with this instanceID has already arrived with other answers; this copy "
            "was not saved. Ask your researcher."
        ),
    },
    "superseded": {
        "mn": (
            "Энэ ярилцлагыг дараа нь засварласан бөгөөд шинэ хувилбарыг нь хадгалсан. Энэ хуучин "
            "хувилбарыг хадгалсангүй."
        ),
        "en": (
            "This interview was edited since, and its newer version is kept; this older copy was "
            "not saved."
        ),
    },
}

CATALOGUE: Final = Catalogue(MESSAGES)


def say(key: str, /, **params: object) -> str:
    """The message in every language of the catalogue, Mongolian first, as one text for a device."""
    return " / ".join(CATALOGUE.translate(key, language, **params) for language in LANGUAGES)
