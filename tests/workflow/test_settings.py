"""The one typed Settings: every table of hoso.toml checked when it is loaded, never later."""

from __future__ import annotations

import tomllib
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from workflow.settings import (
    ReminderSettings,
    Settings,
    SettingsError,
    SmtpSettings,
    load_settings,
    settings_from,
)

#: Every table as the docs show it (docs/rules.md, classes.md, targets.md, deadlines.md).
DOCUMENTED = """
[rules]
version = "2024.1"
min_age_months = 216
max_age_months = 720
youth_max_age_years = 30
introducer_known_months = 12
introducers_required = 2
vote_threshold = "2/3"
certificate_valid_months = 60
staleness_months = 12
probation_months = 12
count_excused_members = true
dossier_forms = ["1-KNĐ", "2-KNĐ", "3-KNĐ", "5-KNĐ", "6-KNĐ"]
youth_forms = ["4-KNĐ", "4A-KNĐ"]
recognition_forms = ["10-KNĐ", "11-KNĐ", "12-KNĐ", "13-KNĐ", "15-KNĐ"]

[rules.deadlines]
decision = 45
decision_extension = 30

[calendar]
extra_closed_days = [2027-02-15]
extra_working_days = [2027-02-20]

[classes]
attendance_share = "5/6"
certificate_pattern = "{seq}/GCN-TTCT-{year}"
max_capacity = 200
version = "classes.2026.2"

[targets]
late_in_year = 0.5
first_year = 2020
[targets.conversion]
trained = 0.25
[targets.stuck_days]
returned = 30

[smtp]
host = "mail.example.vn"
port = 587
username = "hoso@example.vn"
password = "..."
from = "hồ sơ <hoso@example.vn>"
starttls = true
timeout = 10

[reminders]
base_url = "https://hoso.example.vn"
within = 10
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hoso.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_documented_file_loads_into_one_typed_object(tmp_path: Path) -> None:
    s = load_settings(write(tmp_path, DOCUMENTED))
    assert s.rules.vote_threshold == Fraction(2, 3)
    assert s.rules.deadlines["decision"] == 45 and s.rules.deadlines["ceremony"] == 30
    assert s.rules.extra_closed_days == (date(2027, 2, 15),)
    assert s.classes.attendance_share == Fraction(5, 6)
    assert s.targets.conversion["trained"] == Fraction(1, 4)
    assert s.targets.conversion["dossier_submitted"] == 1  # the others keep their defaults
    assert s.targets.stuck_days["returned"] == 30
    assert (s.smtp.host, s.smtp.port, s.smtp.sender, s.smtp.starttls) == (
        "mail.example.vn", 587, "hồ sơ <hoso@example.vn>", True,
    )  # fmt: skip
    assert s.reminders.within == 10 and s.mail_enabled


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "missing.toml") == Settings()
    assert not Settings().mail_enabled


@pytest.mark.parametrize(
    "text, named",
    [
        ('[rules]\nmin_age_months = "abc"', "[rules] min_age_months must be a whole number"),
        ("[rules]\nmin_age_months = 216.5", "[rules] min_age_months must be a whole number"),
        ("[rules]\ncount_excused_members = 1", "count_excused_members must be true or false"),
        ('[rules]\nvote_threshold = "two thirds"', "vote_threshold must be a fraction"),
        ('[rules]\ndossier_forms = "1-KNĐ"', "dossier_forms must be a list of texts"),
        ('[calendar]\nextra_closed_days = ["2026-01-02"]', "list of dates"),
        ('[rules.deadlines]\ndecision = "sixty"', "deadlines must be a table of a whole number"),
        ("[rules.deadlines]\nverdict = 10", "no deadline 'verdict'"),
        ("[rules]\nmin_age = 216", "[rules] has no setting 'min_age'"),
        ("[rulez]\nmin_age_months = 216", "no table [rulez]"),
        ('rules = "strict"', "[rules] must be a table"),
        ("[classes]\nattendance_share = 2", "attendance_share must be above 0"),
        ('[classes]\ncertificate_pattern = "CN"', "certificate_pattern"),
        ("[classes]\nmax_capacity = true", "[classes] max_capacity must be a whole number"),
        ("[targets.conversion]\nofficial = 1", "not a pipeline state: official"),
        ("[targets]\nlate_in_year = 3", "between 0 and 1"),
        ('[smtp]\nhost = "mail"', "the sender is missing"),
        ('[smtp]\nhost = "m"\nfrom = "a@b"\nssl = true\nstarttls = true', "not both"),
        ('[smtp]\nport = "twenty-five"', "[smtp] port must be a whole number"),
        ("[reminders]\nwithin = -1", "within cannot be negative"),
        ("[rules\nmin_age_months = 216", "hoso.toml"),  # not TOML at all
    ],
)
def test_a_wrong_setting_is_refused_naming_the_file_the_key_and_the_type(
    tmp_path: Path, text: str, named: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as refused:
        load_settings(path)
    assert named in str(refused.value)
    assert str(path) in str(refused.value)


def test_the_environment_overrides_mail_settings_as_text() -> None:
    s = settings_from(
        {"smtp": {"host": "mail", "from": "a@b"}},
        environ={"HOSO_SMTP_PORT": "2525", "HOSO_SMTP_SSL": "yes", "HOSO_BASE_URL": "https://h"},
    )
    assert (s.smtp.port, s.smtp.ssl, s.reminders.base_url) == (2525, True, "https://h")
    with pytest.raises(SettingsError, match="HOSO|port must be a whole number"):
        settings_from({}, environ={"HOSO_SMTP_PORT": "many"})


def test_the_default_port_follows_the_security_chosen() -> None:
    ports = [
        settings_from({"smtp": {"host": "m", "from": "a@b", **extra}}).smtp.port
        for extra in ({}, {"starttls": True}, {"ssl": True})
    ]
    assert ports == [25, 587, 465]


def test_a_key_in_both_rules_and_calendar_is_refused() -> None:
    data = tomllib.loads("[rules]\nextra_closed_days = []\n[calendar]\nextra_closed_days = []")
    with pytest.raises(SettingsError, match="both"):
        settings_from(data)


def test_every_test_instance_file_of_the_suite_still_loads(tmp_path: Path) -> None:
    """The hoso.toml files the suite writes (old shapes included) load as before."""
    for text in (
        "[rules]\nversion = 'x'\n",
        "[rules]\nvote_threshold = 0.75\n[rules.deadlines]\ndecision_extension = 10\n",
        "[classes]\nattendance_share = '0.8'\n",
        "[reminders]\nbase_url = ''\n",
    ):
        load_settings(write(tmp_path, text))


# --- mail: [smtp] and [reminders] with their environment variables ------------------------------


def test_no_host_means_no_mail(tmp_path: Path) -> None:
    assert not load_settings(tmp_path / "none.toml", {}).mail_enabled
    assert not load_settings(write(tmp_path, "[rules]\nversion = 'x'\n"), {}).mail_enabled


def test_smtp_settings_from_the_file_and_the_environment(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[smtp]\nhost = "mail.example.vn"\nfrom = "hồ sơ <hoso@example.vn>"\nstarttls = true\n'
        'username = "hoso"\npassword = "s3cret"\n\n[reminders]\nbase_url = "https://x.vn"\n',
    )
    smtp = load_settings(path, {}).smtp
    assert smtp == SmtpSettings(
        host="mail.example.vn", port=587, sender="hồ sơ <hoso@example.vn>", username="hoso",
        password="s3cret", starttls=True, ssl=False, timeout=10.0,
    )  # fmt: skip
    env = {
        "HOSO_SMTP_HOST": "relay.local",
        "HOSO_SMTP_PORT": "2525",
        "HOSO_SMTP_STARTTLS": "0",
        "HOSO_SMTP_PASSWORD": "other",
        "HOSO_SMTP_TIMEOUT": "2.5",
    }
    smtp = load_settings(path, env).smtp
    assert (smtp.host, smtp.port, smtp.starttls, smtp.password, smtp.timeout) == (
        "relay.local", 2525, False, "other", 2.5,
    )  # fmt: skip
    assert (
        load_settings(path, {"HOSO_SMTP_SSL": "yes", "HOSO_SMTP_STARTTLS": "no"}).smtp.port == 465
    )
    assert load_settings(path, {}).reminders == ReminderSettings("https://x.vn", 10)
    assert load_settings(path, {"HOSO_REMIND_WITHIN": "5"}).reminders.within == 5


@pytest.mark.parametrize(
    ("toml", "env", "message"),
    [
        ('[smtp]\nhost = "h"\n', {}, "the sender is missing"),
        ('[smtp]\nhost = "h"\nfrom = "a@b"\nhots = 1\n', {}, "[smtp] has no setting 'hots'"),
        ('[smtp]\nhost = "h"\nfrom = "a@b"\nssl = true\nstarttls = true\n', {}, "not both"),
        ('[smtp]\nhost = "h"\nfrom = "a@b"\n', {"HOSO_SMTP_PORT": "x"}, "HOSO_SMTP_PORT (for"),
        ('[smtp]\nhost = "h"\nfrom = "a@b"\nport = 70000\n', {}, "no such port"),
        ('[smtp]\nhost = "h"\nfrom = "a@b"\nssl = "maybe"\n', {}, "[smtp] ssl must be true"),
        ("[smtp\n", {}, "hoso.toml"),
    ],
)  # fmt: skip
def test_bad_mail_settings_are_named(tmp_path: Path, toml: str, env: dict, message: str) -> None:
    with pytest.raises(SettingsError) as err:
        load_settings(write(tmp_path, toml), env)
    assert message in str(err.value)
