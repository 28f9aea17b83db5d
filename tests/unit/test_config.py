"""Settings come from the environment, with embedded defaults."""

from __future__ import annotations

from pathlib import Path

from careerpath.config import DEFAULT_PORT, PROJECT_ROOT, load_settings


def test_defaults_are_an_embedded_sqlite_file_no_redis_and_port_3000() -> None:
    settings = load_settings({})
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'data' / 'careerpath.db'}"
    assert settings.redis_url is None
    assert settings.port == DEFAULT_PORT == 3000


def test_the_data_directory_moves_the_sqlite_file(tmp_path: Path) -> None:
    settings = load_settings({"CAREERPATH_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'careerpath.db'}"


def test_scale_out_settings_come_from_the_environment() -> None:
    settings = load_settings(
        {
            "CAREERPATH_DATABASE_URL": "postgresql+psycopg://u@db/cp",
            "CAREERPATH_REDIS_URL": "redis://cache:6379",
            "CAREERPATH_PORT": "8080",
        }
    )
    assert settings.database_url == "postgresql+psycopg://u@db/cp"
    assert settings.redis_url == "redis://cache:6379"
    assert settings.port == 8080


def test_reflex_own_variables_take_precedence() -> None:
    settings = load_settings(
        {"CAREERPATH_DATABASE_URL": "sqlite:///a.db", "REFLEX_DB_URL": "sqlite:///b.db"}
    )
    assert settings.database_url == "sqlite:///b.db"


def test_the_public_url_defaults_to_the_address_run_prints_and_can_be_set() -> None:
    assert load_settings({}).public_url == "http://localhost:3000"
    assert load_settings({"CAREERPATH_PORT": "8080"}).public_url == "http://localhost:8080"
    settings = load_settings({"CAREERPATH_PUBLIC_URL": "https://careerpath.example.fr/"})
    assert settings.public_url == "https://careerpath.example.fr"


def test_the_public_url_defaults_to_the_local_address_and_sets_the_allowed_origins() -> None:
    local = load_settings({"CAREERPATH_PORT": "3100"})
    assert local.public_url == "http://localhost:3100"
    assert local.allowed_origins == ("http://localhost:3100", "http://127.0.0.1:3100")
    public = load_settings({"CAREERPATH_PUBLIC_URL": "https://Careerpath.example/"})
    assert public.public_url == "https://Careerpath.example"
    assert public.allowed_origins == ("https://careerpath.example",)


def test_share_links_use_the_public_url_not_the_request(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from careerpath.services.assessments import share_url

    monkeypatch.setenv("CAREERPATH_PUBLIC_URL", "https://careerpath.example")
    assert share_url("abc") == "https://careerpath.example/partage/abc"
