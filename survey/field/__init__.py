"""Field collection: ODK Collect, KoboCollect and Enketo send interviews straight into a wave (OpenRosa).

==============  =====================================================================================
``routes``      the OpenRosa endpoints under a wave's (or an enumerator's) secret field address
``service``     the rules: idempotent by instanceID, edits, a closed wave, flagged answers and their review
``instance``    reading a submission: the multipart body and the interview XML, hardened
``xform``       the XForm (pyxform, from the XLSForm export) and what an interview's values mean
``openrosa``    the protocol's documents and headers, and the settings QR code of ODK Collect
``messages``    what the endpoints say to a device, in Mongolian and English
==============  =====================================================================================

The console pages (the field address, its settings QR code, the enumerators' addresses, the review of
flagged answers) are :mod:`survey.console.field`; ``survey waves field`` is the command line's.
"""
