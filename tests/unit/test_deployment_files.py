"""docker-compose.yml, the Dockerfile and .env.example agree with the code (Docker itself
does not run on every machine the tests run on)."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import yaml

from cli.main import main
from shopspot.settings import Settings
from tests.support.env import ROOT


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_compose_names_every_service_built_from_one_image() -> None:
    services = compose()["services"]

    assert set(services) == {"redis", "web", "worker", "beat", "flower"}
    for name in ("web", "worker", "beat", "flower"):
        assert services[name]["build"] == ".", name
        assert services[name]["env_file"] == ".env", name
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"
        assert services[name]["healthcheck"]["test"], name
    assert services["beat"]["deploy"]["replicas"] == 1


def test_redis_keeps_its_data_and_never_evicts() -> None:
    redis = compose()["services"]["redis"]

    command = " ".join(redis["command"])
    assert "--appendonly yes" in command
    assert "--maxmemory-policy noeviction" in command
    assert redis["volumes"] == ["redis-data:/data"]


def test_every_command_in_compose_and_dockerfile_exists() -> None:
    commands = [service["command"] for service in compose()["services"].values()]
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (.+)$", dockerfile, re.MULTILINE)
    assert cmd is not None
    commands.append(yaml.safe_load(cmd.group(1)))

    shopspot = [c for c in commands if c[0] == "shopspot"]
    assert len(shopspot) == 5
    for command in shopspot:
        assert command[1] in main.commands, command
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["shopspot"] == "cli.main:main"
    copied = re.findall(r"^COPY (\w+) ", dockerfile, re.MULTILINE)
    for folder in copied:
        assert (ROOT / folder).is_dir(), folder
    # The image installs every package the project ships, or its commands cannot start.
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert {name.rstrip("*") for name in packages["packages"]["find"]["include"]} <= set(copied)


def test_env_example_lists_every_setting() -> None:
    text = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))

    assert {name.upper() for name in Settings.model_fields} == listed
