"""Run the counter with uvicorn: ``leaflet serve`` -> a listening server.

uvicorn's own access log is off: it would write query strings, which a
program could fill with a patient's name. ``guards.AccessLog`` writes the
lines instead (path and status only), through the same handler as uvicorn's.
"""

from __future__ import annotations

import copy
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from leaflet.counter.app import Settings, create_app
from leaflet.project import Project


def log_config() -> dict[str, Any]:
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["leaflet"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def run(project: Project, settings: Settings, host: str, port: int) -> None:
    app = create_app(project, settings)
    uvicorn.run(app, host=host, port=port, access_log=False, log_config=log_config(),
                server_header=False, timeout_graceful_shutdown=5)
