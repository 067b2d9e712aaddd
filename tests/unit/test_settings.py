"""Settings read from the environment: the base URL of links and QR codes when SURVEY_BASE_URL is unset."""

from __future__ import annotations

import pytest

from survey.settings import InvalidSetting, Settings


def test_the_default_base_url_is_where_the_server_listens() -> None:
    assert Settings.from_environ({}).base_url == "http://127.0.0.1:8000"
    assert Settings.from_environ({"SURVEY_PORT": "9123"}).base_url == "http://127.0.0.1:9123"
    on_a_name = Settings.from_environ({"SURVEY_HOST": "survey.lan", "SURVEY_PORT": "8080"})
    assert on_a_name.base_url == "http://survey.lan:8080"


@pytest.mark.parametrize("everywhere", ["0.0.0.0", "::"])
def test_a_server_on_every_address_is_linked_at_the_loopback_one(everywhere: str) -> None:
    found = Settings.from_environ({"SURVEY_HOST": everywhere, "SURVEY_PORT": "8001"})
    assert found.base_url == "http://127.0.0.1:8001"
    assert found.host == everywhere  # it still listens where it was told


def test_an_ipv6_host_is_bracketed_in_the_url() -> None:
    found = Settings.from_environ({"SURVEY_HOST": "::1", "SURVEY_PORT": "8002"})
    assert found.base_url == "http://[::1]:8002"


def test_a_base_url_that_is_set_wins_over_the_port() -> None:
    found = Settings.from_environ(
        {"SURVEY_BASE_URL": "https://survey.example.org/", "SURVEY_PORT": "9000"}
    )
    assert found.base_url == "https://survey.example.org"
    assert found.port == 9000


@pytest.mark.parametrize("port", ["0", "-1", "eighty", "80.5", "70000"])
def test_a_port_that_is_no_port_is_refused(port: str) -> None:
    with pytest.raises(InvalidSetting, match="SURVEY_PORT"):
        Settings.from_environ({"SURVEY_PORT": port})


def test_the_report_warm_up_takes_seconds_or_zero_for_never() -> None:
    assert Settings.from_environ({}).report_warmup == 300
    assert Settings.from_environ({"SURVEY_REPORT_WARMUP": "0"}).report_warmup == 0
    assert Settings.from_environ({"SURVEY_REPORT_WARMUP": " 60 "}).report_warmup == 60


@pytest.mark.parametrize("value", ["-5", "soon", "1.5", "1e9x"])
def test_a_report_warm_up_that_is_no_number_of_seconds_is_refused(value: str) -> None:
    with pytest.raises(InvalidSetting, match="SURVEY_REPORT_WARMUP"):
        Settings.from_environ({"SURVEY_REPORT_WARMUP": value})
