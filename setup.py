"""Package discovery: `templates/` ships inside the wheel as the `briefbot_templates` package."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["bot", "bot.*", "briefings", "briefings.*"]), "briefbot_templates"],
    package_dir={"briefbot_templates": "templates"},
)
