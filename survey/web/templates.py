"""The Jinja2 template engine, configured once."""

from __future__ import annotations

from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from survey.settings import PACKAGE_DIR
from survey.web.static import static_url


def configure_engine(engine: JinjaTemplateEngine) -> None:
    env = engine.engine
    env.globals["static_url"] = static_url
    env.trim_blocks = True
    env.lstrip_blocks = True


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(
        directory=PACKAGE_DIR / "templates",
        engine=JinjaTemplateEngine,
        engine_callback=configure_engine,
    )
