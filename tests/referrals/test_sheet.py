"""The support sheet's content: neutral title, the person's language, English fallback."""

from __future__ import annotations

import pytest

from app.errors import UserError
from app.i18n import set_language
from app.referrals.directory import DirectoryEntry
from app.referrals.local import shipped_directory
from app.referrals.sheet import build_sheet, phone_script, sheet_as_text, short_web
from app.referrals.sheet_texts import load_sheet_texts_file, sheet_languages, sheet_texts_dir

# Words that would say what the sheet is about, in each language's own words.
REVEALING = {
    "sv": ("våld", "misshandel", "övergrepp", "hot", "kvinnofrid", "brott"),
    "en": ("violence", "abuse", "assault", "threat", "crime", "victim"),
    "ar": ("عنف", "العنف", "إساءة", "اعتداء", "تهديد", "جريمة"),
}


@pytest.fixture(autouse=True)
def _in_english() -> None:
    """Messages are checked in English (the msgids)."""
    set_language("en")


def test_sheet_languages_are_swedish_english_arabic_at_least_in_that_order() -> None:
    assert list(sheet_languages())[:3] == ["sv", "en", "ar"]


@pytest.mark.parametrize("language", list(sheet_languages()))
def test_the_title_is_neutral_in_every_language(language: str) -> None:
    title = build_sheet(shipped_directory(), language).title.lower()
    words = REVEALING.get(language, REVEALING["en"]) + REVEALING["sv"] + REVEALING["en"]
    assert not [word for word in words if word in title]


def test_every_language_without_a_revealing_word_list_fails_loudly() -> None:
    # a new language must come with its own list of words the title must not contain
    assert set(sheet_languages()) <= set(REVEALING)


def test_swedish_and_english_are_reviewed_and_arabic_is_not() -> None:
    languages = sheet_languages()
    assert languages["sv"].reviewed_by_professional_translator
    assert languages["en"].reviewed_by_professional_translator
    assert not languages["ar"].reviewed_by_professional_translator


def test_arabic_is_right_to_left_and_complete_for_every_shipped_entry() -> None:
    sheet = build_sheet(shipped_directory(), "ar")
    assert sheet.right_to_left
    assert sheet.fully_translated
    assert not build_sheet(shipped_directory(), "sv").right_to_left
    assert set(sheet_languages()["ar"].entries) == {entry.id for entry in shipped_directory()}


def test_swedish_sheet_has_the_chosen_entries_in_order_with_numbers_and_hours() -> None:
    directory = shipped_directory()
    chosen = [directory["police_emergency"], directory["kvinnofridslinjen"]]
    sheet = build_sheet(chosen, "sv")
    assert [entry.entry_id for entry in sheet.entries] == ["police_emergency", "kvinnofridslinjen"]
    line = sheet.entries[1]
    assert (line.name, line.phone, line.hours) == (
        "Kvinnofridslinjen",
        "020-50 50 50",
        "dygnet runt, alla dagar",
    )
    assert line.facts == (
        "Kostnadsfritt",
        "Du kan vara anonym",
        "Syns inte på telefonräkningen",
        "Tolk på många språk",
    )
    assert line.web == "kvinnofridslinjen.se"


def test_an_entry_without_hours_points_to_its_website() -> None:
    sheet = build_sheet([shipped_directory()["brottsofferjouren"]], "en")
    assert sheet.entries[0].hours == "see the website"


def local_entry() -> DirectoryEntry:
    return DirectoryEntry.model_validate(
        {
            "id": "test_shelter_norr",
            "name": {"sv": "Testjouren Norr", "en": "Test shelter North"},
            "description": {"sv": "Påhittad jour.", "en": "Made-up shelter."},
            "kind": "support_line",
            "phone": "090-12 34 56",
            "audience": ["women"],
            "scope": "2480",
            "last_verified": "2026-10-01",
        }
    )


def test_an_entry_without_a_translation_falls_back_to_english_with_its_number() -> None:
    sheet = build_sheet([shipped_directory()["kvinnofridslinjen"], local_entry()], "ar")
    fallback = sheet.entries[1]
    assert (fallback.name, fallback.description, fallback.phone) == (
        "Test shelter North",
        "Made-up shelter.",
        "090-12 34 56",
    )
    assert not fallback.translated
    assert sheet.entries[0].translated
    assert not sheet.fully_translated
    assert "090-12 34 56" in sheet_as_text(sheet)


def test_a_language_without_sheet_texts_is_refused() -> None:
    with pytest.raises(UserError, match="no support sheet in this language"):
        build_sheet([], "fi")


def test_a_language_file_must_be_named_after_its_language(tmp_path) -> None:
    wrong = tmp_path / "fa.yaml"
    wrong.write_text((sheet_texts_dir() / "en.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(UserError, match="must be the file's name"):
        load_sheet_texts_file(wrong)
    broken = tmp_path / "en.yaml"
    broken.write_text("language: en\n", encoding="utf-8")
    with pytest.raises(UserError, match="title: required field is missing"):
        load_sheet_texts_file(broken)


def test_short_web_drops_the_scheme_and_www() -> None:
    assert short_web("https://www.1177.se/") == "1177.se"
    assert short_web(None) is None


def test_the_phone_script_reads_the_numbers_aloud_and_ends_with_112() -> None:
    set_language("en")
    directory = shipped_directory()
    script = phone_script(
        [
            directory["kvinnofridslinjen"],
            directory["social_services"],
            directory["brottsofferjouren"],
        ],
        "en",
    )
    assert script[1] == (
        "Kvinnofridslinjen (national support line for women): 020-50 50 50, open 24 hours, "
        "every day. The call is free and does not show on the phone bill."
    )
    assert script[2] == "Victim Support Sweden (Brottsofferjouren): 116 006.", "the number once"
    assert len(script) == 4  # social services has no single number to read
    assert "112" in script[-1]


def test_the_phone_script_leaves_out_lines_for_professionals() -> None:
    directory = shipped_directory()
    script = phone_script([directory["honour_support_line"], directory["kvinnofridslinjen"]], "sv")
    assert not [line for line in script if "010-223 57 60" in line]
    assert [line for line in script if "020-50 50 50" in line]
